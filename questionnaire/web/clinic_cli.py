"""Command-line set-up and upkeep: ``flask --app app db|clinics|users|keys|purge|audit|doctor``."""

from __future__ import annotations

import os
from datetime import datetime

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from ..clinics import accounts, retention
from ..clinics import db as dbmod
from ..clinics.crypto import new_key_setting
from ..clinics.inbox import audit_trail
from .clinicdb import Clinics
from .doctor import diagnose


def _parts() -> Clinics:
    return current_app.extensions["clinics"]  # type: ignore[no-any-return]


def _fail(message: str) -> None:
    raise click.ClickException(message)


database_group = AppGroup("db", help="Database migrations (Alembic).")
clinics_group = AppGroup("clinics", help="Add and list clinics, and set how long they keep data.")
users_group = AppGroup("users", help="Add clinicians and change passwords.")
keys_group = AppGroup("keys", help="Data keys that encrypt answers at rest.")


@database_group.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply the migrations (to the newest by default)."""
    dbmod.upgrade(_parts().database, revision)
    click.echo(f"database at revision {dbmod.current_revision(_parts().database)}")


@database_group.command("current")
def db_current() -> None:
    """Say which migration the database is at."""
    click.echo(f"database at {dbmod.current_revision(_parts().database)}; newest is {dbmod.head_revision()}")


@database_group.command("revision")
@click.argument("message")
def db_revision(message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    from alembic import command

    command.revision(dbmod.alembic_config(_parts().database), message=message, autogenerate=True)


@clinics_group.command("add")
@click.argument("name")
@click.option("--retention-days", type=int, help="days to keep submissions (default 90)")
@click.option("--draft-days", type=int, help="days to keep unsent drafts (default 30)")
def clinics_add(name: str, retention_days: int | None, draft_days: int | None) -> None:
    """Add a clinic."""
    with _parts().database.session() as session:
        try:
            clinic = accounts.add_clinic(session, name, retention_days, draft_days)
        except accounts.AccountError as exc:
            _fail(str(exc))
        click.echo(f"clinic '{clinic.name}' added (keeps submissions {clinic.retention_days} days)")


@clinics_group.command("list")
def clinics_list() -> None:
    """List clinics with their retention periods."""
    from sqlalchemy import select

    from ..clinics.models import Clinic

    with _parts().database.session() as session:
        for clinic in session.scalars(select(Clinic).order_by(Clinic.name)):
            click.echo(f"{clinic.name}: submissions {clinic.retention_days} days, drafts {clinic.draft_days} days")


@clinics_group.command("set")
@click.argument("name")
@click.option("--retention-days", type=int)
@click.option("--draft-days", type=int)
def clinics_set(name: str, retention_days: int | None, draft_days: int | None) -> None:
    """Change how long a clinic keeps data; kept submissions are rescheduled."""
    with _parts().database.session() as session:
        try:
            clinic = accounts.clinic_named(session, name)
            accounts.set_retention(clinic, retention_days, draft_days)
        except accounts.AccountError as exc:
            _fail(str(exc))
        moved = retention.reschedule(session, clinic) if retention_days is not None else 0
        click.echo(f"'{clinic.name}' keeps submissions {clinic.retention_days} days ({moved} rescheduled)")


def _new_password() -> str:
    given = os.environ.get("QUESTIONNAIRE_NEW_PASSWORD")
    if given:
        return given
    return str(click.prompt("Password (12 characters or more)", hide_input=True, confirmation_prompt=True))


@users_group.command("add")
@click.argument("email")
@click.option("--clinic", "clinic_name", required=True, help="the clinic's name")
def users_add(email: str, clinic_name: str) -> None:
    """Add a clinician; the password comes from QUESTIONNAIRE_NEW_PASSWORD or a prompt."""
    parts = _parts()
    with parts.database.session() as session:
        try:
            clinic = accounts.clinic_named(session, clinic_name)
            clinician = accounts.add_clinician(session, parts.passwords, email, clinic, _new_password())
        except accounts.AccountError as exc:
            _fail(str(exc))
        click.echo(f"{clinician.email} can now sign in to '{clinic.name}' at /clinic/login")


@users_group.command("password")
@click.argument("email")
def users_password(email: str) -> None:
    """Set a new password and end every session of that clinician."""
    from sqlalchemy import select

    from ..clinics.models import Clinician

    parts = _parts()
    with parts.database.session() as session:
        clinician = session.scalar(select(Clinician).where(Clinician.email == email.strip().lower()))
        if clinician is None:
            _fail(f"no clinician with the email {email}")
        try:
            accounts.set_password(session, parts.passwords, clinician, _new_password())
        except accounts.AccountError as exc:
            _fail(str(exc))
        click.echo(f"password changed for {clinician.email}; their sessions were ended")


@keys_group.command("new")
@click.option("--id", "key_id", help="a short name for the key (letters, digits, . _ -)")
def keys_new(key_id: str | None) -> None:
    """Print a new random data key to put first in QUESTIONNAIRE_DATA_KEYS."""
    click.echo(new_key_setting(key_id))


@keys_group.command("rotate")
def keys_rotate() -> None:
    """Re-wrap every stored data key with the first key of QUESTIONNAIRE_DATA_KEYS."""
    parts = _parts()
    report = retention.rotate(parts.database, parts.keys)
    click.echo(f"{report.rewrapped} rows re-wrapped with key '{parts.keys.current_id}'")
    click.echo("rows per key now: " + (", ".join(f"{k}: {n}" for k, n in report.remaining_by_key.items()) or "none"))
    if report.unreadable:
        _fail(f"{report.unreadable} rows use a key that is not configured; keep that key until they are purged")


def register(app: Flask) -> None:
    """Add the clinic commands to ``flask --app app``."""
    for group in (database_group, clinics_group, users_group, keys_group):
        app.cli.add_command(group)

    @app.cli.command("purge")
    @click.option("--as-of", "as_of", help="purge as if it were this UTC time (YYYY-MM-DDTHH:MM), for checks")
    @click.option("--pause", type=float, default=0.0, help="seconds to rest between batches")
    def purge(as_of: str | None, pause: float) -> None:
        """Delete submissions and drafts past their clinic's retention (run daily, e.g. from cron)."""
        at = datetime.fromisoformat(as_of) if as_of else None
        report = retention.purge(_parts().database, at, pause=pause)
        counts = ", ".join(f"{n} {kind}" for kind, n in report.counts.items())
        click.echo(f"purged {counts} in {report.seconds:.1f} s")

    @app.cli.command("audit")
    @click.option("--clinic", "clinic_name", required=True)
    @click.option("--submission", "submission_id")
    def audit(clinic_name: str, submission_id: str | None) -> None:
        """Print a clinic's audit log (who did what, when; never answers), newest first."""
        with _parts().database.session() as session:
            try:
                clinic = accounts.clinic_named(session, clinic_name)
            except accounts.AccountError as exc:
                _fail(str(exc))
            for event in audit_trail(session, clinic.id, submission_id):
                target = event.submission_id or event.invitation_id or "-"
                click.echo(f"{event.at:%Y-%m-%d %H:%M:%S}Z clinician {event.clinician_id} {event.action} {target}")

    @app.cli.command("doctor")
    def doctor() -> None:
        """Check the configuration (secret, keys, database, region, rules) and say what is wrong."""
        problems = diagnose(app)
        if problems:
            raise SystemExit(1)
