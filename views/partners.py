"""Partners: het register (laden, controleren, bewerken), de dekking per gebied en waar partners ontbreken."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import plotly.express as px
import streamlit as st
from streamlit_folium import st_folium

from geo import fmt as nl
from geo.data import catalog, units
from geo.errors import UserFacingError
from geo.maps import assets as assets_fetch
from geo.maps import folium_maps as maps
from geo.partners import coverage as cov
from geo.partners import io as pio
from geo.partners import register as pt
from geo.partners import store as store
from geo.partners.location import greedy_max_cover
from geo.store.engine import get_engine
from geo_app.widgets import download_pair

MAP_HEIGHT = 560
MAX_MARKERS_DEFAULT = 600
LEVEL_LABELS = {"wijk": "wijken (2.767, aantallen geschat)", "gemeente": "gemeenten (304)"}
COVER_COLORS = {"gedekt": "#2c7fb8", "niet gedekt": "#d95f0e", "extra gedekt": "#1a9850"}
SOURCES = ("statbel", "stadsmonitor", "gebiedsniveaus")


# ------------------------------------------------------------------------------------------- loading


@st.cache_data(show_spinner="Eenheden laden…")
def unit_table(level: str, stamp: str) -> pd.DataFrame:
    return units.load_table(level)


@st.cache_resource(show_spinner="Kaartlaag laden…")
def unit_geojson(level: str, stamp: str) -> dict:
    return units.display_geojson(level)


@st.cache_resource(show_spinner="Gemeenten en postcodes laden…")
def place_index(stamp: str) -> pio.PlaceIndex:
    return pio.PlaceIndex.from_units()


@st.cache_data(show_spinner="Gebiedsindeling laden…")
def area_mapping(key: str, level: str, stamp: str) -> dict[str, str]:
    return cov.areas_for(key, level, unit_table(level, stamp))


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


@st.cache_data
def attribution(with_osm: bool) -> str:
    return catalog.attribution_line(SOURCES + (("osm",) if with_osm else ()))


def pct(v: float) -> str:
    return nl.percent(v * 100) if pd.notna(v) else "–"


def maps_ready() -> bool:
    if not assets_fetch.is_installed():
        st.warning(
            "De kaartbibliotheken staan niet in `static/vendor`: voer `python -m geo.maps.assets` uit."
        )
        return False
    maps.use_local_assets(maps.asset_base_url(st.get_option("server.baseUrlPath")))
    return True


def scoped_geojson(level: str, mapping: dict[str, str], stamp: str) -> dict:
    """The display layer, limited to the units of the chosen areas when those are a small part."""
    geo = unit_geojson(level, stamp)
    if len(mapping) >= 0.9 * len(geo["features"]):
        return geo
    return {**geo, "features": [f for f in geo["features"] if str(f["properties"]["code"]) in mapping]}


# --------------------------------------------------------------------------------------------- page
st.title("Partners en pluspartners")
st.caption(
    "Wie is waar actief, hoeveel jongeren wonen dicht bij een partner van elk type, en waar zou een nieuwe "
    "partner het meeste jongeren extra bereiken?"
)

stamp = units.build_stamp()
if stamp is None:
    st.info(
        "Er zijn nog geen gegevens opgebouwd. Voer eerst `make data` uit en herlaad deze pagina.", icon="ℹ️"
    )
    st.stop()

engine = get_engine()
register = store.load_partners(engine)
has_osm = register["bron"].str.startswith(pt.OSM_EXAMPLE_LABEL).any()

with st.sidebar:
    st.header("Dekking")
    level = st.radio(
        "Jongeren tellen per", list(LEVEL_LABELS), format_func=LEVEL_LABELS.get, key="partners_level"
    )
    choices = cov.area_choices(level, unit_table(level, stamp))
    area_key = st.selectbox(
        "Gebiedsindeling", list(choices), format_func=choices.get, key=f"partners_areas_{level}"
    )
    distance = st.slider(
        "Afstand (meter, in vogelvlucht)", 250, 10_000, 2_000, step=250, key="partners_distance"
    )
    weighting = st.radio(
        "Welke jongeren tellen",
        ["alle", "gewogen", "kansarm"],
        format_func={
            "alle": "alle -25-jarigen",
            "gewogen": "kansarme jongeren wegen zwaarder",
            "kansarm": "enkel kansarme -25-jarigen",
        }.get,
        key="partners_weighting",
    )
    dep_weight = 0.0
    if weighting == "gewogen":
        dep_weight = st.number_input(
            "Extra gewicht per kansarme jongere", 0.0, 20.0, 1.0, step=0.5, key="partners_dep_weight"
        )
    funded_filter = st.radio(
        "Partners",
        ["alle", "plus", "gefinancierd"],
        format_func={"alle": "alle", "plus": "enkel pluspartners", "gefinancierd": "enkel gefinancierde"}.get,
        key="partners_funded",
    )

funded = {"alle": None, "plus": False, "gefinancierd": True}[funded_filter]
selected = pt.filter_partners(register, funded=funded)
table = unit_table(level, stamp)
mapping = area_mapping(area_key, level, stamp)
weight_label = {"alle": "-25-jarigen", "gewogen": "gewogen -25-jarigen", "kansarm": "kansarme -25-jarigen"}[
    weighting
]
level_note = (
    "Aantallen per wijk zijn schattingen (gemeentecijfers verdeeld over de wijken)."
    if level == "wijk"
    else "Elke gemeente telt als één punt (haar centrum): grove benadering voor grote gemeenten."
)

tab_register, tab_cover, tab_locate = st.tabs(["Register", "Dekking per gebied", "Waar toevoegen?"])

# --- Register ---------------------------------------------------------------------------------------
with tab_register:
    n_plus = int((~register["gefinancierd"]).sum())
    c1, c2, c3 = st.columns(3)
    c1.metric("Partners in het register", nl.number(len(register)))
    c2.metric("waarvan pluspartners", nl.number(n_plus))
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
        ["aanvullen", "vervangen"],
        horizontal=True,
        key="partners_mode",
        format_func={"aanvullen": "aanvullen", "vervangen": "vervangen door dit bestand"}.get,
    )
    fix_swapped = st.checkbox("Omgewisselde coördinaten automatisch verbeteren", key="partners_fix")
    if upload is not None:
        data = upload.getvalue()
        try:
            result = check_upload(
                data, upload.name, fix_swapped, register if mode == "aanvullen" else None, stamp
            )
        except UserFacingError as exc:
            st.error(str(exc))
            result = None
        if result is not None:
            n_err = len(result.errors)
            if n_err:
                first = "\n".join(f"- {m}" for m in result.errors[:10])
                more = f"\n- … en nog {n_err - 10} (zie de tabel)" if n_err > 10 else ""
                st.error(
                    f"{nl.number(n_err)} fout(en) in {upload.name}: {nl.number(len(result.partners))} van "
                    f"{nl.number(result.n_rows)} rijen zijn geldig. Rijnummers zoals in Excel (rij 1 = "
                    f"kolomkoppen).\n\n{first}{more}"
                )
            else:
                st.success(f"{upload.name}: alle {nl.number(len(result.partners))} partners zijn geldig.")
            if result.messages:
                st.dataframe(
                    result.messages_frame(), hide_index=True, width="stretch", key="partners_messages"
                )
            partial = False
            if n_err and len(result.partners):
                partial = st.checkbox(
                    f"Toch enkel de {nl.number(len(result.partners))} geldige rijen opslaan",
                    key="partners_partial",
                )
            token = hashlib.sha256(data).hexdigest() + mode
            can_save = len(result.partners) > 0 and (not n_err or partial)
            if st.session_state.get("partners_saved") == token:
                st.info("Dit bestand is opgeslagen.")
            elif st.button("Opslaan in het register", disabled=not can_save, type="primary"):
                try:
                    if mode == "vervangen":
                        n = store.replace_partners(engine, result.partners)
                    else:
                        n = store.append_partners(engine, result.partners)
                except UserFacingError as exc:
                    st.error(str(exc))
                else:
                    st.session_state["partners_saved"] = token
                    st.toast(f"{nl.number(n)} partners opgeslagen.")
                    st.rerun()

    st.subheader("Voorbeeld: OpenStreetMap 2015")
    o1, o2 = st.columns(2)
    if o1.button("OSM-voorbeeld toevoegen", disabled=bool(has_osm), key="partners_osm_add"):
        with st.spinner("Voorbeeldpunten opslaan…"):
            try:
                store.append_partners(engine, osm_example())
            except UserFacingError as exc:
                st.error(str(exc))
            else:
                st.rerun()
    if o2.button("OSM-voorbeeld verwijderen", disabled=not has_osm, key="partners_osm_remove"):
        ids = register.loc[register["bron"].str.startswith(pt.OSM_EXAMPLE_LABEL), "partner_id"].tolist()
        store.delete_partners(engine, ids)
        st.rerun()

    if not register.empty:
        st.subheader("Register bewerken")
        st.caption(
            "Pas namen, types, financiering, coördinaten en betrokkenheid aan, voeg rijen toe of verwijder "
            "ze; niets wordt bewaard vóór u op *Wijzigingen opslaan* klikt (alles of niets)."
        )
        version = st.session_state.setdefault("partners_editor_version", 0)
        editable = ["partner_id", "naam", "type", "gefinancierd", "lat", "lon", "betrokkenheid", "bron"]
        edited = st.data_editor(
            register[editable],
            key=f"partners_editor_{version}",
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                "partner_id": st.column_config.NumberColumn("id", disabled=True),
                "naam": st.column_config.TextColumn("Naam", required=True),
                "type": st.column_config.SelectboxColumn(
                    "Type", options=list(pt.PARTNER_TYPES), required=True
                ),
                "gefinancierd": st.column_config.CheckboxColumn("Gefinancierd", default=False),
                "lat": st.column_config.NumberColumn("Lat", format="%.5f"),
                "lon": st.column_config.NumberColumn("Lon", format="%.5f"),
                "betrokkenheid": st.column_config.TextColumn("Betrokkenheid (gebied: niveau; …)"),
                "bron": st.column_config.TextColumn("Bron"),
            },
        )
        if st.button("Wijzigingen opslaan", key="partners_save_edits"):
            rest = register.drop(columns=[c for c in editable if c != "partner_id"])
            merged = edited.merge(rest, on="partner_id", how="left")
            try:
                counts = store.save_edits(engine, merged)
            except UserFacingError as exc:
                st.error(str(exc))
            else:
                st.session_state["partners_editor_version"] = version + 1
                st.toast(", ".join(f"{v} {k}" for k, v in counts.items()))
                st.rerun()
        download_pair(pio.export_frame(register), "partnerregister", "partners_export")
        inv = pt.involvement_matrix(register)
        if len(inv):
            st.subheader("Betrokkenheid per gebied")
            st.caption("Aantal partners per gebied en niveau (geen, ad hoc, structureel, stuurgroep).")
            st.dataframe(inv, width="stretch")

# --- Coverage ---------------------------------------------------------------------------------------
with tab_cover:
    if selected.empty:
        st.info("Geen partners om de dekking te berekenen: laad eerst partners in het register.", icon="ℹ️")
    elif not mapping:
        st.info("Deze gebiedsindeling heeft geen eenheden op dit niveau.", icon="ℹ️")
    else:
        present = sorted(selected["type"].unique(), key=list(pt.PARTNER_TYPES).index)
        types = st.multiselect("Partnertypes", present, default=present, key="partners_types")
        xy = selected[["x", "y"]].to_numpy(float)
        with st.spinner("Dekking berekenen…"):
            p_units = partner_unit_codes(xy, level, stamp)
            p_area = [mapping.get(u, "") for u in p_units]
            demand = cov.Demand.from_table(table, mapping, dep_weight, weighting == "kansarm")
            result = cov.coverage_by_area(
                demand, xy, selected["type"].to_numpy(object), distance, types, p_area
            )
        totals = cov.coverage_totals(result)
        st.markdown(
            f"**Aandeel {weight_label} binnen {nl.number(distance)} m van minstens één partner van het "
            f"type**, per gebied ({choices[area_key]})."
        )
        wide = cov.coverage_wide(pd.concat([result, totals], ignore_index=True))
        wide = wide.reindex([*sorted(set(result["gebied"])), "Totaal"])[types]
        st.dataframe(wide.map(pct), width="stretch", key="partners_cover_wide")
        st.caption(f"{level_note} Afstand in rechte lijn tussen het centrum van de eenheid en de partner.")
        long = pd.concat([result, totals], ignore_index=True)
        download_pair(long, "dekking_per_gebied", "partners_cover")

        st.subheader("Tekorten")
        min_share = st.slider(
            "Tekort onder", 0.0, 1.0, 0.8, step=0.05, format="%.2f", key="partners_min_share"
        )
        holes = cov.gaps(result, min_share)
        if holes.empty:
            st.success("Geen tekorten bij deze drempel.")
        else:
            shown = pd.DataFrame(
                {
                    "Gebied": holes["gebied"],
                    "Type": holes["type"],
                    "Partners in gebied": holes["partners"],
                    f"Niet gedekte {weight_label}": holes["niet_gedekt"].map(nl.number),
                    "Gedekt": holes["aandeel_gedekt"].map(pct),
                    "Reden": holes["reden"],
                }
            )
            st.dataframe(shown, hide_index=True, width="stretch", key="partners_gaps")
            download_pair(holes, "tekorten", "partners_gaps_dl")

        st.subheader("Kaart")
        k1, k2 = st.columns([2, 3])
        map_type = k1.selectbox("Dekking tonen voor", types or present, key="partners_map_type")
        all_types = k2.checkbox(
            "Partners van alle types op de kaart (lagen aan/uit)",
            value=len(selected) <= MAX_MARKERS_DEFAULT,
            key="partners_map_all",
            help="Veel markers maken de kaart traag; standaard enkel het gekozen type bij grote registers.",
        )
        if maps_ready():
            with st.spinner("Kaart tekenen…"):
                cover = cov.unit_coverage(demand, xy[selected["type"].to_numpy() == map_type], distance)
                cover = cover[cover["gebied"] != ""]
                geo = scoped_geojson(level, mapping, stamp)
                fmap = maps.categorical_map(
                    geo,
                    dict(zip(cover["code"], np.where(cover["gedekt"], "gedekt", "niet gedekt"), strict=True)),
                    title=f"{map_type} binnen {nl.number(distance)} m",
                    colors=COVER_COLORS,
                    unassigned="buiten de gebieden",
                    area_label="Dekking",
                    tooltip_fields={
                        "Gebied": dict(zip(cover["code"], cover["gebied"], strict=True)),
                        "Dichtstbijzijnde": {
                            c: f"{nl.number(d / 1000, 1)} km" if np.isfinite(d) else "–"
                            for c, d in zip(cover["code"], cover["afstand_m"], strict=True)
                        },
                    },
                    attribution=attribution(bool(has_osm)),
                )
                shown_partners = selected if all_types else pt.filter_partners(selected, [map_type])
                pt.add_partner_markers(fmap, pt.within_bounds(shown_partners, maps.bounds(geo)))
                st_folium(fmap, key=f"partners_cover_map_{level}", returned_objects=[], height=MAP_HEIGHT)
            st.caption(
                "Blauw: binnen de afstand van een partner van dit type; oranje: niet. Partners per type aan- "
                "en uitzetten met het lagenmenu rechtsboven. " + attribution(bool(has_osm))
            )

# --- Where to add -----------------------------------------------------------------------------------
with tab_locate:
    if not mapping:
        st.info("Deze gebiedsindeling heeft geen eenheden op dit niveau.", icon="ℹ️")
    else:
        st.caption(
            f"Kandidaatlocaties zijn de centra van de {'wijken' if level == 'wijk' else 'gemeenten'}. Elke "
            f"stap kiest de locatie die de meeste nog niet gedekte {weight_label} binnen "
            f"{nl.number(distance)} m bereikt; bestaande partners blijven staan. Een stap verlaagt de "
            "dekking nooit."
        )
        l1, l2, l3 = st.columns(3)
        loc_type = l1.selectbox("Type partner", pt.PARTNER_TYPES, key="partners_loc_type")
        n_new = l2.number_input("Aantal nieuwe locaties", 1, 50, 5, key="partners_loc_n")
        area_names = sorted(set(mapping.values()))
        scope_area = l3.selectbox(
            "Binnen", ["alle gebieden", *area_names], key=f"partners_loc_area_{area_key}"
        )
        codes = table["code"].astype(str)
        inside = codes.map(lambda c: bool(mapping.get(c)) and scope_area in ("alle gebieden", mapping.get(c)))
        scope = table[inside.to_numpy()]
        existing = pt.filter_partners(selected, [loc_type])
        weights = cov.demand_weights(scope, dep_weight, weighting == "kansarm")
        sxy = scope[["x", "y"]].to_numpy(float)
        plan = greedy_max_cover(
            sxy,
            weights,
            sxy,
            scope["code"].astype(str).tolist(),
            existing[["x", "y"]].to_numpy(float),
            distance,
            n_new,
        )
        m1, m2, m3 = st.columns(3)
        m1.metric(f"Bestaande partners ({loc_type})", nl.number(len(existing)))
        m2.metric("Dekking nu", pct(plan.share_before))
        m3.metric(f"Dekking met {len(plan.picks)} nieuwe", pct(plan.share_after), delta=None)
        if plan.stopped_early:
            st.info("Na deze stappen voegt geen enkele kandidaat nog dekking toe.")
        if plan.picks.empty:
            st.success("Alles binnen het gekozen gebied is al gedekt.")
        else:
            names = dict(zip(codes, table["naam"].astype(str), strict=True))
            picks = plan.picks.assign(
                naam=plan.picks["code"].map(names), gebied=plan.picks["code"].map(mapping.get)
            )
            lat, lon = pt.lambert_to_wgs84(picks["x"], picks["y"])
            picks = picks.assign(lat=lat, lon=lon)
            shown = pd.DataFrame(
                {
                    "Stap": picks["stap"],
                    "Locatie (centrum van)": picks["naam"],
                    "Gebied": picks["gebied"],
                    f"Extra {weight_label}": picks["winst"].map(nl.number),
                    "Dekking na": picks["aandeel_na"].map(pct),
                }
            )
            st.dataframe(shown, hide_index=True, width="stretch", key="partners_picks")
            download_pair(
                picks, f"voorstel_{loc_type}".replace(" ", "_").replace("/", "_"), "partners_picks_dl"
            )
            curve = pd.DataFrame(
                {
                    "nieuwe locaties": range(len(picks) + 1),
                    "dekking (%)": [plan.share_before * 100, *(picks["aandeel_na"] * 100)],
                }
            )
            fig = px.line(curve, x="nieuwe locaties", y="dekking (%)", markers=True)
            fig.update_layout(height=260, margin={"l": 10, "r": 10, "t": 10, "b": 10}, separators=",.")
            st.plotly_chart(fig, key="partners_curve")
            if maps_ready():
                with st.spinner("Kaart tekenen…"):
                    status = np.where(
                        plan.covered_before,
                        "gedekt",
                        np.where(plan.covered_after, "extra gedekt", "niet gedekt"),
                    )
                    scope_codes = scope["code"].astype(str).tolist()
                    geo = scoped_geojson(level, dict.fromkeys(scope_codes, "x"), stamp)
                    fmap = maps.categorical_map(
                        geo,
                        dict(zip(scope_codes, status, strict=True)),
                        title=f"{loc_type} binnen {nl.number(distance)} m",
                        colors=COVER_COLORS,
                        unassigned="buiten de keuze",
                        area_label="Dekking",
                        attribution=attribution(bool(has_osm)),
                    )
                    proposals = picks.assign(
                        groep="Voorstel", label=picks["stap"].map(lambda s: f"Voorstel {s}")
                    )
                    maps.add_point_markers(
                        fmap,
                        proposals,
                        group_by="groep",
                        clustered=False,
                        name="label",
                        popup_fields={"label": "Voorstel", "naam": "Centrum van", "gebied": "Gebied"},
                        colors={"Voorstel": "#000000"},
                        layer_control=False,
                    )
                    pt.add_partner_markers(fmap, pt.within_bounds(existing, maps.bounds(geo)))
                    st_folium(
                        fmap, key=f"partners_locate_map_{level}", returned_objects=[], height=MAP_HEIGHT
                    )
                st.caption(
                    "Zwart: voorgestelde locaties; groen: wat ze extra bereiken. "
                    + attribution(bool(has_osm))
                )
        st.caption(level_note)
