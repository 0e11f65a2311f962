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


STATBEL_COLUMNS = ["CD_MUNTY_REFNIS", "CD_RGN_REFNIS", "CD_AGE", "MS_POPULATION", "CD_YEAR"]


def read_statbel_population(path: Path) -> pd.DataFrame:
    """Statbel TF_SOC_POP_STRUCT (zip with one pipe-separated txt): counts per municipality and age.

    Returns columns nis (str), gewest (str), leeftijd (int), bevolking (int), jaar (int), summed over
    sex, nationality and civil status.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if n.lower().endswith(".txt")]
            if not names:
                raise DataMissingError(f"{path.name} bevat geen .txt-bestand met de bevolkingstabel.")
            with zf.open(names[0]) as fh:
                raw = fh.read()
    except zipfile.BadZipFile as exc:
        raise DataMissingError(
            f"{path.name} is geen geldig zip-bestand (afgebroken download?). Verwijder het en haal het "
            "opnieuw op met `python -m geo data fetch`."
        ) from exc
    except (EOFError, zipfile.LargeZipFile, OSError) as exc:
        raise DataMissingError(f"{path.name} kan niet uitgepakt worden ({exc}).") from exc
    header = raw[: raw.find(b"\n")].decode("utf-8-sig", errors="replace").strip().split("|")
    _require(pd.DataFrame(columns=header), STATBEL_COLUMNS, path.name)
    df = pd.read_csv(
        io.BytesIO(raw),
        sep="|",
        usecols=STATBEL_COLUMNS,
        dtype={"CD_MUNTY_REFNIS": str, "CD_RGN_REFNIS": str, "CD_AGE": str, "MS_POPULATION": "int64"},
        encoding="utf-8-sig",
    )
    df["leeftijd"] = pd.to_numeric(df["CD_AGE"].str.extract(r"(\d+)")[0], errors="raise").astype(int)
    out = (
        df.groupby(["CD_MUNTY_REFNIS", "CD_RGN_REFNIS", "leeftijd", "CD_YEAR"], as_index=False)[
            "MS_POPULATION"
        ]
        .sum()
        .rename(
            columns={
                "CD_MUNTY_REFNIS": "nis",
                "CD_RGN_REFNIS": "gewest",
                "MS_POPULATION": "bevolking",
                "CD_YEAR": "jaar",
            }
        )
    )
    return out


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
