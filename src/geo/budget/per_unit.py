"""The budget formula per unit of any level (the budget column of division metrics), and any resource per
area of an open division (e.g. FTE per area in the division editor)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from geo import fmt
from geo.budget import allocation, calibration, resources
from geo.data import units

#: Level -> (level the budget formula runs on, parent column to sum it up by; None = same level).
BUDGET_BASE: dict[str, tuple[str, str | None]] = {
    "gemeente": ("gemeente", None),
    "wijk": ("wijk", None),
    "postcode_antwerpen": ("postcode_antwerpen", None),
    "elz57": ("gemeente", "elz57"),
    "provincie": ("gemeente", "provincie"),
    "elz": ("wijk", "elz"),
    "district": ("wijk", "district"),
}

BUDGET_NOTE = (
    "Budget: de formule van de pagina Budgetverdeling met de instelling van 2021 (totaal € 23.999.998, "
    "Brussel vast € 960.000, 0-24-jarigen met relatieve kansarmoedecorrectie, gewicht "
    f"{fmt.number(allocation.DEFAULT_WEIGHTS['relatief'], 1)}), verdeeld per eenheid en opgeteld per gebied; "
    "voor de Antwerpse postcodes het budget 2021 van Groot Antwerpen (€ 2.837.590)."
)


def unit_budget(
    level: str, params=None, year: int | None = None, indicator: str | None = None
) -> pd.Series | None:
    """Euro per unit of `level` from the budget formula (default: the 2021 setting of the calibration;
    for Antwerp postcodes the 2021 budget of Groot Antwerpen) on the counts of population ``year`` and
    deprivation ``indicator`` (defaults: latest, default). None when the formula
    cannot run on this level; metrics then leave the budget column out.

    Add it to the metrics with `data.with_counts(budget_eur=unit_budget(level))`."""
    if level not in BUDGET_BASE:
        return None
    base, parent = BUDGET_BASE[level]
    table = units.load_table(base, year=year, indicator=indicator)
    if params is None:
        if base == "postcode_antwerpen":
            params = allocation.Params(total=int(calibration.published_2021()[calibration.GROOT_ANTWERPEN]))
        else:
            params = calibration.params_2021()
    result = allocation.allocate(table, params)
    eur = pd.Series(result.units["eur"].to_numpy(dtype=float), index=result.units["code"].astype(str))
    if parent is None:
        return eur
    groups = table.set_index(table["code"].astype(str))[parent].astype(str)
    return eur.groupby(groups.reindex(eur.index)).sum()


def area_resource(
    level: str,
    assignment: Mapping[str, str],
    total: float | None = None,
    resource: str = "vte",
    step: float | None = None,
    floor: float | None = None,
    year: int | None = None,
    indicator: str | None = None,
    **changes,
) -> allocation.Allocation | None:
    """A resource (default FTE) shared by the formula over the areas of an open division on ``level``.

    The formula runs on the level's budget base (municipalities, wijken or postcodes, see
    `BUDGET_BASE`), each base unit in the area of the unit it belongs to, so a minimum per area and the
    rounding to steps work per area. Units without an area take no part. ``total`` defaults to the
    resource's starting amount per area (0,4 VTE) times the number of areas. Other formula parameters go
    in ``changes`` (default: 0-24-jarigen, relative correction, weight 0,2). None when the formula cannot
    run on this level or no unit has an area. Counts of population ``year`` and deprivation ``indicator``
    (defaults: latest, default).
    """
    if level not in BUDGET_BASE:
        return None
    base, parent = BUDGET_BASE[level]
    table = units.load_table(base, year=year, indicator=indicator)
    codes = table["code"].astype(str)
    own = codes if parent is None else table[parent].astype(str)
    area = own.map({str(k): v for k, v in assignment.items() if v not in (None, "")})
    keep = area.notna().to_numpy()
    if not keep.any():
        return None
    scope = table[keep].reset_index(drop=True)
    areas = dict(zip(codes[keep], area[keep], strict=True))
    res = resources.resource(resource)
    size = res.default_step if step is None else step
    if total is None:
        per_area = res.default_per_area if res.default_per_area is not None else size
        total = resources.from_steps(
            resources.to_steps(per_area, size, res=res) * len(set(areas.values())), size
        )
    params = allocation.Params(total=total, resource=resource, step=step, floor=floor, **changes)
    return allocation.allocate(scope, params, areas)
