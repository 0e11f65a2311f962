"""Map geometry files for the browser, written once per data build and served as static files.

`publish` writes the TopoJSON of every level (`geo.maps.topology`, content-hashed file names) into one
folder together with `index.json`: per level the file name and the unit codes in topology order, and the
build stamp the files belong to. The app only reads: `entry(directory, level, stamp)` gives the file and
the order, or says in Dutch why there is none (never built, or built for another data build).

`python -m geo data build` publishes after the build; `python -m geo data maps` publishes again for an
existing build.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from geo.maps import topology as topo

INDEX = "index.json"
PUBLISH_COMMAND = "python -m geo data maps"


@dataclass(frozen=True)
class Entry:
    """The published geometry of one level: file name in the folder and unit codes in file order."""

    level: str
    file: str
    codes: tuple[str, ...]


class GeometryMissing(Exception):
    """No published geometry for a level of this build; the message is Dutch and names the fix."""


def publish(
    levels: Iterable[str],
    geojson_of: Callable[[str], Mapping],
    directory: Path,
    stamp: str,
    progress: Callable[[str], None] = lambda _m: None,
) -> dict:
    """Write the topology of every level and then the index (so a reader never sees a half index).

    Files of levels no longer published are removed. Returns the index.
    """
    directory.mkdir(parents=True, exist_ok=True)
    entries: dict[str, dict] = {}
    for level in levels:
        progress(f"Kaartgeometrie {level}…")
        t = topo.build_topology(geojson_of(level))
        name = topo.write_file(t, directory, level)
        entries[level] = {
            "file": name,
            "bytes": (directory / name).stat().st_size,
            "codes": topo.codes(t),
        }
    index = {"stamp": stamp, "levels": entries}
    tmp = directory / f".{INDEX}.{os.getpid()}.part"
    tmp.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    os.replace(tmp, directory / INDEX)
    kept = {e["file"] for e in entries.values()} | {INDEX}
    for old in directory.glob("*.json"):
        if old.name not in kept:
            old.unlink(missing_ok=True)
    return index


def read_index(directory: Path) -> dict | None:
    """The index of a folder, or None when there is none (or it cannot be read)."""
    try:
        return json.loads((directory / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_current(directory: Path, stamp: str, levels: Iterable[str]) -> bool:
    """True when the folder holds every level for this build stamp."""
    index = read_index(directory)
    if not index or index.get("stamp") != stamp:
        return False
    have = index.get("levels", {})
    return all(lvl in have and (directory / have[lvl]["file"]).is_file() for lvl in levels)


def entry(directory: Path, level: str, stamp: str, index: Mapping | None = None) -> Entry:
    """The published geometry of `level` for build `stamp`; `GeometryMissing` (Dutch) otherwise."""
    index = read_index(directory) if index is None else index
    if not index:
        raise GeometryMissing(
            f"De kaartgeometrie is nog niet klaargezet: voer `{PUBLISH_COMMAND}` uit (gebeurt ook bij "
            "`make data` en `python -m geo data build`) en herlaad de pagina."
        )
    if index.get("stamp") != stamp:
        raise GeometryMissing(
            f"De kaartgeometrie hoort bij een andere opbouw van de gegevens: voer `{PUBLISH_COMMAND}` uit "
            "en herlaad de pagina."
        )
    item = index.get("levels", {}).get(level)
    if item is None or not (directory / item["file"]).is_file():
        raise GeometryMissing(
            f"Geen kaartgeometrie voor niveau {level}: voer `{PUBLISH_COMMAND}` uit en herlaad de pagina."
        )
    return Entry(level, item["file"], tuple(str(c) for c in item["codes"]))
