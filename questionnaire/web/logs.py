"""Logging that never carries an invitation token, optionally as JSON lines for a log pipeline.

``QUESTIONNAIRE_LOG_FORMAT=json`` makes the app's and gunicorn's logs one JSON object per line.
Either way, invitation links (``/i/<token>``) are redacted from every message, the access log's
included, and answers never reach a log in the first place (they are never logged).
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from typing import Any

from gunicorn.glogging import Logger as GunicornLogger

TOKEN_PATH = re.compile(r"/i/(?!send\b|decline\b|leave\b)[A-Za-z0-9_-]{8,}")
REDACTED = "/i/[redacted]"


def redact(text: str) -> str:
    """Replace every invitation token in the text."""
    return TOKEN_PATH.sub(REDACTED, text)


class RedactTokens(logging.Filter):
    """Rewrite a record's message with invitation tokens removed (arguments are merged in first)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class JsonLines(logging.Formatter):
    """Format a record as one JSON object: time, level, logger, message (and the exception type only)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        extra = getattr(record, "fields", None)
        if isinstance(extra, dict):
            entry.update(extra)
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__  # never the message: it may quote data
        return json.dumps(entry, ensure_ascii=False)


def json_wanted() -> bool:
    """Tell whether JSON-lines logs were asked for."""
    return os.environ.get("QUESTIONNAIRE_LOG_FORMAT", "text").lower() == "json"


def install() -> None:
    """Redact tokens in the app's and the development server's logs; switch to JSON lines when asked."""
    for name in ("werkzeug", "questionnaire", "questionnaire.web", "questionnaire.clinics", "flask_limiter"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
    if json_wanted():
        root = logging.getLogger()
        if not root.handlers:
            root.addHandler(logging.StreamHandler())
            root.setLevel(logging.INFO)
        for handler in root.handlers:
            handler.setFormatter(JsonLines())


class AccessLogger(GunicornLogger):
    """Gunicorn's logger with tokens redacted from access lines, and JSON lines when asked for."""

    def setup(self, cfg: Any) -> None:
        """Set gunicorn's handlers up, then give them the JSON formatter if wanted."""
        super().setup(cfg)
        for logger in (self.error_log, self.access_log):
            logger.addFilter(RedactTokens())
            if json_wanted():
                for handler in logger.handlers:
                    handler.setFormatter(JsonLines())

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        """Return gunicorn's log atoms with invitation tokens redacted from the path, request line and referrer."""
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        for key in ("U", "r", "f"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        """Write one access line as configured, or as JSON fields (the path only, never the query string)."""
        if not json_wanted():
            super().access(resp, req, environ, request_time)
            return
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        fields = {
            "remote": atoms.get("h"),
            "method": atoms.get("m"),
            "path": atoms.get("U"),
            "status": str(atoms.get("s")),
            "bytes": atoms.get("B"),
            "ms": atoms.get("M"),
        }
        self.access_log.info("%s %s %s", fields["method"], fields["path"], fields["status"], extra={"fields": fields})
