"""Benchmark: `geo data build` time (target < 60 s) in a scratch data folder, and table load time."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import best_of, write  # noqa: E402

from geo.paths import REPO_ROOT  # noqa: E402


def main() -> None:
    scratch = Path(tempfile.mkdtemp(prefix="bench-data-"))
    try:
        shutil.copy(REPO_ROOT / "data" / "manifest.json", scratch / "manifest.json")
        shutil.copytree(REPO_ROOT / "data" / "1g1p", scratch / "1g1p")
        os.environ["GEO_DATA_DIR"] = str(scratch)
        os.environ["GEO_DATA_CACHE"] = str(REPO_ROOT / "data" / "raw")
        from geo.data import build, units

        t0 = time.perf_counter()
        build.build(progress=lambda _m: None)
        build_s = round(time.perf_counter() - t0, 2)
        units._table.cache_clear()
        units._years.cache_clear()
        units._composed.cache_clear()
        t0 = time.perf_counter()
        units.load_table("wijk")
        first_load_ms = round((time.perf_counter() - t0) * 1000, 1)
        cached_ms = best_of(lambda: units.load_table("wijk"))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    write(
        "data",
        {
            "data_build_s": build_s,
            "data_build_target_s": 60,
            "population_years": list(units.YEARS),
            "load_wijk_table_first_ms": first_load_ms,
            "load_wijk_table_cached_ms": cached_ms,
        },
    )


if __name__ == "__main__":
    main()
