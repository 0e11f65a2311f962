"""Accessibility per unit: two-step floating catchment (2SFCA) with a chosen distance decay.

Step 1, per partner ``j``: its capacity ``S_j`` (places, FTE, or 1 when unknown) is shared over the young
people within reach, ``R_j = S_j / sum_k W(d_kj) P_k``. Step 2, per demand point ``i`` (a unit centroid):
``A_i = sum_j W(d_ij) R_j``, the capacity available per young person. ``W`` is the distance decay, 0
beyond the catchment distance ``d0``:

- ``stap``: 1 up to ``d0`` (the classic 2SFCA: everyone in the catchment counts fully);
- ``lineair``: ``1 - d / d0``;
- ``gauss``: ``(exp(-d²/2d0²) - exp(-1/2)) / (1 - exp(-1/2))``, the Gaussian 2SFCA of Dai (2010).

The same ``W`` is used in both steps, so every partner's capacity is handed out exactly once:
``sum_i P_i A_i = sum_j S_j`` over the partners that reach anyone (a test checks it). Per area the
population-weighted mean is that capacity count divided by the young people, aggregated from counts.
Distances come from ``geo.partners.network`` (straight line or along roads).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from geo.partners.network import Distances, StraightLine

#: Distance decays: key -> Dutch description (shown on the page and written in exports).
DECAYS: dict[str, str] = {
    "stap": "geen afname: iedereen binnen de afstand telt volledig (klassieke 2SFCA)",
    "lineair": "lineair afnemend, van 1 bij de partner tot 0 op de afstand",
    "gauss": "Gaussisch afnemend (Dai 2010), 0 op de afstand",
}

#: Accessibility is shown per this many young people.
PER = 1000

#: Weighted quantiles reported per area: column -> fraction of the young people at or below the value.
QUANTILES: dict[str, float] = {"p10": 0.10, "p25": 0.25, "mediaan": 0.50, "p75": 0.75, "p90": 0.90}

_G = np.exp(-0.5)


def decay(distance: np.ndarray, d0: float, kind: str = "stap") -> np.ndarray:
    """Weight ``W(d)`` in [0, 1] for distances ``d`` (0 beyond ``d0``)."""
    d = np.asarray(distance, dtype=float)
    if d0 <= 0:
        return np.where(d <= 0, 1.0, 0.0)
    inside = d <= d0
    if kind == "stap":
        w = np.ones_like(d)
    elif kind == "lineair":
        w = 1.0 - d / d0
    elif kind == "gauss":
        w = (np.exp(-0.5 * (d / d0) ** 2) - _G) / (1.0 - _G)
    else:
        raise ValueError(f"unknown decay '{kind}' (choose from {', '.join(DECAYS)})")
    return np.where(inside, np.clip(w, 0.0, 1.0), 0.0)


@dataclass(frozen=True)
class Access:
    """2SFCA result for one set of partners.

    ``access``: per demand point, capacity per young person (``A_i``). ``ratio``: per partner, ``R_j``.
    ``reached``: per partner, the decay-weighted young people in its catchment. ``unused``: capacity of
    partners that reach nobody (it counts nowhere).
    """

    access: np.ndarray
    ratio: np.ndarray
    reached: np.ndarray
    capacity: np.ndarray
    unused: float


def two_step_fca(
    population: np.ndarray, capacity: np.ndarray, within: sparse.csr_matrix, d0: float, kind: str = "stap"
) -> Access:
    """2SFCA from a ``partners x demand`` sparse distance matrix (``within`` up to ``d0``)."""
    population = np.nan_to_num(np.asarray(population, dtype=float))
    capacity = np.nan_to_num(np.asarray(capacity, dtype=float))
    if (population < 0).any() or (capacity < 0).any():
        raise ValueError("population and capacity must be >= 0")
    within = sparse.csr_matrix(within)
    if within.shape != (len(capacity), len(population)):
        raise ValueError(f"within has shape {within.shape}, expected {(len(capacity), len(population))}")
    w = sparse.csr_matrix((decay(within.data, d0, kind), within.indices, within.indptr), shape=within.shape)
    reached = w @ population
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(reached > 0, capacity / reached, 0.0)
    access = w.T @ ratio
    return Access(
        access=np.asarray(access, dtype=float),
        ratio=ratio,
        reached=np.asarray(reached, dtype=float),
        capacity=capacity,
        unused=float(capacity[reached <= 0].sum()),
    )


def access_by_type(
    demand_xy: np.ndarray,
    population: np.ndarray,
    partner_xy: np.ndarray,
    partner_type: Sequence[str],
    capacity: np.ndarray,
    d0: float,
    kind: str = "stap",
    types: Sequence[str] | None = None,
    distances: Distances | None = None,
) -> dict[str, Access]:
    """One 2SFCA per partner type; the distance matrix is computed once for all partners."""
    partner_type = np.asarray(partner_type, dtype=object)
    capacity = np.asarray(capacity, dtype=float)
    types = list(types) if types is not None else sorted(set(partner_type))
    distances = distances or StraightLine()
    within = distances.within(partner_xy, demand_xy, d0)
    return {
        t: two_step_fca(population, capacity[partner_type == t], within[partner_type == t], d0, kind)
        for t in types
    }


def weighted_quantiles(
    values: np.ndarray, weights: np.ndarray, groups: np.ndarray, n_groups: int, qs
) -> np.ndarray:
    """Per group, the lower weighted quantiles: the smallest value with at least a share ``q`` of the group's
    weight at or below it. Returns ``n_groups x len(qs)`` (NaN for groups without weight)."""
    qs = np.asarray(list(qs), dtype=float)
    out = np.full((n_groups, len(qs)), np.nan)
    keep = (groups >= 0) & (weights > 0)
    g, v, w = groups[keep], values[keep], weights[keep]
    if len(g) == 0:
        return out
    order = np.lexsort((v, g))
    g, v, w = g[order], v[order], w[order]
    cum = np.cumsum(w)
    starts = np.searchsorted(g, np.arange(n_groups), side="left")
    ends = np.searchsorted(g, np.arange(n_groups), side="right")
    has = ends > starts
    before = np.where(starts > 0, cum[np.maximum(starts - 1, 0)], 0.0)
    total = np.where(has, cum[np.maximum(ends - 1, 0)] - before, 0.0)
    for k, q in enumerate(qs):
        if q <= 0 or q >= 1:  # the extremes: first or last value of the group
            out[has, k] = v[(starts if q <= 0 else ends - 1)[has]]
            continue
        target = before + q * total
        # tolerance: a quantile exactly on a cumulative step belongs to that step
        pos = np.searchsorted(cum, target - 1e-9 * np.maximum(total, 1.0), side="left")
        pos = np.clip(pos, starts, np.maximum(ends - 1, starts))
        out[has, k] = v[pos[has]]
    return out


def access_by_area(
    results: Mapping[str, Access],
    population: np.ndarray,
    area: np.ndarray,
    threshold: float | Mapping[str, float],
    counted: np.ndarray | None = None,
    partner_count: Mapping[str, Mapping[str, int]] | None = None,
    total: str | None = None,
) -> pd.DataFrame:
    """Per area and type: the accessibility distribution and who falls below ``threshold``.

    ``threshold`` is in capacity per ``PER`` young people (one value, or one per type). ``counted`` are
    the weights counted below the threshold (young people, optionally deprivation-weighted; default
    ``population``). Columns:
    ``gebied``, ``type``, ``partners`` (in the area, when ``partner_count`` is given), ``jongeren``,
    ``capaciteit_bereikt`` (capacity share that reaches the area's young people: ``sum P_i A_i``),
    ``toegang`` (= ``PER * capaciteit_bereikt / jongeren``), the weighted quantiles ``min``, ``p10`` ..
    ``p90``, ``max`` (per ``PER``), ``geteld`` (counted weight), ``onder_drempel`` and
    ``aandeel_onder`` (of the counted weight), ``zonder_toegang`` (counted weight with no partner in reach).
    With ``total`` (a label such as "Totaal") one more row per type covers all areas together, computed
    from the units themselves (quantiles cannot be summed).
    """
    population = np.nan_to_num(np.asarray(population, dtype=float))
    counted = population if counted is None else np.nan_to_num(np.asarray(counted, dtype=float))
    area = np.asarray(area, dtype=object)
    areas = sorted({a for a in area if a})
    index = {a: i for i, a in enumerate(areas)}
    labels = np.fromiter((index.get(a, -1) for a in area), dtype=np.int64, count=len(area))
    if total is not None:
        # every unit inside an area also counts in the total row (the last group)
        labels = np.concatenate([labels, np.where(labels >= 0, len(areas), -1)])
        population, counted = np.tile(population, 2), np.tile(counted, 2)
        counts = {t: {**c, total: sum(c.values())} for t, c in (partner_count or {}).items()}
        partner_count = counts
        areas = [*areas, total]
    inside = labels >= 0
    n = len(areas)
    lab = labels[inside]
    young = np.bincount(lab, weights=population[inside], minlength=n)
    weight = np.bincount(lab, weights=counted[inside], minlength=n)
    frames = []
    for t, res in results.items():
        access = np.tile(res.access, 2) if total is not None else res.access
        a = access * PER
        limit = float(threshold[t]) if isinstance(threshold, Mapping) else float(threshold)
        below = a < limit
        none = access <= 0
        cap = np.bincount(lab, weights=(population * access)[inside], minlength=n)
        quant = weighted_quantiles(a, population, labels, n, [0.0, *QUANTILES.values(), 1.0])
        frame = pd.DataFrame(
            {
                "gebied": areas,
                "type": t,
                "partners": [int((partner_count or {}).get(t, {}).get(x, 0)) for x in areas],
                "jongeren": young,
                "capaciteit_bereikt": cap,
            }
        )
        with np.errstate(invalid="ignore", divide="ignore"):
            frame["toegang"] = np.where(young > 0, PER * cap / young, np.nan)
        for k, col in enumerate(["min", *QUANTILES, "max"]):
            frame[col] = quant[:, k]
        frame["drempel"] = limit
        frame["geteld"] = weight
        frame["onder_drempel"] = np.bincount(lab, weights=(counted * below)[inside], minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            frame["aandeel_onder"] = np.where(weight > 0, frame["onder_drempel"] / weight, np.nan)
        frame["zonder_toegang"] = np.bincount(lab, weights=(counted * none)[inside], minlength=n)
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=ACCESS_COLUMNS)
    return pd.concat(frames, ignore_index=True)[ACCESS_COLUMNS]


ACCESS_COLUMNS = [
    "gebied",
    "type",
    "partners",
    "jongeren",
    "capaciteit_bereikt",
    "toegang",
    "min",
    *QUANTILES,
    "max",
    "drempel",
    "geteld",
    "onder_drempel",
    "aandeel_onder",
    "zonder_toegang",
]


def unit_access(
    results: Mapping[str, Access], codes: Sequence[str], area: np.ndarray, population, counted=None
) -> pd.DataFrame:
    """One row per unit: ``code``, ``gebied``, ``jongeren``, ``geteld`` and one ``toegang_<type>`` column per
    type (per ``PER`` young people)."""
    population = np.nan_to_num(np.asarray(population, dtype=float))
    frame = pd.DataFrame(
        {
            "code": np.asarray(codes, dtype=object),
            "gebied": np.asarray(area, dtype=object),
            "jongeren": population,
            "geteld": population if counted is None else np.asarray(counted, dtype=float),
        }
    )
    for t, res in results.items():
        frame[f"toegang_{t}"] = res.access * PER
    return frame
