"""Where the division editor gets its division: built in, stored, new, or imported from a file.

`open_panel(state, stamp)` draws the four tabs; every way ends in `state.open(...)` and a rerun.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo import fmt as nl
from geo.data import units
from geo.divisions import io as division_io
from geo.divisions import store as division_store
from geo.divisions.division import Division
from geo.divisions.references import REFERENCES
from geo.divisions.suggest import suggest
from geo.errors import UserFacingError
from geo.settings import defaults as settings_defaults
from geo.store.engine import DatabaseError
from geo_app import auth, errors, workspace_defaults
from geo_app.editor_state import EditorState
from geo_app.loaders import imported_division, reference, unit_data
from geo_app.numbers import number_field, refused
from geo_app.text import md
from geo_app.widgets import attempt

EDIT_LEVELS = list(settings_defaults.EDIT_LEVELS)  # also the levels a workspace default may name


def level_label(level: str) -> str:
    return division_io.LEVEL_NAMES.get(level, level)


def open_and_rerun(state: EditorState, division: Division, message: str) -> None:
    state.open(division, message)
    st.rerun()


def open_panel(state: EditorState, stamp: str) -> None:
    """Tabs to open a built-in or stored division, make a new one, or import a file."""
    t_ref, t_db, t_new, t_imp = st.tabs(["Ingebouwd", "Opgeslagen", "Nieuw", "Importeren"])
    with t_ref:
        builtin_tab(state, stamp)
    with t_db:
        try:
            stored_tab(state)
        except DatabaseError as exc:  # the other tabs work without the database
            errors.show(exc)
    with t_new:
        new_tab(state, stamp)
    with t_imp:
        import_tab(state)


def builtin_tab(state: EditorState, stamp: str) -> None:
    key = st.selectbox(
        "Ingebouwde indeling", list(REFERENCES), format_func=lambda k: REFERENCES[k].title, key="ind_ref"
    )
    st.caption(REFERENCES[key].description)
    if st.button("Openen", key="ind_open_ref"):
        with st.spinner("Indeling opbouwen…"):
            division = reference(key, stamp)
        open_and_rerun(state, division, f"'{REFERENCES[key].title}' geopend.")


def stored_table(stored: pd.DataFrame) -> pd.DataFrame:
    """The stored divisions with Dutch column titles."""
    return pd.DataFrame(
        {
            "Naam": stored["name"],
            "Niveau": stored["level"].map(level_label),
            "Gebieden": stored["n_areas"],
            "Auteur": stored["author"],
            "Bijgewerkt": stored["updated"].map(nl.local_time),
            "Versie": stored["version"],
            "Status": stored["status"].map(division_store.STATUS_LABELS),
        }
    )


def stored_tab(state: EditorState) -> None:
    stored = division_store.list_divisions(actor=auth.actor())
    if stored.empty:
        st.info("Er zijn nog geen opgeslagen indelingen. Open of maak er een en kies 'Opslaan'.", icon="ℹ️")
        return
    st.dataframe(stored_table(stored), hide_index=True, width="stretch")
    choice = st.selectbox("Indeling", stored["name"].tolist(), key="ind_db_choice")
    row = stored.set_index("name").loc[choice]
    db_id, version = int(row["id"]), int(row["version"])
    c1, c2, c3, c4 = st.columns(4)
    if c1.button("Openen", key="ind_db_open"):
        open_and_rerun(
            state,
            division_store.open_division(db_id, actor=auth.actor()),
            f"'{choice}' geopend (versie {version}).",
        )
    if not auth.can("bewerken"):  # a lezer opens and exports, nothing more (the store refuses anyway)
        return
    new_name = st.text_input("Nieuwe naam (voor hernoemen of dupliceren)", key="ind_db_newname")
    actions = {
        "rename": lambda: division_store.rename(
            db_id, new_name, expected_version=version, actor=auth.actor()
        ),
        "duplicate": lambda: division_store.duplicate(db_id, new_name, actor=auth.actor()),
        "delete": lambda: division_store.delete(db_id, expected_version=version, actor=auth.actor()),
    }
    done = None
    if c2.button("Hernoemen", key="ind_db_rename", disabled=not new_name):
        done = ("rename", f"'{choice}' hernoemd tot '{new_name}'.")
    if c3.button("Dupliceren", key="ind_db_dup", disabled=not new_name):
        done = ("duplicate", f"Kopie '{new_name}' opgeslagen.")
    confirm = c4.checkbox("Ik wil verwijderen", key="ind_db_confirm")
    if c4.button("Verwijderen", key="ind_db_delete", disabled=not confirm):
        done = ("delete", f"'{choice}' verwijderd.")
    if done is not None:
        action, message = done
        try:
            actions[action]()
        except UserFacingError as exc:
            st.error(md(str(exc)))
        else:
            state.notify(message)
            st.rerun()


def _default_level() -> int:
    """Position of the workspace's default level among `EDIT_LEVELS`."""
    level = workspace_defaults.current().editor_niveau
    return EDIT_LEVELS.index(level) if level in EDIT_LEVELS else 0


def new_tab(state: EditorState, stamp: str) -> None:
    with st.form("ind_new_form"):
        name = st.text_input("Naam", value="Nieuwe indeling")
        level = st.selectbox(
            "Niveau van de eenheden", EDIT_LEVELS, index=_default_level(), format_func=level_label
        )
        municipalities = st.text_input(
            "Enkel binnen deze gemeenten (NIS-codes, gescheiden door komma's; leeg = alle eenheden)",
            help="Bijvoorbeeld 11002, 11040, 11044, 11052 voor Groot Antwerpen (op niveau wijk).",
        )
        k = number_field(
            "Aantal gebieden", 4, key="ind_new_k", integer=True, minimum=1, maximum=100, in_form=True
        )
        start = st.radio("Beginnen met", ["lege gebieden", "een automatisch voorstel"], horizontal=True)
        author = st.text_input("Auteur", value="")
        submitted = st.form_submit_button("Maken")
    if not submitted or refused("ind_new_k"):
        return
    data = unit_data(level, stamp)
    codes = list(data.codes)
    wanted = [c for c in municipalities.split(",") if c.strip()]
    if wanted:
        codes = units.codes_within(level, wanted)
        if not codes:
            st.error("Geen eenheden gevonden binnen die gemeenten op dit niveau.")
            return

    def make() -> Division:
        if start == "lege gebieden":
            areas = [f"Gebied {i + 1}" for i in range(k)]
            return Division.empty(name, level, codes, areas, author=author)
        with st.spinner("Voorstel berekenen…"):
            proposal = suggest(data, k, "pop_0_24", tolerance=0.05, seed=0, within=codes, name=name)
        return proposal.division.with_meta(author=author)

    division = attempt(make)
    if division is not None:
        open_and_rerun(state, division, f"Nieuwe indeling '{name}' gemaakt (nog niet opgeslagen).")


def import_tab(state: EditorState) -> None:
    st.caption(
        "Een CSV-, Excel- of GeoJSON-bestand met de kolommen `unit_code` (code van de eenheid) en `area` "
        "(naam van het gebied), of een export van deze toepassing (`Code eenheid`, `Gebied`). Codes worden "
        "als tekst gelezen; fouten worden per rij gemeld en dan wordt er niets ingelezen of opgeslagen. "
        "Bestanden met persoonsgegevens worden geweigerd."
    )
    upload = st.file_uploader("Bestand", type=["csv", "xlsx", "geojson", "json"], key="ind_upload")
    level = st.selectbox(
        "Niveau", EDIT_LEVELS, index=_default_level(), format_func=level_label, key="ind_imp_level"
    )
    scope = st.radio(
        "Welke eenheden horen bij de indeling?",
        ["niveau", "bestand"],
        format_func={"niveau": "alle eenheden van het niveau", "bestand": "enkel die in het bestand"}.get,
        horizontal=True,
        key="ind_imp_scope",
    )
    if upload is None:
        return
    name = st.text_input("Naam", value=upload.name.rsplit(".", 1)[0], key="ind_imp_name")
    result = imported_division(upload.getvalue(), upload.name, level, name, scope=scope)
    if not import_report(result):
        return
    d = result.division
    assigned = nl.number(len(d.units) - len(d.unassigned()))
    st.success(f"In orde: {nl.number(len(d.areas))} gebieden, {assigned} eenheden toegewezen.")
    plan = result.preview
    if plan is not None:
        st.caption(md(f"Gelezen: {plan.source}. {plan.effect}"))
        if st.toggle("Voorbeeld van wat ingelezen wordt tonen", key="ind_imp_preview"):
            st.dataframe(plan.columns_frame(), hide_index=True, width="stretch", key="ind_imp_cols")
            st.dataframe(plan.sample, hide_index=True, width="stretch", key="ind_imp_rows")
    c1, c2 = st.columns(2)
    if c1.button("Openen in de editor", key="ind_imp_open"):
        open_and_rerun(state, d, f"'{name}' ingelezen (nog niet opgeslagen).")
    if auth.can("importeren") and c2.button("Opslaan en openen", key="ind_imp_save"):
        saved = attempt(lambda: division_store.save_new(d, actor=auth.actor()))
        if saved is not None:
            open_and_rerun(state, saved, f"'{name}' ingelezen en opgeslagen.")


def import_report(result: division_io.ImportResult, warnings: int = 20) -> bool:
    """Show the warnings and, when the file is refused, its errors per row; True when it can be used."""
    for w in result.warnings[:warnings]:
        st.warning(md(w), icon="⚠️")
    if not result.ok:
        if result.errors and result.errors[0].startswith("Bestand geweigerd"):
            st.error(md(result.errors[0]), icon="🔒")
            return False
        st.error(f"{len(result.errors)} fout(en): er is niets ingelezen of opgeslagen.", icon="🚫")
        st.dataframe(pd.DataFrame({"Melding": result.errors}), hide_index=True, width="stretch")
    return result.ok
