"""Caseload: aanmeldingen per gebied, belasting per VTE, trend en doorverwijzingen tussen gebieden."""

from __future__ import annotations

import numpy as np
import streamlit as st

from geo import fmt as nl
from geo.caseload import cases as cl
from geo.caseload.published import Published, numeric
from geo.data import units
from geo.errors import UserFacingError
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
    protected,
    show,
    summary_display,
    trend_display,
)
from geo_app.loaders import area_mapping, attribution, extent
from geo_app.session import keep, kept
from geo_app.text import md
from geo_app.unit_map import choropleth_map
from geo_app.widgets import download_pair, require_build

MAP_HEIGHT = 520
MAX_PARTNERS = 600  # above this, only funded partners on the map
SOURCES = ("statbel", "gebiedsniveaus", "1g1p")
TABS = ["Belasting per gebied", "Trend per maand", "Verwijzers en doorverwijzingen"]
MEASURES = {"per_vte_per_maand": "per VTE per maand", "per_1000": "per 1.000 jongeren per jaar"}
MASK_NOTE = (
    "Gemaskeerd: aantallen van 1 tot 4 staan als '<5'; wat een gemaskeerd aantal zou terugrekenen (een "
    "totaal, een ander aantal in dezelfde rij of kolom, een cijfer per 1.000 of per VTE) staat als 'x'. "
    "Overal gelijk: in de tabellen, de grafiek, de kaart en de downloads."
)


def load_section(pub: Published, choice: CaseloadChoice, year: int) -> None:
    st.subheader("Belasting per gebied")
    shown_over, hidden_over = pub.overloaded()
    m1, m2, m3 = st.columns(3)
    m1.metric("Aanmeldingen", show(pub.total))
    m2.metric("Maanden", nl.number(pub.months))
    m3.metric(
        "Overbelaste gebieden",
        nl.number(shown_over) + (f" (+ {hidden_over} verborgen)" if hidden_over else ""),
        help=f"Meer dan {nl.number(choice.threshold, 1)} per VTE per maand",
    )
    st.dataframe(
        summary_display(pub.summary, None, year, choice.level == "wijk"),
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
        + (MASK_NOTE if choice.masking else "Masker staat uit: ook aantallen van 1 tot 4 staan er.")
    )
    if pub.without_area != 0:
        st.caption(f"{show(pub.without_area)} aanmeldingen komen uit eenheden zonder gebied.")
    download_pair(pub.summary, "caseload_per_gebied", "caseload_summary_dl", pub.summary_columns)


def trend_section(pub: Published, masking: bool) -> None:
    st.subheader("Trend per maand")
    monthly = pub.monthly
    order = pub.summary.assign(_n=pub.summary["aanmeldingen"].map(numeric)).sort_values("_n", ascending=False)
    top = order["gebied"].head(8).tolist()
    chosen = kept("caseload_trend_areas", [a for a in top if a in monthly])
    pick = st.multiselect(
        "Gebieden",
        list(monthly.columns),
        default=[a for a in chosen if a in monthly],
        key="caseload_trend_areas",
    )
    keep("caseload_trend_areas", pick)
    if not pick:
        return
    chart = monthly[pick].map(numeric)
    long = chart.reset_index().melt(id_vars="maand", var_name="gebied", value_name="aanmeldingen")
    long["maand"] = long["maand"].map(cl.month_label)
    st.altair_chart(charts.lines_per_month(long), width="stretch", key="caseload_trend")
    trend = pub.trend[pub.trend["gebied"].isin(pick)].reset_index(drop=True)
    st.dataframe(trend_display(trend), hide_index=True, width="stretch", key="caseload_trend_table")
    if masking:
        st.caption("Gemaskeerde of verborgen maanden ontbreken in de grafiek; hun trend staat als 'x'.")
    download_pair(monthly.reset_index(), "aanmeldingen_per_maand", "caseload_monthly_dl")


def flows_section(pub: Published) -> None:
    if pub.referrers is not None:
        st.subheader("Per type verwijzer")
        st.dataframe(pub.referrers.map(show), width="stretch", key="caseload_referrers")
        download_pair(pub.referrers.reset_index(), "aanmeldingen_per_verwijzer", "caseload_referrers_dl")
    st.subheader("Doorverwijzingen tussen gebieden")
    if pub.transfer_list().empty:
        st.info(
            "Alle aanmeldingen werden in het eigen gebied behandeld (of het bestand geeft geen behandelend "
            "gebied)."
        )
        return
    st.caption("Rijen: gebied waar het gezin woont; kolommen: gebied dat de aanmelding behandelde.")
    st.dataframe(pub.transfers.map(show), width="stretch", key="caseload_matrix")
    download_pair(pub.transfers.reset_index(), "doorverwijzingen", "caseload_matrix_dl")


def map_section(pub: Published, mapping: dict[str, str], choice: CaseloadChoice, stamp: str) -> None:
    if choice.level == "postcode_antwerpen":
        st.caption("Voor postcodes bestaat geen kaart (geen postcodegrenzen in de open data).")
        return
    st.subheader("Kaart")
    measure = st.radio(
        "Kleur volgens",
        list(MEASURES),
        index=list(MEASURES).index(kept("caseload_measure", "per_vte_per_maand", MEASURES)),
        horizontal=True,
        key="caseload_measure",
        format_func=MEASURES.get,
    )
    keep("caseload_measure", measure)
    per_area = dict(zip(pub.summary["gebied"], pub.summary[measure].map(numeric), strict=True))
    try:
        partners = load_partners(get_engine(), auth.actor())
    except UserFacingError as exc:  # the map works without the register
        partners = pt.empty_partners()
        st.warning(md(f"Partners uit het register niet getoond: {exc}"), icon="⚠️")
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
        "Elke eenheid krijgt de waarde van haar gebied; grijs = geen capaciteit, gemaskeerd of verborgen. "
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
    pub = protected(cases.frame, mapping, population, capacity, choice.threshold, choice.masking, year)
    # Only the open tab runs and is drawn; the open tab is in the URL (?caseload_tab=…). The first tab
    # holds the load table, its downloads and the map.
    load_tab, trend_tab, flows_tab = st.tabs(TABS, key="caseload_tab", on_change="rerun", bind="query-params")
    if load_tab.open:
        with load_tab:
            load_section(pub, choice, year)
            map_section(pub, mapping, choice, stamp)
    if trend_tab.open:
        with trend_tab:
            trend_section(pub, choice.masking)
    if flows_tab.open:
        with flows_tab:
            flows_section(pub)
