"""The generated visibility walk (used by assess) and the page-by-page walk (used by the web flow) agree."""

from __future__ import annotations

import random

import pytest

from bench.profiles import random_profile
from questionnaire import flow
from questionnaire.answers import parse_answers
from questionnaire.loader import load_ruleset


def interpreted(ruleset, answers):
    """Return shown answers and unanswered shown questions from the page-by-page walk."""
    shown = flow.visible_questions(ruleset, answers)
    kept = {q.id: answers[q.id] for q in shown if q.id in answers}
    return kept, [q.id for q in shown if q.id not in answers]


def generated(ruleset, answers):
    kept, missing = flow.visible_answers_and_unanswered(ruleset, answers)
    return kept, [q.id for q in missing]


def agree(ruleset, count: int) -> int:
    rng = random.Random(20261122)  # noqa: S311 - a fixed seed for repeatable test data
    hidden = 0
    for _ in range(count):
        raw = random_profile(ruleset, rng)
        for qid in list(raw):
            if rng.random() < 0.3:
                del raw[qid]  # leave some questions unanswered too
        answers, problems = parse_answers(ruleset.questions, raw, ruleset.retired)
        assert not problems
        expected = interpreted(ruleset, answers)
        assert generated(ruleset, answers) == expected, answers
        hidden += len(answers) != len(expected[0])
    return hidden


def test_walks_agree_on_the_default_rules(ruleset) -> None:
    assert agree(ruleset, 400) > 0  # some profiles had answers on hidden pages


@pytest.mark.parametrize(
    "show_if",
    [
        "{question: age_band, one_of: [50_59, 60_plus]}",
        "{all: [{question: stress_level, answered: true}, {not: {question: stress_level, equals: low}}]}",
        "{any: [{question: conditions, includes_any: [migraine]}, {question: sensitivities, includes_at_least: {count: 2}}]}",
    ],
)
def test_walks_agree_with_question_level_show_if(rules_copy, show_if) -> None:
    # A question-level show_if on a question of a page shown to everyone takes the other branch of both walks.
    anchor = "      - id: onset_after_infection\n"
    rules_copy.replace("questions.yaml", anchor, f"{anchor}        show_if: {show_if}\n")
    ruleset = load_ruleset(rules_copy.dir)
    assert ruleset.questions["onset_after_infection"].show_if is not None
    assert agree(ruleset, 300) > 0
