"""Reproducible example caseload ("voorbeelddata"): no real caseload is public, so demos and tests use this.

Expected registrations per unit and month = under-25s x base rate x (1 + deprivation_factor x share of
deprived under-25s) x (1 + monthly growth)^month; the count is a Poisson draw around it (seeded). Each
registration goes to a referrer type and, with probability ``transfer_share``, is handled in the nearest
other area (by centroid). Every row carries ``bron = EXAMPLE_LABEL``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from geo.caseload.cases import CASE_COLUMNS, DEFAULT_REFERRERS, EXAMPLE_LABEL


def example_caseload(
    units: pd.DataFrame,
    unit_to_area: Mapping[str, str] | None = None,
    start: str = "2024-01",
    months: int = 12,
    rate_per_1000_per_year: float = 20.0,
    deprivation_factor: float = 1.5,
    monthly_growth: float = 0.01,
    transfer_share: float = 0.08,
    referrers: Mapping[str, float] | None = DEFAULT_REFERRERS,
    seed: int = 1,
) -> pd.DataFrame:
    """Example registrations for the units of ``units`` (``code``, ``pop_0_24``, optional ``kansarmoede_n``,
    ``x``, ``y``). Returns the caseload columns (``CASE_COLUMNS``) plus ``bron``; rows with a
    zero count are left out. Same arguments, same table.
    """
    if months < 1:
        raise ValueError("months must be >= 1")
    rng = np.random.default_rng(seed)
    codes = units["code"].astype(str).to_numpy()
    pop = np.nan_to_num(units["pop_0_24"].to_numpy(dtype=float))
    deprived = (
        np.nan_to_num(units["kansarmoede_n"].to_numpy(dtype=float)) if "kansarmoede_n" in units else 0 * pop
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(pop > 0, deprived / pop, 0.0)
    base = pop * rate_per_1000_per_year / 1000 / 12 * (1 + deprivation_factor * share)
    month_list = [str(p) for p in pd.period_range(start, periods=months, freq="M")]
    growth = (1 + monthly_growth) ** np.arange(months)
    lam = base[:, None] * growth[None, :]  # units x months
    counts = rng.poisson(lam)

    names = list(referrers) if referrers else [""]
    probs = np.array([referrers[n] for n in names], dtype=float) if referrers else np.ones(1)
    probs = probs / probs.sum()
    mapping = unit_to_area or {}
    home = np.array([mapping.get(c) or "" for c in codes], dtype=object)
    other = _nearest_other_area(units, home)

    # units x months x referrers, then split each cell into handled-at-home and transferred
    by_ref = rng.multinomial(counts.reshape(-1), probs).reshape(len(codes), months, len(names))
    can_move = (other != "")[:, None, None]
    moved = np.where(can_move, rng.binomial(by_ref, transfer_share), 0)
    stay = by_ref - moved
    ui, mj, rk = np.indices(by_ref.shape)
    parts = []
    for amount, handler in ((stay, np.full(len(codes), "", dtype=object)), (moved, other)):
        keep = amount > 0
        parts.append(
            pd.DataFrame(
                {
                    "eenheid": codes[ui[keep]],
                    "maand": np.asarray(month_list, dtype=object)[mj[keep]],
                    "verwijzer": np.asarray(names, dtype=object)[rk[keep]],
                    "behandelend_gebied": handler[ui[keep]],
                    "aanmeldingen": amount[keep],
                    "_order": np.ravel_multi_index((ui[keep], mj[keep], rk[keep]), by_ref.shape),
                }
            )
        )
    out = pd.concat(parts, ignore_index=True).sort_values(["_order", "behandelend_gebied"], kind="stable")
    out = out.drop(columns="_order").reset_index(drop=True)[list(CASE_COLUMNS)]
    out["aanmeldingen"] = out["aanmeldingen"].astype(int)
    out["bron"] = EXAMPLE_LABEL
    return out


def _nearest_other_area(units: pd.DataFrame, home: np.ndarray) -> np.ndarray:
    """For each unit, the area (other than its own) whose centroid of units is closest; "" if none."""
    out = np.full(len(home), "", dtype=object)
    if not {"x", "y"} <= set(units.columns):
        return out
    labels = sorted({a for a in home if a})
    if len(labels) < 2:
        return out
    xy = units[["x", "y"]].to_numpy(dtype=float)
    centres = np.array([xy[home == a].mean(axis=0) for a in labels])
    for i, a in enumerate(home):
        if not a:
            continue
        d = np.hypot(*(centres - xy[i]).T)
        d[labels.index(a)] = np.inf
        out[i] = labels[int(np.argmin(d))]
    return out


def example_capacity(
    units: pd.DataFrame,
    unit_to_area: Mapping[str, str],
    fte_per_10000: float = 2.0,
    spread: float = 0.25,
    seed: int = 1,
) -> dict[str, float]:
    """Example FTE per area: ``fte_per_10000`` per 10,000 under-25s, varied by up to +/- ``spread``,
    rounded to 0.1 (at least 0.1). Labelled as example data wherever it is shown.
    """
    rng = np.random.default_rng(seed)
    pop = dict(zip(units["code"].astype(str), np.nan_to_num(units["pop_0_24"].to_numpy(float)), strict=True))
    totals: dict[str, float] = {}
    for unit, area in unit_to_area.items():
        if area:
            totals[area] = totals.get(area, 0.0) + pop.get(unit, 0.0)
    out = {}
    for area in sorted(totals):
        factor = 1 + rng.uniform(-spread, spread)
        out[area] = max(0.1, round(float(totals[area] / 10_000 * fte_per_10000 * factor), 1))
    return out
