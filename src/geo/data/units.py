"""Units per level: the built tables, layers and adjacency, cached in memory.

The only way domain code reads built data. Codes are strings; see docs/DATA.md for the columns.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import pandas as pd

from geo.errors import DataMissingError
from geo.paths import shapes_dir, stats_dir


@dataclass(frozen=True)
class Level:
    key: str
    label: str  # Dutch, singular
    plural: str
    has_geometry: bool = True


LEVELS: dict[str, Level] = {
    "gemeente": Level("gemeente", "gemeente", "gemeenten"),
    "gemeente2024": Level("gemeente2024", "gemeente (2019-2024)", "gemeenten (2019-2024)"),
    "elz": Level("elz", "eerstelijnszone", "eerstelijnszones (60)"),
    "elz57": Level("elz57", "eerstelijnszone (57)", "eerstelijnszones (57, gepubliceerd)"),
    "wijk": Level("wijk", "wijk", "wijken"),
    "district": Level("district", "district", "districten van Antwerpen"),
    "provincie": Level("provincie", "provincie", "provincies"),
    "postcode_antwerpen": Level("postcode_antwerpen", "postcode", "postcodes Groot Antwerpen", False),
}

NOT_BUILT = "De gegevens zijn nog niet opgebouwd: voer `make data` uit (of `python -m geo data build`)."


def _check_level(level: str) -> Level:
    if level not in LEVELS:
        raise KeyError(f"onbekend niveau {level!r}; kies uit {', '.join(LEVELS)}")
    return LEVELS[level]


def is_built() -> bool:
    """True when a complete build is present."""
    return (stats_dir() / ".built").is_file()


@lru_cache(maxsize=16)
def _table(level: str, stamp: str) -> pd.DataFrame:
    return pd.read_parquet(stats_dir() / f"{level}.parquet")


def _stamp() -> str:
    path = stats_dir() / ".built"
    if not path.is_file():
        raise DataMissingError(NOT_BUILT)
    return path.read_text()


def load_table(level: str) -> pd.DataFrame:
    """Attributes and counts per unit of ``level`` (a copy; column ``code`` is a string)."""
    _check_level(level)
    return _table(level, _stamp()).copy()


@lru_cache(maxsize=16)
def _layer(level: str, stamp: str) -> gpd.GeoDataFrame:
    return gpd.read_parquet(shapes_dir() / f"{level}.parquet")


def load_layer(level: str) -> gpd.GeoDataFrame:
    """Analysis geometry (EPSG:31370) with code, name and parents."""
    if not _check_level(level).has_geometry:
        raise KeyError(f"niveau {level!r} heeft geen geometrie")
    return _layer(level, _stamp()).copy()


@lru_cache(maxsize=16)
def _geojson(level: str, stamp: str) -> str:
    return (shapes_dir() / f"{level}.geojson").read_text(encoding="utf-8")


def display_geojson(level: str) -> dict:
    """Display layer (EPSG:4326, coverage-simplified; properties code and naam), a fresh dict."""
    if not _check_level(level).has_geometry:
        raise KeyError(f"niveau {level!r} heeft geen geometrie")
    return json.loads(_geojson(level, _stamp()))


@lru_cache(maxsize=16)
def _adjacency(level: str, stamp: str) -> pd.DataFrame:
    return pd.read_parquet(shapes_dir() / f"adjacency_{level}.parquet")


def adjacency(level: str) -> pd.DataFrame:
    """Edges ``a``, ``b`` (codes, a < b) and ``border_m`` between units sharing a border."""
    _check_level(level)
    path = shapes_dir() / f"adjacency_{level}.parquet"
    if not path.is_file():
        raise KeyError(f"geen burenlijst voor niveau {level!r}")
    return _adjacency(level, _stamp()).copy()


def build_report() -> dict:
    """The report of the last build (counts, checks, input checksums)."""
    _stamp()
    return json.loads((stats_dir() / "build.json").read_text(encoding="utf-8"))


def build_stamp() -> str | None:
    """Time of the last complete build (a cache key for pages), or None when nothing is built yet."""
    path = stats_dir() / ".built"
    return path.read_text() if path.is_file() else None


def codes_within(level: str, municipalities: Iterable[str]) -> list[str]:
    """Codes of the units of `level` inside the municipalities `municipalities` (NIS codes, 2025).

    Levels without a `gemeente` column (gemeente itself, zones) match on their own code.
    """
    wanted = {str(m).strip() for m in municipalities if str(m).strip()}
    table = load_table(level)
    column = "gemeente" if "gemeente" in table.columns else "code"
    return table.loc[table[column].astype(str).isin(wanted), "code"].astype(str).tolist()
