"""Keep a person's answers behind a small interface: get, set, clear (as formtools' wizard storage does).

The default store keeps them in the session cookie, which sessioncookie.py encrypts. Another store
(for example one backed by a database, for clinics) is chosen per request by a resolver:

    register_store_resolver(app, lambda: ClinicStore(...) if request_is_for_a_clinic() else None)

Every resolver is called once per request, in the order registered; the first that returns a store
wins, and with none the cookie store is used. Views reach the store only through ``answer_store()``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from flask import Flask, Request, current_app, g, session

from ..answers import MAX_ANSWERS, parse_answers
from ..flow import Path
from ..model import RuleSet

#: Keys of the stored state: the answers (question id -> value or list of values), the urgent
#: notices already shown, the rule-set version the answers were given under, the person's note, how
#: long to keep them, and the language the person chose (web/language.py).
ANSWERS, ACKNOWLEDGED, VERSION, NOTE, KEEP, LANGUAGE = "a", "ack", "v", "n", "k", "l"
#: How long answers stay on this device, as the person chose: until the browser closes (and at most a
#: day without use), the site's usual idle time, or up to a day without use.
KEEP_CHOICES = ("browser", "usual", "day")
#: The longest "what I most want to discuss" note, in characters.
NOTE_LIMIT = 300
#: Keys the session cookie holds besides the state: Flask-WTF's CSRF token, Flask's permanent flag.
CSRF, PERMANENT = "csrf_token", "_permanent"
#: The invitation a clinic patient is answering for (its id, never its token); see web/clinic_patient.py.
INVITATION = "inv"
#: The language a signed-in clinician chose for the clinic's pages, apart from any patient's choice.
CLINIC_LANGUAGE = "clinic_lang"
#: A language code as the app writes it ("en", "es", "pt-BR"); never longer.
LANGUAGE_CODE_LIMIT = 16
#: Flask-Login's keys for a signed-in clinician (web/clinic_auth.py): texts, and one flag.
LOGIN_TEXT, LOGIN_FLAGS = ("_user_id", "_id", "_remember"), ("_fresh",)
MAX_TEXT = 200  # no id, option value, version or token the app writes is longer


class AnswerStore(Protocol):
    """Keep one person's stored state: ``{"a": {question_id: value or [values]}, "ack": [notice ids], ...}``."""

    def get(self) -> dict[str, Any]:
        """Return the stored state (empty when nothing is stored)."""
        ...

    def set(self, data: dict[str, Any]) -> None:
        """Replace the stored state."""
        ...

    def clear(self) -> None:
        """Forget everything stored."""
        ...


def _text(value: object) -> bool:
    return isinstance(value, str) and len(value) <= MAX_TEXT


def _answers_ok(value: object) -> bool:
    if not isinstance(value, dict) or len(value) > MAX_ANSWERS:
        return False
    # Plain loops: this runs on every request, and generators inside all() cost twice as much.
    for key, item in value.items():
        if not _text(key):
            return False
        if item.__class__ is list:
            if len(item) > MAX_ANSWERS:
                return False
            for v in item:
                if not _text(v):
                    return False
        elif not _text(item):
            return False
    return True


def _language_code(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= LANGUAGE_CODE_LIMIT and value.isascii()


def _ids_ok(value: object) -> bool:
    return isinstance(value, list) and len(value) <= MAX_ANSWERS and all(_text(v) for v in value)


#: Each key of the stored state and how to tell a well-formed value. A later field (the chosen
#: language, how long answers are kept on this device) is one more entry here.
STATE_KEYS: dict[str, Callable[[object], bool]] = {
    ANSWERS: _answers_ok,
    ACKNOWLEDGED: _ids_ok,
    VERSION: _text,
    NOTE: lambda v: isinstance(v, str) and len(v) <= NOTE_LIMIT,
    KEEP: lambda v: v in KEEP_CHOICES,
    LANGUAGE: _language_code,
}
#: The session-only keys, checked the same way. Flask-WTF compares the token with
#: hmac.compare_digest, which refuses other types and non-ASCII text.
SESSION_KEYS: dict[str, Callable[[object], bool]] = {
    CSRF: lambda v: _text(v) and v.isascii(),  # type: ignore[union-attr]
    PERMANENT: lambda v: isinstance(v, bool),
    INVITATION: _text,
    CLINIC_LANGUAGE: _language_code,
    **dict.fromkeys(LOGIN_TEXT, _text),
    **dict.fromkeys(LOGIN_FLAGS, lambda v: isinstance(v, bool)),
}


def well_formed(data: object) -> dict[str, Any] | None:
    """Return the session data if it has the shape this app writes, else None; unknown keys are dropped.

    Only a cookie sealed with our key gets here, so a bad shape means an old or foreign app version
    (or a leaked key): it is refused like a tampered cookie rather than trusted.
    """
    if not isinstance(data, dict):
        return None
    checks = {**STATE_KEYS, **SESSION_KEYS}
    if not all(check(data[key]) for key, check in checks.items() if key in data):
        return None
    return {k: v for k, v in data.items() if k in checks}


class CookieStore:
    """Keep the state in the (encrypted) session cookie, beside the CSRF token."""

    def get(self) -> dict[str, Any]:
        """Return the state kept in the session."""
        return {key: session[key] for key in STATE_KEYS if key in session}

    def set(self, data: dict[str, Any]) -> None:
        """Replace the state kept in the session; the session then expires after its idle lifetime."""
        for key in STATE_KEYS:
            if key in data:
                session[key] = data[key]
            else:
                session.pop(key, None)
        session.permanent = True

    def clear(self) -> None:
        """Forget the whole session (a new CSRF token comes with the next page)."""
        session.clear()


Resolver = Callable[[], "AnswerStore | None"]
_RESOLVERS = "answer_store_resolvers"


def register_store_resolver(app: Flask, resolver: Resolver) -> None:
    """Add a function that picks the store for a request, or returns None to leave the choice to others."""
    app.extensions.setdefault(_RESOLVERS, []).append(resolver)


def answer_store() -> AnswerStore:
    """Return this request's store, chosen once per request (first resolver to answer, else the cookie)."""
    store: AnswerStore | None = g.get("answer_store")
    if store is None:
        for resolver in current_app.extensions.get(_RESOLVERS, ()):
            store = resolver()
            if store is not None:
                break
        else:
            store = CookieStore()
        g.answer_store = store
    return store


#: The name the clinic modules use for ``answer_store``.
current_store = answer_store


def clean_answers(ruleset: RuleSet, raw: object) -> dict[str, str | frozenset[str]]:
    """Return stored answers re-validated against the current rules: invalid and hidden ones are dropped."""
    return Path.of(ruleset, valid_answers(ruleset, raw)).answers


def valid_answers(ruleset: RuleSet, raw: object) -> dict[str, str | frozenset[str]]:
    """Return stored answers re-validated against the current rules; an answer they no longer offer is dropped."""
    if not isinstance(raw, dict):
        return {}
    answers, problems = parse_answers(ruleset.questions, raw, ruleset.retired)
    if problems:  # a changed rule set: keep the answers still offered, never trust the others
        bad = {p.question for p in problems}
        answers, _ = parse_answers(ruleset.questions, {k: v for k, v in raw.items() if k not in bad}, ruleset.retired)
    return answers


def stored_answers(ruleset: RuleSet) -> dict[str, str | frozenset[str]]:
    """Return this request's stored answers, re-validated, with hidden ones dropped."""
    return clean_answers(ruleset, answer_store().get().get(ANSWERS))


#: The JSON API, the static files and the health checks never read or set the session cookie.
SESSIONLESS = ("/api/", "/static/", "/healthz", "/readyz")


def sessionless(request: Request) -> bool:
    """Tell whether this request never touches the session cookie (the API, static files, health checks)."""
    return request.path.startswith(SESSIONLESS)
