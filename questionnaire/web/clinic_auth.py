"""Clinician sign-in: Flask-Login sessions backed by a server-side row, argon2, and a rate limit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, Flask, current_app, redirect, render_template, request, session, url_for
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from werkzeug.wrappers import Response as BaseResponse

from ..clinics import accounts
from ..clinics.models import Clinician
from .clinicdb import clinics, commit, db
from .state import rules

auth = Blueprint("clinic_auth", __name__, url_prefix="/clinic")
login_manager = LoginManager()
F = TypeVar("F", bound=Callable[..., Any])


class SignedIn(UserMixin):
    """A signed-in clinician; the id Flask-Login keeps in the cookie is the session token, not the user id."""

    def __init__(self, clinician: Clinician, token: str) -> None:
        self.clinician = clinician
        self.token = token

    def get_id(self) -> str:
        """Return the session token (so signing out on the server ends this cookie everywhere)."""
        return self.token


def _idle() -> timedelta:
    return timedelta(minutes=current_app.config["CLINIC_IDLE_MINUTES"])


@login_manager.user_loader
def load_user(token: str) -> SignedIn | None:
    """Find the live server-side session for the token in the cookie; an idle or ended one is gone."""
    clinician = accounts.resume_session(db(), token, _idle())
    commit()
    return SignedIn(clinician, token) if clinician is not None else None


def signed_in() -> Clinician:
    """Return the clinician of this request (the view is already behind clinician_required)."""
    return current_user.clinician  # type: ignore[no-any-return]


def clinician_required(view: F) -> F:
    """Send anyone not signed in to the sign-in page, remembering only a local clinic path."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return redirect(url_for("clinic_auth.login", next=request.path))
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _account_key() -> str:
    # A second limit per account slows guessing one clinician's password from many addresses.
    return "account:" + request.form.get("email", "").strip().lower()[:254]


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/clinic/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("clinic.submissions")


@auth.route("/login", methods=["GET", "POST"])
def login() -> BaseResponse | tuple[str, int]:
    """Show the sign-in form, and sign in with email and password."""
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(url_for("clinic.submissions"))
        return render_template("clinic/login.html", ruleset=rules(), error=False, email=""), 200
    email = request.form.get("email", "")
    parts = clinics()
    clinician = accounts.authenticate(db(), parts.passwords, email, request.form.get("password", ""))
    if clinician is None:
        commit()
        return render_template("clinic/login.html", ruleset=rules(), error=True, email=email[:254]), 400
    token = accounts.start_session(db(), clinician)
    commit()
    # A fresh cookie on sign-in: nothing from before (answers, an invitation) rides along into the clinic.
    session.clear()
    login_user(SignedIn(clinician, token))
    return redirect(_safe_next(request.args.get("next")), 303)


@auth.post("/logout")
def logout() -> BaseResponse:
    """End the session on the server and in this browser."""
    if current_user.is_authenticated:
        accounts.end_session(db(), current_user.token)
        commit()
    logout_user()
    session.clear()
    return redirect(url_for("clinic_auth.login", done="signed-out"), 303)


def install(app: Flask) -> None:
    """Set up Flask-Login (no cookie writes for anonymous pages) and the rate limiter."""
    login_manager.init_app(app, add_context_processor=False)
    login_manager.session_protection = "strong"
    login_manager.login_message = None  # no flash message: it would write to every visitor's cookie
    app.register_blueprint(auth)
    # One limiter per app (its counters live in its storage), on the sign-in form's posts only.
    limiter = Limiter(get_remote_address, app=app, strategy="fixed-window")
    config = app.config
    view = app.view_functions["clinic_auth.login"]
    view = limiter.limit(lambda: config["LOGIN_LIMITS"], methods=["POST"])(view)
    view = limiter.limit(lambda: config["LOGIN_LIMITS_PER_ACCOUNT"], methods=["POST"], key_func=_account_key)(view)
    app.view_functions["clinic_auth.login"] = view
    # The decorated view checks its own limits; the limiter's app-wide hook would cost every page view
    # (anonymous ones included) a check for limits that only the sign-in form has.
    app.before_request_funcs[None].remove(limiter._check_request_limit)
    app.extensions["clinic_limiter"] = limiter

    @app.context_processor
    def clinician_context() -> dict[str, Any]:
        # Only clinic pages look at the signed-in user; patient pages never load it (or touch the cookie).
        if not (request.blueprint or "").startswith("clinic"):
            return {}
        return {"clinician": current_user.clinician if current_user.is_authenticated else None}
