"""The budget formula per unit of any level, for the budget column of division metrics."""

from __future__ import annotations

import pandas as pd

from geo.budget import allocation, calibration
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
    "Brussel vast € 960.000, 0-24-jarigen met relatieve kansarmoedecorrectie, gewicht 1), verdeeld per "
    "eenheid en opgeteld per gebied."
)


def unit_budget(level: str, params=None) -> pd.Series | None:
    """Euro per unit of `level` from the budget formula (default: the 2021 setting of the calibration;
    for Antwerp postcodes the 2021 budget of Groot Antwerpen). None when the formula
    cannot run on this level; metrics then leave the budget column out.

    Add it to the metrics with `data.with_counts(budget_eur=unit_budget(level))`."""
    if level not in BUDGET_BASE:
        return None
    base, parent = BUDGET_BASE[level]
    table = units.load_table(base)
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
