"""Forms of the division editor: rename, merge or delete areas, suggestions, and save and export.

Each form hands its edit to `EditorState.edit`; a refused edit shows a Dutch error and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from geo import fmt as nl
from geo.data import units
from geo.divisions import io as division_io
from geo.divisions import store as division_store
from geo.divisions.division import Division
from geo.divisions.metrics import UnitData
from geo.divisions.suggest import BALANCE_OPTIONS, Suggestion, improve, suggest
from geo.errors import UserFacingError
from geo_app import auth
from geo_app.division_check import settings_for
from geo_app.division_versions import save_label
from geo_app.editor_state import EditorState
from geo_app.numbers import number_field, refused
from geo_app.text import md
from geo_app.widgets import XLSX_MIME, attempt

NO_AREA = "— Geen gebied —"
WHOLE = "de hele indeling"


def run_edit(state: EditorState, change: Callable[[Division], Division], message: str) -> None:
    """Apply `change` to the current division as one undo step and rerun, or show why it cannot."""
    try:
        state.edit(change, message)
    except UserFacingError as exc:
        st.error(md(str(exc)))
        return
    st.rerun()


def area_tools(state: EditorState) -> None:
    """Rename, merge or delete areas."""
    areas = state.current.areas
    with st.expander("Gebieden hernoemen, samenvoegen of verwijderen"):
        c1, c2, c3 = st.columns(3)
        with c1.form("ind_rename"):
            old = st.selectbox("Gebied", areas)
            new = st.text_input("Nieuwe naam").strip()
            if st.form_submit_button("Hernoemen"):
                run_edit(state, lambda d: d.rename_area(old, new), f"'{old}' heet nu '{new}'.")
        with c2.form("ind_merge"):
            chosen = st.multiselect("Gebieden", areas)
            into = st.text_input("Naam van het samengevoegde gebied (leeg = eerste)").strip()
            if st.form_submit_button("Samenvoegen"):
                run_edit(state, lambda d: d.merge_areas(chosen, into or None), "Gebieden samengevoegd.")
        with c3.form("ind_delete"):
            gone = st.selectbox("Gebied", areas)
            to = st.selectbox("Eenheden gaan naar", [NO_AREA, *areas])
            if st.form_submit_button("Verwijderen"):
                target = None if to == NO_AREA else to
                run_edit(state, lambda d: d.delete_area(gone, target), f"'{gone}' verwijderd.")


def suggest_tools(state: EditorState, data: UnitData) -> None:
    """A new balanced contiguous proposal, or a few-move improvement of the current division."""
    division = state.current
    with st.expander("Voorstel laten maken (evenwichtige, samenhangende gebieden)"):
        st.caption(
            "Een voorstel is een ontwerp: het verdeelt eenheden in samenhangende gebieden met ongeveer "
            "evenveel van de gekozen telling, of verbetert de huidige indeling met een paar verplaatsingen. "
            "Daarna kunt u het verder bewerken; 'Ongedaan maken' brengt de vorige versie terug."
        )
        with st.form("ind_suggest"):
            mode = st.radio(
                "Wat",
                ["nieuw", "verbeter"],
                format_func={"nieuw": "Nieuw voorstel", "verbeter": "Huidige indeling verbeteren"}.get,
                horizontal=True,
            )
            balance = st.selectbox(
                "In evenwicht op", list(BALANCE_OPTIONS), format_func=lambda k: BALANCE_OPTIONS[k][0]
            )
            tolerance = (
                number_field(
                    "Tolerantie rond het gemiddelde (%)",
                    5,
                    key="ind_sug_tol",
                    kind="percent",
                    minimum=1,
                    maximum=30,
                    in_form=True,
                    help="Tussen 1 en 30 %.",
                )
                / 100
            )
            c1, c2, c3 = st.columns(3)
            k = number_field(
                "Aantal gebieden (nieuw)",
                max(len(division.areas), 2),
                key="ind_sug_k",
                integer=True,
                minimum=1,
                maximum=100,
                in_form=True,
                container=c1,
            )
            max_moves = number_field(
                "Max. verplaatsingen (verbeteren)",
                10,
                key="ind_sug_moves",
                integer=True,
                minimum=1,
                maximum=500,
                in_form=True,
                container=c2,
            )
            seed = number_field(
                "Startgetal (zelfde getal = zelfde voorstel)",
                0,
                key="ind_sug_seed",
                integer=True,
                minimum=0,
                maximum=10_000,
                in_form=True,
                container=c3,
            )
            inside = st.selectbox("Binnen", [WHOLE, *division.areas])
            go = st.form_submit_button("Voorstel maken")
        if not go or refused("ind_sug_tol", "ind_sug_k", "ind_sug_moves", "ind_sug_seed"):
            return

        def propose(d: Division) -> Suggestion:
            if mode == "verbeter":
                return improve(data, d, balance, tolerance, max_moves, None if inside == WHOLE else [inside])
            within = None if inside == WHOLE else d.units_in(inside)
            prefix = "Gebied" if within is None else inside
            return suggest(
                data, k, balance, tolerance, seed, within=within, base=d, name=d.name, prefix=prefix
            )

        try:
            with st.spinner("Voorstel berekenen…"):
                proposal = propose(division)
        except UserFacingError as exc:
            st.error(md(str(exc)))
            return
        note = " ".join(proposal.notes)
        message = f"Voorstel toegepast: grootste afwijking {nl.percent(100 * proposal.max_deviation)}. {note}"
        state.apply(proposal.division, message.strip())
        st.rerun()


def save_section(state: EditorState, data: UnitData) -> None:
    """Name, author, description and vintage; save (new or over the opened version); downloads."""
    st.subheader("Opslaan en exporteren")
    division = state.current
    with st.form("ind_meta"):
        c1, c2 = st.columns(2)
        name = c1.text_input("Naam", division.meta.name)
        author = c2.text_input("Auteur", division.meta.author)
        description = st.text_area("Beschrijving", division.meta.description, height=80)
        vintage = st.text_input("Gegevensjaar / versie van de indeling", division.meta.vintage)
        save_as = st.checkbox("Als nieuwe indeling opslaan (kopie)", value=division.meta.db_id is None)
        may_save = auth.can("bewerken")
        go = st.form_submit_button(save_label(state), type="primary", disabled=not may_save)
        if not may_save:
            st.caption("Uw rol in deze werkruimte is lezer: u kunt bekijken en exporteren, niet opslaan.")
    if go:
        updated = division.with_meta(
            name=name.strip(), author=author, description=description, vintage=vintage
        )
        if save_as:
            updated = updated.with_meta(db_id=None, version=0, created=None)
        rules = settings_for(state, data).to_dict()  # the check panel's rules go with the version
        with st.spinner("Opslaan…"):
            saved = attempt(lambda: division_store.save(updated, rules=rules, actor=auth.actor()), icon="🚫")
        if saved is not None:
            state.mark_saved(saved, f"'{saved.name}' opgeslagen (versie {saved.meta.version}).")
            st.rerun()
    names = dict(zip(data.codes, data.names or data.codes, strict=True))
    c1, c2, c3 = st.columns(3)
    c1.download_button(
        "Indeling als CSV",
        division_io.to_csv_bytes(division, names),
        division_io.export_name(division, "indeling", "csv"),
        "text/csv",
        key="ind_dl_csv",
    )
    c2.download_button(
        "Indeling als Excel",
        division_io.to_xlsx_bytes(division, names),
        division_io.export_name(division, "indeling", "xlsx"),
        XLSX_MIME,
        key="ind_dl_xlsx",
    )
    if units.LEVELS[division.level].has_geometry and c3.checkbox(
        "GeoJSON van de gebieden voorbereiden", key="ind_geojson"
    ):
        with st.spinner("Gebieden samenvoegen…"):
            payload = division_io.to_geojson_bytes(division, state.metrics(data).table())
        c3.download_button(
            "Gebieden als GeoJSON",
            payload,
            division_io.export_name(division, "gebieden", "geojson"),
            "application/geo+json",
            key="ind_dl_geojson",
        )
