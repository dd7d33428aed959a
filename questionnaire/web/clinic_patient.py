"""The invited patient: open a clinic's link, answer into a server-side draft, then send it or not.

The link's token is checked once, on ``/i/<token>``; after that the session cookie carries only the
invitation's id, and every questionnaire page reads and writes the sealed draft through the answer
store seam (``answerstore.register_store_resolver``). Pages, checks and results are the anonymous
ones, unchanged.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, Flask, Response, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response as BaseResponse

from ..clinics import invitations as inv
from ..clinics.clock import now
from ..clinics.models import Draft, Invitation
from ..engine import Assessment
from ..flow import Path
from . import answerstore
from .answerstore import INVITATION, register_store_resolver, sessionless
from .clinicdb import clinics, commit, db
from .results import complete_assessment
from .state import rules

invite = Blueprint("invite", __name__)
#: Endpoints that find the invitation from the token in their URL, not from the session.
BY_TOKEN = frozenset({"invite.landing", "invite.bind"})


class DraftStore:
    """An answer store that keeps one invitation's answers sealed in the database."""

    def __init__(self, invitation: Invitation, draft: Draft | None) -> None:
        self.invitation = invitation
        self._row = draft
        self._data: dict[str, Any] | None = None

    def get(self) -> dict[str, Any]:
        """Return the draft (loaded with the invitation, opened once per request)."""
        if self._data is None:
            started = time.perf_counter()
            self._data = inv.open_draft(clinics().keys, self._row)
            _spent(started)
        return dict(self._data)

    def set(self, data: dict[str, Any]) -> None:
        """Seal and save the draft now; a failed write raises StorageError and the saved draft stays as it was."""
        started = time.perf_counter()
        inv.save_draft(db(), clinics().keys, self.invitation, data)
        commit()
        _spent(started)
        self._data = dict(data)

    def clear(self) -> None:
        """Delete the draft; the person stays on their invitation and can start again."""
        inv.delete_draft(db(), self.invitation.id)
        commit()
        self._data = {}


def _spent(started: float) -> None:
    """Add time spent on the draft (finding the invitation, opening, sealing, writing) for Server-Timing."""
    g.draft_seconds = g.get("draft_seconds", 0.0) + time.perf_counter() - started


def _draft_store() -> DraftStore | None:
    invitation = g.get("clinic_invitation")
    return DraftStore(invitation, g.get("clinic_draft")) if invitation is not None else None


def _closed(state: str) -> tuple[str, int]:
    """Render the page for a link that cannot be used, with its reason."""
    status = 404 if state == "unknown" else 410
    return render_template("clinic/link_closed.html", ruleset=rules(), state=state), status


def install(app: Flask) -> None:
    """Register the patient pages, the draft store and the check that binds a request to its invitation."""
    app.register_blueprint(invite)
    register_store_resolver(app, _draft_store)

    @app.before_request
    def bind_invitation() -> tuple[str, int] | None:
        if sessionless(request) or INVITATION not in session:
            return None
        if request.endpoint in BY_TOKEN or (request.blueprint or "").startswith("clinic"):
            return None
        started = time.perf_counter()
        try:
            g.clinic_invitation, g.clinic_draft = inv.open_with_draft(db(), session[INVITATION])
            _spent(started)
        except inv.NotOpen as closed:
            # Revoked, expired or sent meanwhile (perhaps on another device): this browser lets go of it.
            session.pop(INVITATION, None)
            return _closed(closed.state)
        return None

    if app.config["SERVER_TIMING"]:

        @app.after_request
        def server_timing(response: Response) -> Response:
            if "draft_seconds" in g:
                response.headers["Server-Timing"] = f"draft;dur={g.draft_seconds * 1000:.3f}"
            return response

    @app.context_processor
    def invitation_context() -> dict[str, Any]:
        return {"clinic_invitation": g.get("clinic_invitation")}


def _where_to_go() -> str:
    ruleset = rules()
    page = Path.of(ruleset, answerstore.stored_answers(ruleset)).first_unanswered
    return url_for("pages.question_page", page_id=page.id) if page else url_for("pages.check")


@invite.get("/i/<token>")
def landing(token: str) -> tuple[str, int] | str:
    """Say which clinic asked, what happens to the answers, and offer to start or carry on."""
    invitation = inv.find_by_token(db(), token)
    if invitation is None:
        return _closed("unknown")
    state = invitation.state(now())
    if state != "open":
        return _closed(state)
    has_draft = db().get(Draft, invitation.id) is not None
    return render_template(
        "clinic/landing.html", ruleset=rules(), invitation=invitation, token=token, has_draft=has_draft
    )


@invite.post("/i/<token>")
def bind(token: str) -> BaseResponse | tuple[str, int]:
    """Tie this browser to the invitation (by id; the token is not kept) and go to the next question."""
    invitation = inv.find_by_token(db(), token)
    if invitation is None:
        return _closed("unknown")
    state = invitation.state(now())
    if state != "open":
        return _closed(state)
    session[INVITATION] = invitation.id
    session.permanent = True
    g.clinic_invitation, g.clinic_draft = invitation, db().get(Draft, invitation.id)
    return redirect(_where_to_go(), 303)


def _bound() -> Invitation | None:
    return g.get("clinic_invitation")


def _consent_page(invitation: Invitation, status: int = 200, error: bool = False) -> tuple[str, int]:
    return (
        render_template("clinic/consent.html", ruleset=rules(), invitation=invitation, error=error),
        status,
    )


@invite.get("/i/send")
def consent() -> BaseResponse | tuple[str, int]:
    """Say what is sent to whom and for how long, and ask whether to send it."""
    invitation = _bound()
    if invitation is None:
        return redirect(url_for("pages.start"))
    outcome = complete_assessment()
    return _consent_page(invitation) if isinstance(outcome, Assessment) else outcome


@invite.post("/i/send")
def send() -> BaseResponse | tuple[str, int]:
    """Send the answers once, with consent; without the box ticked nothing is sent or stored."""
    invitation = _bound()
    if invitation is None:
        return redirect(url_for("pages.start"), 303)
    result = complete_assessment()  # unfinished, ended or an urgent notice not yet seen: go there first
    if not isinstance(result, Assessment):
        return result
    if request.form.get("consent") != "yes":
        return _consent_page(invitation, status=400, error=True)
    ruleset = result.ruleset
    data = answerstore.current_store().get()
    try:
        inv.submit(db(), clinics().keys, invitation, data, result.urgent_tier, ruleset.version)
    except inv.NotOpen as closed:
        session.pop(INVITATION, None)
        return _closed(closed.state)
    commit()
    session.pop(INVITATION, None)
    return render_template("clinic/sent.html", ruleset=ruleset, clinic=invitation.clinic), 200


@invite.post("/i/decline")
def decline() -> BaseResponse | tuple[str, int]:
    """Do not send: delete the draft from the server and let go of the invitation in this browser."""
    invitation = _bound()
    if invitation is None:
        return redirect(url_for("pages.start"), 303)
    inv.delete_draft(db(), invitation.id)
    commit()
    session.pop(INVITATION, None)
    return render_template("clinic/declined.html", ruleset=rules(), clinic=invitation.clinic), 200


@invite.post("/i/leave")
def leave() -> BaseResponse | tuple[str, int]:
    """Stop for now: the draft stays on the server; this browser forgets the invitation."""
    invitation = _bound()
    session.pop(INVITATION, None)
    if invitation is None:
        return redirect(url_for("pages.start"), 303)
    return render_template("clinic/left.html", ruleset=rules(), invitation=invitation), 200
