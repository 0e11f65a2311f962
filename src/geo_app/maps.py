"""Map widgets shared by the pages: the one place where a folium map is put on a Streamlit page.

Pages build their folium map through `geo.maps` and hand it to `show_map`; a click on a polygon comes back
as a `MapClick`. Swapping the map component means changing this module only.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
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
    """Draw `fmap`. With `clicks`, return the last clicked polygon (else pans and zooms never rerun).

    `overlay` is drawn on top without rebuilding the map in the browser (e.g. the outline of a selection).
    """
    out = st_folium(
        fmap,
        key=key,
        height=height,
        use_container_width=full_width,
        feature_group_to_add=overlay,
        returned_objects=["last_active_drawing", "last_object_clicked"] if clicks else [],
    )
    if not clicks or not out:
        return None
    click = out.get("last_object_clicked")
    feature = out.get("last_active_drawing") or {}
    code = str(feature.get("id", "")) if feature else ""
    return MapClick(code, click) if click and code else None


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
