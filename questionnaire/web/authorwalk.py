"""Walk the questionnaire's branching with answers an editor picks, for the author mode's live preview."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext, lazy_gettext, pgettext

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
            if page.show_if is not None:
                why = describe(ruleset, page.show_if.to_data())
            else:
                why = gettext("an ending came first")
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


#: How each test is said, with a question's name and the answers it looks for ("‘Mood’ is one of: Low, Very low").
_SAID = {
    "equals": lazy_gettext("%(question)s is: %(answers)s"),
    "one_of": lazy_gettext("%(question)s is one of: %(answers)s"),
    "includes_any": lazy_gettext("%(question)s includes any of: %(answers)s"),
    "includes_all": lazy_gettext("%(question)s includes all of: %(answers)s"),
}


def describe(ruleset: RuleSet, data: Any) -> str:
    """Say a condition in words, with question short names and option labels."""
    if not isinstance(data, dict):
        return str(data)
    for combinator in ("all", "any"):
        if combinator in data:
            word = (
                pgettext("between conditions", "and") if combinator == "all" else pgettext("between conditions", "or")
            )
            return "(" + f" {word} ".join(describe(ruleset, part) for part in data[combinator]) + ")"
    if "not" in data:
        return gettext("not %(condition)s", condition=describe(ruleset, data["not"]))
    if "score" in data:
        return gettext("the score %(score)s is at least %(least)s", score=data["score"], least=data["at_least"])
    qid = data.get("question", "")
    question = ruleset.questions.get(qid)
    name = f"‘{question.short}’" if question else qid
    op = next((k for k in data if k != "question"), "")
    value = data.get(op)
    if op == "answered":
        if value:
            return gettext("%(question)s is answered", question=name)
        return gettext("%(question)s is not answered", question=name)
    if op == "includes_at_least":
        listed = ", ".join(label(ruleset, qid, v) for v in value.get("of") or [])
        return gettext(
            "%(question)s includes at least %(count)s of: %(answers)s",
            question=name,
            count=value["count"],
            answers=listed,
        )
    values = value if isinstance(value, list) else [value]
    listed = ", ".join(label(ruleset, qid, str(v)) for v in values)
    if op not in _SAID:
        return f"{name} {op}: {listed}"
    return str(_SAID[op]) % {"question": name, "answers": listed}
