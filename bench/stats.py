"""Latency statistics, in milliseconds."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def summarise(seconds: Sequence[float], wall: float | None = None) -> dict[str, float]:
    """count, mean, p50, p95, p99 and max of ``seconds`` in ms; throughput if ``wall``."""
    if not seconds:
        return {"count": 0}
    ms = np.asarray(seconds, dtype=np.float64) * 1000.0
    out = {
        "count": int(len(ms)),
        "mean_ms": round(float(ms.mean()), 3),
        "p50_ms": round(float(np.percentile(ms, 50)), 3),
        "p95_ms": round(float(np.percentile(ms, 95)), 3),
        "p99_ms": round(float(np.percentile(ms, 99)), 3),
        "max_ms": round(float(ms.max()), 3),
    }
    if wall:
        out["wall_s"] = round(wall, 3)
        out["req_per_s"] = round(len(ms) / wall, 1)
    return out
