"""Benchmark: partner coverage for the 2767 wijken x 1,000 partners (13 types), and the steps around it.

Target: coverage per area and type < 2 s (measured: the full table over all 13 types, demand at wijk level).
Also measured: placing 1,000 partners in their wijk (point in polygon), greedy location of 10 sites over
2767 candidate wijk centres, the partner marker layer (HTML size), the example caseload and its summary.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import folium
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import best_of, write  # noqa: E402

from geo.caseload import cases as cl  # noqa: E402
from geo.caseload.example import example_capacity, example_caseload  # noqa: E402
from geo.data import units  # noqa: E402
from geo.partners import coverage as cov  # noqa: E402
from geo.partners import register as pt  # noqa: E402
from geo.partners.location import greedy_max_cover  # noqa: E402

COVERAGE_TARGET_S = 2.0
N_PARTNERS = 1000


def synthetic_partners(wijken: pd.DataFrame, n: int, seed: int = 1) -> pd.DataFrame:
    """``n`` partners near random wijk centres (jitter up to 1.5 km), types spread over the 13 types."""
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(wijken), n)
    x = wijken["x"].to_numpy(float)[pick] + rng.uniform(-1500, 1500, n)
    y = wijken["y"].to_numpy(float)[pick] + rng.uniform(-1500, 1500, n)
    lat, lon = pt.lambert_to_wgs84(x, y)
    types = np.asarray(pt.PARTNER_TYPES, dtype=object)[rng.integers(0, len(pt.PARTNER_TYPES), n)]
    return pt.conform(
        pd.DataFrame(
            {
                "naam": [f"Partner {i}" for i in range(n)],
                "type": types,
                "x": x,
                "y": y,
                "lat": lat,
                "lon": lon,
            }
        )
    )


def main() -> None:
    wijken = units.load_table("wijk")
    layer = units.load_layer("wijk")
    mapping = cov.areas_for("kolom:elz", "wijk", wijken)
    partners = synthetic_partners(wijken, N_PARTNERS)
    xy = partners[["x", "y"]].to_numpy(float)
    types = list(pt.PARTNER_TYPES)

    t0 = time.perf_counter()
    p_units = cov.partner_units(xy, layer)
    place_ms = round((time.perf_counter() - t0) * 1000, 1)
    p_area = [mapping.get(u, "") for u in p_units]

    def coverage_table() -> pd.DataFrame:
        demand = cov.Demand.from_table(wijken, mapping, deprivation_weight=1.0)
        table = cov.coverage_by_area(demand, xy, partners["type"].to_numpy(object), 2000.0, types, p_area)
        cov.gaps(table, 0.8)
        return table

    coverage_ms = best_of(coverage_table, repeat=5)
    table = coverage_table()
    full_ms = best_of(lambda: cov.partner_coverage(partners, wijken, mapping, 2000.0, types, layer=layer), 3)

    wxy = wijken[["x", "y"]].to_numpy(float)
    weights = cov.demand_weights(wijken)
    existing = xy[partners["type"].to_numpy() == "CLB"]
    t0 = time.perf_counter()
    plan = greedy_max_cover(wxy, weights, wxy, wijken["code"].tolist(), existing, 2000.0, 10)
    locate_ms = round((time.perf_counter() - t0) * 1000, 1)

    t0 = time.perf_counter()
    m = pt.add_partner_markers(folium.Map(tiles=None), partners)
    html = m.get_root().render()
    markers_ms = round((time.perf_counter() - t0) * 1000, 1)

    t0 = time.perf_counter()
    cases = example_caseload(wijken, mapping, months=12, seed=1)
    example_ms = round((time.perf_counter() - t0) * 1000, 1)
    population = dict(zip(wijken["code"], wijken["pop_0_24"].astype(float), strict=True))
    capacity = example_capacity(wijken, mapping)

    def summary() -> None:
        s = cl.caseload_summary(cases, mapping, population, capacity, 12.0)
        cl.masked_summary(s)
        cl.trend(cl.monthly_by_area(cases, mapping))
        cl.mask_matrix(cl.transfer_matrix(cases, mapping))

    summary_ms = best_of(summary, repeat=3)

    write(
        "partners",
        {
            "wijken": len(wijken),
            "partners": N_PARTNERS,
            "types": len(types),
            "areas": len(set(mapping.values())),
            "coverage_all_types_ms": coverage_ms,
            "coverage_target_ms": COVERAGE_TARGET_S * 1000,
            "coverage_rows": len(table),
            "partner_coverage_with_point_in_polygon_ms": full_ms,
            "place_partners_in_wijken_ms": place_ms,
            "greedy_10_sites_2767_candidates_ms": locate_ms,
            "greedy_share_before_after": [round(plan.share_before, 4), round(plan.share_after, 4)],
            "marker_layer_1000_render_ms": markers_ms,
            "marker_layer_1000_html_kb": round(len(html.encode()) / 1024),
            "example_caseload_wijk_12_months_ms": example_ms,
            "example_caseload_rows": len(cases),
            "caseload_summary_trend_transfers_ms": summary_ms,
        },
    )


if __name__ == "__main__":
    main()
