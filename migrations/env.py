"""Run Alembic migrations on the engine handed over by ``questionnaire.clinics.db`` (never from a URL here)."""

from __future__ import annotations

from alembic import context

from questionnaire.clinics.models import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:
    raise RuntimeError("run migrations with `flask --app app db upgrade` (it passes the configured database)")

with engine.begin() as connection:
    # render_as_batch: SQLite cannot ALTER most things; batch mode copies the table instead.
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
