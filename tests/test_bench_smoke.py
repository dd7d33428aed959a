"""The benchmark runs in a quick mode so it cannot rot; no timing is asserted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import engine, report, scale
from bench.__main__ import main
from bench.generate import write_ruleset
from bench.peers import JsonLogicPeer, ZenDecisionPeer, ZenExpressionPeer
from bench.profiles import make_profiles
from questionnaire.engine import assess
from questionnaire.loader import load_ruleset


def test_quick_run_writes_every_figure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bench-results.json"
    args = ["--quick", "--skip-http", "--profiles", "8", "--rounds", "1", "--sizes", "10,100", "--out", str(out)]
    assert main(args) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) >= {"meta", "engine", "scale", "goals"}
    timings = data["engine"]["timings"]
    assert set(timings) == {
        "ours (assess, full trace)",
        "ours (which rules fire only)",
        "zen-engine",
        "zen-expression",
        "json-logic",
    }
    for figures in timings.values():
        assert {"median_us", "p99_us", "ratio_to_ours"} <= set(figures)
    assert data["engine"]["agreement"]["all_agree"] is True
    sizes = data["scale"]["sizes"]
    assert [s["rules"] for s in sizes] == [10, 100]
    assert {"load_s", "eval_median_us", "eval_growth", "load_growth"} <= set(sizes[1])
    assert all(g["met"] in (True, False) for g in data["goals"])
    printed = capsys.readouterr().out
    assert "GOALS" in printed and "ENGINE" in printed and "SCALE" in printed


def test_peers_agree_with_assess_on_generated_rules(tmp_path: Path) -> None:
    base = load_ruleset()
    ruleset = load_ruleset(write_ruleset(tmp_path / "rules", base, 150, seed=3))
    profiles = make_profiles(ruleset, count=25, seed=11)
    peers = [JsonLogicPeer(ruleset), ZenDecisionPeer(ruleset), ZenExpressionPeer(ruleset)]
    result = engine.agreement(ruleset, profiles, peers)
    assert result["all_agree"], result
    # Sanity: the generated rules are not all dead or all firing.
    fired = [sum(assess(ruleset, a).fired.values()) for _, a in profiles]
    assert 0 < sum(fired) < len(fired) * len(ruleset.rules)


def test_scale_run_reports_limits_and_growth() -> None:
    base = load_ruleset()
    result = scale.run(base, make_profiles(base, count=5), [10, 100], rounds=1, load_repeats=1)
    assert result["loader_limits"]["max_file_bytes"] > 0
    assert result["sizes"][1]["size_step"] == 10
    assert report.table({"meta": _meta(), "scale": result, "goals": report.goals({"scale": result})})


def _meta() -> dict[str, object]:
    return {"started": "now", "mode": "test", "python": "3", "cores": 2, "load_average": "0"}


def test_http_harness_pieces_without_servers() -> None:
    from urllib.parse import parse_qs

    from bench import web
    from bench.profiles import HAND_WRITTEN
    from questionnaire.answers import parse_answers

    ruleset = load_ruleset()
    answers, problems = parse_answers(ruleset.questions, HAND_WRITTEN[web.SESSION_PROFILE], ruleset.retired)
    assert not problems
    html = '<input id="csrf_token" name="csrf_token" type="hidden" value="abc.def-1">'
    assert web.csrf_token(html) == "abc.def-1"
    form = parse_qs(web.form_body(ruleset, web.MEASURED_PAGE, answers, "tok"))
    assert form["csrf_token"] == ["tok"]
    assert form["sleep_quality"] == [answers["sleep_quality"]]
    script = web.lua_script(web.Scenario("x", "POST", "/questions/sleep", 303, {"Cookie": "a=b"}, "k=v"))
    assert 'wrk.method = "POST"' in script and "k=v" in script and "WRKJSON" in script
