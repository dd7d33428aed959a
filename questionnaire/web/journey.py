"""Decide where a person goes next and describe their answers: shared by the pages, results and summary."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext

from ..conditions import Condition
from ..flow import Path
from ..highlights import answer_words
from ..model import TIERS, Answers, Page, Question, RuleSet, UrgentNotice
from . import state


def where_to_go(path: Path) -> str:
    """Return the address of the first page still to answer, the ending, or the check page."""
    if path.first_unanswered is not None:
        return url_for("pages.question_page", page_id=path.first_unanswered.id)
    if path.ending is not None:
        return url_for("pages.ended")
    return url_for("pages.check")


def pending_urgent(path: Path) -> list[UrgentNotice]:
    """Return the notices that stop the questionnaire (emergency, today, crisis) and were not shown yet."""
    seen = state.acknowledged()
    found = [n for n in path.ruleset.urgent if n.interrupts and n.id not in seen and n.when.compiled(path.answers)]
    return sorted(found, key=lambda n: (not n.crisis, TIERS.index(n.tier)))


def change_page(ruleset: RuleSet, condition: Condition, answers: Answers) -> Page | None:
    """Return the page to go back to when an answer was given by mistake: the latest page the condition reads."""
    pages = [ruleset.page(ruleset.questions[q].page_id) for q in condition.questions() if q in answers]
    found = [p for p in pages if p is not None]
    return max(found, key=lambda p: p.index) if found else None


def answer_sections(path: Path, *, brief: bool = False) -> list[tuple[Page, list[tuple[Question, str]]]]:
    """Return each shown page with its questions and the answers in words (brief: without patient examples)."""
    sections = []
    for page in path.pages:
        rows = []
        for question in path.questions(page):
            value = path.answers.get(question.id)
            words = gettext("Not answered") if value is None else answer_words(question, value, brief=brief)
            rows.append((question, words))
        sections.append((page, rows))
    return sections
