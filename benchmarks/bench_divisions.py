"""Benchmark: division metrics after a one-unit move on the 2767 wijken (target < 50 ms) and a suggestion
of 16 areas over the 304 municipalities (target < 5 s); also a full recomputation and the dissolved export.

"move + table" = `Division.move` of one wijk to a neighbouring area + `AreaMetrics.update` + the per-area
table (what the editing page does per click), over 200 random moves from the 60-zone division.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import best_of, write  # noqa: E402

from geo.budget.per_unit import unit_budget  # noqa: E402
from geo.divisions import io as division_io  # noqa: E402
from geo.divisions.metrics import AreaMetrics, UnitData  # noqa: E402
from geo.divisions.references import reference_division  # noqa: E402
from geo.divisions.suggest import suggest  # noqa: E402

MOVE_TARGET_MS = 50
SUGGEST_TARGET_S = 5


def bench_moves(n_moves: int = 200) -> dict:
    data = UnitData.load("wijk").with_counts(budget_eur=unit_budget("wijk"))
    div = reference_division("elz60_wijk")
    metrics = AreaMetrics(data, div)
    metrics.table()
    rng = np.random.default_rng(0)
    edges = data.edges
    times = []
    for _ in range(n_moves):
        a, b = edges[int(rng.integers(len(edges)))]
        unit, target = data.codes[a], div.area_of(data.codes[b])
        t0 = time.perf_counter()
        div = div.move([unit], target)
        metrics = metrics.update(div)
        metrics.table()
        times.append((time.perf_counter() - t0) * 1000)
    full_ms = best_of(lambda: AreaMetrics(data, div).table())
    return {
        "move_units": data.n,
        "move_areas": len(div.areas),
        "move_table_median_ms": round(statistics.median(times), 2),
        "move_table_p95_ms": round(float(np.percentile(times, 95)), 2),
        "move_table_max_ms": round(max(times), 2),
        "move_target_ms": MOVE_TARGET_MS,
        "full_recompute_table_ms": full_ms,
    }


def bench_suggest() -> dict:
    data = UnitData.load("gemeente")
    times, devs = [], []
    for seed in range(5):
        t0 = time.perf_counter()
        s = suggest(data, 16, "pop_0_24", tolerance=0.05, seed=seed)
        times.append(time.perf_counter() - t0)
        devs.append(s.max_deviation)
    return {
        "suggest_16_of_304_median_s": round(statistics.median(times), 3),
        "suggest_16_of_304_max_s": round(max(times), 3),
        "suggest_target_s": SUGGEST_TARGET_S,
        "suggest_max_deviation_median_pct": round(100 * statistics.median(devs), 1),
        "suggest_note": "Antwerpen alone exceeds the mean of 16 areas, so the tolerance cannot be met there",
    }


def bench_export() -> dict:
    div = reference_division("swv2021_gemeente")
    t0 = time.perf_counter()
    division_io.to_geojson_bytes(div)
    cold = (time.perf_counter() - t0) * 1000
    warm = best_of(lambda: division_io.to_geojson_bytes(div))
    return {"geojson_export_16_swv_cold_ms": round(cold, 1), "geojson_export_16_swv_cached_ms": warm}


def main() -> None:
    write("divisions", {**bench_moves(), **bench_suggest(), **bench_export()})


if __name__ == "__main__":
    main()
