"""Where to add partners: greedy maximal covering location (MCLP) with existing partners fixed.

Demand points carry weights (under-25s, optionally deprivation-weighted); a demand point is covered when a
partner or a chosen site lies within ``distance_m``. Each step picks the candidate site (e.g. a wijk
centre) that covers the most weight not covered yet. Coverage can only grow: a pick adds its gain (>= 0),
and the search stops early when no candidate adds anything. Greedy MCLP is within a factor 1 - 1/e of the
optimum; for planning conversations that is ample, and every step is explainable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.spatial import cKDTree

from geo.partners.coverage import covered


@dataclass(frozen=True)
class CoverPlan:
    """Result of ``greedy_max_cover``.

    ``picks``: one row per chosen site in order: ``stap``, ``code``, ``x``, ``y``, ``winst`` (weight newly
    covered), ``gedekt_na`` (covered weight after the pick), ``aandeel_na`` (0..1).
    ``covered_before``/``covered_after``: boolean per demand point. ``stopped_early``: fewer than n picks
    because no candidate added coverage.
    """

    picks: pd.DataFrame
    total_weight: float
    weight_before: float
    covered_before: np.ndarray
    covered_after: np.ndarray
    requested: int

    @property
    def weight_after(self) -> float:
        return float(self.picks["gedekt_na"].iloc[-1]) if len(self.picks) else self.weight_before

    @property
    def share_before(self) -> float:
        return self.weight_before / self.total_weight if self.total_weight > 0 else float("nan")

    @property
    def share_after(self) -> float:
        return self.weight_after / self.total_weight if self.total_weight > 0 else float("nan")

    @property
    def stopped_early(self) -> bool:
        return len(self.picks) < self.requested


def coverage_matrix(demand_xy: np.ndarray, candidate_xy: np.ndarray, distance_m: float) -> sparse.csr_matrix:
    """Sparse candidates x demand matrix, 1 where the candidate lies within ``distance_m`` (inclusive)."""
    demand_xy = np.asarray(demand_xy, dtype=float).reshape(-1, 2)
    candidate_xy = np.asarray(candidate_xy, dtype=float).reshape(-1, 2)
    if len(demand_xy) == 0 or len(candidate_xy) == 0:
        return sparse.csr_matrix((len(candidate_xy), len(demand_xy)))
    hits = cKDTree(demand_xy).query_ball_point(candidate_xy, r=distance_m)
    indptr = np.zeros(len(candidate_xy) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(h) for h in hits])
    indices = np.fromiter((j for h in hits for j in h), dtype=np.int64, count=int(indptr[-1]))
    data = np.ones(len(indices), dtype=float)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(candidate_xy), len(demand_xy)))


def greedy_max_cover(
    demand_xy: np.ndarray,
    weights: np.ndarray,
    candidate_xy: np.ndarray,
    candidate_codes: Sequence[str],
    existing_xy: np.ndarray,
    distance_m: float,
    n: int,
) -> CoverPlan:
    """Choose up to ``n`` candidate sites covering the most not-yet-covered weight, one at a time.

    ``existing_xy`` are the partners already there (fixed). Ties go to the candidate listed first. A site
    is never picked twice (its second pick would add nothing).
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    demand_xy = np.asarray(demand_xy, dtype=float).reshape(-1, 2)
    candidate_xy = np.asarray(candidate_xy, dtype=float).reshape(-1, 2)
    weights = np.nan_to_num(np.asarray(weights, dtype=float))
    if (weights < 0).any():
        raise ValueError("weights must be >= 0")
    codes = np.asarray(candidate_codes, dtype=object)
    before = covered(demand_xy, existing_xy, distance_m)
    total = float(weights.sum())
    done = before.copy()
    current = float(weights[done].sum())
    matrix = coverage_matrix(demand_xy, candidate_xy, distance_m)
    rows = []
    for step in range(1, n + 1):
        residual = np.where(done, 0.0, weights)
        gains = matrix @ residual
        if len(gains) == 0:
            break
        best = int(np.argmax(gains))
        gain = float(gains[best])
        if gain <= 0:
            break
        newly = matrix.indices[matrix.indptr[best] : matrix.indptr[best + 1]]
        done[newly] = True
        current = float(weights[done].sum())
        rows.append(
            {
                "stap": step,
                "code": codes[best],
                "x": candidate_xy[best, 0],
                "y": candidate_xy[best, 1],
                "winst": gain,
                "gedekt_na": current,
                "aandeel_na": current / total if total > 0 else np.nan,
            }
        )
    picks = pd.DataFrame(rows, columns=["stap", "code", "x", "y", "winst", "gedekt_na", "aandeel_na"])
    return CoverPlan(
        picks=picks,
        total_weight=total,
        weight_before=float(weights[before].sum()),
        covered_before=before,
        covered_after=done,
        requested=n,
    )
