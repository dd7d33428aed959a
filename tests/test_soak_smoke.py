"""The soak driver keeps working (a few seconds against a real gunicorn), and gunicorn's logs leak nothing.

No timing or memory assertions here: those belong to ``make soak``. This only checks that whole
flows complete with zero errors, so the driver cannot rot, and that the access, error and output
logs of a production-configured gunicorn carry no answer, no question id and no query string.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from loadtest import soak

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def test_the_soak_command_runs_whole_flows_without_errors(tmp_path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "loadtest/soak.py",
            "--seconds",
            "4",
            "--connections",
            "4",
            "--warmup-seconds",
            "1",
            "--max-growth-pct",
            "off",
            "--log-dir",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    flows = int(re.search(r"^flows completed: (\d+)$", output, re.MULTILINE).group(1))
    assert flows > 0
    assert re.search(r"^errors: 0$", output, re.MULTILINE)
    assert re.search(r"^latency: p50 [\d.]+ ms, p99 [\d.]+ ms", output, re.MULTILINE)
    assert len(re.findall(r"^  worker \d+: [\d.]+ MiB -> [\d.]+ MiB", output, re.MULTILINE)) >= 1
    assert (tmp_path / "access.log").stat().st_size > 0


def test_gunicorn_logs_carry_no_answers_and_no_query_strings(tmp_path, log_secrets) -> None:
    with soak.serve(tmp_path) as server:
        result = soak.drive(server, seconds=2, connections=2, warmup=0.5)
        assert result.errors == 0, result.error_samples
        assert result.flows > 0
        stats = soak.Stats()
        visitor = soak.Visitor(soak.HOST, server.port, stats)
        soak.run_flow(visitor, log_secrets.answers)  # the whole questionnaire with the distinctive answers
        visitor.expect("GET", "/", 200)
        _, page = visitor.expect("GET", "/questions/about", 200)
        token = soak.page_token(page, "/questions/about")
        # A value not offered, an answer in a query string, an API call: all must stay out of the logs.
        visitor.expect("POST", "/questions/about", 400, [("csrf_token", token), ("age_band", log_secrets.not_offered)])
        status, _, _ = visitor.request(
            "GET", "/questions/headaches?return=check&probe=SECRETQUERY&sleep_quality=very_poor"
        )
        assert status in (200, 302)
        visitor.close()
    access = server.access_log.read_text()
    logs = access + server.error_log.read_text() + server.output_log.read_text()
    assert "/questions/headaches" in access  # the probe was logged, by its path only
    assert "SECRETQUERY" not in logs and "?" not in access and "return=check" not in logs
    leaked = log_secrets.found_in(logs)
    assert not leaked, f"found in gunicorn's logs: {leaked}"
    assert "Booting worker" in logs  # the error log really was captured
