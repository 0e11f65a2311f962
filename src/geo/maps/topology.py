"""Compact map geometry: a polygon coverage as TopoJSON (every shared border stored once, quantised).

The display layers are coverage-simplified, so neighbouring units share their border vertices exactly.
`build_topology` cuts every ring at the junctions (points where more than two borders meet, or where a
border stops being shared), keeps each border piece ("arc") once, snaps coordinates to a grid of
10^-precision degrees and stores each arc as integer steps. For the 2767 wijken of Flanders and
Brussels this is about a third of the GeoJSON. `decode` turns a topology back into GeoJSON (used by the
tests and for checks; the browser has its own decoder in `geo_app`).

The topology keeps the features in the order of the source; `codes(topology)` lists them, so values per
unit can travel to the browser as plain arrays in that order.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

OBJECT = "units"
Point = tuple[int, int]


def _rings_of(geometry: Mapping) -> list[list[list[Sequence[float]]]]:
    """Polygons of a geometry as lists of rings (Polygon -> one polygon)."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"enkel vlakken kunnen in een topologie, geen {geometry['type']}")


def _quantise(ring: Sequence[Sequence[float]], x0: float, y0: float, k: float) -> list[Point]:
    """Ring snapped to the integer grid, consecutive repeats dropped, closed (first == last)."""
    out: list[Point] = []
    for p in ring:
        q = (round((float(p[0]) - x0) * k), round((float(p[1]) - y0) * k))
        if not out or q != out[-1]:
            out.append(q)
    if out[0] != out[-1]:
        out.append(out[0])
    return out


def _canonical_closed(points: list[Point]) -> tuple[Point, ...]:
    """A closed arc without junctions, rotated to start at its smallest point (first == last)."""
    body = points[:-1]
    i = body.index(min(body))
    rotated = body[i:] + body[:i]
    return tuple(rotated + [rotated[0]])


def build_topology(
    geojson: Mapping,
    *,
    precision: int = 4,
    id_field: str = "code",
    properties: Mapping[str, str] | None = None,
) -> dict:
    """TopoJSON of a FeatureCollection of polygons (ids from `properties[id_field]`).

    `properties` maps an output property name to a source property (default: name `n` from `naam`).
    Rings that collapse on the grid (fewer than 4 positions) are dropped; a unit keeps at least its
    largest ring.
    """
    props_map = dict(properties) if properties is not None else {"n": "naam"}
    features = list(geojson["features"])
    xs: list[float] = []
    ys: list[float] = []
    for f in features:
        for poly in _rings_of(f["geometry"]):
            for ring in poly:
                for p in ring:
                    xs.append(float(p[0]))
                    ys.append(float(p[1]))
    k = 10**precision
    x0 = min(xs)
    y0 = min(ys)

    # 1. Quantised rings per feature (polygon -> rings).
    shapes: list[list[list[list[Point]]]] = []
    for f in features:
        polys = []
        for poly in _rings_of(f["geometry"]):
            rings = [_quantise(r, x0, y0, k) for r in poly]
            kept = [r for r in rings if len(r) >= 4]
            if kept and len(rings[0]) >= 4:
                polys.append(kept)
        if not polys:  # keep something for a unit smaller than the grid: its first ring as is
            first = _quantise(_rings_of(f["geometry"])[0][0], x0, y0, k)
            polys = [[first if len(first) >= 4 else [first[0]] * 4]]
        shapes.append(polys)

    # 2. Junctions: points whose distinct neighbours differ from exactly two.
    neighbours: dict[Point, set[Point]] = {}
    for polys in shapes:
        for rings in polys:
            for ring in rings:
                n = len(ring) - 1
                for i in range(n):
                    p = ring[i]
                    s = neighbours.setdefault(p, set())
                    s.add(ring[i - 1] if i else ring[n - 1])
                    s.add(ring[i + 1])
    junction = {p for p, s in neighbours.items() if len(s) != 2}

    # 3. Cut rings at junctions and keep every arc once (a reversed match is referenced as ~index).
    arcs: list[list[Point]] = []
    index: dict[tuple[Point, ...], int] = {}

    def arc_ref(points: list[Point], closed: bool) -> int:
        key = _canonical_closed(points) if closed else tuple(points)
        if key in index:
            return index[key]
        rev = _canonical_closed(points[::-1]) if closed else tuple(points[::-1])
        if rev in index:
            return ~index[rev]
        index[key] = len(arcs)
        arcs.append(list(key))
        return len(arcs) - 1

    geometries: list[dict] = []
    for f, polys in zip(features, shapes, strict=True):
        out_polys = []
        for rings in polys:
            out_rings = []
            for ring in rings:
                body = ring[:-1]
                cuts = [i for i, p in enumerate(body) if p in junction]
                if not cuts:
                    out_rings.append([arc_ref(ring, closed=True)])
                    continue
                start = cuts[0]
                rotated = body[start:] + body[:start] + [body[start]]
                cut_at = [i - start for i in cuts] + [len(body)]
                refs = [
                    arc_ref(rotated[a : b + 1], closed=False)
                    for a, b in zip(cut_at, cut_at[1:], strict=False)
                ]
                out_rings.append(refs)
            out_polys.append(out_rings)
        src = f["properties"]
        geom: dict[str, Any] = {"id": str(src[id_field])}
        if len(out_polys) == 1:
            geom.update(type="Polygon", arcs=out_polys[0])
        else:
            geom.update(type="MultiPolygon", arcs=out_polys)
        props = {out: src.get(name) for out, name in props_map.items() if src.get(name) is not None}
        if props:
            geom["properties"] = props
        geometries.append(geom)

    encoded = []
    for arc in arcs:
        prev = (0, 0)
        steps = []
        for p in arc:
            steps.append([p[0] - prev[0], p[1] - prev[1]])
            prev = p
        encoded.append(steps)
    return {
        "type": "Topology",
        "bbox": [min(xs), min(ys), max(xs), max(ys)],
        "transform": {"scale": [1 / k, 1 / k], "translate": [x0, y0]},
        "objects": {OBJECT: {"type": "GeometryCollection", "geometries": geometries}},
        "arcs": encoded,
    }


def codes(topology: Mapping) -> list[str]:
    """Unit codes in the order of the topology's features."""
    return [g["id"] for g in topology["objects"][OBJECT]["geometries"]]


def _decoded_arcs(topology: Mapping) -> list[list[list[float]]]:
    sx, sy = topology["transform"]["scale"]
    tx, ty = topology["transform"]["translate"]
    out = []
    for arc in topology["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append([x * sx + tx, y * sy + ty])
        out.append(pts)
    return out


def _ring(refs: Iterable[int], arcs: list[list[list[float]]]) -> list[list[float]]:
    ring: list[list[float]] = []
    for ref in refs:
        pts = arcs[ref] if ref >= 0 else arcs[~ref][::-1]
        ring.extend(pts if not ring else pts[1:])
    return ring


def decode(topology: Mapping) -> dict:
    """The topology as a GeoJSON FeatureCollection (properties as stored, `code` = id)."""
    arcs = _decoded_arcs(topology)
    features = []
    for g in topology["objects"][OBJECT]["geometries"]:
        if g["type"] == "Polygon":
            geometry = {"type": "Polygon", "coordinates": [_ring(r, arcs) for r in g["arcs"]]}
        else:
            geometry = {
                "type": "MultiPolygon",
                "coordinates": [[_ring(r, arcs) for r in poly] for poly in g["arcs"]],
            }
        props = {"code": g["id"], **g.get("properties", {})}
        features.append({"type": "Feature", "id": g["id"], "properties": props, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def dumps(topology: Mapping) -> bytes:
    """Compact JSON bytes (no spaces)."""
    return json.dumps(topology, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def write_file(topology: Mapping, directory: Path, stem: str) -> str:
    """Write `<stem>-<hash>.json` into `directory` (atomic; older files of that stem removed).

    Returns the file name. The content hash in the name lets browsers cache the file for good.
    """
    payload = dumps(topology)
    name = f"{stem}-{hashlib.sha256(payload).hexdigest()[:12]}.json"
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / name
    if not target.is_file():
        tmp = directory / f".{name}.{os.getpid()}.part"
        tmp.write_bytes(payload)
        os.replace(tmp, target)
    for old in directory.glob(f"{stem}-*.json"):
        if old.name != name:
            try:
                old.unlink()
            except OSError:
                pass
    return name
