"""The partners page's Streamlit pieces: the coverage sidebar, cached partner computations, and the
register tab (file upload, OSM example, table editor).

`coverage_choice(stamp)` draws the sidebar and returns a `CoverageChoice`; `register_tab(...)` draws what
changes the register. Each write goes through `geo.partners.store` as one transaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from geo import fmt as nl
from geo.data import units
from geo.errors import UserFacingError
from geo.partners import coverage as cov
from geo.partners import io as pio
from geo.partners import register as pt
from geo.partners import store
from geo.partners.location import STATUS_COVERED, STATUS_EXTRA, STATUS_NOT
from geo.settings import defaults as settings_defaults
from geo_app import auth, workspace_defaults
from geo_app.loaders import unit_table
from geo_app.numbers import number_field
from geo_app.text import md
from geo_app.widgets import download_pair

LEVEL_LABELS = {"wijk": "wijken (2.767, aantallen geschat)", "gemeente": "gemeenten (304)"}
COVER_COLORS = {STATUS_COVERED: "#2c7fb8", STATUS_NOT: "#d95f0e", STATUS_EXTRA: "#1a9850"}
WEIGHTINGS = {
    "alle": "alle -25-jarigen",
    "gewogen": "kansarme jongeren wegen zwaarder",
    "kansarm": "enkel kansarme -25-jarigen",
}
WEIGHT_LABELS = {"alle": "-25-jarigen", "gewogen": "gewogen -25-jarigen", "kansarm": "kansarme -25-jarigen"}
FUNDED = {
    "alle": ("alle", None),
    "plus": ("enkel pluspartners", False),
    "gefinancierd": ("enkel gefinancierde", True),
}
EDITABLE = ["partner_id", "naam", "type", "gefinancierd", "lat", "lon", "betrokkenheid", "bron"]


@dataclass(frozen=True)
class CoverageChoice:
    """What the sidebar chose: unit level, division, distance, which young people and partners count."""

    level: str
    area_key: str
    area_title: str
    distance: float
    weighting: str
    dep_weight: float
    funded: bool | None

    @property
    def only_deprived(self) -> bool:
        return self.weighting == "kansarm"

    @property
    def weight_label(self) -> str:
        return WEIGHT_LABELS[self.weighting]

    @property
    def level_note(self) -> str:
        if self.level == "wijk":
            return (
                "Jongeren per wijk zijn schattingen (bevolking per statistische sector x de leeftijden "
                "van de gemeente); elke wijk telt als één punt (haar centrum)."
            )
        return "Elke gemeente telt als één punt (haar centrum): grove benadering voor grote gemeenten."


def pct(share: float) -> str:
    """A share 0-1 as an nl-BE percentage ("–" when unknown)."""
    return nl.percent(share * 100) if pd.notna(share) else "–"


# ------------------------------------------------------------------------------------------- cached
@st.cache_resource(show_spinner="Gemeenten en postcodes laden…")
def place_index(stamp: str) -> pio.PlaceIndex:
    return pio.PlaceIndex.from_units()


@st.cache_data(show_spinner="Partners in de eenheden plaatsen…")
def partner_unit_codes(xy: np.ndarray, level: str, stamp: str) -> np.ndarray:
    return cov.partner_units(xy, units.load_layer(level))


@st.cache_data(show_spinner="Bestand controleren…")
def check_upload(data: bytes, name: str, fix_swapped: bool, existing: pd.DataFrame | None, stamp: str):
    raw = pio.read_table(data, name)
    return pio.validate_partners(raw, place_index(stamp), existing=existing, fix_swapped=fix_swapped)


@st.cache_data(show_spinner="OSM-voorbeeld laden…")
def osm_example() -> pd.DataFrame:
    return pio.load_osm_example()


# ------------------------------------------------------------------------------------------- sidebar
def coverage_choice(stamp: str) -> CoverageChoice:
    """The sidebar: unit level, division, distance, weighting of young people, which partners."""
    with st.sidebar:
        st.header("Dekking")
        level = st.radio(
            "Jongeren tellen per", list(LEVEL_LABELS), format_func=LEVEL_LABELS.get, key="partners_level"
        )
        choices = cov.area_choices(level, unit_table(level, stamp), actor=auth.actor())
        area_key = st.selectbox(
            "Gebiedsindeling", list(choices), format_func=choices.get, key=f"partners_areas_{level}"
        )
        lo, hi = settings_defaults.DISTANCE_RANGE
        distance = number_field(
            "Afstand (meter)",
            int(workspace_defaults.current().partner_afstand_m),
            key="partners_distance",
            integer=True,
            minimum=lo,
            maximum=hi,
            help="Tussen 100 en 20.000 m.",
        )
        workspace_defaults.save_button(
            "Afstand als standaard van de werkruimte", "partners_afstand", partner_afstand_m=distance
        )
        weighting = st.radio(
            "Welke jongeren tellen", list(WEIGHTINGS), format_func=WEIGHTINGS.get, key="partners_weighting"
        )
        dep_weight = 0.0
        if weighting == "gewogen":
            dep_weight = number_field(
                "Extra gewicht per kansarme jongere", 1.0, key="partners_dep_weight", minimum=0, maximum=20
            )
        funded = st.radio("Partners", list(FUNDED), format_func=lambda k: FUNDED[k][0], key="partners_funded")
    return CoverageChoice(
        level, area_key, choices[area_key], float(distance), weighting, float(dep_weight), FUNDED[funded][1]
    )


# ------------------------------------------------------------------------------------------- register
def register_tab(register: pd.DataFrame, engine, stamp: str, has_osm: bool) -> None:
    """Figures of the register, loading a file, the OSM example, editing and the involvement table."""
    c1, c2, c3 = st.columns(3)
    c1.metric("Partners in het register", nl.number(len(register)))
    c2.metric("waarvan pluspartners", nl.number(int((~register["gefinancierd"]).sum())))
    c3.metric("met benaderde locatie", nl.number(int(register["benaderd"].sum())))
    if register.empty:
        st.info(
            "Het register is nog leeg. Laad hieronder een bestand met partners, of laad het OSM-voorbeeld om "
            "de pagina te verkennen.",
            icon="ℹ️",
        )
    if has_osm:
        st.warning(
            f"Het register bevat voorbeeldpunten ({pt.OSM_EXAMPLE_LABEL}): scholen, huisartsen, sociale "
            "voorzieningen en buurthuizen uit OpenStreetMap van 2015. Onvolledig en verouderd, enkel om te "
            "verkennen.",
            icon="⚠️",
        )
    upload_section(register, engine, stamp)
    osm_section(register, engine, has_osm)
    if not register.empty:
        editor_section(register, engine)
        download_pair(pio.export_frame(register), "partnerregister", "partners_export")
        inv = pt.involvement_matrix(register)
        if len(inv):
            st.subheader("Betrokkenheid per gebied")
            st.caption("Aantal partners per gebied en niveau (geen, ad hoc, structureel, stuurgroep).")
            st.dataframe(inv, width="stretch")


def preview_panel(plan) -> None:
    """What would be stored, before the save button: how the file was read, its columns, the first rows."""
    st.caption(md(f"Gelezen: {plan.source}. {plan.effect}"))
    if st.toggle("Voorbeeld van wat opgeslagen wordt tonen", key="partners_preview"):
        if plan.columns:
            st.dataframe(plan.columns_frame(), hide_index=True, width="stretch", key="partners_preview_cols")
        if len(plan.sample):
            st.dataframe(plan.sample, hide_index=True, width="stretch", key="partners_preview_rows")


def upload_section(register: pd.DataFrame, engine, stamp: str) -> None:
    st.subheader("Partners laden uit een bestand")
    st.markdown(
        "CSV of Excel met minstens **naam** en **type**, en een locatie: **lat + lon**, **x + y** "
        "(Lambert 72) of **gemeente** (eventueel met postcode; dan komt de partner benaderd in het "
        "centrum). Optioneel: **gefinancierd** (ja/nee) en **betrokkenheid** "
        "(`Gebied A: structureel; Gebied B: ad hoc`). "
        f"Types: {', '.join(pt.PARTNER_TYPES)}."
    )
    st.download_button("Voorbeeldbestand (CSV)", pio.template_csv(), "partners_sjabloon.csv", "text/csv")
    upload = st.file_uploader("Partnerbestand", type=["csv", "xlsx"], key="partners_upload")
    mode = st.radio(
        "Wat met het bestaande register?",
        ["aanvullen", "vervangen"] if auth.can("register_vervangen") else ["aanvullen"],
        horizontal=True,
        key="partners_mode",
        format_func={"aanvullen": "aanvullen", "vervangen": "vervangen door dit bestand"}.get,
    )
    fix_swapped = st.checkbox("Omgewisselde coördinaten automatisch verbeteren", key="partners_fix")
    if upload is None:
        return
    data = upload.getvalue()
    try:
        result = check_upload(
            data, upload.name, fix_swapped, register if mode == "aanvullen" else None, stamp
        )
    except UserFacingError as exc:
        st.error(md(str(exc)))
        return
    n_err = len(result.errors)
    if n_err:
        first = "\n".join(f"- {md(m)}" for m in result.errors[:10])
        more = f"\n- … en nog {n_err - 10} (zie de tabel)" if n_err > 10 else ""
        st.error(
            f"{nl.number(n_err)} fout(en) in {md(upload.name)}: {nl.number(len(result.partners))} van "
            f"{nl.number(result.n_rows)} rijen zijn geldig. Rijnummers zoals in Excel.\n\n{first}{more}"
        )
    else:
        st.success(f"{md(upload.name)}: alle {nl.number(len(result.partners))} partners zijn geldig.")
    if result.messages:
        st.dataframe(result.messages_frame(), hide_index=True, width="stretch", key="partners_messages")
    plan = pio.preview(result, mode == "vervangen", len(register))
    preview_panel(plan)
    partial = False
    if n_err and len(result.partners):
        partial = st.checkbox(
            f"Toch enkel de {nl.number(len(result.partners))} geldige rijen opslaan", key="partners_partial"
        )
    confirmed = True
    if plan.confirm:
        st.warning(md(f"Let op: {plan.confirm}"), icon="⚠️")
        confirmed = st.checkbox(
            f"Ja, vervang het register ({nl.number(len(register))} partners) door deze "
            f"{nl.number(len(result.partners))}",
            key="partners_confirm_replace",
        )
    token = hashlib.sha256(data).hexdigest() + mode
    may_import = auth.can("importeren")
    can_save = len(result.partners) > 0 and (not n_err or partial) and may_import and confirmed
    if st.session_state.get("partners_saved") == token:
        st.info("Dit bestand is opgeslagen.")
    elif st.button("Opslaan in het register", disabled=not can_save, type="primary"):
        save = store.replace_partners if mode == "vervangen" else store.append_partners
        try:
            n = save(engine, result.partners, auth.actor())
        except UserFacingError as exc:
            st.error(md(str(exc)))
        else:
            st.session_state["partners_saved"] = token
            st.toast(f"{nl.number(n)} partners opgeslagen.")
            st.rerun()


def osm_section(register: pd.DataFrame, engine, has_osm: bool) -> None:
    st.subheader("Voorbeeld: OpenStreetMap 2015")
    o1, o2 = st.columns(2)
    may_edit = auth.can("bewerken")
    if o1.button("OSM-voorbeeld toevoegen", disabled=has_osm or not may_edit, key="partners_osm_add"):
        with st.spinner("Voorbeeldpunten opslaan…"):
            try:
                store.append_partners(engine, osm_example(), auth.actor())
            except UserFacingError as exc:
                st.error(md(str(exc)))
            else:
                st.rerun()
    if o2.button(
        "OSM-voorbeeld verwijderen", disabled=not has_osm or not may_edit, key="partners_osm_remove"
    ):
        ids = register.loc[register["bron"].str.startswith(pt.OSM_EXAMPLE_LABEL), "partner_id"].tolist()
        store.delete_partners(engine, ids, auth.actor())
        st.rerun()


def editor_section(register: pd.DataFrame, engine) -> None:
    st.subheader("Register bewerken")
    st.caption(
        "Pas namen, types, financiering, coördinaten en betrokkenheid aan, voeg rijen toe of verwijder "
        "ze; niets wordt bewaard vóór u op *Wijzigingen opslaan* klikt (alles of niets)."
    )
    version = st.session_state.setdefault("partners_editor_version", 0)
    edited = st.data_editor(
        register[EDITABLE],
        key=f"partners_editor_{version}",
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        disabled=not auth.can("bewerken"),
        column_config={
            "partner_id": st.column_config.NumberColumn("id", disabled=True),
            "naam": st.column_config.TextColumn("Naam", required=True),
            "type": st.column_config.SelectboxColumn("Type", options=list(pt.PARTNER_TYPES), required=True),
            "gefinancierd": st.column_config.CheckboxColumn("Gefinancierd", default=False),
            "lat": st.column_config.NumberColumn("Lat", format="%.5f"),
            "lon": st.column_config.NumberColumn("Lon", format="%.5f"),
            "betrokkenheid": st.column_config.TextColumn("Betrokkenheid (gebied: niveau; …)"),
            "bron": st.column_config.TextColumn("Bron"),
        },
    )
    if st.button("Wijzigingen opslaan", key="partners_save_edits", disabled=not auth.can("bewerken")):
        rest = register.drop(columns=[c for c in EDITABLE if c != "partner_id"])
        try:
            merged = edited.merge(rest, on="partner_id", how="left")
            counts = store.save_edits(engine, merged, auth.actor())
        except UserFacingError as exc:
            st.error(md(str(exc)))
        else:
            st.session_state["partners_editor_version"] = version + 1
            st.toast(", ".join(f"{v} {k}" for k, v in counts.items()))
            st.rerun()
