"""The condition language: every operator and combinator, and missing or unsure answers."""

from __future__ import annotations

import pytest

from questionnaire.loader import parse_condition
from questionnaire.problems import RuleSetError

SLEEP_POOR = {"question": "sleep_quality", "equals": "poor"}
HIGH_STRESS = {"question": "stress_level", "one_of": ["high", "very_high"]}

CASES = [
    # (condition, answers, expected)
    ({"question": "sleep_quality", "equals": "poor"}, {"sleep_quality": "poor"}, True),
    ({"question": "sleep_quality", "equals": "poor"}, {"sleep_quality": "fair"}, False),
    ({"question": "sleep_quality", "equals": "poor"}, {}, False),
    ({"question": "stress_level", "one_of": ["high", "very_high"]}, {"stress_level": "very_high"}, True),
    ({"question": "stress_level", "one_of": ["high", "very_high"]}, {"stress_level": "low"}, False),
    ({"question": "stress_level", "one_of": ["high", "very_high"]}, {}, False),
    ({"question": "autoimmune", "includes_any": ["lupus", "thyroid"]}, {"autoimmune": ["thyroid", "other"]}, True),
    ({"question": "autoimmune", "includes_any": ["lupus", "thyroid"]}, {"autoimmune": ["other"]}, False),
    ({"question": "autoimmune", "includes_any": ["lupus"]}, {}, False),
    (
        {"question": "sensitivities", "includes_all": ["light", "noise"]},
        {"sensitivities": ["light", "noise", "touch"]},
        True,
    ),
    ({"question": "sensitivities", "includes_all": ["light", "noise"]}, {"sensitivities": ["light"]}, False),
    ({"question": "sensitivities", "includes_all": ["light", "noise"]}, {}, False),
    ({"question": "sensitivities", "includes_at_least": {"count": 2}}, {"sensitivities": ["light", "smells"]}, True),
    ({"question": "sensitivities", "includes_at_least": {"count": 2}}, {"sensitivities": ["light"]}, False),
    (
        {"question": "sensitivities", "includes_at_least": {"count": 2, "of": ["light", "noise"]}},
        {"sensitivities": ["light", "smells"]},
        False,
    ),
    ({"question": "sensitivities", "includes_at_least": {"count": 1}}, {"sensitivities": ["none"]}, False),
    ({"question": "headaches", "answered": True}, {"headaches": "never"}, True),
    ({"question": "headaches", "answered": True}, {}, False),
    ({"question": "headaches", "answered": False}, {}, True),
    ({"question": "headaches", "answered": False}, {"headaches": "daily"}, False),
    ({"all": [SLEEP_POOR, HIGH_STRESS]}, {"sleep_quality": "poor", "stress_level": "high"}, True),
    ({"all": [SLEEP_POOR, HIGH_STRESS]}, {"sleep_quality": "poor", "stress_level": "low"}, False),
    ({"all": [SLEEP_POOR, HIGH_STRESS]}, {"sleep_quality": "poor"}, False),
    ({"any": [SLEEP_POOR, HIGH_STRESS]}, {"stress_level": "high"}, True),
    ({"any": [SLEEP_POOR, HIGH_STRESS]}, {"sleep_quality": "good", "stress_level": "low"}, False),
    ({"any": [SLEEP_POOR, HIGH_STRESS]}, {}, False),
    ({"not": SLEEP_POOR}, {"sleep_quality": "good"}, True),
    ({"not": SLEEP_POOR}, {"sleep_quality": "poor"}, False),
    ({"not": SLEEP_POOR}, {}, True),  # a missing answer makes the comparison false, so its negation is true
    ({"all": [{"question": "sleep_quality", "answered": True}, {"not": SLEEP_POOR}]}, {}, False),
    (
        {"any": [{"all": [SLEEP_POOR, HIGH_STRESS]}, {"not": {"any": [SLEEP_POOR, HIGH_STRESS]}}]},
        {"sleep_quality": "good", "stress_level": "low"},
        True,
    ),
    # "not sure" and "prefer not to say" count as answered and match only themselves
    ({"question": "past_trauma", "equals": "yes"}, {"past_trauma": "prefer_not_to_say"}, False),
    ({"question": "past_trauma", "answered": True}, {"past_trauma": "prefer_not_to_say"}, True),
    ({"question": "inflammation_markers", "one_of": ["elevated", "unsure"]}, {"inflammation_markers": "unsure"}, True),
    ({"question": "family_history", "includes_any": ["fibromyalgia"]}, {"family_history": ["unsure"]}, False),
]


def normal(answers: dict[str, object]) -> dict[str, object]:
    return {k: frozenset(v) if isinstance(v, list) else v for k, v in answers.items()}


@pytest.mark.parametrize(("data", "answers", "expected"), CASES)
def test_compiled_condition(ruleset, data, answers, expected) -> None:
    condition = parse_condition(ruleset, data)
    assert condition(normal(answers)) is expected


@pytest.mark.parametrize(("data", "answers", "expected"), CASES)
def test_trace_agrees_with_compiled_condition(ruleset, data, answers, expected) -> None:
    trace = parse_condition(ruleset, data).trace(normal(answers))
    assert trace.value is expected


@pytest.mark.parametrize(("data", "_answers", "_expected"), CASES)
def test_condition_round_trips_to_rule_format(ruleset, data, _answers, _expected) -> None:
    condition = parse_condition(ruleset, data)
    again = parse_condition(ruleset, condition.to_data())
    assert again.to_data() == condition.to_data()
    assert again.questions() == condition.questions()


def test_trace_reports_each_test_with_the_actual_answer(ruleset) -> None:
    condition = parse_condition(ruleset, {"all": [SLEEP_POOR, HIGH_STRESS]})
    trace = condition.trace({"sleep_quality": "poor", "stress_level": "low"})
    assert trace.text == "all of" and trace.value is False
    first, second = trace.children
    assert (first.text, first.actual, first.value) == ("sleep_quality equals poor", "poor", True)
    assert (second.text, second.actual, second.value) == ("stress_level is one of high, very_high", "low", False)


def test_supporting_answers_are_those_that_made_it_true(ruleset) -> None:
    condition = parse_condition(ruleset, {"any": [SLEEP_POOR, HIGH_STRESS]})
    assert condition.supporting({"sleep_quality": "poor", "stress_level": "low"}) == ["sleep_quality"]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"question": "nope", "equals": "x"}, "unknown question 'nope'"),
        ({"question": "sleep_quality", "equals": "awful"}, "'awful' is not an option of question 'sleep_quality'"),
        ({"question": "autoimmune", "equals": "lupus"}, "'autoimmune' is multiple choice, so 'equals' does not fit"),
        ({"question": "sleep_quality", "includes_any": ["poor"]}, "'sleep_quality' takes one answer"),
        ({"question": "sleep_quality"}, "needs exactly one operator"),
        ({"question": "sleep_quality", "equals": "poor", "one_of": ["poor"]}, "needs exactly one operator"),
        ({"all": [SLEEP_POOR], "question": "x"}, "'all' must stand alone"),
        ({"equals": "poor"}, "needs 'question: ID'"),
        (
            {"question": "sensitivities", "includes_at_least": {"count": 3, "of": ["light", "noise"]}},
            "can never be true",
        ),
    ],
)
def test_bad_conditions_are_refused(ruleset, data, fragment) -> None:
    with pytest.raises(RuleSetError) as info:
        parse_condition(ruleset, data)
    assert fragment in str(info.value)
