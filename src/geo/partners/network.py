"""Distances between places: in a straight line, or along a road network that the user supplies.

Both kinds answer the same question, ``within(origins, targets, cutoff)``: a sparse ``origins x targets``
matrix holding every distance (metres) up to ``cutoff`` inclusive, and nothing for pairs further apart.
A zero distance (two points at the same spot) is stored as an explicit 0: read the pattern from
``indptr``/``indices``, never from non-zero values.

Along a road network a point first goes in a straight line to the nearest road vertex of the network's
main connected part (the "aansluiting"), then along the roads (shortest path, both directions allowed,
edge length = segment length), then in a straight line to the target. Roads are connected where their
vertices coincide to within ``SNAP_GRID_M``; crossings without a shared vertex (bridges, tunnels) are not
junctions. Segments longer than ``MAX_SEGMENT_M`` get extra vertices, so the straight leg to the road is
at most half that longer than the perpendicular. Coordinates are Lambert 72 metres (EPSG:31370).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph
from scipy.spatial import cKDTree

from geo.errors import UserFacingError

#: Vertices closer than this (metres) are one road junction.
SNAP_GRID_M = 1.0
#: Longer road segments get extra vertices, so that a point joins the road near its foot point.
MAX_SEGMENT_M = 200.0
#: A point further than this from the road network gets a warning (its straight leg dominates).
FAR_FROM_ROAD_M = 500.0
#: Cells of the Dijkstra output kept in memory at once (sources x network nodes).
_DIJKSTRA_CELLS = 20_000_000

ROAD_SUFFIXES = (".gpkg", ".geojson", ".json", ".zip", ".shp")


def _as_xy(points) -> np.ndarray:
    return np.asarray(points, dtype=float).reshape(-1, 2)


def _csr(rows: np.ndarray, cols: np.ndarray, dist: np.ndarray, shape: tuple[int, int]) -> sparse.csr_matrix:
    """CSR from (row, col, distance) triples, sorted, explicit zeros kept."""
    order = np.lexsort((cols, rows))
    rows, cols, dist = rows[order], cols[order], dist[order]
    indptr = np.zeros(shape[0] + 1, dtype=np.int64)
    np.add.at(indptr, rows + 1, 1)
    return sparse.csr_matrix(
        (dist.astype(float), cols.astype(np.int64), np.cumsum(indptr)), shape=shape, copy=False
    )


def _densify(coords: np.ndarray, step: float) -> np.ndarray:
    """Extra vertices on segments longer than ``step`` (evenly spaced)."""
    seg = np.hypot(*(coords[1:] - coords[:-1]).T)
    parts = np.maximum(np.ceil(seg / step).astype(np.int64), 1)
    if (parts == 1).all():
        return coords
    t = np.concatenate([np.arange(p) / p for p in parts])
    start = np.repeat(coords[:-1], parts, axis=0)
    delta = np.repeat(coords[1:] - coords[:-1], parts, axis=0)
    return np.vstack([start + delta * t[:, None], coords[-1:]])


def empty_within(n_origins: int, n_targets: int) -> sparse.csr_matrix:
    return sparse.csr_matrix((n_origins, n_targets), dtype=float)


@dataclass(frozen=True)
class StraightLine:
    """Straight-line (as the crow flies) distances in Lambert 72 metres."""

    kind: str = "rechte lijn"

    def describe(self) -> str:
        return "afstand in rechte lijn (vogelvlucht)"

    def within(self, origins, targets, cutoff: float) -> sparse.csr_matrix:
        """Sparse ``origins x targets`` distances up to ``cutoff`` (inclusive)."""
        origins, targets = _as_xy(origins), _as_xy(targets)
        if cutoff < 0:
            raise ValueError("cutoff must be >= 0")
        if len(origins) == 0 or len(targets) == 0:
            return empty_within(len(origins), len(targets))
        hits = cKDTree(targets).query_ball_point(origins, r=cutoff)
        counts = np.fromiter((len(h) for h in hits), dtype=np.int64, count=len(hits))
        rows = np.repeat(np.arange(len(origins)), counts)
        cols = np.fromiter((j for h in hits for j in h), dtype=np.int64, count=int(counts.sum()))
        dist = np.hypot(*(origins[rows] - targets[cols]).T) if len(rows) else np.empty(0)
        inside = dist <= cutoff  # guard against the tree's floating-point slack
        return _csr(rows[inside], cols[inside], dist[inside], (len(origins), len(targets)))

    def warnings(self, *point_sets) -> list[str]:
        return []


@dataclass(frozen=True)
class RoadNetwork:
    """A road graph: ``nodes`` (n x 2, metres) and ``graph`` (symmetric CSR of edge lengths in metres).

    Only the largest connected part is kept for routing (``main``); ``name`` says where it came from.
    """

    nodes: np.ndarray
    graph: sparse.csr_matrix
    name: str
    n_lines: int
    length_m: float
    main_length_m: float
    kind: str = "wegennet"
    _tree: cKDTree = field(repr=False, compare=False, default=None)  # over the main part's nodes

    # ------------------------------------------------------------------------------------- building
    @classmethod
    def from_lines(cls, lines: Iterable, name: str = "wegennet") -> RoadNetwork:
        """From line coordinate sequences (each an (k, 2) array-like, k >= 2) in metres."""
        starts, ends = [], []
        n_lines = 0
        for line in lines:
            coords = np.asarray(line, dtype=float)
            if coords.ndim != 2 or coords.shape[0] < 2:
                continue
            coords = coords[:, :2]
            coords = coords[np.isfinite(coords).all(axis=1)]
            if len(coords) < 2:
                continue
            coords = _densify(coords, MAX_SEGMENT_M)
            starts.append(coords[:-1])
            ends.append(coords[1:])
            n_lines += 1
        if not starts:
            raise UserFacingError(f"{name}: het wegennet bevat geen lijnen met minstens twee punten.")
        a, b = np.vstack(starts), np.vstack(ends)
        keys = np.round(np.vstack([a, b]) / SNAP_GRID_M).astype(np.int64)
        uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
        inverse = inverse.ravel()
        nodes = uniq.astype(float) * SNAP_GRID_M
        u, v = inverse[: len(a)], inverse[len(a) :]
        length = np.hypot(*(a - b).T)
        keep = u != v
        u, v, length = u[keep], v[keep], length[keep]
        n = len(nodes)
        # Parallel segments between the same two junctions: keep the shortest.
        lo, hi = np.minimum(u, v), np.maximum(u, v)
        order = np.lexsort((length, hi, lo))
        lo, hi, length = lo[order], hi[order], length[order]
        first = np.ones(len(lo), dtype=bool)
        first[1:] = (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])
        lo, hi, length = lo[first], hi[first], length[first]
        # Zero-length edges would vanish in a sparse matrix: give them a hair of length.
        length = np.maximum(length, 1e-6)
        graph = sparse.coo_matrix(
            (np.concatenate([length, length]), (np.concatenate([lo, hi]), np.concatenate([hi, lo]))),
            shape=(n, n),
        ).tocsr()
        total = float(length.sum())
        # The main part is the connected part with the most road length.
        _, labels = csgraph.connected_components(graph, directed=False)
        by_length = np.bincount(labels[lo], weights=length, minlength=int(labels.max()) + 1)
        main = labels == int(by_length.argmax())
        main_length = float(length[main[lo]].sum())
        # Keep only the main part, renumbered.
        idx = np.flatnonzero(main)
        sub = graph[idx][:, idx].tocsr()
        return cls(
            nodes=nodes[idx],
            graph=sub,
            name=name,
            n_lines=n_lines,
            length_m=total,
            main_length_m=main_length,
            _tree=cKDTree(nodes[idx]) if len(idx) else None,
        )

    @classmethod
    def from_geodataframe(cls, frame, name: str = "wegennet") -> RoadNetwork:
        """From a GeoDataFrame of (multi)lines, reprojected to EPSG:31370 (no CRS: guessed from values)."""
        import shapely

        frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
        if frame.crs is None:
            minx, miny, maxx, maxy = frame.total_bounds if len(frame) else (0, 0, 0, 0)
            guess = (
                "EPSG:4326" if -180 <= minx and maxx <= 180 and -90 <= miny and maxy <= 90 else "EPSG:31370"
            )
            frame = frame.set_crs(guess)
        frame = frame.to_crs(31370)
        geoms = frame.geometry.values
        kinds = shapely.get_type_id(geoms)
        lines = geoms[np.isin(kinds, (1, 5))]  # LineString, MultiLineString
        if len(lines) == 0:
            raise UserFacingError(
                f"{name}: het bestand bevat geen lijnen (wegen); gevonden: "
                f"{', '.join(sorted(set(frame.geom_type.astype(str)))) or 'niets'}."
            )
        parts = shapely.get_parts(lines)
        return cls.from_lines((shapely.get_coordinates(p) for p in parts), name=name)

    @classmethod
    def read(cls, source: bytes | str | Path, filename: str | None = None) -> RoadNetwork:
        """Read a GeoPackage, GeoJSON or zipped shapefile of roads. Raises UserFacingError (Dutch)."""
        import geopandas as gpd

        if isinstance(source, str | Path):
            filename = filename or Path(source).name
            try:
                data = Path(source).read_bytes()
            except OSError as exc:
                raise UserFacingError(f"Kan {source} niet lezen ({exc.strerror}).") from exc
        else:
            data = source
        name = filename or "wegennet"
        suffix = Path(name).suffix.lower()
        if suffix not in ROAD_SUFFIXES:
            raise UserFacingError(
                f"{name}: onbekend bestandstype voor een wegennet; gebruik GeoPackage (.gpkg), GeoJSON "
                "(.geojson) of een gezipte shapefile (.zip)."
            )
        if not data:
            raise UserFacingError(f"{name}: het bestand is leeg.")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"wegen{suffix}"
            path.write_bytes(data)
            target = f"zip://{path}" if suffix == ".zip" else str(path)
            try:
                frame = gpd.read_file(target)
            except Exception as exc:  # noqa: BLE001 - GDAL raises many kinds
                raise UserFacingError(
                    f"{name}: het wegennet kan niet gelezen worden ({str(exc)[:200]})."
                ) from exc
        return cls.from_geodataframe(frame, name=name)

    # ------------------------------------------------------------------------------------- using
    def describe(self) -> str:
        km = self.main_length_m / 1000
        text = f"afstand over het wegennet '{self.name}' ({km:,.0f} km weg)".replace(",", ".")
        return text + ", met de aansluiting op de dichtstbijzijnde weg in rechte lijn"

    def snap(self, points) -> tuple[np.ndarray, np.ndarray]:
        """Nearest network node (index) and straight-line distance to it, per point."""
        points = _as_xy(points)
        if len(points) == 0 or self._tree is None:
            return np.zeros(len(points), dtype=np.int64), np.full(len(points), np.inf)
        dist, node = self._tree.query(points, k=1)
        return np.asarray(node, dtype=np.int64), np.asarray(dist, dtype=float)

    def warnings(self, *point_sets) -> list[str]:
        """Dutch notes on points far from any road and on roads left out of the main connected part."""
        out = []
        for label, points in point_sets:
            _, d = self.snap(points)
            far = int((d > FAR_FROM_ROAD_M).sum())
            if far:
                out.append(
                    f"{far} {label} liggen meer dan {FAR_FROM_ROAD_M:.0f} m van het wegennet; hun afstand "
                    "tot de eerste weg telt in rechte lijn mee."
                )
        lost = self.length_m - self.main_length_m
        if self.length_m > 0 and lost / self.length_m > 0.01:
            out.append(
                f"{lost / self.length_m * 100:.0f} % van de weglengte hangt niet samen met het grootste "
                "deel van het net en wordt niet gebruikt.".replace(".", ",", 1)
            )
        return out

    def within(self, origins, targets, cutoff: float) -> sparse.csr_matrix:
        """Sparse ``origins x targets`` network distances up to ``cutoff`` (inclusive)."""
        origins, targets = _as_xy(origins), _as_xy(targets)
        if cutoff < 0:
            raise ValueError("cutoff must be >= 0")
        if len(origins) == 0 or len(targets) == 0 or self._tree is None:
            return empty_within(len(origins), len(targets))
        o_node, o_snap = self.snap(origins)
        t_node, t_snap = self.snap(targets)
        # Run Dijkstra from whichever side has fewer distinct nodes.
        flip = len(np.unique(t_node)) < len(np.unique(o_node))
        if flip:
            o_node, o_snap, t_node, t_snap = t_node, t_snap, o_node, o_snap
        src_nodes, src_inv = np.unique(o_node, return_inverse=True)
        tgt_nodes, tgt_inv = np.unique(t_node, return_inverse=True)
        chunk = max(1, _DIJKSTRA_CELLS // max(len(self.nodes), 1))
        node_dist = np.full((len(src_nodes), len(tgt_nodes)), np.inf)
        limit = cutoff - o_snap.min() - t_snap.min()
        if limit >= 0:
            for s in range(0, len(src_nodes), chunk):
                block = csgraph.dijkstra(
                    self.graph, directed=False, indices=src_nodes[s : s + chunk], limit=limit
                )
                node_dist[s : s + chunk] = block[:, tgt_nodes]
        rows, cols, dist = [], [], []
        # Per origin: all targets whose node is reachable; done per distinct source node.
        by_src = np.argsort(src_inv, kind="stable")
        bounds = np.searchsorted(src_inv[by_src], np.arange(len(src_nodes) + 1))
        tgt_order = np.argsort(tgt_inv, kind="stable")
        tgt_bounds = np.searchsorted(tgt_inv[tgt_order], np.arange(len(tgt_nodes) + 1))
        for s in range(len(src_nodes)):
            reach = np.flatnonzero(np.isfinite(node_dist[s]))
            if len(reach) == 0:
                continue
            members = np.concatenate([tgt_order[tgt_bounds[k] : tgt_bounds[k + 1]] for k in reach])
            base = np.repeat(node_dist[s, reach], np.diff(tgt_bounds)[reach]) + t_snap[members]
            for o in by_src[bounds[s] : bounds[s + 1]]:
                total = base + o_snap[o]
                ok = total <= cutoff
                rows.append(np.full(int(ok.sum()), o, dtype=np.int64))
                cols.append(members[ok])
                dist.append(total[ok])
        if rows:
            r, c, d = np.concatenate(rows), np.concatenate(cols), np.concatenate(dist)
        else:
            r = c = np.empty(0, dtype=np.int64)
            d = np.empty(0)
        if flip:
            r, c = c, r
        return _csr(r, c, d, (len(origins), len(targets)))


Distances = StraightLine | RoadNetwork
