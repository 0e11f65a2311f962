"""Compare an allocation with the published 2021 SWV budgets and fit the correction weight.

Two objectives (`OBJECTIVES`), over the areas that follow the formula (areas with a fixed amount, such as
Brussels, are shown but left out of the error):

- `eur`: least squared euro error (RMSE in EUR): large SWVs weigh more;
- `relatief`: least squared relative error (RMS of the % differences): every SWV counts equally.

The 2021 reference (`load_setting("swv2021")`) uses the 319 municipalities of 2019-2024 with the
eerstelijnszones of that time and a population year of choice (default 2020, the year before the budget).
Remember that the
2021 SWV composition is partly a reconstruction (`geo.data.facts.swv_composition_2021`, ``inferred``): a
good fit supports but does not prove both the composition and the parameters.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import minimize_scalar

from geo.budget import report
from geo.budget.allocation import (
    Allocation,
    Params,
    Prepared,
    allocate_prepared,
    area_amounts,
    division_by_parent,
)
from geo.data import facts
from geo.data import units as unit_tables
from geo.errors import UserFacingError

#: Search ranges for the weight per correction form (a relative, b per deprived young person).
DEFAULT_BOUNDS = {"relatief": (0.0, 3.0), "per_kansarm": (0.0, 20.0)}

#: Calibration objectives: key -> (short Dutch label, explanation).
OBJECTIVES: dict[str, tuple[str, str]] = {
    "eur": (
        "Kleinste fout in euro",
        "Minimaliseert de gekwadrateerde verschillen in euro (RMSE): grote samenwerkingsverbanden wegen "
        "zwaarder, want daar zijn de bedragen en dus de verschillen groot.",
    ),
    "relatief": (
        "Kleinste relatieve fout",
        "Minimaliseert de gekwadrateerde procentuele verschillen: elk samenwerkingsverband telt even zwaar, "
        "groot of klein.",
    ),
}
DEFAULT_OBJECTIVE = "eur"


def _loss(objective: str, d: np.ndarray, pub: np.ndarray) -> float:
    """RMSE in EUR (``eur``) or RMS relative error in % (``relatief``)."""
    if objective == "relatief":
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = 100.0 * d / np.where(pub != 0, pub, np.nan)
        return float(np.sqrt(np.nanmean(rel**2)))
    return float(np.sqrt(np.mean(d**2)))


@dataclass
class Comparison:
    """Per area computed vs published, and the error summary over the non-excluded areas."""

    table: pd.DataFrame  # gebied, berekend, gepubliceerd, verschil_eur, verschil_pct, in_fout
    rmse: float
    mae: float
    total_abs: float
    max_abs_pct: float
    rms_pct: float = float("nan")  # root-mean-square relative error (%)


@dataclass
class Calibration:
    """Best weight for one correction form, its errors and the error curve over the searched range."""

    form: str
    weight: float
    rmse: float
    mae: float
    curve: pd.DataFrame  # gewicht_param, rmse, mae
    comparison: Comparison
    allocation: Allocation
    rmse_without_correction: float
    objective: str = DEFAULT_OBJECTIVE
    rms_pct: float = float("nan")  # RMS relative error (%) at the best weight


def compare(
    computed: pd.Series | Mapping[str, float],
    published: pd.Series | Mapping[str, float],
    exclude: Iterable[str] = (),
) -> Comparison:
    """Computed vs published per area; areas in ``exclude`` are listed but do not count in the errors."""
    comp = pd.Series(computed, dtype=float)
    pub = pd.Series(published, dtype=float)
    extra = sorted(set(comp.index) - set(pub.index))
    if extra:
        raise UserFacingError(f"Geen gepubliceerd bedrag voor: {', '.join(map(str, extra))}.")
    missing = sorted(set(pub.index) - set(comp.index))
    if missing:
        raise UserFacingError(f"Geen berekend bedrag voor: {', '.join(map(str, missing))}.")
    table = pd.DataFrame({"gebied": comp.index, "berekend": comp.to_numpy()})
    table["gepubliceerd"] = table["gebied"].map(pub)
    table["verschil_eur"] = table["berekend"] - table["gepubliceerd"]
    table["verschil_pct"] = (
        100.0 * table["verschil_eur"] / table["gepubliceerd"].where(table["gepubliceerd"] != 0)
    )
    excluded = set(exclude)
    table["in_fout"] = ~table["gebied"].isin(excluded)
    d = table.loc[table["in_fout"], "verschil_eur"].to_numpy()
    if d.size == 0:
        raise UserFacingError("Er blijven geen gebieden over om mee te vergelijken.")
    pct = table.loc[table["in_fout"], "verschil_pct"].abs()
    return Comparison(
        table=table,
        rmse=float(np.sqrt(np.mean(d**2))),
        mae=float(np.mean(np.abs(d))),
        total_abs=float(np.sum(np.abs(d))),
        max_abs_pct=float(pct.max()) if pct.notna().any() else float("nan"),
        rms_pct=float(np.sqrt(np.mean(pct.dropna() ** 2))) if pct.notna().any() else float("nan"),
    )


def _rmse(amounts: pd.Series, published: pd.Series, keep: np.ndarray, objective: str = "eur") -> float:
    pub = published.reindex(amounts.index).to_numpy()[keep]
    return _loss(objective, amounts.to_numpy()[keep] - pub, pub)


def error_curve(
    prep: Prepared, published: pd.Series, weights: Iterable[float], exclude: Iterable[str] = ()
) -> pd.DataFrame:
    """RMSE, MAE (EUR) and RMS relative error (`rms_pct`, %) per weight value (unrounded amounts)."""
    pub = pd.Series(published, dtype=float)
    excluded = set(exclude)
    rows = []
    for value in weights:
        amounts = area_amounts(prep, float(value))
        keep = ~amounts.index.isin(excluded)
        p = pub.reindex(amounts.index).to_numpy()[keep]
        d = amounts.to_numpy()[keep] - p
        rows.append((float(value), _loss("eur", d, p), float(np.mean(np.abs(d))), _loss("relatief", d, p)))
    return pd.DataFrame(rows, columns=["gewicht_param", "rmse", "mae", "rms_pct"])


def calibrate(
    prep: Prepared,
    published: pd.Series | Mapping[str, float],
    exclude: Iterable[str] = (),
    bounds: tuple[float, float] | None = None,
    grid_points: int = 61,
    objective: str = DEFAULT_OBJECTIVE,
) -> Calibration:
    """Weight (``a`` or ``b``, per ``prep.params.form``) with the lowest error against ``published``:
    RMSE in EUR (``objective="eur"``) or RMS relative error (``"relatief"``), see `OBJECTIVES`.

    A grid over ``bounds`` finds the best region, ``minimize_scalar`` (bounded) refines it between the
    neighbouring grid points.
    """
    form = prep.params.form
    if objective not in OBJECTIVES:
        raise UserFacingError(f"Onbekend doel '{objective}'. Kies uit: {', '.join(OBJECTIVES)}.")
    if form == "geen":
        raise UserFacingError("Zonder correctie is er geen gewicht om te kalibreren.")
    if prep.area_index is None:
        raise UserFacingError("Kalibreren vraagt een indeling in gebieden.")
    lo, hi = bounds or DEFAULT_BOUNDS.get(form, (0.0, 3.0))
    if not 0 <= lo < hi:
        raise UserFacingError("Het zoekbereik voor het gewicht moet van laag naar hoog gaan en ≥ 0 zijn.")
    if grid_points < 3:
        raise UserFacingError("Gebruik minstens 3 punten in het zoekrooster.")
    pub = pd.Series(published, dtype=float)
    excluded = set(exclude)
    unknown = sorted(set(prep.area_labels) - set(pub.index))
    if unknown:
        raise UserFacingError(f"Geen gepubliceerd bedrag voor: {', '.join(unknown)}.")
    keep = ~np.isin(prep.area_labels, list(excluded))
    if not keep.any():
        raise UserFacingError("Er blijven geen gebieden over om mee te vergelijken.")

    grid = np.linspace(lo, hi, grid_points)
    curve = error_curve(prep, pub, grid, excluded)
    column = "rms_pct" if objective == "relatief" else "rmse"
    i = int(curve[column].idxmin())
    left, right = grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)]
    res = minimize_scalar(
        lambda x: _rmse(area_amounts(prep, float(x)), pub, keep, objective),
        bounds=(left, right),
        method="bounded",
        options={"xatol": 1e-6 * max(1.0, hi)},
    )
    best = float(res.x) if res.fun <= curve[column].iloc[i] else float(grid[i])
    alloc = allocate_prepared(prep, best)
    area_eur = alloc.areas.set_index("gebied")["eur"]
    comparison = compare(area_eur, pub.reindex(area_eur.index), excluded)
    rmse0 = _rmse(area_amounts(prep, 0.0), pub, keep)
    return Calibration(
        form=form,
        weight=best,
        rmse=_rmse(area_amounts(prep, best), pub, keep),
        mae=float(
            np.mean(np.abs((area_amounts(prep, best) - pub.reindex(prep.area_labels)).to_numpy()[keep]))
        ),
        curve=curve,
        comparison=comparison,
        allocation=alloc,
        rmse_without_correction=rmse0,
        objective=objective,
        rms_pct=_rmse(area_amounts(prep, best), pub, keep, "relatief"),
    )


def calibrate_both(
    prep: Prepared, published: pd.Series | Mapping[str, float], exclude: Iterable[str] = (), **kwargs
) -> dict[str, Calibration]:
    """The fit under every objective (`OBJECTIVES`), to show side by side."""
    return {key: calibrate(prep, published, exclude, objective=key, **kwargs) for key in OBJECTIVES}


def objectives_table(fits: Mapping[str, Calibration]) -> pd.DataFrame:
    """One row per objective: weight, RMSE (EUR), RMS relative error (%), largest % difference."""
    rows = []
    for key, fit in fits.items():
        rows.append(
            {
                "doel": OBJECTIVES[key][0],
                "gewicht": fit.weight,
                "rmse_eur": fit.rmse,
                "rms_pct": fit.rms_pct,
                "max_abs_pct": fit.comparison.max_abs_pct,
                "uitleg": OBJECTIVES[key][1],
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------------
# The 2021 SWV setting


def swv2021_division(units: pd.DataFrame) -> pd.Series:
    """Municipality code -> 2021 SWV, through the municipality's 57-zone ELZ (``elz57``; on `gemeente2024`
    the zone of that time)."""
    return division_by_parent(units, "elz57", facts.swv_of_elz57())


def published_2021() -> pd.Series:
    """Published 2021 budget per SWV (EUR)."""
    b = facts.swv_budgets_2021()
    return pd.Series(b["budget_eur"].to_numpy(), index=b["swv"].to_numpy(), name="gepubliceerd")


def params_2021(**changes) -> Params:
    """The 2021 setting: EUR 23,999,998 with Brussels at a flat EUR 960,000 (other fields adjustable)."""
    from geo.budget.allocation import brussels_carve_out

    base = {"total": facts.BUDGET_TOTAL_2021, "carve_outs": (brussels_carve_out(facts.BRUSSELS_FIXED_EUR),)}
    base.update(changes)
    return Params(**base)


def composition_evidence() -> pd.DataFrame:
    """Per SWV: the ELZs, how many are sourced vs inferred, and a Dutch label for the table."""
    comp = facts.swv_composition_2021()
    g = comp.groupby("swv", sort=True)
    out = pd.DataFrame(
        {
            "eerstelijnszones": g["elz_naam"].agg(", ".join),
            "aantal_elz": g.size(),
            "afgeleid": g["inferred"].sum().astype(int),
        }
    )
    out["samenstelling"] = np.where(
        out["afgeleid"] == 0,
        "bevestigd door bronnen",
        np.where(
            out["afgeleid"] == out["aantal_elz"],
            "reconstructie",
            "deels reconstructie ("
            + out["afgeleid"].astype(str)
            + " van "
            + out["aantal_elz"].astype(str)
            + " ELZ)",
        ),
    )
    return out.reset_index().rename(columns={"swv": "gebied"})


# ---------------------------------------------------------------------------------------------------
# Ready-made settings: units + division + defaults (used by the page and the CLI)

#: Setting key -> (reference division key in `geo.divisions.references`, Dutch title).
SETTINGS: dict[str, tuple[str, str]] = {
    "swv2021": ("swv2021_gemeente2024", "Samenwerkingsverbanden 2021 (16; gemeenten en zones van toen)"),
    "elz57": ("elz57_gemeente", "Eerstelijnszones (57)"),
    "elz60": ("elz60_wijk", "Eerstelijnszones (60, Antwerpen gesplitst; via wijken, geschat)"),
    "wcp": ("wcp_postcode", "Groot Antwerpen: 7 wijkcontactpunten (postcodes)"),
}

GROOT_ANTWERPEN = "Groot Antwerpen"


@dataclass
class Setting:
    """Units with their counts, a division of them, and what to compare with."""

    key: str
    title: str
    level: str
    units: pd.DataFrame
    areas: dict[str, str]
    published: pd.Series | None
    total: int
    brussels: bool  # the units include Brussels (elz7): offer the flat amount
    notes: list[str]
    evidence: pd.DataFrame | None = None
    population_texts: dict[str, str] = field(default_factory=dict)  # overrides of POPULATIONS labels
    unit_names: tuple[str, str] = ("gemeente", "gemeenten")
    year: int | None = None  # population year of the counts (None: Tabel 8, 2019)
    indicator: str | None = None  # deprivation indicator (`geo.data.units.INDICATORS`)

    def index_header(self) -> str | None:
        """The header of the deprivation index in this setting's tables (`index_header`)."""
        return index_header(self.level, self.indicator)

    def count_year(self, population: str) -> str | None:
        """The year of the counts of ``population`` for table headers (`count_year`)."""
        return count_year(self.level, self.year, population)

    def compare_2021(self, alloc: Allocation) -> Comparison | None:
        """The euros per area against the published 2021 budgets (None without them, or for staff); a
        Brussels share set apart is listed but left out of the errors."""
        if self.published is None or alloc.resource.key != "euro":
            return None
        exclude = [facts.BRUSSELS_SWV] if alloc.carved_eur else []
        return compare(alloc.areas.set_index("gebied")["eur"], self.published, exclude=exclude)

    def area_table(self, alloc: Allocation, comparison: Comparison | None = None) -> pd.DataFrame:
        """The Dutch table per area (`report.area_table_nl`), its headers naming this setting's count
        year and index, next to the 2021 budgets when compared."""
        return report.area_table_nl(
            alloc,
            comparison=comparison.table if comparison is not None else None,
            evidence=self.evidence,
            when=self.count_year(alloc.params.population),
            index=self.index_header(),
        )

    def equal_table(self, alloc: Allocation, table: pd.DataFrame | None = None) -> pd.DataFrame:
        """The Dutch table of the formula against an equal split (`report.equal_table_nl`, ``table``: an
        already computed `compare_equal`) with this setting's count year and index."""
        return report.equal_table_nl(
            alloc, table, self.count_year(alloc.params.population), self.index_header()
        )

    def unit_table(self, alloc: Allocation) -> pd.DataFrame:
        """The Dutch table per unit (`report.unit_table_nl`) with this setting's unit name, year and index."""
        return report.unit_table_nl(
            alloc,
            self.unit_names[0].capitalize(),
            self.count_year(alloc.params.population),
            self.index_header(),
        )


def index_header(level: str, indicator: str | None) -> str | None:
    """The header of the deprivation index on ``level``, naming the indicator and whether it is an
    estimate (`Kansarmoede-index K&G per gemeente (%)`); None for the Tabel 8 postcodes (no indicator)."""
    if indicator is None:
        return None
    if indicator == "kg_schatting" and level not in unit_tables.SUB_MUNICIPAL_LEVELS:
        indicator = "kg_gemeente"  # at or above the municipality the estimate is the municipal figure
    return f"Kansarmoede-index {unit_tables.INDICATORS[indicator].short} (%)"


def count_year(level: str, year: int | None, population: str) -> str | None:
    """The year of the counts of ``population`` on ``level`` for table headers: `2020`, `2020, geschat`
    (ages per wijk), `2019` (Tabel 8 postcodes); None for the Vaccinnet counts (their label says ±2021)
    or an unknown year."""
    if population.startswith("vacc_"):
        return None
    if year is None:
        return "2019" if level == "postcode_antwerpen" else None
    estimated = (
        unit_tables.inhabitants_estimated(level, year)
        if population == "inwoners"
        else unit_tables.ages_estimated(level)
    )
    return f"{year}, geschat" if estimated else str(year)


def available_populations(units: pd.DataFrame) -> list[str]:
    """`POPULATIONS` keys whose columns exist and have values for these units."""
    from geo.budget.allocation import POPULATIONS

    out = []
    for key, source in POPULATIONS.items():
        if all(c in units.columns and units[c].notna().any() for c in source.columns):
            out.append(key)
    return out


def setting_from_division(
    division,
    key: str = "eigen",
    title: str | None = None,
    year: int | None = None,
    indicator: str | None = None,
) -> Setting:
    """A setting for any `Division` on the `gemeente`, `gemeente2024`, `wijk` or `postcode_antwerpen` level,
    with the counts of population ``year`` and deprivation ``indicator`` (defaults: latest, default)."""
    from geo.data import units as unit_tables

    level = division.level
    if level not in ("gemeente", "gemeente2024", "wijk", "postcode_antwerpen"):
        raise UserFacingError(
            f"Een budget verdelen kan per gemeente, wijk of postcode, niet op niveau '{level}'."
        )
    year = unit_tables.check_year(year)
    indicator = unit_tables.check_indicator(indicator)
    table = unit_tables.load_table(level, year=year, indicator=indicator)
    assignment = dict(division.assignment)
    scope = table[table["code"].astype(str).isin(assignment)].reset_index(drop=True)
    notes: list[str] = []
    if len(scope) < len(table) and level != "wijk":
        notes.append(f"{len(table) - len(scope)} eenheden zonder gebied doen niet mee.")
    if level != "postcode_antwerpen":
        ind = unit_tables.INDICATORS[indicator]
        notes.append(f"Bevolking op 1 januari {year} (Statbel); kansarmoede: {ind.label} ({ind.source}).")
    if level == "wijk":
        notes.append(
            "Per wijk zijn de aantallen een schatting (bevolking per statistische sector, leeftijden volgens "
            "de gemeente); per gemeente kloppen de totalen."
        )
    brussels = "elz57" in scope.columns and scope["elz57"].astype(str).eq(facts.BRUSSELS_ELZ).any()
    total = facts.BUDGET_TOTAL_2021
    if level == "postcode_antwerpen":
        total = int(published_2021()[GROOT_ANTWERPEN])
        notes.append(
            "Postcodetabel van de studie (Tabel 8): 0-24-jarigen 2019 en K&G-kansarmoede-index 2019 per "
            f"postcode; het totaal is het budget 2021 van Groot Antwerpen ({total:,} EUR)".replace(",", ".")
            + ". Sommige aantallen zijn benaderingen in de bron."
        )
    setting = Setting(
        key, title or division.name, level, scope, assignment, None, total, bool(brussels), notes
    )
    if level != "postcode_antwerpen":
        setting.year, setting.indicator = year, indicator
    published = published_2021()
    if (
        key != "swv2021"
        and level != "postcode_antwerpen"
        and set(assignment.values()) == set(published.index)
    ):
        setting.published = published
        notes.append(
            "De gebieden dragen de namen van de 16 samenwerkingsverbanden van 2021: de bedragen worden "
            "vergeleken met de gepubliceerde budgetten 2021."
        )
    if level == "postcode_antwerpen":
        setting.population_texts = {
            "pop_0_24": "0-24 jaar per postcode, 2019 (studie Groot Antwerpen, Tabel 8)",
            "inwoners": "inwoners per postcode, 2019 (studie Groot Antwerpen, Tabel 8)",
        }
        setting.unit_names = ("postcode", "postcodes")
    elif level == "wijk":
        setting.unit_names = ("wijk", "wijken")
    if level != "postcode_antwerpen":  # say the population year (and the estimate per wijk)
        from geo.budget.allocation import POPULATIONS

        def when(key: str) -> str:
            estimated = level == "wijk" and (key != "inwoners" or year not in unit_tables.SECTOR_YEARS)
            return f"1 januari {year}" + (", per wijk geschat" if estimated else "")

        setting.population_texts = {
            k: src.label.replace("(Statbel)", f"(Statbel, {when(k)})")
            for k, src in POPULATIONS.items()
            if "(Statbel)" in src.label
        }
    return setting


def load_setting(key: str, year: int | None = None, indicator: str | None = None) -> Setting:
    """One of `SETTINGS`; the SWV setting carries the published 2021 budgets and composition evidence.

    ``year`` defaults to the latest population year, for `swv2021` to 2020 (the year before the budget).
    """
    from geo.data import units as unit_tables
    from geo.divisions import references as reference_divisions

    if key not in SETTINGS:
        raise UserFacingError(f"Onbekende indeling '{key}'. Kies uit: {', '.join(SETTINGS)}.")
    if year is None and key == "swv2021":
        year = unit_tables.REFERENCE_YEAR_2021
    ref_key, title = SETTINGS[key]
    setting = setting_from_division(
        reference_divisions.reference_division(ref_key), key, title, year, indicator
    )
    if key == "swv2021":
        setting.published = published_2021()
        setting.evidence = composition_evidence()
        n_inferred = int(facts.swv_composition_2021()["inferred"].sum())
        setting.notes.append(
            "De samenstelling van de samenwerkingsverbanden in 2021 is deels een reconstructie: "
            f"{n_inferred} van de 57 eerstelijnszones zijn afgeleid (geen publieke lijst). "
            "Een goede overeenkomst steunt de reconstructie maar bewijst ze niet."
        )
        setting.notes.append(
            "Gemeenten en eerstelijnszones zoals in 2021 (319 gemeenten van 2019-2024; zones volgens "
            "Vaccinnet 2022): Borsbeek zat toen in ZORA (Trawant), Ranst in Pallieterland, Middelkerke in "
            "Westkust & Polder, De Haan in Oostkust, Borgloon en Kortessem in Haspengouw."
        )
    return setting


def default_params(setting: Setting, **changes) -> Params:
    """Parameters for a setting: its total, plus the Brussels flat amount when Brussels is included."""
    from geo.budget.allocation import brussels_carve_out

    base: dict = {"total": setting.total}
    if setting.brussels:
        base["carve_outs"] = (brussels_carve_out(facts.BRUSSELS_FIXED_EUR),)
    base.update(changes)
    return Params(**base)
