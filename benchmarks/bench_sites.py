"""Benchmark: exact site choice and accessibility on the 2767 wijken.

Targets: 10 new sites over 2767 wijken x 2767 candidate wijk centres proven optimal in < 3 s; accessibility
(2SFCA, all 13 types, table per area) for 2767 wijken x 1,000 partners in < 0.5 s.

Measured for several distances, with and without existing partners (the synthetic partners of
`bench_partners.py`, one type), best of 3 runs each (wall time; also the CPU time of one run, which a busy
machine inflates less): the greedy preview, the exact plan (status, seconds,
model size after reduction) and the greedy-vs-exact gap. Also a capacitated case and road-network
distances over a synthetic 500 m street grid covering Flanders. The greedy-vs-exact gap is also measured
with the real OpenStreetMap 2015 example points as existing partners (per type, 1, 2 and 5 km).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_partners import synthetic_partners  # noqa: E402
from common import best_of, write  # noqa: E402

from geo.data import units  # noqa: E402
from geo.partners import access as acc  # noqa: E402
from geo.partners import coverage as cov  # noqa: E402
from geo.partners import location as loc  # noqa: E402
from geo.partners import planning  # noqa: E402
from geo.partners.network import RoadNetwork  # noqa: E402

EXACT_TARGET_S = 3.0
ACCESS_TARGET_S = 0.5
DISTANCES = (1000.0, 2000.0, 3000.0, 5000.0, 10_000.0)


def timed(fn, repeat: int = 3):
    """(best seconds, last result)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return round(best, 3), result


def street_grid(xmin: float, ymin: float, xmax: float, ymax: float, step: float) -> RoadNetwork:
    xs, ys = np.arange(xmin, xmax + step, step), np.arange(ymin, ymax + step, step)
    lines = [np.column_stack([xs, np.full(len(xs), y)]) for y in ys]
    lines += [np.column_stack([np.full(len(ys), x), ys]) for x in xs]
    return RoadNetwork.from_lines(lines, name="raster")


def main() -> None:
    wijken = units.load_table("wijk")
    xy = wijken[["x", "y"]].to_numpy(float)
    weights = cov.demand_weights(wijken)
    partners = synthetic_partners(wijken, 1000)
    existing = partners.loc[partners["type"] == "CLB", ["x", "y"]].to_numpy(float)

    exact_runs = []
    for label, fixed in (("zonder bestaande partners", np.empty((0, 2))), ("met bestaande CLB", existing)):
        for d in DISTANCES:
            problem = loc.site_problem(xy, weights, xy, wijken["code"], fixed, d, 10)
            greedy_s, greedy = timed(lambda p=problem: loc.solve_greedy(p))
            build_s, _ = timed(
                lambda f=fixed, d=d: loc.site_problem(xy, weights, xy, wijken["code"], f, d, 10)
            )
            exact_s, exact = timed(lambda p=problem, g=greedy: loc.solve_exact(p, greedy=g))
            cpu0 = time.process_time()
            loc.solve_exact(problem, greedy=greedy)
            exact_cpu_s = round(time.process_time() - cpu0, 3)
            gap = loc.plan_gap(greedy, exact)
            exact_runs.append(
                {
                    "bestaand": label,
                    "afstand_m": d,
                    "opbouw_s": build_s,
                    "gretig_s": greedy_s,
                    "exact_s": exact_s,
                    "exact_cpu_s": exact_cpu_s,
                    "totaal_s": round(build_s + exact_s, 3),
                    "status": exact.status,
                    "gretig_extra": round(gap["gretig_extra"]),
                    "exact_extra": round(gap["exact_extra"]),
                    "gretig_onder_exact_pct": round(100 * gap["verschil_aandeel"], 2),
                    "model": {
                        k: (round(v) if isinstance(v, float) else v) for k, v in exact.model_size.items()
                    },
                }
            )
            print(exact_runs[-1], flush=True)

    # greedy vs exact on real points: the OpenStreetMap 2015 example partners, per type, 10 new sites
    from geo.partners.io import load_osm_example

    osm = load_osm_example()
    osm_gaps = []
    for partner_type in sorted(osm["type"].unique()):
        fixed = osm.loc[osm["type"] == partner_type, ["x", "y"]].to_numpy(float)
        for d in (1000.0, 2000.0, 5000.0):
            problem = loc.site_problem(xy, weights, xy, wijken["code"], fixed, d, 10)
            greedy = loc.solve_greedy(problem)
            t0 = time.perf_counter()
            exact = loc.solve_exact(problem, greedy=greedy)
            gap = loc.plan_gap(greedy, exact)
            osm_gaps.append(
                {
                    "type": partner_type,
                    "bestaande": len(fixed),
                    "afstand_m": d,
                    "exact_s": round(time.perf_counter() - t0, 3),
                    "status": exact.status,
                    "gretig_extra": round(gap["gretig_extra"]),
                    "exact_extra": round(gap["exact_extra"]),
                    "gretig_onder_exact_pct": round(100 * gap["verschil_aandeel"], 2),
                }
            )
            print(osm_gaps[-1], flush=True)

    # capacitated: every candidate serves at most 3,000 young people
    cap_problem = loc.site_problem(
        xy, weights, xy, wijken["code"], existing, 2000.0, 10, capacity=np.full(len(xy), 3000.0)
    )
    cap_s, cap_plan = timed(lambda: loc.solve_exact(cap_problem), repeat=1)

    # accessibility: all 13 types, table per area, 2767 x 1,000
    mapping = cov.areas_for("kolom:elz", "wijk", wijken)
    settings = planning.AccessSettings(distance_m=2000.0, decay="gauss")
    access_ms = best_of(lambda: planning.accessibility(partners, wijken, mapping, settings), repeat=5)
    pxy = partners[["x", "y"]].to_numpy(float)
    core_ms = best_of(
        lambda: acc.access_by_type(
            xy, wijken["pop_0_24"].to_numpy(float), pxy, partners["type"], np.ones(len(pxy)), 2000.0, "gauss"
        ),
        repeat=5,
    )

    # road network: a 500 m street grid over Flanders and Brussels
    t0 = time.perf_counter()
    lo, hi = xy.min(axis=0) - 2000, xy.max(axis=0) + 2000
    grid = street_grid(lo[0], lo[1], hi[0], hi[1], 500.0)
    grid_s = round(time.perf_counter() - t0, 3)
    t0 = time.perf_counter()
    within = grid.within(pxy, xy, 5000.0)
    network_s = round(time.perf_counter() - t0, 3)

    best_2km = max(r["exact_s"] + r["opbouw_s"] for r in exact_runs)
    write(
        "sites",
        {
            "load_average_1_5_15_min": [round(v, 1) for v in os.getloadavg()],
            "wijken": len(wijken),
            "kandidaten": len(wijken),
            "nieuwe_locaties": 10,
            "exact_target_s": EXACT_TARGET_S,
            "exact_slowest_total_s": round(best_2km, 3),
            "exact_runs": exact_runs,
            "gaps_osm_example": osm_gaps,
            "capacitated_10_sites_2000m_s": cap_s,
            "capacitated_status": cap_plan.status,
            "access_target_ms": ACCESS_TARGET_S * 1000,
            "access_report_13_types_1000_partners_ms": access_ms,
            "access_2sfca_only_ms": core_ms,
            "road_grid_nodes": len(grid.nodes),
            "road_grid_build_s": grid_s,
            "road_distances_1000_partners_x_2767_wijken_5km_s": network_s,
            "road_pairs_within_5km": int(within.nnz),
        },
    )


if __name__ == "__main__":
    main()
