"""Clinic benchmarks (opt-in): draft saves over HTTP, and the inbox and purge with 1,000,000 submissions.

``--clinic-draft``: gunicorn as in production on SQLite and on PostgreSQL; 16 invited sessions
(each its own invitation, cookie and CSRF token, taken in turn by wrk) POST a question page, which
saves the sealed draft; the same page POSTed by anonymous sessions (cookie only) is the baseline.
The figure is what the draft adds at p99.

``--clinic-scale``: PostgreSQL only, in a schema of its own: 1,000 clinics and 1,000,000 submissions
(100,000 of them past retention), made server-side with generate_series. wrk loads the inbox's first
page (16 clinicians of 16 clinics in turn) for p95; then ``purge`` runs while wrk keeps loading the
inbox, and the slowest page load during the purge is reported.
"""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import text

from questionnaire.clinics import accounts, invitations
from questionnaire.clinics.crypto import new_key_setting
from questionnaire.clinics.db import Database, upgrade
from questionnaire.model import RuleSet

from .web import (
    MEASURED_PAGE,
    BenchError,
    Client,
    Scenario,
    Server,
    build_session,
    csrf_token,
    ensure_wrk,
    form_body,
    lua_script,
    run_wrk,
)

DRAFT_P99_MS = 5.0
INBOX_P95_MS = 50.0
PURGE_S = 30.0
PURGE_BLOCK_S = 1.0
PASSWORD = "bench password 1234"  # noqa: S105 - the bench clinicians' password


def default_pg_url() -> str:
    """Return the PostgreSQL server to use (the test server unless QUESTIONNAIRE_BENCH_DATABASE_URL says)."""
    return os.environ.get("QUESTIONNAIRE_BENCH_DATABASE_URL") or os.environ.get(
        "QUESTIONNAIRE_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )


# Collect the server's own measure of the draft work (Server-Timing: draft;dur=MS, sent when
# QUESTIONNAIRE_SERVER_TIMING=1) in every wrk thread, and print its percentiles after wrk's figures.
SERVER_TIMING_LUA = """
local threads = {}
setup = function(thread) table.insert(threads, thread) end
timings = {}
response = function(status, headers, body)
  local value = headers["Server-Timing"]
  if value then
    local ms = value:match("draft;dur=([%d%.]+)")
    if ms then timings[#timings + 1] = tonumber(ms) end
  end
end
local wrk_done = done
done = function(summary, latency, requests)
  wrk_done(summary, latency, requests)
  local all = {}
  for _, thread in ipairs(threads) do
    for _, ms in ipairs(thread:get("timings")) do all[#all + 1] = ms end
  end
  table.sort(all)
  local function at(fraction)
    if #all == 0 then return -1 end
    return all[math.max(1, math.ceil(fraction * #all))]
  end
  io.write(string.format('EXTRAJSON {"draft_count": %d, "draft_p50_ms": %.3f, "draft_p99_ms": %.3f, '
    .. '"draft_max_ms": %.3f}\\n', #all, at(0.5), at(0.99), at(1.0)))
end
"""


def rotating_script(scenario: Scenario, variants: list[tuple[str, str | None]]) -> str:
    """Return a wrk script that sends the request with each (cookie, body) in turn, and prints JSON figures."""
    lines = [lua_script(scenario), "local variants = {"]
    for cookie, body in variants:
        lines.append(f"  {{[==[{cookie}]==], {f'[==[{body}]==]' if body is not None else 'nil'}}},")
    lines.append("}")
    lines.append(
        f"""
local n = 0
request = function()
  n = n % #variants + 1
  local headers = {{["Cookie"] = variants[n][1]}}
  if variants[n][2] then headers["Content-Type"] = "application/x-www-form-urlencoded" end
  return wrk.format("{scenario.method}", "{scenario.path}", headers, variants[n][2])
end
"""
    )
    lines.append(SERVER_TIMING_LUA)
    return "\n".join(lines)


def run_rotating(
    wrk: str,
    port: int,
    scenario: Scenario,
    variants: list[tuple[str, str | None]],
    seconds: float,
    workdir: Path,
    connections: int = 16,
) -> dict[str, Any]:
    """Run wrk, taking the (cookie, body) variants in turn."""
    return run_wrk(wrk, port, scenario, seconds, connections, workdir, rotating_script(scenario, variants))


def invited_sessions(
    port: int, ruleset: RuleSet, answers: dict[str, Any], tokens: list[str]
) -> list[tuple[str, str | None]]:
    """Open each invitation over HTTP, answer every page, and return (cookie, page POST body) per session."""
    out = []
    for token in tokens:
        client = Client(port)
        status, _, html = client.request("GET", f"/i/{token}")
        if status != 200:
            raise BenchError(f"invitation link answered {status}")
        status, headers, _ = client.request("POST", f"/i/{token}", f"csrf_token={csrf_token(html)}")
        path = headers.get("location", "")
        for _ in range(len(ruleset.pages) + 2):
            if "/questions/" not in path:
                break
            path = "/questions/" + path.rsplit("/questions/", 1)[1]
            status, _, html = client.request("GET", path)
            page_id = path.rsplit("/", 1)[1]
            status, headers, _ = client.request("POST", path, form_body(ruleset, page_id, answers, csrf_token(html)))
            path = headers.get("location", "")
        _, _, html = client.request("GET", f"/questions/{MEASURED_PAGE}")
        out.append((client.cookie_header(), form_body(ruleset, MEASURED_PAGE, answers, csrf_token(html))))
    return out


def run_draft(ruleset: RuleSet, seconds: float, repeats: int, pg_url: str | None) -> dict[str, Any]:
    """Measure what saving a draft page adds at p99 at 16 connections, on SQLite and PostgreSQL."""
    wrk = ensure_wrk()
    results: dict[str, Any] = {"seconds": seconds, "repeats": repeats, "connections": 16, "backends": {}}
    with tempfile.TemporaryDirectory(prefix="bench-clinic-") as tmp:
        workdir = Path(tmp)
        backends = {"sqlite": (f"sqlite:///{workdir / 'clinic.db'}", None)}
        if pg_url:
            backends["postgresql"] = (pg_url, f"bench_{os.getpid()}_{secrets.token_hex(3)}")
        for name, (url, schema) in backends.items():
            print(f"clinic draft: {name} ...", file=sys.stderr)
            results["backends"][name] = _draft_on(wrk, ruleset, url, schema, seconds, repeats, workdir)
    return results


def _draft_on(
    wrk: str, ruleset: RuleSet, url: str, schema: str | None, seconds: float, repeats: int, workdir: Path
) -> dict[str, Any]:
    keys = new_key_setting("bench")
    database = _prepared(url, schema)
    try:
        with database.session() as db:
            clinic = accounts.add_clinic(db, "Bench")
            tokens = [invitations.create_invitation(db, clinic, None).token for _ in range(16)]
        env = {
            "QUESTIONNAIRE_ENV": "production",
            "QUESTIONNAIRE_SECRET_KEY": secrets.token_hex(32),
            "QUESTIONNAIRE_DATA_KEYS": keys,
            "QUESTIONNAIRE_DATABASE_URL": url,
            "QUESTIONNAIRE_DATABASE_SCHEMA": schema or "",
            "QUESTIONNAIRE_SERVER_TIMING": "1",
        }
        server = Server(f"clinic-{database.backend}", "app:app", env, workdir)
        server.start("/healthz")
        try:
            anonymous = []
            for _ in range(16):
                client, token, answers = build_session(server.port, ruleset)
                anonymous.append((client.cookie_header(), form_body(ruleset, MEASURED_PAGE, answers, token)))
            invited = invited_sessions(server.port, ruleset, answers, tokens)
            page = f"/questions/{MEASURED_PAGE}"
            runs: dict[str, list[dict[str, Any]]] = {"anonymous": [], "invited": []}
            for _ in range(repeats):
                for side, variants in (("anonymous", anonymous), ("invited", invited)):
                    scenario = Scenario(f"draft-{side}", "POST", page, 303)
                    runs[side].append(run_rotating(wrk, server.port, scenario, variants, seconds, workdir))
        finally:
            server.stop()
    finally:
        _drop(database, schema)
    best = {side: min(r["p99_us"] for r in rs) / 1000 for side, rs in runs.items()}
    median = {side: sorted(r["p99_us"] for r in rs)[len(rs) // 2] / 1000 for side, rs in runs.items()}
    draft = sorted((r.get("extra", {}) for r in runs["invited"]), key=lambda e: e.get("draft_p99_ms", 0))
    server_side = draft[len(draft) // 2] if draft else {}
    return {
        "draft_work_p99_ms": server_side.get("draft_p99_ms", float("nan")),
        "draft_work_p50_ms": server_side.get("draft_p50_ms", float("nan")),
        "draft_work_count": server_side.get("draft_count", 0),
        "anonymous_p99_ms": median["anonymous"],
        "invited_p99_ms": median["invited"],
        "added_p99_ms": median["invited"] - median["anonymous"],
        "added_p99_ms_best_runs": best["invited"] - best["anonymous"],
        "anonymous_rps": [r["rps"] for r in runs["anonymous"]],
        "invited_rps": [r["rps"] for r in runs["invited"]],
        "errors": sum(r["errors"] for rs in runs.values() for r in rs),
    }


def _prepared(url: str, schema: str | None) -> Database:
    if schema:
        admin = Database(url)
        with admin.engine.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        admin.dispose()
    database = Database(url, schema=schema)
    upgrade(database)
    return database


def _drop(database: Database, schema: str | None) -> None:
    database.dispose()
    if schema:
        admin = Database(database.url)
        with admin.engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()
