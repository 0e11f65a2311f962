"""Caseload: aanmeldingen per gebied, belasting per VTE, trend en doorverwijzingen tussen gebieden."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from geo import fmt as nl
from geo.caseload import cases as cl
from geo.data import units
from geo.partners import register as pt
from geo.partners.store import load_partners
from geo.store.engine import get_engine
from geo_app import auth, charts
from geo_app.caseload import (
    CaseloadChoice,
    capacity_editor,
    case_units,
    caseload_choice,
    choose_cases,
    show,
    summary_display,
    trend_display,
)
from geo_app.loaders import area_mapping, attribution, extent
from geo_app.unit_map import choropleth_map
from geo_app.widgets import download_pair, require_build

MAP_HEIGHT = 520
MAX_PARTNERS = 600  # above this, only funded partners on the map
SOURCES = ("statbel", "gebiedsniveaus", "1g1p")
MEASURES = {"per_vte_per_maand": "per VTE per maand", "per_1000": "per 1.000 jongeren per jaar"}


def load_section(summary: pd.DataFrame, masked: pd.DataFrame, choice: CaseloadChoice, year: int) -> None:
    st.subheader("Belasting per gebied")
    m1, m2, m3 = st.columns(3)
    m1.metric("Aanmeldingen", nl.number(summary["aanmeldingen"].sum()))
    m2.metric("Maanden", nl.number(summary.attrs["maanden"]))
    m3.metric(
        "Overbelaste gebieden",
        nl.number(int(summary["overbelast"].sum())),
        help=f"Meer dan {nl.number(choice.threshold, 1)} per VTE per maand",
    )
    st.dataframe(
        summary_display(masked, summary["overbelast"], year, choice.level == "wijk"),
        hide_index=True,
        width="stretch",
        key="caseload_summary",
    )
    st.caption(
        "Per 1.000 jongeren: aanmeldingen van inwoners van het gebied, omgerekend naar een jaar, gedeeld "
        f"door het aantal -25-jarigen op 1 januari {year}. Per VTE: aanmeldingen die het gebied zelf "
        "behandelde (ook van elders). "
        + (units.TABEL8_NOTE + " " if choice.level == "postcode_antwerpen" else "")
        + (
            "Jongeren per wijk zijn schattingen (sectorbevolking x leeftijdsverdeling van de gemeente). "
            if choice.level == "wijk"
            else ""
        )
        + (
            "Gemaskeerd: 1-4 als '<5', met de afgeleide cijfers als '–'."
            if choice.masking
            else "Masker staat uit."
        )
    )
    if summary.attrs["zonder_gebied"]:
        st.caption(f"{show(summary.attrs['zonder_gebied'])} aanmeldingen komen uit eenheden zonder gebied.")
    download_pair(masked, "caseload_per_gebied", "caseload_summary_dl")


def trend_section(cases: pd.DataFrame, summary: pd.DataFrame, mapping: dict[str, str], masking: bool) -> None:
    st.subheader("Trend per maand")
    monthly = cl.monthly_by_area(cases, mapping)
    top = summary.sort_values("aanmeldingen", ascending=False)["gebied"].head(8).tolist()
    pick = st.multiselect(
        "Gebieden",
        list(monthly.columns),
        default=[a for a in top if a in monthly],
        key="caseload_trend_areas",
    )
    if not pick:
        return
    chart = cl.masked_monthly(monthly[pick], masked=masking)
    long = chart.reset_index().melt(id_vars="maand", var_name="gebied", value_name="aanmeldingen")
    long["maand"] = long["maand"].map(cl.month_label)
    st.plotly_chart(charts.lines_per_month(long), key="caseload_trend")
    st.dataframe(
        trend_display(cl.trend(monthly[pick])), hide_index=True, width="stretch", key="caseload_trend_table"
    )
    if masking:
        st.caption("Maanden met 1-4 aanmeldingen ontbreken in de grafiek (gemaskeerd).")
    download_pair(
        cl.mask_matrix(monthly, enabled=masking).reset_index(),
        "aanmeldingen_per_maand",
        "caseload_monthly_dl",
    )


def flows_section(cases: pd.DataFrame, mapping: dict[str, str], masking: bool) -> None:
    if (cases["verwijzer"].fillna("") != "").any():
        st.subheader("Per type verwijzer")
        referrers = cl.mask_matrix(cl.by_referrer(cases, mapping), enabled=masking)
        st.dataframe(referrers.map(show), width="stretch", key="caseload_referrers")
        download_pair(referrers.reset_index(), "aanmeldingen_per_verwijzer", "caseload_referrers_dl")
    st.subheader("Doorverwijzingen tussen gebieden")
    if cl.transfers(cases, mapping).empty:
        st.info(
            "Alle aanmeldingen werden in het eigen gebied behandeld (of het bestand geeft geen behandelend "
            "gebied)."
        )
        return
    st.caption("Rijen: gebied waar het gezin woont; kolommen: gebied dat de aanmelding behandelde.")
    matrix = cl.mask_matrix(cl.transfer_matrix(cases, mapping), enabled=masking)
    st.dataframe(matrix.map(show), width="stretch", key="caseload_matrix")
    download_pair(matrix.reset_index(), "doorverwijzingen", "caseload_matrix_dl")


def map_section(summary: pd.DataFrame, mapping: dict[str, str], choice: CaseloadChoice, stamp: str) -> None:
    if choice.level == "postcode_antwerpen":
        st.caption("Voor postcodes bestaat geen kaart (geen postcodegrenzen in de open data).")
        return
    st.subheader("Kaart")
    measure = st.radio(
        "Kleur volgens", list(MEASURES), horizontal=True, key="caseload_measure", format_func=MEASURES.get
    )
    per_area = cl.rate_per_area(summary, measure, masked=choice.masking)
    partners = load_partners(get_engine(), auth.actor())
    shown = partners if len(partners) <= MAX_PARTNERS else pt.filter_partners(partners, funded=True)
    choropleth_map(
        choice.level,
        stamp,
        {c: per_area.get(a, np.nan) for c, a in mapping.items()},
        key=f"caseload_map_{choice.level}",
        label="Per VTE per maand" if measure == "per_vte_per_maand" else "Per 1.000 jongeren",
        fmt=lambda v: nl.number(v, 1),
        shown=list(mapping),
        tooltip_fields={"Gebied": dict(mapping)},
        height=MAP_HEIGHT,
        attribution=attribution(SOURCES),
        points=pt.partner_points(pt.within_bounds(shown, extent(choice.level, mapping, stamp))),
    )
    st.caption(
        "Elke eenheid krijgt de waarde van haar gebied; grijs = geen capaciteit of gemaskeerd. "
        "Partners uit het register kunnen per type aan- en uitgezet worden in de legende onder de kaart."
    )


# --------------------------------------------------------------------------------------------- page
st.title("Caseload: aanmeldingen en belasting per gebied")
st.caption(
    "Hoeveel aanmeldingen komen er per gebied, per 1.000 jongeren en per VTE, hoe evolueert dat, en hoeveel "
    "gezinnen worden buiten hun eigen gebied geholpen?"
)
st.info(
    "**Enkel geaggregeerde aantallen.** Laad per eenheid (postcode, wijk of gemeente) en maand het aantal "
    "aanmeldingen, eventueel per type verwijzer. Bestanden met namen, rijksregisternummers, geboortedata of "
    "adressen worden geweigerd en niet bewaard. Aantallen van 1 tot 4 worden standaard gemaskeerd.",
    icon="🔒",
)
stamp = require_build()
choice = caseload_choice(stamp)
table = case_units(choice.level, stamp, choice.year)
year = int(table["jaar"].iloc[0])  # Antwerp postcodes: always 2019 (Tabel 8)
mapping = area_mapping(choice.area_key, choice.level, stamp, auth.actor().workspace)
areas = sorted(set(mapping.values()))

cases = choose_cases(choice, table, areas, stamp)
if cases is not None and not cases.frame.empty:
    capacity = capacity_editor(cases, table, mapping, areas, choice.area_key)
    population = dict(zip(table["code"].astype(str), table["pop_0_24"].astype(float), strict=True))
    summary = cl.caseload_summary(cases.frame, mapping, population, capacity, choice.threshold, year)
    masked = cl.masked_summary(summary, enabled=choice.masking)
    load_section(summary, masked, choice, year)
    trend_section(cases.frame, summary, mapping, choice.masking)
    flows_section(cases.frame, mapping, choice.masking)
    map_section(summary, mapping, choice, stamp)
