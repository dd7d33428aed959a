"""Time evaluation and loading of generated rule sets of growing size."""

from __future__ import annotations

import gc
import statistics
import tempfile
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

from questionnaire import yamlsource
from questionnaire.engine import assess
from questionnaire.loader import load_ruleset
from questionnaire.model import RuleSet

from .generate import write_ruleset
from .profiles import Answers
from .timing import percentile, time_each


def _values(data: Any) -> int:
    """Count the values in loaded YAML data the way the loader's node limit does (keys excluded)."""
    if isinstance(data, dict):
        return 1 + sum(_values(v) for v in data.values())
    if isinstance(data, list):
        return 1 + sum(_values(v) for v in data)
    return 1


class _RaisedLimits:
    """Lift the loader's file-size and value-count limits for this process only, and restore them."""

    def __init__(self) -> None:
        self.saved = (yamlsource.MAX_FILE_BYTES, yamlsource.MAX_NODES)

    def __enter__(self) -> None:
        yamlsource.MAX_FILE_BYTES, yamlsource.MAX_NODES = 1 << 30, 1 << 30

    def __exit__(self, *exc: object) -> None:
        yamlsource.MAX_FILE_BYTES, yamlsource.MAX_NODES = self.saved


def run(
    base: RuleSet, profiles: list[tuple[str, Answers]], sizes: list[int], rounds: int, load_repeats: int
) -> dict[str, Any]:
    """Write each size of rule set, time load_ruleset and assess on it, and the growth per tenfold step."""
    results: list[dict[str, Any]] = []
    limits = {"max_file_bytes": yamlsource.MAX_FILE_BYTES, "max_values": yamlsource.MAX_NODES}
    with tempfile.TemporaryDirectory(prefix="bench-rules-") as tmp:
        for size in sizes:
            folder = write_ruleset(Path(tmp) / str(size), base, size)
            rules_file = folder / "rules.yaml"
            file_bytes = rules_file.stat().st_size
            over = file_bytes > limits["max_file_bytes"]
            with _RaisedLimits():
                values = _values(_load_yaml(rules_file))
                over = over or values > limits["max_values"]
                load_times = []
                ruleset = None
                for _ in range(load_repeats):
                    start = time.perf_counter()
                    ruleset = load_ruleset(folder)
                    load_times.append(time.perf_counter() - start)
            assert ruleset is not None
            # As the production server does after preloading (gunicorn.conf.py, pre_fork): keep the
            # long-lived rule set out of the collector's scans.
            gc.collect()
            gc.freeze()
            raw = [a for _, a in profiles]
            for item in raw:  # warm-up
                assess(ruleset, item)
            samples: list[float] = []
            medians = []
            for _ in range(rounds):
                times = time_each(lambda a, rs=ruleset: assess(rs, a), raw)
                samples.extend(times)
                medians.append(statistics.median(times))
            samples.sort()
            fired = statistics.median(sum(assess(ruleset, a).fired.values()) for a in raw)
            results.append(
                {
                    "rules": size,
                    "rules_file_bytes": file_bytes,
                    "rules_file_values": values,
                    "over_loader_limits": over,
                    "load_s": statistics.median(load_times),
                    "load_runs_s": load_times,
                    "eval_median_us": statistics.median(samples),
                    "eval_p99_us": percentile(samples, 0.99),
                    "eval_round_medians_us": medians,
                    "median_rules_fired": fired,
                }
            )
            del ruleset
            gc.unfreeze()
            gc.collect()
    for previous, current in pairwise(results):
        step = current["rules"] / previous["rules"]
        current["eval_growth"] = current["eval_median_us"] / previous["eval_median_us"]
        current["load_growth"] = current["load_s"] / previous["load_s"]
        current["size_step"] = step
    return {"sizes": results, "loader_limits": limits, "profiles": len(profiles), "rounds": rounds}


def _load_yaml(path: Path) -> Any:
    return yamlsource.load_bytes(path.read_bytes(), path.name).data
