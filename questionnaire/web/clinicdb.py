"""Give each request one database session, and turn database failures into a 'try again' page."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, abort, current_app, g, render_template, request
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..clinics.accounts import Passwords
from ..clinics.crypto import CannotOpen, KeyRing, new_key_setting
from ..clinics.db import Database, StorageError

log = logging.getLogger("questionnaire.clinics")
CLINIC_BLUEPRINTS = frozenset({"clinic", "clinic_auth", "invite"})


class Clinics:
    """The clinic parts of one app: database, key ring and password hasher."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.database = Database(
            config["DATABASE_URL"], schema=config["DATABASE_SCHEMA"], pool_size=config["DATABASE_POOL_SIZE"]
        )
        self.enabled = bool(config["DATA_KEYS"])
        # A stand-in ring when clinic use is off: no page that seals or opens answers is reachable then.
        self.keys = KeyRing.from_setting(config["DATA_KEYS"] or new_key_setting("off"))
        self.passwords = Passwords(cheap=config["CHEAP_PASSWORD_HASHES"])


def clinics() -> Clinics:
    """Return the app's clinic parts."""
    return current_app.extensions["clinics"]  # type: ignore[no-any-return]


def db() -> Session:
    """Return this request's database session (opened on first use, closed at the end of the request)."""
    session = g.get("_clinic_db")
    if session is None:
        session = g._clinic_db = clinics().database.sessions()
    return session  # type: ignore[no-any-return]


def commit() -> None:
    """Commit this request's changes, or roll back and raise StorageError so nothing half-written stays."""
    session = db()
    try:
        session.commit()
    except SQLAlchemyError as exc:
        session.rollback()
        raise StorageError(type(exc).__name__) from None


def install(app: Flask) -> None:
    """Attach the clinic parts to the app and register the session teardown and failure pages."""
    app.extensions["clinics"] = Clinics(app.config)

    @app.before_request
    def clinics_off() -> None:
        if not app.extensions["clinics"].enabled and (request.blueprint or "") in CLINIC_BLUEPRINTS:
            abort(404)

    @app.teardown_appcontext
    def close_session(_error: BaseException | None) -> None:
        session = g.pop("_clinic_db", None)
        if session is not None:
            session.close()

    @app.errorhandler(StorageError)
    @app.errorhandler(SQLAlchemyError)
    def storage_failed(error: Exception) -> tuple[str, int]:
        # The type only: a database message can quote the statement's parameters.
        log.error("database failure: %s", type(error).__name__)
        session = g.get("_clinic_db")
        if session is not None:
            session.rollback()
        return render_template("clinic/try_again.html", ruleset=None), 503

    @app.errorhandler(CannotOpen)
    def cannot_open(error: CannotOpen) -> tuple[str, int]:
        log.error("sealed answers did not open: check QUESTIONNAIRE_DATA_KEYS holds every key still in use")
        return render_template("clinic/try_again.html", ruleset=None, keys_problem=True), 500
