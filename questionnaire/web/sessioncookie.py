"""Keep the session in one cookie, encrypted and authenticated with Fernet, expiring, readable with old keys.

A signed cookie only stops changes; anyone who can read it (a shared computer, a proxy log, a
browser extension) could decode every answer. Fernet (AES-128-CBC with HMAC-SHA256, from the
``cryptography`` package) hides and authenticates the whole session, and carries the time it was
sealed, so expiry needs no server state. The key comes from QUESTIONNAIRE_SECRET_KEY through HKDF;
keys listed in QUESTIONNAIRE_OLD_SECRET_KEYS still open cookies sealed before a rotation, and the
next change seals them with the new key. A cookie that cannot be opened, or is too old, is refused
with a reason the friendly "answers cleared" page shows; it is never a 500.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, NoReturn

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import Flask, Request, Response
from flask.sessions import NullSession, SecureCookieSession, SessionInterface

from .answerstore import KEEP, sessionless, well_formed

MAX_COOKIE = 4096  # the most a browser stores for one cookie
#: A cookie sealed further ahead than this was not made by this clock: refused as tampered.
CLOCK_SKEW = 60
_INFO = b"fibro-questionnaire session cookie v1"
#: The longest a chosen "keep" lets answers rest unused: a day.
DAY = 24 * 60 * 60


def idle_limit(app: Flask, keep: object) -> float:
    """Return the seconds a session may rest unused, for the keep-on-device choice in it."""
    usual = app.permanent_session_lifetime.total_seconds()
    return max(usual, DAY) if keep in ("day", "browser") else usual


def clock() -> float:
    """Return the time now, in seconds; tests patch this instead of sleeping."""
    return time.time()


def fernet(secret: str) -> Fernet:
    """Derive a Fernet key from a secret of any length (HKDF-SHA256)."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(raw))


def keyring(secret: str, old: Iterable[str] = ()) -> MultiFernet:
    """Return the keys: the first seals, every one opens (old keys keep cookies readable after a rotation)."""
    return MultiFernet([fernet(secret), *(fernet(k) for k in old if k)])


class AnswerSession(SecureCookieSession):
    """Remember why an incoming cookie was refused, and when it was sealed, beside the session's data."""

    problem: str | None = None
    sealed_at: float = 0.0
    #: For an expired cookie: how long it could rest unused (the person's keep choice, or the usual).
    expired_after: float | None = None


class NoSession(NullSession):
    """Stand in for the session of a request that must not use one: reads are empty, writes fail loudly."""

    def _fail(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise RuntimeError("the JSON API and static files never use the session cookie")

    __setitem__ = __delitem__ = clear = pop = popitem = update = setdefault = _fail  # type: ignore[assignment]
    del _fail


class EncryptedSessionInterface(SessionInterface):
    """Seal sessions with Fernet; flag a tampered, undecryptable or expired cookie instead of dropping it."""

    session_class = AnswerSession
    null_session_class = NoSession

    def __init__(self, keys: MultiFernet) -> None:
        self.keys = keys

    def seal(self, payload: bytes, at: float | None = None) -> str:
        """Return a cookie value holding the payload, sealed now (or at the given time)."""
        return self.keys.encrypt_at_time(payload, int(clock() if at is None else at)).decode("ascii")

    def read(self, value: str) -> Any:
        """Return the data in a cookie value sealed with these keys, without checking its age (for tests and tools)."""
        return json.loads(self.keys.decrypt(value.encode("ascii")))

    def open_session(self, app: Flask, request: Request) -> AnswerSession | None:  # type: ignore[override]
        if sessionless(request):
            return None  # Flask then uses NoSession, and never saves it
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        if len(value) > MAX_COOKIE:
            return _refused("tampered")  # browsers keep no cookie this long; this one was made by hand
        try:
            token = value.encode("ascii")
            payload = self.keys.decrypt(token)
            # The token is authentic now, so its timestamp (bytes 1 to 8 after the version) can be read as is.
            sealed_at = int.from_bytes(base64.urlsafe_b64decode(token)[1:9], "big")
            data = json.loads(payload)
        except (InvalidToken, UnicodeError, ValueError, RecursionError):
            # Tampered, truncated, sealed with a key we do not hold, or (with a valid seal) not JSON.
            return _refused("tampered")
        age = int(clock()) - sealed_at  # whole seconds, as the seal records them
        if age < -CLOCK_SKEW:
            return _refused("tampered")
        limit = idle_limit(app, data.get(KEEP) if isinstance(data, dict) else None)
        if age > limit:
            expired = _refused("expired")
            expired.expired_after = limit
            return expired
        cleaned = well_formed(data)
        if cleaned is None:
            return _refused("tampered")
        opened = self.session_class(cleaned)
        opened.sealed_at = sealed_at
        return opened

    def should_set_cookie(self, app: Flask, session: AnswerSession) -> bool:  # type: ignore[override]
        """Seal an unchanged session again only once it is a quarter of its lifetime old.

        Expiry still slides with use (an idle session ends within 1 to 1.25 lifetimes), but most
        page views do not pay for sealing the cookie again.
        """
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        return clock() - session.sealed_at > idle_limit(app, session.get(KEEP)) / 4

    def save_session(self, app: Flask, session: AnswerSession, response: Response) -> None:  # type: ignore[override]
        if isinstance(session, NoSession):
            return
        name = self.get_cookie_name(app)
        options: dict[str, Any] = {
            "domain": self.get_cookie_domain(app),
            "path": self.get_cookie_path(app),
            "secure": self.get_cookie_secure(app),
            "partitioned": self.get_cookie_partitioned(app),
            "samesite": self.get_cookie_samesite(app),
            "httponly": self.get_cookie_httponly(app),
        }
        if session.accessed:
            response.vary.add("Cookie")
        if not session:
            if session.modified:
                response.delete_cookie(name, **options)
                response.vary.add("Cookie")
            return
        if not self.should_set_cookie(app, session):
            return
        now = clock()
        expires = None
        # "Until I close the browser" is a cookie without an expiry date; the seal's age still ends it.
        if session.permanent and session.get(KEEP) != "browser":
            expires = datetime.fromtimestamp(now + idle_limit(app, session.get(KEEP)), UTC)
        payload = json.dumps(dict(session), separators=(",", ":")).encode("ascii")  # \u escapes: never unencodable
        response.set_cookie(name, self.seal(payload, now), expires=expires, **options)
        response.vary.add("Cookie")


def _refused(why: str) -> AnswerSession:
    fresh = AnswerSession()
    fresh.problem = why
    fresh.modified = True  # so the bad cookie is deleted in the response
    return fresh
