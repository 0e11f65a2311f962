"""Where the project keeps its data: repository data folder, raw cache, user data."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """Folder with `manifest.json`, `shapes/`, `stats/` and `1g1p/` (env GEO_DATA_DIR)."""
    return Path(os.environ.get("GEO_DATA_DIR", REPO_ROOT / "data"))


def shapes_dir() -> Path:
    return data_dir() / "shapes"


def stats_dir() -> Path:
    return data_dir() / "stats"


def raw_dir() -> Path:
    """Local cache of raw inputs (env GEO_DATA_CACHE; not committed)."""
    return Path(os.environ.get("GEO_DATA_CACHE", data_dir() / "raw"))


def user_dir() -> Path:
    """Folder for the embedded database and user files (env GEO_USER_DIR)."""
    default = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "gebiedsplanner"
    return Path(os.environ.get("GEO_USER_DIR", default))


def static_dir() -> Path:
    """Folder the app serves at `/app/static/` (next to `app.py`)."""
    return REPO_ROOT / "static"


def map_geometry_dir() -> Path:
    """Published map geometry (TopoJSON per level, `geo.maps.published`), served at `/app/static/geo/`."""
    return static_dir() / "geo"
