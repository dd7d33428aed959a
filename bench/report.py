"""Check the figures against the goals of issue 11 and print them as a table."""

from __future__ import annotations

from typing import Any

ENGINE_MEDIAN_US = 50.0
ZEN_RATIO = 4.0
#: The largest rule set measured against a time goal: no content team writes more (10,000 was retired).
SCALE_RULES = 1000
SCALE_EVAL_MS = 10.0
#: Growth from 100 to 1,000 rules counts as linear up to this (10x plus a fifth for noise).
LINEAR_STEP = 12.0
GET_SHARE = 0.60
GET_P99_MS = 30.0
RESULTS_SHARE = 0.40


def goals(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Return each goal with its measured figure and whether it is met (None when not measured)."""
    out: list[dict[str, Any]] = []

    def add(name: str, figure: str, met: bool | None) -> None:
        out.append({"goal": name, "measured": figure, "met": met})

    engine = results.get("engine")
    if engine:
        t = engine["timings"]
        ours = t["ours (assess, full trace)"]["median_us"]
        add(f"default rules, full trace: median <= {ENGINE_MEDIAN_US:g} us", f"{ours:.1f} us", ours <= ENGINE_MEDIAN_US)
        ratio = t["zen-engine"]["median_us"] / ours
        add(f">= {ZEN_RATIO:g}x faster than zen-engine (decision)", f"{ratio:.1f}x", ratio >= ZEN_RATIO)
        add(
            "all three engines agree on every profile",
            str(engine["agreement"]["all_agree"]),
            engine["agreement"]["all_agree"],
        )
    scale = results.get("scale")
    if scale:
        sizes = {s["rules"]: s for s in scale["sizes"]}
        big = sizes.get(SCALE_RULES)
        if big:
            ms = big["eval_median_us"] / 1000
            add(f"{SCALE_RULES:,} rules evaluated in <= {SCALE_EVAL_MS:g} ms", f"{ms:.2f} ms", ms <= SCALE_EVAL_MS)
            if "eval_growth" in big and sizes.get(SCALE_RULES // 10):
                growth = big["eval_growth"]
                add(
                    f"growth from {SCALE_RULES // 10:,} to {SCALE_RULES:,} rules <= {LINEAR_STEP:g}x",
                    f"{growth:.1f}x",
                    growth <= LINEAR_STEP,
                )
    http = results.get("http")
    if http:
        get = http["scenarios"]["question page GET"]
        res = http["scenarios"]["results page GET"]
        add(
            f"question page GET >= {GET_SHARE:.0%} of bare req/s",
            f"{get['ratio_rps']:.0%}",
            get["ratio_rps"] >= GET_SHARE,
        )
        p99 = get["app"]["p99_us"] / 1000
        add(
            f"question page GET p99 <= {GET_P99_MS:g} ms at {http['connections']} connections",
            f"{p99:.1f} ms",
            p99 <= GET_P99_MS,
        )
        add(
            f"results page >= {RESULTS_SHARE:.0%} of bare req/s",
            f"{res['ratio_rps']:.0%}",
            res["ratio_rps"] >= RESULTS_SHARE,
        )
    clinic_goals(results, add)
    return out


def clinic_goals(results: dict[str, Any], add: Any) -> None:
    """Add the clinic goals of issue 14 when they were measured."""
    from .clinic import DRAFT_P99_MS, INBOX_P95_MS, PURGE_BLOCK_S, PURGE_S

    for name, figures in (results.get("clinic_draft") or {}).get("backends", {}).items():
        work = figures["draft_work_p99_ms"]
        add(
            f"draft page save adds <= {DRAFT_P99_MS:g} ms at p99 (server time on the draft), 16 connections, {name}",
            f"{work:.2f} ms over {figures['draft_work_count']} saves",
            work <= DRAFT_P99_MS and figures["errors"] == 0 and figures["draft_work_count"] > 0,
        )
    scale = results.get("clinic_scale")
    if scale:
        rows = f"{scale['rows']:,} submissions"
        add(
            f"inbox first page p95 <= {INBOX_P95_MS:g} ms ({rows})",
            f"{scale['inbox_p95_ms']:.1f} ms",
            scale["inbox_p95_ms"] <= INBOX_P95_MS and scale["inbox_errors"] == 0,
        )
        add(
            f"purge of {scale['purged_rows']:,} expired rows <= {PURGE_S:g} s",
            f"{scale['purge_s']:.1f} s",
            scale["purge_s"] <= PURGE_S,
        )
        slowest = scale["inbox_max_during_purge_ms"] / 1000
        add(
            f"no inbox load slower than {PURGE_BLOCK_S:g} s during purge",
            f"slowest {slowest:.2f} s",
            slowest <= PURGE_BLOCK_S and scale["inbox_errors_during_purge"] == 0,
        )


def table(results: dict[str, Any]) -> str:
    """Return the figures and goals as plain-text tables."""
    lines: list[str] = []
    meta = results["meta"]
    lines.append(f"Benchmark {meta['started']}  mode={meta['mode']}  python {meta['python']}  cores={meta['cores']}")
    lines.append(
        f"load average at start: {meta['load_average']}  (2-core machine shared with other work: expect noise)"
    )
    engine = results.get("engine")
    if engine:
        lines.append("")
        lines.append(
            f"ENGINE  default rules ({engine['rules']} rules + {engine['urgent_notices']} urgent notices), "
            f"{engine['profiles']} profiles x {engine['rounds']} rounds, zen input: {engine['zen_input']}"
        )
        lines.append(f"  {'contender':32} {'median us':>10} {'p99 us':>10} {'x ours':>8}  round medians us")
        for name, f in engine["timings"].items():
            lines.append(
                f"  {name:32} {f['median_us']:10.1f} {f['p99_us']:10.1f} {f['ratio_to_ours']:8.2f}"
                f"  {f['round_median_min_us']:.1f}..{f['round_median_max_us']:.1f}"
            )
        agree = engine["agreement"]
        lines.append(
            f"  agreement with assess(...).fired on {agree['profiles']} profiles x {agree['rules']} rules: "
            + ", ".join(f"{k} {'yes' if v['agree'] else 'NO'}" for k, v in agree.items() if isinstance(v, dict))
        )
    scale = results.get("scale")
    if scale:
        lines.append("")
        lines.append(f"SCALE  generated rule sets, {scale['profiles']} profiles x {scale['rounds']} rounds")
        lines.append(
            f"  {'rules':>6} {'file KB':>8} {'eval med us':>12} {'eval p99 us':>12} {'x step':>7} "
            f"{'load s':>7} {'x step':>7} {'fired':>6}"
        )
        for s in scale["sizes"]:
            lines.append(
                f"  {s['rules']:6d} {s['rules_file_bytes'] / 1024:8.0f} {s['eval_median_us']:12.1f} "
                f"{s['eval_p99_us']:12.1f} {s.get('eval_growth', float('nan')):7.1f} {s['load_s']:7.3f} "
                f"{s.get('load_growth', float('nan')):7.1f} {s['median_rules_fired']:6.0f}"
                + ("  (over the loader's limits; raised for this run)" if s["over_loader_limits"] else "")
            )
        limits = scale["loader_limits"]
        lines.append(
            f"  loader limits: {limits['max_file_bytes']:,} bytes and {limits['max_values']:,} values per file"
        )
    http = results.get("http")
    if http:
        lines.append("")
        lines.append(
            f"HTTP  gunicorn.conf.py (production), wrk -t2 -c{http['connections']} -d{http['seconds']:g}s "
            f"on 127.0.0.1, {http['repeats']} run(s) each taking turns, the median run shown"
        )
        lines.append(
            f"  {'scenario':20} {'server':5} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'KB/resp':>8} "
            f"{'errors':>6} {'app/bare':>8}"
        )
        for label, sc in http["scenarios"].items():
            for side in ("app", "bare"):
                f = sc[side]
                ratio = f"{sc['ratio_rps']:.0%}" if side == "app" else ""
                lines.append(
                    f"  {label if side == 'app' else '':20} {side:5} {f['rps']:8.0f} {f['p50_us'] / 1000:7.1f} "
                    f"{f['p99_us'] / 1000:7.1f} {f['bytes_per_response'] / 1024:8.1f} {f['errors']:6d} {ratio:>8}"
                )
    draft = results.get("clinic_draft")
    if draft:
        lines.append("")
        lines.append(
            f"CLINIC DRAFT  page POST at {draft['connections']} connections, median of {draft['repeats']} run(s)"
        )
        for name, f in draft["backends"].items():
            lines.append(
                f"  {name:10} draft work p50 {f['draft_work_p50_ms']:5.2f} ms, p99 {f['draft_work_p99_ms']:5.2f} ms;"
                f"  page p99 anonymous {f['anonymous_p99_ms']:6.1f} ms, invited {f['invited_p99_ms']:6.1f} ms"
                f" ({f['added_p99_ms']:+.1f});  req/s {f['anonymous_rps'][0]:.0f} / {f['invited_rps'][0]:.0f}"
                f"  errors {f['errors']}"
            )
    scale = results.get("clinic_scale")
    if scale:
        lines.append("")
        lines.append(
            f"CLINIC SCALE  {scale['rows']:,} submissions, {scale['clinics']:,} clinics"
            f" (made in {scale['fill_s']:.0f} s)"
        )
        lines.append(
            f"  inbox first page at {scale['connections']} connections: p50 {scale['inbox_p50_ms']:.1f} ms, "
            f"p95 {scale['inbox_p95_ms']:.1f} ms, "
            f"p99 {scale['inbox_p99_ms']:.1f} ms, {scale['inbox_rps']:.0f} req/s"
        )
        lines.append(
            f"  purge: {scale['purged_rows']:,} rows in {scale['purge_s']:.1f} s; inbox during purge: "
            f"p99 {scale['inbox_p99_during_purge_ms']:.1f} ms, slowest {scale['inbox_max_during_purge_ms']:.0f} ms"
        )
    lines.append("")
    lines.append("GOALS")
    for g in results["goals"]:
        state = "met" if g["met"] else ("not measured" if g["met"] is None else "NOT MET")
        lines.append(f"  [{state:^7}] {g['goal']}: {g['measured']}")
    return "\n".join(lines)
