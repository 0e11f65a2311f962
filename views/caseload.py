"""Caseload: aanmeldingen per gebied, belasting per VTE, trend en doorverwijzingen tussen gebieden."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.express as px
import streamlit as st
from streamlit_folium import st_folium

from geo import fmt as nl
from geo.caseload import cases as cl
from geo.caseload.example import example_capacity, example_caseload
from geo.caseload.io import read_capacity_file, read_caseload
from geo.data import catalog, units
from geo.errors import UserFacingError
from geo.maps import assets as assets_fetch
from geo.maps import folium_maps as maps
from geo.partners import coverage as cov
from geo.partners import register as pt
from geo.partners.store import load_partners
from geo.store.engine import get_engine
from geo_app.widgets import download_pair

MAP_HEIGHT = 520
LEVELS = {
    "gemeente": "gemeente (NIS-code)",
    "wijk": "wijk (code, bv. 11002Z01)",
    "postcode_antwerpen": "postcode (Groot Antwerpen)",
}
SOURCES = ("statbel", "gebiedsniveaus", "1g1p")


# ------------------------------------------------------------------------------------------- loading


@st.cache_data(show_spinner="Eenheden laden…")
def case_units(level: str, stamp: str) -> pd.DataFrame:
    return cl.load_case_units(level)


@st.cache_data(show_spinner="Gebiedsindeling laden…")
def area_mapping(key: str, level: str, stamp: str) -> dict[str, str]:
    return cov.areas_for(key, level, units.load_table(level))


@st.cache_data(show_spinner="Voorbeelddata maken…")
def example(level: str, area_key: str, months: int, seed: int, stamp: str) -> pd.DataFrame:
    return example_caseload(
        case_units(level, stamp), area_mapping(area_key, level, stamp), months=months, seed=seed
    )


@st.cache_resource(show_spinner="Kaartlaag laden…")
def unit_geojson(level: str, stamp: str) -> dict:
    return units.display_geojson(level)


@st.cache_data
def attribution() -> str:
    return catalog.attribution_line(SOURCES)


def show(value, decimals: int = 0) -> str:
    """Numbers in nl-BE; masked texts ("<5", "–") stay as they are."""
    if isinstance(value, str):
        return value
    return nl.number(value, decimals) if pd.notna(value) else "–"


# --------------------------------------------------------------------------------------------- page
st.title("Caseload: aanmeldingen en belasting per gebied")
st.caption(
    "Hoeveel aanmeldingen komen er per gebied, per 1.000 jongeren en per VTE, hoe evolueert dat, en hoeveel "
    "gezinnen worden buiten hun eigen gebied geholpen?"
)
st.info(
    "**Enkel geaggregeerde aantallen.** Laad per eenheid (postcode, wijk of gemeente) en maand het aantal "
    "aanmeldingen, eventueel per type verwijzer. Bestanden met namen, rijksregisternummers, geboortedata of "
    "adressen worden geweigerd en niet bewaard. Aantallen van 1 tot 4 worden standaard gemaskeerd.",
    icon="🔒",
)

stamp = units.build_stamp()
if stamp is None:
    st.info(
        "Er zijn nog geen gegevens opgebouwd. Voer eerst `make data` uit en herlaad deze pagina.", icon="ℹ️"
    )
    st.stop()

with st.sidebar:
    st.header("Caseload")
    level = st.radio("Eenheden in het bestand", list(LEVELS), format_func=LEVELS.get, key="caseload_level")
    choices = cov.area_choices(level, units.load_table(level))
    area_key = st.selectbox(
        "Gebiedsindeling", list(choices), format_func=choices.get, key=f"caseload_areas_{level}"
    )
    threshold = st.number_input(
        "Overbelast boven (behandelde aanmeldingen per VTE per maand)",
        0.0,
        500.0,
        12.0,
        step=1.0,
        key="caseload_threshold",
    )
    masking = st.toggle("Aantallen onder 5 maskeren", value=True, key="caseload_mask")

table = case_units(level, stamp)
mapping = area_mapping(area_key, level, stamp)
areas = sorted(set(mapping.values()))

source = st.radio(
    "Gegevens",
    ["voorbeeld", "bestand"],
    horizontal=True,
    key="caseload_source",
    format_func={"voorbeeld": "voorbeelddata (gegenereerd)", "bestand": "eigen bestand"}.get,
)
cases = None
is_example = source == "voorbeeld"
if is_example:
    e1, e2 = st.columns(2)
    months = e1.number_input("Maanden", 3, 36, 12, key="caseload_months")
    seed = e2.number_input("Seed (zelfde seed = zelfde voorbeeld)", 0, 10_000, 1, key="caseload_seed")
    cases = example(level, area_key, int(months), int(seed), stamp)
    st.warning(f"Hieronder staat **{cl.EXAMPLE_LABEL}**: geen echte cijfers.", icon="⚠️")
else:
    upload = st.file_uploader(
        "Bestand met aanmeldingen (CSV of XLSX): kolommen eenheid (postcode/wijk/gemeente), maand, "
        "aanmeldingen; optioneel verwijzer en behandelend gebied",
        type=["csv", "xlsx"],
        key="caseload_upload",
    )
    if upload is None:
        st.info("Nog geen bestand geladen. Kies *voorbeelddata* om de pagina te verkennen.", icon="ℹ️")
    else:
        try:
            result = cl.validate_caseload(
                read_caseload(upload.getvalue(), upload.name),
                {level: table["code"].astype(str)},
                level,
                areas,
            )
        except cl.PrivacyError as exc:
            st.error(str(exc), icon="🚫")
            result = None
        except UserFacingError as exc:
            st.error(str(exc))
            result = None
        if result is not None:
            if result.messages:
                frame = pd.DataFrame(
                    {
                        "rij": [m.row for m in result.messages],
                        "soort": [m.level for m in result.messages],
                        "melding": [m.text for m in result.messages],
                    }
                )
                st.dataframe(frame, hide_index=True, width="stretch", key="caseload_messages")
            if not result.ok:
                st.error(f"{len(result.errors)} fout(en): verbeter het bestand; er is niets berekend.")
            elif result.level != level:
                st.error(
                    f"Dit bestand bevat eenheden op niveau {LEVELS[result.level]}: kies dat niveau links."
                )
            else:
                cases = result.cases

if cases is not None and not cases.empty:
    st.subheader("Capaciteit per gebied (VTE)")
    default_cap = example_capacity(table, mapping, seed=int(seed)) if is_example else {}
    cap_file = st.file_uploader(
        "Capaciteit uit een bestand (kolommen gebied en vte), of vul de tabel in",
        type=["csv", "xlsx"],
        key="caseload_capacity_upload",
    )
    if cap_file is not None:
        try:
            cap_table = read_capacity_file(cap_file.getvalue(), cap_file.name)
            from_file, cap_msgs = cl.read_capacity(cap_table, areas)
        except UserFacingError as exc:
            st.error(str(exc))
        else:
            if cap_msgs:
                st.error("Capaciteit: " + "; ".join(str(m) for m in cap_msgs))
            else:
                default_cap = from_file
    cap_frame = pd.DataFrame({"gebied": areas, "vte": [default_cap.get(a, np.nan) for a in areas]})
    cap_edit = st.data_editor(
        cap_frame,
        hide_index=True,
        key=f"caseload_capacity_{area_key}_{is_example}_{cap_file.file_id if cap_file else ''}",
        width="stretch",
        column_config={
            "gebied": st.column_config.TextColumn("Gebied", disabled=True),
            "vte": st.column_config.NumberColumn("VTE", min_value=0.0, step=0.1, format="%.1f"),
        },
    )
    if is_example:
        st.caption(
            "Voorbeeldcapaciteit: ongeveer 2 VTE per 10.000 jongeren, met variatie. Pas ze gerust aan."
        )
    capacity = {a: float(v) for a, v in zip(cap_edit["gebied"], cap_edit["vte"], strict=True) if pd.notna(v)}

    population = dict(zip(table["code"].astype(str), table["pop_0_24"].astype(float), strict=True))
    summary = cl.caseload_summary(cases, mapping, population, capacity, threshold)
    masked = cl.masked_summary(summary, enabled=masking)

    st.subheader("Belasting per gebied")
    n_over = int(summary["overbelast"].sum())
    m1, m2, m3 = st.columns(3)
    m1.metric("Aanmeldingen", nl.number(summary["aanmeldingen"].sum()))
    m2.metric("Maanden", nl.number(summary.attrs["maanden"]))
    m3.metric(
        "Overbelaste gebieden",
        nl.number(n_over),
        help=f"Meer dan {nl.number(threshold, 1)} per VTE per maand",
    )
    shown = pd.DataFrame(
        {
            "Gebied": masked["gebied"],
            "Jongeren <25": masked["doelgroep"].map(show),
            "Aanmeldingen": masked["aanmeldingen"].map(show),
            "Per 1.000 jongeren per jaar": masked["per_1000"].map(lambda v: show(v, 1)),
            "Behandeld": masked["behandeld"].map(show),
            "Naar ander gebied": masked["uitgaand"].map(show),
            "Van ander gebied": masked["inkomend"].map(show),
            "VTE": masked["vte"].map(lambda v: show(v, 1)),
            "Per VTE per maand": masked["per_vte_per_maand"].map(lambda v: show(v, 1)),
            "Overbelast": np.where(summary["overbelast"], "⚠️ ja", ""),
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch", key="caseload_summary")
    st.caption(
        "Per 1.000 jongeren: aanmeldingen van inwoners van het gebied, omgerekend naar een jaar, gedeeld "
        "door het aantal -25-jarigen (2015). Per VTE: aanmeldingen die het gebied zelf behandelde (ook van "
        "elders). "
        + ("Aantallen per wijk zijn schattingen. " if level == "wijk" else "")
        + ("Gemaskeerd: 1-4 als '<5', met de afgeleide cijfers als '–'." if masking else "Masker staat uit.")
    )
    if summary.attrs["zonder_gebied"]:
        st.caption(f"{show(summary.attrs['zonder_gebied'])} aanmeldingen komen uit eenheden zonder gebied.")
    download_pair(masked, "caseload_per_gebied", "caseload_summary_dl")

    st.subheader("Trend per maand")
    monthly = cl.monthly_by_area(cases, mapping)
    top = summary.sort_values("aanmeldingen", ascending=False)["gebied"].head(8).tolist()
    pick = st.multiselect(
        "Gebieden",
        list(monthly.columns),
        default=[a for a in top if a in monthly],
        key="caseload_trend_areas",
    )
    if pick:
        chart = monthly[pick].astype(float)
        if masking:
            chart = chart.mask((chart > 0) & (chart < cl.MASK_THRESHOLD))
        long = chart.reset_index().melt(id_vars="maand", var_name="gebied", value_name="aanmeldingen")
        long["maand"] = long["maand"].map(cl.month_label)
        fig = px.line(long, x="maand", y="aanmeldingen", color="gebied", markers=True)
        fig.update_layout(
            height=360, margin={"l": 10, "r": 10, "t": 10, "b": 10}, separators=",.", legend_title_text=""
        )
        st.plotly_chart(fig, key="caseload_trend")
        tr = cl.trend(monthly[pick])
        st.dataframe(
            pd.DataFrame(
                {
                    "Gebied": tr["gebied"],
                    "Helling (aanmeldingen per maand, per maand)": tr["helling"].map(lambda v: show(v, 2)),
                    "Laatste 3 maanden t.o.v. 3 ervoor": tr["verandering_3m"].map(
                        lambda v: nl.percent(v * 100) if pd.notna(v) else "–"
                    ),
                }
            ),
            hide_index=True,
            width="stretch",
            key="caseload_trend_table",
        )
        if masking:
            st.caption("Maanden met 1-4 aanmeldingen ontbreken in de grafiek (gemaskeerd).")
        download_pair(
            cl.mask_matrix(monthly, enabled=masking).reset_index(),
            "aanmeldingen_per_maand",
            "caseload_monthly_dl",
        )

    if (cases["verwijzer"].fillna("") != "").any():
        st.subheader("Per type verwijzer")
        referrers = cl.mask_matrix(cl.by_referrer(cases, mapping), enabled=masking)
        st.dataframe(referrers.map(show), width="stretch", key="caseload_referrers")
        download_pair(referrers.reset_index(), "aanmeldingen_per_verwijzer", "caseload_referrers_dl")

    st.subheader("Doorverwijzingen tussen gebieden")
    moves = cl.transfers(cases, mapping)
    if moves.empty:
        st.info(
            "Alle aanmeldingen werden in het eigen gebied behandeld (of het bestand geeft geen behandelend "
            "gebied)."
        )
    else:
        st.caption("Rijen: gebied waar het gezin woont; kolommen: gebied dat de aanmelding behandelde.")
        matrix = cl.mask_matrix(cl.transfer_matrix(cases, mapping), enabled=masking)
        st.dataframe(matrix.map(show), width="stretch", key="caseload_matrix")
        download_pair(matrix.reset_index(), "doorverwijzingen", "caseload_matrix_dl")

    if level != "postcode_antwerpen":
        st.subheader("Kaart")
        measure = st.radio(
            "Kleur volgens",
            ["per_vte_per_maand", "per_1000"],
            horizontal=True,
            key="caseload_measure",
            format_func={
                "per_vte_per_maand": "per VTE per maand",
                "per_1000": "per 1.000 jongeren per jaar",
            }.get,
        )
        if not assets_fetch.is_installed():
            st.warning(
                "De kaartbibliotheken staan niet in `static/vendor`: voer `python -m geo.maps.assets` uit."
            )
        else:
            maps.use_local_assets(maps.asset_base_url(st.get_option("server.baseUrlPath")))
            count_col = "behandeld" if measure == "per_vte_per_maand" else "aanmeldingen"
            value = summary[measure].where(~masking | ~summary[count_col].between(1, cl.MASK_THRESHOLD - 1))
            per_area = dict(zip(summary["gebied"], value, strict=True))
            geo = unit_geojson(level, stamp)
            if len(mapping) < 0.9 * len(geo["features"]):
                geo = {
                    **geo,
                    "features": [f for f in geo["features"] if str(f["properties"]["code"]) in mapping],
                }
            with st.spinner("Kaart tekenen…"):
                fmap = maps.choropleth_map(
                    geo,
                    {c: per_area.get(a, np.nan) for c, a in mapping.items()},
                    label="Per VTE per maand" if measure == "per_vte_per_maand" else "Per 1.000 jongeren",
                    fmt=lambda v: nl.number(v, 1),
                    tooltip_fields={"Gebied": dict(mapping)},
                    layer_name="Eenheden",
                    attribution=attribution(),
                )
                partners = load_partners(get_engine())
                if len(partners):
                    shown_partners = (
                        partners if len(partners) <= 600 else pt.filter_partners(partners, funded=True)
                    )
                    pt.add_partner_markers(fmap, pt.within_bounds(shown_partners, maps.bounds(geo)))
                st_folium(fmap, key=f"caseload_map_{level}", returned_objects=[], height=MAP_HEIGHT)
            st.caption(
                "Elke eenheid krijgt de waarde van haar gebied; grijs = geen capaciteit of gemaskeerd. "
                "Partners uit het register kunnen per type aan- en uitgezet worden. " + attribution()
            )
    else:
        st.caption("Voor postcodes bestaat geen kaart (geen postcodegrenzen in de open data).")
