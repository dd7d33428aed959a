"""The clinic benchmark's pieces that need no server: wrk's rotating script and the goals table (no timing asserted)."""

from __future__ import annotations

from bench import report
from bench.clinic import rotating_script
from bench.web import Scenario


def test_the_wrk_script_takes_every_session_in_turn_and_reads_server_timing() -> None:
    script = rotating_script(Scenario("s", "POST", "/questions/sleep", 303), [("c=1", "a=1"), ("c=2", "a=2")])
    assert "[==[c=1]==]" in script and "[==[a=2]==]" in script
    assert 'wrk.format("POST", "/questions/sleep"' in script
    assert "draft;dur=" in script and "EXTRAJSON" in script and "WRKJSON" in script


def test_clinic_goals_are_reported_when_measured() -> None:
    draft = {
        "draft_work_p99_ms": 3.0,
        "draft_work_p50_ms": 1.0,
        "draft_work_count": 100,
        "anonymous_p99_ms": 20.0,
        "invited_p99_ms": 24.0,
        "added_p99_ms": 4.0,
        "anonymous_rps": [400.0],
        "invited_rps": [300.0],
        "errors": 0,
    }
    scale = {
        "rows": 1_000_000,
        "clinics": 1000,
        "connections": 2,
        "fill_s": 80.0,
        "inbox_p50_ms": 7.0,
        "inbox_p95_ms": 60.0,
        "inbox_p99_ms": 80.0,
        "inbox_rps": 190.0,
        "inbox_errors": 0,
        "purged_rows": 100_000,
        "purge_s": 16.0,
        "inbox_max_during_purge_ms": 360.0,
        "inbox_p99_during_purge_ms": 170.0,
        "inbox_errors_during_purge": 0,
    }
    results = {"clinic_draft": {"connections": 16, "repeats": 1, "backends": {"sqlite": draft}}, "clinic_scale": scale}
    goals = {g["goal"]: g["met"] for g in report.goals(results)}
    assert [met for goal, met in goals.items() if "draft" in goal] == [True]
    assert [met for goal, met in goals.items() if "inbox first page" in goal] == [False]
    assert [met for goal, met in goals.items() if "purge of" in goal] == [True]
    results["meta"] = {"started": "now", "mode": "quick", "python": "3", "cores": 2, "load_average": "0"}
    results["goals"] = report.goals(results)
    table = report.table(results)
    assert "CLINIC DRAFT" in table and "CLINIC SCALE" in table
