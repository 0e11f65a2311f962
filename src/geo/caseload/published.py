"""Everything a caseload page and its exports show, computed and protected together (`publish`).

The tables are those of `geo.caseload.cases` (summary per area, months, referrer types, transfers) plus the
headline total and the registrations from units without an area. With masking on, `geo.caseload.protect`
masks counts of 1-4 and hides what would give them back, over all tables at once; counts that are shown
are exact. Masked cells hold `MASK_SMALL` (`<5`), hidden ones `MASK_HIDDEN` (`x`), in the page and in
every export alike (`geo.exports`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.caseload import cases as cl
from geo.caseload.protect import HIDDEN, SMALL, CellSystem
from geo.exports import KNOWN, MASK_HIDDEN, MASK_SMALL, Col

SUMMARY_COLUMNS = tuple(
    KNOWN[key]
    for key in (
        "gebied", "doelgroep", "aanmeldingen", "per_1000", "behandeld", "uitgaand", "inkomend", "vte",
        "per_vte_per_maand", "overbelast",
    )
)  # fmt: skip


def summary_columns(population_year: int | None = None) -> tuple[Col, ...]:
    """`SUMMARY_COLUMNS` whose young-people header names the population year (e.g. `(aantal, 2022)`)."""
    if population_year is None:
        return SUMMARY_COLUMNS
    when = f"(aantal, 1 januari {int(population_year)})"
    return tuple(
        Col(c.key, c.header.replace("(aantal)", when), c.kind, c.decimals) if c.key == "doelgroep" else c
        for c in SUMMARY_COLUMNS
    )


TREND_COLUMNS = (
    Col("gebied", "Gebied"),
    Col("helling", "Helling (aanmeldingen per maand, per maand)", "number", 2),
    Col("verandering_3m", "Laatste 3 maanden t.o.v. de 3 ervoor (%)", "share", 1),
)


@dataclass
class Published:
    """The protected figures: counts are ints, or `MASK_SMALL` / `MASK_HIDDEN` texts."""

    summary: pd.DataFrame  # per area, columns of SUMMARY_COLUMNS
    monthly: pd.DataFrame  # months (index `maand`) x areas, registrations of residents
    referrers: pd.DataFrame | None  # areas (index `gebied`) x referrer types
    transfers: pd.DataFrame  # home area (index `herkomst`) x handling area
    trend: pd.DataFrame  # per area, columns of TREND_COLUMNS
    total: int | str
    without_area: int | str
    months: int
    masked: bool
    hidden: int = 0  # figures hidden besides the small counts
    population_year: int | None = None  # year of the young people (`doelgroep`) behind the rates

    @property
    def summary_columns(self) -> tuple[Col, ...]:
        """Export columns of `summary`, the young people's header with their year."""
        return summary_columns(self.population_year)

    def overloaded(self) -> tuple[int, int]:
        """(areas shown as overloaded, areas whose overload flag is hidden)."""
        flags = self.summary["overbelast"]
        shown = flags[flags.map(lambda v: not isinstance(v, str))]
        return int(shown.astype(bool).sum()), int(len(flags) - len(shown))

    def transfer_list(self) -> pd.DataFrame:
        """Off-diagonal transfers: `van`, `naar`, `aanmeldingen` (masked texts kept), largest first."""
        rows = []
        for a in self.transfers.index:
            for h in self.transfers.columns:
                v = self.transfers.loc[a, h]
                if a != h and (isinstance(v, str) or v > 0):
                    rows.append((a, h, v))
        out = pd.DataFrame(rows, columns=["van", "naar", "aanmeldingen"])
        key = out["aanmeldingen"].map(lambda v: -1 if isinstance(v, str) else v)
        return out.assign(_k=key).sort_values(["_k", "van"], ascending=[False, True]).drop(columns="_k")


def publish(
    cases: pd.DataFrame,
    unit_to_area: Mapping[str, str],
    population: Mapping[str, float],
    capacity: Mapping[str, float] | None = None,
    threshold_per_fte: float | None = None,
    mask: bool = True,
    population_year: int | None = None,
) -> Published:
    """All caseload tables for a page or an export, protected together when ``mask`` is on;
    ``population_year`` is the year of ``population`` (stated in the exports)."""
    summary = cl.caseload_summary(
        cases, unit_to_area, population, capacity, threshold_per_fte, population_year
    )
    areas = summary["gebied"].tolist()
    months = cl.months_of(cases)
    c = cl._with_areas(cases, unit_to_area)
    monthly = cl.monthly_by_area(cases, unit_to_area).reindex(columns=areas, fill_value=0)
    has_referrers = bool((cases["verwijzer"].fillna("") != "").any())
    referrers = cl.by_referrer(cases, unit_to_area).reindex(areas, fill_value=0) if has_referrers else None
    home = c[c["herkomst"] != ""]
    transfers = (
        pd.crosstab(home["herkomst"], home["behandeld_door"], values=home["aanmeldingen"], aggfunc="sum")
        .reindex(index=areas, columns=areas)
        .fillna(0)
        .astype(int)
    )
    transfers.index.name, transfers.columns.name = "herkomst", "behandeld door"
    no_area = c[c["herkomst"] == ""]
    from_no_area = no_area.groupby("behandeld_door")["aanmeldingen"].sum()
    without_area = int(no_area["aanmeldingen"].sum())
    total = int(cases["aanmeldingen"].sum())

    system = CellSystem()
    s = summary.set_index("gebied")
    cell_a = {a: system.add(s.loc[a, "aanmeldingen"], 2, ("aanmeldingen", a)) for a in areas}
    cell_h = {a: system.add(s.loc[a, "behandeld"], 2, ("behandeld", a)) for a in areas}
    cell_u = {a: system.add(s.loc[a, "uitgaand"], 1, ("uitgaand", a)) for a in areas}
    cell_i = {a: system.add(s.loc[a, "inkomend"], 1, ("inkomend", a)) for a in areas}
    cell_t = {(a, h): system.add(transfers.loc[a, h], 0, ("t", a, h)) for a in areas for h in areas}
    cell_t0 = {h: system.add(from_no_area.get(h, 0), 0, None, published=False) for h in areas}
    cell_z0 = system.add(int(no_area.loc[no_area["behandeld_door"] == "", "aanmeldingen"].sum()), 0, None,
                         published=False)  # fmt: skip
    cell_m = {(m, a): system.add(monthly.loc[m, a], 0, ("m", m, a)) for m in monthly.index for a in areas}
    cell_r = {}
    if referrers is not None:
        cell_r = {(a, r): system.add(referrers.loc[a, r], 0, ("r", a, r)) for a in areas for r in referrers}
    cell_z = system.add(without_area, 2, ("zonder",))
    cell_g = system.add(total, 3, ("totaal",))

    for a in areas:
        system.sum_equation(cell_a[a], [cell_t[(a, h)] for h in areas])
        system.sum_equation(cell_a[a], [cell_m[(m, a)] for m in monthly.index])
        if referrers is not None:
            system.sum_equation(cell_a[a], [cell_r[(a, r)] for r in referrers])
        system.sum_equation(cell_h[a], [*(cell_t[(x, a)] for x in areas), cell_t0[a]])
        system.equation([cell_u[a], cell_t[(a, a)], cell_a[a]], [1, 1, -1])
        system.equation([cell_i[a], cell_t[(a, a)], cell_h[a]], [1, 1, -1])
    system.sum_equation(cell_z, [*cell_t0.values(), cell_z0])
    system.sum_equation(cell_g, [*cell_a.values(), cell_z])
    hidden = system.protect(enabled=mask)

    def shown(i: int, value):
        st = system.status[i]
        if st == SMALL:
            return MASK_SMALL
        if st == HIDDEN:
            return MASK_HIDDEN
        return value

    def is_shown(i: int) -> bool:
        return system.status[i] not in (SMALL, HIDDEN)

    out = summary.copy()
    for col in ("aanmeldingen", "behandeld", "uitgaand", "inkomend", "per_1000", "per_vte_per_maand",
                "overbelast"):  # fmt: skip
        out[col] = out[col].astype(object)
    for k, a in enumerate(areas):
        out.at[k, "aanmeldingen"] = shown(cell_a[a], int(s.loc[a, "aanmeldingen"]))
        out.at[k, "behandeld"] = shown(cell_h[a], int(s.loc[a, "behandeld"]))
        out.at[k, "uitgaand"] = shown(cell_u[a], int(s.loc[a, "uitgaand"]))
        out.at[k, "inkomend"] = shown(cell_i[a], int(s.loc[a, "inkomend"]))
        if not is_shown(cell_a[a]):
            out.at[k, "per_1000"] = MASK_HIDDEN
        if not is_shown(cell_h[a]):
            out.at[k, "per_vte_per_maand"] = MASK_HIDDEN
            out.at[k, "overbelast"] = MASK_HIDDEN
    out = out[[col.key for col in SUMMARY_COLUMNS]]

    monthly_out = monthly.astype(object)
    for (m, a), i in cell_m.items():
        monthly_out.at[m, a] = shown(i, int(monthly.loc[m, a]))
    referrers_out = None
    if referrers is not None:
        referrers_out = referrers.astype(object)
        for (a, r), i in cell_r.items():
            referrers_out.at[a, r] = shown(i, int(referrers.loc[a, r]))
    transfers_out = transfers.astype(object)
    for (a, h), i in cell_t.items():
        transfers_out.at[a, h] = shown(i, int(transfers.loc[a, h]))

    empty_trend = pd.DataFrame(columns=["gebied", "helling", "verandering_3m"])
    trend = cl.trend(monthly) if len(monthly) else empty_trend
    trend = trend.astype({"helling": object, "verandering_3m": object})
    for k, a in enumerate(trend["gebied"]):
        if any(not is_shown(cell_m[(m, a)]) for m in monthly.index):
            trend.at[k, "helling"] = MASK_HIDDEN
            trend.at[k, "verandering_3m"] = MASK_HIDDEN

    return Published(
        summary=out,
        monthly=monthly_out,
        referrers=referrers_out,
        transfers=transfers_out,
        trend=trend,
        total=shown(cell_g, total),
        without_area=shown(cell_z, without_area),
        months=max(len(months), 1),
        masked=mask,
        hidden=hidden,
        population_year=population_year,
    )


def numeric(value) -> float:
    """A published value as a number for charts and sorting (masked/hidden -> NaN)."""
    return np.nan if isinstance(value, str) else float(value)
