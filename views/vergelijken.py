"""Indelingen vergelijken: welke eenheden van gebied veranderen, welke gebieden overeenkomen en wat dat
verschuift in inwoners, jongeren en budget; verschilkaart en twee kaarten naast elkaar."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import fmt as nl
from geo.budget.per_unit import BUDGET_NOTE
from geo.data import catalog, units
from geo.divisions import io as division_io
from geo.divisions import store as division_store
from geo.divisions.compare import Comparison, compare
from geo.divisions.division import Division
from geo.divisions.references import REFERENCES, reference_division
from geo.errors import UserFacingError
from geo.maps import assets as assets_fetch
from geo.maps import folium_maps as maps
from geo_app import session
from geo_app.loaders import layer_subset, unit_data

MAP_HEIGHT = 460
MAX_MAP_UNITS = 450
SOURCES = ("gebiedsniveaus", "statbel", "stadsmonitor", "1g1p")
CHANGE_COLORS = {"Zelfde gebied": "#c7d7e6", "Ander gebied": "#d7301f", "Gebied erbij of weg": "#fdae61"}
SS = st.session_state


@st.cache_resource(show_spinner="Ingebouwde indeling opbouwen…")
def cached_reference(key: str, stamp: str) -> Division:
    return reference_division(key)


@st.cache_data
def attribution() -> str:
    return catalog.attribution_line(SOURCES)


def choose_division(side: str, stamp: str, default_ref: str) -> Division | None:
    """A division picked from the built-in ones, the stored ones, the editor or a file."""
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
        return cached_reference(key, stamp)
    if source == "Opgeslagen":
        stored = division_store.list_divisions()
        if stored.empty:
            st.info("Nog geen opgeslagen indelingen.")
            return None
        name = st.selectbox("Indeling", stored["name"].tolist(), key=f"cmp_db_{side}")
        return division_store.open_division(name)
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


def matched_table(result: Comparison) -> pd.DataFrame:
    m = result.matches
    out = pd.DataFrame(
        {"Gebied in A": m["gebied_a"].fillna("– (geen)"), "Gebied in B": m["gebied_b"].fillna("– (geen)")}
    )
    for col, label, fmt in (
        ("inwoners", "inwoners", nl.number),
        ("pop_0_24", "jongeren 0-24", nl.number),
        ("budget_eur", "budget", nl.euro),
    ):
        if f"{col}_a" not in m:
            continue
        out[f"{label.capitalize()} A"] = m[f"{col}_a"].map(fmt)
        out[f"{label.capitalize()} B"] = m[f"{col}_b"].map(fmt)
        out[f"Δ {label}"] = m[f"delta_{col}"].map(
            lambda v, f=fmt: "–" if pd.isna(v) else ("+" if v > 0 else "") + f(v)
        )
    out["Gedeelde inwoners (% van A)"] = m["overlap_pct"].map(nl.percent) if "overlap_pct" in m else "–"
    return out


def map_units(result: Comparison) -> list[str]:
    """Units on the maps: all, or for big divisions the areas with changes."""
    u = result.units
    if len(u) <= MAX_MAP_UNITS:
        return u["code"].tolist()
    touched = set(u.loc[u["gewijzigd"], "gebied_a"].dropna()) | set(
        u.loc[u["gewijzigd"], "gebied_b"].dropna()
    )
    near = u["gebied_a"].isin(touched) | u["gebied_b"].isin(touched) | u["gewijzigd"]
    shown = u.loc[near, "code"].tolist()
    return shown if len(shown) <= 4 * MAX_MAP_UNITS else u.loc[u["gewijzigd"], "code"].tolist()


def show_maps(result: Comparison, level: str, stamp: str) -> None:
    if not units.LEVELS[level].has_geometry:
        st.info("Voor postcodes zijn er geen kaartvlakken; de tabellen tonen het verschil.", icon="ℹ️")
        return
    if not assets_fetch.is_installed():
        st.warning(
            "De kaartbibliotheken staan niet in `static/vendor`: voer `python -m geo.maps.assets` uit."
        )
        return
    maps.use_local_assets(maps.asset_base_url(st.get_option("server.baseUrlPath")))
    shown = map_units(result)
    geo = layer_subset(level, tuple(shown), stamp)
    u = result.units.set_index("code").loc[shown]
    kind = u["zelfde_gebied"].map({True: "Zelfde gebied", False: "Ander gebied"})
    kind = kind.where(
        u["zelfde_gebied"] | (u["gebied_a"].notna() & u["gebied_b"].notna()), "Gebied erbij of weg"
    )
    kind = kind.where(u["gebied_a"].notna() | u["gebied_b"].notna(), None)
    tips = {
        "Gebied in A": u["gebied_a"].fillna("geen").to_dict(),
        "Gebied in B": u["gebied_b"].fillna("geen").to_dict(),
    }
    st.markdown("**Verschilkaart**")
    with st.spinner("Kaarten tekenen…"):
        diff = maps.categorical_map(
            geo, kind.to_dict(), title="Verschil", colors=CHANGE_COLORS, tooltip_fields=tips
        )
        st_folium(
            diff, key=f"cmp_diff_{level}", returned_objects=[], height=MAP_HEIGHT, use_container_width=True
        )
        pairs = result.pairs
        unmatched_b = [b for b in result.b.areas if b not in set(pairs.values())]
        palette = maps.distinct_colors([f"A:{a}" for a in result.a.areas] + [f"B:{b}" for b in unmatched_b])
        colors_a = {a: palette[f"A:{a}"] for a in result.a.areas}
        colors_b = {b: palette[f"B:{b}"] for b in unmatched_b} | {b: colors_a[a] for a, b in pairs.items()}
        left, right = st.columns(2)
        with left:
            st.markdown(f"**A: {result.a.name}**")
            m_a = maps.categorical_map(geo, u["gebied_a"].to_dict(), title="Gebieden A", colors=colors_a)
            st_folium(
                m_a, key=f"cmp_a_{level}", returned_objects=[], height=MAP_HEIGHT, use_container_width=True
            )
        with right:
            st.markdown(f"**B: {result.b.name}**")
            m_b = maps.categorical_map(geo, u["gebied_b"].to_dict(), title="Gebieden B", colors=colors_b)
            st_folium(
                m_b, key=f"cmp_b_{level}", returned_objects=[], height=MAP_HEIGHT, use_container_width=True
            )
    note = (
        ""
        if len(shown) == len(result.units)
        else f" De kaarten tonen {len(shown)} eenheden rond de wijzigingen."
    )
    st.caption(f"Gebieden die overeenkomen hebben dezelfde kleur.{note} " + attribution())


# ------------------------------------------------------------------------------------------- page
st.title("Indelingen vergelijken")
st.caption(
    "Gebieden worden gekoppeld op gedeelde inwoners, niet op naam: zo werkt de vergelijking ook als de namen "
    "of het aantal gebieden verschillen."
)
stamp = units.build_stamp()
if stamp is None:
    st.info(
        "Er zijn nog geen gegevens opgebouwd. Voer eerst `make data` uit en herlaad deze pagina.", icon="ℹ️"
    )
    st.stop()

col_a, col_b = st.columns(2)
with col_a:
    st.subheader("Indeling A")
    a = choose_division("a", stamp, "elz57_gemeente")
with col_b:
    st.subheader("Indeling B")
    b = choose_division("b", stamp, "swv2021_gemeente")
if a is None or b is None:
    st.info("Kies twee indelingen van hetzelfde niveau.", icon="👆")
    st.stop()

try:
    with st.spinner("Vergelijken…"):
        data = unit_data(a.level, stamp)
        result = compare(data, a, b)
except UserFacingError as exc:
    st.error(str(exc), icon="🚫")
    st.stop()

m1, m2, m3, m4 = st.columns(4)
m1.metric("Gebieden A / B", f"{len(a.areas)} / {len(b.areas)}")
m2.metric("Gekoppelde gebieden", nl.number(len(result.pairs)))
m3.metric("Eenheden van gebied veranderd", nl.number(len(result.moved)))
m4.metric(
    "Jongeren 0-24 die in hun gebied blijven",
    nl.percent(100 * result.kept_share),
    help="Aandeel van de jongeren (0-24) van A dat in B in het gekoppelde gebied woont.",
)

if result.only_common_units:
    st.info(
        f"De indelingen bestrijken niet dezelfde eenheden: vergeleken op de {nl.number(len(result.units))} "
        "eenheden die in beide voorkomen.",
        icon="ℹ️",
    )

st.subheader("Gekoppelde gebieden")
table = matched_table(result)
st.dataframe(table, hide_index=True, width="stretch")
notes = ["Δ = B min A."]
if data.estimated:
    notes.append("Per wijk zijn de aantallen schattingen (gemeentecijfers verdeeld over de wijken).")
if "budget_eur" in data.counts:
    notes.append(BUDGET_NOTE)
st.caption(" ".join(notes))
d1, d2 = st.columns(2)
d1.download_button(
    "Tabel als CSV",
    result.matches.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig"),
    file_name="vergelijking_gebieden.csv",
    mime="text/csv",
)
moved = result.units[result.units["gewijzigd"]]
d2.download_button(
    "Verschoven eenheden als CSV",
    moved.to_csv(index=False, sep=";").encode("utf-8-sig"),
    file_name="verschoven_eenheden.csv",
    mime="text/csv",
    disabled=moved.empty,
)

show_maps(result, a.level, stamp)

with st.expander(f"Verschoven eenheden ({len(moved)})"):
    shown = moved.rename(
        columns={"code": "Code", "naam": "Naam", "gebied_a": "Gebied in A", "gebied_b": "Gebied in B"}
    )
    st.dataframe(
        shown[[c for c in ("Code", "Naam", "Gebied in A", "Gebied in B") if c in shown]], hide_index=True
    )
