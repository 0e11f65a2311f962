"""Suggested divisions: k contiguous areas balanced on a chosen count, and few-move improvements.

`suggest` splits a set of units recursively in two along a random spanning tree of the adjacency graph
(the cut edge is chosen so that the two sides carry the wanted shares of the count; several trees are
tried and the best cut is kept), then polishes the result with `improve`: single boundary units move to
a neighbouring area when that lowers the squared deviation from the mean and does not split the area
they leave. Everything is driven by a seeded random generator, so the same seed gives the same result.

Units without a land border to the rest (Voeren) or a scope that falls apart in pieces are joined to
the nearest piece (by centroid) for the partitioning only; the contiguity metric still reports them.
A suggestion is a draft: the user edits it like any other division.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import breadth_first_order, connected_components, minimum_spanning_tree

from geo.divisions.division import Division
from geo.divisions.metrics import UnitData
from geo.errors import UserFacingError

#: Counts to balance on: key -> (Dutch label, weights of the count columns).
BALANCE_OPTIONS: dict[str, tuple[str, dict[str, float]]] = {
    "pop_0_24": ("Jongeren 0-24", {"pop_0_24": 1.0}),
    "pop_0_24_kansarm": (
        "Jongeren 0-24 met kansarmoede-correctie (kansarme jongeren tellen dubbel)",
        {"pop_0_24": 1.0, "kansarmoede_n": 1.0},
    ),
    "inwoners": ("Inwoners", {"inwoners": 1.0}),
}


@dataclass(frozen=True)
class Suggestion:
    """A suggested division and how well it is balanced."""

    division: Division
    balance: str
    tolerance: float
    max_deviation: float  # largest |area - mean| / mean over the suggested areas
    moves: int = 0  # units moved by `improve`
    notes: list[str] = field(default_factory=list)

    @property
    def within_tolerance(self) -> bool:
        return self.max_deviation <= self.tolerance + 1e-12


def balance_counts(data: UnitData, balance: str | Mapping[str, float]) -> np.ndarray:
    """The count to balance per unit: a column name, a key of `BALANCE_OPTIONS` or column weights."""
    if isinstance(balance, str):
        spec = BALANCE_OPTIONS[balance][1] if balance in BALANCE_OPTIONS else {balance: 1.0}
    else:
        spec = dict(balance)
    missing = [c for c in spec if c not in data.counts]
    if missing:
        raise UserFacingError(f"Dit niveau heeft geen cijfers voor {', '.join(missing)}.")
    return sum(w * data.counts[c] for c, w in spec.items())


# ---------------------------------------------------------------------- graph helpers


def _graph(data: UnitData, nodes: np.ndarray) -> sparse.csr_matrix:
    """Adjacency among `nodes` (local positions), with virtual edges joining separate pieces."""
    sub = data.adjacency[nodes][:, nodes].tocsr()
    n_comp, comp = connected_components(sub, directed=False)
    if n_comp <= 1:
        return sub
    rows, cols = [], []
    xy = (
        data.xy[nodes]
        if data.xy is not None
        else np.column_stack([np.arange(len(nodes)), np.zeros(len(nodes))])
    )
    # join pieces to the largest one, each through its pair of closest centroids
    sizes = np.bincount(comp)
    main = int(np.argmax(sizes))
    joined = comp == main
    for c in sorted(set(range(n_comp)) - {main}, key=lambda c: (-sizes[c], c)):
        inside = np.flatnonzero(comp == c)
        outside = np.flatnonzero(joined)
        d = ((xy[inside, None, :] - xy[None, outside, :]) ** 2).sum(axis=2)
        i, j = np.unravel_index(int(np.argmin(d)), d.shape)
        rows.append(inside[i])
        cols.append(outside[j])
        joined |= comp == c
    extra = sparse.coo_matrix((np.ones(2 * len(rows)), (rows + cols, cols + rows)), shape=sub.shape)
    return (sub + extra).tocsr()


def _bisect(
    graph: sparse.csr_matrix,
    w: np.ndarray,
    k1: int,
    k2: int,
    rng: np.random.Generator,
    attempts: int,
    tol: float,
) -> np.ndarray:
    """Split the connected `graph` in two along a random spanning tree so that the first side carries
    k1 / (k1 + k2) of the total weight and holds at least k1 units (the other side at least k2).
    Returns the mask of the first side (the best cut over up to `attempts` trees)."""
    n = graph.shape[0]
    total = float(w.sum())
    target = total * k1 / (k1 + k2)
    scale = target if target > 0 else 1.0
    best_err, best_mask = np.inf, None
    coo = sparse.triu(graph, k=1).tocoo()
    for _ in range(attempts):
        weights = rng.random(len(coo.data)) + 1e-6
        tree = minimum_spanning_tree(sparse.coo_matrix((weights, (coo.row, coo.col)), shape=(n, n)))
        root = int(rng.integers(n))
        order, pred = breadth_first_order(tree, root, directed=False, return_predecessors=True)
        sub = w.astype(float).copy()
        size = np.ones(n, dtype=np.int64)
        for v in order[:0:-1]:  # children before parents
            sub[pred[v]] += sub[v]
            size[pred[v]] += size[v]
        cand = order[1:]
        # either the subtree (side "in") or the rest (side "out") can be the first side
        err_in = np.where((size[cand] >= k1) & (n - size[cand] >= k2), np.abs(sub[cand] - target), np.inf)
        err_out = np.where(
            (n - size[cand] >= k1) & (size[cand] >= k2), np.abs(total - sub[cand] - target), np.inf
        )
        errs = np.minimum(err_in, err_out)
        if len(errs) == 0 or not np.isfinite(errs).any():
            continue
        i = int(np.argmin(errs))
        err = errs[i] / scale
        if err < best_err:
            subtree = _subtree_mask(order, pred, int(cand[i]), n)
            best_err, best_mask = err, subtree if err_in[i] <= err_out[i] else ~subtree
        if best_err <= tol:
            break
    if best_mask is None:
        raise UserFacingError(
            "Deze eenheden laten zich niet in samenhangende gebieden van die grootte verdelen."
        )
    return best_mask


def _subtree_mask(order: np.ndarray, pred: np.ndarray, v: int, n: int) -> np.ndarray:
    inside = np.zeros(n, dtype=bool)
    inside[v] = True
    for u in order:  # parents come before children in BFS order
        p = pred[u]
        if p >= 0 and inside[p]:
            inside[u] = True
    return inside


def _partition(
    data: UnitData,
    nodes: np.ndarray,
    w: np.ndarray,
    k: int,
    rng: np.random.Generator,
    tol: float,
    attempts: int,
) -> list[np.ndarray]:
    """Recursive bisection of `nodes` (level positions) into `k` connected parts."""
    if k <= 1:
        return [nodes]
    if len(nodes) < k:
        raise UserFacingError(f"Er zijn maar {len(nodes)} eenheden om in {k} gebieden te verdelen.")
    k1 = k // 2
    mask = _bisect(_graph(data, nodes), w[nodes], k1, k - k1, rng, attempts, tol / 2)
    return _partition(data, nodes[mask], w, k1, rng, tol, attempts) + _partition(
        data, nodes[~mask], w, k - k1, rng, tol, attempts
    )


# ---------------------------------------------------------------------- improvement by single moves


def _parts_without(data: UnitData, members: np.ndarray, drop: int) -> int:
    rest = members[members != drop]
    if len(rest) == 0:
        return 0
    n, _ = connected_components(data.adjacency[rest][:, rest], directed=False)
    return int(n)


def _improve_labels(
    data: UnitData,
    labels: np.ndarray,
    areas: Sequence[int],
    w: np.ndarray,
    tol: float,
    max_moves: int,
    stop_within: bool,
) -> tuple[np.ndarray, int]:
    """Move boundary units between `areas` (labels) to lower the squared deviation from the mean.

    A move is allowed when the area left behind keeps its number of parts and is not emptied."""
    labels = labels.copy()
    areas = np.asarray(sorted(areas))
    in_play = np.isin(labels, areas)
    sums = {int(a): float(w[labels == a].sum()) for a in areas}
    ideal = sum(sums.values()) / len(areas)
    a_idx, b_idx = data.edges[:, 0], data.edges[:, 1]
    moves = 0
    parts_cache: dict[int, int] = {}
    while moves < max_moves:
        dev = max(abs(s - ideal) for s in sums.values()) / ideal if ideal > 0 else 0.0
        if stop_within and dev <= tol:
            break
        la, lb = labels[a_idx], labels[b_idx]
        cross = (la != lb) & in_play[a_idx] & in_play[b_idx]
        # candidate moves: unit u from its area s to the neighbouring area t (both directions of an edge)
        u = np.r_[a_idx[cross], b_idx[cross]]
        s = np.r_[la[cross], lb[cross]]
        t = np.r_[lb[cross], la[cross]]
        if len(u) == 0:
            break
        vs = np.array([sums[int(x)] for x in s])
        vt = np.array([sums[int(x)] for x in t])
        wu = w[u]
        delta = 2 * wu * (wu + vt - vs)  # change of sum((v - ideal)^2)
        order = np.lexsort((t, u, delta))
        moved = False
        for i in order:
            if delta[i] >= -1e-9:
                break
            unit, src, dst = int(u[i]), int(s[i]), int(t[i])
            members = np.flatnonzero(labels == src)
            if len(members) <= 1:
                continue
            if src not in parts_cache:
                n, _ = connected_components(data.adjacency[members][:, members], directed=False)
                parts_cache[src] = int(n)
            if _parts_without(data, members, unit) > parts_cache[src]:
                continue
            labels[unit] = dst
            sums[src] -= float(w[unit])
            sums[dst] += float(w[unit])
            parts_cache.pop(src, None)
            parts_cache.pop(dst, None)
            moves += 1
            moved = True
            break
        if not moved:
            break
    return labels, moves


def _max_deviation(labels: np.ndarray, areas: Sequence[int], w: np.ndarray) -> float:
    sums = np.array([w[labels == a].sum() for a in areas])
    mean = sums.mean() if len(sums) else 0.0
    return float(np.abs(sums - mean).max() / mean) if mean > 0 else 0.0


# ---------------------------------------------------------------------- public API


def suggest(
    data: UnitData,
    k: int,
    balance: str | Mapping[str, float] = "pop_0_24",
    tolerance: float = 0.05,
    seed: int = 0,
    within: Sequence[str] | None = None,
    base: Division | None = None,
    name: str = "Voorstel",
    prefix: str = "Gebied",
    attempts: int = 30,
    polish_moves: int = 500,
) -> Suggestion:
    """A division of `within` (default: all units of `base`, or of the level) into `k` contiguous
    areas balanced on `balance` within `tolerance` (0.05 = 5 % around the mean), as far as the units
    allow. With `base`, the other units keep their area (areas left empty are removed)."""
    if k < 1:
        raise UserFacingError("Kies minstens één gebied.")
    rng = np.random.default_rng(seed)
    scope_codes = list(within) if within is not None else list(base.units if base is not None else data.codes)
    unknown = [c for c in scope_codes if c not in data.index]
    if unknown:
        raise UserFacingError(f"Onbekende eenheden: {', '.join(unknown[:10])}.")
    w = balance_counts(data, balance)
    nodes = np.array(sorted(data.index[c] for c in scope_codes), dtype=np.int64)
    if len(nodes) < k:
        raise UserFacingError(f"Er zijn maar {len(nodes)} eenheden om in {k} gebieden te verdelen.")
    parts = _partition(data, nodes, w, k, rng, tolerance, attempts)
    # name areas north to south, then west to east (centroid weighted by the count)
    parts = sorted(parts, key=lambda p: _part_key(data, p, w))
    labels = np.full(data.n, -1, dtype=np.int64)
    for i, p in enumerate(parts):
        labels[p] = i
    new_labels, moves = _improve_labels(data, labels, range(k), w, tolerance, polish_moves, stop_within=False)
    max_dev = _max_deviation(new_labels, range(k), w)
    notes = []
    if max_dev > tolerance:
        biggest = float(w[nodes].max())
        mean = float(w[nodes].sum()) / k
        note = f"De tolerantie van {tolerance:.0%} is niet gehaald (grootste afwijking {max_dev:.1%})."
        if biggest > mean * (1 + tolerance):
            note += " Eén eenheid is op zich al groter dan de toegelaten bovengrens."
        notes.append(note)
    names = [f"{prefix} {i + 1}" for i in range(k)]
    division = _to_division(data, new_labels, names, scope_codes, base, name)
    return Suggestion(division, _balance_key(balance), tolerance, max_dev, 0, notes)


def improve(
    data: UnitData,
    division: Division,
    balance: str | Mapping[str, float] = "pop_0_24",
    tolerance: float = 0.05,
    max_moves: int = 10,
    areas: Sequence[str] | None = None,
) -> Suggestion:
    """Improve the balance of `division` with at most `max_moves` single-unit moves between neighbouring
    `areas` (default: all), stopping once every area is within `tolerance` of their mean."""
    sub = data.for_division(division)
    w = balance_counts(sub, balance)
    area_names = list(areas) if areas is not None else [a for a in division.areas]
    labs = [division.areas.index(a) for a in area_names]
    labs = [lab for lab in labs if (division.labels == lab).any()]
    if len(labs) < 2:
        raise UserFacingError("Kies minstens twee gebieden met eenheden om te verbeteren.")
    labels = division.labels.astype(np.int64)
    new_labels, moves = _improve_labels(sub, labels, labs, w, tolerance, max_moves, stop_within=True)
    changed = np.flatnonzero(new_labels != labels)
    result = division
    for i in changed:
        result = result.move([division.units[i]], division.areas[new_labels[i]])
    max_dev = _max_deviation(new_labels, labs, w)
    notes = (
        [] if max_dev <= tolerance else [f"Na {moves} verplaatsingen is de grootste afwijking {max_dev:.1%}."]
    )
    return Suggestion(result, _balance_key(balance), tolerance, max_dev, moves, notes)


def _balance_key(balance: str | Mapping[str, float]) -> str:
    return balance if isinstance(balance, str) else "+".join(f"{w:g}*{c}" for c, w in balance.items())


def _part_key(data: UnitData, part: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    if data.xy is None:
        return (float(part.min()), 0.0)
    weights = w[part] + 1e-9
    x, y = np.average(data.xy[part], axis=0, weights=weights)
    return (-round(float(y), -3), round(float(x), -3))


def _to_division(
    data: UnitData,
    labels: np.ndarray,
    names: list[str],
    scope: Sequence[str],
    base: Division | None,
    name: str,
) -> Division:
    if base is None:
        scope_set = set(scope)
        units = [c for c in data.codes if c in scope_set]
        assignment = {c: names[labels[data.index[c]]] for c in units}
        return Division.from_mapping(
            name, data.level, units, assignment, names, author="Voorstel (automatisch)"
        )
    taken = [a for a in names if a in base.areas]
    if taken:
        names = [f"{n} (nieuw)" if n in base.areas else n for n in names]
    result = base
    for i, area in enumerate(names):
        result = result.create_area(area)
        result = result.move([data.codes[j] for j in np.flatnonzero(labels == i)], area)
    empty = [
        a for a, n in result.area_sizes().items() if n == 0 and a not in names and a in _areas_of(base, scope)
    ]
    for area in empty:
        result = result.delete_area(area)
    return result.with_meta(name=name)


def _areas_of(division: Division, codes: Sequence[str]) -> set[str]:
    return {a for a in (division.area_of(c) for c in codes if c in division._index) if a}
