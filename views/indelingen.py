"""Indelingen: een indeling openen of maken, eenheden verplaatsen (kaart of lijst), cijfers per gebied volgen,
voorstellen laten maken, opslaan, importeren en exporteren."""

from __future__ import annotations

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import fmt as nl
from geo.budget.per_unit import BUDGET_NOTE
from geo.data import catalog, units
from geo.divisions import io as division_io
from geo.divisions import store as division_store
from geo.divisions.division import Division, History
from geo.divisions.metrics import (
    LABELS,
    AreaMetrics,
    Band,
    UnitData,
    changed_areas,
    display_table,
)
from geo.divisions.references import REFERENCES, reference_division
from geo.divisions.suggest import BALANCE_OPTIONS, improve, suggest
from geo.errors import UserFacingError
from geo.maps import assets as assets_fetch
from geo.maps import folium_maps as maps
from geo_app.loaders import layer_subset, unit_data

MAP_HEIGHT = 560
MAX_MAP_UNITS = 450  # above this, the map shows the chosen areas only (payload and speed)
EDIT_LEVELS = ["gemeente", "elz57", "elz", "wijk", "district", "postcode_antwerpen"]
NEW_AREA = "➕ Nieuw gebied…"
NO_AREA = "— Geen gebied —"
SOURCES = ("gebiedsniveaus", "statbel", "stadsmonitor", "1g1p")
SS = st.session_state


# ------------------------------------------------------------------------------------------- loading


@st.cache_data
def attribution() -> str:
    return catalog.attribution_line(SOURCES)


def level_label(level: str) -> str:
    return division_io.LEVEL_NAMES.get(level, level)


def unit_labels(data: UnitData) -> dict[str, str]:
    names = data.names or data.codes
    return {c: (f"{c} – {n}" if n != c else c) for c, n in zip(data.codes, names, strict=True)}


# ------------------------------------------------------------------------------------------- state
def open_in_editor(division: Division, message: str | None = None) -> None:
    """Put `division` in the editor (fresh undo history) and remember it as the saved state."""
    SS["ind_history"] = History(division)
    SS["ind_saved"] = division
    SS["ind_sel"] = []
    SS.pop("ind_metrics", None)
    SS.pop("ind_prev_table", None)
    SS["ind_last_click"] = None
    if message:
        SS["ind_flash"] = message


def push(division: Division, message: str | None = None) -> None:
    SS["ind_history"].push(division)
    if message:
        SS["ind_flash"] = message


def current_metrics(division: Division, data: UnitData) -> AreaMetrics:
    """Metrics of `division`, updated incrementally from the previous state when possible."""
    cached: AreaMetrics | None = SS.get("ind_metrics")
    if cached is not None and cached.division is division and SS.get("ind_metrics_data") == id(data):
        return cached
    if (
        cached is not None
        and cached.division.units == division.units
        and SS.get("ind_metrics_data") == id(data)
    ):
        SS["ind_prev_table"] = cached.table()
        metrics = cached.update(division)
    else:
        metrics = AreaMetrics(data, division)
    SS["ind_metrics"], SS["ind_metrics_data"] = metrics, id(data)
    return metrics


def has_unsaved_changes(division: Division) -> bool:
    saved: Division | None = SS.get("ind_saved")
    return (
        saved is None
        or saved.meta != division.meta
        or not (saved.areas == division.areas and saved.same_assignment(division))
    )


# ------------------------------------------------------------------------------------------- open / new
def open_panel(stamp: str) -> None:
    t_ref, t_db, t_new, t_imp = st.tabs(["Ingebouwd", "Opgeslagen", "Nieuw", "Importeren"])
    with t_ref:
        key = st.selectbox(
            "Ingebouwde indeling", list(REFERENCES), format_func=lambda k: REFERENCES[k].title, key="ind_ref"
        )
        st.caption(REFERENCES[key].description)
        if st.button("Openen", key="ind_open_ref"):
            with st.spinner("Indeling opbouwen…"):
                open_in_editor(reference_division(key), f"'{REFERENCES[key].title}' geopend.")
            st.rerun()
    with t_db:
        stored_panel()
    with t_new:
        new_panel(stamp)
    with t_imp:
        import_panel()


def stored_panel() -> None:
    stored = division_store.list_divisions()
    if stored.empty:
        st.info("Er zijn nog geen opgeslagen indelingen. Open of maak er een en kies 'Opslaan'.", icon="ℹ️")
        return
    shown = pd.DataFrame(
        {
            "Naam": stored["name"],
            "Niveau": stored["level"].map(level_label),
            "Gebieden": stored["n_areas"],
            "Auteur": stored["author"],
            "Bijgewerkt": stored["updated"].dt.strftime("%d/%m/%Y %H:%M"),
            "Versie": stored["version"],
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")
    choice = st.selectbox("Indeling", stored["name"].tolist(), key="ind_db_choice")
    row = stored.set_index("name").loc[choice]
    c1, c2, c3, c4 = st.columns(4)
    if c1.button("Openen", key="ind_db_open"):
        open_in_editor(
            division_store.open_division(int(row["id"])), f"'{choice}' geopend (versie {row['version']})."
        )
        st.rerun()
    new_name = st.text_input("Nieuwe naam (voor hernoemen of dupliceren)", key="ind_db_newname")
    if c2.button("Hernoemen", key="ind_db_rename", disabled=not new_name):
        try:
            division_store.rename(int(row["id"]), new_name, expected_version=int(row["version"]))
            SS["ind_flash"] = f"'{choice}' hernoemd tot '{new_name}'."
            st.rerun()
        except UserFacingError as exc:
            st.error(str(exc))
    if c3.button("Dupliceren", key="ind_db_dup", disabled=not new_name):
        try:
            division_store.duplicate(int(row["id"]), new_name)
            SS["ind_flash"] = f"Kopie '{new_name}' opgeslagen."
            st.rerun()
        except UserFacingError as exc:
            st.error(str(exc))
    confirm = c4.checkbox("Ik wil verwijderen", key="ind_db_confirm")
    if c4.button("Verwijderen", key="ind_db_delete", disabled=not confirm):
        try:
            division_store.delete(int(row["id"]), expected_version=int(row["version"]))
            SS["ind_flash"] = f"'{choice}' verwijderd."
            st.rerun()
        except UserFacingError as exc:
            st.error(str(exc))


def new_panel(stamp: str) -> None:
    with st.form("ind_new_form"):
        name = st.text_input("Naam", value="Nieuwe indeling")
        level = st.selectbox("Niveau van de eenheden", EDIT_LEVELS, format_func=level_label)
        municipalities = st.text_input(
            "Enkel binnen deze gemeenten (NIS-codes, gescheiden door komma's; leeg = alle eenheden)",
            help="Bijvoorbeeld 11002, 11040, 11044, 11052 voor Groot Antwerpen (op niveau wijk).",
        )
        k = st.number_input("Aantal gebieden", min_value=1, max_value=100, value=4)
        start = st.radio("Beginnen met", ["lege gebieden", "een automatisch voorstel"], horizontal=True)
        author = st.text_input("Auteur", value="")
        submitted = st.form_submit_button("Maken")
    if not submitted:
        return
    data = unit_data(level, stamp)
    codes = list(data.codes)
    wanted = [c.strip() for c in municipalities.split(",") if c.strip()]
    if wanted:
        table = units.load_table(level)
        if "gemeente" in table.columns:
            inside = table["gemeente"].astype(str).isin(wanted)
        else:
            inside = table["code"].astype(str).isin(wanted)
        codes = table.loc[inside, "code"].astype(str).tolist()
        if not codes:
            st.error("Geen eenheden gevonden binnen die gemeenten op dit niveau.")
            return
    try:
        if start == "lege gebieden":
            division = Division.empty(
                name, level, codes, [f"Gebied {i + 1}" for i in range(int(k))], author=author
            )
        else:
            with st.spinner("Voorstel berekenen…"):
                s = suggest(data, int(k), "pop_0_24", tolerance=0.05, seed=0, within=codes, name=name)
            division = s.division.with_meta(author=author)
    except UserFacingError as exc:
        st.error(str(exc))
        return
    open_in_editor(division, f"Nieuwe indeling '{name}' gemaakt (nog niet opgeslagen).")
    st.rerun()


def import_panel() -> None:
    st.caption(
        "Een CSV-, Excel- of GeoJSON-bestand met de kolommen `unit_code` (code van de eenheid) en `area` "
        "(naam van het gebied). Codes worden als tekst gelezen; fouten worden per rij gemeld en dan wordt "
        "er niets ingelezen of opgeslagen."
    )
    upload = st.file_uploader("Bestand", type=["csv", "xlsx", "geojson", "json"], key="ind_upload")
    level = st.selectbox("Niveau", EDIT_LEVELS, format_func=level_label, key="ind_imp_level")
    scope = st.radio(
        "Welke eenheden horen bij de indeling?",
        ["niveau", "bestand"],
        format_func=lambda s: {
            "niveau": "alle eenheden van het niveau",
            "bestand": "enkel die in het bestand",
        }[s],
        horizontal=True,
        key="ind_imp_scope",
    )
    if upload is None:
        return
    name = st.text_input("Naam", value=upload.name.rsplit(".", 1)[0], key="ind_imp_name")
    with st.spinner("Bestand controleren…"):
        result = division_io.import_division(upload.getvalue(), upload.name, level, name, scope=scope)
    for w in result.warnings[:20]:
        st.warning(w, icon="⚠️")
    if not result.ok:
        st.error(f"{len(result.errors)} fout(en): er is niets ingelezen of opgeslagen.", icon="🚫")
        st.dataframe(pd.DataFrame({"Melding": result.errors}), hide_index=True, width="stretch")
        return
    d = result.division
    st.success(f"In orde: {len(d.areas)} gebieden, {len(d.units) - len(d.unassigned())} eenheden toegewezen.")
    c1, c2 = st.columns(2)
    if c1.button("Openen in de editor", key="ind_imp_open"):
        open_in_editor(d, f"'{name}' ingelezen (nog niet opgeslagen).")
        st.rerun()
    if c2.button("Opslaan en openen", key="ind_imp_save"):
        try:
            saved = division_store.save_new(d)
        except UserFacingError as exc:
            st.error(str(exc))
            return
        open_in_editor(saved, f"'{name}' ingelezen en opgeslagen.")
        st.rerun()


# ------------------------------------------------------------------------------------------- editing
@st.fragment
def map_and_selection(division: Division, data: UnitData, stamp: str) -> None:
    """Map (click = select) and the selection list; only this part reruns on a click."""
    labels = unit_labels(data)
    if "ind_sel_next" in SS:  # selection changes requested by buttons of the previous run
        SS["ind_sel"] = SS.pop("ind_sel_next")
    has_map = units.LEVELS[division.level].has_geometry and assets_fetch.is_installed()
    direct = st.toggle("Klik op de kaart verplaatst meteen naar het doelgebied", key="ind_direct")
    target_choice = st.selectbox(
        "Doelgebied",
        [*division.areas, NEW_AREA, NO_AREA],
        key="ind_target",
        help="Waar de gekozen eenheden heen gaan.",
    )
    new_name = (
        st.text_input("Naam van het nieuwe gebied", key="ind_new_area") if target_choice == NEW_AREA else ""
    )
    target = (
        None
        if target_choice == NO_AREA
        else (new_name.strip() if target_choice == NEW_AREA else target_choice)
    )
    target_ok = target_choice != NEW_AREA or bool(target)

    if has_map:
        shown_units = map_units(division, data)
        geo = layer_subset(division.level, tuple(shown_units), stamp)
        maps.use_local_assets(maps.asset_base_url(st.get_option("server.baseUrlPath")))
        area_of = {u: division.area_of(u) for u in shown_units}
        fmap = maps.categorical_map(geo, area_of, title="Gebieden", attribution=None)
        highlight = folium.FeatureGroup(name="Selectie")
        selected = set(SS.get("ind_sel", []))
        if selected:
            folium.GeoJson(
                {
                    "type": "FeatureCollection",
                    "features": [f for f in geo["features"] if f["properties"]["code"] in selected],
                },
                style_function=lambda _f: {"color": "#000000", "weight": 3, "fill": False},
                interactive=False,
            ).add_to(highlight)
        out = st_folium(
            fmap,
            key=f"ind_map_{division.level}",
            feature_group_to_add=highlight,
            returned_objects=["last_active_drawing", "last_object_clicked"],
            height=MAP_HEIGHT,
            use_container_width=True,
        )
        click = (out or {}).get("last_object_clicked")
        feature = (out or {}).get("last_active_drawing") or {}
        code = str(feature.get("id", "")) if feature else ""
        if click and click != SS.get("ind_last_click") and code in data.index:
            SS["ind_last_click"] = click
            if direct and target_ok:
                apply_move([code], target)
            current = list(SS.get("ind_sel", []))
            SS["ind_sel"] = [c for c in current if c != code] if code in current else [*current, code]
            st.rerun(scope="fragment")
        st.caption(
            "Klik op een eenheid om ze te (de)selecteren; de zwarte rand toont de selectie. "
            + (
                ""
                if len(shown_units) == len(division.units)
                else f"De kaart toont {len(shown_units)} van de "
                f"{len(division.units)} eenheden (kies hieronder welke gebieden). "
            )
            + attribution()
        )
    elif not units.LEVELS[division.level].has_geometry:
        st.info(
            "Voor dit niveau zijn er geen kaartvlakken (postcodes): kies de eenheden in de lijst.", icon="ℹ️"
        )
    else:
        st.warning(
            "De kaartbibliotheken staan niet in `static/vendor`: voer `python -m geo.maps.assets` uit."
        )

    st.multiselect(
        "Gekozen eenheden",
        list(division.units),
        format_func=lambda c: f"{labels.get(c, c)} · {division.area_of(c) or 'geen gebied'}",
        key="ind_sel",
        placeholder="Kies eenheden (typ een naam of code)…",
    )
    sel = list(SS.get("ind_sel", []))
    c1, c2, c3 = st.columns([2, 2, 1])
    label = f"Verplaats {len(sel)} eenhe(i)d(en)"
    if c1.button(label, type="primary", disabled=not sel or not target_ok, key="ind_move"):
        apply_move(sel, target)
    pick_area = c2.selectbox(
        "Alle eenheden van", ["—", *division.areas], key="ind_pick_area", label_visibility="collapsed"
    )
    if c3.button("Kiezen", key="ind_pick", disabled=pick_area == "—"):
        SS["ind_sel_next"] = sorted(set(sel) | set(division.units_in(pick_area)))
        st.rerun(scope="fragment")


def map_units(division: Division, data: UnitData) -> list[str]:
    """Units shown on the map: all, or for big divisions those of the chosen areas (+ unassigned)."""
    if len(division.units) <= MAX_MAP_UNITS:
        return list(division.units)
    sizes = division.area_sizes()
    default = [a for a in division.areas if sizes[a]][:3]
    chosen = st.multiselect(
        "Gebieden op de kaart", list(division.areas), default=default, key="ind_map_areas"
    )
    wanted = set(chosen)
    return [u for u in division.units if division.area_of(u) in wanted or division.area_of(u) is None]


def apply_move(codes: list[str], target: str | None) -> None:
    division: Division = SS["ind_history"].current
    try:
        moved = division.move(codes, target)
    except UserFacingError as exc:
        st.error(str(exc))
        return
    push(moved, f"{len(codes)} eenhe(i)d(en) naar {target or 'geen gebied'} verplaatst.")
    SS["ind_sel_next"] = []
    st.rerun(scope="app")


def area_tools(division: Division) -> None:
    with st.expander("Gebieden hernoemen, samenvoegen of verwijderen"):
        c1, c2, c3 = st.columns(3)
        with c1.form("ind_rename"):
            old = st.selectbox("Gebied", division.areas)
            new = st.text_input("Nieuwe naam")
            if st.form_submit_button("Hernoemen"):
                run_edit(lambda: division.rename_area(old, new.strip()), f"'{old}' heet nu '{new.strip()}'.")
        with c2.form("ind_merge"):
            chosen = st.multiselect("Gebieden", division.areas)
            into = st.text_input("Naam van het samengevoegde gebied (leeg = eerste)")
            if st.form_submit_button("Samenvoegen"):
                run_edit(lambda: division.merge_areas(chosen, into.strip() or None), "Gebieden samengevoegd.")
        with c3.form("ind_delete"):
            gone = st.selectbox("Gebied", division.areas)
            to = st.selectbox("Eenheden gaan naar", [NO_AREA, *division.areas])
            if st.form_submit_button("Verwijderen"):
                run_edit(
                    lambda: division.delete_area(gone, None if to == NO_AREA else to), f"'{gone}' verwijderd."
                )


def run_edit(edit, message: str) -> None:
    try:
        result = edit()
    except UserFacingError as exc:
        st.error(str(exc))
        return
    push(result, message)
    st.rerun()


def suggest_tools(division: Division, data: UnitData) -> None:
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
                format_func=lambda m: {"nieuw": "Nieuw voorstel", "verbeter": "Huidige indeling verbeteren"}[
                    m
                ],
                horizontal=True,
            )
            balance = st.selectbox(
                "In evenwicht op", list(BALANCE_OPTIONS), format_func=lambda k: BALANCE_OPTIONS[k][0]
            )
            tolerance = st.slider("Tolerantie rond het gemiddelde (%)", 1, 30, 5)
            c1, c2, c3 = st.columns(3)
            k = c1.number_input("Aantal gebieden (nieuw)", 1, 100, max(len(division.areas), 2))
            max_moves = c2.number_input("Max. verplaatsingen (verbeteren)", 1, 500, 10)
            seed = c3.number_input("Startgetal (zelfde getal = zelfde voorstel)", 0, 10_000, 0)
            inside = st.selectbox("Binnen", ["de hele indeling", *division.areas])
            go = st.form_submit_button("Voorstel maken")
        if not go:
            return
        try:
            with st.spinner("Voorstel berekenen…"):
                if mode == "nieuw":
                    within = None if inside == "de hele indeling" else division.units_in(inside)
                    prefix = "Gebied" if within is None else inside
                    s = suggest(
                        data,
                        int(k),
                        balance,
                        tolerance / 100,
                        int(seed),
                        within=within,
                        base=division,
                        name=division.name,
                        prefix=prefix,
                    )
                else:
                    areas = None if inside == "de hele indeling" else [inside]
                    s = improve(data, division, balance, tolerance / 100, int(max_moves), areas)
        except UserFacingError as exc:
            st.error(str(exc))
            return
        note = " ".join(s.notes)
        push(
            s.division,
            f"Voorstel toegepast: grootste afwijking {nl.percent(100 * s.max_deviation)}. {note}".strip(),
        )
        st.rerun()


def metrics_section(division: Division, data: UnitData) -> None:
    st.subheader("Cijfers per gebied")
    defaults = (
        (200_000.0, 250_000.0)
        if division.level in ("elz57", "gemeente") and len(division.areas) <= 30
        else (None, None)
    )
    c1, c2, c3 = st.columns(3)
    count_options = [c for c in ("inwoners", "pop_0_24", "kansarmoede_n", "budget_eur") if c in data.counts]
    balance = c1.selectbox(
        "Afwijking en doelband op", count_options, format_func=lambda c: LABELS[c], key="ind_balance"
    )
    low = c2.number_input(
        "Ondergrens doelband", min_value=0.0, value=defaults[0], step=10_000.0, key=f"ind_low_{balance}"
    )
    high = c3.number_input(
        "Bovengrens doelband", min_value=0.0, value=defaults[1], step=10_000.0, key=f"ind_high_{balance}"
    )
    band = Band(balance, low, high) if low is not None or high is not None else None

    metrics = current_metrics(division, data)
    table = metrics.table(band, balance=balance)
    summary = metrics.summary(balance)
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Gebieden", nl.number(summary.n_areas))
    m2.metric("Eenheden zonder gebied", nl.number(len(summary.unassigned)))
    m3.metric(
        "Grootste / kleinste",
        nl.number(summary.max_min_ratio, 2) if summary.max_min_ratio else "–",
        help=f"Verhouding van het grootste tot het kleinste gebied in {LABELS[balance].lower()}.",
    )
    m4.metric(
        "Variatiecoëfficiënt",
        nl.percent(100 * summary.cv) if summary.cv is not None else "–",
        help="Standaardafwijking gedeeld door het gemiddelde over de gebieden.",
    )

    prev = SS.get("ind_prev_table")
    touched = changed_areas(prev, table) if prev is not None else []
    shown = display_table(table)
    st.dataframe(
        shown.style.apply(
            lambda row: ["background-color:#fff3b0" if row.iloc[0] in touched else "" for _ in row], axis=1
        ),
        hide_index=True,
        width="stretch",
        key="ind_metrics_table",
    )
    if touched:
        st.caption(f"Gewijzigd door de laatste bewerking: {', '.join(touched)} (geel).")
    for problem in summary.problems:
        st.warning(problem, icon="⚠️")
    for note in summary.exceptions:
        st.info(f"Gekende uitzondering, geen fout: {note}.", icon="ℹ️")
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
    st.caption(" ".join(notes))
    d1, d2 = st.columns(2)
    d1.download_button(
        "Cijfers als CSV",
        table.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig"),
        file_name="gebieden_cijfers.csv",
        mime="text/csv",
        key="ind_dl_metrics_csv",
    )
    d2.download_button(
        "Cijfers als Excel",
        division_io.to_xlsx_bytes(division, metrics=table),
        file_name="gebieden_cijfers.xlsx",
        key="ind_dl_metrics_xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def save_section(division: Division, data: UnitData) -> None:
    st.subheader("Opslaan en exporteren")
    with st.form("ind_meta"):
        c1, c2 = st.columns(2)
        name = c1.text_input("Naam", division.meta.name)
        author = c2.text_input("Auteur", division.meta.author)
        description = st.text_area("Beschrijving", division.meta.description, height=80)
        vintage = st.text_input("Gegevensjaar / versie van de indeling", division.meta.vintage)
        save_as = st.checkbox("Als nieuwe indeling opslaan (kopie)", value=division.meta.db_id is None)
        go = st.form_submit_button("Opslaan", type="primary")
    if go:
        updated = division.with_meta(
            name=name.strip(), author=author, description=description, vintage=vintage
        )
        if save_as:
            updated = updated.with_meta(db_id=None, version=0, created=None)
        try:
            with st.spinner("Opslaan…"):
                saved = division_store.save(updated)
        except UserFacingError as exc:
            st.error(str(exc), icon="🚫")
        else:
            SS["ind_history"].replace_current(saved)
            SS["ind_saved"] = saved
            SS["ind_flash"] = f"'{saved.name}' opgeslagen (versie {saved.meta.version})."
            st.rerun()
    names = dict(zip(data.codes, data.names or data.codes, strict=True))
    c1, c2, c3 = st.columns(3)
    c1.download_button(
        "Indeling als CSV",
        division_io.to_csv_bytes(division, names),
        file_name="indeling.csv",
        mime="text/csv",
        key="ind_dl_csv",
    )
    c2.download_button(
        "Indeling als Excel",
        division_io.to_xlsx_bytes(division, names),
        file_name="indeling.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="ind_dl_xlsx",
    )
    if units.LEVELS[division.level].has_geometry:
        if c3.checkbox("GeoJSON van de gebieden voorbereiden", key="ind_geojson"):
            with st.spinner("Gebieden samenvoegen…"):
                payload = division_io.to_geojson_bytes(division, current_metrics(division, data).table())
            c3.download_button(
                "Gebieden als GeoJSON",
                payload,
                file_name="gebieden.geojson",
                mime="application/geo+json",
                key="ind_dl_geojson",
            )


# ------------------------------------------------------------------------------------------- page
st.title("Indelingen")
st.caption(
    "Verdeel gemeenten, eerstelijnszones, wijken of postcodes over werkingsgebieden en zie meteen wat dat "
    "doet met de grootte, de jongeren, de kansarmoede, het budget en de samenhang per gebied."
)
stamp = units.build_stamp()
if stamp is None:
    st.info(
        "Er zijn nog geen gegevens opgebouwd. Voer eerst `make data` uit en herlaad deze pagina.", icon="ℹ️"
    )
    st.stop()

if flash := SS.pop("ind_flash", None):
    st.toast(flash)

history: History | None = SS.get("ind_history")
with st.expander("Indeling openen, maken of importeren", expanded=history is None):
    open_panel(stamp)
if history is None:
    st.info(
        "Open een ingebouwde of opgeslagen indeling, maak een nieuwe of importeer een bestand.", icon="👆"
    )
    st.stop()

division = history.current
data = unit_data(division.level, stamp)
head, undo_col, redo_col = st.columns([6, 1, 1])
if division.meta.db_id is None:
    status = "nog niet opgeslagen"
else:
    status = "niet opgeslagen wijzigingen" if has_unsaved_changes(division) else "opgeslagen"
version = f", versie {division.meta.version}" if division.meta.db_id else ""
head.markdown(
    f"**{division.name}** · {level_label(division.level)} · {len(division.areas)} gebieden{version} "
    f"· _{status}_"
)
if undo_col.button("↶ Ongedaan maken", disabled=not history.can_undo, key="ind_undo"):
    history.undo()
    st.rerun()
if redo_col.button("↷ Opnieuw", disabled=not history.can_redo, key="ind_redo"):
    history.redo()
    st.rerun()
if division.meta.description:
    st.caption(division.meta.description)

map_and_selection(division, data, stamp)
area_tools(division)
suggest_tools(division, data)
metrics_section(division, data)
save_section(division, data)
