"""Need-based share against the equal split: what changes per area when a resource follows need.

The equal split gives every area the same part of what the formula distributes (the total minus the
coordination top-slice), in whole steps by largest remainder (ties to the first area in order), so both
columns add up to the same total. Young people (and deprived young people) per unit of the resource are
computed from the counts of each area under both splits.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.budget import resources
from geo.budget.allocation import Allocation, largest_remainder
from geo.errors import UserFacingError


def equal_steps(total_steps: int, k: int) -> np.ndarray:
    """``total_steps`` over ``k`` areas as equal as whole steps allow (the first areas get the spare)."""
    if k <= 0:
        raise UserFacingError("Er zijn geen gebieden om gelijk over te verdelen.")
    return largest_remainder(np.full(k, total_steps / k), int(total_steps))


def compare_equal(alloc: Allocation) -> pd.DataFrame:
    """Per area: equal share, need-based share, difference, and young people per unit under both.

    Columns: ``gebied``, ``n`` (chosen population), ``kansarm_n``, ``kansarmoede_pct``, ``gelijk_stappen``,
    ``behoefte_stappen`` (whole steps), ``gelijk``, ``behoefte``, ``verschil`` (in the resource's unit),
    ``verschil_pct`` (of the equal share), ``n_per_gelijk``, ``n_per_behoefte``, ``kansarm_per_gelijk``,
    ``kansarm_per_behoefte`` (young people per unit of the resource; NaN where the share is 0) and
    ``begrensd`` (held at the minimum or maximum).
    """
    if alloc.areas is None:
        raise UserFacingError("De vergelijking met een gelijke verdeling vraagt een indeling in gebieden.")
    a = alloc.areas
    step = alloc.step
    need = a["eur"].to_numpy(dtype=np.int64)
    equal = equal_steps(int(need.sum()), len(a))
    out = pd.DataFrame(
        {
            "gebied": a["gebied"].to_numpy(),
            "n": a["n"].to_numpy(dtype=float),
            "kansarm_n": a["kansarm_n"].to_numpy(dtype=float),
            "kansarmoede_pct": a["kansarmoede_pct"].to_numpy(dtype=float),
            "gelijk_stappen": equal,
            "behoefte_stappen": need,
        }
    )
    out["gelijk"] = resources.from_steps(out["gelijk_stappen"], step)
    out["behoefte"] = resources.from_steps(out["behoefte_stappen"], step)
    out["verschil"] = resources.from_steps(out["behoefte_stappen"] - out["gelijk_stappen"], step)
    out["verschil_pct"] = 100.0 * (need - equal) / np.where(equal > 0, equal, np.nan)
    for name, col in (("gelijk", "gelijk"), ("behoefte", "behoefte")):
        amount = out[col].where(out[col] > 0)
        out[f"n_per_{name}"] = out["n"] / amount
        out[f"kansarm_per_{name}"] = out["kansarm_n"] / amount
    out["begrensd"] = a["begrensd"].to_numpy() if "begrensd" in a.columns else ""
    return out


def spread_summary(table: pd.DataFrame) -> dict[str, float]:
    """How unequal the load is: largest / smallest young people per unit under both splits. Areas with no
    (known) deprived young people are left out of the deprived ratios (``kansarm_zonder`` counts them)."""

    def ratio(col: str) -> float:
        values = table[col].dropna()
        values = values[values > 0]
        return float(values.max() / values.min()) if len(values) else float("nan")

    return {
        "n_per_gelijk": ratio("n_per_gelijk"),
        "n_per_behoefte": ratio("n_per_behoefte"),
        "kansarm_per_gelijk": ratio("kansarm_per_gelijk"),
        "kansarm_per_behoefte": ratio("kansarm_per_behoefte"),
        "kansarm_zonder": int((table["kansarm_n"].fillna(0) <= 0).sum()) if "kansarm_n" in table else 0,
    }
