"""Per-area metrics of a division, computed from cached count arrays and a precomputed adjacency.

`UnitData` holds what metrics need about the units of one level: counts per unit (inhabitants,
under-25s, deprived under-25s, km², ...), the adjacency edges with their shared border length, unit
perimeters and known exceptions (exclaves). `AreaMetrics` holds the tallies of one division and
updates them incrementally after an edit (only the changed units and the areas they touch). No geometry
is used here: the perimeter of an area is the sum of its unit perimeters minus twice its internal
shared borders.

Extra columns (e.g. a budget in euro per unit from `geo.budget.allocation`) are plain counts: add them with
`UnitData.with_counts(budget_eur=...)` and they are tallied like the others.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from geo.divisions.division import Division

#: Units that are not connected to the rest of their area by design (exclave, enclaves), keyed by the
#: municipality code; matched on the unit code, its `gemeente` parent or its first five characters.
KNOWN_EXCEPTIONS: dict[str, str] = {
    "73109": "Voeren is een exclave (geen grens met de rest van Vlaanderen)",
    "13002": "Baarle-Hertog heeft enclaves in Nederland",
}

_OOSTKUST = "Oostkust is door Zeebrugge (Brugge) in twee delen gesneden"
_SCHELDE = "Linkeroever ligt over de Schelde (verbonden door de tunnels)"
_ELSENE = "Elsene is door de Louizalaan (Brussel) in twee delen gesneden"

#: Pairs of units that count as neighbours for contiguity although they share no border, per level, with
#: the reason. Each bridges a gap in the geography itself (a published zone or a municipality that is not
#: one piece), so an area that needs the bridge lists it as a known exception instead of a break.
KNOWN_LINKS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "gemeente": (("31004", "31043", _OOSTKUST),),  # Blankenberge - Knokke-Heist
    "wijk": (
        ("31004W04", "31043W02", _OOSTKUST),  # Hinterland (Blankenberge) - Heist (Knokke-Heist)
        ("11002Z11", "11002Z18", _SCHELDE),  # Linkeroever - Sint-Andries (Waasland- en Sint-Annatunnel)
        ("11002Z11", "11002Z10", _SCHELDE),  # Linkeroever - Kiel (Kennedytunnel)
        ("21009W40", "21009W42", _ELSENE),  # Louiza - Langehaag - Kastelein
    ),
}

#: Parent columns kept per unit (for splits and the whole-parent rules of `geo.divisions.validity`).
PARENT_COLUMNS = ("gemeente", "district", "elz", "elz57", "provincie")

#: Counts that are tallied per area when the level has them.
DEFAULT_COUNTS = ("inwoners", "pop_0_24", "kansarmoede_n", "kansarmoede_basis", "area_km2")

#: Rates recomputed from summed counts: column -> (numerator, denominator, factor). The deprivation
#: rate divides by `kansarmoede_basis` (under-25s of the units with a known index, see DATA.md).
RATES: dict[str, tuple[str, str, float]] = {"kansarmoede_pct": ("kansarmoede_n", "kansarmoede_basis", 100.0)}

#: Dutch column titles for display.
LABELS: dict[str, str] = {
    "gebied": "Gebied",
    "eenheden": "Eenheden",
    "inwoners": "Inwoners",
    "pop_0_24": "Jongeren 0-24",
    "kansarmoede_n": "Kansarme jongeren (schatting)",
    "kansarmoede_basis": "Jongeren met gekende index",
    "kansarmoede_pct": "Kansarmoede (%)",
    "area_km2": "Oppervlakte (km²)",
    "budget_eur": "Budget (€)",
    "afwijking_pct": "Afwijking van gemiddelde (%)",
    "band": "Doelband",
    "delen": "Delen",
    "samenhangend": "Samenhangend",
    "uitzondering": "Gekende uitzondering",
    "polsby_popper": "Compactheid (Polsby-Popper)",
}


@dataclass(frozen=True, eq=False)
class UnitData:
    """Count arrays and adjacency of the units of one level, in a fixed unit order."""

    level: str
    codes: tuple[str, ...]
    counts: Mapping[str, np.ndarray]
    edges: np.ndarray  # (m, 2) unit positions, a < b
    border_m: np.ndarray  # (m,)
    perimeter_m: np.ndarray | None = None
    xy: np.ndarray | None = None  # (n, 2) centroids in metres, for suggestions only
    exceptions: Mapping[int, str] = field(default_factory=dict)  # unit position -> reason
    estimated: bool = False  # counts are estimates (e.g. wijk level)
    names: tuple[str, ...] | None = None
    has_adjacency: bool = True  # False: no neighbour list for this level, contiguity unknown
    # (k, 2) unit positions that count as neighbours without a border (see KNOWN_LINKS), with reasons
    links: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), dtype=np.int64))
    link_reasons: tuple[str, ...] = ()
    parents: Mapping[str, np.ndarray] = field(
        default_factory=dict
    )  # parent column -> code per unit, "" = none
    parent_names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # column -> code -> name
    year: int | None = None  # population year of the counts (None: not known, e.g. a test table)
    indicator: str | None = None  # deprivation indicator of `kansarmoede_n` (`geo.data.units.INDICATORS`)
    deprivation_estimated: bool = False  # the deprivation counts are (partly) estimates

    @classmethod
    def from_frames(
        cls,
        level: str,
        table: pd.DataFrame,
        adjacency: pd.DataFrame | None,
        perimeter_m: Mapping[str, float] | pd.Series | None = None,
        counts: Sequence[str] | None = None,
        parent_names: Mapping[str, Mapping[str, str]] | None = None,
    ) -> UnitData:
        """Build from a unit table (`code` + count columns, parent columns) and edges (`a`, `b`,
        `border_m`); the level's `KNOWN_LINKS` between units of the table are added."""
        codes = tuple(table["code"].astype(str))
        index = {c: i for i, c in enumerate(codes)}
        has_adjacency = adjacency is not None
        if adjacency is None:
            adjacency = pd.DataFrame({"a": [], "b": [], "border_m": []})
        wanted = counts if counts is not None else [c for c in DEFAULT_COUNTS if c in table.columns]
        arrays = {c: table[c].astype(float).fillna(0.0).to_numpy(copy=True) for c in wanted}
        a = adjacency["a"].astype(str).map(index)
        b = adjacency["b"].astype(str).map(index)
        keep = a.notna() & b.notna() & (a != b)
        pairs = np.sort(np.column_stack([a[keep], b[keep]]).astype(np.int64), axis=1)
        border = adjacency.loc[keep, "border_m"].astype(float).to_numpy() if "border_m" in adjacency else None
        if border is None:
            border = np.zeros(len(pairs))
        if perimeter_m is None and "perimeter_m" in table.columns:
            perimeter_m = dict(zip(codes, table["perimeter_m"].astype(float), strict=True))
        perim = None
        if perimeter_m is not None:
            perim = np.array([float(perimeter_m.get(c, np.nan)) for c in codes])
        xy = table[["x", "y"]].astype(float).to_numpy() if {"x", "y"} <= set(table.columns) else None
        parents = (
            table["gemeente"].astype(str).tolist() if "gemeente" in table.columns else [None] * len(codes)
        )
        exceptions = {}
        for i, (code, parent) in enumerate(zip(codes, parents, strict=True)):
            for key, reason in KNOWN_EXCEPTIONS.items():
                if key in (code, parent, code[:5]):
                    exceptions[i] = reason
        estimated = (
            bool(table["pop_geschat"].fillna(False).astype(bool).any()) if "pop_geschat" in table else False
        )
        names = tuple(table["naam"].astype(str)) if "naam" in table.columns else None
        year = table.attrs.get("jaar")
        if year is None and "jaar" in table.columns and table["jaar"].nunique() == 1:
            year = table["jaar"].iloc[0]
        indicator = table.attrs.get("indicator")
        if indicator is None and "indicator" in table.columns and table["indicator"].nunique() == 1:
            indicator = str(table["indicator"].iloc[0])
        flags = table["kansarmoede_geschat"] if "kansarmoede_geschat" in table else pd.Series([False])
        known = [(index[a], index[b], r) for a, b, r in KNOWN_LINKS.get(level, ()) if {a, b} <= index.keys()]
        links = np.array([sorted(k[:2]) for k in known], dtype=np.int64).reshape(-1, 2)
        parents = {
            c: table[c].astype("string").fillna("").to_numpy(dtype=object)
            for c in PARENT_COLUMNS
            if c in table.columns
        }
        return cls(
            level, codes, arrays, pairs, border, perim, xy, exceptions, estimated, names, has_adjacency,
            links, tuple(k[2] for k in known), parents, dict(parent_names or {}),
            None if year is None else int(year), indicator, bool(flags.fillna(False).astype(bool).any()),
        )  # fmt: skip

    @classmethod
    def load(cls, level: str, year: int | None = None, indicator: str | None = None) -> UnitData:
        """From the built data via `geo.data.units`: the counts of population ``year`` and deprivation
        ``indicator`` (defaults: `units.DEFAULT_YEAR`, `units.DEFAULT_INDICATOR`); cached per choice."""
        from geo.data import units

        return _load_unit_data(level, units.check_year(year), units.check_indicator(indicator))

    def with_counts(self, **arrays: np.ndarray | pd.Series) -> UnitData:
        """A copy with extra count columns (Series are aligned on unit code; missing -> 0)."""
        counts = dict(self.counts)
        for name, values in arrays.items():
            if isinstance(values, pd.Series):
                values = values.reindex(list(self.codes)).astype(float).fillna(0.0).to_numpy()
            values = np.asarray(values, dtype=float)
            if values.shape != (self.n,):
                raise ValueError(f"count {name} needs one value per unit")
            counts[name] = values
        return replace(self, counts=counts)

    def subset(self, codes: Sequence[str]) -> UnitData:
        """The same data restricted to `codes` (in that order), e.g. the units of one parent area."""
        pos = np.fromiter((self.index[c] for c in codes), dtype=np.int64, count=len(codes))
        new_pos = np.full(self.n, -1, dtype=np.int64)
        new_pos[pos] = np.arange(len(pos))
        ea, eb = new_pos[self.edges[:, 0]], new_pos[self.edges[:, 1]]
        keep = (ea >= 0) & (eb >= 0)
        edges = np.sort(np.column_stack([ea[keep], eb[keep]]), axis=1)
        exceptions = {int(new_pos[i]): r for i, r in self.exceptions.items() if new_pos[i] >= 0}
        la, lb = new_pos[self.links[:, 0]], new_pos[self.links[:, 1]]
        keep_links = (la >= 0) & (lb >= 0)
        return replace(
            self,
            codes=tuple(codes),
            counts={k: v[pos] for k, v in self.counts.items()},
            edges=edges,
            border_m=self.border_m[keep],
            perimeter_m=None if self.perimeter_m is None else self.perimeter_m[pos],
            xy=None if self.xy is None else self.xy[pos],
            exceptions=exceptions,
            names=None if self.names is None else tuple(self.names[i] for i in pos),
            links=np.sort(np.column_stack([la[keep_links], lb[keep_links]]), axis=1),
            link_reasons=tuple(r for r, k in zip(self.link_reasons, keep_links, strict=True) if k),
            parents={k: v[pos] for k, v in self.parents.items()},
        )

    def for_division(self, division: Division) -> UnitData:
        """This data, or its subset over the units of `division` (cached per unit set)."""
        if division.units == self.codes:
            return self
        cache = self.__dict__.setdefault("_subsets", {})
        key = division.units
        if key not in cache:
            if len(cache) > 16:
                cache.clear()
            cache[key] = self.subset(division.units)
        return cache[key]

    @property
    def n(self) -> int:
        return len(self.codes)

    @cached_property
    def index(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.codes)}

    @cached_property
    def adjacency(self) -> sparse.csr_matrix:
        """Symmetric unit x unit matrix (1 where units share a border or a known link)."""
        a, b = np.r_[self.edges[:, 0], self.links[:, 0]], np.r_[self.edges[:, 1], self.links[:, 1]]
        data = np.ones(2 * len(a), dtype=np.int8)
        m = sparse.coo_matrix((data, (np.r_[a, b], np.r_[b, a])), shape=(self.n, self.n)).tocsr()
        m.sum_duplicates()
        m.data[:] = 1
        return m

    @cached_property
    def border_adjacency(self) -> sparse.csr_matrix:
        """Like `adjacency`, but only shared borders (no known links)."""
        a, b = self.edges[:, 0], self.edges[:, 1]
        m = sparse.coo_matrix(
            (np.ones(2 * len(a), dtype=np.int8), (np.r_[a, b], np.r_[b, a])), shape=(self.n, self.n)
        ).tocsr()
        m.data[:] = 1
        return m

    @cached_property
    def incidence(self) -> sparse.csr_matrix:
        """Unit x edge matrix: row i lists the edges that touch unit i."""
        m = len(self.edges)
        rows = np.r_[self.edges[:, 0], self.edges[:, 1]]
        cols = np.r_[np.arange(m), np.arange(m)]
        return sparse.csr_matrix((np.ones(2 * m, dtype=np.int8), (rows, cols)), shape=(self.n, m))

    @cached_property
    def exception_mask(self) -> np.ndarray:
        mask = np.zeros(self.n, dtype=bool)
        mask[list(self.exceptions)] = True
        return mask

    def count_matrix(self, names: Sequence[str]) -> np.ndarray:
        return np.vstack([self.counts[c] for c in names]) if names else np.zeros((0, self.n))

    def check_division(self, division: Division) -> None:
        if division.units != self.codes:
            raise ValueError(f"division units do not match the units of level {self.level}")


@lru_cache(maxsize=16)
def _load_unit_data(level: str, year: int, indicator: str) -> UnitData:
    from geo.data import units

    table = units.load_table(level, year=year, indicator=indicator)
    try:
        adjacency = units.adjacency(level)
    except KeyError:  # e.g. Antwerp postcodes: no polygons, so no neighbour list
        adjacency = None
    perimeter = None
    if "perimeter_m" not in table.columns and units.LEVELS[level].has_geometry:
        # Once per level and process; interactions reuse the array.
        layer = units.load_layer(level)
        perimeter = pd.Series(layer.geometry.length.to_numpy(), index=layer["code"].astype(str))
    names = {}
    for column in PARENT_COLUMNS:
        if column in table.columns and column in units.LEVELS:
            parent = units.load_table(column)
            names[column] = dict(zip(parent["code"].astype(str), parent["naam"].astype(str), strict=True))
    return UnitData.from_frames(level, table, adjacency, perimeter, parent_names=names)


# ---------------------------------------------------------------------- contiguity


def area_parts(data: UnitData, members: np.ndarray) -> tuple[int, list[str]]:
    """Connected parts of one area (unit positions `members`): (parts not explained by a known
    exception, reasons of the exceptions it relies on). An area made only of exception units counts as 1;
    a known link (`KNOWN_LINKS`) joins the two units it names."""
    if len(members) == 0:
        return 0, []
    sub = data.adjacency[members][:, members]
    n_comp, comp = connected_components(sub, directed=False)
    reasons = set(_link_reasons(data, members))
    if n_comp == 1:
        return 1, sorted(reasons)
    exc = data.exception_mask[members]
    all_exc = np.bincount(comp, weights=~exc, minlength=n_comp) == 0
    reasons |= {data.exceptions[int(members[i])] for i in np.flatnonzero(all_exc[comp])}
    normal = int((~all_exc).sum())
    return max(normal, 1), sorted(reasons)


def _link_reasons(data: UnitData, members: np.ndarray) -> list[str]:
    """Reasons of the known links that join parts of the area `members` which borders alone leave apart."""
    if not len(data.links):
        return []
    inside = np.isin(data.links, members).all(axis=1)
    if not inside.any():
        return []
    pos = np.full(data.n, -1, dtype=np.int64)
    pos[members] = np.arange(len(members))
    _, comp = connected_components(data.border_adjacency[members][:, members], directed=False)
    links = data.links[inside]
    apart = comp[pos[links[:, 0]]] != comp[pos[links[:, 1]]]
    return [r for r, used in zip(np.array(data.link_reasons)[inside], apart, strict=True) if used]


def components(data: UnitData, labels: np.ndarray, links: bool = True) -> np.ndarray:
    """Component id per unit of the graph that keeps only borders (and known links) inside one area;
    unassigned units are each their own component."""
    a, b = data.edges[:, 0], data.edges[:, 1]
    if links and len(data.links):
        a, b = np.r_[a, data.links[:, 0]], np.r_[b, data.links[:, 1]]
    same = (labels[a] == labels[b]) & (labels[a] >= 0)
    g = sparse.coo_matrix((np.ones(same.sum()), (a[same], b[same])), shape=(data.n, data.n))
    return connected_components(g, directed=False)[1]


def _all_parts(data: UnitData, labels: np.ndarray, n_areas: int) -> tuple[np.ndarray, list[list[str]]]:
    """Parts per area for every area at once (one connected-components call, two with known links)."""
    comp = components(data, labels)
    assigned = labels >= 0
    exc_comp = np.bincount(comp, weights=~data.exception_mask, minlength=comp.max() + 1) == 0
    pairs = np.unique(np.column_stack([labels[assigned], comp[assigned]]), axis=0)
    normal = ~exc_comp[pairs[:, 1]]
    parts = np.bincount(pairs[normal, 0], minlength=n_areas)
    has_units = np.bincount(labels[assigned], minlength=n_areas) > 0
    parts = np.where(has_units & (parts == 0), 1, parts)
    reasons: list[set[str]] = [set() for _ in range(n_areas)]
    for lab, c in pairs[~normal]:
        members = np.flatnonzero(comp == c)
        reasons[lab] |= {data.exceptions[int(i)] for i in members}
    for lab, reason in used_links(data, labels):
        reasons[lab].add(reason)
    return parts.astype(np.int64), [sorted(r) for r in reasons]


def used_links(data: UnitData, labels: np.ndarray) -> list[tuple[int, str]]:
    """(area label, reason) of every known link that joins parts of one area that borders leave apart."""
    if not len(data.links):
        return []
    la, lb = labels[data.links[:, 0]], labels[data.links[:, 1]]
    inside = (la == lb) & (la >= 0)
    if not inside.any():
        return []
    plain = components(data, labels, links=False)
    apart = inside & (plain[data.links[:, 0]] != plain[data.links[:, 1]])
    return [(int(la[i]), data.link_reasons[i]) for i in np.flatnonzero(apart)]


# ---------------------------------------------------------------------- tallies


@dataclass(frozen=True)
class Band:
    """Target band for one count, e.g. 200,000-250,000 inhabitants per SWV."""

    column: str = "inwoners"
    low: float | None = None
    high: float | None = None

    def status(self, value: float) -> str:
        if self.low is not None and value < self.low:
            return "onder"
        if self.high is not None and value > self.high:
            return "boven"
        return "binnen"


@dataclass(frozen=True)
class Summary:
    """Whole-division figures."""

    n_areas: int
    n_units: int
    n_assigned: int
    unassigned: tuple[str, ...]
    doubly_assigned: tuple[str, ...]  # always empty for a Division; files are checked on import
    balance_column: str
    max_min_ratio: float | None
    cv: float | None
    not_contiguous: tuple[str, ...]
    empty_areas: tuple[str, ...]
    exceptions: tuple[str, ...]
    totals: Mapping[str, float]
    unassigned_totals: Mapping[str, float]
    contiguity_known: bool = True

    @property
    def problems(self) -> list[str]:
        """Dutch sentences for what needs attention."""
        out = []
        if self.unassigned:
            out.append(f"{len(self.unassigned)} eenheden zonder gebied: {_short_list(self.unassigned)}.")
        if self.doubly_assigned:
            out.append(f"{len(self.doubly_assigned)} eenheden dubbel toegewezen.")
        if self.not_contiguous:
            out.append(f"Niet samenhangend: {_short_list(self.not_contiguous)}.")
        if self.empty_areas:
            out.append(f"Lege gebieden: {_short_list(self.empty_areas)}.")
        if not self.contiguity_known:
            out.append("Samenhang niet te controleren: voor dit niveau is er geen burenlijst.")
        return out


def _short_list(items: Sequence[str], n: int = 10) -> str:
    shown = ", ".join(items[:n])
    return shown + (f" en {len(items) - n} andere" if len(items) > n else "")


class AreaMetrics:
    """Tallies of one division over `UnitData` (or its subset over the division's units);
    `update(new_division)` recomputes incrementally."""

    #: Above this share of changed units a full recomputation is cheaper.
    FULL_RECOMPUTE_SHARE = 0.25

    def __init__(self, data: UnitData, division: Division, counts: Sequence[str] | None = None) -> None:
        data = data.for_division(division)
        self.data = data
        self.division = division
        self.count_names = tuple(counts if counts is not None else data.counts)
        self._full()

    # -- computation
    def _full(self) -> None:
        d, lab = self.data, self.division.labels
        k = len(self.division.areas)
        assigned = lab >= 0
        la = lab[assigned]
        self.sums = np.vstack(
            [np.bincount(la, weights=d.counts[c][assigned], minlength=k) for c in self.count_names]
        ).reshape(len(self.count_names), k)
        self.n_units = np.bincount(la, minlength=k).astype(np.int64)
        a, b = d.edges[:, 0], d.edges[:, 1]
        same = (lab[a] == lab[b]) & (lab[a] >= 0)
        self.internal = np.bincount(lab[a][same], weights=d.border_m[same], minlength=k)
        self.parts, self.reasons = _all_parts(d, lab, k)

    def update(self, division: Division) -> AreaMetrics:
        """Metrics of `division` (an edit of this one), reusing the tallies of untouched areas."""
        self.data.check_division(division)
        old, new = self.division.labels, division.labels
        changed = np.flatnonzero(old != new)
        out = object.__new__(AreaMetrics)
        out.data, out.division, out.count_names = self.data, division, self.count_names
        if len(changed) > self.FULL_RECOMPUTE_SHARE * self.data.n:
            out._full()
            return out
        k_old, k_new = len(self.division.areas), len(division.areas)
        size = max(k_old, k_new) + 1  # last slot collects the unassigned (-1)
        sums = np.zeros((len(self.count_names), size))
        sums[:, :k_old] = self.sums
        n_units = np.zeros(size, dtype=np.int64)
        n_units[:k_old] = self.n_units
        internal = np.zeros(size)
        internal[:k_old] = self.internal
        parts = np.zeros(size, dtype=np.int64)
        parts[:k_old] = self.parts
        reasons = list(self.reasons) + [[] for _ in range(size - k_old)]
        if len(changed):
            lo, ln = old[changed], new[changed]  # -1 indexes the spare last slot
            cm = self.data.count_matrix(self.count_names)[:, changed]
            for row in range(len(self.count_names)):
                np.subtract.at(sums[row], lo, cm[row])
                np.add.at(sums[row], ln, cm[row])
            np.subtract.at(n_units, lo, 1)
            np.add.at(n_units, ln, 1)
            edge_ids = np.unique(self.data.incidence[changed].indices)
            ea, eb = self.data.edges[edge_ids, 0], self.data.edges[edge_ids, 1]
            w = self.data.border_m[edge_ids]
            was = (old[ea] == old[eb]) & (old[ea] >= 0)
            now = (new[ea] == new[eb]) & (new[ea] >= 0)
            np.subtract.at(internal, old[ea][was], w[was])
            np.add.at(internal, new[ea][now], w[now])
            for area in set(lo.tolist()) | set(ln.tolist()):
                if 0 <= area < k_new:
                    parts[area], reasons[area] = area_parts(self.data, np.flatnonzero(new == area))
        out.sums = sums[:, :k_new]
        out.n_units = n_units[:k_new]
        out.internal = internal[:k_new]
        out.parts = parts[:k_new]
        out.reasons = reasons[:k_new]
        return out

    # -- results
    def perimeter(self) -> np.ndarray:
        """Perimeter per area in metres (sum of unit perimeters - 2 x internal shared borders); NaN for an
        area of several units when the level has no neighbour list (its shared borders are unknown)."""
        if self.data.perimeter_m is None:
            return np.full(len(self.division.areas), np.nan)
        lab = self.division.labels
        assigned = lab >= 0
        total = np.bincount(
            lab[assigned], weights=self.data.perimeter_m[assigned], minlength=len(self.n_units)
        )
        perimeter = total - 2.0 * self.internal
        if not self.data.has_adjacency:
            perimeter = np.where(np.asarray(self.n_units) > 1, np.nan, perimeter)
        return perimeter

    def polsby_popper(self) -> np.ndarray:
        """4 pi A / P^2 per area (1 = circle; NaN without perimeters or km²)."""
        if "area_km2" not in self.count_names:
            return np.full(len(self.division.areas), np.nan)
        area_m2 = self.column("area_km2") * 1e6
        perim = self.perimeter()
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(perim > 0, 4.0 * math.pi * area_m2 / perim**2, np.nan)

    def column(self, name: str) -> np.ndarray:
        return self.sums[self.count_names.index(name)]

    def table(self, band: Band | None = None, balance: str | None = None) -> pd.DataFrame:
        """One row per area: units, counts, rates from counts, deviation from the mean of `balance`
        (default: the band column or `inwoners`), band status, parts, known exceptions, compactness."""
        balance = balance or (band.column if band else None) or self._default_balance()
        out = pd.DataFrame({"gebied": list(self.division.areas), "eenheden": self.n_units})
        for i, name in enumerate(self.count_names):
            out[name] = self.sums[i]
        for rate, (num, den, factor) in RATES.items():
            if num in self.count_names and den in self.count_names:
                n, d = self.column(num), self.column(den)
                with np.errstate(divide="ignore", invalid="ignore"):
                    out[rate] = np.where(d > 0, factor * n / d, np.nan)
        if balance in self.count_names and len(out):
            values = self.column(balance)
            mean = values.mean()
            out["afwijking_pct"] = 100.0 * (values - mean) / mean if mean else np.nan
        if band is not None and band.column in self.count_names:
            out["band"] = [band.status(v) for v in self.column(band.column)]
        if self.data.has_adjacency:
            out["delen"] = self.parts
            out["samenhangend"] = self.parts <= 1
        else:  # unknown without a neighbour list
            out["delen"] = pd.array([pd.NA] * len(out), dtype="Int64")
            out["samenhangend"] = pd.array([pd.NA] * len(out), dtype="boolean")
        out["uitzondering"] = ["; ".join(r) for r in self.reasons]
        out["polsby_popper"] = self.polsby_popper()
        return with_vintage(out, self.data)

    def summary(self, balance: str | None = None) -> Summary:
        balance = balance or self._default_balance()
        div, lab = self.division, self.division.labels
        values = self.column(balance) if balance in self.count_names else np.zeros(0)
        nonempty = self.n_units > 0
        ratio = cv = None
        if len(values) and nonempty.any():
            v = values
            ratio = float(v.max() / v.min()) if v.min() > 0 else None
            cv = float(v.std() / v.mean()) if v.mean() > 0 else None
        unassigned = lab < 0
        reasons = sorted({r for rs in self.reasons for r in rs})
        return Summary(
            n_areas=len(div.areas),
            n_units=len(lab),
            n_assigned=int((~unassigned).sum()),
            unassigned=tuple(div.units[i] for i in np.flatnonzero(unassigned)),
            doubly_assigned=(),
            balance_column=balance,
            max_min_ratio=ratio,
            cv=cv,
            not_contiguous=tuple(div.areas[i] for i in np.flatnonzero(self.parts > 1))
            if self.data.has_adjacency
            else (),
            contiguity_known=self.data.has_adjacency,
            empty_areas=tuple(div.areas[i] for i in np.flatnonzero(~nonempty)),
            exceptions=tuple(reasons),
            totals={
                c: float(self.sums[i].sum() + self.data.counts[c][unassigned].sum())
                for i, c in enumerate(self.count_names)
            },  # fmt: skip
            unassigned_totals={c: float(self.data.counts[c][unassigned].sum()) for c in self.count_names},
        )

    def _default_balance(self) -> str:
        return (
            "inwoners"
            if "inwoners" in self.count_names
            else (self.count_names[0] if self.count_names else "")
        )


def compute(data: UnitData, division: Division, band: Band | None = None) -> pd.DataFrame:
    """Shortcut: the per-area table of `division`."""
    return AreaMetrics(data, division).table(band)


def changed_areas(
    before: pd.DataFrame, after: pd.DataFrame, columns: Sequence[str] | None = None
) -> list[str]:
    """Areas whose tallies differ between two metric tables (for tests and highlighting)."""
    columns = list(columns or [c for c in before.columns if c in DEFAULT_COUNTS or c in ("eenheden",)])
    b = before.set_index("gebied")[columns]
    a = after.set_index("gebied")[columns]
    areas = sorted(set(a.index) | set(b.index))
    b, a = b.reindex(areas), a.reindex(areas)
    diff = ~np.isclose(a.to_numpy(dtype=float), b.to_numpy(dtype=float), equal_nan=True).all(axis=1)
    return [areas[i] for i in np.flatnonzero(diff)]


#: Columns that say where the counts of a table come from (added by `with_vintage`).
VINTAGE_COLUMNS = ("jaar", "aantallen_geschat", "indicator", "kansarmoede_geschat")


def with_vintage(table: pd.DataFrame, data: UnitData) -> pd.DataFrame:
    """``table`` with the population year, the deprivation indicator and the estimate flags of ``data`` as
    columns (so every export states them), when ``data`` knows its year."""
    if data.year is None:
        return table
    from geo.data import units

    out = table.copy()
    out["jaar"] = int(data.year)
    out["aantallen_geschat"] = bool(data.estimated)
    known = units.INDICATORS.get(data.indicator or "")
    out["indicator"] = known.label if known else (data.indicator or "")  # Dutch in every export
    out["kansarmoede_geschat"] = bool(data.deprivation_estimated)
    return out


def vintage_labels(table: pd.DataFrame) -> dict[str, str]:
    """Dutch titles of the count columns that say their year and whether they are estimates, from the
    columns of `with_vintage` (plain `LABELS` when the table does not carry them)."""
    from geo.data import units

    labels = dict(LABELS)
    if "jaar" not in table.columns or table.empty:
        return labels
    year = int(table["jaar"].iloc[0])
    ages = bool(table["aantallen_geschat"].iloc[0])
    people = ages and year not in units.SECTOR_YEARS
    labels["inwoners"] = units.year_header(LABELS["inwoners"], year, people)
    labels["pop_0_24"] = units.year_header(LABELS["pop_0_24"], year, ages)
    labels["kansarmoede_basis"] = units.year_header(LABELS["kansarmoede_basis"], year, ages)
    indicator = units.indicator_key(str(table["indicator"].iloc[0]))
    # Deprived young people are always an estimate: 0-24 x an index of births (K&G) or of sectors (BIMD).
    labels["kansarmoede_n"] = units.year_header("Kansarme jongeren", year, True)
    if indicator in units.INDICATORS:
        level = None if bool(table["kansarmoede_geschat"].iloc[0]) else "gemeente"
        labels["kansarmoede_pct"] = units.indicator_header(indicator, level=level)
    else:  # the Antwerp postcode table: K&G index of the postcode (Tabel 8)
        labels["kansarmoede_pct"] = f"Kansarmoede (%, K&G {year})"
    return labels


def display_table(table: pd.DataFrame) -> pd.DataFrame:
    """The per-area table with Dutch titles and nl-BE formatted text (for screens and the CLI); the count
    titles say their year and flag estimates when the table carries them (`with_vintage`)."""
    from geo import fmt as nl

    labels = vintage_labels(table)
    out = pd.DataFrame({LABELS["gebied"]: table["gebied"], LABELS["eenheden"]: table["eenheden"]})
    formats = {
        "inwoners": nl.number,
        "pop_0_24": nl.number,
        "kansarmoede_pct": nl.percent,
        "budget_eur": nl.euro,
        "area_km2": lambda v: nl.number(v, 1),
        "afwijking_pct": lambda v: ("+" if v > 0 else "") + nl.percent(v),
    }
    for col, fmt in formats.items():
        if col in table:
            out[labels[col]] = table[col].map(lambda v, f=fmt: "–" if pd.isna(v) else f(v))
    if "band" in table:
        out[LABELS["band"]] = table["band"]
    out[LABELS["delen"]] = table["delen"].astype(object).where(table["delen"].notna(), "?")
    out[LABELS["uitzondering"]] = table["uitzondering"]
    out["Compactheid"] = table["polsby_popper"].map(lambda v: "–" if pd.isna(v) else nl.number(v, 2))
    return out


def unit_frame(data: UnitData) -> pd.DataFrame:
    """Unit codes, names and counts as a frame (for tables in the pages)."""
    out = pd.DataFrame({"code": list(data.codes)})
    if data.names is not None:
        out["naam"] = list(data.names)
    for name, values in data.counts.items():
        out[name] = values
    return out
