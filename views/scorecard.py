"""Scorecard: 2 tot 5 indelingen naast elkaar op dezelfde cijfers, de beste waarde per rij gemarkeerd,
kleine kaarten, een XLSX-export en het beslissingsdossier van elke indeling."""

from __future__ import annotations

import streamlit as st

from geo.reports import scorecard
from geo.reports.figures import params_by_level
from geo_app.compare import choose_division
from geo_app.counts import choose_counts
from geo_app.reports import (
    dossier_downloads,
    formula_choice,
    loaded_caseload,
    loaded_partners,
    scorecard_table,
    small_map,
)
from geo_app.text import md
from geo_app.widgets import XLSX_MIME, attempt, require_build

DEFAULTS = ("swv2021_gemeente", "elz57_gemeente", "swv2021_gemeente2024", "elz60_wijk", "wcp_wijk")

st.title("Scorecard van indelingen")
st.caption(
    "Zet 2 tot 5 indelingen naast elkaar op dezelfde cijfers: evenwicht, spreiding, samenhang, splitsingen, "
    "compactheid, budget per gebied en, als ze geladen zijn, dekking door partners en caseload per VTE. "
    "De beste waarde per rij is groen; de cijfers zijn die van de pagina van elke indeling."
)
stamp = require_build()
counts = choose_counts()
n = st.segmented_control("Aantal indelingen", [2, 3, 4, 5], default=2, key="sc_n") or 2
columns = st.columns(n)
divisions = []
for i, col in enumerate(columns):
    with col:
        st.markdown(f"**Indeling {i + 1}**")
        divisions.append(attempt(lambda i=i: choose_division(f"sc{i}", stamp, DEFAULTS[i]), icon="🚫"))
chosen = [d for d in divisions if d is not None]
if len(chosen) < 2:
    st.info("Kies minstens twee indelingen.", icon="👆")
    st.stop()

weight, total = formula_choice("sc")
partners = loaded_partners()
cases, cases_level = loaded_caseload()
options = scorecard.ScorecardOptions(
    params_by_level=params_by_level({d.level for d in chosen}, weight, total),
    partners=partners,
    cases=cases,
    cases_level=cases_level,
    year=counts.year,
    indicator=counts.indicator,
)
with st.spinner("Cijfers berekenen…"):
    card = attempt(lambda: scorecard.build(chosen, options), icon="🚫")
if card is None:
    st.stop()

st.dataframe(scorecard_table(card), hide_index=True, width="stretch", key="sc_table")
st.caption(" ".join(card.notes))
if partners is None or cases is None:
    missing = [w for w, v in (("partners", partners), ("caseload", cases)) if v is None]
    st.caption(f"Niet geladen: {' en '.join(missing)} (zie de pagina's Partners en Caseload).")
st.download_button(
    "Scorecard als Excel",
    lambda: scorecard.xlsx_bytes(card),
    scorecard.file_name(),
    XLSX_MIME,
    key="sc_xlsx",
)

st.subheader("Kaarten")
for col, division, name in zip(st.columns(len(chosen)), chosen, card.names, strict=True):
    with col:
        st.markdown(f"**{md(name)}**")  # a name typed by a user
        attempt(lambda division=division: small_map(division))

st.subheader("Beslissingsdossier")
pick = st.selectbox("Dossier van", range(len(chosen)), format_func=lambda i: card.names[i], key="sc_dossier")
picked = chosen[pick]
dossier_downloads(
    picked,
    f"sc_dossier_{pick}",
    params=params_by_level([picked.level], weight, total).get(picked.level),
    loaded=(partners, cases, cases_level),  # read once above
)
