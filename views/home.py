"""Startpagina: kaart van Vlaanderen en Brussel met een indicator per gemeente, en de kerncijfers."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pandas as pd
import streamlit as st

from geo import exports
from geo import fmt as nl
from geo.data import catalog, units
from geo.maps import folium_maps as maps
from geo_app.counts import CountsChoice, choose_counts
from geo_app.unit_map import choropleth_map

MAP_HEIGHT = 520
SOURCES = ("gebiedsniveaus", "statbel", "stadsmonitor")


@st.cache_data(show_spinner="Gegevens laden…")
def load_tables(stamp: str, year: int, indicator: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    return units.load_table("gemeente", year, indicator), units.load_table("elz", year, indicator)


def dated_indicators(counts: CountsChoice) -> tuple[maps.Indicator, ...]:
    """The map indicators with the population year (and the deprivation indicator) in their label."""
    out = []
    for ind in maps.MUNICIPAL_INDICATORS:
        if ind.column == "kansarmoede_pct":
            label = units.indicator_header(counts.indicator, "Kansarmoede (%)", "gemeente")
        else:
            label = counts.header(ind.label)
        out.append(replace(ind, label=label))
    return tuple(out)


@st.cache_data
def attribution() -> str:
    return catalog.attribution_line(SOURCES)


def tooltip_texts(
    table: pd.DataFrame, chosen: maps.Indicator, indicators: tuple[maps.Indicator, ...]
) -> dict[str, dict]:
    """The other indicators and the zone name per municipality (Antwerp: its four zones), formatted for the
    tooltip."""
    texts = maps.indicator_texts(table, indicators, exclude=chosen.key)
    texts["Eerstelijnszone"] = dict(zip(table["code"], table["elz_naam"].fillna("–"), strict=True))
    return texts


st.title("Gebiedsplanner 1 Gezin 1 Plan")
st.caption("Vlaanderen en Brussel: 304 gemeenten (indeling 2025) met de grenzen van de 60 eerstelijnszones.")

stamp = units.build_stamp()
if stamp is None:
    st.info(
        "Er zijn nog geen gegevens opgebouwd. Voer eerst `make data` uit "
        "(of `python -m geo data fetch` en `python -m geo data build`) en herlaad deze pagina.",
        icon="ℹ️",
    )
    st.stop()

counts = choose_counts()
gemeenten, zones = load_tables(stamp, *counts.key)
year = counts.year
indicators = dated_indicators(counts)

by_key = {ind.key: ind for ind in indicators}
chosen = by_key[
    st.radio(
        "Kleur de gemeenten volgens",
        list(by_key),
        format_func=lambda k: by_key[k].label,
        horizontal=True,
        key="home_indicator",
    )
]

left, right = st.columns([3, 1], gap="medium")
with left:
    choropleth_map(
        "gemeente",
        stamp,
        chosen.values(gemeenten),
        key="home_map",
        label=chosen.label,
        fmt=chosen.format,
        tooltip_fields=tooltip_texts(gemeenten, chosen, indicators),
        borders=dict(zip(gemeenten["code"].astype(str), gemeenten["elz"].astype(str), strict=True)),
        height=MAP_HEIGHT,
        attribution="Dikke lijnen: de 60 eerstelijnszones. " + attribution(),
    )
    st.caption(counts.note("gemeente"))

with right:
    st.subheader("Kerncijfers")
    st.metric(f"Inwoners (1 januari {year})", nl.number(gemeenten["inwoners"].sum()))
    st.metric(f"Jongeren onder 25 ({year})", nl.number(gemeenten["pop_0_24"].sum()))
    known = ~gemeenten["kansarmoede_missing"].astype(bool)
    rate = 100 * gemeenten.loc[known, "kansarmoede_n"].sum() / gemeenten.loc[known, "kansarmoede_basis"].sum()
    st.metric(
        units.indicator_header(counts.indicator, "Kansarmoede (%)", "gemeente"),
        nl.percent(rate),
        help=f"{counts.info.rate_label}. Uit aantallen (kansarme jongeren / jongeren {year}), over "
        f"{int(known.sum())} gemeenten met een gekende waarde.",
    )
    st.metric("Gemeenten", nl.number(len(gemeenten)))
    st.metric(
        "Eerstelijnszones", nl.number(len(zones)), help="57 gepubliceerde zones; Antwerpen en rand in 4."
    )
    st.caption(f"Gegevens opgebouwd op {nl.local_time(datetime.fromisoformat(stamp).astimezone())}.")

with st.expander("Tabel per gemeente"):
    shown = pd.DataFrame(
        {
            "NIS-code": gemeenten["code"],
            "Gemeente": gemeenten["naam"],
            "Eerstelijnszone": gemeenten["elz_naam"],  # Antwerp: its four zones, never one of them
        }
        | {ind.label: pd.Series(ind.values(gemeenten)).to_numpy() for ind in indicators}
    )
    st.dataframe(shown, hide_index=True, width="stretch")
    st.caption(counts.note("gemeente"))
    st.download_button(
        "Download als CSV",
        exports.csv_bytes(shown),
        file_name=exports.file_name("gemeenten_kerncijfers", f"bevolking-{year}", ext="csv"),
        mime="text/csv",
    )
