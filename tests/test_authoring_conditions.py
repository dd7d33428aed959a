"""check: rules, urgent notices and pages whose conditions can never be true, or are always true."""

from __future__ import annotations

from pathlib import Path

import pytest

from questionnaire.authoring.check import run_checks
from questionnaire.authoring.neverfires import judge
from questionnaire.loader import load_ruleset, parse_condition


def at(problems, name: str, line: int) -> list[tuple[str, str]]:
    """Return (severity, message) of every problem at one file:line."""
    return [(p.severity, p.message) for p in problems if Path(p.file).name == name and p.line == line]


# (old condition, new condition, expected message); each replaces a rule's one-line `when`.
NEVER = [
    (
        "when: {question: sleep_schedule, equals: irregular}",
        "when: {all: [{question: sleep_schedule, equals: irregular}, {question: sleep_schedule, equals: regular}]}",
        "rule 'sleep-irregular-schedule' can never fire: no answers to 'sleep_schedule' make its condition true",
    ),
    (
        "when: {question: autoimmune, includes_any: [rheumatoid_arthritis, lupus, other]}",
        "when: {all: [{question: autoimmune, includes_any: [lupus]}, {question: autoimmune, includes_any: [none]}]}",
        "rule 'immune-autoimmune-condition' can never fire: no answers to 'autoimmune' make its condition true",
    ),
    (
        "when: {question: family_history, includes_any: [fibromyalgia]}",
        "when: {question: family_history, includes_all: [fibromyalgia, unsure]}",
        "rule 'genetics-family-fibromyalgia' can never fire: no answers to 'family_history' make its condition true",
    ),
    (
        "when: {question: caffeine, equals: 3_plus}",
        "when: {all: [{question: caffeine, answered: false}, {question: caffeine, equals: 3_plus}]}",
        "rule 'lifestyle-caffeine' can never fire: no answers to 'caffeine' make its condition true",
    ),
    (
        "when: {question: headache_triggers, includes_any: [weather]}",
        "when: {all: [{question: headaches, equals: never}, {question: headache_triggers, includes_any: [weather]}]}",
        "rule 'migraine-weather-trigger' can never fire: it needs an answer to 'headache_triggers', "
        "but page 'headache_details' is hidden whenever the rest of its condition holds",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    NEVER,
    ids=["equals-twice", "exclusive", "includes-all-exclusive", "not-answered", "hidden-page"],
)
def test_a_rule_that_can_never_fire_is_an_error_at_its_condition(rules_copy, old, new, message) -> None:
    line = rules_copy.replace("rules.yaml", old, new)
    assert at(run_checks(rules_copy.dir), "rules.yaml", line) == [("error", message)]


def test_an_urgent_notice_that_can_never_show_is_an_error(rules_copy) -> None:
    line = rules_copy.replace(
        "urgent.yaml",
        'when: {question: sudden_severe_headache, equals: "yes"}',
        'when: {all: [{question: headaches, equals: never}, {question: sudden_severe_headache, equals: "yes"}]}',
    )
    assert at(run_checks(rules_copy.dir), "urgent.yaml", line) == [
        (
            "error",
            "urgent notice 'thunderclap-headache' can never show: it needs an answer to 'sudden_severe_headache', "
            "but page 'headache_warning_signs' is hidden whenever the rest of its condition holds",
        )
    ]


def test_a_page_that_is_never_shown_is_an_error_and_so_are_the_notices_reading_it(rules_copy) -> None:
    line = rules_copy.replace(
        "questions.yaml",
        "show_if: {question: headaches, one_of: [monthly_or_less, weekly, several_weekly, daily]}",
        "show_if: {all: [{question: headaches, equals: never}, {question: headaches, equals: daily}]}",
    )
    problems = run_checks(rules_copy.dir)
    assert at(problems, "questions.yaml", line) == [
        (
            "error",
            "page 'headache_warning_signs' is never shown: no answers to 'headaches' make its condition true",
        )
    ]
    notice_line = rules_copy.line_of("urgent.yaml", 'when: {question: neuro_symptoms, equals: "yes"}')
    assert at(problems, "urgent.yaml", notice_line) == [
        (
            "error",
            "urgent notice 'new-neurological-symptoms' can never show: it needs an answer to 'neuro_symptoms', "
            "but page 'headache_warning_signs' is hidden whenever the rest of its condition holds",
        )
    ]


def test_a_rule_that_fires_for_everyone_is_a_warning(rules_copy) -> None:
    line = rules_copy.replace(
        "rules.yaml",
        "when: {question: caffeine, equals: 3_plus}",
        "when: {any: [{question: caffeine, answered: true}, {question: caffeine, answered: false}]}",
    )
    assert at(run_checks(rules_copy.dir), "rules.yaml", line) == [
        (
            "warning",
            "rule 'lifestyle-caffeine' fires for everyone, whatever the answers, so it tells no one apart; "
            "narrow its condition",
        )
    ]


def test_a_condition_too_large_to_search_is_a_warning_not_a_hang(rules_copy) -> None:
    line = rules_copy.replace(
        "rules.yaml",
        "      question: conditions\n      includes_at_least: {count: 2, of: [ibs, migraine, chronic_fatigue, tmj]}",
        "      any:\n"
        "        - {question: conditions, includes_any: [ibs, migraine, chronic_fatigue, tmj, depression, anxiety]}\n"
        "        - {question: sensitivities, includes_any: [light, noise, smells, touch, medicines]}\n"
        "        - {question: headache_triggers, includes_any: [poor_sleep, stress, hormonal, caffeine, weather]}",
    )
    assert at(run_checks(rules_copy.dir), "rules.yaml", line) == [
        (
            "warning",
            "rule 'central-overlapping-conditions' was not checked for contradictions: its condition has more "
            "than 20,000 answer combinations; split it into simpler rules",
        )
    ]


def test_the_search_respects_exclusive_options_and_finds_satisfiable_combinations(ruleset) -> None:
    # 'unsure' is exclusive: with 'migraine' it can never be chosen, but either one alone can.
    impossible = parse_condition(ruleset, {"question": "family_history", "includes_all": ["unsure", "migraine"]})
    possible = parse_condition(
        ruleset,
        {
            "any": [
                {"question": "family_history", "includes_any": ["unsure"]},
                {"question": "family_history", "includes_any": ["migraine"]},
            ]
        },
    )
    assert not judge(ruleset, impossible).can_be_true
    assert judge(ruleset, possible).can_be_true
    assert judge(ruleset, possible).can_be_false


def test_the_default_content_has_no_condition_problems() -> None:
    problems = run_checks(Path(load_ruleset().source_dir))
    codes = {p.code for p in problems}
    assert not codes & {"never-true", "always-true", "not-checked", "unreached-category"}
