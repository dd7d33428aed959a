"""Health checks for load balancers and orchestrators: cheap, cookie-free, plain text."""

from __future__ import annotations

import logging

from flask import Blueprint, Response

from .clinicdb import clinics
from .state import holder

ops = Blueprint("ops", __name__)
log = logging.getLogger("questionnaire.web")


def _plain(text: str, status: int) -> Response:
    return Response(text + "\n", status=status, mimetype="text/plain")


@ops.get("/healthz")
def healthz() -> Response:
    """Say the process is up and serving; touches neither the database nor the rules."""
    return _plain("ok", 200)


@ops.get("/readyz")
def readyz() -> Response:
    """Say whether this instance can serve: a rule set is loaded and the database answers."""
    problems = []
    if holder().ruleset is None:
        problems.append("no rule set loaded")
    try:
        if clinics().enabled:  # anonymous use alone needs no database
            clinics().database.ping()
    except Exception as exc:  # any failure means "not ready"; the type only, never the message
        log.warning("readiness: database did not answer (%s)", type(exc).__name__)
        problems.append("database not answering")
    if problems:
        return _plain("not ready: " + "; ".join(problems), 503)
    return _plain("ready", 200)
