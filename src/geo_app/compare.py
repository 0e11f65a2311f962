"""The comparison page's Streamlit pieces: picking a division (editor, built in, stored, file) and the
three maps (difference, A, B) with matched areas in the same colour."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.data import units
from geo.divisions import io as division_io
from geo.divisions import store as division_store
from geo.divisions.compare import GAINED_LOST, OTHER, SAME, Comparison
from geo.divisions.division import Division
from geo.divisions.references import REFERENCES
from geo.maps import folium_maps as maps
from geo_app import auth, session
from geo_app.loaders import attribution, layer_subset, reference
from geo_app.maps import maps_ready, show_map

MAP_HEIGHT = 460
MAX_MAP_UNITS = 450
SOURCES = ("gebiedsniveaus", "statbel", "stadsmonitor", "1g1p")
CHANGE_COLORS = {SAME: "#c7d7e6", OTHER: "#d7301f", GAINED_LOST: "#fdae61"}


def choose_division(side: str, stamp: str, default_ref: str) -> Division | None:
    """A division picked from the editor, the built-in ones, the stored ones or a file."""
    options = ["Ingebouwd", "Opgeslagen", "Bestand"]
    editor = session.open_editor()
    if editor is not None:
        options.insert(0, "In de editor")
    source = st.radio("Bron", options, horizontal=True, key=f"cmp_src_{side}")
    if source == "In de editor":
        division = editor.current
        st.caption(f"{division.name} (zoals nu in de editor, ook niet-opgeslagen wijzigingen)")
        return division
    if source == "Ingebouwd":
        keys = list(REFERENCES)
        key = st.selectbox(
            "Indeling",
            keys,
            index=keys.index(default_ref),
            format_func=lambda k: REFERENCES[k].title,
            key=f"cmp_ref_{side}",
        )
        return reference(key, stamp)
    if source == "Opgeslagen":
        stored = division_store.list_divisions(actor=auth.actor())
        if stored.empty:
            st.info("Nog geen opgeslagen indelingen.")
            return None
        name = st.selectbox("Indeling", stored["name"].tolist(), key=f"cmp_db_{side}")
        return division_store.open_division(name, actor=auth.actor())
    return division_from_file(side)


def division_from_file(side: str) -> Division | None:
    upload = st.file_uploader(
        "Bestand (unit_code, area)", type=["csv", "xlsx", "geojson", "json"], key=f"cmp_f_{side}"
    )
    level = st.selectbox(
        "Niveau",
        list(division_io.LEVEL_NAMES),
        format_func=division_io.LEVEL_NAMES.get,
        key=f"cmp_lvl_{side}",
    )
    if upload is None:
        return None
    result = division_io.import_division(upload.getvalue(), upload.name, level, upload.name)
    if not result.ok:
        st.error(f"{len(result.errors)} fout(en) in het bestand:")
        st.dataframe(pd.DataFrame({"Melding": result.errors}), hide_index=True)
        return None
    return result.division


def matched_colours(result: Comparison) -> tuple[dict[str, str], dict[str, str]]:
    """Colours of the areas of A and of B; a matched area of B takes its partner's colour in A."""
    pairs = result.pairs
    unmatched_b = [b for b in result.b.areas if b not in set(pairs.values())]
    palette = maps.distinct_colors([f"A:{a}" for a in result.a.areas] + [f"B:{b}" for b in unmatched_b])
    colors_a = {a: palette[f"A:{a}"] for a in result.a.areas}
    colors_b = {b: palette[f"B:{b}"] for b in unmatched_b} | {b: colors_a[a] for a, b in pairs.items()}
    return colors_a, colors_b


def comparison_maps(result: Comparison, level: str, stamp: str) -> None:
    """The difference map, then A and B side by side."""
    if not units.LEVELS[level].has_geometry:
        st.info("Voor postcodes zijn er geen kaartvlakken; de tabellen tonen het verschil.", icon="ℹ️")
        return
    if not maps_ready():
        return
    shown = result.units_near_changes(MAX_MAP_UNITS)
    layer = layer_subset(level, tuple(shown), stamp)
    u = result.units.set_index("code").loc[shown]
    kinds = result.change_kinds()
    tips = {
        "Gebied in A": u["gebied_a"].fillna("geen").to_dict(),
        "Gebied in B": u["gebied_b"].fillna("geen").to_dict(),
    }
    st.markdown("**Verschilkaart**")
    with st.spinner("Kaarten tekenen…"):
        diff = maps.categorical_map(
            layer, {c: kinds[c] for c in shown}, title="Verschil", colors=CHANGE_COLORS, tooltip_fields=tips
        )
        show_map(diff, f"cmp_diff_{level}", MAP_HEIGHT)
        colors_a, colors_b = matched_colours(result)
        left, right = st.columns(2)
        with left:
            st.markdown(f"**A: {result.a.name}**")
            m_a = maps.categorical_map(layer, u["gebied_a"].to_dict(), title="Gebieden A", colors=colors_a)
            show_map(m_a, f"cmp_a_{level}", MAP_HEIGHT)
        with right:
            st.markdown(f"**B: {result.b.name}**")
            m_b = maps.categorical_map(layer, u["gebied_b"].to_dict(), title="Gebieden B", colors=colors_b)
            show_map(m_b, f"cmp_b_{level}", MAP_HEIGHT)
    note = (
        ""
        if len(shown) == len(result.units)
        else f" De kaarten tonen {len(shown)} eenheden rond de wijzigingen."
    )
    st.caption(f"Gebieden die overeenkomen hebben dezelfde kleur.{note} " + attribution(SOURCES))
