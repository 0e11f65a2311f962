"""Units per level: the built tables, layers and adjacency, cached in memory.

The only way domain code reads built data. Codes are strings; see docs/DATA.md for the columns.
`load_table(level, year=..., indicator=...)` gives the counts of one population year (`YEARS`) and one
deprivation indicator (`INDICATORS`); `load_counts(level)` gives every year at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.data.verify import read_built
from geo.errors import DataMissingError, UserFacingError
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

#: Population years (1 January) with counts for every unit; the latest is the default.
YEARS: tuple[int, ...] = (2015, 2019, 2020, 2021, 2022)
SECTOR_YEARS: tuple[int, ...] = (2019, 2020, 2021, 2022)
DEFAULT_YEAR = 2022
#: The year before the 2021 budgets: default population year of the 2021 reference.
REFERENCE_YEAR_2021 = 2020
COUNT_COLUMNS = ["inwoners", "pop_0_24", "pop_0_17", "pop_18_24"]


@dataclass(frozen=True)
class Indicator:
    """A deprivation indicator, expressed as deprived young people (0-24) and a rate over them."""

    key: str
    label: str  # short Dutch label for choosers
    rate_label: str  # what `kansarmoede_pct` means with this indicator
    source: str  # source and year, for under tables
    description: str
    short: str = ""  # a few words for column headers, e.g. "K&G, per wijk geschat"
    estimate: str = ""  # which figures are estimates, for notes under tables


INDICATORS: dict[str, Indicator] = {
    "kg_schatting": Indicator(
        "kg_schatting",
        "Kind & Gezin, kleinschalige schatting",
        "Kansarmoede-index K&G (% geboorten), per wijk geschat",
        "Kind & Gezin kansarmoede-index per gemeente (Gemeente- en Stadsmonitor, ca. 2022-2023), per wijk "
        "verdeeld met de BIMD 2011",
        "Per gemeente het gepubliceerde K&G-cijfer; binnen de gemeente verdeeld over sectoren en wijken "
        "volgens een logistische curve van de K&G-index op de BIMD-score, geschat over de Vlaamse gemeenten "
        "(schatting, zie docs/KANSARMOEDE_WIJK.md). Per gemeente blijft het aantal kansarme jongeren gelijk.",
        "K&G, per wijk geschat",
        "onder het gemeenteniveau geschat (gemeentecijfer ca. 2022-2023 verdeeld met de BIMD 2011)",
    ),
    "kg_gemeente": Indicator(
        "kg_gemeente",
        "Kind & Gezin per gemeente",
        "Kansarmoede-index K&G (% geboorten) van de gemeente",
        "Kind & Gezin kansarmoede-index per gemeente (Gemeente- en Stadsmonitor, ca. 2022-2023)",
        "Elke wijk krijgt het cijfer van haar gemeente: geen verschil binnen een gemeente.",
        "K&G per gemeente",
        "per wijk het cijfer van de gemeente (ca. 2022-2023; geen verschil binnen een gemeente)",
    ),
    "bimd": Indicator(
        "bimd",
        "BIMD 2011 (20 % meest achtergestelde sectoren)",
        "% jongeren in de 20 % meest achtergestelde sectoren van België (BIMD 2011, deciel 1-2)",
        "Belgian Index of Multiple Deprivation 2011 per statistische sector (Otavova e.a. 2023)",
        "Andere maat dan K&G: het aandeel jongeren dat woont in een sector van deciel 1 of 2 van de BIMD "
        "2011 (inkomen, werk, opleiding, huisvesting, criminaliteit, gezondheid). Ook voor Brussel.",
        "BIMD 2011, geschat",
        "geschat uit de sectoren van de BIMD 2011 en de jongeren per sector",
    ),
}
DEFAULT_INDICATOR = "kg_schatting"
DEPRIVATION_KEYS: tuple[str, ...] = tuple(INDICATORS)
#: Levels with per-year counts (`<level>_jaren.parquet`); `postcode_antwerpen` is Tabel 8 (2019) only.
YEAR_LEVELS = ("gemeente", "gemeente2024", "elz", "elz57", "wijk", "district", "provincie")

NOT_BUILT = "De gegevens zijn nog niet opgebouwd: voer `make data` uit (of `python -m geo data build`)."


def indicator_key(text: str) -> str:
    """The `INDICATORS` key of an indicator given by its key or its Dutch label (as exports write it);
    other text unchanged."""
    if text in INDICATORS:
        return text
    return next((key for key, ind in INDICATORS.items() if ind.label == text), text)


def year_header(label: str, year: int, estimated: bool = False) -> str:
    """A column title with the year of its figures: `Inwoners (2022)`, `Jongeren 0-24 (2022, geschat)`."""
    return f"{label} ({year}{', geschat' if estimated else ''})"


def indicator_header(indicator: str, label: str = "Kansarmoede (%)", level: str | None = None) -> str:
    """A column title that names the deprivation indicator: `Kansarmoede (%, K&G per gemeente)`. On a
    level at or above the municipality the small-area estimate is the municipal K&G figure itself."""
    indicator = check_indicator(indicator)
    if indicator == "kg_schatting" and level is not None and level not in SUB_MUNICIPAL_LEVELS:
        indicator = "kg_gemeente"
    short = INDICATORS[indicator].short
    return label[:-1] + f", {short})" if label.endswith(")") else f"{label} ({short})"


#: Levels below the municipality (or with Antwerp sub-zones), where counts come from sectors.
SUB_MUNICIPAL_LEVELS = ("wijk", "district", "elz")


def ages_estimated(level: str) -> bool:
    """True when age bands of ``level`` are (partly) estimates: sector inhabitants x the municipality's
    age shares (wijken, districts, the Antwerp sub-zones of `elz`)."""
    return level in SUB_MUNICIPAL_LEVELS


def inhabitants_estimated(level: str, year: int) -> bool:
    """True when inhabitants of ``level`` are (partly) estimates: below the municipality in 2015 (the 2019
    sector distribution scaled to the 2015 total)."""
    return ages_estimated(level) and year not in SECTOR_YEARS


TABEL8_NOTE = (
    "Postcodes Groot Antwerpen: bevolking, 0-24-jarigen en K&G-kansarmoede-index van 2019 (studie Groot "
    "Antwerpen, Tabel 8), welk jaar of welke indicator ook gekozen is."
)


def counts_note(year: int | None = None, indicator: str | None = None, level: str | None = None) -> str:
    """Dutch sentences for under a table: the population year, the deprivation indicator and which figures
    are estimates (on ``level``; None = say it for every level)."""
    if level == "postcode_antwerpen":
        return TABEL8_NOTE
    year, indicator = check_year(year), check_indicator(indicator)
    ind = INDICATORS[indicator]
    text = f"Bevolking op 1 januari {year} (Statbel)"
    below = level is None or ages_estimated(level)
    if below:
        where = "per wijk, district en Antwerpse deelzone" if level is None else "onder het gemeenteniveau"
        if year in SECTOR_YEARS:
            text += f"; {where}: inwoners per statistische sector, leeftijdsgroepen geschat"
        else:
            text += f"; {where} geschat (sectorverdeling van 2019 herschaald naar {year})"
    text += f". Kansarmoede: {ind.label}"
    if indicator == "bimd" or (below and ind.estimate):
        text += f", {ind.estimate}"
    else:
        text += f" ({ind.source})"
    return text + "."


def _check_level(level: str) -> Level:
    if level not in LEVELS:
        raise KeyError(f"onbekend niveau {level!r}; kies uit {', '.join(LEVELS)}")
    return LEVELS[level]


def is_built() -> bool:
    """True when a complete build is present."""
    return (stats_dir() / ".built").is_file()


@lru_cache(maxsize=16)
def _table(level: str, stamp: str) -> pd.DataFrame:
    return read_built(stats_dir() / f"{level}.parquet", pd.read_parquet)


def _stamp() -> str:
    path = stats_dir() / ".built"
    if not path.is_file():
        raise DataMissingError(NOT_BUILT)
    return path.read_text()


def check_year(year: int | None) -> int:
    """``year`` (None = `DEFAULT_YEAR`) checked against `YEARS`; a clear Dutch error otherwise."""
    if year is None:
        return DEFAULT_YEAR
    try:
        value = int(year)
    except (TypeError, ValueError):
        value = -1
    if value not in YEARS:
        raise UserFacingError(
            f"Geen bevolkingscijfers voor het jaar {year}; kies uit {', '.join(map(str, YEARS))}."
        )
    return value


def check_indicator(indicator: str | None) -> str:
    """``indicator`` (None = `DEFAULT_INDICATOR`) checked against `INDICATORS`."""
    if indicator is None:
        return DEFAULT_INDICATOR
    if indicator not in INDICATORS:
        raise UserFacingError(
            f"Onbekende kansarmoede-indicator {indicator!r}; kies uit {', '.join(INDICATORS)}."
        )
    return indicator


@lru_cache(maxsize=16)
def _years(level: str, stamp: str) -> pd.DataFrame:
    path = stats_dir() / f"{level}_jaren.parquet"
    if not path.is_file():
        raise DataMissingError(NOT_BUILT)
    return read_built(path, pd.read_parquet)


def _with_rates(t: pd.DataFrame, indicator: str) -> pd.DataFrame:
    n, basis = t[f"{indicator}_n"], t[f"{indicator}_basis"]
    t["kansarmoede_n"] = n.astype(float)
    t["kansarmoede_basis"] = basis.astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        t["kansarmoede_pct"] = 100 * n / basis.where(basis > 0)  # exact: formulas sum rate x count
    t["kansarmoede_missing"] = ~(basis > 0)
    t["kansarmoede_geschat"] = t[f"{indicator}_geschat"].astype(bool)
    sb = t["bimd_score_basis"]
    with np.errstate(invalid="ignore", divide="ignore"):
        t["bimd_score"] = (t["bimd_score_som"] / sb.where(sb > 0)).round(3)
    t["indicator"] = indicator
    return t


@lru_cache(maxsize=64)
def _composed(level: str, year: int, indicator: str, stamp: str) -> pd.DataFrame:
    base = _table(level, stamp)
    counts = _years(level, stamp)
    counts = counts[counts["jaar"] == year].drop(
        columns=[c for c in counts.columns if c in base.columns and c != "code"]
    )
    t = base.merge(counts, on="code", how="left", validate="one_to_one")
    for c in COUNT_COLUMNS:
        t[c] = t[c].astype(float)
    t["pop_geschat"] = t["pop_geschat"].fillna(True).astype(bool)
    t["jaar"] = year
    return _with_rates(t, indicator)


def load_table(level: str, year: int | None = None, indicator: str | None = None) -> pd.DataFrame:
    """Attributes and counts per unit of ``level`` (a copy; column ``code`` is a string).

    Counts (`inwoners`, `pop_0_24`, `pop_0_17`, `pop_18_24`) are those of 1 January ``year`` (default
    `DEFAULT_YEAR`), the deprivation columns (`kansarmoede_n`, `kansarmoede_basis`, `kansarmoede_pct`,
    `kansarmoede_missing`, `kansarmoede_geschat`) those of ``indicator`` (default `DEFAULT_INDICATOR`).
    Columns `jaar` and `indicator` say which; `pop_geschat` / `kansarmoede_geschat` flag estimates.
    The level `postcode_antwerpen` is Tabel 8 of the study (2019, K&G 2019) whatever the choice.
    """
    _check_level(level)
    year = check_year(year)
    indicator = check_indicator(indicator)
    stamp = _stamp()
    if level not in YEAR_LEVELS:
        return _table(level, stamp).copy()
    out = _composed(level, year, indicator, stamp).copy()
    out.attrs = {"jaar": year, "indicator": indicator}
    return out


def load_counts(level: str, indicator: str | None = None) -> pd.DataFrame:
    """Every population year of ``level`` in long form: `code`, `naam`, `jaar`, the counts, the deprivation
    columns of ``indicator`` and the estimate flags (for exports and year-on-year tables)."""
    _check_level(level)
    indicator = check_indicator(indicator)
    if level not in YEAR_LEVELS:
        raise KeyError(f"niveau {level!r} heeft geen cijfers per jaar")
    stamp = _stamp()
    counts = _with_rates(_years(level, stamp).copy(), indicator)
    names = _table(level, stamp)[["code", "naam"]]
    keep = [
        "code",
        "naam",
        "jaar",
        *COUNT_COLUMNS,
        "pop_geschat",
        "kansarmoede_n",
        "kansarmoede_basis",
        "kansarmoede_pct",
        "kansarmoede_geschat",
        "bimd_score",
        "indicator",
    ]
    return names.merge(counts, on="code")[keep]


@lru_cache(maxsize=16)
def _layer(level: str, stamp: str) -> gpd.GeoDataFrame:
    return read_built(shapes_dir() / f"{level}.parquet", gpd.read_parquet)


def load_layer(level: str) -> gpd.GeoDataFrame:
    """Analysis geometry (EPSG:31370) with code, name and parents."""
    if not _check_level(level).has_geometry:
        raise KeyError(f"niveau {level!r} heeft geen geometrie")
    return _layer(level, _stamp()).copy()


@lru_cache(maxsize=16)
def _geojson(level: str, stamp: str) -> str:
    return read_built(shapes_dir() / f"{level}.geojson", lambda p: p.read_text(encoding="utf-8"))


def display_geojson(level: str) -> dict:
    """Display layer (EPSG:4326, coverage-simplified; properties code and naam), a fresh dict."""
    if not _check_level(level).has_geometry:
        raise KeyError(f"niveau {level!r} heeft geen geometrie")
    text = _geojson(level, _stamp())
    return read_built(shapes_dir() / f"{level}.geojson", lambda _p: json.loads(text))


@lru_cache(maxsize=16)
def _adjacency(level: str, stamp: str) -> pd.DataFrame:
    return read_built(shapes_dir() / f"adjacency_{level}.parquet", pd.read_parquet)


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
    return read_built(stats_dir() / "build.json", lambda p: json.loads(p.read_text(encoding="utf-8")))


def sector_rules(report: dict | None = None) -> pd.DataFrame:
    """How many inhabitants went through each sector -> wijk rule, per year (from the build report): one row
    per rule with its Dutch explanation (`Regel`, `Uitleg`, then one column per sector year), and a last row
    `Totaal` (the Flemish and Brussels total of that year). Empty for a build without sector years."""
    checks = (report or build_report()).get("controles", {})
    rules = checks.get("sectorregels", {})
    per_year = rules.get("inwoners_per_regel", {})
    if not per_year:
        return pd.DataFrame(columns=["Regel", "Uitleg"])
    explained = rules.get("uitleg", {})
    table = pd.DataFrame(per_year).reindex(list(explained) or None).fillna(0).astype("int64")
    table.columns = [str(c) for c in table.columns]
    table.loc["Totaal"] = table.sum()
    table.insert(0, "Uitleg", [explained.get(k, "") for k in table.index[:-1]] + ["alle inwoners"])
    return table.rename_axis("Regel").reset_index()


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
