"""Database fixtures for the clinic tests: SQLite always, PostgreSQL too when QUESTIONNAIRE_TEST_DATABASE_URL is set.

PostgreSQL runs get their own schema, named after this process and a random suffix, so several
engineers' test runs can share one database; it is dropped at the end. When the URL is set and the
server does not answer, the tests fail: they never skip.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from questionnaire.clinics import accounts
from questionnaire.clinics.crypto import KeyRing, new_key_setting
from questionnaire.clinics.db import Database, normalise_url, upgrade
from questionnaire.clinics.models import Base

TEST_PG = os.environ.get("QUESTIONNAIRE_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite", *(["postgresql"] if TEST_PG else [])]
TEST_KEYS = new_key_setting("test1")
PASSWORD = "correct horse battery staple"  # noqa: S105 - the test clinicians' password


@dataclass(frozen=True)
class Backend:
    """Where one test's database lives."""

    name: str
    url: str
    schema: str | None = None


@pytest.fixture(scope="session")
def pg_schema() -> Iterator[str]:
    """Create a schema of our own on the test PostgreSQL server, migrate it, and drop it at the end."""
    if not TEST_PG:
        pytest.fail("pg_schema needs QUESTIONNAIRE_TEST_DATABASE_URL", pytrace=False)
    name = f"qtest_{os.getpid()}_{secrets.token_hex(4)}"
    engine = create_engine(normalise_url(TEST_PG), connect_args={"connect_timeout": 5})
    try:
        with engine.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {name}"))
    except Exception as exc:
        engine.dispose()
        pytest.fail(
            f"QUESTIONNAIRE_TEST_DATABASE_URL is set but PostgreSQL cannot be used ({type(exc).__name__}: {exc}). "
            "Start the server, or unset the variable to run on SQLite only.",
            pytrace=False,
        )
    database = Database(TEST_PG, schema=name)
    upgrade(database)
    database.dispose()
    try:
        yield name
    finally:
        with engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
        engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate one SQLite file once; every test gets a copy."""
    path = tmp_path_factory.mktemp("sqlite-template") / "clinic.db"
    database = Database(f"sqlite:///{path}")
    upgrade(database)
    database.dispose()
    return path


def fresh_backend(name: str, request: pytest.FixtureRequest, folder: Path) -> Backend:
    """Return an empty, migrated database of the given kind for one test."""
    if name == "sqlite":
        path = folder / "clinic.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return Backend("sqlite", f"sqlite:///{path}")
    schema = request.getfixturevalue("pg_schema")
    database = Database(TEST_PG, schema=schema)
    tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with database.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    database.dispose()
    return Backend("postgresql", database.url, schema)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    """An empty, migrated database: SQLite, and PostgreSQL when configured."""
    return fresh_backend(request.param, request, tmp_path)


@pytest.fixture
def database(backend: Backend) -> Iterator[Database]:
    """The storage layer's handle on this test's database."""
    db = Database(backend.url, schema=backend.schema)
    yield db
    db.dispose()


@pytest.fixture
def keys() -> KeyRing:
    """The test run's data keys."""
    return KeyRing.from_setting(TEST_KEYS)


def clinic_config(backend: Backend, instance: Path, **extra: Any) -> dict[str, Any]:
    """Return the app settings for a clinic test against this backend."""
    return {
        "TESTING": True,
        "SECRET_KEY": "clinic-test-secret-" + "x" * 32,
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": backend.url,
        "DATABASE_SCHEMA": backend.schema,
        "DATA_KEYS": TEST_KEYS,
        "CHEAP_PASSWORD_HASHES": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        **extra,
    }


@pytest.fixture
def clinic_app(backend: Backend, tmp_path: Path) -> Iterator[Any]:
    """The app on this test's database, with two clinics and one clinician each."""
    from questionnaire import create_app

    app = create_app(clinic_config(backend, tmp_path / "instance"))
    seed(app)
    yield app
    app.extensions["clinics"].database.dispose()


def seed(app: Any) -> None:
    """Add the clinics North and South with a clinician each (north@example.org, south@example.org)."""
    parts = app.extensions["clinics"]
    with parts.database.session() as session:
        for name in ("North", "South"):
            clinic = accounts.add_clinic(session, name)
            accounts.add_clinician(session, parts.passwords, f"{name.lower()}@example.org", clinic, PASSWORD)
