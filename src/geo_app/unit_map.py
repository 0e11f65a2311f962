"""The unit map widget: Leaflet in the page itself (a Streamlit v2 component), geometry sent once.

Why not `st_folium`: it re-sends the whole map HTML with its geometry after every click and redraws the
iframe, and a clicked unit only changes colour after a server round trip. Here the geometry of a level
is a content-hashed TopoJSON file under `static/geo/`, written by the data build (`geo.maps.published`),
served by Streamlit's static serving, cached by the browser and decoded once per tab; every rerun only
sends colour indices, the selection and the legend (a few KB for 2767 wijken). A click recolours (mode
"paint") or outlines (mode "select") the unit in the browser at once and reaches Python as a numbered
click, so a click made while a rerun runs is not lost.

Use:
    view = views.categorical(order, area_of, areas=division.areas)
    clicks = unit_map(view, level="wijk", key="ed_map", selected=sel, click="paint", paint=("A", "#1f77b4"),
                      on_click=handle)   # handle(list[Click]) runs before the (fragment) rerun
    zoom_to("ed_map", codes)             # next render fits the map to these units
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import streamlit as st

from geo import fmt as nlfmt
from geo.maps import assets as map_assets
from geo.maps import folium_maps, published, views
from geo.maps.folium_maps import Formatter
from geo.paths import map_geometry_dir

ASSETS_MISSING = (
    "De kaartbibliotheken (Leaflet) staan niet in `static/vendor`: voer `python -m geo.maps.assets` uit "
    "(gebeurt ook bij `make run`) en herlaad de pagina."
)

HERE = Path(__file__).resolve().parent
_JS = (HERE / "static" / "unit_map.js").read_text(encoding="utf-8")
_CSS = (HERE / "static" / "unit_map.css").read_text(encoding="utf-8")
_component = st.components.v2.component("geo_unit_map", js=_JS, css=_CSS, isolate_styles=False)


@dataclass(frozen=True)
class Click:
    """One click on the map: `action` "toggle" (select mode) or "paint" (to area `target`)."""

    seq: int
    code: str
    action: str
    target: str | None = None


def _url_prefix() -> str:
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


@st.cache_resource(show_spinner=False)
def _index(stamp: str, mtime_ns: int) -> dict | None:
    """The published geometry index (`geo.maps.published`), read once per build and file version."""
    return published.read_index(map_geometry_dir())


def _entry(level: str, stamp: str) -> published.Entry:
    folder = map_geometry_dir()
    try:
        mtime = (folder / published.INDEX).stat().st_mtime_ns
    except OSError:
        mtime = 0
    return published.entry(folder, level, stamp, _index(stamp, mtime))


def unit_order(level: str, stamp: str) -> tuple[str, ...]:
    """Unit codes in the order every view list of this level follows (`GeometryMissing` if unpublished)."""
    return _entry(level, stamp).codes


def map_order(level: str, stamp: str) -> tuple[str, ...] | None:
    """`unit_order`, or None after a Dutch warning when the map libraries or the geometry are missing."""
    if not map_assets.is_installed():
        st.warning(ASSETS_MISSING, icon="⚠️")
        return None
    try:
        return unit_order(level, stamp)
    except published.GeometryMissing as exc:
        st.warning(str(exc), icon="⚠️")
        return None


def topology_url(level: str, stamp: str) -> str:
    return f"{_url_prefix()}/app/static/geo/{_entry(level, stamp).file}"


def zoom_to(key: str, codes: Sequence[str] | None) -> None:
    """Make the next render of map `key` fit these units (None = all shown units)."""
    fit = st.session_state.get(f"{key}__fit", {"seq": 0, "codes": None})
    st.session_state[f"{key}__fit"] = {"seq": fit["seq"] + 1, "codes": list(codes) if codes else None}


def _dispatch(key: str, on_click: Callable[[list[Click]], Any] | None) -> None:
    state = st.session_state.get(key) or {}
    raw = (state.get("clicks") or {}).get("clicks") or []
    ack_key = f"{key}__ack"
    ack = st.session_state.get(ack_key, 0)
    new = []
    for c in sorted(raw, key=lambda c: int(c.get("seq", 0))):
        seq = int(c.get("seq", 0))
        if seq > ack:
            new.append(Click(seq, str(c.get("code", "")), str(c.get("action", "")), c.get("target")))
            ack = seq
    st.session_state[ack_key] = ack
    if new and on_click is not None:
        on_click(new)


def unit_map(
    view: dict[str, Any],
    *,
    level: str,
    stamp: str,
    key: str,
    height: int = 560,
    selected: Sequence[str] = (),
    click: str = "none",
    paint: tuple[str, str] | None = None,
    attribution: str = "",
    on_click: Callable[[list[Click]], Any] | None = None,
    points: dict[str, Any] | None = None,
) -> None:
    """Draw `view` (from `geo.maps.views`) for `level`; clicks go to `on_click` before the next rerun.

    `click`: "none", "select" (a click toggles the unit's outline) or "paint" (a click gives the unit
    the colour of area `paint = (name, colour)` at once). `points` (`geo.maps.views.points`) are drawn on
    top, each group switchable in the legend.
    """
    try:
        url = topology_url(level, stamp)
    except published.GeometryMissing as exc:
        st.warning(str(exc), icon="⚠️")
        return
    if not map_assets.is_installed():
        st.warning(ASSETS_MISSING, icon="⚠️")
        return
    data = {
        **view,
        "topology": url,
        "assets": folium_maps.asset_base_url(st.get_option("server.baseUrlPath") or ""),
        "height": int(height),
        "selected": list(selected),
        "click": click,
        "paint": {"label": paint[0], "color": paint[1]} if paint else None,
        "ack": st.session_state.get(f"{key}__ack", 0),
        "fit": st.session_state.get(f"{key}__fit", {"seq": 0, "codes": None}),
        "attribution": attribution,
        "points": points,
    }
    _component(
        key=key,
        data=data,
        default={"clicks": None},
        on_clicks_change=partial(_dispatch, key, on_click),
        height="content",
    )


# ------------------------------------------------------------------------------ display maps for pages
def choropleth_map(
    level: str,
    stamp: str,
    values: Mapping[str, float],
    *,
    key: str,
    label: str,
    fmt: Formatter = nlfmt.number,
    breaks: Sequence[float] | None = None,
    shown: Sequence[str] | None = None,
    tooltip_fields: Mapping[str, Mapping[str, str]] | None = None,
    borders: Mapping[str, str | None] | None = None,
    height: int = 520,
    attribution: str = "",
    points: dict[str, Any] | None = None,
) -> None:
    """A display map of `values` per unit in classes (legend and sources under the map, fitted to the
    shown units); `borders` draws thick lines where the group of neighbouring units changes."""
    order = map_order(level, stamp)
    if order is None:
        return
    view = views.choropleth(
        order, values, label=label, fmt=fmt, breaks=breaks, shown=shown, tooltip_fields=tooltip_fields
    )
    if borders:
        view = views.with_borders(view, order, borders)
    unit_map(view, level=level, stamp=stamp, key=key, height=height, attribution=attribution, points=points)


def categorical_map(
    level: str,
    stamp: str,
    labels: Mapping[str, str | None],
    *,
    key: str,
    title: str = "Gebieden",
    areas: Sequence[str] | None = None,
    colors: Mapping[str, str] | None = None,
    shown: Sequence[str] | None = None,
    tooltip_fields: Mapping[str, Mapping[str, str]] | None = None,
    borders: Mapping[str, str | None] | None = None,
    unassigned: str = views.UNASSIGNED,
    area_label: str = "Gebied",
    height: int = 520,
    attribution: str = "",
    points: dict[str, Any] | None = None,
) -> None:
    """A display map of units coloured by their class or area (None = grey, `unassigned` in the legend)."""
    order = map_order(level, stamp)
    if order is None:
        return
    view = views.categorical(
        order,
        labels,
        title=title,
        areas=areas,
        colors=colors,
        shown=shown,
        unassigned=unassigned,
        area_label=area_label,
        tooltip_fields=tooltip_fields,
    )
    if borders:
        view = views.with_borders(view, order, borders)
    unit_map(view, level=level, stamp=stamp, key=key, height=height, attribution=attribution, points=points)
