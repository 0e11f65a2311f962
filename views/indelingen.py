"""Indelingen: een indeling openen of maken, eenheden verplaatsen (kaart of lijst), cijfers per gebied volgen,
voorstellen laten maken, opslaan, importeren en exporteren.

De toestand van de editor (indeling, ongedaan maken, selectie, opgeslagen versie) is één `EditorState` in de
sessie; deze pagina kiest, roept haar methodes aan en toont.
"""

from __future__ import annotations

import streamlit as st

from geo import fmt as nl
from geo.budget.per_unit import BUDGET_NOTE
from geo.data import units
from geo.divisions import io as division_io
from geo.divisions.division import Division
from geo.divisions.metrics import LABELS, Band, UnitData, display_table
from geo.maps import folium_maps as maps
from geo_app import session
from geo_app.budget_sections import staff_per_area
from geo_app.editor_open import level_label, open_panel
from geo_app.editor_state import EditorState
from geo_app.editor_tools import NO_AREA, area_tools, save_section, suggest_tools
from geo_app.loaders import attribution, layer_subset, unit_data
from geo_app.maps import maps_ready, outline, show_map
from geo_app.widgets import XLSX_MIME, attempt, csv_bytes, require_build

MAX_MAP_UNITS = 450  # above this, the map shows the chosen areas only (payload and speed)
NEW_AREA = "➕ Nieuw gebied…"
SEL_KEY = "ind_sel"  # the selection list widget
SOURCES = ("gebiedsniveaus", "statbel", "stadsmonitor", "1g1p")
CHANGED_STYLE = "background-color:#fff3b0"


def unit_labels(data: UnitData) -> dict[str, str]:
    names = data.names or data.codes
    return {c: (f"{c} – {n}" if n != c else c) for c, n in zip(data.codes, names, strict=True)}


def move_and_rerun(state: EditorState, codes: list[str], target: str | None) -> None:
    if attempt(lambda: state.move(codes, target)) is not None:
        st.rerun(scope="app")


# ------------------------------------------------------------------------------------------- map and list
@st.fragment
def map_and_selection(state: EditorState, data: UnitData, stamp: str) -> None:
    """Map (click = select) and the selection list; only this part reruns on a click."""
    division = state.current
    if (pending := state.take_pending_selection()) is not None:
        st.session_state[SEL_KEY] = pending  # set by an action, before the list widget is drawn
    else:
        state.follow_widget(st.session_state.get(SEL_KEY, []))
    direct = st.toggle("Klik op de kaart verplaatst meteen naar het doelgebied", key="ind_direct")
    choice = st.selectbox(
        "Doelgebied",
        [*division.areas, NEW_AREA, NO_AREA],
        key="ind_target",
        help="Waar de gekozen eenheden heen gaan.",
    )
    new_name = st.text_input("Naam van het nieuwe gebied", key="ind_new_area") if choice == NEW_AREA else ""
    target = None if choice == NO_AREA else (new_name.strip() if choice == NEW_AREA else choice)
    target_ok = choice != NEW_AREA or bool(target)

    if not units.LEVELS[division.level].has_geometry:
        st.info(
            "Voor dit niveau zijn er geen kaartvlakken (postcodes): kies de eenheden in de lijst.", icon="ℹ️"
        )
    elif maps_ready():
        click = unit_map(state, data, stamp)
        if click is not None and state.is_new_click(click.event):
            if direct and target_ok:
                move_and_rerun(state, [click.code], target)
            state.toggle(click.code)
            st.rerun(scope="fragment")

    labels = unit_labels(data)
    st.multiselect(
        "Gekozen eenheden",
        list(division.units),
        format_func=lambda c: f"{labels.get(c, c)} · {division.area_of(c) or 'geen gebied'}",
        key=SEL_KEY,
        placeholder="Kies eenheden (typ een naam of code)…",
    )
    state.follow_widget(st.session_state.get(SEL_KEY, []))
    selection = state.selection
    c1, c2, c3 = st.columns([2, 2, 1])
    label = f"Verplaats {len(selection)} eenhe(i)d(en)"
    if c1.button(label, type="primary", disabled=not selection or not target_ok, key="ind_move"):
        move_and_rerun(state, selection, target)
    pick = c2.selectbox(
        "Alle eenheden van", ["—", *division.areas], key="ind_pick_area", label_visibility="collapsed"
    )
    c3.button("Kiezen", key="ind_pick", disabled=pick == "—", on_click=state.add_area, args=(pick,))


def unit_map(state: EditorState, data: UnitData, stamp: str):
    """The units coloured by area with the selection outlined; returns the click, if any."""
    division = state.current
    shown = map_units(division)
    layer = layer_subset(division.level, tuple(shown), stamp)
    fmap = maps.categorical_map(
        layer, {u: division.area_of(u) for u in shown}, title="Gebieden", attribution=None
    )
    click = show_map(fmap, f"ind_map_{division.level}", clicks=True, overlay=outline(layer, state.selection))
    partial = ""
    if len(shown) < len(division.units):
        partial = (
            f"De kaart toont {len(shown)} van de {len(division.units)} eenheden "
            "(kies hieronder welke gebieden). "
        )
    st.caption(
        "Klik op een eenheid om ze te (de)selecteren; de zwarte rand toont de selectie. "
        + partial
        + attribution(SOURCES)
    )
    return click if click is not None and click.code in data.index else None


def map_units(division: Division) -> list[str]:
    """Units shown on the map: all, or for big divisions those of the chosen areas (+ unassigned)."""
    if len(division.units) <= MAX_MAP_UNITS:
        return list(division.units)
    sizes = division.area_sizes()
    default = [a for a in division.areas if sizes[a]][:3]
    chosen = set(
        st.multiselect("Gebieden op de kaart", list(division.areas), default=default, key="ind_map_areas")
    )
    return [u for u in division.units if division.area_of(u) in chosen or division.area_of(u) is None]


# ------------------------------------------------------------------------------------------- figures
def metrics_section(state: EditorState, data: UnitData) -> None:
    st.subheader("Cijfers per gebied")
    division = state.current
    small = division.level in ("elz57", "gemeente") and len(division.areas) <= 30
    low_default, high_default = (200_000.0, 250_000.0) if small else (None, None)
    c1, c2, c3 = st.columns(3)
    options = [c for c in ("inwoners", "pop_0_24", "kansarmoede_n", "budget_eur") if c in data.counts]
    balance = c1.selectbox("Afwijking en doelband op", options, format_func=LABELS.get, key="ind_balance")
    low = c2.number_input(
        "Ondergrens doelband", min_value=0.0, value=low_default, step=10_000.0, key=f"ind_low_{balance}"
    )
    high = c3.number_input(
        "Bovengrens doelband", min_value=0.0, value=high_default, step=10_000.0, key=f"ind_high_{balance}"
    )
    band = Band(balance, low, high) if low is not None or high is not None else None

    metrics = state.metrics(data)
    table = metrics.table(band, balance=balance)
    summary = metrics.summary(balance)
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Gebieden", nl.number(summary.n_areas))
    m2.metric("Eenheden zonder gebied", nl.number(len(summary.unassigned)))
    ratio = nl.number(summary.max_min_ratio, 2) if summary.max_min_ratio else "–"
    m3.metric(
        "Grootste / kleinste",
        ratio,
        help=f"Verhouding van het grootste tot het kleinste gebied in {LABELS[balance].lower()}.",
    )
    cv = nl.percent(100 * summary.cv) if summary.cv is not None else "–"
    m4.metric(
        "Variatiecoëfficiënt", cv, help="Standaardafwijking gedeeld door het gemiddelde over de gebieden."
    )

    touched = state.changed_areas(table)
    styled = display_table(table).style.apply(
        lambda row: [CHANGED_STYLE if row.iloc[0] in touched else "" for _ in row], axis=1
    )
    st.dataframe(styled, hide_index=True, width="stretch", key="ind_metrics_table")
    if touched:
        st.caption(f"Gewijzigd door de laatste bewerking: {', '.join(touched)} (geel).")
    for problem in summary.problems:
        st.warning(problem, icon="⚠️")
    for note in summary.exceptions:
        st.info(f"Gekende uitzondering, geen fout: {note}.", icon="ℹ️")
    st.caption(" ".join(metric_notes(data)))
    d1, d2 = st.columns(2)
    d1.download_button(
        "Cijfers als CSV", csv_bytes(table), "gebieden_cijfers.csv", "text/csv", key="ind_dl_metrics_csv"
    )
    d2.download_button(
        "Cijfers als Excel",
        division_io.to_xlsx_bytes(division, metrics=table),
        "gebieden_cijfers.xlsx",
        XLSX_MIME,
        key="ind_dl_metrics_xlsx",
    )
    staff_per_area(division)


def metric_notes(data: UnitData) -> list[str]:
    notes = [
        "Kansarmoede = kansarme jongeren (0-24 × K&G-index) / jongeren met gekende index, uit aantallen."
    ]
    if data.estimated:
        notes.append(
            "Let op: per wijk zijn de aantallen schattingen (gemeentecijfers verdeeld over de wijken naar "
            "het aantal statistische sectoren); per gemeente kloppen de totalen."
        )
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
state = session.editor()
if message := state.take_message():
    st.toast(message)

with st.expander("Indeling openen, maken of importeren", expanded=not state.is_open):
    open_panel(state, stamp)
if not state.is_open:
    st.info(
        "Open een ingebouwde of opgeslagen indeling, maak een nieuwe of importeer een bestand.", icon="👆"
    )
    st.stop()

division = state.current
data = unit_data(division.level, stamp)
head, undo_col, redo_col = st.columns([6, 1, 1])
version = f", versie {division.meta.version}" if division.meta.db_id else ""
head.markdown(
    f"**{division.name}** · {level_label(division.level)} · {len(division.areas)} gebieden{version} "
    f"· _{state.status}_"
)
if undo_col.button("↶ Ongedaan maken", disabled=not state.can_undo, key="ind_undo"):
    state.undo()
    st.rerun()
if redo_col.button("↷ Opnieuw", disabled=not state.can_redo, key="ind_redo"):
    state.redo()
    st.rerun()
if division.meta.description:
    st.caption(division.meta.description)

map_and_selection(state, data, stamp)
area_tools(state)
suggest_tools(state, data)
metrics_section(state, data)
save_section(state, data)
