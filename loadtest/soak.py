"""Soak test: serve the app as in production and walk whole questionnaires for minutes on end.

``make soak`` (or ``.venv/bin/python loadtest/soak.py``) starts gunicorn with the repo's
``gunicorn.conf.py``, ``QUESTIONNAIRE_ENV=production`` and a freshly generated secret on a free
loopback port, then runs one thread per connection. Each thread keeps one keep-alive connection
(``http.client``) and its own cookie, and walks complete questionnaires like a person: the start
page, every question page (GET, then POST with the page's CSRF token, following the 303), the
urgent page when a warning sign was reported, the check page, the results, the clinician summary,
and "start again". Any unexpected status, unreadable page or connection failure is an error.

It prints flows completed, requests, errors, requests per second, p50/p99 latency and the memory
(RSS, from /proc) of every gunicorn worker after the warm-up and at the end, and exits 1 if there
was any error, if a worker's memory grew by more than the limit, or if a worker was replaced.

Settings (environment variable, or the option of the same name):

    SOAK_SECONDS         300   how long to drive the load
    SOAK_CONNECTIONS     16    concurrent connections, one thread each
    SOAK_WARMUP_SECONDS  30    memory is first read at the end of the warm-up
    SOAK_MAX_GROWTH_PCT  10    allowed growth of each worker's memory; "off" to only report it
    SOAK_LOG_DIR         (a temporary folder)  where gunicorn's access and error logs go

Worker recycling (``max_requests`` in gunicorn.conf.py) is switched off for the soak
(QUESTIONNAIRE_MAX_REQUESTS=0): a recycled worker would hide a leak and end its memory series.
Everything stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script: make the package importable

from questionnaire.answerfile import sample  # noqa: E402 - needs the path set above

HOST = "127.0.0.1"
COOKIE = "fq_session"

CALM = sample("calm")
HEADACHES = sample("weekly-headaches")
BUSY = {
    **HEADACHES,
    "age_band": "50_59",
    "sleep_quality": "very_poor",
    "wake_unrefreshed": "always",
    "snoring_or_apnea": "suspected",
    "stress_level": "very_high",
    "stress_flares": "often",
    "past_trauma": "yes",
    "family_history": ["fibromyalgia", "migraine"],
    "sensitivities": ["light", "noise"],
    "headache_new_or_changed": "yes",
}
URGENT = {**HEADACHES, "sudden_severe_headache": "yes"}
PROFILES = (CALM, HEADACHES, BUSY, URGENT)

_INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r'([a-zA-Z_:-]+)="([^"]*)"')


class FlowError(Exception):
    """Say which request of a flow went wrong and how."""


@dataclass
class Stats:
    """What one thread saw."""

    flows: int = 0
    requests: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    error_samples: list[str] = field(default_factory=list)


# --- one person ------------------------------------------------------------------------------------


class Visitor:
    """One person's browser: one keep-alive connection and one cookie."""

    def __init__(self, host: str, port: int, stats: Stats, timeout: float = 30.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.stats = stats
        self.cookie = ""
        self.conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method: str, path: str, fields: list[tuple[str, str]] | None = None) -> tuple[int, str, str]:
        """Send one request and return (status, Location, body)."""
        headers = {"Host": f"{self.host}:{self.port}", "Accept": "text/html"}
        body = None
        if self.cookie:
            headers["Cookie"] = f"{COOKIE}={self.cookie}"
        if fields is not None:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            raise FlowError(f"{method} {path}: {type(exc).__name__}: {exc}") from exc
        self.stats.latencies.append(time.perf_counter() - started)
        self.stats.requests += 1
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            if name.strip() == COOKIE:
                value = rest.split(";", 1)[0]
                self.cookie = value if "Max-Age=0" not in header else ""
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status, response.getheader("Location") or "", data.decode("utf-8", "replace")

    def expect(
        self, method: str, path: str, status: int, fields: list[tuple[str, str]] | None = None
    ) -> tuple[str, str]:
        got, location, body = self.request(method, path, fields)
        if got != status:
            raise FlowError(f"{method} {path}: expected {status}, got {got}")
        if status in (302, 303) and not location.startswith("/"):
            raise FlowError(f"{method} {path}: redirect to {location!r}")
        return location, body


def _inputs(html: str) -> list[dict[str, str]]:
    return [dict(_ATTR.findall(tag)) for tag in _INPUT.findall(html)]


def page_token(html: str, where: str) -> str:
    for attrs in _inputs(html):
        if attrs.get("name") == "csrf_token" and attrs.get("value"):
            return attrs["value"]
    raise FlowError(f"{where}: no CSRF token on the page")


def _answers_for(html: str, profile: dict[str, object]) -> list[tuple[str, str]]:
    """Fill in the page's questions from the profile (the first option for any it does not cover)."""
    offered: dict[str, list[str]] = {}
    for attrs in _inputs(html):
        if attrs.get("type") in ("radio", "checkbox") and attrs.get("name"):
            offered.setdefault(attrs["name"], []).append(attrs.get("value", ""))
    fields: list[tuple[str, str]] = []
    for name, values in offered.items():
        chosen = profile.get(name, values[0])
        for value in chosen if isinstance(chosen, list) else [chosen]:
            fields.append((name, str(value)))
    return fields


def run_flow(visitor: Visitor, profile: dict[str, object], max_steps: int = 40) -> None:
    """Walk one whole questionnaire, from the start page to the summary and "start again"."""
    visitor.expect("GET", "/", 200)
    path = "/questions/about"
    _, html = visitor.expect("GET", path, 200)
    for _ in range(max_steps):
        fields = [("csrf_token", page_token(html, path)), *_answers_for(html, profile)]
        location, _ = visitor.expect("POST", path, 303, fields)
        if location.startswith("/urgent"):
            _, urgent = visitor.expect("GET", location, 200)
            location, _ = visitor.expect("POST", "/urgent", 303, [("csrf_token", page_token(urgent, "/urgent"))])
        if location.startswith("/questions/"):
            path = location
            _, html = visitor.expect("GET", path, 200)
            continue
        if location != "/check":
            raise FlowError(f"POST {path}: unexpected redirect to {location}")
        break
    else:
        raise FlowError(f"no end after {max_steps} pages")
    visitor.expect("GET", "/check", 200)
    _, results = visitor.expect("GET", "/results", 200)
    visitor.expect("GET", "/summary", 200)
    location, _ = visitor.expect("POST", "/restart", 303, [("csrf_token", page_token(results, "/results"))])
    if location != "/":
        raise FlowError(f"POST /restart: redirect to {location}")


def _worker(host: str, port: int, deadline: float, stats: Stats, offset: int, stop: threading.Event) -> None:
    visitor = Visitor(host, port, stats)
    turn = offset
    while time.monotonic() < deadline and not stop.is_set():
        profile = PROFILES[turn % len(PROFILES)]
        turn += 1
        try:
            run_flow(visitor, profile)
            stats.flows += 1
        except FlowError as exc:
            stats.errors += 1
            if len(stats.error_samples) < 5:
                stats.error_samples.append(str(exc))
            visitor.close()
            visitor.cookie = ""
    visitor.close()


# --- the server ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A gunicorn started for the soak, with its logs."""

    process: subprocess.Popen[bytes]
    port: int
    access_log: Path
    error_log: Path
    output_log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def workers(self) -> list[int]:
        """Return the pids of the master's worker processes."""
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        if children.exists():
            return sorted(int(p) for p in children.read_text().split())
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.pid:
                found.append(int(stat.parent.name))
        return sorted(found)


def rss_kib(pid: int) -> int:
    """Return a process's resident set size in KiB, from /proc/<pid>/status."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


def _wait_until_ready(server: Server, timeout: float = 60.0, settle: float = 1.0) -> None:
    # Workers boot one after another, and the first can answer before the last exists: wait until
    # the set of workers has stayed the same for `settle` seconds, or a late boot looks like a restart.
    deadline = time.monotonic() + timeout
    seen: list[int] = []
    since = time.monotonic()
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.process.returncode}:\n{_tail(server)}")
        try:
            conn = http.client.HTTPConnection(HOST, server.port, timeout=2)
            conn.request("GET", "/")
            status = conn.getresponse().status
            conn.close()
            workers = server.workers()
            if workers != seen:
                seen, since = workers, time.monotonic()
            elif status == 200 and workers and time.monotonic() - since >= settle:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s:\n{_tail(server)}")


def _tail(server: Server) -> str:
    parts = []
    for path in (server.error_log, server.output_log):
        if path.exists():
            parts.append(path.read_text(errors="replace")[-2000:])
    return "\n".join(parts)


@contextmanager
def serve(log_dir: Path, port: int | None = None, extra_env: dict[str, str] | None = None) -> Iterator[Server]:
    """Run gunicorn with gunicorn.conf.py in production mode on loopback; stop it (and only it) afterwards."""
    log_dir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    env = {
        **os.environ,
        "QUESTIONNAIRE_ENV": "production",
        "QUESTIONNAIRE_SECRET_KEY": secrets.token_hex(32),
        "QUESTIONNAIRE_BIND": f"{HOST}:{port}",
        "QUESTIONNAIRE_ACCESS_LOG": str(log_dir / "access.log"),
        "QUESTIONNAIRE_MAX_REQUESTS": "0",
        **(extra_env or {}),
    }
    env.pop("QUESTIONNAIRE_RULES", None)  # the bundled rules
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        str(ROOT / "gunicorn.conf.py"),
        "--error-logfile",  # the command line wins over the config file
        str(log_dir / "error.log"),
        # gunicorn 27 opens a control socket at one fixed path per user (~/.gunicorn/gunicorn.ctl), which
        # two servers on one machine (a soak beside a benchmark, say) would fight over.
        "--no-control-socket",
    ]
    output = (log_dir / "server.out").open("wb")
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
    )
    server = Server(process, port, log_dir / "access.log", log_dir / "error.log", log_dir / "server.out")
    try:
        _wait_until_ready(server)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)  # our own session: the master and its workers
                process.wait(timeout=10)
        output.close()


# --- the soak ------------------------------------------------------------------------------------


@dataclass
class Result:
    seconds: float
    connections: int
    flows: int
    requests: int
    errors: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    memory_warm: dict[int, int]
    memory_end: dict[int, int]
    workers_replaced: bool
    error_samples: list[str]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def growth(self) -> dict[int, float]:
        return {
            pid: 100.0 * (self.memory_end[pid] - kib) / kib
            for pid, kib in self.memory_warm.items()
            if pid in self.memory_end and kib
        }


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def drive(
    server: Server,
    seconds: float,
    connections: int,
    warmup: float,
    progress: bool = False,
) -> Result:
    """Run the threads for `seconds` and read the workers' memory after the warm-up and at the end."""
    stats = [Stats() for _ in range(connections)]
    stop = threading.Event()
    started = time.monotonic()
    deadline = started + seconds
    threads = [
        threading.Thread(target=_worker, args=(HOST, server.port, deadline, s, i, stop), daemon=True)
        for i, s in enumerate(stats)
    ]
    for thread in threads:
        thread.start()
    workers_at_start = server.workers()
    memory_warm: dict[int, int] = {}
    next_report = started + 30
    try:
        while any(t.is_alive() for t in threads):
            now = time.monotonic()
            if not memory_warm and now - started >= warmup:
                memory_warm = {pid: rss_kib(pid) for pid in server.workers()}
            if progress and now >= next_report:
                done = sum(s.requests for s in stats)
                errors = sum(s.errors for s in stats)
                print(f"  {now - started:5.0f} s: {done} requests, {errors} errors", flush=True)
                next_report += 30
            time.sleep(0.1)
    except KeyboardInterrupt:
        stop.set()
        for thread in threads:
            thread.join(timeout=40)
    elapsed = time.monotonic() - started
    workers_now = server.workers()
    if not memory_warm:
        memory_warm = {pid: rss_kib(pid) for pid in workers_now}
    memory_end = {pid: rss_kib(pid) for pid in workers_now}
    latencies = [x for s in stats for x in s.latencies]
    return Result(
        seconds=elapsed,
        connections=connections,
        flows=sum(s.flows for s in stats),
        requests=sum(s.requests for s in stats),
        errors=sum(s.errors for s in stats),
        p50_ms=1000 * _percentile(latencies, 0.50),
        p99_ms=1000 * _percentile(latencies, 0.99),
        max_ms=1000 * max(latencies, default=0.0),
        memory_warm=memory_warm,
        memory_end=memory_end,
        workers_replaced=workers_now != workers_at_start or set(memory_warm) != set(memory_end),
        error_samples=[e for s in stats for e in s.error_samples][:10],
    )


def report(result: Result, warmup: float, max_growth: float | None, server: Server) -> bool:
    """Print the figures; return whether the soak passed."""
    print(f"duration: {result.seconds:.1f} s, connections: {result.connections}")
    print(f"flows completed: {result.flows}")
    print(f"requests: {result.requests}")
    print(f"errors: {result.errors}")
    for failure in result.error_samples:
        print(f"  e.g. {failure}")
    print(f"throughput: {result.rps:.1f} requests/s ({result.flows / result.seconds:.1f} flows/s)")
    print(f"latency: p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms, max {result.max_ms:.1f} ms")
    print(f"worker memory (RSS) after the {warmup:.0f} s warm-up -> at the end:")
    growth = result.growth()
    for pid, kib in sorted(result.memory_warm.items()):
        end = result.memory_end.get(pid)
        if end is None:
            print(f"  worker {pid}: {kib / 1024:.1f} MiB -> (gone)")
            continue
        print(f"  worker {pid}: {kib / 1024:.1f} MiB -> {end / 1024:.1f} MiB ({growth[pid]:+.1f}%)")
    print(f"master {server.pid}: {rss_kib(server.pid) / 1024:.1f} MiB")
    ok = result.errors == 0 and result.flows > 0 and not result.workers_replaced
    if result.workers_replaced:
        print("FAIL: a worker was replaced during the soak")
    if max_growth is not None:
        grown = {pid: g for pid, g in growth.items() if g > max_growth}
        if grown:
            print(f"FAIL: worker memory grew by more than {max_growth:g}%: {grown}")
            ok = False
    print("PASS" if ok else "FAIL")
    return ok


def _env_number(name: str, default: float) -> float:
    return float(os.environ.get(name) or default)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=_env_number("SOAK_SECONDS", 300))
    parser.add_argument("--connections", type=int, default=int(_env_number("SOAK_CONNECTIONS", 16)))
    parser.add_argument("--warmup-seconds", type=float, default=_env_number("SOAK_WARMUP_SECONDS", 30))
    parser.add_argument(
        "--max-growth-pct",
        default=os.environ.get("SOAK_MAX_GROWTH_PCT", "10"),
        help='allowed growth of each worker\'s RSS after the warm-up, in percent; "off" to only report it',
    )
    parser.add_argument("--log-dir", default=os.environ.get("SOAK_LOG_DIR") or None)
    parser.add_argument("--port", type=int, default=int(_env_number("SOAK_PORT", 0)) or None)
    args = parser.parse_args(argv)
    if args.seconds <= 0 or args.connections <= 0:
        parser.error("--seconds and --connections must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    max_growth = None if str(args.max_growth_pct).lower() in ("off", "none", "") else float(args.max_growth_pct)
    warmup = min(args.warmup_seconds, args.seconds / 2)
    log_dir = Path(args.log_dir) if args.log_dir else Path(tempfile.mkdtemp(prefix="soak-"))
    with serve(log_dir, args.port) as server:
        workers = server.workers()
        print(
            f"soak: gunicorn (gunicorn.conf.py, production, worker recycling off) on http://{HOST}:{server.port}, "
            f"{len(workers)} workers {workers}; {args.seconds:.0f} s at {args.connections} connections, "
            f"warm-up {warmup:.0f} s; logs in {log_dir}",
            flush=True,
        )
        result = drive(server, args.seconds, args.connections, warmup, progress=True)
        ok = report(result, warmup, max_growth, server)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
