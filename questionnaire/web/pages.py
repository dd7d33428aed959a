"""Serve the question pages: start, one page per group, the urgent exit, the ending, and check your answers."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response as BaseResponse

from ..engine import assess
from ..flow import Path
from ..model import TIERS, Page, Question, RuleSet
from . import state
from .answerstore import KEEP_CHOICES
from .forms import ShownForm
from .journey import answer_sections, change_page, pending_urgent, where_to_go

pages = Blueprint("pages", __name__)
CONTROL_FIELDS = frozenset({"csrf_token"})


def _page_or_404(ruleset: RuleSet, page_id: str) -> Page:
    page = ruleset.page(page_id)
    if page is None:
        abort(404)
    return page


def _returning() -> bool:
    return request.args.get("return") == "check"


@pages.get("/")
def start() -> str:
    """Show what this is, who it is for, and how answers are handled."""
    ruleset, path = state.rules(), state.path()
    return render_template(
        "start.html",
        ruleset=ruleset,
        has_answers=bool(path.answers),
        continue_url=where_to_go(path),
        pages=len(ruleset.pages),
        keep=state.keep(),
    )


@pages.post("/keep")
def keep_answers() -> BaseResponse | tuple[str, int]:
    """Remember how long this device keeps the answers, as the person chose on the start page."""
    choice = request.form.get("keep", "")
    if choice not in KEEP_CHOICES:
        abort(400)
    state.save_keep(choice)
    return redirect(url_for("pages.start", _anchor="your-answers"), code=303)


@pages.post("/restart")
def restart() -> BaseResponse:
    """Forget every answer and go back to the start."""
    state.forget()
    return redirect(url_for("pages.start"), code=303)


def _render_page(
    path: Path,
    page: Page,
    questions: tuple[Question, ...],
    form: Any,
    status: int = 200,
    extra_errors: list[str] | None = None,
) -> tuple[str, int]:
    step, _ = path.progress(page)
    later, later_questions = path.still_possible(page)
    returning = _returning()
    previous = path.previous(page)
    if returning:
        back = url_for("pages.check")
    elif previous is not None:
        back = url_for("pages.question_page", page_id=previous.id)
    else:
        back = url_for("pages.start")
    html = render_template(
        "question.html",
        ruleset=path.ruleset,
        page=page,
        questions=questions,
        form=form,
        step=step,
        up_to=step + len(later),
        questions_left=len(questions) + later_questions,
        next_section=later[0].title if later else None,
        back=back,
        returning=returning,
        extra_errors=extra_errors or [],
    )
    return html, status


@pages.get("/questions/<page_id>")
def question_page(page_id: str) -> BaseResponse | tuple[str, int]:
    """Show one page of questions with the answers already given."""
    ruleset = state.rules()
    page = _page_or_404(ruleset, page_id)
    path = state.path()
    if not path.may_open(page):
        return redirect(where_to_go(path))
    questions = path.questions(page)
    answers = path.answers
    data = {
        q.id: (answers[q.id] if isinstance(answers[q.id], str) else sorted(answers[q.id]))
        for q in questions
        if q.id in answers
    }
    return _render_page(path, page, questions, ShownForm(questions, data))


@pages.post("/questions/<page_id>")
def answer_page(page_id: str) -> BaseResponse | tuple[str, int]:
    """Check and save one page of answers, then go to the next page."""
    ruleset = state.rules()
    page = _page_or_404(ruleset, page_id)
    path = state.path()
    if not path.may_open(page):
        return render_template("out_of_order.html", ruleset=ruleset, next_url=where_to_go(path)), 409
    questions = path.questions(page)
    form = state.holder().forms.form_class(ruleset, page, questions)()
    allowed = {q.id for q in questions} | CONTROL_FIELDS
    unknown = sorted(k for k in request.form if k not in allowed)
    if unknown or not form.validate():
        problem = gettext("The form had an answer this page does not ask for. Check your answers and try again.")
        extra = [problem] if unknown else []
        return _render_page(path, page, questions, form, status=400, extra_errors=extra)
    answers = dict(path.answers)
    for question in questions:
        value = form[question.id].data
        if value in (None, "", []):
            answers.pop(question.id, None)
        else:
            answers[question.id] = value if isinstance(value, str) else frozenset(value)
    path = state.save(answers)  # a changed answer may hide later pages: their answers are dropped
    if pending_urgent(path):
        return redirect(url_for("pages.urgent", **({"return": "check"} if request.args.get("return") else {})), 303)
    if _returning():
        target = path.first_unanswered
        if target is None:
            return redirect(url_for("pages.check"), 303)
        return redirect(url_for("pages.question_page", page_id=target.id, **{"return": "check"}), 303)
    following = path.next(page)
    if following is not None and path.may_open(following):
        return redirect(url_for("pages.question_page", page_id=following.id), 303)
    return redirect(where_to_go(path), 303)


@pages.get("/urgent")
def urgent() -> BaseResponse | str:
    """Show what to do now when a warning sign that cannot wait was reported."""
    ruleset, path = state.rules(), state.path()
    notices = pending_urgent(path)
    if not notices:
        return redirect(where_to_go(path))
    # The reasons as the results page words them, with the person's own answers filled in.
    reasons = {m.notice.id: m.reason.text for m in assess(ruleset, path.answers, path=path).urgent}
    changes = [(n, reasons.get(n.id, ""), change_page(ruleset, n.when, path.answers)) for n in notices]
    return render_template(
        "urgent.html",
        ruleset=ruleset,
        notices=changes,
        tier=min((n.tier for n in notices), key=TIERS.index),
        crisis=any(n.crisis for n in notices),
        returning=_returning(),
    )


@pages.post("/urgent")
def continue_after_urgent() -> BaseResponse:
    """Carry on with the questionnaire after reading the urgent notice."""
    path = state.path()
    state.acknowledge([n.id for n in pending_urgent(path)])
    return redirect(where_to_go(path), 303)


@pages.get("/ended")
def ended() -> BaseResponse | str:
    """Say kindly why the questionnaire stops here, and where to find help instead."""
    ruleset, path = state.rules(), state.path()
    if path.ending is None:
        return redirect(where_to_go(path))
    change = change_page(ruleset, path.ending.when, path.answers)
    return render_template("ended.html", ruleset=ruleset, ending=path.ending, change=change)


@pages.get("/check")
def check() -> BaseResponse | str:
    """List every shown answer with a link to change it."""
    ruleset, path = state.rules(), state.path()
    if not path.complete or path.ending is not None:
        return redirect(where_to_go(path))
    if pending_urgent(path):
        return redirect(url_for("pages.urgent"))
    return render_template("check.html", ruleset=ruleset, sections=answer_sections(path))
