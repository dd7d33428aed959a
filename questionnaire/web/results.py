"""The results page and the one-page clinician summary."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, redirect, render_template, url_for
from werkzeug.wrappers import Response as BaseResponse

from ..engine import Assessment, assess
from ..model import Score
from . import state
from .journey import answer_sections, answer_words, pending_urgent

results = Blueprint("results", __name__)


def _complete_assessment() -> Assessment | BaseResponse:
    """Assess the person's answers on their path, or send them to what is still missing."""
    path = state.path()
    if path.first_unanswered is not None:
        return redirect(url_for("pages.question_page", page_id=path.first_unanswered.id))
    if path.ending is not None:
        return redirect(url_for("pages.ended"))
    if pending_urgent(path):
        return redirect(url_for("pages.urgent"))
    return assess(path.ruleset, path.answers, path=path)


@results.get("/results")
def results_page() -> BaseResponse | str:
    """Show urgent notices first, then the matched categories with their reasons."""
    outcome = _complete_assessment()
    if not isinstance(outcome, Assessment):
        return outcome
    return render_template("results.html", ruleset=outcome.ruleset, result=outcome)


@results.get("/summary")
def summary() -> BaseResponse | str:
    """Show one printable page for a clinician."""
    outcome = _complete_assessment()
    if not isinstance(outcome, Assessment):
        return outcome
    today = date.today()
    return render_template(
        "summary.html",
        ruleset=outcome.ruleset,
        result=outcome,
        today=f"{today.day} {today:%B %Y}",
        sections=answer_sections(state.path()),
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
