"""``flask --app app doctor``: check the configuration and say in plain words what is wrong and how to fix it."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import click
from flask import Flask

from ..clinics import db as dbmod
from ..clinics.crypto import KeySettingError, parse_keys
from ..loader import load_ruleset
from ..problems import RuleSetError

Report = Callable[[bool, str], None]


def _secret(app: Flask, report: Report) -> None:
    production = app.config["ENV"] == "production"
    secret = os.environ.get("QUESTIONNAIRE_SECRET_KEY")
    if secret and len(secret) < 32:
        report(False, "QUESTIONNAIRE_SECRET_KEY is shorter than 32 characters: make a longer random one.")
    elif secret:
        report(True, "the secret key comes from QUESTIONNAIRE_SECRET_KEY.")
    elif production:
        report(
            False,
            "QUESTIONNAIRE_SECRET_KEY is not set; production needs it (python3 -c 'import secrets;"
            " print(secrets.token_hex(32))').",
        )
    else:
        report(True, "the secret key is the development one in instance/secret_key.")


def _keys(app: Flask, report: Report) -> list[str]:
    production = app.config["ENV"] == "production"
    text = os.environ.get("QUESTIONNAIRE_DATA_KEYS")
    if not text:
        if production:
            clinics = _clinic_count(app)
            report(
                not clinics,
                "QUESTIONNAIRE_DATA_KEYS is not set, so clinic use is off"
                + (
                    f" although {clinics} clinic(s) are set up: set it (flask --app app keys new)."
                    if clinics
                    else " (anonymous use only). To use clinics, set it: flask --app app keys new."
                ),
            )
            return []
        text = app.config.get("DATA_KEYS", "")
        source = "the development key in instance/data_keys"
    else:
        source = "QUESTIONNAIRE_DATA_KEYS"
    try:
        ids = [key_id for key_id, _ in parse_keys(text)]
    except KeySettingError as exc:
        report(False, f"the data keys cannot be used: {exc}.")
        return []
    report(True, f"{len(ids)} data key(s) from {source}; new answers are sealed with '{ids[0]}'.")
    return ids


def _clinic_count(app: Flask) -> int:
    from sqlalchemy import func, select

    from ..clinics.models import Clinic

    try:
        with app.extensions["clinics"].database.session() as session:
            return int(session.scalar(select(func.count()).select_from(Clinic)) or 0)
    except Exception:  # no database or no tables yet: the database check says so
        return 0


def _database(app: Flask, report: Report, key_ids: list[str]) -> None:
    from sqlalchemy import func, select

    from ..clinics.models import Draft, Submission

    parts = app.extensions.get("clinics")
    if parts is None:
        report(False, "the database was not set up; see the problems above.")
        return
    database = parts.database
    where = "PostgreSQL" if database.backend == "postgresql" else f"SQLite ({database.engine.url.database})"
    try:
        database.ping()
    except Exception as exc:
        report(
            False, f"the database ({where}) does not answer: {type(exc).__name__}. Check QUESTIONNAIRE_DATABASE_URL."
        )
        return
    current, head = dbmod.current_revision(database), dbmod.head_revision()
    if current != head:
        report(False, f"the database ({where}) is at migration {current}, not {head}: run flask --app app db upgrade.")
        return
    report(True, f"the database ({where}) answers and is at the newest migration ({head}).")
    if database.backend == "sqlite" and app.config["ENV"] == "production":
        report(True, "SQLite suits one server; behind a load balancer use PostgreSQL (QUESTIONNAIRE_DATABASE_URL).")
    with database.session() as session:
        used = {
            k for model in (Draft, Submission) for k in session.scalars(select(model.key_id).group_by(model.key_id))
        }
        count = session.scalar(select(func.count()).select_from(Submission)) or 0
    missing = sorted(used - set(key_ids))
    if missing and key_ids:
        report(False, f"stored answers use key(s) {', '.join(missing)} that are not configured: add them back.")
    elif key_ids and used - {key_ids[0]}:
        report(
            True,
            f"some rows still use older keys ({', '.join(sorted(used - {key_ids[0]}))}): "
            "run flask --app app keys rotate.",
        )
    report(True, f"{count} submission(s) stored.")


def _rules(app: Flask, report: Report) -> None:
    directory = Path(app.config["RULES_DIR"])
    try:
        ruleset = load_ruleset(directory)
    except RuleSetError as exc:
        report(False, f"the rules in {directory} have {len(exc.problems)} problem(s), the first: {exc.problems[0]}")
        return
    report(True, f"rules '{ruleset.name}' version {ruleset.version} load from {directory}.")


def _region(app: Flask, report: Report) -> None:
    region = app.config.get("REGION") or "international"
    try:
        regions = load_ruleset(Path(app.config["RULES_DIR"])).regions
    except RuleSetError:
        report(False, "the region cannot be checked until the rules load (see below).")
        return
    if region in regions:
        report(True, f"region '{region}' ({regions[region].name}) gives the emergency numbers and crisis lines.")
    else:
        report(
            False, f"QUESTIONNAIRE_REGION is '{region}', which the rules do not have; use one of: {', '.join(regions)}."
        )


def _limits(app: Flask, report: Report) -> None:
    from limits.storage import storage_from_string

    uri = app.config.get("RATELIMIT_STORAGE_URI", "memory://")
    if uri.startswith("memory"):
        note = " (counts per process: use Redis with several workers)" if app.config["ENV"] == "production" else ""
        report(True, f"sign-in limits are counted in memory{note}.")
        return
    try:
        ok = storage_from_string(uri).check()
    except Exception as exc:
        report(False, f"the rate-limit storage cannot be used: {type(exc).__name__}.")
        return
    report(ok, "the rate-limit storage answers." if ok else "the rate-limit storage does not answer.")


def diagnose(app: Flask) -> int:
    """Print one line per check; return how many problems were found."""
    problems = 0

    def report(ok: bool, text: str) -> None:
        nonlocal problems
        problems += 0 if ok else 1
        click.echo(f"{'ok     ' if ok else 'PROBLEM'}  {text}")

    click.echo(f"mode: {app.config['ENV']}")
    # Start-up problems (app.config["CONFIG_PROBLEMS"]) are each re-checked below, with the fix.
    _secret(app, report)
    key_ids = _keys(app, report)
    _database(app, report, key_ids)
    _region(app, report)
    _rules(app, report)
    _limits(app, report)
    click.echo("all good." if not problems else f"{problems} problem(s) to fix.")
    return problems
