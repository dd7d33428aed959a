"""Walk the questionnaire's branching with answers an editor picks, for the author mode's live preview."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..answers import parse_answers
from ..engine import Assessment, assess
from ..flow import page_questions, visible_pages
from ..model import Page, Question, RuleSet

#: Form fields holding the editor's picks are named PICK + question id, apart from the edit's own fields.
PICK = "a-"


@dataclass(frozen=True, slots=True)
class ShownPage:
    """Hold one page of the walk: shown or hidden (and why), with each question and whether it is asked."""

    page: Page
    shown: bool
    questions: tuple[tuple[Question, bool], ...]
    why_hidden: str


@dataclass(frozen=True, slots=True)
class Walk:
    """Hold the whole walk: every page in order, the picks in force and the result they give."""

    pages: tuple[ShownPage, ...]
    picks: dict[str, str | frozenset[str]]
    result: Assessment


def picks_from_form(ruleset: RuleSet, form: Any) -> dict[str, str | frozenset[str]]:
    """Read the editor's picks from a form, keeping only answers the rule set accepts."""
    raw: dict[str, object] = {}
    for qid, question in ruleset.questions.items():
        chosen = [v for v in form.getlist(PICK + qid) if v]
        if chosen:
            raw[qid] = chosen if question.multiple else chosen[0]
    answers, problems = parse_answers(ruleset.questions, raw, ruleset.retired)
    for problem in problems:  # drop what does not fit (a value removed by the edit), keep the rest
        if problem.question:
            raw.pop(problem.question, None)
    answers, _ = parse_answers(ruleset.questions, raw, ruleset.retired)
    return answers


def walk(ruleset: RuleSet, picks: dict[str, str | frozenset[str]]) -> Walk:
    """Follow the branching page by page, the way a person with these answers would see it."""
    shown_ids = {p.id for p in visible_pages(ruleset, picks)}
    pages = []
    for page in ruleset.pages:
        if page.id not in shown_ids:
            why = describe(ruleset, page.show_if.to_data()) if page.show_if is not None else "an ending came first"
            pages.append(ShownPage(page, False, (), why))
            continue
        asked = {q.id for q in page_questions(ruleset, page, picks)}
        pages.append(ShownPage(page, True, tuple((q, q.id in asked) for q in page.questions), ""))
    return Walk(tuple(pages), picks, assess(ruleset, picks))


def label(ruleset: RuleSet, qid: str, value: str) -> str:
    """Return an option's label, or the value itself when the question or option is unknown."""
    question = ruleset.questions.get(qid)
    option = next((o for o in question.options if o.value == value), None) if question else None
    return option.label if option else value


_WORDS = {"equals": "is", "one_of": "is one of", "includes_any": "includes any of", "includes_all": "includes all of"}


def describe(ruleset: RuleSet, data: Any) -> str:
    """Say a condition in words, with question short names and option labels."""
    if not isinstance(data, dict):
        return str(data)
    for combinator, joiner in (("all", " and "), ("any", " or ")):
        if combinator in data:
            return "(" + joiner.join(describe(ruleset, part) for part in data[combinator]) + ")"
    if "not" in data:
        return f"not {describe(ruleset, data['not'])}"
    if "score" in data:
        return f"the score {data['score']} is at least {data['at_least']}"
    qid = data.get("question", "")
    question = ruleset.questions.get(qid)
    name = f"‘{question.short}’" if question else qid
    op = next((k for k in data if k != "question"), "")
    value = data.get(op)
    if op == "answered":
        return f"{name} is {'answered' if value else 'not answered'}"
    if op == "includes_at_least":
        listed = ", ".join(label(ruleset, qid, v) for v in value.get("of") or [])
        return f"{name} includes at least {value['count']} of: {listed}"
    values = value if isinstance(value, list) else [value]
    words = {
        "equals": "is",
        "one_of": "is one of",
        "includes_any": "includes any of",
        "includes_all": "includes all of",
    }
    return f"{name} {words.get(op, op)}: {', '.join(label(ruleset, qid, str(v)) for v in values)}"
