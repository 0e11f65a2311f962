"""The two planning questions, one call each, with the Dutch notes that go with their tables.

- ``accessibility``: 2SFCA per unit and partner type (``geo.partners.access``) summarised per area: how
  much partner capacity reaches the young people, its spread, and who falls below a threshold.
- ``locate``: where ``n`` new partners of one type reach most young people not reached yet
  (``geo.partners.location``), greedy preview and exact plan side by side.

Both take a canonical partner table, a unit table (``geo.data.units.load_table``) with its ``unit ->
area`` mapping, and a distance model (straight line by default, or a ``RoadNetwork``). Every export table
repeats how distances were measured, so a file read later still says it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo import fmt as nl
from geo.exports import Col
from geo.partners import access as acc
from geo.partners import location as loc
from geo.partners.coverage import demand_weights
from geo.partners.inputs import partner_capacity, wijk_sites
from geo.partners.network import Distances, StraightLine

#: Capacity units: key -> Dutch label (a capacity file holds one unit).
CAPACITY_UNITS: dict[str, str] = {
    "plaatsen": "plaatsen",
    "vte": "VTE",
    "partners": "partners (elk 1)",
}


def weighting_label(deprivation_weight: float, only_deprived: bool) -> str:
    if only_deprived:
        return "kansarme -25-jarigen"
    if deprivation_weight > 0:
        return f"-25-jarigen, kansarme jongeren {nl.number(1 + deprivation_weight, 1)} keer geteld"
    return "-25-jarigen"


def population_note(table: pd.DataFrame, level: str, deprivation: bool = False) -> str:
    """Year and estimate status of the young-people counts of ``table`` (and its deprivation indicator)."""
    from geo.data import units

    year = table.attrs.get("jaar", units.DEFAULT_YEAR)
    estimated = bool(table.get("pop_geschat", pd.Series([False])).any())
    text = f"Jongeren: -25-jarigen op 1 januari {year}"
    if level == "wijk" and estimated:
        text += ", per wijk geschat"
    indicator = table.attrs.get("indicator")
    if deprivation and indicator in units.INDICATORS:
        flagged = bool(table.get("kansarmoede_geschat", pd.Series([False])).any())
        text += f"; kansarme jongeren volgens {units.INDICATORS[indicator].label}"
        text += " (schatting)" if flagged else ""
    return text + "."


# ---------------------------------------------------------------------------------------------- access
@dataclass(frozen=True)
class AccessSettings:
    """Choices of an accessibility run. ``threshold`` is per ``acc.PER`` young people; with
    ``relative`` it is a share of the type's average over all chosen areas instead (0,5 = half)."""

    distance_m: float = 2000.0
    decay: str = "stap"
    threshold: float = 0.5
    relative: bool = True
    capacity_unit: str = "partners"
    default_capacity: float = 1.0
    deprivation_weight: float = 0.0
    only_deprived: bool = False

    def threshold_text(self, value: float | None = None) -> str:
        if self.relative:
            text = f"{nl.percent(self.threshold * 100, 0)} van het gemiddelde over de gekozen gebieden"
            return text + (f" ({nl.number(value, 2)} per {nl.number(acc.PER)})" if value is not None else "")
        return f"{nl.number(self.threshold, 2)} {CAPACITY_UNITS[self.capacity_unit]} per {nl.number(acc.PER)}"


@dataclass(frozen=True)
class AccessReport:
    """Result of ``accessibility``: ``areas`` (per area and type, with a "Totaal" row per type),
    ``units`` (per unit and type), ``thresholds`` per type, and notes."""

    areas: pd.DataFrame
    units: pd.DataFrame
    results: dict[str, acc.Access]
    thresholds: dict[str, float]
    settings: AccessSettings
    distance_label: str
    n_default: int
    unused: dict[str, float]
    notes: list[str] = field(default_factory=list)
    population_year: int | None = None  # 1 January of the young people (None: a table without a year)


def _year_of(table: pd.DataFrame) -> int | None:
    """The population year of a unit table (`geo.data.units.load_table` keeps it in ``attrs``)."""
    year = table.attrs.get("jaar")
    if year is None and "jaar" in table.columns and table["jaar"].nunique() == 1:
        year = table["jaar"].iloc[0]
    return None if year is None else int(year)


def accessibility(
    partners: pd.DataFrame,
    table: pd.DataFrame,
    unit_to_area: Mapping[str, str],
    settings: AccessSettings,
    types: Sequence[str] | None = None,
    capacity: Mapping[object, float] | None = None,
    distances: Distances | None = None,
    partner_area: Sequence[str] | None = None,
    level: str = "wijk",
) -> AccessReport:
    """2SFCA per type for every unit of ``table``; summarised over the units that have an area.

    ``capacity``: per partner index label (``geo.partners.inputs.capacity_mapping``); partners without
    one count ``settings.default_capacity``.
    """
    distances = distances or StraightLine()
    types = list(types) if types is not None else sorted(partners["type"].unique())
    codes = table["code"].astype(str).to_numpy()
    area = np.array([unit_to_area.get(c) or "" for c in codes], dtype=object)
    population = np.nan_to_num(table["pop_0_24"].to_numpy(float))
    counted = demand_weights(table, settings.deprivation_weight, settings.only_deprived)
    if settings.capacity_unit == "partners":
        cap, n_default = np.ones(len(partners)), 0
    else:
        cap, _ = partner_capacity(partners, capacity, settings.default_capacity)
        chosen = partners["type"].isin(types).to_numpy()
        n_default = sum(1 for label in partners.index[chosen] if label not in (capacity or {}))
    results = acc.access_by_type(
        table[["x", "y"]].to_numpy(float),
        population,
        partners[["x", "y"]].to_numpy(float),
        partners["type"].to_numpy(object),
        cap,
        settings.distance_m,
        settings.decay,
        types,
        distances,
    )
    if settings.relative:
        inside = area != ""
        thresholds = {}
        for t, res in results.items():
            young = population[inside].sum()
            mean = acc.PER * (population[inside] * res.access[inside]).sum() / young if young > 0 else 0.0
            thresholds[t] = settings.threshold * mean
    else:
        thresholds = dict.fromkeys(results, settings.threshold)
    counts = None
    if partner_area is not None:
        p_area = np.asarray(partner_area, dtype=object)
        p_type = partners["type"].to_numpy(object)
        counts = {t: pd.Series(p_area[p_type == t]).value_counts().to_dict() for t in types}
    areas = acc.access_by_area(results, population, area, thresholds, counted, counts, total="Totaal")
    units = acc.unit_access(results, codes, area, population, counted)
    units.insert(1, "naam", table["naam"].astype(str).to_numpy())
    unused = {t: r.unused for t, r in results.items()}
    counted_label = weighting_label(settings.deprivation_weight, settings.only_deprived)
    notes = [
        f"Afstand: {distances.describe()}, tot {nl.number(settings.distance_m)} m; afname met de afstand: "
        f"{acc.DECAYS[settings.decay]}.",
        "Capaciteit: "
        + (
            "elke partner telt als 1."
            if settings.capacity_unit == "partners"
            else f"{CAPACITY_UNITS[settings.capacity_unit]}; {n_default} partner(s) zonder opgegeven "
            f"capaciteit tellen als {nl.number(settings.default_capacity, 1)}."
        ),
        f"Toegang = capaciteit per {nl.number(acc.PER)} jongeren binnen bereik (2SFCA), gedeeld met alle "
        "jongeren die dezelfde partner bereiken.",
        f"Drempel: {settings.threshold_text()}; geteld worden {counted_label}.",
        population_note(table, level, settings.deprivation_weight > 0 or settings.only_deprived),
    ]
    lost = {t: v for t, v in unused.items() if v > 0}
    if lost:
        parts = ", ".join(f"{t} {nl.number(v, 1)}" for t, v in lost.items())
        notes.append(
            f"Capaciteit zonder jongeren binnen bereik (telt nergens mee; bv. partners buiten Vlaanderen en "
            f"Brussel): {parts}."
        )
    return AccessReport(
        areas=areas,
        units=units,
        results=results,
        thresholds=thresholds,
        settings=settings,
        distance_label=distances.describe(),
        n_default=n_default,
        unused=unused,
        notes=notes,
        population_year=_year_of(table),
    )


#: Columns of the area table as exported (``geo.exports``): key, Dutch header, kind, decimals.
ACCESS_COLUMNS: tuple[Col, ...] = (
    Col("gebied", "Gebied"),
    Col("type", "Type"),
    Col("partners", "Partners in het gebied (aantal)", "int"),
    Col("jongeren", "Jongeren 0-24 (aantal)", "int"),
    Col("capaciteit_bereikt", "Capaciteit bij deze jongeren", "decimal", 2),
    Col("toegang", "Toegang per 1.000 jongeren (gemiddeld)", "decimal", 6),
    Col("min", "Toegang: laagste", "decimal", 6),
    Col("p10", "Toegang: p10 (10 % van de jongeren heeft minder)", "decimal", 6),
    Col("p25", "Toegang: p25", "decimal", 6),
    Col("mediaan", "Toegang: mediaan", "decimal", 6),
    Col("p75", "Toegang: p75", "decimal", 6),
    Col("p90", "Toegang: p90", "decimal", 6),
    Col("max", "Toegang: hoogste", "decimal", 6),
    Col("drempel", "Drempel (per 1.000 jongeren)", "decimal", 6),
    Col("geteld", "Getelde jongeren (aantal)", "int"),
    Col("onder_drempel", "Onder de drempel (aantal)", "int"),
    Col("aandeel_onder", "Onder de drempel (%)", "share", 1),
    Col("zonder_toegang", "Zonder partner binnen bereik (aantal)", "int"),
)

#: The measurement, repeated in every exported row so that a file read later still says it.
MEASUREMENT_COLUMNS: tuple[Col, ...] = (
    Col("bevolkingsjaar", "Bevolkingsjaar (1 januari)", "int"),
    Col("afstand", "Afstand"),
    Col("afstand_tot_m", "Afstand tot (m)", "int"),
    Col("afname", "Afname met de afstand"),
    Col("capaciteit_in", "Capaciteit in"),
    Col("geteld_als", "Geteld als"),
)


def _measurement(report: AccessReport) -> dict[str, object]:
    s = report.settings
    return {
        "bevolkingsjaar": report.population_year,
        "afstand": report.distance_label,
        "afstand_tot_m": s.distance_m,
        "afname": f"{s.decay}: {acc.DECAYS[s.decay]}",
        "capaciteit_in": CAPACITY_UNITS[s.capacity_unit],
        "geteld_als": weighting_label(s.deprivation_weight, s.only_deprived),
    }


def access_export(report: AccessReport) -> tuple[pd.DataFrame, list[Col]]:
    """The area table and its column specs for ``geo.exports``, the measurement in every row."""
    frame = report.areas[[c.key for c in ACCESS_COLUMNS]].assign(**_measurement(report))
    return frame, [*ACCESS_COLUMNS, *MEASUREMENT_COLUMNS]


def units_export(report: AccessReport) -> tuple[pd.DataFrame, list[Col]]:
    """Accessibility per unit and type (per 1.000 young people) and its column specs."""
    frame = report.units.assign(**_measurement(report))
    types = [c for c in frame.columns if c.startswith("toegang_")]
    cols = [
        Col("code", "Code", "code"),
        Col("naam", "Naam"),
        Col("gebied", "Gebied"),
        Col("jongeren", "Jongeren 0-24 (aantal)", "int"),
        Col("geteld", "Getelde jongeren (aantal)", "int"),
        *(Col(t, f"Toegang {t.removeprefix('toegang_')} (per 1.000 jongeren)", "decimal", 6) for t in types),
        *MEASUREMENT_COLUMNS,
    ]
    return frame, cols


# ---------------------------------------------------------------------------------------------- locate
@dataclass(frozen=True)
class LocateReport:
    """Result of ``locate``: the problem, the greedy and (optionally) the exact plan, their gap, the scope
    of units and notes."""

    problem: loc.SiteProblem
    greedy: loc.SitePlan
    exact: loc.SitePlan | None
    scope: pd.DataFrame
    sites: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def best(self) -> loc.SitePlan:
        return self.exact if self.exact is not None else self.greedy

    @property
    def gap(self) -> dict[str, float] | None:
        return loc.plan_gap(self.greedy, self.exact) if self.exact is not None else None


def locate(
    partners: pd.DataFrame,
    table: pd.DataFrame,
    unit_to_area: Mapping[str, str],
    partner_type: str,
    n: int,
    distance_m: float,
    area: str | None = None,
    sites: pd.DataFrame | None = None,
    site_capacity: float | None = None,
    deprivation_weight: float = 0.0,
    only_deprived: bool = False,
    exact: bool = True,
    time_limit: float | None = None,
    distances: Distances | None = None,
    level: str = "wijk",
) -> LocateReport:
    """``n`` new sites for ``partner_type`` over the units inside the areas (or inside ``area``).

    ``sites``: candidate sites (``geo.partners.inputs.SITE_COLUMNS``); default the centres of the units in
    scope, each with capacity ``site_capacity`` (None = no limit). Existing partners of the type stay (no
    capacity limit); a site's ``capaciteit`` counts young people (-25), whatever the weighting.
    """
    distances = distances or StraightLine()
    codes = table["code"].astype(str)
    inside = codes.map(lambda c: bool(unit_to_area.get(c)) and (area is None or unit_to_area.get(c) == area))
    scope = table[inside.to_numpy()]
    if sites is None:
        sites = wijk_sites(scope)
        if site_capacity is not None:
            sites["capaciteit"] = float(site_capacity)
    weights = demand_weights(scope, deprivation_weight, only_deprived)
    existing = partners.loc[partners["type"] == partner_type, ["x", "y"]].to_numpy(float)
    problem = loc.site_problem(
        scope[["x", "y"]].to_numpy(float),
        weights,
        sites[["x", "y"]].to_numpy(float),
        sites["code"].astype(str).tolist(),
        existing,
        distance_m,
        n,
        capacity=sites["capaciteit"].to_numpy(float),
        fixed=sites["vast"].to_numpy(bool),
        load=np.nan_to_num(scope["pop_0_24"].to_numpy(float)),
        distances=distances,
    )
    greedy = loc.solve_greedy(problem)
    best = loc.solve_exact(problem, time_limit=time_limit, greedy=greedy) if exact else None
    notes = [
        f"Afstand: {distances.describe()}, tot {nl.number(distance_m)} m.",
        f"Geteld: {weighting_label(deprivation_weight, only_deprived)}; bestaande partners ({partner_type}) "
        "blijven staan en bereiken iedereen binnen de afstand.",
        population_note(table, level, deprivation_weight > 0 or only_deprived),
    ]
    if problem.capacitated:
        notes.append(
            "Capaciteit per locatie: hoeveel -25-jarigen een nieuwe locatie hoogstens bedient; jongeren "
            "kunnen over meerdere locaties verdeeld worden."
        )
    return LocateReport(problem, greedy, best, scope, sites, notes)


#: Columns of the table of new sites as exported.
PICKS_COLUMNS: tuple[Col, ...] = (
    Col("stap", "Stap", "int"),
    Col("code", "Code", "code"),
    Col("naam", "Naam"),
    Col("gebied", "Gebied"),
    Col("winst", "Extra bereikt (aantal)", "int"),
    Col("gedekt_na", "Bereikt na deze stap (aantal)", "int"),
    Col("aandeel_na", "Bereikt na deze stap (%)", "share", 1),
    Col("capaciteit", "Capaciteit (jongeren)", "int"),
    Col("bediend", "Bediende jongeren (aantal)", "int"),
    Col("lat", "Breedtegraad (WGS84)", "decimal", 6),
    Col("lon", "Lengtegraad (WGS84)", "decimal", 6),
    Col("x", "X (Lambert 72, m)", "number", 1),
    Col("y", "Y (Lambert 72, m)", "number", 1),
    Col("methode", "Methode"),
    Col("bevolkingsjaar", "Bevolkingsjaar (1 januari)", "int"),
    Col("afstand", "Afstand"),
    Col("afstand_tot_m", "Afstand tot (m)", "int"),
)


def picks_table(
    report: LocateReport, plan: loc.SitePlan, unit_to_area: Mapping[str, str], layer=None
) -> pd.DataFrame:
    """The new sites of ``plan`` with names, areas, WGS84 coordinates and the measurement (columns
    ``PICKS_COLUMNS``).

    A site's area is that of the unit it is the centre of, or, for sites from a file, of the unit polygon
    of ``layer`` it lies in (without ``layer``: empty)."""
    from geo.partners.coverage import partner_units
    from geo.partners.register import lambert_to_wgs84

    names = dict(zip(report.sites["code"].astype(str), report.sites["naam"].astype(str), strict=True))
    picks = plan.picks
    xy = picks[["x", "y"]].to_numpy(float)
    lat, lon = lambert_to_wgs84(xy[:, 0], xy[:, 1])
    units_of = picks["code"].astype(str).to_numpy(object)
    if layer is not None and len(picks):
        inside = partner_units(xy, layer)
        units_of = np.where(pd.Series(units_of).isin(list(unit_to_area)).to_numpy(), units_of, inside)
    return pd.DataFrame(
        {
            "stap": picks["stap"],
            "code": picks["code"],
            "naam": picks["code"].map(names),
            "gebied": [unit_to_area.get(u, "") for u in units_of],
            "winst": picks["winst"],
            "gedekt_na": picks["gedekt_na"],
            "aandeel_na": picks["aandeel_na"],
            "capaciteit": picks["capaciteit"],
            "bediend": picks["bediend"],
            "lat": lat,
            "lon": lon,
            "x": picks["x"],
            "y": picks["y"],
            "methode": loc.STATUS_LABELS[plan.status],
            "bevolkingsjaar": _year_of(report.scope),
            "afstand": report.problem.distance_label,
            "afstand_tot_m": report.problem.distance_m,
        },
        columns=[c.key for c in PICKS_COLUMNS],
    )


#: Coverage of a demand unit after a plan (map legend).
STATUS_COVERED, STATUS_EXTRA, STATUS_NOT = "bereikt", "extra bereikt", "niet bereikt"


def unit_status(report: LocateReport, plan: loc.SitePlan) -> dict[str, str]:
    """Per unit in scope: already reached, (partly) reached by the new sites, or not reached."""
    before, after = plan.served_before, plan.served
    labels = np.where(
        before >= 1 - 1e-9, STATUS_COVERED, np.where(after > before + 1e-9, STATUS_EXTRA, STATUS_NOT)
    )
    return dict(zip(report.scope["code"].astype(str), labels, strict=True))


#: Accessibility class of a unit (map legend), from no partner in reach to at or above the threshold.
ACCESS_NONE, ACCESS_LOW, ACCESS_OK = (
    "geen partner binnen bereik",
    "onder de drempel",
    "op of boven de drempel",
)


def access_classes(report: AccessReport, partner_type: str) -> dict[str, str]:
    """Per unit with an area: its accessibility class for ``partner_type``."""
    units = report.units
    value = units[f"toegang_{partner_type}"].to_numpy(float)
    limit = report.thresholds[partner_type]
    labels = np.where(value <= 0, ACCESS_NONE, np.where(value < limit, ACCESS_LOW, ACCESS_OK))
    inside = units["gebied"].astype(str).to_numpy() != ""
    return dict(zip(units["code"].astype(str).to_numpy()[inside], labels[inside], strict=True))
