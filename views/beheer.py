"""Beheer: the members of the workspace (team server) and the audit trail, for beheerders."""

from __future__ import annotations

import streamlit as st

from geo.errors import UserFacingError
from geo.store import access, audit, workspaces
from geo_app import auth
from geo_app.text import md
from geo_app.widgets import attempt, download_pair

actor = auth.actor()
team = auth.is_team()
st.title("Beheer")

if not auth.can("audit"):
    st.warning("Deze pagina is voor beheerders van de werkruimte.")
    st.stop()

names = workspaces.workspace_names()
st.caption(md(f"Werkruimte: {names.get(actor.workspace, actor.workspace)}"))

if team:
    st.subheader("Leden")
    if message := st.session_state.pop("beheer_bericht", None):
        st.success(md(message))  # an e-mail address typed by the beheerder
    members = attempt(lambda: workspaces.list_members(actor))
    if members is not None:
        if members.empty:
            st.info("Deze werkruimte heeft nog geen leden.")
        else:
            shown = members.assign(added=members["added"].map(lambda t: t.strftime("%d/%m/%Y")))
            st.dataframe(
                shown.rename(
                    columns={
                        "email": "e-mailadres",
                        "role": "rol",
                        "added": "sinds",
                        "added_by": "toegevoegd door",
                    }
                ),
                hide_index=True,
                width="stretch",
            )
    left, right = st.columns(2)
    with left.form("lid_toevoegen", clear_on_submit=True):
        st.markdown("**Lid toevoegen of rol wijzigen**")
        email = st.text_input("E-mailadres (zoals bij de aanmelding)")
        role = st.selectbox(
            "Rol", access.ROLES, index=0, format_func=lambda r: f"{r}: {access.ROLE_DESCRIPTIONS[r]}"
        )
        if st.form_submit_button("Bewaren", type="primary"):
            result = attempt(lambda: workspaces.set_member(actor, email, role))
            if result:
                st.session_state["beheer_bericht"] = f"{email.strip().lower()}: {result} ({role})."
                st.rerun()
    with right.form("lid_verwijderen"):
        st.markdown("**Lid verwijderen**")
        options = members["email"].tolist() if members is not None else []
        who = st.selectbox("Lid", options, index=None, placeholder="kies een lid")
        if st.form_submit_button("Verwijderen", disabled=not options) and who:
            try:
                workspaces.remove_member(actor, who)
            except UserFacingError as exc:
                st.error(str(exc))
            else:
                st.session_state["beheer_bericht"] = f"{who}: verwijderd."
                st.rerun()

st.subheader("Auditlogboek")
st.caption(
    "Elke wijziging (opslaan, importeren, verwijderen, status, leden): wie, wanneer, welke werkruimte. "
    "Het logboek kan alleen aangevuld worden; tijden in Belgische tijd."
)
everything = False
if team and audit.can_read_all(actor):
    everything = st.toggle("Alle werkruimten", value=False)
trail = attempt(lambda: audit.read(actor, all_workspaces=everything, limit=5000))
if trail is not None:
    if trail.empty:
        st.info("Nog geen wijzigingen in deze werkruimte.")
    else:
        actions = sorted(trail["what"].unique())
        chosen = st.multiselect("Handelingen", actions, placeholder="alle handelingen")
        view = trail[trail["what"].isin(chosen)] if chosen else trail
        table = audit.export_table(view)
        st.dataframe(table, hide_index=True, width="stretch")
        st.caption(f"{len(view)} regels (nieuwste eerst, hoogstens 5.000).")
        download_pair(table, "auditlogboek", key="audit")
