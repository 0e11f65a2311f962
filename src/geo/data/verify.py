"""Checking the built data: is every file of the last build there, unchanged and readable?

`python -m geo data build` records the sha256 of every file it writes (`build.json`, key `uitvoer`);
`verify_built` compares each file with it (and, for a build from before that record, opens each file).
`read_built` is how `geo.data.units` opens a built file: a missing or damaged file becomes a Dutch
`DataMissingError` that names the file and the command that rebuilds it, never a traceback.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from geo.errors import DataMissingError
from geo.paths import data_dir, shapes_dir, stats_dir

REBUILD = "bouw de gegevens opnieuw op met `python -m geo data build` (of `make data`)"
T = TypeVar("T")


@dataclass(frozen=True)
class BuiltFile:
    path: str  # relative to the data folder, e.g. "stats/wijk.parquet"
    status: str  # "ok", "ontbreekt", "gewijzigd", "onleesbaar"
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def output_checksums(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder``/shapes and ``folder``/stats (the build's own record excluded)."""
    out = {}
    for sub in ("shapes", "stats"):
        for f in sorted((folder / sub).iterdir()):
            if f.is_file() and f.name not in ("build.json", ".built"):
                out[f"{sub}/{f.name}"] = sha256(f)
    return out


def expected_files() -> list[str]:
    """The files a build writes, from the unit levels (for a build that did not record its output)."""
    from geo.data.units import LEVELS, YEAR_LEVELS

    names = set()
    for key, level in LEVELS.items():
        names.add(f"stats/{key}.parquet")
        if level.has_geometry:
            names.update({f"shapes/{key}.parquet", f"shapes/{key}.geojson"})
    names.update(f"stats/{key}_jaren.parquet" for key in YEAR_LEVELS)
    names.update(f"shapes/{p.name}" for p in shapes_dir().glob("adjacency_*.parquet"))
    return sorted(names)


def _open(path: Path) -> None:
    """Open a built file the way the product does (raises on a damaged file)."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        pq.read_table(path)
    elif path.suffix in (".geojson", ".json"):
        json.loads(path.read_text(encoding="utf-8"))


def verify_built() -> list[BuiltFile]:
    """One entry per built file: ok, missing, changed since the build, or unreadable."""
    report_path = stats_dir() / "build.json"
    if not report_path.is_file():
        return [BuiltFile("stats/build.json", "ontbreekt", "nog niet opgebouwd")]
    try:
        report = json.loads(report_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [BuiltFile("stats/build.json", "onleesbaar", str(exc)[:120])]
    recorded: dict[str, str] | None = report.get("uitvoer")
    names = list(recorded) if recorded else expected_files()
    out = []
    for name in names:
        path = data_dir() / name
        if not path.is_file():
            out.append(BuiltFile(name, "ontbreekt"))
            continue
        if recorded:
            if sha256(path) != recorded[name]:
                out.append(BuiltFile(name, "gewijzigd", "anders dan bij het opbouwen (beschadigd?)"))
                continue
        else:
            try:
                _open(path)
            except Exception as exc:  # noqa: BLE001 - any reader failure means the file is unusable
                out.append(BuiltFile(name, "onleesbaar", str(exc).splitlines()[0][:120] if str(exc) else ""))
                continue
        out.append(BuiltFile(name, "ok"))
    return out


def read_built(path: Path, reader: Callable[[Path], T]) -> T:
    """``reader(path)`` with a Dutch `DataMissingError` when the built file is missing or damaged."""
    try:
        return reader(path)
    except FileNotFoundError as exc:
        raise DataMissingError(f"Het opgebouwde bestand {_rel(path)} ontbreekt: {REBUILD}.") from exc
    except (MemoryError, DataMissingError):
        raise
    except Exception as exc:  # noqa: BLE001 - parquet/JSON readers raise many kinds for a damaged file
        raise DataMissingError(
            f"Het opgebouwde bestand {_rel(path)} is beschadigd of onleesbaar: {REBUILD}."
        ) from exc


def _rel(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(data_dir().resolve().parent))
    except ValueError:
        return Path(path).name
