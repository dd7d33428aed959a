"""Keep answers in the signed, expiring session cookie, and notice when it was tampered with or expired."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, NoReturn, Protocol

from flask import Flask, Request, Response, current_app, g, session
from flask.sessions import NullSession, SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import SignatureExpired

from ..answers import MAX_ANSWERS, parse_answers
from ..engine import answers_to_data
from ..flow import visible_answers
from ..model import Answers, RuleSet

ANSWERS, ACKNOWLEDGED, VERSION, NOTE = "a", "ack", "v", "n"
#: The longest "what I most want to discuss" note, in characters.
NOTE_LIMIT = 300
CSRF, PERMANENT = "csrf_token", "_permanent"
#: The invitation a clinic patient is answering for (its id, never its token); see web/clinic_patient.py.
INVITATION = "inv"
#: Flask-Login's keys for a signed-in clinician (web/clinic_auth.py): texts, and one flag.
LOGIN_TEXT, LOGIN_FLAGS = ("_user_id", "_id", "_remember"), ("_fresh",)
# The JSON API, the static files and the health checks never read or set the session cookie.
SESSIONLESS = ("/api/", "/static/", "/healthz", "/readyz")
MAX_COOKIE = 4096  # the most a browser stores for one cookie
MAX_TEXT = 200  # no id, option value, version or token the app writes is longer


class AnswerSession(SecureCookieSession):
    """A session that remembers why an incoming cookie was refused, and when it was signed."""

    problem: str | None = None
    signed_at: float = 0.0


class NoSession(NullSession):
    """The session of a request that must not use one: reads are empty, writes fail loudly."""

    def _fail(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise RuntimeError("the JSON API and static files never use the session cookie")

    __setitem__ = __delitem__ = clear = pop = popitem = update = setdefault = _fail  # type: ignore[assignment]
    del _fail


def sessionless(request: Request) -> bool:
    """Tell whether this request is for the API or a static file, which never touch the session cookie."""
    return request.path.startswith(SESSIONLESS)


class AnswerSessionInterface(SecureCookieSessionInterface):
    """Sign sessions as Flask does; flag a tampered or expired cookie instead of silently dropping it."""

    session_class = AnswerSession
    null_session_class = NoSession

    def open_session(self, app: Flask, request: Request) -> AnswerSession | None:  # type: ignore[override]
        if sessionless(request):
            return None  # Flask then uses NoSession, and never saves it
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        if len(value) > MAX_COOKIE:
            return self._refused("tampered")  # browsers keep no cookie this long; this one was made by hand
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except SignatureExpired:
            return self._refused("expired")
        except Exception:  # any cookie that cannot be read is refused, never a 500
            # Bad signatures, base64, zlib or JSON, and (with a valid signature) tagged values Flask
            # cannot rebuild or JSON nested past the recursion limit.
            return self._refused("tampered")
        cleaned = well_formed(data)
        if cleaned is None:
            return self._refused("tampered")
        opened = self.session_class(cleaned)
        opened.signed_at = signed_at.timestamp()
        return opened

    def should_set_cookie(self, app: Flask, session: SecureCookieSession) -> bool:  # type: ignore[override]
        """Re-sign an unchanged session only once it is a quarter of its lifetime old.

        Expiry still slides with use (an idle session ends within 1 to 1.25 lifetimes), but most
        page views no longer pay for signing and compressing the cookie again.
        """
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        age = time.time() - getattr(session, "signed_at", 0.0)
        return age > app.permanent_session_lifetime.total_seconds() / 4

    def save_session(self, app: Flask, session: SecureCookieSession, response: Response) -> None:  # type: ignore[override]
        if isinstance(session, NoSession):
            return
        super().save_session(app, session, response)

    @staticmethod
    def _refused(why: str) -> AnswerSession:
        fresh = AnswerSession()
        fresh.problem = why
        fresh.modified = True  # so the bad cookie is deleted in the response
        return fresh


def _text(value: object) -> bool:
    return isinstance(value, str) and len(value) <= MAX_TEXT


def well_formed(data: object) -> dict[str, Any] | None:
    """Return the session data if it has the shape this app writes, else None; unknown keys are dropped.

    Only a cookie signed with our key gets here, so a bad shape means an old or foreign app version
    (or a leaked key): it is refused like a tampered cookie rather than trusted.
    """
    if not isinstance(data, dict):
        return None
    answers = data.get(ANSWERS, {})
    if not isinstance(answers, dict) or len(answers) > MAX_ANSWERS:
        return None
    for key, value in answers.items():
        ok = _text(value) or (
            isinstance(value, list | tuple) and len(value) <= MAX_ANSWERS and all(_text(v) for v in value)
        )
        if not (_text(key) and ok):
            return None
    seen = data.get(ACKNOWLEDGED, [])
    if not (isinstance(seen, list) and len(seen) <= MAX_ANSWERS and all(_text(v) for v in seen)):
        return None
    if VERSION in data and not _text(data[VERSION]):
        return None
    if NOTE in data and not (isinstance(data[NOTE], str) and len(data[NOTE]) <= NOTE_LIMIT):
        return None
    if CSRF in data and not (_text(data[CSRF]) and data[CSRF].isascii()):
        return None  # Flask-WTF compares it with hmac.compare_digest, which refuses other types and non-ASCII
    if not isinstance(data.get(PERMANENT, False), bool):
        return None
    if not all(_text(data[k]) for k in (INVITATION, *LOGIN_TEXT) if k in data):
        return None
    if not all(isinstance(data[k], bool) for k in LOGIN_FLAGS if k in data):
        return None
    kept = (ANSWERS, ACKNOWLEDGED, VERSION, NOTE, CSRF, PERMANENT, INVITATION, *LOGIN_TEXT, *LOGIN_FLAGS)
    return {k: v for k, v in data.items() if k in kept}


class AnswerStore(Protocol):
    """Where one person's answers live: {"a": {question: value}, "ack": [notice ids], "v": version, "n": note}."""

    def get(self) -> dict[str, Any]: ...
    def set(self, data: dict[str, Any]) -> None: ...
    def clear(self) -> None: ...


class CookieStore:
    """The default store: the signed, expiring session cookie (nothing on the server)."""

    def get(self) -> dict[str, Any]:
        """Return the stored state."""
        return {k: session[k] for k in STORED if k in session}

    def set(self, data: dict[str, Any]) -> None:
        """Store the state and keep the session alive."""
        for key in STORED:
            if key in data:
                session[key] = data[key]
            else:
                session.pop(key, None)
        touch()

    def clear(self) -> None:
        """Forget everything in the session."""
        session.clear()


STORED = (ANSWERS, ACKNOWLEDGED, VERSION, NOTE)
COOKIE_STORE = CookieStore()
RESOLVERS = "answer_store_resolvers"


def register_store_resolver(app: Flask, resolver: Callable[[], AnswerStore | None]) -> None:
    """Let another store serve some requests: the first resolver that returns a store wins."""
    app.extensions.setdefault(RESOLVERS, []).append(resolver)


def current_store() -> AnswerStore:
    """Return the store for this request (once per request), the cookie store unless a resolver says otherwise."""
    store: AnswerStore | None = g.get("_answer_store")
    if store is None:
        for resolver in current_app.extensions.get(RESOLVERS, ()):
            store = resolver()
            if store is not None:
                break
        else:
            store = COOKIE_STORE
        g._answer_store = store
    return store


def stored_answers(ruleset: RuleSet) -> dict[str, str | frozenset[str]]:
    """Return the session's answers, re-validated against the current rules; invalid ones are dropped."""
    return clean_answers(ruleset, current_store().get().get(ANSWERS))


def clean_answers(ruleset: RuleSet, raw: object) -> dict[str, str | frozenset[str]]:
    """Return stored answers re-validated against the current rules: invalid and hidden ones are dropped."""
    if not isinstance(raw, dict):
        return {}
    answers, problems = parse_answers(ruleset.questions, raw, ruleset.retired)
    if problems:
        # An answer the rules no longer offer (a changed rule set, or an edited cookie) is dropped, not trusted.
        bad = {p.question for p in problems}
        answers, _ = parse_answers(ruleset.questions, {k: v for k, v in raw.items() if k not in bad}, ruleset.retired)
    return visible_answers(ruleset, answers)


def save_answers(ruleset: RuleSet, answers: Answers) -> None:
    """Store only ids and values of shown questions, so the cookie stays small."""
    store = current_store()
    data = store.get()
    data[ANSWERS] = answers_to_data(ruleset, visible_answers(ruleset, answers))
    data[VERSION] = ruleset.version
    store.set(data)


def touch() -> None:
    """Keep the session alive; the cookie is re-signed on each request, so idle sessions expire."""
    session.permanent = True


def acknowledged() -> set[str]:
    """Return the urgent notices the person has already seen and chosen to continue past."""
    value: Any = current_store().get().get(ACKNOWLEDGED)
    return {v for v in value if isinstance(v, str)} if isinstance(value, list) else set()


def acknowledge(ids: list[str]) -> None:
    """Remember that these urgent notices were shown."""
    store = current_store()
    data = store.get()
    data[ACKNOWLEDGED] = sorted(acknowledged() | set(ids))
    store.set(data)


def has_answers() -> bool:
    """Tell whether this browser has answers saved, without checking them against the rules."""
    return bool(current_store().get().get(ANSWERS))


def note() -> str:
    """Return what the person most wants to discuss, or an empty text."""
    value = current_store().get().get(NOTE)
    return value if isinstance(value, str) else ""


def save_note(text: str) -> None:
    """Keep what the person most wants to discuss, for their summary."""
    store = current_store()
    data = store.get()
    if text:
        data[NOTE] = text
    else:
        data.pop(NOTE, None)
    store.set(data)


def clear() -> None:
    """Forget every answer."""
    current_store().clear()
