"""The editor's versions panel: status, history, restore and comments of a stored division
(`geo.divisions.store`).

- `status_notice(state)`: one line under the title for a voorstel or vastgesteld division: it stays as it
  is, and what is saved now becomes a new concept.
- `versions_panel(state, data)`: the status with the allowed next steps (indienen, vaststellen, terug naar
  concept), the version list (who, when, what), one version's details (units moved, comments), restoring
  it, downloading it, and comments on the current version or one of its areas; it runs (and reads the
  store) only while it is open.

Who acts is the signed-in user (`geo_app.auth.actor`), never a name typed in. Status changes and restores
need the division saved first (they apply to the stored version) and reopen it afterwards.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo import fmt as nl
from geo.divisions import io as division_io
from geo.divisions import store as division_store
from geo.divisions.metrics import UnitData
from geo.divisions.store import CONCEPT, VASTGESTELD, VOORSTEL
from geo.errors import UserFacingError
from geo_app import auth
from geo_app.editor_state import EditorState
from geo_app.text import md
from geo_app.widgets import download_pair

WHOLE = "— de hele versie —"
PANEL_KEY = "ind_versions_open"  # session: whether the versions panel is open
READ_ONLY = "Uw rol in deze werkruimte is lezer: u kunt bekijken en exporteren, niet wijzigen."
STEPS = {  # (from, to): button label
    (CONCEPT, VOORSTEL): "Indienen als voorstel",
    (VOORSTEL, VASTGESTELD): "Vaststellen",
    (VOORSTEL, CONCEPT): "Terug naar concept",
    (VASTGESTELD, CONCEPT): "Nieuw concept maken",
}


def current_status(state: EditorState) -> division_store.StatusInfo | None:
    """Status of the stored division being edited (None when it is not stored)."""
    division = state.current
    if division.meta.db_id is None:
        return None
    try:
        return division_store.status_of(division.meta.db_id, actor=auth.actor())
    except UserFacingError:  # deleted meanwhile
        return None


def status_notice(state: EditorState) -> None:
    info = current_status(state)
    if info is None or info.status == CONCEPT:
        return
    if info.status == VASTGESTELD:
        text = (
            f"Versie {info.version} is **vastgesteld** en blijft zoals ze is (alleen-lezen). Wat u nu "
            f"wijzigt en opslaat, wordt een nieuw concept (versie {info.version + 1})."
        )
    else:
        text = (
            f"Versie {info.version} is ingediend als **voorstel**. Wat u nu wijzigt en opslaat, wordt een "
            "nieuw concept; het voorstel blijft in de geschiedenis."
        )
    st.info(text, icon="🔒" if info.status == VASTGESTELD else "📨")


def save_label(state: EditorState) -> str:
    """The save button's label: a new concept when the stored version is a voorstel or vastgesteld."""
    info = current_status(state)
    return "Opslaan als nieuw concept" if info is not None and info.status != CONCEPT else "Opslaan"


def versions_panel(state: EditorState, data: UnitData) -> None:
    """The panel in an expander that runs, and reads the store, only while it is open (its open state is
    kept under `PANEL_KEY`, so it stays open after a status change or a restore)."""
    division = state.current
    panel = st.expander("Versies, status en opmerkingen", key=PANEL_KEY, on_change="rerun")
    if not panel.open:
        return
    info = current_status(state)
    if info is None:
        panel.caption(
            "Sla de indeling op: daarna houdt elke opslag een versie bij, met status en opmerkingen."
        )
        return
    with panel:
        stale = state.opened_version != info.version
        if stale:
            st.warning(
                f"Iemand anders bewaarde intussen versie {info.version}; u werkt op versie "
                f"{state.opened_version}. Open de indeling opnieuw om verder te gaan.",
                icon="⚠️",
            )
        _status_buttons(state, info, blocked=stale)
        history = division_store.history(division.meta.db_id, actor=auth.actor())
        st.dataframe(_history_table(history), hide_index=True, width="stretch", key="ind_versions_table")
        _version_details(state, data, history, info, blocked=stale)
        _comments(state, info)


def _status_buttons(state: EditorState, info: division_store.StatusInfo, blocked: bool) -> None:
    decided = f" Vastgestelde versies: {', '.join(map(str, info.vastgesteld))}." if info.vastgesteld else ""
    st.markdown(f"Status: **{info.label}** (versie {info.version}).{decided}")
    steps = [(to, label) for (frm, to), label in STEPS.items() if frm == info.status]
    if state.dirty:
        st.caption("Sla eerst uw wijzigingen op: een status geldt voor een opgeslagen versie.")
    columns = st.columns(max(len(steps), 1) + 2)
    for col, (to, label) in zip(columns, steps, strict=False):
        allowed = auth.can("vaststellen" if to == VASTGESTELD else "bewerken")
        why = "Alleen een beheerder kan een indeling vaststellen." if to == VASTGESTELD else READ_ONLY
        if col.button(
            label,
            key=f"ind_status_{to}",
            disabled=blocked or state.dirty or not allowed,
            help=None if allowed else why,
        ):
            _act(
                state,
                lambda to=to: division_store.set_status(
                    state.current.meta.db_id, to, actor=auth.actor(), expected_version=info.version
                ),
                f"Status: {division_store.STATUS_LABELS[to].lower()}.",
            )


def _act(state: EditorState, action, message: str) -> None:
    """Run a store write, reopen the stored division (its new version) and rerun; or show why not."""
    try:
        action()
        reopened = division_store.open_division(state.current.meta.db_id, actor=auth.actor())
    except UserFacingError as exc:
        st.error(md(str(exc)), icon="🚫")
        return
    state.open(reopened, f"{message} '{reopened.name}' is nu versie {reopened.meta.version}.")
    st.rerun()


def _history_table(history: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Versie": history["versie"],
            "Tijd": history["tijd"].map(nl.local_time),
            "Wie": history["wie"].replace("", "onbekend"),
            "Wat": history["actie"],
            "Status": history["status"].map(division_store.STATUS_LABELS),
            "Wijzigingen": history["samenvatting"],
            "Opmerkingen": history["opmerkingen"],
        }
    )


def _version_details(
    state: EditorState, data: UnitData, history: pd.DataFrame, info: division_store.StatusInfo, blocked: bool
) -> None:
    key = state.current.meta.db_id
    versions = history["versie"].tolist()
    chosen = st.selectbox(
        "Versie bekijken",
        versions,
        format_func=lambda v: f"Versie {v}" + (" (huidig)" if v == info.version else ""),
        key=f"ind_version_pick_{key}",
    )
    detail = division_store.version_info(key, chosen, actor=auth.actor())
    st.markdown(
        f"**Versie {detail.version}** · {md(detail.action.lower())} door {md(detail.who or 'onbekend')} op "
        f"{nl.local_time(detail.created)} · {division_store.STATUS_LABELS[detail.status].lower()}"
    )
    st.caption(md(detail.summary))  # names areas
    moved = detail.changes.moved_frame()
    if len(moved):
        names = dict(zip(data.codes, data.names or data.codes, strict=True))
        table = pd.DataFrame(
            {
                "Eenheid": moved["eenheid"],
                "Naam": moved["eenheid"].map(names),
                "Van": moved["van"].fillna("–"),
                "Naar": moved["naar"].fillna("–"),
            }
        )
        st.dataframe(table, hide_index=True, width="stretch", height=min(300, 40 + 35 * len(table)))
    version = division_store.open_version(key, chosen, actor=auth.actor())
    c1, c2 = st.columns(2)
    c1.download_button(
        f"Versie {chosen} als CSV",
        division_io.to_csv_bytes(version),
        f"indeling_versie_{chosen}.csv",
        "text/csv",
        key=f"ind_dl_version_{chosen}",
    )
    if chosen != info.version:
        confirm = not state.dirty or c2.checkbox(
            "Mijn niet-opgeslagen wijzigingen mogen vervallen", key=f"ind_restore_ok_{chosen}"
        )
        if c2.button(
            f"Versie {chosen} herstellen",
            key=f"ind_restore_{chosen}",
            disabled=blocked or not confirm or not auth.can("bewerken"),
            help=None if auth.can("bewerken") else READ_ONLY,
        ):
            _act(
                state,
                lambda: division_store.restore(
                    key, chosen, actor=auth.actor(), expected_version=info.version
                ),
                f"Versie {chosen} hersteld als nieuw concept.",
            )


def _comments(state: EditorState, info: division_store.StatusInfo) -> None:
    key = state.current.meta.db_id
    st.markdown("**Opmerkingen**")
    notes = division_store.comments(key, actor=auth.actor())
    if notes.empty:
        st.caption("Nog geen opmerkingen.")
    else:
        table = pd.DataFrame(
            {
                "Versie": notes["versie"],
                "Gebied": notes["gebied"].fillna("hele versie"),
                "Wie": notes["wie"].replace("", "onbekend"),
                "Tijd": notes["tijd"].map(nl.local_time),
                "Opmerking": notes["tekst"],
            }
        )
        st.dataframe(table, hide_index=True, width="stretch", key="ind_comments_table")
        download_pair(table, "opmerkingen", "ind_dl_comments", name_parts=(state.current.name,))
    if not auth.can("bewerken"):
        st.caption(READ_ONLY)
        return
    with st.form(f"ind_comment_form_{key}", clear_on_submit=True):
        area = st.selectbox("Over", [WHOLE, *state.saved.areas])
        text = st.text_area(
            "Opmerking bij de huidige versie", max_chars=division_store.MAX_COMMENT, height=80
        )
        go = st.form_submit_button("Opmerking bewaren")
    if go:
        try:
            division_store.add_comment(
                key, text, actor=auth.actor(), version=info.version, area=None if area == WHOLE else area
            )
        except UserFacingError as exc:
            st.error(md(str(exc)), icon="🚫")
            return
        state.notify("Opmerking bewaard.")
        st.rerun()
