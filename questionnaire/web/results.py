"""The results page and the one-page clinician summary."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, redirect, render_template, url_for
from werkzeug.wrappers import Response as BaseResponse

from .. import flow
from ..engine import Assessment, assess
from ..model import Score
from . import answerstore as answers_session
from .pages import answer_sections, answer_words, pending_urgent
from .state import rules

results = Blueprint("results", __name__)


def complete_assessment() -> Assessment | BaseResponse:
    """Re-validate every answer and assess them, or send the person to what is still missing."""
    ruleset = rules()
    answers = answers_session.stored_answers(ruleset)
    page = flow.first_incomplete_page(ruleset, answers)
    if page is not None:
        return redirect(url_for("pages.question_page", page_id=page.id))
    if flow.ending(ruleset, answers) is not None:
        return redirect(url_for("pages.ended"))
    if pending_urgent(ruleset, answers):
        return redirect(url_for("pages.urgent"))
    return assess(ruleset, answers)


@results.get("/results")
def results_page() -> BaseResponse | str:
    """Show urgent notices first, then the matched categories with their reasons."""
    outcome = complete_assessment()
    if not isinstance(outcome, Assessment):
        return outcome
    return render_template("results.html", ruleset=outcome.ruleset, result=outcome)


@results.get("/summary")
def summary() -> BaseResponse | str:
    """Show one printable page for a clinician."""
    outcome = complete_assessment()
    if not isinstance(outcome, Assessment):
        return outcome
    today = date.today()
    return render_template(
        "summary.html",
        ruleset=outcome.ruleset,
        result=outcome,
        today=f"{today.day} {today:%B %Y}",
        sections=answer_sections(outcome.ruleset, outcome.answers),
        screening=screening(outcome),
    )


def screening(result: Assessment) -> list[tuple[Score, int, str]]:
    """Return each score worked out, its total and the answers behind it in words, for the clinician."""
    rs = result.ruleset
    rows = []
    for sid, total in result.scores.items():
        score = rs.scores[sid]
        words = "; ".join(
            f"{rs.questions[q].short}: {answer_words(rs.questions[q], result.answers[q])}" for q in score.questions
        )
        rows.append((score, total, words))
    return rows
