"""Budget: de verdeelformule (jongeren + kansarmoede) uitproberen voor euro's of personeel, vergelijken met de
budgetten 2021 en met een gelijke verdeling, en een overgangspad naar de formule."""

from __future__ import annotations

import streamlit as st

from geo.budget import allocation as al
from geo.errors import UserFacingError
from geo_app import budget_sections as sections
from geo_app import budget_settings
from geo_app import budget_tabs as tabs
from geo_app.budget import calibration_hint, choose, fit_for
from geo_app.counts import choose_counts
from geo_app.text import md
from geo_app.widgets import require_build

# ------------------------------------------------------------------------------------------- page
st.title("Budgetverdeling: de formule uitproberen")
st.caption(
    "Officiële regel (oproep 2020): het totale budget werd over alle gemeenten verdeeld volgens het aantal "
    "jongeren onder 25 met een correctie voor kansarmoede, daarna opgeteld per eerstelijnszone; elk "
    "samenwerkingsverband is een groep aaneensluitende eerstelijnszones. De precieze correctie is niet "
    "gepubliceerd: hier kiest u ze zelf en ziet u hoe dicht dat bij de budgetten van 2021 komt."
)
stamp = require_build()
settings_box = budget_settings.start()
choice = choose(stamp, choose_counts(reference_2021=True))
budget_settings.panel(settings_box, choice)
setting = choice.setting

try:
    alloc = al.allocate(setting.units, choice.params, setting.areas)
except UserFacingError as exc:
    st.error(md(f"Deze keuze kan niet berekend worden: {exc}"), icon="⛔")
    st.stop()
comparison = setting.compare_2021(alloc)
fit = fit_for(choice, stamp)
if fit is not None:
    calibration_hint(choice, fit)
transition = sections.transition_inputs(choice)
path = sections.compute_path(alloc, choice, transition)
extra = (sections.extra_sheets(alloc, choice, path, transition), transition.cache_key if path else ())

# Only the open tab runs and is drawn (maps, charts and long tables are slow to render in the browser); the
# open tab is in the URL (?budget_tab=…). The first tab holds the map and the downloads with every sheet.
verdeling, toelichting, correctie, vergelijking, gelijk, overgang, per_eenheid = st.tabs(
    list(tabs.TABS), key="budget_tab", on_change="rerun", bind="query-params"
)
if verdeling.open:
    with verdeling:
        tabs.distribution_tab(alloc, choice, comparison, stamp, extra)
if toelichting.open:
    with toelichting:
        tabs.explanation_tab(alloc, choice)
if correctie.open:
    with correctie:
        tabs.correction_tab(choice, fit, stamp)
if vergelijking.open:
    with vergelijking:
        tabs.comparison_tab(comparison, choice, fit)
if gelijk.open:
    with gelijk:
        sections.equal_section(alloc, choice)
if overgang.open:
    with overgang:
        tabs.transition_tab(path, transition, choice)
if per_eenheid.open:
    with per_eenheid:
        tabs.unit_tab(alloc, choice)
