"""The comparison page's Streamlit pieces: picking a division (editor, built in, stored, file) and the
three unit maps (difference, A, B) with matched areas in the same colour."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo import fmt as nl
from geo.data import units
from geo.divisions import io as division_io
from geo.divisions import store as division_store
from geo.divisions.compare import GAINED_LOST, OTHER, SAME, Comparison
from geo.divisions.division import Division
from geo.divisions.references import REFERENCES
from geo.maps import folium_maps as maps
from geo_app import auth, session
from geo_app.loaders import attribution, imported_division, reference
from geo_app.text import md
from geo_app.unit_map import categorical_map

MAP_HEIGHT = 460
SMALL_MAP_HEIGHT = 380
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
        st.caption(f"{md(division.name)} (zoals nu in de editor, ook niet-opgeslagen wijzigingen)")
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
    result = imported_division(upload.getvalue(), upload.name, level, upload.name)
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
    """The difference map, then A and B side by side (unit maps: legends and sources under each map)."""
    if not units.LEVELS[level].has_geometry:
        st.info("Voor postcodes zijn er geen kaartvlakken; de tabellen tonen het verschil.", icon="ℹ️")
        return
    shown = result.units_near_changes(MAX_MAP_UNITS)
    u = result.units.set_index("code").loc[shown]
    kinds = result.change_kinds()
    tips = {
        "Gebied in A": u["gebied_a"].fillna("geen").to_dict(),
        "Gebied in B": u["gebied_b"].fillna("geen").to_dict(),
    }
    note = (
        ""
        if len(shown) == len(result.units)
        else f"De kaarten tonen {nl.number(len(shown))} eenheden rond de wijzigingen. "
    )
    st.markdown("**Verschilkaart**")
    categorical_map(
        level,
        stamp,
        {c: kinds[c] for c in shown},
        key=f"cmp_diff_{level}",
        title="Verschil",
        areas=list(CHANGE_COLORS),
        colors=CHANGE_COLORS,
        shown=shown,
        tooltip_fields=tips,
        height=MAP_HEIGHT,
        attribution=note + attribution(SOURCES),
    )
    colors_a, colors_b = matched_colours(result)
    left, right = st.columns(2)
    for col, side, division, colors in ((left, "a", result.a, colors_a), (right, "b", result.b, colors_b)):
        with col:
            st.markdown(f"**{side.upper()}: {md(division.name)}**")
            present = set(u[f"gebied_{side}"].dropna())
            categorical_map(
                level,
                stamp,
                u[f"gebied_{side}"].to_dict(),
                key=f"cmp_{side}_{level}",
                title=f"Gebieden {side.upper()}",
                areas=[a for a in division.areas if a in present],
                colors=colors,
                shown=shown,
                height=SMALL_MAP_HEIGHT,
            )
    st.caption("Gebieden die overeenkomen hebben dezelfde kleur.")
