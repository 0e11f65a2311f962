"""The editing part of the Indelingen page: the map and the figures side by side, rerun as one fragment.

A click on the map or a move from the list reruns only `workspace` (an `st.fragment`): the map gets new
colours and selection (not new geometry) and the table its new figures. Edits that change the list of
areas (a new area, undo of one) rerun the whole page so the forms below see them.

Other panels can send the editor to units: `go_to(codes)` selects them and zooms the map to them.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from geo import fmt as nl
from geo.data import units
from geo.divisions import io as division_io
from geo.divisions import validity
from geo.divisions.metrics import LABELS, Band, UnitData, display_table
from geo.errors import UserFacingError
from geo.maps import views
from geo_app import session, workspace_defaults
from geo_app.budget_sections import staff_per_area
from geo_app.division_check import band_defaults, identity_key, settings_for, sync_band
from geo_app.editor_open import level_label
from geo_app.editor_state import EditorState
from geo_app.loaders import attribution
from geo_app.numbers import number_field
from geo_app.text import md
from geo_app.unit_map import Click, map_order, unit_map, zoom_to
from geo_app.widgets import XLSX_MIME, csv_bytes

MAP_KEY = "ind_map"
SEL_KEY = "ind_sel"
FEEDBACK = "ind_feedback"
FULL_RERUN = "ind_full_rerun"
NEW_AREA = "➕ Nieuw gebied…"
NO_AREA = "— Geen gebied —"
MODES = {"select": "selecteert", "paint": "verplaatst naar het doelgebied"}
SOURCES = ("gebiedsniveaus", "statbel", "stadsmonitor", "1g1p")
CHANGED_STYLE = "background-color:#fff3b0"
MAP_HEIGHT = 540


def go_to(codes: list[str]) -> None:
    """Select `codes` in the editor and zoom the map to them (for 'ga naar' buttons of other panels)."""
    session.editor().select(codes)
    zoom_to(MAP_KEY, codes)


def unit_labels(data: UnitData) -> dict[str, str]:
    names = data.names or data.codes
    return {c: (f"{c} – {n}" if n != c else c) for c, n in zip(data.codes, names, strict=True)}


def units_text(n: int) -> str:
    return "1 eenheid" if n == 1 else f"{nl.number(n)} eenheden"


def _feedback(kind: str, text: str) -> None:
    st.session_state[FEEDBACK] = (kind, text)


@st.cache_data(show_spinner=False)
def _parents(level: str, stamp: str) -> dict[str, str]:
    """Municipality of each unit (for the municipal borders on a wijk map); empty for other levels."""
    table = units.load_table(level)
    if level != "wijk" or "gemeente" not in table:
        return {}
    return dict(zip(table["code"].astype(str), table["gemeente"].astype(str), strict=True))


# ------------------------------------------------------------------------------------------ actions
def _target(choice: str, new_name: str) -> str | None:
    return None if choice == NO_AREA else (new_name.strip() if choice == NEW_AREA else choice)


def _move(state: EditorState, codes: list[str], target: str | None, labels: dict[str, str]) -> bool:
    before = state.current
    try:
        state.move(codes, target)
    except UserFacingError as exc:
        _feedback("error", f"Niet verplaatst: {exc}")
        return False
    state.take_message()
    if len(codes) == 1:
        src = before.area_of(codes[0]) or "geen gebied"
        _feedback("success", f"{labels.get(codes[0], codes[0])}: van {src} naar {target or 'geen gebied'}.")
    else:
        _feedback("success", f"{units_text(len(codes))} naar {target or 'geen gebied'} verplaatst.")
    if state.current.areas != before.areas:
        st.session_state[FULL_RERUN] = True
    return True


def _on_clicks(data: UnitData) -> Callable[[list[Click]], None]:
    labels = unit_labels(data)

    def handle(clicks: list[Click]) -> None:
        state = session.editor()
        if not state.is_open:
            return
        for click in clicks:
            division = state.current
            name = labels.get(click.code, click.code)
            if click.code not in division.units:
                _feedback("warning", f"{name} hoort niet bij deze indeling: niets gewijzigd.")
            elif click.action == "paint":
                target = None if click.target == NO_AREA else click.target
                if division.area_of(click.code) == target:
                    _feedback("info", f"{name} hoort al bij {target or 'geen gebied'}: niets gewijzigd.")
                else:
                    _move(state, [click.code], target, labels)
            else:
                was = click.code in state.selection
                state.toggle(click.code)
                n = len(state.selection)
                verb = "niet meer gekozen" if was else "gekozen"
                _feedback("info", f"{name} {verb} ({units_text(n)} gekozen).")

    return handle


# ------------------------------------------------------------------------------------------ parts
def header(state: EditorState) -> None:
    division = state.current
    head, undo_col, redo_col = st.columns([5, 1.3, 1], vertical_alignment="center")
    version = f", versie {division.meta.version}" if division.meta.db_id else ""
    head.markdown(
        f"**{division.name}** · {level_label(division.level)} · {len(division.areas)} gebieden{version} "
        f"· _{state.status}_"
    )
    for col, label, can, act, key in (
        (undo_col, "↶ Ongedaan maken", state.can_undo, state.undo, "ind_undo"),
        (redo_col, "↷ Opnieuw", state.can_redo, state.redo, "ind_redo"),
    ):
        col.button(label, disabled=not can, key=key, width="stretch", on_click=_step, args=(state, act, key))


def _step(state: EditorState, act: Callable[[], object], key: str) -> None:
    areas = state.current.areas
    act()
    _feedback("info", "Vorige stap teruggezet." if key == "ind_undo" else "Stap opnieuw uitgevoerd.")
    if state.current.areas != areas:
        st.session_state[FULL_RERUN] = True


def controls(state: EditorState) -> tuple[str, str | None, bool]:
    """Click mode and target area; returns (mode, target, target usable)."""
    division = state.current
    c1, c2, c3 = st.columns([4, 3, 2])
    mode = c1.radio(
        "Een klik op de kaart", list(MODES), format_func=MODES.get, key="ind_click_mode", horizontal=True
    )
    choice = c2.selectbox(
        "Doelgebied",
        [*division.areas, NEW_AREA, NO_AREA],
        key="ind_target",
        help="Waar verplaatste eenheden heen gaan.",
    )
    new_name = c3.text_input("Naam van het nieuwe gebied", key="ind_new_area") if choice == NEW_AREA else ""
    target = _target(choice, new_name)
    ok = choice != NEW_AREA or bool(target)
    if mode == "paint" and not ok:
        c3.caption("Geef eerst een naam: tot dan selecteert een klik.")
    return mode, target, ok


def editor_map(
    state: EditorState, data: UnitData, stamp: str, mode: str, target: str | None, ok: bool
) -> None:
    division = state.current
    order = map_order(division.level, stamp)
    if order is None:
        return
    area_of = {u: division.area_of(u) for u in division.units}
    areas = list(division.areas)
    if target is not None and target not in areas:
        areas.append(target)
    view = views.categorical(order, area_of, areas=areas, shown=division.units, title="Gebieden")
    parents = _parents(division.level, stamp)
    if parents:
        view = views.with_borders(view, order, parents)
    colors = dict(zip(areas, view["colors"], strict=True))
    paint = (
        target if target is not None else NO_AREA,
        colors.get(target, views.MISSING_COLOR) if target else views.MISSING_COLOR,
    )
    click = "paint" if mode == "paint" and ok else "select"
    unit_map(
        view,
        level=division.level,
        stamp=stamp,
        key=MAP_KEY,
        height=MAP_HEIGHT,
        selected=state.selection,
        click=click,
        paint=paint,
        attribution=attribution(SOURCES),
        on_click=_on_clicks(data),
    )


def selection_panel(state: EditorState, data: UnitData, target: str | None, ok: bool) -> None:
    division = state.current
    labels = unit_labels(data)
    st.multiselect(
        "Gekozen eenheden",
        list(division.units),
        format_func=lambda c: f"{labels.get(c, c)} · {division.area_of(c) or 'geen gebied'}",
        key=SEL_KEY,
        placeholder="Klik op de kaart of typ een naam of code…",
    )
    state.follow_widget(st.session_state.get(SEL_KEY, []))
    selection = state.selection
    c1, c2 = st.columns([3, 1])
    where = target or "geen gebied"
    label = (
        f"Verplaats {units_text(len(selection))} naar {where}"
        if selection
        else "Verplaatsen (kies eerst eenheden)"
    )
    c1.button(
        label,
        type="primary",
        disabled=not selection or not ok,
        key="ind_move",
        width="stretch",
        on_click=_move,
        args=(state, selection, target, labels),
    )
    c2.button(
        "Selectie wissen",
        disabled=not selection,
        key="ind_clear",
        width="stretch",
        on_click=_clear,
        args=(state,),
    )
    p1, p2 = st.columns([3, 1], vertical_alignment="bottom")
    pick = p1.selectbox(
        "Alle eenheden van een gebied kiezen",
        division.areas,
        index=None,
        placeholder="Kies een gebied…",
        key="ind_pick_area",
    )
    p2.button(
        "Kiezen", key="ind_pick", disabled=pick is None, width="stretch", on_click=_pick, args=(state, pick)
    )


def _clear(state: EditorState) -> None:
    state.select([])
    _feedback("info", "Selectie gewist.")


def _pick(state: EditorState, area: str) -> None:
    codes = state.current.units_in(area)
    state.add_area(area)
    zoom_to(MAP_KEY, codes)
    _feedback("info", f"{units_text(len(codes))} van {area} gekozen.")


def figures(state: EditorState, data: UnitData) -> None:
    division = state.current
    c1, c2, c3 = st.columns([2, 1, 1])
    options = [c for c in ("inwoners", "pop_0_24", "kansarmoede_n", "budget_eur") if c in data.counts]
    ruled = settings_for(state, data).band_column  # start on the rules' band column (workspace default)
    balance = c1.selectbox(
        "Afwijking en doelband op",
        options,
        index=options.index(ruled) if ruled in options else 0,
        format_func=LABELS.get,
        key="ind_balance",
    )
    kind = "euro" if balance == "budget_eur" else "number"
    low_default, high_default = band_defaults(state, data, balance)  # the band of the check's rules
    ident = identity_key(state)
    with c2:
        low = number_field(
            "Ondergrens doelband",
            low_default,
            key=f"ind_low_{balance}_{ident}",
            kind=kind,
            minimum=0,
            allow_empty=True,
        )
    with c3:
        high = number_field(
            "Bovengrens doelband",
            high_default,
            key=f"ind_high_{balance}_{ident}",
            kind=kind,
            minimum=0,
            allow_empty=True,
        )
    rules = sync_band(state, data, balance, low, high)  # one band for the table and the check below
    workspace_defaults.save_button(
        "Doelband en niveau als standaard van de werkruimte",
        "ind_band_standaard",
        help="Nieuwe indelingen in deze werkruimte beginnen op dit niveau en met deze doelband.",
        editor_niveau=division.level,
        doelband_op=balance,
        doelband_onder=low,
        doelband_boven=high,
    )
    limits = validity.band_limits(validity.CheckInput(division, data, rules))
    band = Band(rules.band_column, limits[0], limits[1]) if limits else None

    metrics = state.metrics(data)
    table = metrics.table(band, balance=balance)
    summary = metrics.summary(balance)
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Gebieden", nl.number(summary.n_areas))
    m2.metric("Zonder gebied", nl.number(len(summary.unassigned)), help="Eenheden zonder gebied.")
    ratio = nl.number(summary.max_min_ratio, 2) if summary.max_min_ratio else "–"
    m3.metric(
        "Grootste / kleinste",
        ratio,
        help=f"Verhouding grootste tot kleinste gebied in {LABELS[balance].lower()}.",
    )
    cv = nl.percent(100 * summary.cv) if summary.cv is not None else "–"
    m4.metric(
        "Variatiecoëfficiënt", cv, help="Standaardafwijking gedeeld door het gemiddelde over de gebieden."
    )

    touched = state.changed_areas(table)
    shown = display_table(table).astype(object).where(lambda f: f.notna(), "")
    styled = shown.style.apply(
        lambda row: [CHANGED_STYLE if row.iloc[0] in touched else "" for _ in row], axis=1
    )
    st.dataframe(
        styled,
        hide_index=True,
        width="stretch",
        key="ind_metrics_table",
        height=min(38 + 35 * len(shown), 420),
    )
    if touched:
        st.caption(f"Gewijzigd door de laatste bewerking: {md(', '.join(touched))} (geel).")
    unassigned_line(state, data, summary.unassigned)
    st.caption("Samenhang, hele zones en andere regels: zie 'Controle op de 1G1P-regels' onder de kaart.")
    d1, d2 = st.columns(2)
    d1.download_button(
        "Cijfers als CSV",
        lambda: csv_bytes(table),
        division_io.export_name(division, "cijfers_per_gebied", "csv"),
        "text/csv",
        key="ind_dl_metrics_csv",
    )
    d2.download_button(
        "Cijfers als Excel",
        lambda: division_io.to_xlsx_bytes(division, metrics=table),
        division_io.export_name(division, "cijfers_per_gebied", "xlsx"),
        XLSX_MIME,
        key="ind_dl_metrics_xlsx",
    )
    staff_per_area(division)


def unassigned_line(state: EditorState, data: UnitData, unassigned: tuple[str, ...]) -> None:
    if not unassigned:
        return
    labels = unit_labels(data)
    names = [labels.get(c, c) for c in unassigned]
    shown = "; ".join(names[:8]) + (f" en {nl.number(len(names) - 8)} andere" if len(names) > 8 else "")
    t1, t2 = st.columns([4, 1], vertical_alignment="center")
    t1.warning(f"{units_text(len(unassigned))} zonder gebied: {shown}.", icon="⚠️")
    t2.button(
        "Kies ze", key="ind_pick_unassigned", width="stretch", on_click=_pick_unassigned, args=(unassigned,)
    )


def _pick_unassigned(codes: tuple[str, ...]) -> None:
    go_to(list(codes))
    _feedback("info", f"{units_text(len(codes))} zonder gebied gekozen.")


@st.fragment
def workspace(state: EditorState, data: UnitData, stamp: str) -> None:
    """Header, map with its controls and selection, and the figures per area beside it."""
    if st.session_state.pop(FULL_RERUN, False):
        st.rerun(scope="app")
    if (pending := state.take_pending_selection()) is not None:
        st.session_state[SEL_KEY] = [c for c in pending if c in state.current.units]
    else:
        state.follow_widget(st.session_state.get(SEL_KEY, []))
    if message := state.take_message():
        _feedback("success", message)
    header(state)
    left, right = st.columns([11, 9], gap="medium")
    with left:
        mode, target, ok = controls(state)
        if units.LEVELS[state.current.level].has_geometry:
            editor_map(state, data, stamp, mode, target, ok)
            st.caption(
                "Zwarte rand = gekozen; dikke lijnen = gemeentegrenzen."
                if _parents(state.current.level, stamp)
                else "Zwarte rand = gekozen."
            )
        else:
            st.info(
                "Voor dit niveau zijn er geen kaartvlakken (postcodes): kies de eenheden in de lijst.",
                icon="ℹ️",
            )
        kind, text = st.session_state.get(
            FEEDBACK, ("info", "Klik op een eenheid op de kaart of kies ze in de lijst.")
        )
        getattr(st, kind)(text)
        selection_panel(state, data, target, ok)
    with right:
        st.subheader("Cijfers per gebied")
        figures(state, data)
