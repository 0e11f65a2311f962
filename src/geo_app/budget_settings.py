"""Named budget settings on the Budget page: open one, save the current choices as…, the workspace default.

    box = budget_settings.start()         # before the sidebar: opens a chosen or the default setting
    choice = choose(stamp)
    budget_settings.panel(box, choice)    # open / save as / make default / delete, and whether it matches

A setting is opened by writing its values into the sidebar's widgets *before* they are drawn (a button's
callback, or `start` on the first visit of a workspace), so the page then computes exactly as usual.
Storage, roles and audit: `geo.settings.store`; the payload and its checks: `geo.settings.formula`.
"""

from __future__ import annotations

from dataclasses import fields

import sqlalchemy as sa
import streamlit as st

from geo.budget import resources
from geo.data import units
from geo.errors import UserFacingError
from geo.settings import formula
from geo.settings import store as settings_store
from geo_app import auth
from geo_app.budget import Choice, stored_divisions
from geo_app.counts import CountsChoice, set_counts
from geo_app.numbers import set_number
from geo_app.text import md

OPENED = "budget_instelling_open"  # (workspace, name, FormulaSetting) of the setting last opened
_DEFAULT_DONE = "budget_instelling_standaard_{}"
_MESSAGE = "budget_instelling_bericht"
_FIELD_LABELS = {
    "indeling": "indeling",
    "indeling_versie": "versie van de indeling",
    "jaar": "bevolkingsjaar",
    "jaar_2021": "bevolkingsjaar voor 2021",
    "indicator": "kansarmoede-indicator",
}


# ------------------------------------------------------------------------------------------- to the widgets
def _division_key(setting: formula.FormulaSetting, workspace: str) -> str:
    """The sidebar's key for the setting's division (a stored one: its current version)."""
    stored = setting.stored_division
    if stored is None:
        return setting.indeling
    prefix = f"db:{stored}:"
    for key in stored_divisions(workspace):
        if key.startswith(prefix):
            return key
    raise UserFacingError(
        "De indeling van deze instelling bestaat niet meer in deze werkruimte (of is niet per gemeente, "
        "wijk of postcode)."
    )


def write_widgets(setting: formula.FormulaSetting, workspace: str) -> None:
    """Put the setting's choices into the sidebar widgets (call before they are drawn)."""
    key = _division_key(setting, workspace)
    res = resources.resource(setting.middel)
    set_counts(
        CountsChoice(
            setting.jaar or units.DEFAULT_YEAR,
            setting.indicator or units.DEFAULT_INDICATOR,
            setting.jaar_2021 or units.REFERENCE_YEAR_2021,
        )
    )
    state = st.session_state
    state["budget_indeling"], state["budget_middel"] = key, res.key
    state[f"budget_bevolking_{key}"] = setting.bevolking
    state["budget_vorm"], state["budget_ontbrekend"] = setting.correctie, setting.ontbrekend
    if setting.correctie != "geen":
        set_number(f"budget_gewicht_{setting.correctie}", setting.weight, decimals=3)
    set_number("budget_coord", setting.coordinatie, kind="percent")
    if res.key == "euro":
        if setting.totaal is not None:
            set_number(f"budget_totaal_{key}", setting.totaal, kind="euro")
        set_number("budget_minimum_euro", setting.minimum or 0, kind="euro")
        set_number("budget_maximum_euro", setting.maximum or 0, kind="euro")
        state["budget_brussel"] = setting.brussel in (None, "vast")
        if setting.brussel_bedrag is not None:
            set_number("budget_brussel_eur", setting.brussel_bedrag, kind="euro")
    else:
        step = setting.stap or res.default_step
        decimals = max(res.decimals(), 2 if res.key == "vte" else 0)
        set_number(f"budget_stap_{res.key}", step, decimals=decimals)
        if setting.totaal is not None:
            set_number(f"budget_totaal_{key}_{res.key}", setting.totaal, decimals=decimals)
        bound = max(res.decimals(step), 1 if res.key == "vte" else 0)
        set_number(f"budget_minimum_{res.key}", setting.minimum or 0, decimals=bound)
        set_number(f"budget_maximum_{res.key}", setting.maximum or 0, decimals=bound)
        state["budget_brussel_aandeel"] = setting.brussel in (None, "aandeel")


def _open(name: str, workspace: str) -> None:
    """Button callback: read the setting (role lezer) and write it into the widgets."""
    try:
        setting = settings_store.open_formula(auth.actor(), name)
        write_widgets(setting, workspace)
    except UserFacingError as exc:
        st.session_state[_MESSAGE] = ("error", f"Instelling '{name}' niet geopend: {exc}")
        return
    st.session_state[OPENED] = (workspace, name, setting)
    st.session_state[_MESSAGE] = ("success", f"Instelling '{name}' geopend.")


def start() -> object:
    """Before the sidebar: on the first visit of this workspace open its default setting; returns the
    sidebar box in which `panel` draws."""
    workspace = auth.actor().workspace
    done = _DEFAULT_DONE.format(workspace)
    if not st.session_state.get(done):
        st.session_state[done] = True
        try:
            name = settings_store.default_formula(auth.actor())
        except (UserFacingError, sa.exc.SQLAlchemyError):  # no access or no database: page as usual
            name = None
        if name:
            _open(name, workspace)
    expanded = bool(st.session_state.get(_MESSAGE))
    return st.sidebar.expander("Instellingen van de werkruimte", expanded=expanded)


# ------------------------------------------------------------------------------------------- from the page
def current(choice: Choice) -> formula.FormulaSetting:
    """The page's choices as a setting (explicit years, so a later data year does not change it)."""
    key, version = choice.key, None
    if key.startswith("db:"):
        _db, division_id, version_text, *_ = key.split(":")
        key, version = f"{formula.STORED_PREFIX}{division_id}", int(version_text)
    counts = choice.counts
    return formula.from_params(
        choice.params,
        choice.setting,
        key,
        indeling_versie=version,
        jaar=counts.year,
        indicator=counts.indicator,
        jaar_2021=counts.reference_year,
    )


def _differences(a: formula.FormulaSetting, b: formula.FormulaSetting) -> list[str]:
    return [_FIELD_LABELS.get(f.name, f.name) for f in fields(a) if getattr(a, f.name) != getattr(b, f.name)]


def panel(box, choice: Choice) -> None:
    """Open, save as, make default and delete, for what the role allows; says whether the page still
    shows the opened setting."""
    actor = auth.actor()
    try:
        now = current(choice)
    except UserFacingError as exc:
        now = None
        box.caption(md(f"Deze keuzes kunnen niet bewaard worden: {exc}"))
    with box:
        if message := st.session_state.pop(_MESSAGE, None):
            kind, text = message
            (st.success if kind == "success" else st.error)(md(text))  # setting names typed by users
        opened = st.session_state.get(OPENED)
        if opened and opened[0] == actor.workspace and now is not None:
            diff = _differences(opened[2], now)
            if diff:
                st.caption(md(f"Gewijzigd sinds '{opened[1]}' geopend werd: {', '.join(diff)}."))
            else:
                st.caption(md(f"De pagina toont instelling '{opened[1]}'."))
        try:
            table = settings_store.list_formulas(actor)
        except UserFacingError as exc:
            st.error(md(str(exc)))
            return
        names = table["naam"].tolist()
        if names:
            default = next((n for n, d in zip(names, table["standaard"], strict=True) if d), None)
            label = {n: n + (" (standaard)" if n == default else "") for n in names}
            chosen = st.selectbox("Instelling openen", names, format_func=label.get, key="budget_inst_keuze")
            row = table.set_index("naam").loc[chosen]
            st.caption(md(f"{row['samenvatting']} — bewaard door {row['door']}"))
            st.button(
                "Openen",
                key="budget_inst_open",
                on_click=_open,
                args=(chosen, actor.workspace),
                disabled=not bool(row["bruikbaar"]),
            )
        else:
            st.caption("Deze werkruimte heeft nog geen bewaarde budgetinstellingen.")
        if not auth.can("bewerken"):
            st.caption("Bewaren kan vanaf de rol planner.")
            return
        if now is not None:
            _save_form(actor, now, names)
        if names:
            _manage(actor, chosen, default)


def _save_form(actor, now: formula.FormulaSetting, names: list[str]) -> None:
    with st.form("budget_inst_opslaan", clear_on_submit=False, border=False):
        name = st.text_input(
            "Instelling opslaan als…", key="budget_inst_naam", max_chars=settings_store.MAX_NAME
        )
        overwrite = st.checkbox("Bestaande instelling met die naam overschrijven", key="budget_inst_over")
        submitted = st.form_submit_button("Opslaan")
    if not submitted:
        return
    try:
        stored = settings_store.save_formula(actor, name, now, overwrite=overwrite)
    except UserFacingError as exc:
        st.error(md(str(exc)))
        return
    st.session_state[OPENED] = (actor.workspace, stored, now)
    st.session_state[_MESSAGE] = ("success", f"Instelling '{stored}' bewaard in deze werkruimte.")
    st.rerun()


def _manage(actor, chosen: str, default: str | None) -> None:
    c1, c2 = st.columns(2)
    try:
        if chosen != default and c1.button("Standaard maken", key="budget_inst_standaard"):
            settings_store.set_default_formula(actor, chosen)
            text = f"'{chosen}' opent voortaan standaard in deze werkruimte."
            st.session_state[_MESSAGE] = ("success", text)
            st.rerun()
        if chosen == default and c1.button("Geen standaard", key="budget_inst_geen_standaard"):
            settings_store.set_default_formula(actor, None)
            st.session_state[_MESSAGE] = ("success", "De werkruimte heeft geen standaardinstelling meer.")
            st.rerun()
        sure = c2.checkbox("Ik wil verwijderen", key="budget_inst_zeker")
        if c2.button("Verwijderen", key="budget_inst_verwijder", disabled=not sure):
            settings_store.delete_formula(actor, chosen)
            st.session_state[_MESSAGE] = ("success", f"Instelling '{chosen}' verwijderd.")
            st.rerun()
    except UserFacingError as exc:
        st.error(md(str(exc)))
