"""Compare two divisions of the same unit level: matched areas, moved units, deltas.

Areas are matched by overlap in population, not by label: the pairing maximises the total number of
inhabitants that stay together (Hungarian algorithm on the overlap matrix; works with a different number
of areas on each side, areas without any overlap stay unmatched). A unit "keeps its area" when its area
in A is matched to its area in B.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from geo.divisions.division import Division
from geo.divisions.metrics import AreaMetrics, UnitData
from geo.errors import UserFacingError

#: What happened to a unit between A and B (`Comparison.change_kinds`).
SAME, OTHER, GAINED_LOST = "Zelfde gebied", "Ander gebied", "Gebied erbij of weg"

#: Counts whose per-area values are compared (when the level has them).
DELTA_COUNTS = ("inwoners", "pop_0_24", "kansarmoede_n", "budget_eur")


@dataclass(frozen=True)
class Comparison:
    """Result of `compare`."""

    a: Division
    b: Division
    matches: pd.DataFrame  # gebied_a, gebied_b, overlap, overlap_pct, <count>_a, <count>_b, delta_<count>
    units: pd.DataFrame  # code, gebied_a, gebied_b, zelfde_gebied, gewijzigd
    match_weight: str
    keep_count: str
    kept_share: float  # share of `keep_count` (of the units assigned in A) that keeps its area
    only_common_units: bool = False  # the divisions cover different units: compared on the common ones

    @property
    def moved(self) -> list[str]:
        """Codes of the units whose area changed (incl. units that lost or gained an area)."""
        return self.units.loc[self.units["gewijzigd"], "code"].tolist()

    @property
    def pairs(self) -> dict[str, str]:
        """Matched areas `area in A -> area in B`."""
        m = self.matches.dropna(subset=["gebied_a", "gebied_b"])
        return dict(zip(m["gebied_a"], m["gebied_b"], strict=True))

    def change_kinds(self) -> dict[str, str | None]:
        """Per unit what happened to it: `SAME` (its area is matched), `OTHER` (another area), `GAINED_LOST`
        (an area in only one of the two), None when it has an area in neither."""
        u = self.units
        in_a, in_b = u["gebied_a"].notna(), u["gebied_b"].notna()
        kind = np.where(u["zelfde_gebied"], SAME, np.where(in_a & in_b, OTHER, GAINED_LOST))
        kind = np.where(in_a | in_b, kind, None)
        return dict(zip(u["code"], kind, strict=True))

    def units_near_changes(self, max_units: int) -> list[str]:
        """Units to draw: all when at most `max_units`; else those of the areas a change touched, or,
        when that is still over four times `max_units`, the changed units alone."""
        u = self.units
        if len(u) <= max_units:
            return u["code"].tolist()
        changed = u["gewijzigd"]
        touched = set(u.loc[changed, "gebied_a"].dropna()) | set(u.loc[changed, "gebied_b"].dropna())
        near = u["gebied_a"].isin(touched) | u["gebied_b"].isin(touched) | changed
        shown = u.loc[near, "code"].tolist()
        return shown if len(shown) <= 4 * max_units else u.loc[changed, "code"].tolist()


def _labels_on(codes: tuple[str, ...], division: Division) -> np.ndarray:
    """Label of each code in `division` (-1 where the division does not cover or assign it)."""
    out = np.full(len(codes), -1, dtype=np.int64)
    index = {u: i for i, u in enumerate(division.units)}
    pos = np.array([index.get(c, -1) for c in codes], dtype=np.int64)
    inside = pos >= 0
    out[inside] = division.labels[pos[inside]]
    return out


def match_areas(overlap: np.ndarray) -> list[tuple[int, int]]:
    """Pairs (i, j) maximising the total overlap; pairs with zero overlap are dropped."""
    if overlap.size == 0:
        return []
    rows, cols = linear_sum_assignment(overlap, maximize=True)
    return [(int(i), int(j)) for i, j in zip(rows, cols, strict=True) if overlap[i, j] > 0]


def compare(
    data: UnitData,
    a: Division,
    b: Division,
    match_weight: str = "inwoners",
    keep_count: str = "pop_0_24",
) -> Comparison:
    """Compare `a` and `b` (same level). When they cover different units of the level (e.g. the wijken
    of Groot Antwerpen against all wijken), only the units both cover are compared."""
    if a.level != b.level:
        raise UserFacingError(
            f"De indelingen gebruiken een ander niveau ({a.level} en {b.level}): vergelijk indelingen "
            "van hetzelfde niveau."
        )
    covered = set(a.units) & set(b.units)
    if not covered:
        raise UserFacingError("De twee indelingen hebben geen enkele eenheid gemeen.")
    codes = tuple(c for c in data.codes if c in covered)
    sub = data.subset(codes)
    la, lb = _labels_on(codes, a), _labels_on(codes, b)
    weight = sub.counts.get(match_weight)
    if weight is None or not weight.any():
        weight = np.ones(len(codes))
    both = (la >= 0) & (lb >= 0)
    ka, kb = len(a.areas), len(b.areas)
    cell = la[both] * kb + lb[both]
    overlap = np.bincount(cell, weights=weight[both], minlength=ka * kb).reshape(ka, kb)
    shared_units = np.bincount(cell, minlength=ka * kb).reshape(ka, kb)
    # Shared units break ties (and let areas without inhabitants match at all).
    pairs = match_areas(overlap + 1e-6 * shared_units)
    match_of_a = np.full(ka + 1, -2, dtype=np.int64)  # -2 = no match; slot -1 for unassigned
    for i, j in pairs:
        match_of_a[i] = j
    kept = both & (match_of_a[la] == lb)
    changed = ~kept & ((la >= 0) | (lb >= 0))

    keep = sub.counts.get(keep_count, np.ones(len(codes)))
    base = keep[la >= 0].sum()
    kept_share = float(keep[kept].sum() / base) if base > 0 else float("nan")

    names_a = np.array(list(a.areas) + [None], dtype=object)
    names_b = np.array(list(b.areas) + [None], dtype=object)
    units = pd.DataFrame(
        {
            "code": list(codes),
            "gebied_a": names_a[la],
            "gebied_b": names_b[lb],
            "zelfde_gebied": kept,
            "gewijzigd": changed,
        }
    )
    if sub.names is not None:
        units.insert(1, "naam", list(sub.names))

    matches = _match_table(data, a, b, overlap, pairs)
    partial = len(codes) < max(len(a.units), len(b.units))
    return Comparison(a, b, matches, units, match_weight, keep_count, kept_share, partial)


def _match_table(
    data: UnitData, a: Division, b: Division, overlap: np.ndarray, pairs: list[tuple[int, int]]
) -> pd.DataFrame:
    counts = [c for c in DELTA_COUNTS if c in data.counts]
    ta = AreaMetrics(data, a, counts).table().set_index("gebied")
    tb = AreaMetrics(data, b, counts).table().set_index("gebied")
    rows = []
    matched_a = {i for i, _ in pairs}
    matched_b = {j for _, j in pairs}
    order = sorted(pairs) + [(i, None) for i in range(len(a.areas)) if i not in matched_a]
    order += [(None, j) for j in range(len(b.areas)) if j not in matched_b]
    for i, j in order:
        row: dict[str, object] = {
            "gebied_a": a.areas[i] if i is not None else None,
            "gebied_b": b.areas[j] if j is not None else None,
        }
        ov = float(overlap[i, j]) if i is not None and j is not None else 0.0
        row["overlap"] = ov
        for c in counts:
            va = float(ta.loc[a.areas[i], c]) if i is not None else np.nan
            vb = float(tb.loc[b.areas[j], c]) if j is not None else np.nan
            row[f"{c}_a"], row[f"{c}_b"] = va, vb
            row[f"delta_{c}"] = vb - va if i is not None and j is not None else np.nan
        rows.append(row)
    out = pd.DataFrame(rows)
    if "inwoners_a" in out:
        with np.errstate(divide="ignore", invalid="ignore"):
            out["overlap_pct"] = 100.0 * out["overlap"] / out["inwoners_a"]
    if data.year is not None:  # exports state the population year of the counts
        out["jaar"] = int(data.year)
        out["aantallen_geschat"] = bool(data.estimated)
    return out
