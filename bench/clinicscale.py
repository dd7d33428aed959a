"""The inbox's first page and purge with 1,000,000 submissions across 1,000 clinics on PostgreSQL (opt-in)."""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from questionnaire.clinics import accounts, retention
from questionnaire.clinics.crypto import new_key_setting
from questionnaire.clinics.models import Clinic

from .clinic import PASSWORD, _drop, _prepared, run_rotating
from .web import Client, Scenario, Server, csrf_token, ensure_wrk

# Made in the database itself: 1,000 clinics, then the submissions spread over them and over 80 days,
# every tenth one already past retention (delete_after in the past), 2% flagged emergency, 5% soon.
CLINICS_SQL = """
INSERT INTO clinics (name, retention_days, draft_days, created_at)
SELECT 'Clinic ' || g, 90, 30, now() FROM generate_series(1, :clinics) AS g
"""
SUBMISSIONS_SQL = """
INSERT INTO submissions (id, clinic_id, label, submitted_at, urgent_tier, ruleset_version, delete_after,
                         key_id, wrapped_key, ciphertext)
SELECT substr(md5(g::text), 1, 24),
       (SELECT min(id) FROM clinics) + g % :clinics,
       'Ref ' || g,
       now() - make_interval(secs => (g % 6912000)),
       CASE WHEN g % 50 = 0 THEN 'emergency' WHEN g % 20 = 0 THEN 'soon' END,
       'bench',
       CASE WHEN g % 10 = 0 THEN now() - interval '1 day' ELSE now() + interval '90 days' END,
       'bench',
       decode(md5(g::text) || md5(g::text), 'hex'),
       decode(repeat(md5(g::text), 36), 'hex')
FROM generate_series(1, :rows) AS g
"""


#: Clinicians loading their inbox at once: one per core, so the figure is the page's own time with a
#: million rows behind it rather than queueing behind other requests on a 2-core machine.
INBOX_CONNECTIONS = 2


def run_scale(pg_url: str, rows: int, clinics: int, seconds: float, keep: bool) -> dict[str, Any]:
    """Fill a schema, measure the inbox's first page under load, then purge while loading it."""
    schema = os.environ.get("QUESTIONNAIRE_BENCH_SCHEMA") or f"bench_scale_{secrets.token_hex(3)}"
    wrk = ensure_wrk()
    database = _prepared(pg_url, schema)
    out: dict[str, Any] = {"rows": rows, "clinics": clinics, "seconds": seconds, "connections": INBOX_CONNECTIONS}
    try:
        started = time.perf_counter()
        with database.engine.begin() as connection:
            connection.execute(text(CLINICS_SQL), {"clinics": clinics})
            connection.execute(text(SUBMISSIONS_SQL), {"rows": rows, "clinics": clinics})
        with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE submissions"))
        out["fill_s"] = time.perf_counter() - started
        print(f"clinic scale: {rows:,} submissions made in {out['fill_s']:.0f} s", file=sys.stderr)
        with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
            out.update(_measure(wrk, database, pg_url, schema, seconds, Path(tmp)))
    finally:
        if keep:
            database.dispose()
            print(f"clinic scale: schema {schema} kept", file=sys.stderr)
        else:
            _drop(database, schema)
    return out


def _measure(wrk: str, database: Any, url: str, schema: str, seconds: float, workdir: Path) -> dict[str, Any]:
    parts = accounts.Passwords()
    with database.session() as db:
        ids = list(db.scalars(select(Clinic.id).order_by(Clinic.id).limit(16)))
        for number, clinic_id in enumerate(ids):
            accounts.add_clinician(db, parts, f"bench{number}@example.org", db.get(Clinic, clinic_id), PASSWORD)
    env = {
        "QUESTIONNAIRE_ENV": "production",
        "QUESTIONNAIRE_SECRET_KEY": secrets.token_hex(32),
        "QUESTIONNAIRE_DATA_KEYS": new_key_setting("bench"),
        "QUESTIONNAIRE_DATABASE_URL": url,
        "QUESTIONNAIRE_DATABASE_SCHEMA": schema,
        "QUESTIONNAIRE_LOGIN_LIMITS": "1000 per minute",
    }
    server = Server("clinic-scale", "app:app", env, workdir)
    server.start("/healthz")
    try:
        cookies = [(_signed_in(server.port, f"bench{n}@example.org"), None) for n in range(len(ids))]
        inbox = Scenario("inbox", "GET", "/clinic/submissions", 200)
        first = run_rotating(wrk, server.port, inbox, cookies, seconds, workdir, INBOX_CONNECTIONS)
        result: dict[str, Any] = {
            "inbox_p50_ms": first["p50_us"] / 1000,
            "inbox_p95_ms": _p95(first),
            "inbox_p99_ms": first["p99_us"] / 1000,
            "inbox_rps": first["rps"],
            "inbox_errors": first["errors"],
        }
        # purge while wrk keeps loading the inbox
        report: dict[str, Any] = {}

        def purge() -> None:
            time.sleep(1.0)
            done = retention.purge(database)
            report.update(done.counts, seconds=done.seconds)

        worker = threading.Thread(target=purge)
        worker.start()
        during = run_rotating(wrk, server.port, inbox, cookies, max(seconds, 40.0), workdir, INBOX_CONNECTIONS)
        worker.join()
        result.update(
            purged_rows=report.get("submissions", 0),
            purge_s=report.get("seconds", float("nan")),
            inbox_max_during_purge_ms=during["max_us"] / 1000,
            inbox_p99_during_purge_ms=during["p99_us"] / 1000,
            inbox_errors_during_purge=during["errors"],
        )
        return result
    finally:
        server.stop()


def _p95(figures: dict[str, Any]) -> float:
    return float(figures["p95_us"]) / 1000


def _signed_in(port: int, email: str) -> str:
    client = Client(port)
    _, _, html = client.request("GET", "/clinic/login")
    body = f"csrf_token={csrf_token(html)}&email={email}&password={PASSWORD.replace(' ', '+')}"
    status, _, _ = client.request("POST", "/clinic/login", body)
    if status != 303:
        raise RuntimeError(f"bench sign-in answered {status}")
    return client.cookie_header()
