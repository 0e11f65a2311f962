"""Bad source files give clear errors and leave the previous build intact (issue 2, item 7)."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from geo.data import build, catalog
from geo.data.readers import read_shapes, read_statbel_population, read_statbel_sectors, read_table_xlsx
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


# ------------------------------------------------------------------ the population years, sectors and BIMD
POP_YEARS = {year: f"statbel/TF_SOC_POP_STRUCT_{year}.zip" for year in (2019, 2020, 2021, 2022)}
SECTOR_ZIPS = [f"statbel/sectoren/OPENDATA_SECTOREN_{year}.zip" for year in (2019, 2020, 2021, 2022)]
BIMD_SECTORS = "bimd/BIMD2011_DOMAINS_STATISTICAL_SECTOR_ELLIS_WIDE.csv"
BIMD_MUNICIPALITIES = "bimd/DOMAINS_BIMD_2011_MUNICIPALITIES_ELLIS_WIDE_AVERAGE_SCORE.csv"
NEW_FILES = [*POP_YEARS.values(), *SECTOR_ZIPS, BIMD_SECTORS, BIMD_MUNICIPALITIES]


def _head_of_zip(rel: str, n_lines: int = 3000) -> tuple[str, bytes]:
    """Name and first ``n_lines`` raw lines (original encoding) of the member of a Statbel zip."""
    with zipfile.ZipFile(RAW / rel) as zf:
        name = zf.namelist()[0]
        with zf.open(name) as fh:
            return name, b"".join(fh.readline() for _ in range(n_lines))


def _zip_with(path: Path, name: str, content: bytes) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(name, content)
    return path


def _read_new(rel: str, path: Path):
    if rel in SECTOR_ZIPS:
        return read_statbel_sectors(path)
    year = next(y for y, r in POP_YEARS.items() if r == rel)
    return read_statbel_population(path, year)


@pytest.mark.parametrize("rel", NEW_FILES)
def test_missing_new_source_file_names_it_and_the_fix(rel, tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(REPO_ROOT / "data" / "manifest.json", data / "manifest.json")
    monkeypatch.setenv("GEO_DATA_DIR", str(data))
    monkeypatch.setenv("GEO_DATA_CACHE", str(tmp_path / "leeg"))
    with pytest.raises(DataMissingError) as err:
        catalog.verify(rel)
    assert rel in str(err.value) and "python -m geo data fetch" in str(err.value)


@pytest.mark.parametrize("rel", [*POP_YEARS.values(), *SECTOR_ZIPS])
def test_truncated_population_and_sector_zips_are_refused_clearly(rel, tmp_path):
    target = tmp_path / Path(rel).name
    target.write_bytes((RAW / rel).read_bytes()[:100_000])  # an interrupted download
    with pytest.raises(DataMissingError) as err:
        _read_new(rel, target)
    message = str(err.value)
    assert Path(rel).name in message and "geen geldig zip-bestand" in message
    assert "python -m geo data fetch" in message


@pytest.mark.parametrize("year", sorted(POP_YEARS))
def test_population_zip_without_count_column_names_it(year, tmp_path):
    rel = POP_YEARS[year]
    name, raw = _head_of_zip(rel)
    if year == 2022:  # Statbel published 2022 in cp1252: the broken file keeps that encoding
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
    header, rest = raw.split(b"\n", 1)
    target = _zip_with(
        tmp_path / Path(rel).name, name, header.replace(b"MS_POPULATION", b"AANTAL") + b"\n" + rest
    )
    with pytest.raises(DataMissingError) as err:
        read_statbel_population(target, year)
    message = str(err.value)
    assert Path(rel).name in message and "MS_POPULATION" in message and "mist de kolom" in message
    # the same head with its header intact reads fine, accents and all
    good = read_statbel_population(_zip_with(tmp_path / "goed.zip", name, raw), year)
    assert good["bevolking"].sum() > 0 and set(good["jaar"]) == {year}


@pytest.mark.parametrize("rel", SECTOR_ZIPS)
def test_sector_zip_with_bad_counts_or_columns_names_the_problem(rel, tmp_path):
    name, raw = _head_of_zip(rel)
    header, first, rest = raw.split(b"\n", 2)
    cells = first.split(b"|")
    cells[2] = b"onbekend"  # TOTAL
    target = _zip_with(tmp_path / Path(rel).name, name, b"\n".join([header, b"|".join(cells), rest]))
    with pytest.raises(DataMissingError) as err:
        read_statbel_sectors(target)
    assert Path(rel).name in str(err.value) and "kolom TOTAL" in str(err.value)
    no_total = _zip_with(target, name, b"\n".join([header.replace(b"|TOTAL|", b"|TOT|"), first, rest]))
    with pytest.raises(DataMissingError, match="mist de kolom\\(men\\) TOTAL"):
        read_statbel_sectors(no_total)


def test_bimd_csvs_with_missing_columns_bad_deciles_or_garbage_are_refused(tmp_path):
    import pandas as pd

    from geo.data.readers import read_bimd_municipalities, read_bimd_sectors

    sectors = pd.read_csv(RAW / BIMD_SECTORS, dtype=str, nrows=500)
    target = tmp_path / Path(BIMD_SECTORS).name
    sectors.drop(columns=["BIMD2011_score"]).to_csv(target, index=False)
    with pytest.raises(DataMissingError) as err:
        read_bimd_sectors(target)
    assert target.name in str(err.value) and "BIMD2011_score" in str(err.value)
    sectors.assign(BIMD2011_deciles_domain="11").to_csv(target, index=False)
    with pytest.raises(DataMissingError, match="decielen buiten 1-10"):
        read_bimd_sectors(target)
    target.write_bytes(b"\x00\x9f\xff" * 2000)  # not a CSV at all
    with pytest.raises(DataMissingError) as err:
        read_bimd_sectors(target)
    assert target.name in str(err.value)

    munis = pd.read_csv(RAW / BIMD_MUNICIPALITIES, dtype=str, nrows=50)
    target = tmp_path / Path(BIMD_MUNICIPALITIES).name
    munis.drop(columns=["average_score_bimd_2011"]).to_csv(target, index=False)
    with pytest.raises(DataMissingError) as err:
        read_bimd_municipalities(target)
    assert target.name in str(err.value) and "average_score_bimd_2011" in str(err.value)
    munis.assign(average_score_bimd_2011="veel").to_csv(target, index=False)
    with pytest.raises(DataMissingError, match="kolom average_score_bimd_2011 bevat"):
        read_bimd_municipalities(target)


def test_broken_cp1252_population_zip_stops_the_build_and_keeps_previous_build(data_dir):
    """A damaged 2022 population zip (Statbel's cp1252 file) stops the build with the Dutch message;
    every built file stays as it was."""
    rel = POP_YEARS[2022]
    before = _stats_snapshot(data_dir)
    target = data_dir / "raw" / rel
    name, raw = _head_of_zip(rel)
    header, rest = raw.split(b"\n", 1)
    try:
        _zip_with(target, name, header.replace(b"|CD_AGE|", b"|LEEFTIJD|") + b"\n" + rest)
        _accept_new_checksum(data_dir, rel)
        with pytest.raises(DataMissingError) as err:
            build.build(progress=lambda _m: None)
        assert "TF_SOC_POP_STRUCT_2022.zip" in str(err.value) and "CD_AGE" in str(err.value)
        assert _stats_snapshot(data_dir) == before
    finally:
        shutil.copy(RAW / rel, target)
