"""Time calls one by one and summarise them: median, p99, interleaved rounds."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Return the value at a fraction (0..1) of a sorted list, by nearest rank."""
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def time_each(call: Callable[[Any], Any], inputs: Sequence[Any]) -> list[float]:
    """Call once per input and return each call's time in microseconds."""
    clock = time.perf_counter_ns
    out = []
    for item in inputs:
        start = clock()
        call(item)
        out.append((clock() - start) / 1000)
    return out


def interleaved(
    contenders: dict[str, tuple[Callable[[Any], Any], Sequence[Any]]], rounds: int, warmup: int = 1
) -> dict[str, dict[str, float]]:
    """Time every contender over its inputs, round after round, taking turns so noise hits all alike.

    Returns per contender: median and p99 over all calls, and the spread of per-round medians.
    """
    for call, inputs in contenders.values():
        for _ in range(warmup):
            for item in inputs:
                call(item)
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    round_medians: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, (call, inputs) in contenders.items():
            gc.collect()
            times = time_each(call, inputs)
            samples[name].extend(times)
            round_medians[name].append(statistics.median(times))
    summary = {}
    for name, times in samples.items():
        times.sort()
        summary[name] = {
            "median_us": statistics.median(times),
            "p99_us": percentile(times, 0.99),
            "calls": len(times),
            "round_median_min_us": min(round_medians[name]),
            "round_median_max_us": max(round_medians[name]),
        }
    return summary
