"""Benchmark: the validity gate on the 2767 wijken (target < 50 ms per full check).

Runs `geo.divisions.validity.check` with every rule switched on (SWV gate with a +/- 25 % band, and the
WCP gate) over the 60 zones as a division of wijken, and over the same division after random one-wijk
moves (more breaches: split zones, detached parts, municipalities split), as the check panel does after
an edit. The `UnitData` is loaded once (cached, as in the app).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import best_of, write  # noqa: E402

from geo.divisions.metrics import UnitData  # noqa: E402
from geo.divisions.references import reference_division  # noqa: E402
from geo.divisions.validity import GateSettings, check  # noqa: E402

TARGET_MS = 50


def main() -> None:
    data = UnitData.load("wijk")
    div = reference_division("elz60_wijk")
    swv = GateSettings("swv", band_pct=25)
    wcp = GateSettings("wcp", band_pct=25)
    check(div, data, swv)  # warm the cached subsets and adjacency
    valid_ms = best_of(lambda: check(div, data, swv), repeat=20)
    wcp_ms = best_of(lambda: check(div, data, wcp), repeat=20)
    rng = np.random.default_rng(0)
    times, findings = [], []
    for _ in range(100):
        a, b = data.edges[int(rng.integers(len(data.edges)))]
        div = div.move([data.codes[a]], div.area_of(data.codes[b]))
        t0 = time.perf_counter()
        result = check(div, data, swv)
        times.append((time.perf_counter() - t0) * 1000)
        findings.append(len(result.findings))
    write(
        "validity",
        {
            "units": data.n,
            "areas": len(div.areas),
            "gate_60_zones_swv_best_ms": valid_ms,
            "gate_60_zones_wcp_best_ms": wcp_ms,
            "gate_after_moves_median_ms": round(statistics.median(times), 2),
            "gate_after_moves_p95_ms": round(float(np.percentile(times, 95)), 2),
            "gate_after_moves_max_ms": round(max(times), 2),
            "findings_after_100_moves": findings[-1],
            "target_ms": TARGET_MS,
        },
    )


if __name__ == "__main__":
    main()
