"""Readers for the raw inputs, each validating its columns and giving one clear Dutch error.

Codes are always read as strings. Every reader takes the path of a file in the raw cache.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from geo.errors import DataMissingError

GN = "gebiedsniveaus/data_voor_swing"


def _require(df: pd.DataFrame, columns: Iterable[str], name: str) -> pd.DataFrame:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataMissingError(
            f"Bronbestand {name} mist de kolom(men) {', '.join(missing)} "
            f"(gevonden: {', '.join(map(str, df.columns))}). Haal het bestand opnieuw op met "
            "`python -m geo data fetch`."
        )
    return df


def read_table_xlsx(path: Path, columns: list[str]) -> pd.DataFrame:
    """An aggregation or definition table (xlsx) with all columns as strings."""
    try:
        df = pd.read_excel(path, dtype=str)
    except Exception as exc:  # openpyxl raises many kinds
        raise DataMissingError(f"Bronbestand {path.name} is geen leesbaar Excel-bestand ({exc}).") from exc
    df.columns = [str(c).strip() for c in df.columns]
    _require(df, columns, path.name)
    return df[columns].apply(lambda s: s.str.strip())


def read_shapes(path: Path, code_column: str) -> gpd.GeoDataFrame:
    """A shapefile with its code column as string and CRS EPSG:31370."""
    try:
        gdf = gpd.read_file(path)
    except Exception as exc:
        raise DataMissingError(
            f"Shapefile {path.name} kan niet gelezen worden ({exc}). Haal de brondata opnieuw op met "
            "`python -m geo data fetch`."
        ) from exc
    _require(gdf, [code_column], path.name)
    if gdf.crs is None:
        gdf = gdf.set_crs(31370)
    elif gdf.crs.to_epsg() != 31370:
        gdf = gdf.to_crs(31370)
    gdf[code_column] = gdf[code_column].astype(str).str.strip()
    if gdf.geometry.isna().any() or (~gdf.geometry.is_valid).sum() > len(gdf) // 2:
        raise DataMissingError(f"Shapefile {path.name} bevat ontbrekende of ongeldige geometrieën.")
    return gdf


#: Municipality code column of the Statbel population table: 2015 layout, and the layout from 2019 on.
STATBEL_NIS_COLUMNS = ("CD_MUNTY_REFNIS", "CD_REFNIS")
STATBEL_COLUMNS = ["CD_RGN_REFNIS", "CD_AGE", "MS_POPULATION"]


def _zip_text(path: Path, what: str) -> bytes:
    """The single ``.txt`` member of a Statbel zip as UTF-8 bytes (cp1252 members are re-encoded)."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if n.lower().endswith(".txt")]
            if not names:
                raise DataMissingError(f"{path.name} bevat geen .txt-bestand met {what}.")
            raw = zf.read(names[0])
    except zipfile.BadZipFile as exc:
        raise DataMissingError(
            f"{path.name} is geen geldig zip-bestand (afgebroken download?). Verwijder het en haal het "
            "opnieuw op met `python -m geo data fetch`."
        ) from exc
    except (EOFError, zipfile.LargeZipFile, OSError) as exc:
        raise DataMissingError(f"{path.name} kan niet uitgepakt worden ({exc}).") from exc
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:  # Statbel published 2022 in cp1252
        raw = raw.decode("cp1252", errors="replace").encode("utf-8")
    return raw


def _read_pipe(raw: bytes, columns: list[str], text_columns: list[str], name: str) -> pd.DataFrame:
    """Selected columns of a pipe-separated table (pyarrow, multi-threaded), codes as strings."""
    header = raw[: raw.find(b"\n")].decode("utf-8", errors="replace").strip().split("|")
    _require(pd.DataFrame(columns=header), columns, name)
    try:
        table = pacsv.read_csv(
            io.BytesIO(raw),
            parse_options=pacsv.ParseOptions(delimiter="|"),
            convert_options=pacsv.ConvertOptions(
                include_columns=columns, column_types={c: pa.string() for c in text_columns}
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise DataMissingError(f"Bronbestand {name} is onleesbaar of beschadigd ({exc}).") from exc
    return table.to_pandas()


def _numbers(df: pd.DataFrame, column: str, name: str) -> pd.Series:
    values = pd.to_numeric(df[column], errors="coerce")
    bad = df.loc[values.isna(), column]
    if len(bad):
        raise DataMissingError(
            f"Bronbestand {name}: kolom {column} bevat {len(bad)} ongeldige waarde(n), bv. {bad.iloc[0]!r}."
        )
    return values


def read_statbel_population(path: Path, year: int | None = None) -> pd.DataFrame:
    """Statbel TF_SOC_POP_STRUCT (zip with one pipe-separated txt): counts per municipality and age.

    Reads the 2015 layout (``CD_MUNTY_REFNIS``, ``CD_YEAR``) and the layout from 2019 on (``CD_REFNIS``,
    no year column: ``year`` is then required). Returns columns nis (str), gewest (str, e.g. ``2000``),
    leeftijd (int), bevolking (int), jaar (int), summed over sex, nationality and civil status.
    """
    raw = _zip_text(path, "de bevolkingstabel")
    header = raw[: raw.find(b"\n")].decode("utf-8", errors="replace").strip().split("|")
    nis = next((c for c in STATBEL_NIS_COLUMNS if c in header), STATBEL_NIS_COLUMNS[-1])
    has_year = "CD_YEAR" in header
    if not has_year and year is None:
        raise DataMissingError(f"Bronbestand {path.name} heeft geen kolom CD_YEAR en geen gekend jaar.")
    cols = [nis, *STATBEL_COLUMNS] + (["CD_YEAR"] if has_year else [])
    df = _read_pipe(raw, cols, [nis, "CD_RGN_REFNIS", "CD_AGE"], path.name)
    age = pd.to_numeric(df["CD_AGE"].str.extract(r"(\d+)")[0], errors="coerce")
    if age.isna().any():
        raise DataMissingError(f"Bronbestand {path.name}: ongeldige leeftijden in kolom CD_AGE.")
    out = pd.DataFrame(
        {
            "nis": df[nis].str.strip(),
            "gewest": _numbers(df, "CD_RGN_REFNIS", path.name).astype("int64").astype(str),
            "leeftijd": age.astype("int64"),
            "bevolking": _numbers(df, "MS_POPULATION", path.name).astype("int64"),
            "jaar": _numbers(df, "CD_YEAR", path.name).astype("int64") if has_year else int(year),
        }
    )
    if year is not None and has_year and set(out["jaar"]) != {int(year)}:
        raise DataMissingError(f"Bronbestand {path.name} bevat niet het jaar {year}.")
    return out.groupby(["nis", "gewest", "leeftijd", "jaar"], as_index=False)["bevolking"].sum()


SECTOR_COLUMNS = ["CD_REFNIS", "CD_SECTOR", "TOTAL"]


def read_statbel_sectors(path: Path) -> pd.DataFrame:
    """Statbel OPENDATA_SECTOREN (zip, pipe-separated): inhabitants per statistical sector.

    Returns columns nis (municipality code of that year, str), sector (sector code of that year, str),
    bevolking (int).
    """
    raw = _zip_text(path, "de bevolking per sector")
    df = _read_pipe(raw, SECTOR_COLUMNS, ["CD_REFNIS", "CD_SECTOR"], path.name)
    out = pd.DataFrame(
        {
            "nis": df["CD_REFNIS"].str.strip(),
            "sector": df["CD_SECTOR"].str.strip(),
            "bevolking": _numbers(df, "TOTAL", path.name).astype("int64"),
        }
    )
    if out["sector"].duplicated().any():
        dup = out.loc[out["sector"].duplicated(), "sector"].iloc[0]
        raise DataMissingError(f"Bronbestand {path.name}: sector {dup} komt meer dan eens voor.")
    return out


BIMD_SECTOR_COLUMNS = ["CD_RES_SECTOR", "BIMD2011_score", "BIMD2011_deciles_domain"]


def read_bimd_sectors(path: Path) -> pd.DataFrame:
    """BIMD 2011 per statistical sector (2011 codes): sector (str), score (float), deciel (int, 1 = most
    deprived)."""
    try:
        df = pd.read_csv(path, dtype={"CD_RES_SECTOR": str})
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataMissingError(f"Bronbestand {path.name} is geen leesbare CSV ({exc}).") from exc
    _require(df, BIMD_SECTOR_COLUMNS, path.name)
    out = pd.DataFrame(
        {
            "sector": df["CD_RES_SECTOR"].str.strip(),
            "score": _numbers(df, "BIMD2011_score", path.name).astype(float),
            "deciel": _numbers(df, "BIMD2011_deciles_domain", path.name).astype("int64"),
        }
    )
    if not out["deciel"].between(1, 10).all():
        raise DataMissingError(f"Bronbestand {path.name}: decielen buiten 1-10.")
    return out


BIMD_MUNICIPALITY_COLUMNS = ["code", "municipality_name", "average_score_bimd_2011", "decile_bimd_2011"]


def read_bimd_municipalities(path: Path) -> pd.DataFrame:
    """BIMD 2011 per municipality (pre-2019 codes): nis (str), score (float), deciel (int)."""
    try:
        df = pd.read_csv(path, dtype={"code": str})
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataMissingError(f"Bronbestand {path.name} is geen leesbare CSV ({exc}).") from exc
    _require(df, BIMD_MUNICIPALITY_COLUMNS, path.name)
    return pd.DataFrame(
        {
            "nis": df["code"].str.strip(),
            "score": _numbers(df, "average_score_bimd_2011", path.name).astype(float),
            "deciel": _numbers(df, "decile_bimd_2011", path.name).astype("int64"),
        }
    )


VACC_COLUMNS = ["NIS_CD", "AGE_CD", "POPULATION_NBR", "EERSTELIJNSZONE", "MUNICIPALITY"]


def read_vaccinnet(path: Path) -> pd.DataFrame:
    """Vaccinnet population per municipality (2019-2024 codes) and age band."""
    df = pd.read_csv(path, dtype={"NIS_CD": str, "AGE_CD": str})
    _require(df, VACC_COLUMNS, path.name)
    return df[VACC_COLUMNS]


STADSMONITOR_COLUMNS = ["nis", "naam", "kansarmoede_index_pct"] + [f"inwoners_{y}" for y in range(2015, 2026)]


def read_stadsmonitor(path: Path) -> pd.DataFrame:
    """K&G kansarmoede-index and population 2015-2025 per 2025 Flemish municipality."""
    df = pd.read_csv(path, dtype={"nis": str})
    _require(df, STADSMONITOR_COLUMNS, path.name)
    return df[STADSMONITOR_COLUMNS]
