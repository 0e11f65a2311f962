"""The figures of one division the way its own page shows them, for the scorecard and the dossier.

The metrics are those of the division editor (`AreaMetrics` over the level's cached counts, with the
budget column of `geo.budget.per_unit`), the checks those of the validity gate, the budget per area the
formula run over every unit of the level's budget base (all of Flanders and Brussels) and summed per
area, so a division of part of a level (the wijken of Groot Antwerpen) gets its share of the Flemish
formula. Partner coverage and caseload come in only when they are given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
import pandas as pd

from geo.budget import allocation, calibration
from geo.budget.allocation import Allocation, Params
from geo.budget.per_unit import BUDGET_BASE
from geo.data import units
from geo.divisions import validity
from geo.divisions.division import Division
from geo.divisions.metrics import AreaMetrics, Band, Summary, UnitData
from geo.divisions.validity import CheckResult, GateSettings
from geo.errors import UserFacingError

#: Default reach of a partner (straight line, metres) for coverage figures.
DEFAULT_DISTANCE_M = 2000.0


@dataclass(frozen=True)
class FigureOptions:
    """What to compute besides the metrics; None leaves a part out or takes the page's default."""

    params: Params | None = None  # budget formula; None = the editor's (2021 setting)
    band: Band | None = None
    settings: GateSettings | None = None  # validity gate; None = `validity.default_settings`
    partners: pd.DataFrame | None = field(default=None, compare=False)  # canonical register (x, y, type)
    distance_m: float = DEFAULT_DISTANCE_M
    cases: pd.DataFrame | None = field(default=None, compare=False)  # aggregated caseload rows
    cases_level: str | None = None
    capacity: Mapping[str, float] | None = field(default=None, compare=False)  # VTE per area
    year: int | None = None  # population year of the counts (None: the latest)
    indicator: str | None = None  # deprivation indicator (None: the default)


def default_params(level: str, weight: float | None = None, total: float | None = None) -> Params | None:
    """The editor's budget formula for `level`: the 2021 setting (for Antwerp postcodes the 2021 budget
    of Groot Antwerpen), with another correction `weight` or (not for postcodes) `total` when given;
    None when the formula cannot run on this level."""
    if level not in BUDGET_BASE:
        return None
    if BUDGET_BASE[level][0] == "postcode_antwerpen":
        params = Params(total=int(calibration.published_2021()[calibration.GROOT_ANTWERPEN]))
    else:
        params = calibration.params_2021()
        if total is not None:
            params = replace(params, total=float(total))
    return params.with_weight(weight) if weight is not None else params


def params_by_level(
    levels: Iterable[str], weight: float | None = None, total: float | None = None
) -> dict[str, Params]:
    """`default_params` for each level that has a budget formula."""
    out = {}
    for level in levels:
        params = default_params(level, weight, total)
        if params is not None:
            out[level] = params
    return out


@lru_cache(maxsize=16)
def unit_allocation(
    level: str, params: Params, year: int | None = None, indicator: str | None = None
) -> Allocation:
    """The formula over every unit of `level`'s budget base on the counts of population `year` and
    deprivation `indicator` (cached per level, parameters and counts)."""
    base, _ = BUDGET_BASE[level]
    return allocation.allocate(units.load_table(base, year, indicator), params)


def population_text(level: str, params: Params, year: int | None = None) -> str:
    """The population of the formula with its year and source, e.g. `0-24 jaar (Statbel, 1 januari 2022)`."""
    from geo.budget.allocation import POPULATIONS

    base, _ = BUDGET_BASE.get(level, (level, None))
    if base == "postcode_antwerpen":
        return "0-24 jaar per postcode, 2019 (studie Groot Antwerpen, Tabel 8)"
    source = POPULATIONS.get(params.population)
    what = source.label.split(" (")[0] if source else params.population
    if source and source.columns[0].startswith("vacc"):
        return source.label
    year = units.check_year(year)
    if base == "wijk":
        return (
            f"{what} per wijk (schatting uit de bevolking per statistische sector, Statbel, 1 januari {year})"
        )
    return f"{what} (Statbel, 1 januari {year})"


def count_year(level: str, params: Params, year: int | None = None) -> str | None:
    """The year of the formula's counts on `level`'s budget base for table headers: `2022`, `2022, geschat`
    (per wijk), `2019` (Tabel 8 postcodes); None for the Vaccinnet counts (their label says ±2021)."""
    base, _ = BUDGET_BASE.get(level, (level, None))
    known = None if base == "postcode_antwerpen" else units.check_year(year)
    return calibration.count_year(base, known, params.population)


def unit_budget(
    level: str, params: Params, year: int | None = None, indicator: str | None = None
) -> pd.Series:
    """Euro per unit of `level` (summed from the base units for coarser levels)."""
    base, parent = BUDGET_BASE[level]
    alloc = unit_allocation(level, params, year, indicator)
    eur = pd.Series(alloc.units["eur"].to_numpy(dtype=float), index=alloc.units["code"].astype(str))
    if parent is None:
        return eur
    table = units.load_table(base)
    groups = pd.Series(table[parent].astype(str).to_numpy(), index=table["code"].astype(str))
    return eur.groupby(groups.reindex(eur.index)).sum()


@lru_cache(maxsize=16)
def unit_data(
    level: str, params: Params | None, year: int | None = None, indicator: str | None = None
) -> UnitData:
    """The level's `UnitData` for population `year` and deprivation `indicator` with the budget column of
    `params` (as the editor's)."""
    data = UnitData.load(level, year, indicator)
    if params is None or level not in BUDGET_BASE:
        return data
    return data.with_counts(budget_eur=unit_budget(level, params, year, indicator))


def base_areas(division: Division) -> pd.Series:
    """Area per unit of the budget base of the division's level ("" outside the division)."""
    base, parent = BUDGET_BASE[division.level]
    table = units.load_table(base)
    own = table["code"].astype(str) if parent is None else table[parent].astype(str)
    assignment = dict(division.assignment)
    return pd.Series(own.map(assignment).fillna("").to_numpy(), index=table["code"].astype(str))


def budget_per_area(
    division: Division, params: Params, year: int | None = None, indicator: str | None = None
) -> pd.DataFrame:
    """Per area of `division`: units of the base, young people, deprived young people, the index from
    counts, euros and euros per young person (`geo.budget.allocation.aggregate` of the unit amounts)."""
    alloc = unit_allocation(division.level, params, year, indicator)
    labels = base_areas(division).reindex(alloc.units["code"].astype(str)).fillna("").to_numpy()
    table = allocation.aggregate(alloc.units, labels, params.step_size)
    table = table[table["gebied"] != ""].set_index("gebied")
    order = [a for a in division.areas if a in table.index]
    return table.loc[order].reset_index()


@dataclass
class DivisionFigures:
    """Everything the scorecard and the dossier show of one division."""

    division: Division
    data: UnitData
    params: Params | None
    metrics: AreaMetrics
    table: pd.DataFrame  # the editor's per-area table
    summary: Summary
    check: CheckResult
    coverage: pd.DataFrame | None = None  # coverage_by_area with type "alle" + per type
    caseload: pd.DataFrame | None = None  # caseload_summary (unmasked; mask before showing)
    notes: list[str] = field(default_factory=list)
    year: int | None = None  # population year chosen (None: the latest)
    indicator: str | None = None  # deprivation indicator chosen (None: the default)

    @property
    def balance(self) -> str:
        return self.summary.balance_column


def compute(division: Division, options: FigureOptions | None = None) -> DivisionFigures:
    """The figures of `division` under `options` (see `FigureOptions`)."""
    options = options or FigureOptions()
    params = options.params if options.params is not None else default_params(division.level)
    data = unit_data(division.level, params, options.year, options.indicator)
    metrics = AreaMetrics(data, division)
    band = options.band
    balance = band.column if band is not None and band.column in metrics.count_names else None
    table = metrics.table(band, balance=balance)
    summary = metrics.summary(balance)
    settings = options.settings or validity.default_settings(division, data)
    check = validity.check(division, data, settings)
    out = DivisionFigures(division, data, params, metrics, table, summary, check)
    out.year, out.indicator = options.year, options.indicator
    if options.partners is not None and len(options.partners):
        try:
            out.coverage = partner_coverage(
                division, options.partners, options.distance_m, options.year, options.indicator
            )
        except UserFacingError as exc:  # e.g. demand per municipality and a division of Antwerp postcodes
            out.notes.append(f"Dekking door partners niet getoond voor '{division.name}': {exc}")
    if options.cases is not None and len(options.cases) and options.cases_level:
        try:
            out.caseload = caseload(
                division, options.cases, options.cases_level, options.capacity, options.year
            )
        except UserFacingError as exc:  # e.g. a caseload per municipality and a division of wijken
            out.notes.append(f"Caseload niet getoond: {exc}")
    return out


def demand_level(division: Division) -> str:
    """The level of the demand points for coverage: wijken for a wijk division, else municipalities."""
    return "wijk" if division.level in ("wijk", "district", "elz") else "gemeente"


def partner_coverage(
    division: Division,
    partners: pd.DataFrame,
    distance_m: float,
    year: int | None = None,
    indicator: str | None = None,
) -> pd.DataFrame:
    """Coverage per area by any partner (type `alle`) and per partner type (young people of `year`)."""
    from geo.partners import coverage

    level = demand_level(division)
    table = units.load_table(level, year, indicator)
    mapping = coverage.unit_areas(table, level, division.level, division.assignment)
    layer = units.load_layer(level)
    all_types = partners.assign(type="alle")
    both = pd.concat([all_types, partners], ignore_index=True)
    types = ["alle", *sorted(partners["type"].astype(str).unique())]
    return coverage.partner_coverage(both, table, mapping, distance_m, types=types, layer=layer)


def caseload(
    division: Division,
    cases: pd.DataFrame,
    level: str,
    capacity: Mapping[str, float] | None,
    year: int | None = None,
) -> pd.DataFrame:
    """`geo.caseload.cases.caseload_summary` on the areas of `division` (capacity: VTE per area; young
    people of population `year`)."""
    from geo.caseload import cases as cl
    from geo.partners import coverage

    table = cl.load_case_units(level, year)
    mapping = coverage.unit_areas(table, level, division.level, division.assignment)
    population = dict(zip(table["code"].astype(str), table["pop_0_24"].astype(float), strict=True))
    summary = cl.caseload_summary(cases, mapping, population, capacity)
    return summary[summary["gebied"].isin(division.areas)].reset_index(drop=True)


def fte_per_area(
    division: Division, total: float | None = None, year: int | None = None, indicator: str | None = None
) -> Allocation | None:
    """FTE per area by need (`geo.budget.per_unit.area_resource`; default 0,4 VTE per area)."""
    from geo.budget.per_unit import area_resource

    return area_resource(
        division.level, dict(division.assignment), total=total, year=year, indicator=indicator
    )


def share_covered(coverage_table: pd.DataFrame | None) -> float:
    """Share (0-1) of the young people of all areas within reach of any partner, from counts."""
    if coverage_table is None:
        return float("nan")
    rows = coverage_table[coverage_table["type"] == "alle"]
    total = float(rows["doelgroep"].sum())
    return float(rows["gedekt"].sum()) / total if total > 0 else float("nan")


def nan_to_none(value: float) -> float | None:
    return None if value is None or not np.isfinite(value) else float(value)
