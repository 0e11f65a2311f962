"""The areas of a division as vector paths for a printed map: units coloured by area, area outlines, a
legend, a scale bar and the data attribution.

Geometry comes from the built layer (`geo.data.units.load_layer`, EPSG:31370, metres), simplified as a
coverage (shared borders stay shared) with a tolerance of about a third of a millimetre on paper, so a
map of Flanders stays small and a map of Antwerp keeps its detail. Coordinates stay in metres: the
drawing code only scales them, which makes the scale bar exact.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely

from geo.data import units
from geo.divisions.division import Division
from geo.maps.views import UNASSIGNED, ordered_colors

GREY = "#d9d9d9"
#: Map width on paper in millimetres (the tolerance of the simplification follows from it).
PAPER_MM = 170.0


@dataclass
class MapShape:
    """One polygon ring set: exterior and holes as (n, 2) arrays in metres, and its fill colour."""

    rings: list[np.ndarray]
    fill: str


@dataclass
class StaticMap:
    """Everything a renderer needs: shapes, area outlines, bounds, legend, scale bar, attribution."""

    shapes: list[MapShape]
    outlines: list[list[np.ndarray]]  # rings of each area's outline
    bounds: tuple[float, float, float, float]  # minx, miny, maxx, maxy in metres
    legend: list[tuple[str, str]]  # (colour, label)
    scale_m: float  # length of the scale bar in metres (a round number)
    attribution: str
    crs: str = "EPSG:31370 (Belgische Lambert 72)"

    @property
    def width_m(self) -> float:
        return self.bounds[2] - self.bounds[0]

    @property
    def height_m(self) -> float:
        return self.bounds[3] - self.bounds[1]


def round_length(target_m: float) -> float:
    """The largest 1, 2 or 5 x 10^k metres not above `target_m` (scale bar length)."""
    if target_m <= 0:
        return 0.0
    power = 10 ** math.floor(math.log10(target_m))
    for f in (5, 2, 1):
        if f * power <= target_m:
            return float(f * power)
    return float(power)


def scale_text(metres: float) -> str:
    """`500 m`, `2 km`, `20 km`."""
    return f"{metres / 1000:g} km".replace(".", ",") if metres >= 1000 else f"{metres:g} m"


@lru_cache(maxsize=8)
def _layer_arrays(level: str) -> tuple[tuple[str, ...], np.ndarray]:
    layer = units.load_layer(level)
    return tuple(layer["code"].astype(str)), layer.geometry.to_numpy()


def _rings(geom) -> list[np.ndarray]:
    out = []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.is_empty or poly.geom_type != "Polygon":
            continue
        out.append(np.asarray(poly.exterior.coords)[:, :2])
        out.extend(np.asarray(r.coords)[:, :2] for r in poly.interiors)
    return out


def build(division: Division, attribution: str = "", paper_mm: float = PAPER_MM) -> StaticMap | None:
    """The map of `division`'s units (None for levels without polygons, e.g. Antwerp postcodes)."""
    if not units.LEVELS[division.level].has_geometry:
        return None
    codes, geoms = _layer_arrays(division.level)
    pos = {c: i for i, c in enumerate(codes)}
    idx = np.array([pos[u] for u in division.units if u in pos], dtype=np.int64)
    labels = np.array([division.labels[division.index_of(codes[i])] for i in idx], dtype=np.int64)
    chosen = geoms[idx]
    minx, miny, maxx, maxy = shapely.total_bounds(chosen)
    tolerance = max(maxx - minx, maxy - miny) / paper_mm * 0.3
    simple = shapely.coverage_simplify(chosen, tolerance)
    colors = ordered_colors(division.areas)
    fills = [colors[division.areas[k]] if k >= 0 else GREY for k in labels]
    shapes = [MapShape(_rings(g), f) for g, f in zip(simple, fills, strict=True)]
    outlines = []
    for k in range(len(division.areas)):
        members = simple[labels == k]
        if len(members):
            outlines.append(_rings(shapely.coverage_union_all(members)))
    legend = [(colors[a], a) for a in division.areas]
    if (labels < 0).any():
        legend.append((GREY, UNASSIGNED))
    scale = round_length((maxx - minx) / 4)
    return StaticMap(shapes, outlines, (minx, miny, maxx, maxy), legend, scale, attribution)


def to_svg(the_map: StaticMap, width_px: int = 260) -> str:
    """A small SVG of the map (paths and colours only, no text, so nothing needs escaping)."""
    minx, miny, maxx, maxy = the_map.bounds
    w, h = max(maxx - minx, 1.0), max(maxy - miny, 1.0)
    scale = width_px / w
    height_px = int(round(h * scale))

    def path(rings: list[np.ndarray]) -> str:
        parts = []
        for ring in rings:
            xs = (ring[:, 0] - minx) * scale
            ys = (maxy - ring[:, 1]) * scale
            pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
            parts.append(f"M{pts}Z")
        return "".join(parts)

    body = [
        f'<path d="{path(s.rings)}" fill="{s.fill}" stroke="#ffffff" stroke-width="0.3" fill-rule="evenodd"/>'
        for s in the_map.shapes
    ]
    body += [
        f'<path d="{path(r)}" fill="none" stroke="#1f1f1f" stroke-width="0.9"/>' for r in the_map.outlines
    ]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width_px}" height="{height_px}" '
        f'viewBox="0 0 {width_px} {height_px}">' + "".join(body) + "</svg>"
    )
