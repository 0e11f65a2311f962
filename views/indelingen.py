"""Indelingen: een indeling openen of maken, eenheden verplaatsen (kaart of lijst), cijfers per gebied volgen,
voorstellen laten maken, opslaan, importeren en exporteren.

De toestand van de editor (indeling, ongedaan maken, selectie, opgeslagen versie) is één `EditorState` in de
sessie; deze pagina kiest, roept haar methodes aan en toont. Kaart en cijfers staan naast elkaar in één
fragment (`geo_app.editor_workspace`): een klik of verplaatsing herlaadt alleen dat deel. Daaronder de
controle op de 1G1P-regels (`geo_app.division_check`) en de versies, status en opmerkingen
(`geo_app.division_versions`).
"""

from __future__ import annotations

import streamlit as st

from geo.budget.per_unit import BUDGET_NOTE
from geo.data import units
from geo.divisions.metrics import UnitData
from geo_app import session
from geo_app.counts import choose_counts
from geo_app.division_check import check_panel, settings_for
from geo_app.division_versions import status_notice, versions_panel
from geo_app.editor_open import open_panel
from geo_app.editor_tools import area_tools, save_section, suggest_tools
from geo_app.editor_workspace import go_to, workspace
from geo_app.loaders import unit_data
from geo_app.reports import dossier_downloads
from geo_app.text import md
from geo_app.widgets import require_build


def metric_notes(data: UnitData) -> list[str]:
    notes = [
        "Kansarmoede = kansarme jongeren / jongeren met gekende index, uit aantallen.",
        units.counts_note(data.year, data.indicator, data.level),
    ]
    if "budget_eur" in data.counts:
        notes.append(BUDGET_NOTE)
    notes.append("Compactheid: Polsby-Popper (1 = cirkel), uit omtrek en oppervlakte van de eenheden.")
    return notes


# ------------------------------------------------------------------------------------------- page
st.title("Indelingen")
st.caption(
    "Verdeel gemeenten, eerstelijnszones, wijken of postcodes over werkingsgebieden en zie meteen wat dat "
    "doet met de grootte, de jongeren, de kansarmoede, het budget en de samenhang per gebied."
)
stamp = require_build()
counts = choose_counts()
state = session.editor()
if message := state.take_message():
    st.toast(md(message))  # names typed by users: never markdown

with st.expander("Indeling openen, maken of importeren", expanded=not state.is_open):
    open_panel(state, stamp)
if not state.is_open:
    st.info(
        "Open een ingebouwde of opgeslagen indeling, maak een nieuwe of importeer een bestand.", icon="👆"
    )
    st.stop()

division = state.current
data = unit_data(division.level, stamp, *counts.key)
if division.meta.description:
    st.caption(md(division.meta.description))  # typed by a user
status_notice(state)

workspace(state, data, stamp)
st.caption(" ".join(metric_notes(data)))
check_panel(state, data, go_to=lambda finding: go_to(list(finding.units)))
area_tools(state)
suggest_tools(state, data)
save_section(state, data)
versions_panel(state, data)
dossier = st.expander("Beslissingsdossier (PDF)", key="ind_dossier_open", on_change="rerun")
if dossier.open:  # its options read the partner register and the caseload: only when asked for
    with dossier:
        dossier_downloads(
            state.current, "ind_dossier", unsaved=state.dirty, settings=settings_for(state, data)
        )
