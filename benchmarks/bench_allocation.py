"""Benchmark: one budget allocation over the 304 municipalities with aggregation to the 16 SWVs (and to
the 57 ELZs), a full calibration against the 2021 table, and the sensitivity curve of the Budget page.

Targets: allocation + aggregation < 50 ms (interactive), calibration < 2 s.
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
from geo.data import facts  # noqa: E402

ALLOCATE_TARGET_MS = 50
CALIBRATE_TARGET_S = 2


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
            "fit_2021_pop_0_24": fits,
            "fit_2021_relatief_per_bevolking": by_population,
        },
    )


if __name__ == "__main__":
    main()
