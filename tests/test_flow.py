"""The path through the pages: one walk gives the pages, answers, unanswered questions and ending."""

from __future__ import annotations

import random

import pytest

from bench.profiles import random_profile
from questionnaire.answers import parse_answers
from questionnaire.flow import Path
from questionnaire.loader import load_ruleset


def reference(ruleset, answers):
    """Walk the pages the plain way, straight from the definitions, as a person reading them would."""
    kept, pages, missing = {}, [], []
    for page in ruleset.pages:
        if page.show_if is not None and not page.show_if(kept):
            continue
        shown = [q for q in page.questions if q.show_if is None or q.show_if(kept)]
        if not shown:
            continue
        for question in shown:
            if question.id in answers:
                kept[question.id] = answers[question.id]
            else:
                missing.append(question.id)
        pages.append(page.id)
        ended = next((e for e in ruleset.endings if e.when(kept)), None)
        if ended is not None:
            return kept, pages, missing, ended.id
    return kept, pages, missing, None


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
        path = Path.of(ruleset, answers)
        got = (
            path.answers,
            [p.id for p in path.pages],
            [q.id for q in path.unanswered],
            path.ending and path.ending.id,
        )
        expected = reference(ruleset, answers)
        assert got == expected, answers
        assert list(path.answers) == [q for q in ruleset.questions if q in path.answers]  # page order
        hidden += len(answers) != len(expected[0])
    return hidden


def test_path_agrees_with_a_plain_walk_on_the_default_rules(ruleset) -> None:
    assert agree(ruleset, 400) > 0  # some profiles had answers on hidden pages


def test_path_agrees_with_a_plain_walk_on_the_mini_rules(mini_rules) -> None:
    assert agree(load_ruleset(mini_rules.dir), 200) > 0  # the under-18 ending hid later pages


@pytest.mark.parametrize(
    "show_if",
    [
        "{question: mood_low, one_of: [more_than_half, nearly_every_day]}",
        "{all: [{question: age_band, answered: true}, {not: {question: age_band, equals: under_18}}]}",
        "{any: [{question: mood_low, equals: not_at_all}, {question: mood_interest, answered: false}]}",
    ],
)
def test_path_agrees_with_question_level_show_if(mini_rules, show_if) -> None:
    mini_rules.replace(
        "questions.yaml", "      - id: soon_flag\n", f"      - id: soon_flag\n        show_if: {show_if}\n"
    )
    ruleset = load_ruleset(mini_rules.dir)
    assert ruleset.questions["soon_flag"].show_if is not None
    agree(ruleset, 300)


def test_path_moves_between_pages_and_counts_progress(mini_rules) -> None:
    ruleset = load_ruleset(mini_rules.dir)
    about, mood, signs, _habits = ruleset.pages
    path = Path.of(ruleset, {"age_band": "adult"})
    assert path.first_unanswered == mood and not path.complete
    assert path.next(about) == mood and path.previous(mood) == about and path.previous(about) is None
    assert path.progress(signs) == (3, 4)
    assert path.may_open(mood) and not path.may_open(signs)
    assert path.questions(mood) == mood.questions
    young = Path.of(ruleset, {"age_band": "under_18", "mood_low": "not_at_all"})
    assert [p.id for p in young.pages] == ["about"] and young.ending.id == "under-18"
    assert young.answers == {"age_band": "under_18"} and young.complete
    assert young.next(about) is None and not young.may_open(mood) and young.questions(mood) == ()
