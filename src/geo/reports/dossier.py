"""The decision dossier of one division: what a steering group takes to the meeting.

`build(division, options)` gathers the parts (title facts, map, figures per area, the validity list, the
budget per area with the formula in words, FTE and the transition path when chosen, the comparison with a
reference division, partner coverage and caseload when given, the data sources) as sentences and
`Table`s. `xlsx_bytes` writes the same tables through `geo.exports`; `geo.reports.pdf` prints them. The
PDF and the XLSX therefore show the same numbers, totals included.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

import numpy as np
import pandas as pd

from geo import exports
from geo import fmt as nl
from geo.budget import calibration, report, transition
from geo.budget.allocation import Params
from geo.data import catalog, units
from geo.divisions import compare as division_compare
from geo.divisions import store as division_store
from geo.divisions.division import Division, now_utc
from geo.divisions.io import LEVEL_NAMES
from geo.divisions.metrics import Band, vintage_labels
from geo.divisions.references import REFERENCES, reference_division
from geo.divisions.validity import PARENT_LEVELS, RULES, GateSettings
from geo.errors import UserFacingError
from geo.exports import Col
from geo.reports import figures as fig
from geo.reports import static_map
from geo.reports.tables import Table, whole_counts, with_total
from geo.store.access import Actor

SOURCES = ("gebiedsniveaus", "statbel", "stadsmonitor", "1g1p")
BUILT_IN_AUTHOR = "Gebiedsplanner (ingebouwd)"

METRIC_COLUMNS = (
    Col("gebied", "Gebied"),
    Col("eenheden", "Eenheden", "int"),
    Col("inwoners", "Inwoners", "int"),
    Col("pop_0_24", "Jongeren 0-24", "int"),
    Col("kansarmoede_n", "Kansarme jongeren (schatting)", "int"),
    Col("kansarmoede_pct", "Kansarmoede (%)", "percent", 1),
    Col("area_km2", "Oppervlakte (km²)", "number", 1),
    Col("budget_eur", "Budget (€)", "euro"),
    Col("afwijking_pct", "Afwijking van gemiddelde (%)", "percent", 1),
    Col("band", "Doelband"),
    Col("delen", "Delen", "int"),
    Col("polsby_popper", "Compactheid (Polsby-Popper)", "number", 2),
)
#: Counts that can be estimates (fractions): shown as whole numbers that add up to their total.
COUNTS = ("inwoners", "pop_0_24", "kansarmoede_n", "n", "kansarm_n", "doelgroep", "gedekt", "niet_gedekt")
ROUNDING_NOTE = (
    "Geschatte aantallen zijn afgerond met de grootste-restmethode, zodat de gebieden optellen tot het "
    "totaal."
)
METRIC_SUMS = (
    "eenheden",
    "inwoners",
    "pop_0_24",
    "kansarmoede_n",
    "kansarmoede_basis",
    "area_km2",
    "budget_eur",
)


@dataclass(frozen=True)
class DossierOptions:
    """What goes into a dossier besides the parts every dossier has."""

    params: Params | None = None  # budget formula (None: the editor's, the 2021 setting)
    band: Band | None = None
    settings: GateSettings | None = None  # validity gate (None: stored rules or the default)
    reference: str | None = None  # key of `REFERENCES`; None = chosen for the level; "" = none
    fte_total: float | None = None  # FTE per area by need when set (in VTE)
    fte: bool = False  # FTE per area with the default total (0,4 VTE per area)
    transition_years: int | None = None  # transition path when set
    transition_start: str | None = None  # START_2021 or START_EQUAL; None: 2021 for the 16 SWVs, else equal
    floor_pct: float | None = transition.DEFAULT_FLOOR_PCT
    cap_pct: float | None = transition.DEFAULT_CAP_PCT
    first_year: int | None = None
    partners: pd.DataFrame | None = field(default=None, compare=False)
    distance_m: float = fig.DEFAULT_DISTANCE_M
    cases: pd.DataFrame | None = field(default=None, compare=False)
    cases_level: str | None = None
    capacity: Mapping[str, float] | None = field(default=None, compare=False)
    unsaved_changes: bool = False  # the editor's division differs from its stored version
    year: int | None = None  # population year of the counts (None: the latest)
    indicator: str | None = None  # deprivation indicator (None: the default)


@dataclass
class PathChart:
    """Amounts per area over the years beside the formula's amount: one small chart per area."""

    labels: list[str]  # x axis: start, year 1, ...
    areas: list[str]
    amounts: list[list[float]]  # per area, per label
    targets: list[float]  # per area: the formula's amount in the last year
    unit: str = "euro"


@dataclass
class Part:
    """A chapter: title, sentences, tables and (for the map part) a map; a chart per area where drawn."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    map: static_map.StaticMap | None = None
    chart: PathChart | None = None


@dataclass
class Dossier:
    title: str
    division: Division
    facts: list[tuple[str, str]]
    parts: list[Part]
    made: datetime
    figures: fig.DivisionFigures

    def tables(self) -> list[Table]:
        return [t for p in self.parts for t in p.tables]

    def footer(self) -> str:
        return f"Beslissingsdossier {self.division.name} · gemaakt op {nl.local_time(self.made)}"


# ------------------------------------------------------------------------------------------- facts
def status_text(division: Division, actor: Actor | None = None) -> tuple[str, str]:
    """(status, version) in Dutch: stored divisions from the store, others say what they are."""
    if division.meta.db_id is not None:
        info = division_store.status_of(division.meta.db_id, actor=actor)
        version = division.meta.version
        if version != info.version:  # an earlier version (`db:<naam>@<versie>`)
            status = (
                division_store.VASTGESTELD
                if version in info.vastgesteld
                else division_store.version_info(division.meta.db_id, version, actor=actor).status
            )
            label = division_store.STATUS_LABELS.get(status, status)
            return f"{label} – een eerdere versie; de laatste is versie {info.version}", str(version)
        decided = (
            f" (vastgestelde versies: {', '.join(map(str, info.vastgesteld))})" if info.vastgesteld else ""
        )
        return info.label + decided, str(version)
    if division.meta.author == BUILT_IN_AUTHOR:
        return "Ingebouwde referentie-indeling (niet opgeslagen)", "–"
    return "Niet opgeslagen (uit een bestand of de editor)", "–"


def _facts(
    division: Division, figures: fig.DivisionFigures, made: datetime, actor: Actor | None, unsaved: bool
) -> list[tuple[str, str]]:
    status, version = status_text(division, actor)
    if unsaved:
        status += " – met wijzigingen die nog niet opgeslagen zijn"
    summary = figures.summary
    level = LEVEL_NAMES.get(division.level, division.level)
    rows = [
        ("Indeling", division.name),
        ("Status", status),
        ("Versie", version),
        ("Niveau", level),
        ("Gebieden", nl.number(summary.n_areas)),
        ("Eenheden toegewezen", f"{nl.number(summary.n_assigned)} van {nl.number(summary.n_units)}"),
    ]
    if division.meta.description:
        rows.append(("Beschrijving", division.meta.description))
    if division.meta.vintage:
        rows.append(("Jaargang indeling", division.meta.vintage))
    if figures.data.year is not None:
        rows.append(("Bevolkingsjaar", f"1 januari {int(figures.data.year)}"))
    if figures.data.indicator in units.INDICATORS:
        info = units.INDICATORS[figures.data.indicator]
        flag = " (schatting)" if figures.data.deprivation_estimated else ""
        rows.append(("Kansarmoede-indicator", info.label + flag))
    stamp = units.build_stamp()
    if stamp:  # the machine's local time of the build, in Belgian time as on the home page
        rows.append(("Gegevens opgebouwd", nl.local_time(datetime.fromisoformat(stamp).astimezone())))
    rows.append(("Gemaakt op", nl.local_time(made)))  # Belgian time, as the history and the pages
    return rows


# ------------------------------------------------------------------------------------------- parts
def metric_columns(table: pd.DataFrame) -> list[Col]:
    """`METRIC_COLUMNS` that ``table`` has, the counts titled with their year and whether they are
    estimates as on the division's page (`geo.divisions.metrics.vintage_labels`)."""
    labels = vintage_labels(table)
    dated = ("inwoners", "pop_0_24", "kansarmoede_n", "kansarmoede_pct")
    return [
        replace(c, header=labels[c.key]) if c.key in dated else c for c in METRIC_COLUMNS if c.key in table
    ]


def metrics_part(figures: fig.DivisionFigures) -> Part:
    t = whole_counts(figures.table, COUNTS)
    cols = metric_columns(t)
    frame = with_total(t, "gebied", [c for c in METRIC_SUMS if c in t.columns])
    if {"kansarmoede_n", "kansarmoede_basis"} <= set(t.columns):
        n, base = frame["kansarmoede_n"].iloc[-1], frame["kansarmoede_basis"].iloc[-1]
        frame.loc[frame.index[-1], "kansarmoede_pct"] = 100.0 * n / base if base else np.nan
    s = figures.summary
    balance = {"inwoners": "inwoners", "pop_0_24": "jongeren 0-24", "budget_eur": "budget"}.get(
        s.balance_column, s.balance_column
    )
    ratio = nl.number(s.max_min_ratio, 2) if s.max_min_ratio else "–"
    cv = nl.percent(100 * s.cv) if s.cv is not None else "–"
    paras = [
        f"{nl.number(s.n_areas)} gebieden; {nl.number(s.n_assigned)} van {nl.number(s.n_units)} eenheden "
        f"toegewezen. Evenwicht in {balance}: het grootste gebied is {ratio} keer het kleinste, "
        f"variatiecoëfficiënt {cv}.",
        "Kansarmoede = kansarme jongeren / jongeren met gekende index, uit aantallen (nooit een gemiddelde "
        "van percentages). Compactheid: Polsby-Popper (1 = cirkel).",
    ]
    if figures.data.year is not None:
        data = figures.data
        indicator = data.indicator if data.indicator in units.INDICATORS else None
        paras.append(units.counts_note(data.year, indicator, data.level))
    if figures.data.estimated:
        paras.append("Per gemeente kloppen de totalen.")
    paras.append(ROUNDING_NOTE)
    paras.extend(s.problems)
    paras.extend(f"Gekende uitzondering, geen fout: {r}." for r in s.exceptions)
    return Part("Cijfers per gebied", paras, [Table("Cijfers per gebied", frame, cols, total=True)])


FINDING_COLUMNS = (
    Col("Regel", "Regel"),
    Col("Ernst", "Ernst"),
    Col("Gebied(en)", "Gebied(en)"),
    Col("Eenheden", "Eenheden", "int"),
    Col("Melding", "Melding"),
)


def validity_part(figures: fig.DivisionFigures) -> Part:
    result = figures.check
    paras = [result.summary(), *result.settings.describe()]
    counts = result.split_counts
    if counts:
        split = [f"{n} {PARENT_LEVELS[level][0 if n == 1 else 1]}" for level, n in counts.items()]
        paras.append(f"Gesplitst over meer dan één gebied: {', '.join(split)}.")
    elif figures.division.level in ("elz", "elz57"):
        paras.append("Gesplitst over meer dan één gebied: 0 eerstelijnszones (de eenheden zijn hele zones).")
    ran = ", ".join(RULES[k].title.lower() for k in result.rules)
    paras.append(f"Gecontroleerde regels: {ran}.")
    tables = []
    if result.findings:
        frame = result.table()
        tables.append(Table("Controle", frame, list(FINDING_COLUMNS)))
    else:
        paras.append("Geen meldingen.")
    return Part("Controle op de 1G1P-regels", paras, tables)


BUDGET_COLUMNS = (
    Col("gebied", "Gebied"),
    Col("eenheden", "Eenheden", "int"),
    Col("n", "Jongeren 0-24", "int"),
    Col("kansarm_n", "Kansarme jongeren (schatting)", "int"),
    Col("kansarmoede_pct", "Kansarmoede-index (%)", "percent", 1),
    Col("eur", "Budget (€)", "euro"),
    Col("eur_per_jongere", "€ per jongere", "euro", 2),
    Col("aandeel_pct", "Aandeel van de indeling (%)", "percent", 1),
)


def _population_columns(params: Params, when: str | None = None) -> list[Col]:
    """`BUDGET_COLUMNS` for the formula's population, the counts titled with their year (``when``, as on
    the Budget page: `Aantal 0-24-jarigen (2022)`)."""
    who = report.population_label(params.population)
    count, deprived = report.count_headers(who, when)
    cols = list(BUDGET_COLUMNS)
    cols[2] = Col("n", count, "int")
    cols[3] = Col("kansarm_n", deprived, "int")
    cols[6] = Col("eur_per_jongere", f"€ per {report.population_label(params.population, True)}", "euro", 2)
    return cols


def budget_part(figures: fig.DivisionFigures) -> tuple[Part, pd.Series | None]:
    """The budget per area with the formula in words; also the euros per area (for the transition)."""
    division, params = figures.division, figures.params
    if params is None:
        return Part(
            "Budget per gebied",
            [
                f"Op niveau {LEVEL_NAMES.get(division.level, division.level)} kan de budgetformule niet "
                "rekenen."
            ],
        ), None
    year, indicator = figures.year, figures.indicator
    alloc = fig.unit_allocation(division.level, params, year, indicator)
    per_area = whole_counts(fig.budget_per_area(division, params, year, indicator), COUNTS)
    total_division = int(per_area["eur"].sum())
    per_area["aandeel_pct"] = 100.0 * per_area["eur"] / total_division if total_division else np.nan
    frame = with_total(per_area, "gebied", ["eenheden", "n", "kansarm_n", "eur", "aandeel_pct"])
    last = frame.index[-1]
    frame.loc[last, "eur_per_jongere"] = (
        total_division / frame.loc[last, "n"] if frame.loc[last, "n"] else np.nan
    )
    known = per_area["n"].where(per_area["kansarmoede_pct"].notna(), 0.0).sum()
    frame.loc[last, "kansarmoede_pct"] = 100.0 * per_area["kansarm_n"].sum() / known if known else np.nan
    base, _ = fig.BUDGET_BASE[division.level]
    unit_names = {
        "wijk": ("wijk", "wijken"),
        "postcode_antwerpen": ("postcode", "postcodes"),
    }.get(base, ("gemeente", "gemeenten"))
    people = fig.population_text(division.level, params, year)
    indicator = None if base == "postcode_antwerpen" else units.check_indicator(indicator)
    paras = report.explanation(alloc, unit_names=unit_names, population_text=people, indicator=indicator)
    share = 100.0 * total_division / alloc.total_eur if alloc.total_eur else float("nan")
    paras.append(
        f"De {nl.number(len(per_area))} gebieden van deze indeling krijgen samen {nl.euro(total_division)} "
        f"({nl.percent(share)} van het totaal): elk gebied krijgt de som van zijn "
        f"{unit_names[1]}. Dezelfde bedragen staan in de kolom Budget van de cijfers per gebied."
    )
    difference = _deprived_difference(figures, per_area)
    if difference:
        paras.append(
            f"Daardoor telt deze tabel {nl.number(abs(difference))} kansarme jongeren "
            f"{'meer' if difference > 0 else 'minder'} dan de cijfers per gebied, waar een ontbrekende "
            "index niet meetelt."
        )
    params_table = nl_values(report.parameter_table(params, population_text=people))
    columns = _population_columns(params, fig.count_year(division.level, params, year))
    if indicator is not None:  # the index names its indicator, as on the Budget page
        columns[4] = replace(columns[4], header=calibration.index_header(base, indicator))
    published = _published_2021(per_area["gebied"])
    if published is not None:  # the areas are the 16 SWVs: next to their published 2021 budgets
        frame["gepubliceerd"] = frame["gebied"].map(published)
        frame.loc[last, "gepubliceerd"] = float(published.sum())
        frame["verschil"] = frame["eur"] - frame["gepubliceerd"]
        frame["verschil_pct"] = 100.0 * frame["verschil"] / frame["gepubliceerd"]
        columns += [
            Col("gepubliceerd", "Gepubliceerd 2021 (€)", "euro"),
            Col("verschil", "Verschil met 2021 (€)", "euro"),
            Col("verschil_pct", "Verschil met 2021 (%)", "percent", 1),
        ]
        paras.append(
            "De gebieden zijn de 16 samenwerkingsverbanden: hun gepubliceerde budgetten van 2021 staan "
            f"ernaast (samen {nl.euro(published.sum())}; de samenstelling van 2021 is deels een "
            "reconstructie)."
        )
    tables = [
        Table("Budget per gebied", frame, columns, total=True),
        Table(
            "Parameters van de formule",
            params_table,
            [Col("Parameter", "Parameter"), Col("Waarde", "Waarde")],
        ),
    ]
    target = pd.Series(per_area["eur"].to_numpy(dtype="int64"), index=per_area["gebied"].to_numpy())
    return Part("Budget per gebied volgens de formule", paras, tables), target


_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def nl_values(table: pd.DataFrame, column: str = "Waarde") -> pd.DataFrame:
    """A `Parameter`/`Waarde` table whose plain numbers (`23999998`, `0.2`) are written nl-BE."""

    def one(value: object) -> object:
        text = str(value)
        if not _PLAIN_NUMBER.match(text):
            return value
        number = float(text)
        if number.is_integer():
            return nl.number(number)
        return nl.number(number, 4).rstrip("0").rstrip(",")  # a parameter as set (0,125, not 0,12)

    return table.assign(**{column: table[column].map(one)})


def _deprived_difference(figures: fig.DivisionFigures, per_area: pd.DataFrame) -> int:
    """Deprived young people of the budget table minus those of the figures per area (they differ when
    the formula fills in a missing index and the counts are of the same people); 0 when not comparable."""
    t = figures.table
    if "kansarmoede_n" not in t.columns or "kansarm_n" not in per_area.columns:
        return 0
    if figures.params is None or figures.params.population != "pop_0_24":
        return 0
    metrics = whole_counts(t, ["kansarmoede_n"])["kansarmoede_n"].sum()
    return int(round(float(per_area["kansarm_n"].sum()) - float(metrics)))


def _published_2021(areas: pd.Series) -> pd.Series | None:
    """The published 2021 budget per SWV when `areas` are exactly the 16 SWVs (else None)."""
    published = calibration.published_2021()
    return published.astype(float) if set(areas) == set(published.index) else None


def _section_columns(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[Col]]:
    """Column specs of a report section's table: (estimated) counts as whole numbers that add up, loads
    such as `0-24-jarigen per VTE` with one decimal, the rest as `geo.exports` infers it."""
    cols = []
    counts = []
    for spec in exports.columns_for(frame):
        header = spec.header
        if spec.kind in ("decimal", "int", "number") and (
            header.startswith("Aantal ") or (header.startswith("Kansarme ") and "schatting)" in header)
        ):
            counts.append(spec.key)
            spec = Col(spec.key, header, "int")
        elif spec.kind == "decimal" and " per " in header and "(" not in header:
            spec = Col(spec.key, header, "number", 1)
        cols.append(spec)
    if len(frame) > 1 and str(frame.iloc[-1, 0]) == "Totaal":  # rows rounded, the total their sum
        rows = whole_counts(frame.iloc[:-1], counts)
        total = frame.iloc[[-1]].copy()
        for col in counts:
            total[col] = pd.to_numeric(rows[col], errors="coerce").sum()
        return pd.concat([rows, total]), cols
    return whole_counts(frame, counts), cols


def _section_part(section: report.Section) -> Part:
    tables = []
    for name, frame in section.tables.items():
        if list(frame.columns) == ["Parameter", "Waarde"]:
            frame = nl_values(frame)
        frame, cols = _section_columns(frame)
        total = len(frame) > 1 and str(frame.iloc[-1, 0]) == "Totaal"
        tables.append(Table(name, frame, cols, total=total))
    return Part(section.title, list(section.paragraphs), tables)


def fte_part(figures: fig.DivisionFigures, total: float | None) -> Part | None:
    alloc = fig.fte_per_area(figures.division, total, figures.year, figures.indicator)
    if alloc is None:
        return None
    people = fig.population_text(figures.division.level, alloc.params, figures.year)
    when = fig.count_year(figures.division.level, alloc.params, figures.year)
    indicator = units.check_indicator(figures.indicator)
    section = report.resource_section(alloc, population_text=people, when=when, indicator=indicator)
    name = "Gelijk of volgens behoefte"
    section.tables[name] = _with_fte_total(section.tables[name])
    return _section_part(section)


def _with_fte_total(frame: pd.DataFrame) -> pd.DataFrame:
    """The equal/need table with a `Totaal` row: counts and shares summed (they add up to the total),
    the index from the counts, the loads as the whole population over the whole resource."""
    if frame.empty:
        return frame
    cols = list(frame.columns)
    young, deprived, index = cols[1], cols[2], cols[3]
    equal, need, diff, diff_pct = cols[4], cols[5], cols[6], cols[7]
    total: dict[str, object] = {cols[0]: "Totaal"}
    for col in (young, deprived):
        total[col] = float(frame[col].sum())
    for col in (equal, need, diff):  # whole steps (0,1 VTE): no float residue such as -0,0
        total[col] = round(float(frame[col].sum()), 9) + 0.0
    known = frame[young].where(frame[index].notna(), 0.0).sum()
    known_deprived = frame[deprived].where(frame[index].notna(), 0.0).sum()
    total[index] = 100.0 * known_deprived / known if known else np.nan
    total[diff_pct] = np.nan
    for col in cols[8:12]:
        whole = total[deprived] if col.startswith("Kansarme ") else total[young]
        share = total[equal] if col.endswith("gelijk") else total[need]
        total[col] = whole / share if share else np.nan
    for col in cols[12:]:
        total[col] = "–"
    return pd.concat([frame, pd.DataFrame([total])], ignore_index=True)


def transition_part(target: pd.Series, options: DossierOptions) -> Part:
    chosen = options.transition_start
    if chosen is None:  # the published 2021 budgets where the areas are the 16 SWVs, else an equal split
        chosen = (
            transition.START_2021
            if _published_2021(target.index.to_series()) is not None
            else (transition.START_EQUAL)
        )
    published = calibration.published_2021() if chosen == transition.START_2021 else None
    start = transition.start_amounts(chosen, target, published)
    path = transition.transition_path(
        start, target, int(options.transition_years), options.floor_pct, options.cap_pct
    )
    label = transition.START_LABELS.get(chosen, "Start")
    part = _section_part(report.transition_section(path, options.first_year, start_label=label))
    labels = [report.year_label(int(y), options.first_year) for y in path.amounts.columns]
    labels[0] = label
    part.chart = PathChart(
        labels=labels,
        areas=[str(a) for a in path.amounts.index],
        amounts=path.amounts.astype(float).to_numpy().tolist(),
        targets=path.targets.iloc[:, -1].reindex(path.amounts.index).astype(float).tolist(),
    )
    return part


def default_reference(division: Division) -> str | None:
    """The built-in division to compare with: the 2021 SWVs for municipalities, the WCPs for part of the
    wijken (Groot Antwerpen), the 60 zones for all wijken; another one when the division is the same."""
    level = division.level
    partial = level == "wijk" and len(division.units) < len(units.load_table("wijk"))
    choices = {
        "gemeente": ["swv2021_gemeente", "elz57_gemeente"],
        "gemeente2024": ["swv2021_gemeente2024"],
        "elz57": ["swv2021_elz57"],
        "wijk": ["wcp_wijk", "elz60_wijk"] if partial else ["elz60_wijk"],
        "postcode_antwerpen": ["wcp_postcode"],
    }.get(level, [])
    for key in choices:
        ref = _reference(key)
        if not ref.same_assignment(division):
            return key
    return None


_REFERENCE_CACHE: dict[str, Division] = {}


def _reference(key: str) -> Division:
    if key not in _REFERENCE_CACHE:
        _REFERENCE_CACHE[key] = reference_division(key)
    return _REFERENCE_CACHE[key]


def _dated(cols: list[Col], when: Mapping[str, str | None]) -> list[Col]:
    """``cols`` with the year of the counts (`2022`, `2022, geschat`) after the header of the keys in
    ``when``."""
    return [replace(c, header=f"{c.header} ({when[c.key]})") if when.get(c.key) else c for c in cols]


COMPARE_COLUMNS = (
    Col("gebied_a", "Gebied (deze indeling)"),
    Col("gebied_b", "Gebied (referentie)"),
    Col("inwoners_a", "Inwoners", "int"),
    Col("inwoners_b", "Inwoners referentie", "int"),
    Col("delta_inwoners", "Verschil inwoners", "int"),
    Col("delta_pop_0_24", "Verschil jongeren 0-24", "int"),
    Col("budget_eur_a", "Budget (€)", "euro"),
    Col("budget_eur_b", "Budget referentie (€)", "euro"),
    Col("delta_budget_eur", "Verschil budget (€)", "euro"),
    Col("overlap_pct", "Gedeelde inwoners (% van het gebied)", "percent", 1),
)


def comparison_part(figures: fig.DivisionFigures, key: str | None) -> Part | None:
    division = figures.division
    if key == "":
        return None
    key = key or default_reference(division)
    if key is None:
        return None
    if key not in REFERENCES:
        raise UserFacingError(f"Onbekende referentie-indeling '{key}'; kies uit {', '.join(REFERENCES)}.")
    ref = _reference(key)
    if ref.level != division.level:
        raise UserFacingError(
            f"De referentie '{REFERENCES[key].title}' gebruikt een ander niveau dan deze indeling."
        )
    result = division_compare.compare(figures.data, division, ref)
    m = result.matches
    data = figures.data
    people, young = (calibration.count_year(data.level, data.year, pop) for pop in ("inwoners", "pop_0_24"))
    cols = _dated(
        [c for c in COMPARE_COLUMNS if c.key in m.columns],
        {"inwoners_a": people, "inwoners_b": people, "delta_inwoners": people, "delta_pop_0_24": young},
    )
    paras = [
        f"Vergeleken met '{ref.name}' ({len(ref.areas)} gebieden). Gebieden zijn gekoppeld op gedeelde "
        "inwoners, niet op naam; verschil = deze indeling min de referentie.",
        f"{nl.number(len(result.pairs))} gebieden gekoppeld; {nl.number(len(result.moved))} eenheden liggen "
        f"in een ander gebied; {nl.percent(100 * result.kept_share)} van de jongeren 0-24 blijft in het "
        "gekoppelde gebied.",
    ]
    if result.only_common_units:
        paras.append(
            f"Vergeleken op de {nl.number(len(result.units))} eenheden die beide indelingen bevatten."
        )
    return Part("Vergelijking met een referentie-indeling", paras, [Table("Vergelijking", m, cols)])


COVERAGE_COLUMNS = (
    Col("gebied", "Gebied"),
    Col("type", "Type partner"),
    Col("partners", "Partners in het gebied", "int"),
    Col("doelgroep", "Jongeren 0-24", "int"),
    Col("gedekt", "Binnen bereik", "int"),
    Col("aandeel_gedekt", "Aandeel binnen bereik (%)", "share", 1),
)


def coverage_part(figures: fig.DivisionFigures, distance_m: float) -> Part | None:
    from geo.partners.coverage import coverage_totals

    cov = figures.coverage
    if cov is None:
        skipped = [n for n in figures.notes if n.startswith("Dekking door partners")]
        return Part("Dekking door partners", skipped) if skipped else None
    parts = [whole_counts(g, COUNTS) for _, g in cov.groupby("type", sort=False)]
    cov = pd.concat(parts, ignore_index=True)
    frame = pd.concat([cov, coverage_totals(cov)], ignore_index=True)
    frame["type"] = frame["type"].replace({"alle": "alle partners"})
    share = fig.share_covered(cov)
    n_partners = int(cov.loc[cov["type"] == "alle", "partners"].sum())
    paras = [
        f"Jongeren 0-24 binnen {nl.number(distance_m)} m (in vogelvlucht) van een partner, per gebied en per "
        f"type, uit aantallen per {'wijk' if fig.demand_level(figures.division) == 'wijk' else 'gemeente'}. "
        f"Over alle gebieden: {nl.percent(100 * share)} binnen bereik; {nl.number(n_partners)} partners "
        "liggen in een gebied van deze indeling."
    ]
    level = fig.demand_level(figures.division)
    when = calibration.count_year(level, units.check_year(figures.year), "pop_0_24")
    cols = _dated(list(COVERAGE_COLUMNS), {"doelgroep": when})
    return Part("Dekking door partners", paras, [Table("Dekking partners", frame, cols)])


CASELOAD_COLUMNS = (
    Col("gebied", "Gebied"),
    Col("doelgroep", "Jongeren 0-24", "int"),
    Col("aanmeldingen", "Aanmeldingen", "int"),
    Col("per_1000", "Per 1.000 jongeren per jaar", "number", 1),
    Col("behandeld", "Behandeld", "int"),
    Col("uitgaand", "Naar een ander gebied", "int"),
    Col("inkomend", "Van een ander gebied", "int"),
    Col("vte", "VTE", "number", 1),
    Col("per_vte_per_maand", "Behandeld per VTE per maand", "number", 1),
)


def caseload_part(figures: fig.DivisionFigures) -> Part | None:
    from geo.caseload.cases import masked_summary

    summary = figures.caseload
    skipped = [n for n in figures.notes if n.startswith("Caseload")]
    if summary is None:
        return Part("Caseload", skipped) if skipped else None
    months = summary.attrs.get("maanden", 0)
    shown = masked_summary(summary)
    paras = [
        f"Aanmeldingen per gebied over {months} maanden (geaggregeerd; aantallen van 1 tot 4 zijn "
        "afgeschermd als <5, en de cijfers die ze zouden verraden als –).",
    ]
    if summary["vte"].isna().all():
        paras.append("Geen capaciteit (VTE) opgegeven: geen belasting per VTE.")
    return Part("Caseload", paras, [Table("Caseload", shown, list(CASELOAD_COLUMNS))])


SOURCE_COLUMNS = (
    Col("Bron", "Bron"),
    Col("Jaargang", "Jaargang"),
    Col("Licentie", "Licentie"),
    Col("Bronvermelding", "Bronvermelding"),
)


def sources_part(has_partners: bool) -> Part:
    rows = pd.DataFrame(catalog.sources_overview())
    if not has_partners:
        rows = rows[~rows["Bron"].str.contains("OpenStreetMap")]
    paras = [
        "Alle cijfers komen uit open data en gepubliceerde tabellen; de jaargangen en licenties staan "
        "hieronder. "
        "Het dossier is offline gemaakt met de Gebiedsplanner 1G1P."
    ]
    return Part(
        "Bronnen en licenties", paras, [Table("Bronnen", rows.reset_index(drop=True), list(SOURCE_COLUMNS))]
    )


# ------------------------------------------------------------------------------------------- build
def gate_settings(division: Division, actor: Actor | None = None) -> GateSettings | None:
    """The rules stored with a division (None for divisions that are not stored or have none)."""
    if division.meta.db_id is None:
        return None
    stored = division_store.rules_of(division.meta.db_id, actor=actor)
    return GateSettings.from_dict(stored) if stored else None


def build(
    division: Division,
    options: DossierOptions | None = None,
    made: datetime | None = None,
    actor: Actor | None = None,
) -> Dossier:
    """The dossier of `division` (see the module docstring). A dossier only reads: `actor` (default the
    local user) needs the right to read the workspace of a stored division, as any `lezer` has."""
    options = options or DossierOptions()
    if not division.areas:
        raise UserFacingError(
            "Deze indeling heeft nog geen gebieden: er is niets om in een dossier te zetten."
        )
    made = made or now_utc()
    settings = options.settings or gate_settings(division, actor)
    band = options.band
    if (
        band is None
        and settings is not None
        and (settings.band_low is not None or settings.band_high is not None)
    ):
        band = Band(settings.band_column, settings.band_low, settings.band_high)  # the rules' target band
    figures = fig.compute(
        division,
        fig.FigureOptions(
            params=options.params,
            band=band,
            settings=settings,
            partners=options.partners,
            distance_m=options.distance_m,
            cases=options.cases,
            cases_level=options.cases_level,
            capacity=options.capacity,
            year=options.year,
            indicator=options.indicator,
        ),
    )
    attribution = catalog.attribution_line(SOURCES)
    the_map = static_map.build(division, attribution)
    map_part = Part("Kaart van de gebieden", [], [], the_map)
    if the_map is None:
        map_part.paragraphs.append("Voor dit niveau zijn er geen kaartvlakken (postcodes): zie de tabellen.")
    parts = [map_part, metrics_part(figures), validity_part(figures)]
    budget, target = budget_part(figures)
    parts.append(budget)
    if options.fte or options.fte_total is not None:
        part = fte_part(figures, options.fte_total)
        if part is not None:
            parts.append(part)
    if options.transition_years and target is not None:
        parts.append(transition_part(target, options))
    for part in (
        comparison_part(figures, options.reference),
        coverage_part(figures, options.distance_m),
        caseload_part(figures),
    ):
        if part is not None:
            parts.append(part)
    parts.append(sources_part(figures.coverage is not None))
    facts = _facts(division, figures, made, actor, options.unsaved_changes)
    return Dossier(f"Beslissingsdossier: {division.name}", division, facts, parts, made, figures)


def xlsx_bytes(dossier: Dossier) -> bytes:
    """Every table of the dossier as a sheet (same numbers as the PDF), after a sheet with the facts."""
    facts = pd.DataFrame({"Veld": [k for k, _ in dossier.facts], "Waarde": [v for _, v in dossier.facts]})
    sheets = [exports.Sheet("Dossier", facts, exports.INFO_COLUMNS)]
    sheets += [t.sheet() for t in dossier.tables()]
    return exports.xlsx_bytes(sheets)


def file_name(division: Division, ext: str = "pdf") -> str:
    return exports.file_name("dossier", division.name, ext=ext)
