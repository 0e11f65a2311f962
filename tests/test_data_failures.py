"""Bad source files give clear errors and leave the previous build intact (issue 2, item 7)."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from geo.data import build, catalog
from geo.data.readers import read_shapes, read_statbel_population, read_table_xlsx
from geo.errors import DataMissingError
from geo.paths import REPO_ROOT, raw_dir

#: The raw cache the tests copy from (GEO_DATA_CACHE when set, else data/raw of the repository).
RAW = raw_dir()
STATBEL = "statbel/TF_SOC_POP_STRUCT_2015.zip"
SHAPE = "gebiedsniveaus/data_voor_swing/shapefiles/gemeente.shp"


@pytest.fixture(scope="module")
def built_copy(tmp_path_factory):
    """A private data folder (manifest + facts + raw cache) with one good build in it."""
    root = tmp_path_factory.mktemp("data")
    shutil.copy(REPO_ROOT / "data" / "manifest.json", root / "manifest.json")
    shutil.copytree(REPO_ROOT / "data" / "1g1p", root / "1g1p")
    shutil.copytree(RAW, root / "raw")
    mp = pytest.MonkeyPatch()
    mp.setenv("GEO_DATA_DIR", str(root))
    mp.delenv("GEO_DATA_CACHE", raising=False)
    build.build(progress=lambda _msg: None)
    yield root
    mp.undo()


@pytest.fixture
def data_dir(built_copy, monkeypatch):
    monkeypatch.setenv("GEO_DATA_DIR", str(built_copy))
    snapshot = {p.name: p.read_bytes() for p in (built_copy / "stats").iterdir()}
    manifest = (built_copy / "manifest.json").read_text()
    yield built_copy
    # restore raw files and manifest that a test corrupted
    (built_copy / "manifest.json").write_text(manifest)
    for rel in (STATBEL, *[SHAPE.replace(".shp", e) for e in (".shp", ".dbf")]):
        shutil.copy(RAW / rel, built_copy / "raw" / rel)
    assert {p.name: p.read_bytes() for p in (built_copy / "stats").iterdir()} == snapshot


def _accept_new_checksum(root: Path, rel: str) -> None:
    """Pretend the corrupted file is a new upstream version: update its checksum in the manifest."""
    m = json.loads((root / "manifest.json").read_text())
    for f in m["files"]:
        if f["path"] == rel:
            f["sha256"] = catalog.sha256_of(root / "raw" / rel)
    (root / "manifest.json").write_text(json.dumps(m))


def _stats_snapshot(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "stats").iterdir())}


def test_wrong_checksum_names_the_file_and_keeps_previous_build(data_dir):
    before = _stats_snapshot(data_dir)
    target = data_dir / "raw" / "stadsmonitor" / "gemeenten_kansarmoede_bevolking.csv"
    original = target.read_bytes()
    target.write_bytes(original.replace(b"Aalst", b"Aalsr"))
    try:
        with pytest.raises(DataMissingError) as err:
            build.build(progress=lambda _m: None)
        assert "gemeenten_kansarmoede_bevolking.csv" in str(err.value)
        assert "geo data fetch" in str(err.value)
        assert _stats_snapshot(data_dir) == before
    finally:
        target.write_bytes(original)


def test_truncated_zip_gives_clear_error_and_keeps_previous_build(data_dir):
    before = _stats_snapshot(data_dir)
    target = data_dir / "raw" / STATBEL
    target.write_bytes(target.read_bytes()[:200_000])
    _accept_new_checksum(data_dir, STATBEL)
    with pytest.raises(DataMissingError) as err:
        build.build(progress=lambda _m: None)
    assert "TF_SOC_POP_STRUCT_2015.zip" in str(err.value)
    assert "zip" in str(err.value)
    assert _stats_snapshot(data_dir) == before


def test_missing_column_gives_clear_error_and_keeps_previous_build(data_dir, tmp_path):
    before = _stats_snapshot(data_dir)
    target = data_dir / "raw" / STATBEL
    with zipfile.ZipFile(RAW / STATBEL) as zf:
        name = zf.namelist()[0]
        lines = zf.read(name).decode("utf-8").splitlines()[:1000]
    header = lines[0].replace("MS_POPULATION", "POPULATION")
    with zipfile.ZipFile(target, "w") as zf:
        zf.writestr(name, "\n".join([header, *lines[1:]]))
    _accept_new_checksum(data_dir, STATBEL)
    with pytest.raises(DataMissingError) as err:
        build.build(progress=lambda _m: None)
    assert "MS_POPULATION" in str(err.value)
    assert _stats_snapshot(data_dir) == before


def test_corrupted_shapefile_gives_clear_error_and_keeps_previous_build(data_dir):
    before = _stats_snapshot(data_dir)
    target = data_dir / "raw" / SHAPE
    target.write_bytes(b"\x00" * 100 + target.read_bytes()[100:5000])
    _accept_new_checksum(data_dir, SHAPE)
    with pytest.raises(DataMissingError) as err:
        build.build(progress=lambda _m: None)
    assert "gemeente.shp" in str(err.value)
    assert _stats_snapshot(data_dir) == before


def test_readers_reject_bad_files_directly(tmp_path):
    bad_zip = tmp_path / "x.zip"
    bad_zip.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DataMissingError, match="geen geldig zip-bestand"):
        read_statbel_population(bad_zip)
    xlsx = tmp_path / "t.xlsx"
    import pandas as pd

    pd.DataFrame({"statsec": ["11001A00-"], "gemeentje": ["11001"]}).to_excel(xlsx, index=False)
    with pytest.raises(DataMissingError, match="gemeente"):
        read_table_xlsx(xlsx, ["statsec", "gemeente"])
    shp = tmp_path / "broken.shp"
    shp.write_bytes(b"garbage")
    with pytest.raises(DataMissingError, match="broken.shp"):
        read_shapes(shp, "geoitem")


def test_fetch_from_mirror_checks_checksums(tmp_path, monkeypatch):
    mirror = tmp_path / "mirror"
    shutil.copytree(RAW, mirror)
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(REPO_ROOT / "data" / "manifest.json", data / "manifest.json")
    shutil.copytree(REPO_ROOT / "data" / "1g1p", data / "1g1p")
    monkeypatch.setenv("GEO_DATA_DIR", str(data))
    monkeypatch.delenv("GEO_DATA_CACHE", raising=False)
    results = catalog.fetch_all(str(mirror))
    assert all(r.status in {"opgehaald", "aanwezig"} for r in results)
    assert (data / "raw" / STATBEL).is_file()
    # A corrupt mirror file is refused and nothing partial lands in the cache.
    (data / "raw" / STATBEL).unlink()
    (mirror / STATBEL).write_bytes(b"corrupt")
    with pytest.raises(DataMissingError) as err:
        catalog.fetch_all(str(mirror))
    assert STATBEL in str(err.value)
    assert "checksum" in str(err.value)
    assert not (data / "raw" / STATBEL).exists()
    assert not list((data / "raw" / "statbel").glob(".fetch-*"))
    # A missing mirror file is named too.
    (mirror / STATBEL).unlink()
    with pytest.raises(DataMissingError, match="TF_SOC_POP_STRUCT_2015.zip"):
        catalog.fetch_all(str(mirror))


def test_missing_raw_file_message_says_how_to_fix(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(REPO_ROOT / "data" / "manifest.json", data / "manifest.json")
    monkeypatch.setenv("GEO_DATA_DIR", str(data))
    monkeypatch.delenv("GEO_DATA_CACHE", raising=False)
    with pytest.raises(DataMissingError, match="python -m geo data fetch"):
        catalog.raw_path(STATBEL)
