"""The question pages: start, one page per group, the urgent exit, and check your answers."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from .. import flow
from ..conditions import Condition
from ..engine import assess
from ..highlights import answer_words
from ..model import TIERS, Page, Question, RuleSet, UrgentNotice
from . import answerstore as answers_session
from .forms import FormFactory
from .state import rules

pages = Blueprint("pages", __name__)
forms = FormFactory()
CONTROL_FIELDS = frozenset({"csrf_token"})


def _page_or_404(ruleset: RuleSet, page_id: str) -> Page:
    page = ruleset.page(page_id)
    if page is None:
        abort(404)
    return page


def _progress(ruleset: RuleSet, answers: dict[str, Any], page: Page) -> tuple[int, int]:
    shown = flow.visible_pages(ruleset, answers)
    ids = [p.id for p in shown]
    return (ids.index(page.id) + 1 if page.id in ids else 1), len(shown)


def _where_to_go(ruleset: RuleSet, answers: dict[str, Any]) -> str:
    page = flow.first_incomplete_page(ruleset, answers)
    if page is not None:
        return url_for("pages.question_page", page_id=page.id)
    if flow.ending(ruleset, answers) is not None:
        return url_for("pages.ended")
    return url_for("pages.check")


def pending_urgent(ruleset: RuleSet, answers: dict[str, Any]) -> list[UrgentNotice]:
    """Return the notices that stop the questionnaire (emergency, today, crisis) and were not shown yet."""
    seen = answers_session.acknowledged()
    shown = flow.visible_answers(ruleset, answers)
    found = [n for n in ruleset.urgent if n.interrupts and n.id not in seen and n.when.compiled(shown)]
    return sorted(found, key=lambda n: (not n.crisis, TIERS.index(n.tier)))


def change_page(ruleset: RuleSet, condition: Condition, answers: dict[str, Any]) -> Page | None:
    """Return the page to go back to when an answer was given by mistake: the latest page the condition reads."""
    pages = [ruleset.page(ruleset.questions[q].page_id) for q in condition.questions() if q in answers]
    found = [p for p in pages if p is not None]
    return max(found, key=lambda p: p.index) if found else None


@pages.get("/")
def start() -> str:
    """Show what this is, who it is for, and how answers are handled."""
    ruleset = rules()
    answers = answers_session.stored_answers(ruleset)
    return render_template(
        "start.html",
        ruleset=ruleset,
        has_answers=bool(answers),
        continue_url=_where_to_go(ruleset, answers),
        pages=len(ruleset.pages),
    )


@pages.post("/restart")
def restart() -> BaseResponse:
    """Forget every answer and go back to the start."""
    answers_session.clear()
    return redirect(url_for("pages.start"), code=303)


def _render_page(
    ruleset: RuleSet,
    page: Page,
    questions: list[Question],
    form: Any,
    answers: dict[str, Any],
    status: int = 200,
    extra_errors: list[str] | None = None,
) -> tuple[str, int]:
    step, total = _progress(ruleset, answers, page)
    returning = request.args.get("return") == "check"
    previous = flow.previous_page(ruleset, answers, page)
    if returning:
        back = url_for("pages.check")
    elif previous is not None:
        back = url_for("pages.question_page", page_id=previous.id)
    else:
        back = url_for("pages.start")
    html = render_template(
        "question.html",
        ruleset=ruleset,
        page=page,
        questions=questions,
        form=form,
        step=step,
        total=total,
        back=back,
        returning=returning,
        extra_errors=extra_errors or [],
    )
    return html, status


@pages.get("/questions/<page_id>")
def question_page(page_id: str) -> BaseResponse | tuple[str, int]:
    """Show one page of questions with the answers already given."""
    ruleset = rules()
    page = _page_or_404(ruleset, page_id)
    answers = answers_session.stored_answers(ruleset)
    questions = flow.page_questions(ruleset, page, answers)
    if not questions or not _reachable(ruleset, answers, page):
        return redirect(_where_to_go(ruleset, answers))
    data = {
        q.id: (answers[q.id] if isinstance(answers[q.id], str) else sorted(answers[q.id]))
        for q in questions
        if q.id in answers
    }
    form = forms.form_class(ruleset, page, questions)(formdata=None, data=data)
    return _render_page(ruleset, page, questions, form, answers)


def _reachable(ruleset: RuleSet, answers: dict[str, Any], page: Page) -> bool:
    """Tell whether every shown page before this one is complete."""
    first = flow.first_incomplete_page(ruleset, answers)
    return first is None or page.index <= first.index


@pages.post("/questions/<page_id>")
def answer_page(page_id: str) -> BaseResponse | tuple[str, int]:
    """Check and save one page of answers, then go to the next page."""
    ruleset = rules()
    page = _page_or_404(ruleset, page_id)
    answers = answers_session.stored_answers(ruleset)
    questions = flow.page_questions(ruleset, page, answers)
    if not questions or not _reachable(ruleset, answers, page):
        return render_template("out_of_order.html", ruleset=ruleset, next_url=_where_to_go(ruleset, answers)), 409
    form = forms.form_class(ruleset, page, questions)()
    allowed = {q.id for q in questions} | CONTROL_FIELDS
    unknown = sorted(k for k in request.form if k not in allowed)
    if unknown or not form.validate():
        extra = (
            ["The form had an answer this page does not ask for. Check your answers and try again."] if unknown else []
        )
        return _render_page(ruleset, page, questions, form, answers, status=400, extra_errors=extra)
    for question in questions:
        value = form[question.id].data
        if value in (None, "", []):
            answers.pop(question.id, None)
        else:
            answers[question.id] = value if isinstance(value, str) else frozenset(value)
    answers = flow.visible_answers(ruleset, answers)  # a changed answer may hide later pages: drop their answers
    answers_session.save_answers(ruleset, answers)
    if pending_urgent(ruleset, answers):
        return redirect(url_for("pages.urgent", **({"return": "check"} if request.args.get("return") else {})), 303)
    if request.args.get("return") == "check":
        target = flow.first_incomplete_page(ruleset, answers)
        if target is None:
            return redirect(url_for("pages.check"), 303)
        return redirect(url_for("pages.question_page", page_id=target.id, **{"return": "check"}), 303)
    following = flow.next_page(ruleset, answers, page)
    if following is not None and _reachable(ruleset, answers, following):
        return redirect(url_for("pages.question_page", page_id=following.id), 303)
    return redirect(_where_to_go(ruleset, answers), 303)


@pages.get("/urgent")
def urgent() -> BaseResponse | str:
    """Show what to do now when a warning sign that cannot wait was reported."""
    ruleset = rules()
    answers = answers_session.stored_answers(ruleset)
    notices = pending_urgent(ruleset, answers)
    if not notices:
        return redirect(_where_to_go(ruleset, answers))
    # The reasons as the results page words them, with the person's own answers filled in.
    reasons = {m.notice.id: m.reason.text for m in assess(ruleset, answers).urgent}
    changes = [(n, reasons.get(n.id, ""), change_page(ruleset, n.when, answers)) for n in notices]
    return render_template(
        "urgent.html",
        ruleset=ruleset,
        notices=changes,
        tier=min((n.tier for n in notices), key=TIERS.index),
        crisis=any(n.crisis for n in notices),
        returning=request.args.get("return") == "check",
    )


@pages.post("/urgent")
def continue_after_urgent() -> BaseResponse:
    """Carry on with the questionnaire after reading the urgent notice."""
    ruleset = rules()
    answers = answers_session.stored_answers(ruleset)
    answers_session.acknowledge([n.id for n in pending_urgent(ruleset, answers)])
    return redirect(_where_to_go(ruleset, answers), 303)


@pages.get("/ended")
def ended() -> BaseResponse | str:
    """Say kindly why the questionnaire stops here, and where to find help instead."""
    ruleset = rules()
    answers = answers_session.stored_answers(ruleset)
    found = flow.ending(ruleset, answers)
    if found is None:
        return redirect(_where_to_go(ruleset, answers))
    return render_template(
        "ended.html", ruleset=ruleset, ending=found, change=change_page(ruleset, found.when, answers)
    )


@pages.get("/check")
def check() -> BaseResponse | str:
    """List every shown answer with a link to change it."""
    ruleset = rules()
    answers = answers_session.stored_answers(ruleset)
    if flow.first_incomplete_page(ruleset, answers) is not None or flow.ending(ruleset, answers) is not None:
        return redirect(_where_to_go(ruleset, answers))
    if pending_urgent(ruleset, answers):
        return redirect(url_for("pages.urgent"))
    return render_template("check.html", ruleset=ruleset, sections=answer_sections(ruleset, answers))


def answer_sections(ruleset: RuleSet, answers: dict[str, Any]) -> list[tuple[Page, list[tuple[Question, str]]]]:
    """Return each shown page with its questions and the answers in words."""
    sections = []
    for page in flow.visible_pages(ruleset, answers):
        rows = []
        for question in flow.page_questions(ruleset, page, answers):
            value = answers.get(question.id)
            rows.append((question, "Not answered" if value is None else answer_words(question, value)))
        sections.append((page, rows))
    return sections
