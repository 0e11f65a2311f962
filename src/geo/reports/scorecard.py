"""Scorecard: 2 to 5 divisions side by side on the same figures, the best value of each row marked.

Every figure comes from `geo.reports.figures`, which computes them the way each division's own page does
(the editor's metrics and budget column, the validity gate), so the scorecard and the page agree. A row
has a direction (`lager`, `hoger` or none): the best value is the lowest or highest after rounding to the
shown decimals, so ties are marked on every division that has them. Rows that no division can fill (no
partners or caseload loaded) are left out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo import exports
from geo import fmt as nl
from geo.budget.allocation import Params
from geo.data import units
from geo.divisions.division import Division
from geo.divisions.io import LEVEL_NAMES
from geo.divisions.metrics import Band
from geo.errors import UserFacingError
from geo.exports import Col
from geo.reports import figures as fig
from geo.reports.tables import cell_text

MIN_DIVISIONS, MAX_DIVISIONS = 2, 5
LOWER, HIGHER = "lager", "hoger"
DIRECTION_TEXT = {LOWER: "lager is beter", HIGHER: "hoger is beter", None: "geen beste waarde"}


@dataclass(frozen=True)
class Row:
    """One figure: key, Dutch label, how it is written (`geo.exports` kind and decimals), direction."""

    key: str
    label: str
    kind: str
    decimals: int
    direction: str | None
    value: Callable[[fig.DivisionFigures], float | None]
    help: str = ""

    @property
    def col(self) -> Col:
        return Col(self.key, self.label, self.kind, self.decimals)


def _column(figs: fig.DivisionFigures, name: str) -> np.ndarray:
    t = figs.table
    values = t.loc[t["eenheden"] > 0, name] if name in t else pd.Series(dtype=float)
    return pd.to_numeric(values, errors="coerce").dropna().to_numpy(dtype=float)


def _cv(values: np.ndarray) -> float | None:
    if len(values) == 0 or values.mean() <= 0:
        return None
    return float(100.0 * values.std() / values.mean())


def _ratio(values: np.ndarray) -> float | None:
    if len(values) == 0 or values.min() <= 0:
        return None
    return float(values.max() / values.min())


def _split(level: str) -> Callable[[fig.DivisionFigures], float | None]:
    def value(f: fig.DivisionFigures) -> float | None:
        counts = f.check.split_counts
        return float(counts[level]) if level in counts else None

    return value


def _budget_per_young(f: fig.DivisionFigures) -> np.ndarray:
    t = f.table
    if "budget_eur" not in t or "pop_0_24" not in t:
        return np.zeros(0)
    ok = (t["eenheden"] > 0) & (t["pop_0_24"] > 0)
    return (t.loc[ok, "budget_eur"] / t.loc[ok, "pop_0_24"]).to_numpy(dtype=float)


def _min(values: np.ndarray) -> float | None:
    return float(values.min()) if len(values) else None


def _max(values: np.ndarray) -> float | None:
    return float(values.max()) if len(values) else None


def _coverage_min(f: fig.DivisionFigures) -> float | None:
    if f.coverage is None:
        return None
    rows = f.coverage[(f.coverage["type"] == "alle") & (f.coverage["doelgroep"] > 0)]
    return float(rows["aandeel_gedekt"].min()) if len(rows) else None


def _per_fte(f: fig.DivisionFigures) -> np.ndarray:
    if f.caseload is None:
        return np.zeros(0)
    return pd.to_numeric(f.caseload["per_vte_per_maand"], errors="coerce").dropna().to_numpy(dtype=float)


ROWS: tuple[Row, ...] = (
    Row("gebieden", "Gebieden", "int", 0, None, lambda f: float(f.summary.n_areas)),
    Row("zonder_gebied", "Eenheden zonder gebied", "int", 0, LOWER,
        lambda f: float(len(f.summary.unassigned))),
    Row(
        "verhouding_inwoners", "Evenwicht: grootste / kleinste gebied (inwoners)", "number", 2, LOWER,
        lambda f: _ratio(_column(f, "inwoners")), "1 = alle gebieden even groot",
    ),
    Row("cv_inwoners", "Spreiding inwoners (variatiecoëfficiënt, %)", "percent", 1, LOWER,
        lambda f: _cv(_column(f, "inwoners"))),
    Row("cv_jongeren", "Spreiding jongeren 0-24 (variatiecoëfficiënt, %)", "percent", 1, LOWER,
        lambda f: _cv(_column(f, "pop_0_24"))),
    Row("niet_samenhangend", "Gebieden niet uit één stuk", "int", 0, LOWER,
        lambda f: float(len(f.summary.not_contiguous)) if f.summary.contiguity_known else None),
    Row("split_gemeente", "Gesplitste gemeenten", "int", 0, LOWER, _split("gemeente")),
    Row("split_elz", "Gesplitste eerstelijnszones", "int", 0, LOWER, _split("elz")),
    Row("split_elz57", "Gesplitste eerstelijnszones (57)", "int", 0, LOWER, _split("elz57")),
    Row("split_district", "Gesplitste Antwerpse districten", "int", 0, LOWER, _split("district")),
    Row("overtredingen", "Overtredingen van de 1G1P-regels", "int", 0, LOWER,
        lambda f: float(len(f.check.breaches))),
    Row("compact_gem", "Compactheid: gemiddelde van de gebieden (Polsby-Popper)", "number", 2, HIGHER,
        lambda f: float(v.mean()) if len(v := _column(f, "polsby_popper")) else None),
    Row("compact_min", "Compactheid: minst compacte gebied", "number", 2, HIGHER,
        lambda f: _min(_column(f, "polsby_popper"))),
    Row("budget_totaal", "Budget: totaal van de gebieden (€)", "euro", 0, None,
        lambda f: float(v.sum()) if len(v := _column(f, "budget_eur")) else None),
    Row("budget_min", "Budget: kleinste gebied (€)", "euro", 0, None,
        lambda f: _min(_column(f, "budget_eur"))),
    Row("budget_max", "Budget: grootste gebied (€)", "euro", 0, None,
        lambda f: _max(_column(f, "budget_eur"))),
    Row("eur_jongere_min", "Budget per jongere 0-24: laagste gebied (€)", "euro", 2, None,
        lambda f: _min(_budget_per_young(f))),
    Row("eur_jongere_max", "Budget per jongere 0-24: hoogste gebied (€)", "euro", 2, None,
        lambda f: _max(_budget_per_young(f))),
    Row("dekking", "Partners: jongeren 0-24 binnen bereik (%)", "share", 1, HIGHER,
        lambda f: None if f.coverage is None else fig.nan_to_none(fig.share_covered(f.coverage))),
    Row("dekking_min", "Partners: laagste dekking van een gebied (%)", "share", 1, HIGHER, _coverage_min),
    Row("per_vte_max", "Caseload: behandeld per VTE per maand, drukste gebied", "number", 1, LOWER,
        lambda f: _max(_per_fte(f))),
    Row("per_vte_ratio", "Caseload per VTE: drukste / rustigste gebied", "number", 2, LOWER,
        lambda f: _ratio(_per_fte(f))),
)  # fmt: skip


@dataclass(frozen=True)
class ScorecardOptions:
    """The same choices for every division: budget formula, band, partners, caseload."""

    params_by_level: Mapping[str, Params] | None = field(default=None, compare=False)
    band: Band | None = None
    partners: pd.DataFrame | None = field(default=None, compare=False)
    distance_m: float = fig.DEFAULT_DISTANCE_M
    cases: pd.DataFrame | None = field(default=None, compare=False)
    cases_level: str | None = None
    fte_total_per_area: float | None = None  # VTE per area for caseload per FTE (default: by need)
    year: int | None = None  # population year of the counts (None: the latest)
    indicator: str | None = None  # deprivation indicator (None: the default)


@dataclass
class Scorecard:
    """Values per row and division, and which divisions hold the best value of each row."""

    divisions: list[Division]
    names: list[str]  # column titles (unique)
    rows: list[Row]
    values: pd.DataFrame  # index row key, columns names; floats (NaN = not available)
    best: dict[str, list[str]]  # row key -> names with the best value
    figures: list[fig.DivisionFigures]
    notes: list[str] = field(default_factory=list)

    def value(self, row: str, name: str) -> float | None:
        v = self.values.loc[row, name]
        return None if pd.isna(v) else float(v)

    def text_table(self, mark: str = " *") -> pd.DataFrame:
        """Rows as nl-BE text, the best values followed by `mark`, and the direction."""
        out = {"Cijfer": [r.label for r in self.rows]}
        for name in self.names:
            cells = []
            for r in self.rows:
                text = cell_text(self.values.loc[r.key, name], r.col)
                cells.append(text + (mark if name in self.best.get(r.key, []) else ""))
            out[name] = cells
        out["Beste"] = [DIRECTION_TEXT[r.direction] for r in self.rows]
        return pd.DataFrame(out)


def unique_names(divisions: Sequence[Division]) -> list[str]:
    """Division names as column titles, numbered when two are the same."""
    out: list[str] = []
    for d in divisions:
        name, i = d.name, 2
        while name in out:
            name = f"{d.name} ({i})"
            i += 1
        out.append(name)
    return out


def best_of(values: Mapping[str, float | None], row: Row) -> list[str]:
    """Names with the best value of `row` (lowest or highest after rounding to the shown decimals)."""
    if row.direction is None:
        return []
    scale = 100.0 if row.kind == "share" else 1.0
    present = {  # rounded as the cells show them (halves up)
        n: exports.half_up(v * scale, row.decimals)
        for n, v in values.items()
        if v is not None and np.isfinite(v)
    }
    if not present:
        return []
    target = min(present.values()) if row.direction == LOWER else max(present.values())
    return [n for n, v in present.items() if v == target]


def _capacity(
    division: Division, per_area: float | None, year: int | None = None, indicator: str | None = None
) -> dict[str, float]:
    """VTE per area: the same for every area when given, else by need (0,4 VTE per area in total)."""
    if per_area is not None:
        return {a: float(per_area) for a in division.areas}
    alloc = fig.fte_per_area(division, None, year, indicator)
    if alloc is None or alloc.areas is None:
        return {}
    return dict(zip(alloc.areas["gebied"], alloc.areas["hoeveelheid"].astype(float), strict=True))


def build(divisions: Sequence[Division], options: ScorecardOptions | None = None) -> Scorecard:
    """The scorecard of 2 to 5 divisions (see the module docstring)."""
    options = options or ScorecardOptions()
    if not MIN_DIVISIONS <= len(divisions) <= MAX_DIVISIONS:
        raise UserFacingError(
            f"Een scorecard vergelijkt {MIN_DIVISIONS} tot {MAX_DIVISIONS} indelingen (nu {len(divisions)})."
        )
    names = unique_names(divisions)
    all_figures = []
    for d in divisions:
        params = (options.params_by_level or {}).get(d.level)
        base = fig.FigureOptions(
            params=params,
            band=options.band,
            partners=options.partners,
            distance_m=options.distance_m,
            year=options.year,
            indicator=options.indicator,
        )
        figs = fig.compute(d, base)
        if options.cases is not None and len(options.cases) and options.cases_level:
            capacity = _capacity(d, options.fte_total_per_area, options.year, options.indicator)
            try:
                figs.caseload = fig.caseload(d, options.cases, options.cases_level, capacity, options.year)
            except UserFacingError as exc:  # caseload on a finer level than this division's units
                figs.notes.append(f"{d.name}: caseload niet getoond ({exc})")
        all_figures.append(figs)
    table = {}
    for row in ROWS:
        table[row.key] = [row.value(f) for f in all_figures]
    rows = [r for r in ROWS if any(v is not None for v in table[r.key])]
    values = pd.DataFrame(
        [[np.nan if v is None else v for v in table[r.key]] for r in rows],
        index=[r.key for r in rows],
        columns=names,
        dtype=float,
    )
    best = {r.key: best_of(dict(zip(names, table[r.key], strict=True)), r) for r in rows}
    notes = []
    levels = {d.level for d in divisions}
    if len(levels) > 1:
        shown = ", ".join(LEVEL_NAMES.get(lv, lv) for lv in sorted(levels))
        notes.append(
            f"De indelingen gebruiken verschillende niveaus ({shown}): per wijk zijn de aantallen "
            "schattingen."
        )
    changed = [
        f for f in all_figures if f.params is not None and f.params != fig.default_params(f.division.level)
    ]
    if changed:
        p = changed[0].params
        notes.append(
            f"Budget: de formule van de pagina Budgetverdeling (totaal {p.amount_text(p.total)}, gewicht "
            f"{'b' if p.form == 'per_kansarm' else 'a'} = {nl.number(p.weight, 2)}) per eenheid, opgeteld "
            "per gebied."
        )
    else:
        notes.append(
            "Budget: de formule van de pagina Budgetverdeling (instelling 2021) per eenheid, opgeteld per "
            "gebied, zoals op de pagina van elke indeling."
        )
    notes += [n for f in all_figures for n in f.notes]
    finest = next((lv for lv in ("wijk", "district", "elz") if lv in levels), None)
    notes.append(units.counts_note(options.year, options.indicator, finest))  # year of every figure
    if any(f.data.estimated for f in all_figures):
        notes.append("Per wijk zijn inwoners en jongeren schattingen; per gemeente kloppen de totalen.")
    return Scorecard(list(divisions), names, rows, values, best, all_figures, notes)


def xlsx_bytes(card: Scorecard) -> bytes:
    """Sheet `Scorecard` (one row per division, one column per figure, real numbers), `Beste waarde`
    (per figure the best division(s) and the direction) and the per-area figures of each division."""
    wide = pd.DataFrame({"indeling": card.names})
    cols = [Col("indeling", "Indeling")]
    for r in card.rows:
        wide[r.key] = card.values.loc[r.key].to_numpy()
        cols.append(r.col)
    best = pd.DataFrame(
        {
            "Cijfer": [r.label for r in card.rows],
            "Beste": [", ".join(card.best.get(r.key, [])) or "–" for r in card.rows],
            "Richting": [DIRECTION_TEXT[r.direction] for r in card.rows],
        }
    )
    sheets = [
        exports.Sheet("Scorecard", wide, cols, card.notes),
        exports.Sheet("Beste waarde", best, [Col(c, c) for c in best.columns]),
    ]
    from geo.reports.dossier import metric_columns

    for name, figs in zip(card.names, card.figures, strict=True):
        sheets.append(exports.Sheet(name, figs.table, metric_columns(figs.table)))
    return exports.xlsx_bytes(sheets)


def file_name(ext: str = "xlsx") -> str:
    return exports.file_name("scorecard", ext=ext)
