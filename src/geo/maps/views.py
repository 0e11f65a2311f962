"""What a unit map shows, as plain data for the browser map (`geo_app.unit_map`).

A view colours the units of one topology (`geo.maps.topology`): `fill[i]` is an index into `colors` for
the i-th unit of the topology (-1 = shown without colour, None = not shown), `labels[k]` names colour k
(legend and tooltip), `tips` adds tooltip lines (label, text per unit, or None for the unit's class
label), `borders` draws thicker lines where a grouping (e.g. the zone of each municipality) changes.
Every list follows the topology's unit order, so an edit only changes a few small integers.

Texts are plain text: the browser sets them with textContent, so user-supplied names need no escaping.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from geo import fmt as nlfmt
from geo.maps.folium_maps import (
    MISSING_COLOR,
    QUALITATIVE,
    Formatter,
    _hsl_to_hex,
    choropleth_legend_rows,
    class_breaks,
    class_index,
    format_values,
    palette,
)

UNASSIGNED = "Niet toegewezen"
LINE_COLOR = "#ffffff"
BORDER_COLOR = "#1f1f1f"


def _text(value: Any) -> str | None:
    """A label as text, or None when missing (None, NaN, pandas' NA): JSON has no NaN."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    try:
        if value is pd.NA:
            return None
    except TypeError:
        pass
    text = str(value)
    return text if text else None


def ordered_colors(labels: Sequence[str]) -> dict[str, str]:
    """A distinct colour per label in the given order (an added label never changes the others)."""
    out: dict[str, str] = {}
    for i, label in enumerate(dict.fromkeys(labels)):
        if i < len(QUALITATIVE):
            out[label] = QUALITATIVE[i]
        else:
            hue = (i * 137.508) % 360
            out[label] = _hsl_to_hex(hue, 0.55, 0.55 if i % 2 else 0.4)
    return out


def _view(
    fill: list[int | None],
    colors: list[str],
    labels: list[str],
    legend_title: str,
    legend_rows: list[tuple[str, str]],
    tips: list[tuple[str, list[str] | None]],
    missing_label: str,
    fill_opacity: float,
) -> dict[str, Any]:
    return {
        "fill": fill,
        "colors": colors,
        "labels": labels,
        "missing_color": MISSING_COLOR,
        "missing_label": missing_label,
        "legend": {"title": legend_title, "rows": [list(r) for r in legend_rows]},
        "tips": [[label, values] for label, values in tips],
        "fill_opacity": fill_opacity,
        "line_color": LINE_COLOR,
        "line_weight": 0.6,
        "borders": None,
    }


def _tip_lists(
    order: Sequence[str], tooltip_fields: Mapping[str, Mapping[str, str]] | None
) -> list[tuple[str, list[str]]]:
    return [
        (label, [_text(texts.get(c)) or "–" for c in order])
        for label, texts in (tooltip_fields or {}).items()
    ]


def categorical(
    order: Sequence[str],
    labels: Mapping[str, str | None],
    *,
    title: str = "Gebieden",
    areas: Sequence[str] | None = None,
    colors: Mapping[str, str] | None = None,
    shown: Sequence[str] | None = None,
    unassigned: str = UNASSIGNED,
    area_label: str = "Gebied",
    tooltip_fields: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, Any]:
    """Units coloured by their area (code -> area; None = unassigned, grey).

    `areas` fixes the colour order (default: areas sorted); `shown` limits the map to these units
    (default: the units in `labels`).
    """
    labels = {str(k): _text(v) for k, v in labels.items()}
    area_list = list(dict.fromkeys(areas if areas is not None else sorted({a for a in labels.values() if a})))
    for a in sorted({a for a in labels.values() if a} - set(area_list)):
        area_list.append(a)
    color_of = dict(colors) if colors else {}
    for a, c in ordered_colors(area_list).items():
        color_of.setdefault(a, c)
    pos = {a: i for i, a in enumerate(area_list)}
    visible = set(shown) if shown is not None else set(labels)
    fill: list[int | None] = []
    for code in order:
        if code not in visible:
            fill.append(None)
        else:
            area = labels.get(code)
            fill.append(pos[area] if area else -1)
    used = {f for f in fill if f is not None}
    rows = [(color_of[a], a) for a in area_list if pos[a] in used or areas is not None]
    if -1 in used:
        rows.append((MISSING_COLOR, unassigned))
    tips = [(area_label, None), *_tip_lists(order, tooltip_fields)]
    return _view(
        fill, [color_of[a] for a in area_list], area_list, title, rows, tips, unassigned, fill_opacity=0.8
    )


def choropleth(
    order: Sequence[str],
    values: Mapping[str, float],
    *,
    label: str,
    fmt: Formatter = nlfmt.number,
    breaks: Sequence[float] | None = None,
    shown: Sequence[str] | None = None,
    tooltip_fields: Mapping[str, Mapping[str, str]] | None = None,
    n_classes: int = 6,
) -> dict[str, Any]:
    """Units coloured by `values` in quantile classes (or the given `breaks`), grey where missing."""
    values = {str(k): v for k, v in values.items()}
    visible = set(shown) if shown is not None else set(order)
    edges = (
        list(breaks)
        if breaks is not None
        else class_breaks([v for c, v in values.items() if c in visible], n_classes)
    )
    colors = palette(max(len(edges) - 1, 1))
    fill: list[int | None] = []
    for code in order:
        if code not in visible:
            fill.append(None)
            continue
        idx = class_index(values.get(code, float("nan")), edges)
        fill.append(-1 if idx is None else idx)
    has_missing = -1 in fill
    rows = choropleth_legend_rows(edges, colors, fmt, has_missing) if edges else []
    texts = format_values(values, fmt)
    class_labels = [r[1] for r in rows[: len(colors)]] if edges else []
    tips = [(label, [texts.get(c, "–") for c in order]), *_tip_lists(order, tooltip_fields)]
    return _view(fill, colors, class_labels, label, rows, tips, "geen gegevens", fill_opacity=0.8)


def with_borders(
    view: dict[str, Any], order: Sequence[str], group_of: Mapping[str, str | None], *, outline: bool = True
) -> dict[str, Any]:
    """Add thick lines where `group_of[code]` changes between neighbours (and round the shown units)."""
    groups = [_text(group_of.get(c)) for c in order]
    return {**view, "borders": {"groups": groups, "color": BORDER_COLOR, "weight": 2, "outline": outline}}


def points(
    frame: pd.DataFrame,
    *,
    group_by: str,
    title: str,
    colors: Mapping[str, str] | None = None,
    name: str = "naam",
    tips: Mapping[str, str] | None = None,
    lat: str = "lat",
    lon: str = "lon",
    order: Sequence[str] | None = None,
    radius: float = 5,
) -> dict[str, Any]:
    """Points on a unit map, one switchable group per value of `group_by` (e.g. partner type).

    `tips` maps a column to its Dutch label for the tooltip; `order` fixes the group order (default:
    sorted). Rows without coordinates are left out; coordinates rounded to 5 decimals (about 1 m).
    """
    rows = frame[frame[lat].notna() & frame[lon].notna()]
    labels = rows[group_by].map(_text)
    present = [g for g in dict.fromkeys(labels) if g]
    groups = [g for g in (order or sorted(present)) if g in present]
    color_of = dict(colors or {})
    for g, c in ordered_colors(groups).items():
        color_of.setdefault(g, c)
    out = []
    for g in groups:
        part = rows[labels == g]
        out.append(
            {
                "label": g,
                "color": color_of[g],
                "lat": [round(float(v), 5) for v in part[lat]],
                "lon": [round(float(v), 5) for v in part[lon]],
                "name": [_text(v) or "–" for v in part[name]],
                "tips": [[label, [_text(v) or "" for v in part[col]]] for col, label in (tips or {}).items()],
                "radius": radius,
            }
        )
    return {"title": title, "groups": out, "radius": radius}


def combine_points(title: str, *sets: dict[str, Any] | None) -> dict[str, Any] | None:
    """Several point sets (`points`) as one, in the given order, under one legend title."""
    groups = [g for s in sets if s for g in s["groups"]]
    return {"title": title, "groups": groups, "radius": 5} if groups else None
