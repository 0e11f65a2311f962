"""Map widgets shared by the pages: the one place where a folium map is put on a Streamlit page.

Pages build their folium map through `geo.maps` and hand it to `show_map`; a click on a polygon comes back
as a `MapClick`. Swapping the map component means changing this module only.
"""

from __future__ import annotations

import html
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import folium
import streamlit as st
from streamlit_folium import st_folium

from geo.maps import assets as map_assets
from geo.maps import folium_maps as maps

MAP_HEIGHT = 560
ASSETS_MISSING = (
    "De kaartbibliotheken (Leaflet) staan niet in `static/vendor`: voer `python -m geo.maps.assets` uit "
    "(gebeurt ook bij `make run`) en herlaad de pagina."
)
SELECTION_STYLE = {"color": "#000000", "weight": 3, "fill": False}


@dataclass(frozen=True)
class MapClick:
    """A click on a polygon: the unit code of the feature and the click as the map reported it."""

    code: str
    event: object


def maps_ready() -> bool:
    """True when the local map libraries are installed (and folium points at them); else a warning."""
    if not map_assets.is_installed():
        st.warning(ASSETS_MISSING, icon="⚠️")
        return False
    maps.use_local_assets(maps.asset_base_url(st.get_option("server.baseUrlPath")))
    return True


def show_map(
    fmap: folium.Map,
    key: str,
    height: int = MAP_HEIGHT,
    *,
    full_width: bool = True,
    clicks: bool = False,
    overlay: folium.FeatureGroup | None = None,
) -> MapClick | None:
    """Draw `fmap` over the full width of its column, with its legends and sources *under* it (never on
    the units). With `clicks`, return the last clicked polygon (else pans and zooms never rerun).

    `overlay` is drawn on top without rebuilding the map in the browser (e.g. the outline of a selection).
    `full_width` is kept for callers; a map always fills its column.
    """
    out = st_folium(
        fmap,
        key=key,
        height=height,
        use_container_width=True,
        feature_group_to_add=overlay,
        returned_objects=["last_active_drawing", "last_object_clicked"] if clicks else [],
    )
    map_footer(maps.legends(fmap), maps.attribution_of(fmap))
    if not clicks or not out:
        return None
    click = out.get("last_object_clicked")
    feature = out.get("last_active_drawing") or {}
    code = str(feature.get("id", "")) if feature else ""
    return MapClick(code, click) if click and code else None


def footer_html(legends: Sequence[maps.Legend], attribution: str = "") -> str:
    """Legends (one line each, wrapping) and the source line, as escaped HTML in the unit map's look."""
    parts = []
    for legend in legends:
        if not legend.rows:
            continue
        radius = "50%" if legend.kind == "point" else "0"
        items = "".join(
            f'<span class="geo-legend-item" style="white-space:nowrap;margin-right:12px">'
            f'<span style="{_SWATCH}background:{html.escape(color)};border-radius:{radius}"></span>'
            f"{html.escape(text)}</span> "
            for color, text in legend.rows
        )
        parts.append(
            f'<div class="geo-legend" style="{_LINE}"><b style="margin-right:10px">'
            f"{html.escape(legend.title)}</b>{items}</div>"
        )
    if attribution:
        parts.append(
            f'<div class="geo-attr" style="font-size:11px;color:#666">{html.escape(attribution)}</div>'
        )
    return f'<div class="geo-map-footer">{"".join(parts)}</div>' if parts else ""


_SWATCH = (
    "display:inline-block;width:12px;height:12px;margin-right:5px;border:1px solid #777;vertical-align:-1px;"
)
_LINE = "font-size:12px;line-height:1.6;max-height:80px;overflow-y:auto;margin-bottom:2px"


def map_footer(legends: Sequence[maps.Legend], attribution: str = "") -> None:
    if text := footer_html(legends, attribution):
        st.html(text)


def outline(layer: Mapping, codes: Collection[str], name: str = "Selectie") -> folium.FeatureGroup:
    """A layer with a black outline around the features of `codes` (empty when none)."""
    group = folium.FeatureGroup(name=name)
    wanted = set(codes)
    if wanted:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features_of(layer, wanted)},
            style_function=lambda _f: SELECTION_STYLE,
            interactive=False,
        ).add_to(group)
    return group


def features_of(layer: Mapping, codes: Collection[str]) -> list[dict]:
    """The features of `layer` whose `code` property is in `codes`."""
    return [f for f in layer["features"] if str(f["properties"]["code"]) in codes]


def scoped(layer: dict, codes: Collection[str], share: float = 0.9) -> dict:
    """`layer` limited to `codes`, unless they are nearly all of it (then the shared layer itself)."""
    if len(codes) >= share * len(layer["features"]):
        return layer
    return {**layer, "features": features_of(layer, codes)}
