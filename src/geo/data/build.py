"""`geo data build`: raw inputs -> analysis-ready layers (`data/shapes/`) and tables (`data/stats/`).

Everything is written to a temporary folder first; only when the whole build succeeded are the files
moved into place, so a failed build leaves the previous good output untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from geo.data.catalog import load_manifest, verify
from geo.data.layers import PORT_RULE, adjacency, build_layers, display_layer
from geo.data.stats import build_tables, postcode_antwerpen_table
from geo.data.verify import output_checksums
from geo.errors import DataMissingError
from geo.paths import data_dir, shapes_dir, stats_dir

# Display simplification tolerance (m) per level: coarse levels get coarser outlines.
DISPLAY_TOLERANCE = {
    "gemeente": 120.0,
    "gemeente2024": 120.0,
    "elz": 150.0,
    "elz57": 150.0,
    "wijk": 40.0,
    "district": 20.0,
    "provincie": 250.0,
}
ADJACENCY_LEVELS = ("gemeente", "elz", "elz57", "wijk", "district")
STAMP = ".built"


def _write_geojson(gdf, path: Path) -> None:
    path.write_text(gdf.to_json(drop_id=True, to_wgs84=False), encoding="utf-8")


def _round_geojson(path: Path, decimals: int = 5) -> None:
    """Round coordinates to ``decimals`` (5 decimals ~ 1 m) to keep the map payload small."""
    data = json.loads(path.read_text(encoding="utf-8"))

    def rnd(c):
        return (
            [rnd(x) for x in c] if isinstance(c[0], list) else [round(c[0], decimals), round(c[1], decimals)]
        )

    for f in data["features"]:
        f["geometry"]["coordinates"] = rnd(f["geometry"]["coordinates"])
    path.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")


def build(progress: Callable[[str], None] = print) -> dict:
    """Run the whole build; returns the build report (also written to `data/stats/build.json`)."""
    start = time.perf_counter()
    manifest = load_manifest()
    for f in manifest.files:  # fail early, with one clear message, on any missing/corrupt input
        verify(f.path)
    progress("Lagen opbouwen (gemeenten, eerstelijnszones, wijken, districten, provincies)…")
    layers = build_layers()
    progress("Bevolking per jaar (gemeenten en sectoren), kansarmoede en BIMD…")
    tables, years, checks = build_tables(layers)
    facts = pd.read_csv(verify("1g1p/antwerpen_wcp_postcodes_2019.csv"), dtype={"postcode": str})
    tables["postcode_antwerpen"] = postcode_antwerpen_table(facts)

    data_dir().mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=data_dir()))
    try:
        (tmp / "shapes").mkdir()
        (tmp / "stats").mkdir()
        progress("Geometrie wegschrijven, buren bepalen en kaartlagen vereenvoudigen…")
        for level, gdf in layers.as_dict().items():
            gdf.to_parquet(tmp / "shapes" / f"{level}.parquet")
            disp = tmp / "shapes" / f"{level}.geojson"
            _write_geojson(display_layer(gdf, DISPLAY_TOLERANCE[level]), disp)
            _round_geojson(disp)
            if level in ADJACENCY_LEVELS:
                adjacency(gdf).to_parquet(tmp / "shapes" / f"adjacency_{level}.parquet")
        for level, table in tables.items():
            table.to_parquet(tmp / "stats" / f"{level}.parquet", index=False)
        for level, table in years.items():
            table.to_parquet(tmp / "stats" / f"{level}_jaren.parquet", index=False)
        report = {
            "gebouwd": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "duur_s": None,
            "aantallen": {k: len(v) for k, v in tables.items()},
            "controles": checks,
            "havenregel": PORT_RULE,
            "bronnen": {f.path: f.sha256 for f in manifest.files},
        }
        report["uitvoer"] = output_checksums(tmp)  # `data status` checks every built file against it
        report["duur_s"] = round(time.perf_counter() - start, 1)
        (tmp / "stats" / "build.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
        (tmp / "stats" / STAMP).write_text(report["gebouwd"])
        _swap_in(tmp)
    except DataMissingError:
        raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    progress(f"Klaar in {report['duur_s']} s.")
    return report


def _swap_in(tmp: Path) -> None:
    """Move the freshly built files into `data/shapes` and `data/stats` (each file with os.replace)."""
    for sub, dest in (("shapes", shapes_dir()), ("stats", stats_dir())):
        dest.mkdir(parents=True, exist_ok=True)
        for f in sorted((tmp / sub).iterdir(), key=lambda p: p.name == STAMP):  # stamp last
            os.replace(f, dest / f.name)
