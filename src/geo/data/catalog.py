"""Data catalog: the manifest of raw inputs, fetching them into the local cache, checksums, provenance.

Raw files come from ``GEO_DATA_MIRROR`` (a folder or a base URL in the layout of ``../shared/data``),
by default the folder ``../shared/data`` beside the repository when it exists, else from the upstream URL
given in the manifest. Every file is checked against its sha256 before it is put in the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import urllib.request
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.errors import DataMissingError
from geo.paths import REPO_ROOT, data_dir, raw_dir


@dataclass(frozen=True)
class Source:
    """A dataset: where it comes from, its vintage and the attribution its licence asks for."""

    key: str
    title: str
    vintage: str
    licence: str
    attribution: str
    homepage: str


@dataclass(frozen=True)
class RawFile:
    """One raw input file of the manifest."""

    path: str
    source: str
    sha256: str
    upstream: str | None
    bundled: bool


@dataclass(frozen=True)
class Manifest:
    sources: dict[str, Source]
    files: tuple[RawFile, ...]

    def file(self, path: str) -> RawFile:
        for f in self.files:
            if f.path == path:
                return f
        raise KeyError(path)


def manifest_path() -> Path:
    return data_dir() / "manifest.json"


@lru_cache(maxsize=8)
def _load_manifest(path: str, mtime_ns: int) -> Manifest:
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    sources = {k: Source(key=k, **v) for k, v in raw["sources"].items()}
    files = tuple(RawFile(**f) for f in raw["files"])
    return Manifest(sources=sources, files=files)


def load_manifest() -> Manifest:
    """The manifest in ``data/manifest.json``."""
    path = manifest_path()
    if not path.is_file():
        raise DataMissingError(f"Het databestand {path} ontbreekt; het hoort bij de broncode (git checkout).")
    return _load_manifest(str(path), path.stat().st_mtime_ns)


def default_mirror() -> str | None:
    """GEO_DATA_MIRROR, else ``../shared/data`` beside the repository if it exists, else None (upstream)."""
    env = os.environ.get("GEO_DATA_MIRROR")
    if env:
        return env
    shared = REPO_ROOT.parent / "shared" / "data"
    return str(shared) if shared.is_dir() else None


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def raw_path(path: str) -> Path:
    """Local path of a raw input (bundled files live in ``data/``), checked to exist.

    Raises DataMissingError naming the file and the fix when it is not there.
    """
    entry = load_manifest().file(path)
    local = (data_dir() / path) if entry.bundled else (raw_dir() / path)
    if not local.is_file():
        raise DataMissingError(
            f"Bronbestand ontbreekt: {path} (verwacht in {local}). "
            "Haal de brondata op met `python -m geo data fetch` (of `make data`)."
        )
    return local


def verify(path: str) -> Path:
    """``raw_path`` plus a checksum check; a corrupt file gives a clear DataMissingError."""
    entry = load_manifest().file(path)
    local = raw_path(path)
    actual = sha256_of(local)
    if actual != entry.sha256:
        raise DataMissingError(
            f"Bronbestand {path} is beschadigd of gewijzigd (sha256 {actual[:12]}… in plaats van "
            f"{entry.sha256[:12]}…). Verwijder {local} en haal het opnieuw op met `python -m geo data fetch`."
        )
    return local


def _copy_from(location: str, dest: Path) -> None:
    if location.startswith(("http://", "https://", "file://")):
        with urllib.request.urlopen(location, timeout=60) as resp, open(dest, "wb") as out:  # noqa: S310
            shutil.copyfileobj(resp, out)
    else:
        shutil.copyfile(location, dest)


def _join(base: str, rel: str) -> str:
    if base.startswith(("http://", "https://", "file://")):
        return base.rstrip("/") + "/" + rel
    return str(Path(base) / rel)


@dataclass
class FetchResult:
    path: str
    status: str  # "aanwezig", "opgehaald", "fout"
    origin: str = ""
    message: str = ""


def fetch_one(entry: RawFile, mirror: str | None) -> FetchResult:
    """Put one raw file in the cache (atomically, checksum-verified); never leaves a partial file."""
    if entry.bundled:
        local = data_dir() / entry.path
        if local.is_file() and sha256_of(local) == entry.sha256:
            return FetchResult(entry.path, "aanwezig", "meegeleverd in data/")
        return FetchResult(
            entry.path, "fout", message=f"meegeleverd bestand data/{entry.path} ontbreekt of wijkt af"
        )
    dest = raw_dir() / entry.path
    if dest.is_file() and sha256_of(dest) == entry.sha256:
        return FetchResult(entry.path, "aanwezig", str(dest))
    candidates = []
    if mirror:
        candidates.append(_join(mirror, entry.path))
    if entry.upstream:
        candidates.append(entry.upstream)
    if not candidates:
        return FetchResult(
            entry.path,
            "fout",
            message="geen spiegel ingesteld en geen upstream-adres bekend: zet GEO_DATA_MIRROR op een map "
            "of URL met de brondata (zoals ../shared/data)",
        )
    dest.parent.mkdir(parents=True, exist_ok=True)
    problems = []
    for origin in candidates:
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".fetch-")
        os.close(fd)
        try:
            _copy_from(origin, Path(tmp))
            got = sha256_of(Path(tmp))
            if got != entry.sha256:
                problems.append(f"{origin}: verkeerde checksum ({got[:12]}…)")
                continue
            os.replace(tmp, dest)
            return FetchResult(entry.path, "opgehaald", origin)
        except (OSError, ValueError) as exc:
            problems.append(f"{origin}: {exc}")
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return FetchResult(entry.path, "fout", message="; ".join(problems))


def fetch_all(mirror: str | None = None) -> list[FetchResult]:
    """Fetch every file of the manifest; raises DataMissingError listing the files that failed."""
    mirror = mirror if mirror is not None else default_mirror()
    results = [fetch_one(f, mirror) for f in load_manifest().files]
    failed = [r for r in results if r.status == "fout"]
    if failed:
        lines = "\n".join(f"  - {r.path}: {r.message}" for r in failed)
        raise DataMissingError(
            f"{len(failed)} bronbestand(en) konden niet opgehaald worden:\n{lines}\n"
            "Zet GEO_DATA_MIRROR op een map of URL met de brondata (standaard ../shared/data) "
            "of zorg voor internettoegang tot de upstream-bronnen."
        )
    return results


def status() -> list[dict]:
    """Per raw file: present or not, checksum ok, source, vintage (for `geo data status`)."""
    m = load_manifest()
    rows = []
    for f in m.files:
        local = (data_dir() / f.path) if f.bundled else (raw_dir() / f.path)
        present = local.is_file()
        ok = present and sha256_of(local) == f.sha256
        src = m.sources[f.source]
        rows.append(
            {
                "bestand": f.path,
                "aanwezig": present,
                "checksum_ok": ok,
                "bron": src.title,
                "jaargang": src.vintage,
                "upstream": f.upstream or "",
            }
        )
    return rows


def sources_overview() -> list[dict]:
    """One row per dataset: title, vintage, licence, attribution, homepage and number of files."""
    m = load_manifest()
    rows = []
    for key, src in m.sources.items():
        files = [f for f in m.files if f.source == key]
        rows.append(
            {
                "Bron": src.title,
                "Jaargang": src.vintage,
                "Licentie": src.licence,
                "Bronvermelding": src.attribution,
                "Website": src.homepage,
                "Bestanden": len(files),
                "Upstream gekend": sum(bool(f.upstream) for f in files),
            }
        )
    return rows


def attribution_line(keys: tuple[str, ...] = ("gebiedsniveaus", "statbel", "stadsmonitor")) -> str:
    """Attribution for under a map or table: 'Bronnen: <attribution>; <attribution>.'"""
    m = load_manifest()
    texts = [m.sources[k].attribution.rstrip(". ") for k in keys if k in m.sources]
    return "Bronnen: " + "; ".join(texts) + "."
