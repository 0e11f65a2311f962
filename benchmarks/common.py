"""Shared helpers for the benchmark scripts: machine facts and writing results."""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def machine() -> dict:
    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "date": time.strftime("%Y-%m-%d"),
    }


def write(topic: str, results: dict) -> Path:
    """Write ``results`` (plus machine facts) to ``benchmarks/results/<topic>.json`` and print them."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{topic}.json"
    payload = {"machine": machine(), **results}
    path.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n")
    print(json.dumps(payload, indent=1, ensure_ascii=False))
    return path


def best_of(fn, repeat: int = 5) -> float:
    """Best wall time of ``repeat`` calls, in milliseconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return round(min(times), 2)
