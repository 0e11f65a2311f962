"""Budget: de verdeelformule (jongeren + kansarmoede) uitproberen en vergelijken met de budgetten 2021."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st
from streamlit_folium import st_folium

from geo import fmt as nl
from geo.budget import allocation as al
from geo.budget import calibration as cal
from geo.budget import report
from geo.data import catalog, facts, units
from geo.errors import UserFacingError
from geo.maps import assets as assets_fetch
from geo.maps import folium_maps as maps

MAP_HEIGHT = 560
WEIGHT_RANGE = {"relatief": (0.0, 3.0, 0.05), "per_kansarm": (0.0, 20.0, 0.25)}
CHART_RANGE = {"relatief": (0.0, 1.5), "per_kansarm": (0.0, 10.0)}  # where the interesting part lies
FORM_SHORT = {"geen": "Geen correctie", "relatief": "Relatief (a)", "per_kansarm": "Per kansarme jongere (b)"}
SOURCES = ("statbel", "stadsmonitor", "vaccinnet", "gebiedsniveaus", "1g1p")


# ------------------------------------------------------------------------------------------- loading


@st.cache_data(show_spinner="Gegevens en indeling laden…")
def load_setting(key: str, stamp: str) -> cal.Setting:
    """A built-in setting, or `db:<id>:<version>` for a division saved on the Indelingen page."""
    if key.startswith("db:"):
        from geo.divisions import store as division_store

        division = division_store.open_division(int(key.split(":")[1]))
        return cal.setting_from_division(division, key, f"Opgeslagen: {division.name}")
    return cal.load_setting(key)


@st.cache_data(ttl=15, show_spinner=False)
def stored_divisions() -> dict[str, str]:
    """Saved divisions on a level with counts per unit: `db:<id>:<version>` -> title."""
    from geo.divisions import store as division_store

    try:
        table = division_store.list_divisions()
    except Exception:  # no database yet or not reachable: only the built-in divisions
        return {}
    table = table[table["level"].isin(["gemeente", "wijk", "postcode_antwerpen"])]
    return {
        f"db:{row.id}:{row.version}": f"Opgeslagen: {row.name} ({row.n_areas} gebieden)"
        for row in table.itertuples()
    }


@st.cache_resource(show_spinner="Kaartlagen laden…")
def load_geojson(level: str, stamp: str) -> dict:
    return units.display_geojson(level)


@st.cache_data(show_spinner="Beste gewicht zoeken…")
def calibration_2021(population: str, form: str, missing: str, brussels_eur: float | None, stamp: str):
    """Fit on the 2021 SWV table; returns (weight, rmse, rmse without correction, curve, comparison)."""
    swv = cal.load_setting("swv2021")
    carve = (al.brussels_carve_out(brussels_eur),) if brussels_eur is not None else ()
    params = cal.default_params(swv, population=population, form=form, missing=missing, carve_outs=carve)
    prep = al.prepare(swv.units, params, swv.areas)
    exclude = [facts.BRUSSELS_SWV] if carve else []
    fit = cal.calibrate(prep, swv.published, exclude=exclude)
    return fit.weight, fit.rmse, fit.rmse_without_correction, fit.curve, fit.comparison.table


@st.cache_data(show_spinner="Gevoeligheid berekenen…")
def sensitivity_table(key: str, params: al.Params, stamp: str) -> pd.DataFrame:
    setting = load_setting(key, stamp)
    lo, hi = CHART_RANGE[params.form]
    hi = max(hi, params.weight)
    prep = al.prepare(setting.units, params, setting.areas)
    return al.sensitivity(prep, np.linspace(lo, hi, 41))


@st.cache_data(max_entries=20, show_spinner=False)
def xlsx_download(key: str, params: al.Params, stamp: str, _sheets: dict[str, pd.DataFrame]) -> bytes:
    """The workbook; `_sheets` follows from (key, params, stamp), so those are the cache key."""
    return report.xlsx_bytes(_sheets)


@st.cache_data
def attribution() -> str:
    return catalog.attribution_line(SOURCES)


def use_best_weight(state_key: str, value: float) -> None:
    st.session_state[state_key] = round(float(value), 3)


# --------------------------------------------------------------------------------------- formatting
def styled(table: pd.DataFrame):
    """nl-BE display formats by column name, keeping numbers sortable."""
    formats = {}
    for col in table.columns:
        if "EUR per" in col:
            formats[col] = lambda v: nl.euro(v, 2)
        elif "(EUR)" in col:
            formats[col] = nl.euro
        elif "(%)" in col:
            formats[col] = nl.percent
        elif col in ("Gewicht",) or col.startswith("Aantal") or col.startswith("Kansarme"):
            formats[col] = nl.number
    # Streamlit shows missing numbers as "None": columns with gaps are shown as formatted text instead.
    table = table.copy()
    for col, func in list(formats.items()):
        if table[col].isna().any():
            table[col] = table[col].map(func)
            del formats[col]
    return table.style.format(formats)


# --------------------------------------------------------------------------------------------- page
st.title("Budgetverdeling: de formule uitproberen")
st.caption(
    "Officiële regel (oproep 2020): het totale budget werd over alle gemeenten verdeeld volgens het aantal "
    "jongeren onder 25 met een correctie voor kansarmoede, daarna opgeteld per eerstelijnszone; elk "
    "samenwerkingsverband is een groep aaneensluitende eerstelijnszones. De precieze correctie is niet "
    "gepubliceerd: hier kiest u ze zelf en ziet u hoe dicht dat bij de budgetten van 2021 komt."
)

stamp = units.build_stamp()
if stamp is None:
    st.info(
        "Er zijn nog geen gegevens opgebouwd. Voer eerst `make data` uit (of `python -m geo data build`) "
        "en herlaad deze pagina.",
        icon="ℹ️",
    )
    st.stop()

# --- Parameters (sidebar) -----------------------------------------------------------------------------
with st.sidebar:
    st.header("Parameters")
    choices = {k: title for k, (_ref, title) in cal.SETTINGS.items()} | stored_divisions()
    if st.session_state.get("budget_indeling") not in choices:
        st.session_state.pop("budget_indeling", None)
    key = st.selectbox("Indeling in gebieden", list(choices), format_func=choices.get, key="budget_indeling")
    try:
        setting = load_setting(key, stamp)
    except UserFacingError as exc:
        st.error(f"Deze indeling kan niet gebruikt worden: {exc}", icon="⛔")
        st.stop()
    total = st.number_input(
        "Totaal budget (EUR)", min_value=1, value=int(setting.total), step=100_000, key=f"budget_totaal_{key}"
    )
    pops = cal.available_populations(setting.units)
    population = st.selectbox(
        "Bevolking (leeftijd en bron)",
        pops,
        format_func=lambda k: setting.population_texts.get(k, al.POPULATIONS[k].label),
        key=f"budget_bevolking_{key}",
    )
    form = st.radio(
        "Correctie voor kansarmoede", list(al.FORMS), index=1, format_func=FORM_SHORT.get, key="budget_vorm"
    )
    st.caption(al.FORMS[form])
    weight = 0.0
    weight_key = f"budget_gewicht_{form}"
    if form != "geen":
        lo, hi, step = WEIGHT_RANGE[form]
        st.session_state.setdefault(weight_key, al.DEFAULT_WEIGHTS[form])
        weight = st.number_input(
            "Gewicht a" if form == "relatief" else "Gewicht b",
            min_value=lo,
            max_value=hi,
            step=step,
            format="%.3f",
            key=weight_key,
            help="0 = geen correctie. Met de knop hieronder kiest u het gewicht dat het best past bij 2021.",
        )
    missing = st.selectbox(
        "Ontbrekende kansarmoede-index",
        list(al.MISSING_POLICIES),
        format_func=al.MISSING_POLICIES.get,
        key="budget_ontbrekend",
        help="Ontbreekt voor Bever, Herstappe en Horebeke (en voor Brussel, buiten de Vlaamse cijfers).",
    )
    brussels_eur: float | None = None
    if setting.brussels:
        if st.checkbox("Brussel krijgt een vast bedrag", value=True, key="budget_brussel"):
            brussels_eur = float(
                st.number_input(
                    "Vast bedrag Brussel (EUR)",
                    min_value=0,
                    value=facts.BRUSSELS_FIXED_EUR,
                    step=10_000,
                    key="budget_brussel_eur",
                )
            )
    with st.expander("Coördinatie, minimum en maximum"):
        coordination = st.number_input(
            "Vooraf voor coördinatie (%)",
            min_value=0.0,
            max_value=50.0,
            value=0.0,
            step=0.5,
            key="budget_coord",
        )
        floor = st.number_input("Minimum per gebied (EUR, 0 = geen)", min_value=0, value=0, step=50_000)
        cap = st.number_input("Maximum per gebied (EUR, 0 = geen)", min_value=0, value=0, step=50_000)

params = al.Params(
    total=float(total),
    population=population,
    form=form,
    weight=float(weight),
    missing=missing,
    carve_outs=(al.brussels_carve_out(brussels_eur),) if brussels_eur is not None else (),
    coordination_pct=float(coordination),
    floor=float(floor) or None,
    cap=float(cap) or None,
)
population_text = setting.population_texts.get(population)

# --- Compute ------------------------------------------------------------------------------------------
try:
    alloc = al.allocate(setting.units, params, setting.areas)
except UserFacingError as exc:
    st.error(f"Deze keuze kan niet berekend worden: {exc}", icon="⛔")
    st.stop()

comparison = None
if setting.published is not None:
    area_eur = alloc.areas.set_index("gebied")["eur"]
    comparison = cal.compare(
        area_eur, setting.published, exclude=[facts.BRUSSELS_SWV] if alloc.carved_eur else []
    )

fit = None
if form != "geen":
    try:
        # Always fitted on the 16 SWVs (municipalities); Brussels flat unless the user includes it here.
        fit_brussels = brussels_eur if setting.brussels else float(facts.BRUSSELS_FIXED_EUR)
        fit = calibration_2021(population, form, missing, fit_brussels, stamp)
    except UserFacingError as exc:
        st.sidebar.warning(f"Kalibreren lukt niet met deze keuzes: {exc}")
    if fit is not None:
        with st.sidebar:
            st.caption(
                f"Best passend bij de budgetten 2021 van de 16 samenwerkingsverbanden ({FORM_SHORT[form]}, "
                f"{al.POPULATIONS[population].label} per gemeente): gewicht {nl.number(fit[0], 3)}, RMSE "
                f"{nl.euro(fit[1])} per samenwerkingsverband."
                + (
                    ""
                    if key == "swv2021"
                    else " Dat gewicht is bepaald op gemeenten en het Vlaamse gemiddelde; hier kan het "
                    "anders uitvallen."
                )
            )
            st.button(
                "Gebruik het best passende gewicht",
                on_click=use_best_weight,
                args=(weight_key, fit[0]),
                key="budget_kalibreer",
            )

for note in setting.notes:
    st.info(note, icon="ℹ️")
for warning in alloc.warnings:
    st.warning(warning, icon="⚠️")

# --- Key figures --------------------------------------------------------------------------------------
who = report.population_label(population)
one = report.population_label(population, singular=True)
figures = [
    ("Totaal budget", nl.euro(alloc.total_eur), None),
    (
        "Via de formule",
        nl.euro(alloc.formula_eur),
        f"Verdeeld over {int((alloc.units['vast_bedrag'] == '').sum())} "
        f"{setting.unit_names[1]} volgens de formule.",
    ),
]
if alloc.carved_eur:
    figures.append(("Vaste bedragen", nl.euro(sum(alloc.carved_eur.values())), ", ".join(alloc.carved_eur)))
if alloc.coordination_eur:
    figures.append(("Coördinatie (vooraf)", nl.euro(alloc.coordination_eur), None))
for col, (label, value, help_text) in zip(st.columns(4), figures, strict=False):
    col.metric(label, value, help=help_text)
if comparison is not None:
    c1, c2, c3, _ = st.columns(4)
    c1.metric(
        "Afwijking t.o.v. 2021 (RMSE)",
        nl.euro(comparison.rmse),
        help="Wortel van de gemiddelde kwadratische afwijking per samenwerkingsverband (zonder vast bedrag).",
    )
    c2.metric("Gemiddelde afwijking", nl.euro(comparison.mae), help="Gemiddelde absolute afwijking per SWV.")
    c3.metric("Grootste afwijking", nl.percent(comparison.max_abs_pct))

# --- Plain-language explanation -----------------------------------------------------------------------
st.subheader("Zo werkt deze verdeling")
areas_sorted = alloc.areas.sort_values("eur", ascending=False)["gebied"].tolist()
default_example = next(
    (a for a in ("Groot Antwerpen", "Antwerpen 2060") if a in areas_sorted),
    areas_sorted[0],
)
example = st.selectbox(
    "Licht dit gebied toe",
    areas_sorted,
    index=areas_sorted.index(default_example),
    key=f"budget_voorbeeld_{key}",
)
paragraphs = report.explanation(alloc, example, setting.published, setting.unit_names, population_text)
with st.container(border=True):
    for text in paragraphs:
        st.markdown(text)

# --- Table per area + downloads -----------------------------------------------------------------------
st.subheader("Bedrag per gebied")
area_table = report.area_table_nl(
    alloc, comparison=comparison.table if comparison else None, evidence=setting.evidence
)
st.dataframe(
    styled(area_table), hide_index=True, width="stretch", height=min(35 * (len(area_table) + 1) + 3, 640)
)
unit_label = setting.unit_names[0].capitalize()
unit_table = report.unit_table_nl(alloc, unit_label)
extra = {"Indeling": setting.title}
for i, text in enumerate(alloc.warnings + setting.notes, start=1):
    extra[f"Opmerking {i}"] = text
sheets = {
    "Parameters": report.parameter_table(params, extra, population_text),
    f"Per {setting.unit_names[0]}": unit_table,
    "Per gebied": area_table,
}
d1, d2, d3 = st.columns(3)
d1.download_button(
    "Download XLSX",
    xlsx_download(key, params, stamp, sheets),
    file_name=f"budgetverdeling_{key.replace(':', '_')}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="budget_dl_xlsx",
    help="Drie bladen: parameters, per eenheid en per gebied.",
)
d2.download_button(
    "Download CSV per gebied",
    report.csv_bytes(area_table),
    file_name=f"budget_per_gebied_{key.replace(':', '_')}.csv",
    mime="text/csv",
    key="budget_dl_csv",
)
d3.download_button(
    f"Download CSV per {setting.unit_names[0]}",
    report.csv_bytes(unit_table),
    file_name=f"budget_per_{setting.unit_names[0]}_{key.replace(':', '_')}.csv",
    mime="text/csv",
    key="budget_dl_csv_units",
)
st.caption(attribution())

# --- Map ----------------------------------------------------------------------------------------------
st.subheader(f"Bedrag per {one}")
per_area = alloc.areas.set_index("gebied")
if setting.level == "gemeente":
    colour_by = st.radio(
        "Kleur volgens",
        ["gebied", "gemeente"],
        horizontal=True,
        key="budget_kaart_kleur",
        format_func=lambda k: (
            f"bedrag per {one} van het gebied" if k == "gebied" else f"bedrag per {one} per gemeente"
        ),
    )
    u = alloc.units
    colour_by_area = colour_by == "gebied"
    if colour_by_area:
        values = dict(zip(u["code"], u["gebied"].map(per_area["eur_per_jongere"]), strict=True))
    else:
        values = dict(zip(u["code"], u["eur_per_jongere"], strict=True))
    tooltip = {
        "Gebied": dict(zip(u["code"], u["gebied"], strict=True)),
        "Bedrag gebied": dict(zip(u["code"], u["gebied"].map(per_area["eur"]).map(nl.euro), strict=True)),
        "Bedrag gemeente": dict(zip(u["code"], u["eur"].map(nl.euro), strict=True)),
    }
    map_level, borders = "gemeente", "elz57"
elif setting.level == "wijk":
    zone_of_area = setting.units.assign(gebied=setting.units["code"].map(setting.areas)).groupby("gebied")[
        "elz"
    ]
    if zone_of_area.nunique().max() == 1:
        code_of_area = zone_of_area.first()
        values = {code_of_area[a]: v for a, v in per_area["eur_per_jongere"].items()}
        tooltip = {"Bedrag": {code_of_area[a]: nl.euro(v) for a, v in per_area["eur"].items()}}
        map_level, borders, colour_by_area = "elz", None, True
    else:
        map_level = None
else:
    map_level = None

if map_level is None:
    st.info(
        "Voor deze indeling is er geen kaart (postcodes hebben geen grenzen in de open data). "
        "De grafiek hieronder toont wat de correctie per gebied verschuift.",
        icon="ℹ️",
    )
elif not assets_fetch.is_installed():
    st.warning(
        "De kaartbibliotheken (Leaflet) staan niet in `static/vendor`. Voer `python -m geo.maps.assets` uit.",
        icon="⚠️",
    )
else:
    maps.use_local_assets(maps.asset_base_url(st.get_option("server.baseUrlPath")))
    with st.spinner("Kaart tekenen…"):
        fmap = maps.choropleth_map(
            load_geojson(map_level, stamp),
            values,
            label=f"EUR per {one}",
            fmt=lambda v: nl.euro(v, 2),
            breaks=maps.class_breaks(per_area["eur_per_jongere"].dropna()) if colour_by_area else None,
            tooltip_fields=tooltip,
            borders_geojson=load_geojson(borders, stamp) if borders else None,
            layer_name="Gemeenten" if map_level == "gemeente" else "Eerstelijnszones",
        )
        st_folium(
            fmap, key=f"budget_map_{key}", returned_objects=[], height=MAP_HEIGHT, use_container_width=True
        )
    st.caption(
        "Grijs: geen bedrag per jongere (bijv. Brussel met een vast bedrag en een bevolking die in deze bron "
        "ontbreekt). " + attribution()
    )

# --- What the correction shifts ----------------------------------------------------------------------
if form != "geen":
    st.subheader("Wat verschuift de correctie?")
    prep = al.prepare(setting.units, params, setting.areas)
    shift = al.correction_shift(prep).sort_values("verschil_pp")
    fig = px.bar(
        shift,
        x="verschil_pp",
        y="gebied",
        orientation="h",
        labels={"verschil_pp": "Verschil in aandeel (procentpunt)", "gebied": ""},
        custom_data=["aandeel_zonder_pct", "aandeel_met_pct", "verschil_eur"],
        color=np.where(shift["verschil_pp"] >= 0, "wint", "verliest"),
        color_discrete_map={"wint": "#2c7fb8", "verliest": "#d95f0e"},
    )
    fig.update_traces(
        hovertemplate="%{y}<br>zonder correctie %{customdata[0]:.2f} %"
        "<br>met correctie %{customdata[1]:.2f} %"
        "<br>verschil € %{customdata[2]:,.0f}<extra></extra>"
    )
    fig.update_layout(
        height=max(300, 22 * len(shift) + 80),
        showlegend=False,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        separators=",.",
    )
    st.plotly_chart(fig, width="stretch", key="budget_shift")
    st.caption(
        f"Aandeel in het formulebudget met {FORM_SHORT[form].lower()} = {nl.number(weight, 3)} tegenover "
        "zonder correctie (gewicht 0)."
    )

    # --- Sensitivity ----------------------------------------------------------------------------------
    st.subheader("Gevoeligheid: bedrag per gebied naargelang het gewicht")
    sens = sensitivity_table(key, params, stamp)
    fig = px.line(
        sens,
        x="gewicht_param",
        y="eur",
        color="gebied",
        labels={"gewicht_param": "Gewicht a" if form == "relatief" else "Gewicht b", "eur": "Bedrag (EUR)"},
    )
    fig.add_vline(
        x=weight,
        line_dash="dash",
        line_color="#444",
        annotation_text="huidige keuze",
        annotation_position="top left",
    )
    if fit is not None:
        fig.add_vline(
            x=fit[0],
            line_dash="dot",
            line_color="#2ca02c",
            annotation_text="best bij 2021",
            annotation_position="top right",
        )
    fig.update_layout(height=480, separators=",.", legend_title_text="", margin={"t": 30})
    st.plotly_chart(fig, width="stretch", key="budget_sens")

# --- Comparison with 2021 and calibration -------------------------------------------------------------
if comparison is not None:
    st.subheader("Vergelijking met de budgetten 2021")
    comp = comparison.table.sort_values("gepubliceerd", ascending=False)
    fig = go.Figure()
    fig.add_bar(x=comp["gebied"], y=comp["gepubliceerd"], name="Gepubliceerd 2021", marker_color="#bbbbbb")
    fig.add_bar(x=comp["gebied"], y=comp["berekend"], name="Berekend", marker_color="#2c7fb8")
    fig.update_layout(barmode="group", height=420, separators=",.", yaxis_title="EUR", margin={"t": 20})
    st.plotly_chart(fig, width="stretch", key="budget_vergelijking")
    st.markdown(
        f"RMSE {nl.euro(comparison.rmse)} · gemiddelde afwijking {nl.euro(comparison.mae)} · som van de "
        f"absolute afwijkingen {nl.euro(comparison.total_abs)} · grootste afwijking "
        f"{nl.percent(comparison.max_abs_pct)} (Sonja Erteejee telt niet mee als Brussel een vast "
        "bedrag krijgt)."
    )
    st.warning(
        "Let op: welke eerstelijnszones in 2021 bij welk samenwerkingsverband hoorden, is voor een groot "
        "deel een reconstructie (kolom ‘Samenstelling 2021’). Een afwijking kan dus ook van de "
        "samenstelling komen.",
        icon="⚠️",
    )
    if fit is not None:
        st.markdown("**Kalibratie:** het gewicht met de kleinste afwijking ten opzichte van 2021.")
        curve = fit[3]
        fig = px.line(
            curve,
            x="gewicht_param",
            y="rmse",
            labels={
                "gewicht_param": "Gewicht a" if form == "relatief" else "Gewicht b",
                "rmse": "RMSE (EUR)",
            },
        )
        fig.add_vline(
            x=fit[0],
            line_dash="dot",
            line_color="#2ca02c",
            annotation_text=f"best: {nl.number(fit[0], 3)}",
            annotation_position="top right",
        )
        fig.add_vline(
            x=weight,
            line_dash="dash",
            line_color="#444",
            annotation_text="huidige keuze",
            annotation_position="top left",
        )
        fig.update_layout(height=340, separators=",.", margin={"t": 30})
        fig.update_xaxes(range=[0, max(CHART_RANGE[form][1], weight)])
        st.plotly_chart(fig, width="stretch", key="budget_kalibratie")
        st.caption(
            f"Beste gewicht {nl.number(fit[0], 3)}: RMSE {nl.euro(fit[1])} per samenwerkingsverband, "
            "tegenover "
            f"{nl.euro(fit[2])} zonder correctie."
        )
    if setting.evidence is not None:
        with st.expander("Samenstelling van de samenwerkingsverbanden 2021"):
            shown = setting.evidence.rename(
                columns={
                    "gebied": "Samenwerkingsverband",
                    "eerstelijnszones": "Eerstelijnszones",
                    "aantal_elz": "Aantal",
                    "afgeleid": "Waarvan afgeleid",
                    "samenstelling": "Samenstelling",
                }
            )
            st.dataframe(shown, hide_index=True, width="stretch")
    st.caption("Bron budgetten: Vlaams Parlement, schriftelijke vraag 237 (2022), toestand 1 januari 2021.")

# --- Per unit -----------------------------------------------------------------------------------------
with st.expander(f"Tabel per {setting.unit_names[0]}"):
    st.dataframe(styled(unit_table), hide_index=True, width="stretch")
