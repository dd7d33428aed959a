"""The results page, the note for the clinician, and the one-page summary on screen and as a PDF."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response as BaseResponse

from ..engine import Assessment, Reason, assess
from ..flow import Path
from ..highlights import answer_words, appointment_questions, key_facts, main_topics
from ..model import Page, RuleSet, Score
from . import state
from .answerstore import NOTE_LIMIT
from .errors import render_error
from .journey import answer_sections, pending_urgent
from .language import long_date
from .pdf import PdfUnavailable, render_pdf
from .state import current_region

results = Blueprint("results", __name__)


def complete_assessment() -> Assessment | BaseResponse:
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
    """Show urgent notices first, then the main topics, questions to ask and what helps most people."""
    outcome = complete_assessment()
    if not isinstance(outcome, Assessment):
        return outcome
    return _results(outcome)


def _results(result: Assessment, note: str | None = None, error: str | None = None) -> str:
    return render_template(
        "results.html",
        ruleset=result.ruleset,
        result=result,
        cards=main_topics(result),
        questions=appointment_questions(result),
        note=state.note() if note is None else note,
        note_limit=NOTE_LIMIT,
        note_error=error,
    )


@results.post("/results/note")
def save_note() -> BaseResponse | tuple[str, int]:
    """Keep what the person most wants to discuss, for the top of their summary."""
    outcome = complete_assessment()
    if not isinstance(outcome, Assessment):
        return outcome
    text = " ".join(request.form.get("note", "").split())
    if len(text) > NOTE_LIMIT:
        error = gettext("Write %(limit)d characters or fewer. You wrote %(count)d.", limit=NOTE_LIMIT, count=len(text))
        return _results(outcome, note=text, error=error), 400
    state.save_note(text)
    return redirect(url_for("results.results_page", _anchor="take-it-with-you"), 303)


def summary_context(
    result: Assessment, *, pdf: bool = False, when: date | None = None, note: str | None = None
) -> dict[str, Any]:
    """Return what summary.html needs (also for a clinic's copy of a sent summary: its day and note)."""
    day = when or date.today()
    return {
        "ruleset": result.ruleset,
        "result": result,
        "today": long_date(day),
        "sections": _other_answers(result),
        "screening": screening(result),
        "facts": key_facts(result),
        "questions": appointment_questions(result),
        "basis": basis(result),
        "note": state.note() if note is None else note,
        "pdf": pdf,
    }


def _summary_html(result: Assessment, *, pdf: bool = False) -> str:
    return render_template("summary.html", **summary_context(result, pdf=pdf))


@results.get("/summary")
def summary() -> BaseResponse | str:
    """Show one printable page for a clinician."""
    outcome = complete_assessment()
    if not isinstance(outcome, Assessment):
        return outcome
    return _summary_html(outcome)


@results.get("/summary.pdf")
def summary_pdf() -> BaseResponse | tuple[str | dict[str, object], int]:
    """Return the clinician summary as a tagged PDF, rendered here from the same template."""
    outcome = complete_assessment()
    if not isinstance(outcome, Assessment):
        return outcome
    paper = request.args.get("paper") or ("letter" if current_region().id in LETTER_REGIONS else "a4")
    if paper not in ("a4", "letter"):
        paper = "a4"
    try:
        data = render_pdf(_summary_html(outcome, pdf=True), paper)
    except PdfUnavailable:
        return render_error(503, gettext("This server cannot make PDFs yet. Use Print on the summary page instead."))
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = 'attachment; filename="summary-for-your-clinician.pdf"'
    return response


#: Where Letter paper is the usual size; everywhere else gets A4.
LETTER_REGIONS = frozenset({"us", "ca"})


def _facts(ruleset: RuleSet, reasons: list[Reason]) -> str:
    """Return the answers behind some reasons, each question once, as "Short name: answer"."""
    chosen: dict[str, str | frozenset[str]] = {}
    for reason in reasons:
        for qid, value in reason.answers.items():
            chosen.setdefault(qid, value if isinstance(value, str) else frozenset(value))
    questions = ruleset.questions
    return "; ".join(f"{questions[q].short}: {answer_words(questions[q], v)}" for q, v in chosen.items())


def _other_answers(result: Assessment) -> list[tuple[Page, list[tuple[list[str], str]]]]:
    """Return the answers by page, leaving out the key facts; questions with the same answer share a row.

    A page of warning signs answered "No" becomes one row naming them all, so the page stays one page.
    """
    rs = result.ruleset
    # Key facts and the questions behind the screening scores are in the key-facts box already.
    shown = set(rs.key_facts) | {q for sid in result.scores for q in rs.scores[sid].questions}
    sections = []
    for page, rows in answer_sections(Path.of(result.ruleset, result.answers), brief=True):
        same: dict[str, list[str]] = {}
        for question, words in rows:
            if question.id not in shown:
                same.setdefault(words, []).append(question.short)
        if same:
            sections.append((page, [(names, words) for words, names in same.items()]))
    return sections


def _questions(ruleset: RuleSet, reasons: list[Reason]) -> str:
    """Return the short names of the questions behind some reasons, each once (the answers are listed below)."""
    names = dict.fromkeys(ruleset.questions[q].short for reason in reasons for q in reason.answers)
    return "; ".join(names)


def basis(result: Assessment) -> dict[str, str]:
    """Return, per urgent notice, the answers behind it, and per topic, the questions behind it."""
    rs = result.ruleset
    found = {m.notice.id: _facts(rs, [m.reason]) for m in result.urgent}
    found.update({m.category.id: _questions(rs, m.reasons) for m in result.categories})
    return found


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
