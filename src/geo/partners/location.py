"""Where to add partners: maximal covering location (MCLP) of ``n`` new sites, greedy and exact.

A demand point (a unit centroid with a weight: under-25s, optionally deprivation-weighted) is covered when
an existing partner or a chosen site lies within the distance (straight line or along roads, see
``geo.partners.network``). Existing partners, and candidate sites marked fixed, always stay: what they
cover counts before anything is chosen. The question is which ``n`` candidates (wijk centres or sites from
a file) cover the most weight that is not covered yet.

- ``solve_greedy``: each step takes the candidate that adds most; fast, explainable, the preview. Within a
  factor 1 - 1/e of the optimum in theory, 1-4 % below it on Flemish wijken in practice.
- ``solve_exact``: the same question as a mixed-integer programme solved by HiGHS (``scipy.optimize.milp``)
  to proven optimality, or, with a time limit, the best plan found with its remaining gap (never worse
  than the greedy plan: when the solver has nothing better, the greedy plan is returned with the solver's
  bound).

Optional capacity per candidate site (``capacity``, in the unit of ``load``, by default young people): a
site then serves at most that many of the demand within its reach, demand may be split over several
sites, and "covered" becomes "served". Existing partners keep serving everyone within reach (no capacity).

The exact model is reduced before it is solved, which does not change its optimum: demand already covered
or out of every candidate's reach leaves the model; demand points reached by the same candidates merge;
demand reached by one candidate only becomes that candidate's own value; candidates reaching nothing new,
duplicates, and candidates whose reach is contained in another's (and have no demand of their own) go.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from geo.partners.network import Distances, StraightLine

PICK_COLUMNS = ["stap", "code", "x", "y", "capaciteit", "bediend", "winst", "gedekt_na", "aandeel_na"]

#: Plan status -> Dutch label.
STATUS_LABELS = {
    "optimaal": "bewezen optimaal",
    "tijdslimiet": "beste gevonden binnen de tijdslimiet",
    "heuristiek": "snelle benadering (gretig)",
}
#: Coverage of a demand unit after a plan (map legend).
STATUS_COVERED, STATUS_EXTRA, STATUS_NOT = "gedekt", "extra gedekt", "niet gedekt"


# ---------------------------------------------------------------------------------------------- problem
@dataclass(frozen=True)
class SiteProblem:
    """The data of one location question.

    ``reach``: candidates x demand (CSR, distances as data, pattern = within reach). ``before``: per demand
    point the share already served by existing partners (0 or 1). ``fixed``: candidates that must be chosen
    (not counted in ``n``). ``capacity``: per candidate (``inf`` = unlimited). ``load``: what a demand point
    takes of a site's capacity (default its weight).
    """

    weights: np.ndarray
    load: np.ndarray
    reach: sparse.csr_matrix
    before: np.ndarray
    codes: np.ndarray
    xy: np.ndarray
    fixed: np.ndarray
    capacity: np.ndarray
    n: int
    distance_m: float
    distance_label: str

    @property
    def capacitated(self) -> bool:
        return bool(np.isfinite(self.capacity).any())

    @property
    def total_weight(self) -> float:
        return float(self.weights.sum())


def site_problem(
    demand_xy: np.ndarray,
    weights: np.ndarray,
    candidate_xy: np.ndarray,
    candidate_codes: Sequence[str],
    existing_xy: np.ndarray,
    distance_m: float,
    n: int,
    capacity: np.ndarray | None = None,
    fixed: np.ndarray | None = None,
    load: np.ndarray | None = None,
    distances: Distances | None = None,
) -> SiteProblem:
    """Build a ``SiteProblem``; distances straight-line unless a road network is given."""
    if n < 0:
        raise ValueError("n must be >= 0")
    if distance_m < 0:
        raise ValueError("distance_m must be >= 0")
    demand_xy = np.asarray(demand_xy, dtype=float).reshape(-1, 2)
    candidate_xy = np.asarray(candidate_xy, dtype=float).reshape(-1, 2)
    existing_xy = np.asarray(existing_xy, dtype=float).reshape(-1, 2)
    existing_xy = existing_xy[np.isfinite(existing_xy).all(axis=1)]
    weights = np.nan_to_num(np.asarray(weights, dtype=float))
    if (weights < 0).any():
        raise ValueError("weights must be >= 0")
    load = weights if load is None else np.nan_to_num(np.asarray(load, dtype=float))
    if (load < 0).any():
        raise ValueError("load must be >= 0")
    k = len(candidate_xy)
    capacity = np.full(k, np.inf) if capacity is None else np.asarray(capacity, dtype=float).copy()
    capacity[np.isnan(capacity)] = np.inf
    if (capacity < 0).any():
        raise ValueError("capacity must be >= 0")
    fixed = np.zeros(k, dtype=bool) if fixed is None else np.asarray(fixed, dtype=bool)
    distances = distances or StraightLine()
    reach = distances.within(candidate_xy, demand_xy, distance_m)
    before = np.zeros(len(demand_xy))
    if len(existing_xy):
        hit = distances.within(existing_xy, demand_xy, distance_m)
        before[np.unique(hit.indices)] = 1.0
    return SiteProblem(
        weights=weights,
        load=load,
        reach=reach,
        before=before,
        codes=np.asarray(candidate_codes, dtype=object),
        xy=candidate_xy,
        fixed=fixed,
        capacity=capacity,
        n=int(n),
        distance_m=float(distance_m),
        distance_label=distances.describe(),
    )


# ---------------------------------------------------------------------------------------------- plan
@dataclass(frozen=True)
class SitePlan:
    """Chosen sites and what they serve.

    ``chosen``: candidate indices (fixed ones first, then the new picks in step order). ``served``: per
    demand point the share served after the plan (before: ``served_before``). ``site_load``: per candidate
    the load it serves (0 when not chosen; without capacities a point within reach of several sites
    counts for the first in step order).
    ``bound``: an upper bound on the weight that any plan can serve (equal to ``weight_after`` when the
    plan is proven optimal; NaN for a greedy plan alone). ``picks``: one row per new site in step order
    (columns ``PICK_COLUMNS``).
    """

    method: str
    status: str
    picks: pd.DataFrame
    chosen: np.ndarray
    served_before: np.ndarray
    served: np.ndarray
    site_load: np.ndarray
    total_weight: float
    weight_before: float
    weight_after: float
    bound: float
    requested: int
    seconds: float
    model_size: dict = field(default_factory=dict)

    # the names the pages and CLI use
    @property
    def covered_before(self) -> np.ndarray:
        return self.served_before >= 1 - 1e-9

    @property
    def covered_after(self) -> np.ndarray:
        return self.served >= 1 - 1e-9

    @property
    def share_before(self) -> float:
        return self.weight_before / self.total_weight if self.total_weight > 0 else float("nan")

    @property
    def share_after(self) -> float:
        return self.weight_after / self.total_weight if self.total_weight > 0 else float("nan")

    @property
    def gain(self) -> float:
        return self.weight_after - self.weight_before

    @property
    def stopped_early(self) -> bool:
        return len(self.picks) < self.requested

    @property
    def gap(self) -> float:
        """What at most remains to be won, as a share of the best possible gain (0 = proven optimal)."""
        if not np.isfinite(self.bound):
            return float("nan")
        best_gain = self.bound - self.weight_before
        if best_gain <= 1e-9:
            return 0.0
        return max(0.0, (self.bound - self.weight_after) / best_gain)


def plan_gap(greedy: SitePlan, exact: SitePlan) -> dict[str, float]:
    """Greedy versus exact: the weight the greedy plan leaves on the table, absolute and as a share of the
    exact plan's gain, and the exact plan's own remaining gap."""
    missed = exact.weight_after - greedy.weight_after
    if abs(missed) <= 1e-6 * max(1.0, abs(exact.gain)):  # the same plan up to the solver's rounding
        missed = 0.0
    return {
        "gretig_extra": greedy.gain,
        "exact_extra": exact.gain,
        "verschil": missed,
        "verschil_aandeel": missed / exact.gain if exact.gain > 1e-9 else 0.0,
        "exact_kloof": exact.gap,
    }


def _served_weight(problem: SiteProblem, served: np.ndarray) -> float:
    return float((problem.weights * served).sum())


def _pattern(reach: sparse.csr_matrix) -> sparse.csr_matrix:
    return sparse.csr_matrix((np.ones_like(reach.data), reach.indices, reach.indptr), shape=reach.shape)


def _assign_fill(problem: SiteProblem, residual_share: np.ndarray, j: int) -> tuple[np.ndarray, np.ndarray]:
    """What candidate ``j`` takes of the residual demand: the best value per unit of load first (then the
    nearest), up to its capacity. Returns (demand indices, share taken of each)."""
    lo, hi = problem.reach.indptr[j], problem.reach.indptr[j + 1]
    idx = problem.reach.indices[lo:hi]
    share = residual_share[idx]
    cap = problem.capacity[j]
    if not np.isfinite(cap):
        return idx, share
    unit_load = problem.load[idx]
    load = unit_load * share
    ratio = np.where(unit_load > 0, problem.weights[idx] / np.maximum(unit_load, 1e-300), np.inf)
    order = np.lexsort((problem.reach.data[lo:hi], -ratio))
    taken = np.zeros(len(idx))
    left = cap
    for p in order:
        if share[p] <= 0:
            continue
        if load[p] <= left:
            taken[p] = share[p]
            left -= load[p]
        else:
            taken[p] = share[p] * left / load[p]
            break
    return idx, taken


def _gains(problem: SiteProblem, residual_share: np.ndarray) -> np.ndarray:
    """Weight each candidate would add now (capacity-aware, vectorised)."""
    reach = problem.reach
    value = problem.weights * residual_share
    if not problem.capacitated:
        return np.asarray(_pattern(reach) @ value).ravel()
    # Fractional knapsack per candidate over its reach, best value per unit of load first.
    k = reach.shape[0]
    counts = np.diff(reach.indptr)
    rows = np.repeat(np.arange(k), counts)
    cols = reach.indices
    unit_load = problem.load[cols]
    ratio = np.where(unit_load > 0, problem.weights[cols] / np.maximum(unit_load, 1e-300), np.inf)
    order = np.lexsort((reach.data, -ratio, rows))
    rows, cols = rows[order], cols[order]
    v = value[cols]
    c = (problem.load * residual_share)[cols]
    cum = np.cumsum(c)
    start = np.repeat(np.concatenate([[0.0], cum])[reach.indptr[:-1]], counts)
    used = cum - c - start  # load taken by the better pairs of the same candidate
    cap = problem.capacity[rows]
    room = cap - used
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(c > 0, np.clip(room / c, 0.0, 1.0), (room >= 0).astype(float))
    frac = np.where(np.isinf(cap), 1.0, frac)
    return np.bincount(rows, weights=v * frac, minlength=k)


def _lp_serve(problem: SiteProblem, sites: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Best assignment of the residual demand to the open ``sites`` (capacities respected), as a linear
    programme: (served share per demand point, load served per candidate)."""
    served = problem.before.copy()
    site_load = np.zeros(len(problem.codes))
    sites = np.asarray(sites, dtype=np.int64)
    unlimited = sites[~np.isfinite(problem.capacity[sites])]
    limited = sites[np.isfinite(problem.capacity[sites])]
    for j in unlimited:  # no capacity: everyone in reach, the first listed gets the load
        idx = problem.reach.indices[problem.reach.indptr[j] : problem.reach.indptr[j + 1]]
        site_load[j] += float((problem.load[idx] * (1.0 - served[idx])).sum())
        served[idx] = 1.0
    if len(limited) == 0:
        return served, site_load
    sub = problem.reach[limited]
    rows = np.repeat(np.arange(len(limited)), np.diff(sub.indptr))
    cols = sub.indices
    open_ = served[cols] < 1 - 1e-12
    rows, cols = rows[open_], cols[open_]
    if len(rows) == 0:
        return served, site_load
    dem, di = np.unique(cols, return_inverse=True)
    ne = len(rows)
    e = np.arange(ne)
    a_dem = sparse.csr_matrix((np.ones(ne), (di, e)), shape=(len(dem), ne))
    a_cap = sparse.csr_matrix((problem.load[cols], (rows, e)), shape=(len(limited), ne))
    res = milp(
        -problem.weights[cols],
        constraints=[
            LinearConstraint(a_dem, -np.inf, 1.0 - served[dem]),
            LinearConstraint(a_cap, -np.inf, problem.capacity[limited]),
        ],
        bounds=Bounds(0, 1),
    )
    z = np.clip(res.x, 0.0, 1.0) if res.x is not None else np.zeros(ne)
    np.add.at(served, cols, z)
    np.add.at(site_load, limited[rows], problem.load[cols] * z)
    return np.minimum(served, 1.0), site_load


def _picks_frame(
    problem: SiteProblem, steps: list[tuple[int, float, float]], site_load: np.ndarray
) -> pd.DataFrame:
    total = problem.total_weight
    rows = [
        {
            "stap": s,
            "code": problem.codes[j],
            "x": problem.xy[j, 0],
            "y": problem.xy[j, 1],
            "capaciteit": problem.capacity[j] if np.isfinite(problem.capacity[j]) else np.nan,
            "bediend": site_load[j],
            "winst": gain,
            "gedekt_na": after,
            "aandeel_na": after / total if total > 0 else np.nan,
        }
        for s, (j, gain, after) in enumerate(steps, start=1)
    ]
    return pd.DataFrame(rows, columns=PICK_COLUMNS)


def _apply_fixed(problem: SiteProblem) -> tuple[np.ndarray, np.ndarray]:
    """Served shares and load per site after the existing partners and the fixed candidates."""
    return _lp_serve(problem, np.flatnonzero(problem.fixed))


# ---------------------------------------------------------------------------------------------- greedy
def solve_greedy(problem: SiteProblem) -> SitePlan:
    """Up to ``n`` picks, each adding the most weight not served yet; stops when nothing adds anything.

    Ties go to the candidate listed first. A pick never lowers coverage; a capacitated site takes the
    demand with the best weight per unit of load first, then the nearest.
    """
    t0 = time.perf_counter()
    before, site_load = _apply_fixed(problem)
    served = before.copy()
    available = ~problem.fixed
    steps = []
    current = _served_weight(problem, served)
    for _ in range(problem.n):
        if not available.any():
            break
        gains = np.where(available, _gains(problem, 1.0 - served), -1.0)
        j = int(np.argmax(gains))
        if gains[j] <= 1e-9:
            break
        idx, taken = _assign_fill(problem, 1.0 - served, j)
        served[idx] = np.minimum(served[idx] + taken, 1.0)
        site_load[j] += float((problem.load[idx] * taken).sum())
        available[j] = False
        after = _served_weight(problem, served)
        steps.append((j, after - current, after))
        current = after
    return _plan(problem, "gretig", "heuristiek", steps, before, served, site_load, float("nan"), t0, {})


def greedy_max_cover(
    demand_xy: np.ndarray,
    weights: np.ndarray,
    candidate_xy: np.ndarray,
    candidate_codes: Sequence[str],
    existing_xy: np.ndarray,
    distance_m: float,
    n: int,
) -> SitePlan:
    """Greedy plan for straight-line coverage without capacities (the fast preview)."""
    return solve_greedy(
        site_problem(demand_xy, weights, candidate_xy, candidate_codes, existing_xy, distance_m, n)
    )


def coverage_matrix(demand_xy: np.ndarray, candidate_xy: np.ndarray, distance_m: float) -> sparse.csr_matrix:
    """Sparse candidates x demand matrix, 1 where the candidate lies within ``distance_m`` (inclusive)."""
    return _pattern(StraightLine().within(candidate_xy, demand_xy, distance_m))


def _plan(problem, method, status, steps, before, served, site_load, bound, t0, size) -> SitePlan:
    chosen = np.array([*np.flatnonzero(problem.fixed), *(j for j, _, _ in steps)], dtype=np.int64)
    weight = _served_weight(problem, served)
    return SitePlan(
        method=method,
        status=status,
        picks=_picks_frame(problem, steps, site_load),
        chosen=chosen,
        served_before=before,
        served=served,
        site_load=site_load,
        total_weight=problem.total_weight,
        weight_before=_served_weight(problem, before),
        weight_after=weight,
        bound=weight if status == "optimaal" else bound,
        requested=problem.n,
        seconds=time.perf_counter() - t0,
        model_size=size,
    )


# ---------------------------------------------------------------------------------------------- exact
@dataclass(frozen=True)
class _Reduced:
    """The uncapacitated model after reduction: candidates ``cand`` (original indices), their own value
    ``own`` (open demand no other candidate reaches) and shared demand groups (``groups``: candidates x
    groups, 0/1; ``group_weight``)."""

    cand: np.ndarray
    own: np.ndarray
    groups: sparse.csr_matrix
    group_weight: np.ndarray
    open_demand: int


def _reduce(problem: SiteProblem, before: np.ndarray) -> _Reduced:
    open_ids = np.flatnonzero((before < 1 - 1e-12) & (problem.weights > 0))
    cand_ids = np.flatnonzero(~problem.fixed)
    sub = _pattern(problem.reach)[cand_ids][:, open_ids].tocsc()  # candidates x open demand
    sub.sort_indices()
    weights = problem.weights[open_ids] * (1.0 - before[open_ids])
    reached_by = np.diff(sub.indptr)
    own = np.zeros(len(cand_ids))
    single = reached_by == 1
    np.add.at(own, sub.indices[sub.indptr[:-1][single]], weights[single])
    # Demand reached by the same two or more candidates forms one group.
    groups: dict[bytes, int] = {}
    group_weight: list[float] = []
    for d in np.flatnonzero(reached_by > 1):
        key = sub.indices[sub.indptr[d] : sub.indptr[d + 1]].tobytes()
        g = groups.setdefault(key, len(groups))
        if g == len(group_weight):
            group_weight.append(0.0)
        group_weight[g] += weights[d]
    r = [np.frombuffer(key, dtype=sub.indices.dtype) for key in groups]
    c = [np.full(len(m), g, dtype=np.int64) for m, g in zip(r, groups.values(), strict=True)]
    r = np.concatenate(r) if r else np.empty(0, dtype=np.int64)
    c = np.concatenate(c) if c else np.empty(0, dtype=np.int64)
    cg = sparse.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(cand_ids), len(groups)))
    sizes = np.diff(cg.indptr)
    useful = (own > 0) | (sizes > 0)
    # Dominated: no own demand, and every group it reaches is reached by one other useful candidate that
    # reaches more, or has own demand, or reaches the same and is listed first. Some optimal plan avoids it.
    dominated = np.zeros(len(cand_ids), dtype=bool)
    plain = np.flatnonzero(useful & (own <= 0))
    if len(plain):
        overlap = (cg[plain] @ cg.T).tocsr()
        for pos, j in enumerate(plain):
            lo, hi = overlap.indptr[pos], overlap.indptr[pos + 1]
            others, shared = overlap.indices[lo:hi], overlap.data[lo:hi]
            sup = others[(shared == sizes[j]) & (others != j) & useful[others]]
            if len(sup) and ((sizes[sup] > sizes[j]) | (own[sup] > 0) | (sup < j)).any():
                dominated[j] = True
    keep = np.flatnonzero(useful & ~dominated)
    return _Reduced(
        cand=cand_ids[keep],
        own=own[keep],
        groups=cg[keep].tocsr(),
        group_weight=np.asarray(group_weight, dtype=float),
        open_demand=len(open_ids),
    )


def _options(time_limit: float | None, rel_gap: float) -> dict:
    options = {"mip_rel_gap": rel_gap, "presolve": True}
    if time_limit is not None:
        options["time_limit"] = max(float(time_limit), 0.01)
    return options


def _dual_bound(res) -> float:
    bound = getattr(res, "mip_dual_bound", None)
    return -float(bound) if bound is not None and np.isfinite(bound) else float("nan")


def _value(red: _Reduced, chosen: Sequence[int]) -> float:
    chosen = list(chosen)
    if not chosen:
        return 0.0
    hit = np.asarray(red.groups[chosen].sum(axis=0)).ravel() > 0
    return float(red.own[chosen].sum() + red.group_weight[hit].sum())


def _local_search(red: _Reduced, start: Sequence[int], n: int) -> list[int]:
    """Fill up to ``n`` greedily, then best-improvement swaps (one out, one in) until none helps."""
    groups, weight, own = red.groups, red.group_weight, red.own
    nc = groups.shape[0]
    chosen = [int(j) for j in dict.fromkeys(start)][:n]
    count = np.asarray(groups[chosen].sum(axis=0)).ravel() if chosen else np.zeros(groups.shape[1])
    while len(chosen) < min(n, nc):
        gain = own + groups @ (weight * (count == 0))
        gain[chosen] = -np.inf
        j = int(np.argmax(gain))
        if gain[j] <= 1e-9:
            break
        chosen.append(j)
        count += groups[j].toarray().ravel()
    for _ in range(10 * n + 10):
        if not chosen or len(chosen) >= nc:
            break
        gain = own + groups @ (weight * (count == 0))
        only = weight * (count == 1)
        rows = groups[chosen].toarray()  # chosen x groups
        loss = own[chosen] + rows @ only
        kept = np.asarray(groups @ (only[:, None] * rows.T))  # candidates x chosen: still covered by j
        delta = gain[:, None] - loss[None, :] + kept
        delta[chosen, :] = -np.inf
        j, pos = np.unravel_index(int(np.argmax(delta)), delta.shape)
        if delta[j, pos] <= 1e-9 * max(1.0, float(weight.sum() + own.sum())):
            break
        count += groups[int(j)].toarray().ravel() - rows[pos]
        chosen[pos] = int(j)
    return chosen


def _model(red: _Reduced, n: int):
    """Objective, constraints and integrality of the uncapacitated model (x first, then y)."""
    nc, ng = red.groups.shape
    c = -np.concatenate([red.own, red.group_weight])
    constraints = [LinearConstraint(sparse.csr_matrix(np.r_[np.ones(nc), np.zeros(ng)][None, :]), -np.inf, n)]
    if ng:
        cover = sparse.hstack([-red.groups.T, sparse.eye(ng)], format="csr")
        constraints.append(LinearConstraint(cover, -np.inf, 0.0))
    return c, constraints, np.r_[np.ones(nc), np.zeros(ng)]


@dataclass(frozen=True)
class _Relaxation:
    """LP relaxation of the uncapacitated model: optimum ``upper``, candidate values ``x``, and the reduced
    costs of raising a candidate at 0 to 1 (``at_zero``) or lowering one at 1 to 0 (``at_one``)."""

    upper: float
    x: np.ndarray
    at_zero: np.ndarray
    at_one: np.ndarray

    def fixing(self, lower: float) -> tuple[np.ndarray, np.ndarray]:
        """Reduced-cost fixing: (never, always) masks. Every plan that takes a candidate at 0 is worth at
        most ``upper - at_zero``; when that is below a known plan's value ``lower`` no optimal plan takes
        it. Likewise a candidate at 1 that every optimal plan must take."""
        tol = 1e-7 * max(1.0, abs(self.upper))
        never = self.upper - self.at_zero < lower - tol
        always = (self.upper - self.at_one < lower - tol) & ~never
        return never, always


def _relax(red: _Reduced, n: int) -> _Relaxation | None:
    nc, ng = red.groups.shape
    c = -np.concatenate([red.own, red.group_weight])
    card = sparse.csr_matrix(np.r_[np.ones(nc), np.zeros(ng)][None, :])
    a_ub = sparse.vstack([sparse.hstack([-red.groups.T, sparse.eye(ng)]), card], format="csr")
    # dual simplex on small models; interior point (with crossover, so reduced costs exist) on large ones
    method = "highs-ipm" if a_ub.nnz > 50_000 else "highs-ds"
    res = linprog(c, A_ub=a_ub, b_ub=np.r_[np.zeros(ng), n], bounds=(0, 1), method=method)
    if res.status != 0:
        return None
    return _Relaxation(
        upper=-float(res.fun),
        x=np.asarray(res.x[:nc], dtype=float),
        at_zero=np.asarray(res.lower.marginals[:nc], dtype=float),
        at_one=-np.asarray(res.upper.marginals[:nc], dtype=float),
    )


def _subset(red: _Reduced, keep: np.ndarray) -> _Reduced:
    """The model over the candidates ``keep`` (positions) only; groups nobody of them reaches leave."""
    sub = red.groups[keep]
    live = np.asarray(sub.sum(axis=0)).ravel() > 0
    return _Reduced(keep, red.own[keep], sub[:, live].tocsr(), red.group_weight[live], red.open_demand)


def _solve_from(
    red: _Reduced, n: int, incumbent: Sequence[int], always: np.ndarray, options: dict
) -> tuple[object, np.ndarray | None]:
    """HiGHS on ``red`` (a subset model), told the ``incumbent`` (positions in ``red``).

    scipy's ``milp`` takes no starting solution, but HiGHS tries the all-zero point first: the variables
    of the incumbent (its candidates and the groups they reach) are therefore flipped (v = 1 - x), which
    makes the incumbent that point. Returns (result, chosen positions or None).
    """
    nc, ng = red.groups.shape
    c, constraints, integrality = _model(red, n)
    a = sparse.vstack([con.A for con in constraints], format="csr")
    ub = np.concatenate([np.broadcast_to(con.ub, con.A.shape[0]) for con in constraints])
    flip = np.zeros(nc + ng)
    if len(incumbent):
        flip[list(incumbent)] = 1.0
        flip[nc:] = (np.asarray(red.groups[list(incumbent)].sum(axis=0)).ravel() > 0).astype(float)
    sign = 1.0 - 2.0 * flip
    lower = np.r_[always.astype(float), np.zeros(ng)]
    upper = np.ones(nc + ng)
    res = milp(
        c * sign,
        constraints=[LinearConstraint((a @ sparse.diags(sign)).tocsr(), -np.inf, ub - a @ flip)],
        integrality=integrality,
        bounds=Bounds(np.where(flip > 0, 1 - upper, lower), np.where(flip > 0, 1 - lower, upper)),
        options=options,
    )
    if res.x is None:
        return res, None
    x = flip + sign * res.x
    # the dual bound refers to the flipped objective: shift it back by the constant c·flip
    shift = float(c @ flip)
    res.mip_dual_bound = None if getattr(res, "mip_dual_bound", None) is None else res.mip_dual_bound + shift
    return res, np.flatnonzero(x[:nc] > 0.5)


def _milp_uncapacitated(
    red: _Reduced, n: int, time_limit: float | None, rel_gap: float, start: Sequence[int]
):
    """max own·x + W·y  s.t.  y_g <= sum of x_j over the candidates reaching g,  sum x <= n,
    x binary, 0 <= y <= 1.

    1. The LP relaxation gives an upper bound. 2. A good plan: local searches from ``start`` (the greedy
    plan) and from the LP's largest values, and the exact optimum over the LP's support (small). When that
    plan reaches the LP bound it is optimal. 3. Reduced-cost fixing removes every candidate that no plan at
    least as good can contain. 4. HiGHS proves the rest, starting from the plan of step 2.
    Returns (status, chosen candidate positions, upper bound, size).
    """
    t0 = time.perf_counter()

    def left() -> float | None:
        return None if time_limit is None else time_limit - (time.perf_counter() - t0)

    relax = _relax(red, n)
    starts = [list(start)]
    if relax is not None:
        starts.append([int(j) for j in np.argsort(-relax.x, kind="stable")[:n] if relax.x[j] > 1e-9])
    plans = [_local_search(red, s, n) for s in starts]
    values = [_value(red, p) for p in plans]
    best, lower = plans[int(np.argmax(values))], max(values)
    if relax is None:
        return 1, np.asarray(best, dtype=np.int64), float("nan"), {}
    upper = relax.upper
    size = {"lp_grens": upper}

    def proven() -> bool:
        return upper <= lower + 1e-9 * max(1.0, upper)

    if not proven():
        support = np.union1d(np.flatnonzero(relax.x > 1e-9), best)
        if len(support) <= 400:
            sub = _subset(red, support)
            pos = {int(j): i for i, j in enumerate(support)}
            limit = None if time_limit is None else max(left() / 3, 0.01)
            _, found = _solve_from(
                sub, n, [pos[j] for j in best], np.zeros(len(support), bool), _options(limit, 0.0)
            )
            if found is not None:
                plan = _local_search(red, support[found], n)
                if _value(red, plan) > lower:
                    best, lower = plan, _value(red, plan)
    size["startwaarde"] = lower
    if proven():
        return 0, np.asarray(best, dtype=np.int64), lower, {**size, "kandidaten_na_lp": len(best)}
    never, always = relax.fixing(lower)
    keep = np.flatnonzero(~never)
    small = _subset(red, keep)
    pos = {int(j): i for i, j in enumerate(keep)}
    incumbent = [pos[j] for j in best if j in pos]
    options = {**_options(left(), rel_gap), "presolve": False}  # presolve costs more than it saves here
    res, found = _solve_from(
        small, n, incumbent if len(incumbent) == len(best) else [], always[keep], options
    )
    nc, ng = small.groups.shape
    size = {**size, "kandidaten_na_lp": nc, "variabelen": nc + ng, "beperkingen": ng + 1}
    dual = _dual_bound(res)
    bound = min(upper, dual) if np.isfinite(dual) else upper
    if found is None:
        return res.status, np.asarray(best, dtype=np.int64), bound, size
    chosen = keep[found]
    if res.status != 0 and _value(red, chosen) < lower:
        chosen = np.asarray(best, dtype=np.int64)
    return res.status, chosen, bound, size


def _milp_capacitated(problem: SiteProblem, time_limit: float | None, rel_gap: float):
    """Capacitated MCLP with split demand; fixed candidates are in the model with x = 1.

    Variables x_j (binary) and z_ij per pair in reach (share of demand i served by j):
    max sum w_i z_ij  s.t.  sum_j z_ij <= 1 - before_i,  sum_i load_i z_ij <= C_j x_j (finite C_j),
    z_ij <= x_j,  sum of the non-fixed x <= n. Returns (status, chosen mask or None, site weight,
    upper bound, size).
    """
    reach = problem.reach
    k, m = reach.shape
    rows = np.repeat(np.arange(k), np.diff(reach.indptr))
    cols = reach.indices
    keep = ((problem.before[cols] < 1 - 1e-12) & (problem.weights[cols] > 0)) | problem.fixed[rows]
    rows, cols = rows[keep], cols[keep]
    cand = np.union1d(np.unique(rows), np.flatnonzero(problem.fixed))
    cpos = np.full(k, -1, dtype=np.int64)
    cpos[cand] = np.arange(len(cand))
    dem, di = np.unique(cols, return_inverse=True)
    nc, ne, nd = len(cand), len(rows), len(dem)
    if ne == 0:  # nothing left that any candidate can serve: only the fixed sites are chosen
        return 0, problem.fixed.copy(), np.zeros(k), float("nan"), {"variabelen": 0, "kandidaten": 0}
    e = np.arange(ne)
    cj = cpos[rows]
    nv = nc + ne
    constraints = [
        LinearConstraint(
            sparse.csr_matrix((np.ones(ne), (di, nc + e)), shape=(nd, nv)), -np.inf, 1.0 - problem.before[dem]
        ),
        LinearConstraint(
            sparse.csr_matrix(
                (np.r_[np.ones(ne), -np.ones(ne)], (np.r_[e, e], np.r_[nc + e, cj])), shape=(ne, nv)
            ),
            -np.inf,
            0.0,
        ),
        LinearConstraint(
            sparse.csr_matrix(np.r_[(~problem.fixed[cand]).astype(float), np.zeros(ne)][None, :]),
            -np.inf,
            problem.n,
        ),
    ]
    cap = problem.capacity[cand]
    finite = np.isfinite(cap)
    if finite.any():
        fpos = np.full(nc, -1, dtype=np.int64)
        fpos[finite] = np.arange(int(finite.sum()))
        sel = finite[cj]
        a_cap = sparse.csr_matrix(
            (
                np.r_[problem.load[cols][sel], -cap[finite]],
                (np.r_[fpos[cj[sel]], fpos[finite]], np.r_[nc + e[sel], np.flatnonzero(finite)]),
            ),
            shape=(int(finite.sum()), nv),
        )
        constraints.append(LinearConstraint(a_cap, -np.inf, 0.0))
    res = milp(
        -np.r_[np.zeros(nc), problem.weights[cols]],
        constraints=constraints,
        integrality=np.r_[np.ones(nc), np.zeros(ne)],
        bounds=Bounds(np.r_[problem.fixed[cand].astype(float), np.zeros(ne)], np.ones(nv)),
        options=_options(time_limit, rel_gap),
    )
    size = {"variabelen": nv, "beperkingen": nd + ne + 1 + int(finite.sum()), "kandidaten": nc}
    if res.x is None:
        return res.status, None, None, _dual_bound(res), size
    chosen = np.zeros(k, dtype=bool)
    chosen[cand] = res.x[:nc] > 0.5
    z = np.clip(res.x[nc:], 0.0, 1.0)
    site_weight = np.bincount(rows, weights=problem.weights[cols] * z, minlength=k)
    return res.status, chosen, site_weight, _dual_bound(res), size


def solve_exact(
    problem: SiteProblem,
    time_limit: float | None = None,
    rel_gap: float = 0.0,
    greedy: SitePlan | None = None,
) -> SitePlan:
    """The best ``n`` sites, proven optimal by HiGHS; with ``time_limit`` (s) the best found and its gap.

    ``greedy`` (computed when not given) is returned, with the solver's bound, when the solver finds
    nothing better in time.
    """
    t0 = time.perf_counter()
    greedy = greedy or solve_greedy(problem)
    before, fixed_load = _apply_fixed(problem)
    weight_before = _served_weight(problem, before)
    if problem.capacitated:
        status, chosen, site_weight, bound, size = _milp_capacitated(problem, time_limit, rel_gap)
        if chosen is None:
            return _fallback(greedy, bound, t0, size)
        new = sorted(
            (j for j in np.flatnonzero(chosen) if not problem.fixed[j]), key=lambda j: -site_weight[j]
        )
        steps, served, site_load = _prefix_steps(problem, new, before)
    else:
        red = _reduce(problem, before)
        size = {
            "kandidaten": len(red.cand),
            "open_vraagpunten": red.open_demand,
            "groepen": len(red.group_weight),
        }
        if len(red.cand) <= problem.n:  # every useful candidate fits: taking them all is optimal
            status, new, bound = 0, red.cand, float("nan")
        else:
            pos = np.full(len(problem.codes), -1, dtype=np.int64)
            pos[red.cand] = np.arange(len(red.cand))
            start = [int(pos[j]) for j in greedy.chosen if pos[j] >= 0]
            status, x, bound, model = _milp_uncapacitated(red, problem.n, time_limit, rel_gap, start)
            size = {**size, **model}
            new = red.cand[x]
            bound += weight_before
        steps, served, site_load = _sequence(problem, new, before, fixed_load)
    plan = _plan(
        problem,
        "exact",
        "optimaal" if status == 0 else "tijdslimiet",
        steps,
        before,
        served,
        site_load,
        bound,
        t0,
        size,
    )
    if plan.status == "optimaal" or plan.weight_after >= greedy.weight_after - 1e-9:
        return plan
    return _fallback(greedy, bound, t0, size)


def _sequence(problem: SiteProblem, chosen, before: np.ndarray, site_load: np.ndarray):
    """Uncapacitated: order the chosen candidates greedily (largest addition first)."""
    served, site_load = before.copy(), site_load.copy()
    left = [int(j) for j in chosen]
    steps = []
    current = _served_weight(problem, served)
    while left:
        gains = _gains(problem, 1.0 - served)[left]
        j = left.pop(int(np.argmax(gains)))
        idx, taken = _assign_fill(problem, 1.0 - served, j)
        served[idx] = np.minimum(served[idx] + taken, 1.0)
        site_load[j] += float((problem.load[idx] * taken).sum())
        after = _served_weight(problem, served)
        steps.append((j, after - current, after))
        current = after
    return steps, served, site_load


def _prefix_steps(problem: SiteProblem, new: Sequence[int], before: np.ndarray):
    """Capacitated: the gain of each chosen site in the given order, each prefix assigned optimally."""
    fixed = list(np.flatnonzero(problem.fixed))
    current = _served_weight(problem, before)
    steps = []
    served, site_load = before, np.zeros(len(problem.codes))
    for s in range(1, len(new) + 1):
        served, site_load = _lp_serve(problem, np.array([*fixed, *new[:s]], dtype=np.int64))
        after = _served_weight(problem, served)
        steps.append((int(new[s - 1]), after - current, after))
        current = after
    if not new:
        _, site_load = _apply_fixed(problem)
    return steps, served, site_load


def _fallback(greedy: SitePlan, bound: float, t0: float, size: dict) -> SitePlan:
    """The greedy plan presented as the best found in time, with the solver's bound when it has one."""
    return replace(
        greedy,
        method="exact",
        status="tijdslimiet",
        bound=max(bound, greedy.weight_after) if np.isfinite(bound) else float("nan"),
        seconds=time.perf_counter() - t0,
        model_size=size,
    )
