"""Keep answers in the signed, expiring session cookie, and notice when it was tampered with or expired."""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadData, SignatureExpired

from ..answers import parse_answers
from ..engine import answers_to_data
from ..flow import visible_answers
from ..model import Answers, RuleSet

ANSWERS, ACKNOWLEDGED, VERSION = "a", "ack", "v"


class AnswerSession(SecureCookieSession):
    """A session that remembers why an incoming cookie was refused."""

    problem: str | None = None


class AnswerSessionInterface(SecureCookieSessionInterface):
    """Sign sessions as Flask does; flag a tampered or expired cookie instead of silently dropping it."""

    session_class = AnswerSession

    def open_session(self, app: Flask, request: Request) -> AnswerSession | None:  # type: ignore[override]
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data = serializer.loads(value, max_age=max_age)
        except SignatureExpired:
            return self._refused("expired")
        except (BadData, ValueError, TypeError, UnicodeError):
            return self._refused("tampered")
        if not isinstance(data, dict):
            return self._refused("tampered")
        return self.session_class(data)

    def _refused(self, why: str) -> AnswerSession:
        fresh = self.session_class()
        fresh.problem = why
        fresh.modified = True  # so the bad cookie is deleted in the response
        return fresh


def stored_answers(ruleset: RuleSet) -> dict[str, str | frozenset[str]]:
    """Return the session's answers, re-validated against the current rules; invalid ones are dropped."""
    raw = session.get(ANSWERS)
    if not isinstance(raw, dict):
        return {}
    answers, problems = parse_answers(ruleset.questions, raw)
    if problems:
        # An answer the rules no longer offer (a changed rule set, or an edited cookie) is dropped, not trusted.
        bad = {p.question for p in problems}
        answers, _ = parse_answers(ruleset.questions, {k: v for k, v in raw.items() if k not in bad})
    return visible_answers(ruleset, answers)


def save_answers(ruleset: RuleSet, answers: Answers) -> None:
    """Store only ids and values of shown questions, so the cookie stays small."""
    session[ANSWERS] = answers_to_data(ruleset, visible_answers(ruleset, answers))
    session[VERSION] = ruleset.version
    touch()


def touch() -> None:
    """Keep the session alive; the cookie is re-signed on each request, so idle sessions expire."""
    session.permanent = True


def acknowledged() -> set[str]:
    """Return the urgent notices the person has already seen and chosen to continue past."""
    value: Any = session.get(ACKNOWLEDGED)
    return {v for v in value if isinstance(v, str)} if isinstance(value, list) else set()


def acknowledge(ids: list[str]) -> None:
    """Remember that these urgent notices were shown."""
    session[ACKNOWLEDGED] = sorted(acknowledged() | set(ids))
    touch()


def clear() -> None:
    """Forget every answer."""
    session.clear()
