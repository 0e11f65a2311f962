"""Partners: het register (laden, controleren, bewerken), de dekking per gebied en waar partners ontbreken."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from geo import fmt as nl
from geo.maps import folium_maps as maps
from geo.partners import coverage as cov
from geo.partners import register as pt
from geo.partners import store
from geo.partners.location import SiteProposal, propose_sites
from geo.store.engine import get_engine
from geo_app import auth, charts
from geo_app.loaders import area_mapping, attribution, display_layer, unit_table
from geo_app.maps import maps_ready, scoped, show_map
from geo_app.partners import (
    COVER_COLORS,
    CoverageChoice,
    coverage_choice,
    partner_unit_codes,
    pct,
    register_tab,
)
from geo_app.widgets import download_pair, require_build

MAX_MARKERS_DEFAULT = 600
SOURCES = ("statbel", "stadsmonitor", "gebiedsniveaus")


def coverage_tab(
    selected: pd.DataFrame, table: pd.DataFrame, mapping: dict[str, str], choice: CoverageChoice
):
    present = sorted(selected["type"].unique(), key=list(pt.PARTNER_TYPES).index)
    types = st.multiselect("Partnertypes", present, default=present, key="partners_types")
    xy = selected[["x", "y"]].to_numpy(float)
    with st.spinner("Dekking berekenen…"):
        p_area = [mapping.get(u, "") for u in partner_unit_codes(xy, choice.level, stamp)]
        demand = cov.Demand.from_table(table, mapping, choice.dep_weight, choice.only_deprived)
        result = cov.coverage_by_area(
            demand, xy, selected["type"].to_numpy(object), choice.distance, types, p_area
        )
    long = pd.concat([result, cov.coverage_totals(result)], ignore_index=True)
    st.markdown(
        f"**Aandeel {choice.weight_label} binnen {nl.number(choice.distance)} m van minstens één partner van "
        f"het type**, per gebied ({choice.area_title})."
    )
    wide = cov.coverage_wide(long).reindex([*sorted(set(result["gebied"])), "Totaal"])[types]
    st.dataframe(wide.map(pct), width="stretch", key="partners_cover_wide")
    st.caption(f"{choice.level_note} Afstand in rechte lijn tussen het centrum van de eenheid en de partner.")
    download_pair(long, "dekking_per_gebied", "partners_cover")

    st.subheader("Tekorten")
    min_share = st.slider("Tekort onder", 0.0, 1.0, 0.8, step=0.05, format="%.2f", key="partners_min_share")
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
    map_type = k1.selectbox("Dekking tonen voor", types or present, key="partners_map_type")
    all_types = k2.checkbox(
        "Partners van alle types op de kaart (lagen aan/uit)",
        value=len(selected) <= MAX_MARKERS_DEFAULT,
        key="partners_map_all",
        help="Veel markers maken de kaart traag; standaard enkel het gekozen type bij grote registers.",
    )
    if not maps_ready():
        return
    with st.spinner("Kaart tekenen…"):
        cover = cov.unit_coverage(demand, xy[selected["type"].to_numpy() == map_type], choice.distance)
        cover = cover[cover["gebied"] != ""]
        layer = scoped(display_layer(choice.level, stamp), mapping)
        fmap = maps.categorical_map(
            layer,
            dict(zip(cover["code"], np.where(cover["gedekt"], "gedekt", "niet gedekt"), strict=True)),
            title=f"{map_type} binnen {nl.number(choice.distance)} m",
            colors=COVER_COLORS,
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
        )
        shown_partners = selected if all_types else pt.filter_partners(selected, [map_type])
        pt.add_partner_markers(fmap, pt.within_bounds(shown_partners, maps.bounds(layer)))
        show_map(fmap, f"partners_cover_map_{choice.level}", full_width=False)
    st.caption(
        "Blauw: binnen de afstand van een partner van dit type; oranje: niet. Partners per type aan- "
        "en uitzetten met het lagenmenu rechtsboven. " + credits
    )


def locate_tab(selected: pd.DataFrame, table: pd.DataFrame, mapping: dict[str, str], choice: CoverageChoice):
    sites = "wijken" if choice.level == "wijk" else "gemeenten"
    st.caption(
        f"Kandidaatlocaties zijn de centra van de {sites}. Elke "
        f"stap kiest de locatie die de meeste nog niet gedekte {choice.weight_label} binnen "
        f"{nl.number(choice.distance)} m bereikt; bestaande partners blijven staan. Een stap verlaagt de "
        "dekking nooit."
    )
    l1, l2, l3 = st.columns(3)
    loc_type = l1.selectbox("Type partner", pt.PARTNER_TYPES, key="partners_loc_type")
    n_new = int(l2.number_input("Aantal nieuwe locaties", 1, 50, 5, key="partners_loc_n"))
    area = l3.selectbox(
        "Binnen",
        ["alle gebieden", *sorted(set(mapping.values()))],
        key=f"partners_loc_area_{choice.area_key}",
    )
    existing = pt.filter_partners(selected, [loc_type])
    proposal = propose_sites(
        table,
        mapping,
        existing[["x", "y"]].to_numpy(float),
        choice.distance,
        n_new,
        area=None if area == "alle gebieden" else area,
        deprivation_weight=choice.dep_weight,
        only_deprived=choice.only_deprived,
    )
    plan, picks = proposal.plan, proposal.picks
    m1, m2, m3 = st.columns(3)
    m1.metric(f"Bestaande partners ({loc_type})", nl.number(len(existing)))
    m2.metric("Dekking nu", pct(plan.share_before))
    m3.metric(f"Dekking met {len(picks)} nieuwe", pct(plan.share_after), delta=None)
    if plan.stopped_early:
        st.info("Na deze stappen voegt geen enkele kandidaat nog dekking toe.")
    if picks.empty:
        st.success("Alles binnen het gekozen gebied is al gedekt.")
        return
    shown = pd.DataFrame(
        {
            "Stap": picks["stap"],
            "Locatie (centrum van)": picks["naam"],
            "Gebied": picks["gebied"],
            f"Extra {choice.weight_label}": picks["winst"].map(nl.number),
            "Dekking na": picks["aandeel_na"].map(pct),
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch", key="partners_picks")
    download_pair(picks, f"voorstel_{loc_type}".replace(" ", "_").replace("/", "_"), "partners_picks_dl")
    fig = charts.coverage_steps(plan.share_before, picks["aandeel_na"].tolist())
    st.plotly_chart(fig, key="partners_curve")
    if maps_ready():
        proposal_map(proposal, existing, loc_type, choice)


def proposal_map(proposal: SiteProposal, existing: pd.DataFrame, loc_type: str, choice: CoverageChoice):
    with st.spinner("Kaart tekenen…"):
        status = proposal.status
        layer = scoped(display_layer(choice.level, stamp), status)
        fmap = maps.categorical_map(
            layer,
            status,
            title=f"{loc_type} binnen {nl.number(choice.distance)} m",
            colors=COVER_COLORS,
            unassigned="buiten de keuze",
            area_label="Dekking",
            attribution=credits,
        )
        picks = proposal.picks
        sites = picks.assign(groep="Voorstel", label=picks["stap"].map(lambda s: f"Voorstel {s}"))
        maps.add_point_markers(
            fmap,
            sites,
            group_by="groep",
            clustered=False,
            name="label",
            popup_fields={"label": "Voorstel", "naam": "Centrum van", "gebied": "Gebied"},
            colors={"Voorstel": "#000000"},
            layer_control=False,
        )
        pt.add_partner_markers(fmap, pt.within_bounds(existing, maps.bounds(layer)))
        show_map(fmap, f"partners_locate_map_{choice.level}", full_width=False)
    st.caption("Zwart: voorgestelde locaties; groen: wat ze extra bereiken. " + credits)


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
selected = pt.filter_partners(register, funded=choice.funded)
table = unit_table(choice.level, stamp)
mapping = area_mapping(choice.area_key, choice.level, stamp, auth.actor().workspace)

tab_register, tab_cover, tab_locate = st.tabs(["Register", "Dekking per gebied", "Waar toevoegen?"])
with tab_register:
    register_tab(register, engine, stamp, has_osm)
with tab_cover:
    if selected.empty:
        st.info("Geen partners om de dekking te berekenen: laad eerst partners in het register.", icon="ℹ️")
    elif not mapping:
        st.info("Deze gebiedsindeling heeft geen eenheden op dit niveau.", icon="ℹ️")
    else:
        coverage_tab(selected, table, mapping, choice)
with tab_locate:
    if not mapping:
        st.info("Deze gebiedsindeling heeft geen eenheden op dit niveau.", icon="ℹ️")
    else:
        locate_tab(selected, table, mapping, choice)
        st.caption(choice.level_note)
