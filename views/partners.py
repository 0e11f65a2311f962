"""Partners: het register (laden, controleren, bewerken), de dekking per gebied en waar partners ontbreken."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from geo import fmt as nl
from geo.data import units
from geo.partners import coverage as cov
from geo.partners import register as pt
from geo.partners import store
from geo.partners.network import Distances
from geo.store.engine import get_engine
from geo_app import auth
from geo_app import partner_planning as plan_ui
from geo_app.loaders import area_mapping, attribution, extent
from geo_app.numbers import number_field
from geo_app.partners import (
    COVER_COLORS,
    CoverageChoice,
    coverage_choice,
    partner_unit_codes,
    pct,
    register_tab,
)
from geo_app.session import keep, kept
from geo_app.text import md
from geo_app.unit_map import categorical_map
from geo_app.widgets import download_pair, require_build

MAX_MARKERS_DEFAULT = 600
SOURCES = ("statbel", "stadsmonitor", "gebiedsniveaus")
TABS = ["Register", "Dekking per gebied", "Toegang per gebied", "Waar toevoegen?"]


def coverage_tab(
    selected: pd.DataFrame,
    table: pd.DataFrame,
    mapping: dict[str, str],
    choice: CoverageChoice,
    p_area: list[str],
    distances: Distances,
    stamp: str,
    credits: str,
) -> None:
    """Share of young people near a partner of each type per area, the gaps, and the coverage map."""
    present = sorted(selected["type"].unique(), key=list(pt.PARTNER_TYPES).index)
    chosen = [t for t in kept("partners_types", present) if t in present]  # survives switching tabs
    types = keep(
        "partners_types", st.multiselect("Partnertypes", present, default=chosen, key="partners_types")
    )
    xy = selected[["x", "y"]].to_numpy(float)
    with st.spinner("Dekking berekenen…"):
        demand = cov.Demand.from_table(table, mapping, choice.dep_weight, choice.only_deprived)
        result = cov.coverage_by_area(
            demand, xy, selected["type"].to_numpy(object), choice.distance, types, p_area, distances
        )
    long = pd.concat([result, cov.coverage_totals(result)], ignore_index=True)
    long["bevolkingsjaar"] = int(table["jaar"].iloc[0])  # the exports state the year of the young people
    st.markdown(
        f"**Aandeel {choice.weight_label} binnen {nl.number(choice.distance)} m van minstens één partner van "
        f"het type**, per gebied ({md(choice.area_title)})."
    )
    wide = cov.coverage_wide(long).reindex([*sorted(set(result["gebied"])), "Totaal"])[types]
    st.dataframe(wide.map(pct), width="stretch", key="partners_cover_wide")
    st.caption(
        f"{choice.level_note} {md(distances.describe().capitalize())}, vanaf het centrum van de eenheid. "
        + units.counts_note(int(table["jaar"].iloc[0]), str(table["indicator"].iloc[0]), choice.level)
    )
    download_pair(long, "dekking_per_gebied", "partners_cover")

    st.subheader("Tekorten")
    min_share = (
        number_field(
            "Tekort onder (% gedekt)", 80, key="partners_min_share", kind="percent", minimum=0, maximum=100
        )
        / 100
    )
    holes = cov.gaps(result, min_share)
    if holes.empty:
        st.success("Geen tekorten bij deze drempel.")
    else:
        shown = pd.DataFrame(
            {
                "Gebied": holes["gebied"],
                "Type": holes["type"],
                "Partners in gebied": holes["partners"],
                f"Niet gedekte {choice.weight_label}": holes["niet_gedekt"].map(nl.number),
                "Gedekt": holes["aandeel_gedekt"].map(pct),
                "Reden": holes["reden"],
            }
        )
        st.dataframe(shown, hide_index=True, width="stretch", key="partners_gaps")
        download_pair(holes, "tekorten", "partners_gaps_dl")

    st.subheader("Kaart")
    k1, k2 = st.columns([2, 3])
    options = types or present
    last = kept("partners_map_type", options[0], options)
    map_type = keep(
        "partners_map_type",
        k1.selectbox("Dekking tonen voor", options, index=options.index(last), key="partners_map_type"),
    )
    all_types = k2.checkbox(
        "Partners van alle types op de kaart (lagen aan/uit)",
        value=len(selected) <= MAX_MARKERS_DEFAULT,
        key="partners_map_all",
        help="Veel markers maken de kaart traag; standaard enkel het gekozen type bij grote registers.",
    )
    cover = cov.unit_coverage(demand, xy[selected["type"].to_numpy() == map_type], choice.distance, distances)
    cover = cover[cover["gebied"] != ""]
    shown_partners = selected if all_types else pt.filter_partners(selected, [map_type])
    categorical_map(
        choice.level,
        stamp,
        dict(zip(cover["code"], np.where(cover["gedekt"], "gedekt", "niet gedekt"), strict=True)),
        key=f"partners_cover_map_{choice.level}",
        title=f"{map_type} binnen {nl.number(choice.distance)} m",
        colors=COVER_COLORS,
        shown=list(mapping),
        unassigned="buiten de gebieden",
        area_label="Dekking",
        tooltip_fields={
            "Gebied": dict(zip(cover["code"], cover["gebied"], strict=True)),
            "Dichtstbijzijnde": {
                c: f"{nl.number(d / 1000, 1)} km" if np.isfinite(d) else "–"
                for c, d in zip(cover["code"], cover["afstand_m"], strict=True)
            },
        },
        attribution=credits,
        points=pt.partner_points(pt.within_bounds(shown_partners, extent(choice.level, mapping, stamp))),
    )
    st.caption(
        "Blauw: binnen de afstand van een partner van dit type; oranje: niet. Partners per type aan- "
        "en uitzetten in de legende onder de kaart."
    )


# --------------------------------------------------------------------------------------------- page
st.title("Partners en pluspartners")
st.caption(
    "Wie is waar actief, hoeveel jongeren wonen dicht bij een partner van elk type, en waar zou een nieuwe "
    "partner het meeste jongeren extra bereiken?"
)
stamp = require_build()
engine = get_engine()
register = store.load_partners(engine, auth.actor())  # the store checks the role again on every call
has_osm = bool(register["bron"].str.startswith(pt.OSM_EXAMPLE_LABEL).any())
credits = attribution(SOURCES + (("osm",) if has_osm else ()))

choice = coverage_choice(stamp)
table = plan_ui.counts_choice(choice.level, stamp)
distances = plan_ui.distance_choice()
selected = pt.filter_partners(register, funded=choice.funded)
mapping = area_mapping(choice.area_key, choice.level, stamp, auth.actor().workspace)
p_area = [
    mapping.get(u, "") for u in partner_unit_codes(selected[["x", "y"]].to_numpy(float), choice.level, stamp)
]


def ready(what: str | None) -> bool:
    """False (with an explanation) when there is nothing to compute."""
    if what and selected.empty:
        st.info(f"Geen partners om {what} te berekenen: laad eerst partners in het register.", icon="ℹ️")
        return False
    if not mapping:
        st.info("Deze gebiedsindeling heeft geen eenheden op dit niveau.", icon="ℹ️")
        return False
    return True


# Only the open tab runs (each has its own maps and solvers); the open tab is in the URL (?partners_tab=…).
tab_register, tab_cover, tab_access, tab_locate = st.tabs(
    TABS, key="partners_tab", on_change="rerun", bind="query-params"
)
if tab_register.open:
    with tab_register:
        register_tab(register, engine, stamp, has_osm)
if tab_cover.open:
    with tab_cover:
        if ready("de dekking"):
            coverage_tab(selected, table, mapping, choice, p_area, distances, stamp, credits)
if tab_access.open:
    with tab_access:
        if ready("de toegang"):
            plan_ui.access_tab(selected, table, mapping, choice, distances, p_area, stamp, credits)
if tab_locate.open:
    with tab_locate:
        if ready(None):
            plan_ui.locate_tab(selected, table, mapping, choice, distances, stamp, credits)
            st.caption(choice.level_note)
