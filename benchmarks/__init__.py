"""Benchmarks (`python -m benchmarks.<name>`, each prints one JSON document)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def percentiles(samples: Sequence[float], *points: int) -> dict[int, float]:
    """The requested percentiles (1–99) of `samples`, one definition for every benchmark:
    linear interpolation between the sorted samples (`statistics.quantiles`, method
    "inclusive" — numpy's default), so p50 is the median."""
    if len(samples) == 1:
        return {p: float(samples[0]) for p in points}
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {p: cuts[p - 1] for p in points}
