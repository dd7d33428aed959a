"""Load-test the app under the production gunicorn settings against a bare Flask app, with wrk.

Both servers run the same ``gunicorn.conf.py`` on free loopback ports; a real session is built
over HTTP first (cookie and CSRF token), then wrk replays a question page GET, a page POST and the
results page against the app, and the matching routes against the bare app, taking turns.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from questionnaire import flow
from questionnaire.answers import parse_answers
from questionnaire.model import RuleSet

from .profiles import HAND_WRITTEN

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # load goes to loopback only
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
#: The profile walked through the questionnaire: answers every page, no emergency warning signs.
SESSION_PROFILE = "poor sleep and stress, weekly migraine"
#: The question page measured (GET and POST): a typical page in the middle of the flow.
MEASURED_PAGE = "sleep"


class BenchError(RuntimeError):
    """Report a benchmark set-up that did not work (server, session or wrk)."""


def ensure_wrk() -> str:
    """Return the wrk binary, installing Debian's package first if it is missing (needs root)."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise BenchError("wrk is not installed; install it with: sudo apt-get install -y wrk")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", "wrk"]
    if subprocess.run(install, env=env, capture_output=True, timeout=300).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, timeout=300)
        subprocess.run(install, env=env, capture_output=True, timeout=300, check=True)
    found = shutil.which("wrk")
    if not found:
        raise BenchError("installing wrk did not work")
    return found


def free_port() -> int:
    """Return a TCP port that is free on the loopback address."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """Run one gunicorn server with the production config, on its own port."""

    name: str
    wsgi: str
    env: dict[str, str]
    workdir: Path
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    log: Path = field(default_factory=Path)

    def start(self, ready_path: str, timeout: float = 60.0) -> None:
        """Start gunicorn and wait until ready_path answers, or fail with the server's log."""
        self.port = free_port()
        self.log = self.workdir / f"{self.name}.log"
        env = {**os.environ, **self.env, "QUESTIONNAIRE_BIND": f"{HOST}:{self.port}"}
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--control-socket",
            str(self.workdir / f"{self.name}.ctl"),
            self.wsgi,
        ]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"{self.name} server exited at start:\n{self.tail()}")
            try:
                status, _, _ = Client(self.port).request("GET", ready_path)
                if status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise BenchError(f"{self.name} server did not answer within {timeout:.0f} s:\n{self.tail()}")

    def stop(self) -> None:
        """Stop the server (gracefully, then by force) and wait for it."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def tail(self, lines: int = 20) -> str:
        """Return the end of the server's log."""
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


class Client:
    """Keep cookies across real HTTP requests (http.client), to build a session."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, dict[str, str], str]:
        """Send one request with the cookies so far; return status, headers and body text."""
        conn = http.client.HTTPConnection(HOST, self.port, timeout=10)
        headers = {"Host": f"{HOST}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    cookie_value = rest.split(";", 1)[0]
                    if cookie_value:
                        self.cookies[key.strip()] = cookie_value
                    else:
                        self.cookies.pop(key.strip(), None)
            return response.status, {k.lower(): v for k, v in response.getheaders()}, text
        finally:
            conn.close()

    def cookie_header(self) -> str:
        """Return the Cookie header for the cookies kept so far."""
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


@dataclass
class Scenario:
    """Describe one wrk run: a method, a path, the expected status, and the headers and body to replay."""

    name: str
    method: str
    path: str
    expect: int
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None


def csrf_token(html: str) -> str:
    """Return the CSRF token from a page's hidden input."""
    match = CSRF.search(html)
    if not match:
        raise BenchError("no csrf_token input on the page")
    return match.group(1) or match.group(2)


#: The answers a walk gives to a question the profile does not answer, when offered.
CALM_VALUES = ("no", "never", "none", "not_applicable", "not_at_all")


def completed(ruleset: RuleSet, answers: dict[str, Any]) -> dict[str, Any]:
    """Return the answers with every shown question answered ("no" or the like where the profile is silent).

    Content changes add questions; the walk then still reaches the check page, as a test walk does.
    """
    answers = dict(answers)
    for _ in range(len(ruleset.pages)):
        missing = flow.Path.of(ruleset, answers).unanswered
        if not missing:
            break
        for question in missing:
            values = [o.value for o in question.options]
            calm = next((v for v in values if v in CALM_VALUES), values[0])  # a new warning sign: "no"
            answers[question.id] = frozenset((calm,)) if question.multiple else calm
    return answers


def form_body(ruleset: RuleSet, page_id: str, answers: dict[str, Any], token: str) -> str:
    """Return the urlencoded form for one page: each shown question's answer, plus the token."""
    page = ruleset.page(page_id)
    if page is None:
        raise BenchError(f"no page {page_id!r} in the rule set")
    pairs: list[tuple[str, str]] = []
    for question in flow.Path.of(ruleset, answers).questions(page):
        value = answers.get(question.id)
        if value is None:
            continue
        pairs += [(question.id, value)] if isinstance(value, str) else [(question.id, v) for v in sorted(value)]
    pairs.append(("csrf_token", token))
    return urlencode(pairs)


def build_session(port: int, ruleset: RuleSet) -> tuple[Client, str, dict[str, Any]]:
    """Answer every page over real HTTP, following the app's redirects; return the client and token."""
    answers, problems = parse_answers(ruleset.questions, HAND_WRITTEN[SESSION_PROFILE], ruleset.retired)
    if problems:
        raise BenchError(f"session profile is not valid: {problems}")
    answers = completed(ruleset, answers)
    client = Client(port)
    status, _, _ = client.request("GET", "/")
    if status != 200:
        raise BenchError(f"GET / answered {status}")
    path = f"/questions/{ruleset.pages[0].id}"
    token = ""
    for _ in range(len(ruleset.pages) + 2):
        status, _, html = client.request("GET", path)
        if status != 200:
            raise BenchError(f"GET {path} answered {status}")
        token = csrf_token(html)
        page_id = path.rsplit("/", 1)[-1]
        status, headers, _ = client.request("POST", path, form_body(ruleset, page_id, answers, token))
        if status not in (302, 303):
            raise BenchError(f"POST {path} answered {status}, not a redirect")
        path = urlsplit(headers.get("location", "")).path
        if not path.startswith("/questions/"):
            break
    if path != "/check":
        raise BenchError(f"the walk through the pages ended at {path!r}, not /check")
    for final in ("/check", "/results"):
        status, _, _ = client.request("GET", final)
        if status != 200:
            raise BenchError(f"GET {final} answered {status} after answering every page")
    return client, token, answers


def lua_script(scenario: Scenario) -> str:
    """Return a wrk script that sends the scenario's request and prints its figures as JSON."""
    lines = [f'wrk.method = "{scenario.method}"']
    for key, value in scenario.headers.items():
        lines.append(f'wrk.headers["{key}"] = [==[{value}]==]')
    if scenario.body is not None:
        lines.append(f"wrk.body = [==[{scenario.body}]==]")
    lines.append(
        """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, "errors_connect": %d, "errors_read": %d, '
    .. '"errors_write": %d, "errors_status": %d, "errors_timeout": %d, "p50_us": %d, "p90_us": %d, '
    .. '"p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99), latency.max,
    latency.mean))
end
"""
    )
    return "\n".join(lines)


def run_wrk(
    wrk: str, port: int, scenario: Scenario, seconds: float, connections: int, workdir: Path, script_text: str = ""
) -> dict[str, Any]:
    """Run wrk once against loopback (the scenario's script, or script_text) and return its figures."""
    script = workdir / f"{scenario.name}.lua"
    script.write_text(script_text or lua_script(scenario), encoding="utf-8")
    command = [
        wrk,
        "-t2",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "5s",
        "-s",
        str(script),
        f"http://{HOST}:{port}{scenario.path}",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("WRKJSON ")), None)
    if line is None:
        raise BenchError(f"wrk printed no figures:\n{done.stdout}\n{done.stderr}")
    figures: dict[str, Any] = json.loads(line[len("WRKJSON ") :])
    extra = next((ln for ln in done.stdout.splitlines() if ln.startswith("EXTRAJSON ")), None)
    if extra is not None:  # figures a script collected itself (bench/clinic.py: the server's draft timings)
        figures["extra"] = json.loads(extra[len("EXTRAJSON ") :])
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    figures["errors"] = sum(v for k, v in figures.items() if k.startswith("errors_"))
    figures["bytes_per_response"] = figures["bytes"] / max(1, figures["requests"])
    return figures


def check_once(port: int, scenario: Scenario) -> None:
    """Send the scenario's request once and make sure it answers as expected before loading it."""
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        conn.request(scenario.method, scenario.path, body=scenario.body, headers=scenario.headers)
        response = conn.getresponse()
        response.read()
    finally:
        conn.close()
    if response.status != scenario.expect:
        raise BenchError(f"{scenario.name}: {scenario.method} {scenario.path} answered {response.status}")


def run(ruleset: RuleSet, seconds: float, connections: int = 16, repeats: int = 1) -> dict[str, Any]:
    """Start both servers, build a session, run each scenario on each server in turn, and stop them."""
    wrk = ensure_wrk()
    with tempfile.TemporaryDirectory(prefix="bench-http-") as tmp:
        workdir = Path(tmp)
        common = {"QUESTIONNAIRE_ENV": "production", "QUESTIONNAIRE_SECRET_KEY": secrets.token_hex(32)}
        app = Server("app", "app:app", common, workdir)
        bare = Server("bare", "bench.bareapp:app", common, workdir)
        try:
            app.start("/")
            bare.start("/page")
            client, token, answers = build_session(app.port, ruleset)
            cookie = client.cookie_header()
            form = {"Content-Type": "application/x-www-form-urlencoded"}
            page = f"/questions/{MEASURED_PAGE}"
            body = form_body(ruleset, MEASURED_PAGE, answers, token)
            pairs = [
                (
                    "question page GET",
                    Scenario("app-get", "GET", page, 200, {"Cookie": cookie}),
                    Scenario("bare-get", "GET", "/page", 200),
                ),
                (
                    "page POST",
                    Scenario("app-post", "POST", page, 303, {"Cookie": cookie, **form}, body),
                    Scenario("bare-post", "POST", "/page", 303, form, body),
                ),
                (
                    "results page GET",
                    Scenario("app-results", "GET", "/results", 200, {"Cookie": cookie}),
                    Scenario("bare-results", "GET", "/results", 200),
                ),
            ]
            out: dict[str, Any] = {
                "seconds": seconds,
                "connections": connections,
                "repeats": repeats,
                "workers": "from gunicorn.conf.py",
                "scenarios": {},
            }
            for label, ours, theirs in pairs:
                check_once(app.port, ours)
                check_once(bare.port, theirs)
                runs: dict[str, list[dict[str, Any]]] = {"app": [], "bare": []}
                for _ in range(repeats):
                    runs["app"].append(run_wrk(wrk, app.port, ours, seconds, connections, workdir))
                    runs["bare"].append(run_wrk(wrk, bare.port, theirs, seconds, connections, workdir))
                summary: dict[str, Any] = {side: _median_run(results) for side, results in runs.items()}
                # Each app run is paired with the bare run right after it, so drift in the machine's
                # load cancels out: the ratio is the median of the pairs' ratios.
                pairs_ratio = [a["rps"] / b["rps"] for a, b in zip(runs["app"], runs["bare"], strict=True)]
                summary["ratio_rps"] = statistics.median(pairs_ratio)
                summary["ratio_runs"] = pairs_ratio
                summary["path"] = ours.path
                out["scenarios"][label] = summary
            return out
        finally:
            app.stop()
            bare.stop()


def _median_run(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the run with the median requests/s, with every run's requests/s beside it."""
    ordered = sorted(results, key=lambda r: r["rps"])
    chosen = dict(ordered[len(ordered) // 2])
    chosen["all_rps"] = [r["rps"] for r in results]
    chosen["median_rps"] = statistics.median(r["rps"] for r in results)
    return chosen
