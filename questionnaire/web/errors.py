"""Show friendly error pages in the site layout, and the cleared-session page."""

from __future__ import annotations

import logging
import traceback
from types import TracebackType

from flask import Flask, Request, render_template, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .state import rules

log = logging.getLogger("questionnaire.web")

#: Lazy: each is put into words in the page's language when the page is drawn, not at import.
MESSAGES = {
    400: (
        _l("Sorry, something was wrong with that request"),
        _l("The page could not use what was sent. Your answers so far are safe."),
    ),
    404: (
        _l("Page not found"),
        _l("If you typed the address, check it is correct. If you pasted it, check you copied all of it."),
    ),
    405: (_l("Sorry, that did not work"), _l("This page cannot be used that way. Your answers so far are safe.")),
    409: (
        _l("This page is not next"),
        _l("You may have used the Back button or an old link. Your answers so far are safe."),
    ),
    413: (
        _l("That was too much to send"),
        _l("The form sent more than this service accepts. Your answers so far are safe."),
    ),
    429: (_l("Too many tries"), _l("For safety, signing in is paused for a few minutes. Wait, then try again.")),
    500: (_l("Sorry, there is a problem with the service"), _l("Try again later. Your answers so far are safe.")),
    503: (_l("Sorry, this is not available right now"), _l("Your answers so far are safe.")),
}


def _wants_json(req: Request) -> bool:
    return req.path.startswith("/api/")


def render_error(status: int, detail: str | None = None) -> tuple[str | dict[str, object], int]:
    """Render an error page, or JSON problems for the API."""
    lazy_title, lazy_text = MESSAGES.get(status, MESSAGES[400 if status < 500 else 500])
    title, text = str(lazy_title), str(lazy_text)
    if _wants_json(request):
        return {"problems": [{"question": None, "message": detail or title}]}, status
    try:
        ruleset = rules()
    except Exception:  # the error page must render even if the rules cannot be reached
        ruleset = None
    return render_template("error.html", title=title, text=text, detail=detail, status=status, ruleset=ruleset), status


def log_exception(exc_info: tuple[type[BaseException], BaseException, TracebackType] | tuple[None, None, None]) -> None:
    """Log an unhandled error by type and place only: messages and request data could hold health answers."""
    kind = exc_info[0].__name__ if exc_info[0] else "error"
    frames = traceback.extract_tb(exc_info[2]) if exc_info[2] else []
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "unknown place"
    log.error("%s on %s %s at %s", kind, request.method, request.path, where)


def install(app: Flask) -> None:
    """Register the error handlers."""
    app.log_exception = log_exception  # type: ignore[method-assign]

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str | dict[str, object], int]:
        return render_error(
            400,
            gettext("This form has expired or was sent from another site. Go back, reload the page and try again."),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str | dict[str, object], int, dict[str, str]]:
        body, status = render_error(error.code or 500)
        # A 405 must say which methods the address takes (RFC 9110); the page replaces Werkzeug's response.
        allowed = getattr(error, "valid_methods", None)
        return body, status, ({"Allow": ", ".join(sorted(allowed))} if allowed else {})

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError) -> tuple[str | dict[str, object], int]:
        return render_error(500)
