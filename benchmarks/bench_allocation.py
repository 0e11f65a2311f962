"""Benchmark: one budget allocation over the 304 municipalities with aggregation to the 16 SWVs (and to
the 57 ELZs), a full calibration against the 2021 table, the sensitivity curve of the Budget page, FTE
for the 7 Groot Antwerpen WCPs with the equal-split comparison, FTE per area of a 60-zone division on
2767 wijken (the editor's metrics), and transition paths (16 SWVs over 5 years; 60 areas over 10 years).

Targets: allocation + aggregation < 50 ms (interactive), calibration < 2 s, transition path < 50 ms.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import best_of, write  # noqa: E402

from geo.budget import allocation as al  # noqa: E402
from geo.budget import calibration as cal  # noqa: E402
from geo.budget import equal, per_unit, transition  # noqa: E402
from geo.data import facts, units  # noqa: E402

ALLOCATE_TARGET_MS = 50
CALIBRATE_TARGET_S = 2
TRANSITION_TARGET_MS = 50


def main() -> None:
    t0 = time.perf_counter()
    swv = cal.load_setting("swv2021")
    load_ms = round((time.perf_counter() - t0) * 1000, 1)
    elz = al.division_by_parent(swv.units, "elz57")
    params = cal.default_params(swv, weight=0.2)

    def allocate_and_aggregate() -> None:
        result = al.allocate(swv.units, params, swv.areas)
        result.to_division(elz)

    allocate_ms = best_of(allocate_and_aggregate, repeat=20)
    prep = al.prepare(swv.units, params, swv.areas)
    fast_ms = best_of(lambda: al.area_amounts(prep, 0.3), repeat=50)

    fits = {}
    calibrate_s = {}
    for form in ("relatief", "per_kansarm"):
        prep = al.prepare(swv.units, cal.default_params(swv, form=form), swv.areas)
        t0 = time.perf_counter()
        fit = cal.calibrate(prep, swv.published, exclude=[facts.BRUSSELS_SWV])
        calibrate_s[form] = round(time.perf_counter() - t0, 3)
        fits[form] = {
            "gewicht": round(fit.weight, 4),
            "rmse_eur": round(fit.rmse),
            "mae_eur": round(fit.mae),
            "rmse_zonder_correctie_eur": round(fit.rmse_without_correction),
            "max_afwijking_pct": round(fit.comparison.max_abs_pct, 1),
        }
    by_population = {}
    for population in cal.available_populations(swv.units):
        prep = al.prepare(swv.units, cal.default_params(swv, population=population), swv.areas)
        fit = cal.calibrate(prep, swv.published, exclude=[facts.BRUSSELS_SWV])
        by_population[population] = {"a": round(fit.weight, 4), "rmse_eur": round(fit.rmse)}

    prep = al.prepare(swv.units, params, swv.areas)
    sensitivity_ms = best_of(lambda: al.sensitivity(prep, np.linspace(0, 1.5, 41)), repeat=5)

    wcp = cal.load_setting("wcp")
    wcp_ms = best_of(lambda: al.allocate(wcp.units, cal.default_params(wcp), wcp.areas), repeat=20)

    fte_params = al.Params(total=2.8, resource="vte", step=0.1)
    wcp_fte_ms = best_of(
        lambda: equal.compare_equal(al.allocate(wcp.units, fte_params, wcp.areas)), repeat=20
    )
    fte = equal.compare_equal(al.allocate(wcp.units, fte_params, wcp.areas))

    wijk = units.load_table("wijk")
    zones = dict(zip(wijk["elz"].astype(str), wijk["elz"].astype(str), strict=True))
    editor_fte_ms = best_of(lambda: per_unit.area_resource("elz", zones), repeat=5)

    target = al.allocate(swv.units, params, swv.areas).areas.set_index("gebied")["eur"]
    path = transition.transition_path(swv.published, target, 5, -5, 5)
    swv_path_ms = best_of(lambda: transition.transition_path(swv.published, target, 5, -5, 5), repeat=10)
    rng = np.random.default_rng(0)
    names = [f"G{i}" for i in range(60)]
    start60 = rng.integers(200_000, 600_000, size=60)
    raw60 = start60 * rng.uniform(0.7, 1.4, 60)
    total60 = int(start60.sum())
    target60 = al.largest_remainder(raw60 / raw60.sum() * total60, total60)
    start_map = dict(zip(names, start60.tolist(), strict=True))
    target_map = dict(zip(names, target60.tolist(), strict=True))
    path60 = transition.transition_path(start_map, target_map, 10, -5, 5)
    path60_ms = best_of(lambda: transition.transition_path(start_map, target_map, 10, -5, 5), repeat=5)

    write(
        "allocation",
        {
            "load_setting_swv2021_ms": load_ms,
            "allocate_304_gemeenten_swv_plus_elz_ms": allocate_ms,
            "allocate_target_ms": ALLOCATE_TARGET_MS,
            "area_amounts_fast_path_ms": fast_ms,
            "calibrate_s": calibrate_s,
            "calibrate_target_s": CALIBRATE_TARGET_S,
            "sensitivity_41_weights_ms": sensitivity_ms,
            "allocate_wcp_17_postcodes_ms": wcp_ms,
            "fte_wcp_7_areas_with_equal_split_ms": wcp_fte_ms,
            "fte_wcp_default_weight": dict(zip(fte["gebied"], fte["behoefte"].tolist(), strict=True)),
            "fte_per_area_60_zones_on_2767_wijken_ms": editor_fte_ms,
            "transition_16_swv_5_years_ms": swv_path_ms,
            "transition_16_swv_5_years_reached_year": path.reached_year,
            "transition_60_areas_10_years_ms": path60_ms,
            "transition_60_areas_10_years_reached": path60.reached,
            "transition_target_ms": TRANSITION_TARGET_MS,
            "fit_2021_pop_0_24": fits,
            "fit_2021_relatief_per_bevolking": by_population,
        },
    )


if __name__ == "__main__":
    main()
