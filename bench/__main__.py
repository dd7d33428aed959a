"""Run the benchmarks: ``python -m bench [--quick] [--seconds N] [--skip-http] [--out FILE]``."""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

from questionnaire.loader import load_ruleset

from . import engine, report, scale, web
from .profiles import make_profiles


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(prog="python -m bench", description="Benchmark engine, scale and HTTP.")
    parser.add_argument("--quick", action="store_true", help="short run: fewer profiles and rounds, 2 s HTTP runs")
    parser.add_argument("--seconds", type=float, help="length of each wrk run (default 5, quick 2)")
    parser.add_argument(
        "--repeats", type=int, help="wrk runs per scenario and server, taking turns; median taken (default 3, quick 1)"
    )
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    parser.add_argument("--profiles", type=int, help="random answer profiles (default 300, quick 60)")
    parser.add_argument("--rounds", type=int, help="timing rounds over the profiles (default 20, quick 3)")
    parser.add_argument("--sizes", help="comma-separated rule-set sizes (default 10,100,1000)")
    parser.add_argument("--skip-engine", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--out", default="bench-results.json", help="where to write the figures (JSON)")
    clinic = parser.add_argument_group("clinic (opt-in; PostgreSQL from QUESTIONNAIRE_BENCH_DATABASE_URL)")
    clinic.add_argument(
        "--clinic-draft", action="store_true", help="what a draft save adds at p99, SQLite and PostgreSQL"
    )
    clinic.add_argument(
        "--clinic-scale", action="store_true", help="inbox and purge with 1,000,000 submissions (minutes)"
    )
    clinic.add_argument("--clinic-only", action="store_true", help="skip the engine, scale and HTTP parts")
    clinic.add_argument("--clinic-rows", type=int, default=1_000_000, help="submissions for --clinic-scale")
    clinic.add_argument("--clinic-clinics", type=int, default=1000, help="clinics for --clinic-scale")
    clinic.add_argument("--clinic-no-postgres", action="store_true", help="--clinic-draft on SQLite only")
    clinic.add_argument("--clinic-keep", action="store_true", help="keep the --clinic-scale schema afterwards")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the parts asked for, print the table and write the JSON file."""
    args = parse(argv)
    quick = args.quick
    sizes = [int(s) for s in (args.sizes or "10,100,1000").split(",")]
    results: dict[str, Any] = {
        "meta": {
            "started": time.strftime("%Y-%m-%d %H:%M:%S"),
            "mode": "quick" if quick else "full",
            "python": platform.python_version(),
            "cores": os.cpu_count(),
            "load_average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
            "argv": sys.argv[1:] if argv is None else argv,
        }
    }
    ruleset = load_ruleset()
    profiles = make_profiles(ruleset, count=args.profiles or (60 if quick else 300))
    rounds = args.rounds or (3 if quick else 20)
    gc.collect()
    gc.freeze()  # as the production server does after preloading (gunicorn.conf.py, pre_fork)
    try:
        run_parts(args, results, ruleset, profiles, rounds, sizes)
    finally:
        gc.unfreeze()
    results["goals"] = report.goals(results)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(report.table(results))
    print(f"\nfigures written to {args.out}")
    return 0


def run_parts(
    args: argparse.Namespace,
    results: dict[str, Any],
    ruleset: Any,
    profiles: list[Any],
    rounds: int,
    sizes: list[int],
) -> None:
    """Run the engine, scale and HTTP parts that were not skipped, adding their figures to results."""
    quick = args.quick
    if args.clinic_draft or args.clinic_scale:
        run_clinic(args, results, ruleset)
    if args.clinic_only:
        return
    if not args.skip_engine:
        print("engine: timing assess against zen-engine and JsonLogic ...", file=sys.stderr)
        results["engine"] = engine.run(ruleset, profiles, rounds)
    if not args.skip_scale:
        print(f"scale: generated rule sets of {sizes} rules ...", file=sys.stderr)
        results["scale"] = scale.run(
            ruleset,
            profiles[: min(len(profiles), 100)],
            sizes,
            rounds=max(1, min(rounds, 3)),
            load_repeats=1 if quick else 3,
        )
    if not args.skip_http:
        seconds = args.seconds or (2.0 if quick else 5.0)
        repeats = args.repeats or (1 if quick else 3)
        print(f"http: gunicorn + wrk, {repeats} x {seconds:g} s per scenario and server ...", file=sys.stderr)
        results["http"] = web.run(ruleset, seconds, args.connections, repeats)


def run_clinic(args: argparse.Namespace, results: dict[str, Any], ruleset: Any) -> None:
    """Run the opt-in clinic parts."""
    from . import clinic, clinicscale

    pg_url = None if args.clinic_no_postgres else clinic.default_pg_url()
    seconds = args.seconds or (2.0 if args.quick else 5.0)
    if args.clinic_draft:
        print("clinic: draft saves over HTTP, anonymous against invited ...", file=sys.stderr)
        results["clinic_draft"] = clinic.run_draft(ruleset, seconds, args.repeats or (1 if args.quick else 3), pg_url)
    if args.clinic_scale:
        if pg_url is None:
            raise SystemExit("--clinic-scale needs PostgreSQL")
        print(f"clinic: {args.clinic_rows:,} submissions on PostgreSQL ...", file=sys.stderr)
        results["clinic_scale"] = clinicscale.run_scale(
            pg_url, args.clinic_rows, args.clinic_clinics, max(seconds, 10.0), args.clinic_keep
        )


if __name__ == "__main__":
    raise SystemExit(main())
