"""The budget page's Streamlit pieces: cached settings and computations, the parameter sidebar, downloads,
formats.

`choose(stamp)` draws the sidebar and returns a `Choice` (setting, `Params` and what the calibration needs);
the page computes with `geo.budget` and shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from geo import fmt as nl
from geo.budget import allocation as al
from geo.budget import calibration as cal
from geo.budget import report
from geo.data import facts
from geo.divisions import store as division_store
from geo.errors import UserFacingError
from geo_app.widgets import XLSX_MIME

WEIGHT_RANGE = {"relatief": (0.0, 3.0, 0.05), "per_kansarm": (0.0, 20.0, 0.25)}
CHART_RANGE = {"relatief": (0.0, 1.5), "per_kansarm": (0.0, 10.0)}  # where the interesting part lies
FORM_SHORT = {"geen": "Geen correctie", "relatief": "Relatief (a)", "per_kansarm": "Per kansarme jongere (b)"}
STORED_LEVELS = ("gemeente", "wijk", "postcode_antwerpen")


@dataclass(frozen=True)
class Fit:
    """The weight that fits the 2021 budgets best, with its error and the error without correction."""

    weight: float
    rmse: float
    rmse_without: float
    curve: pd.DataFrame


@dataclass(frozen=True)
class Choice:
    """What the user chose in the sidebar."""

    key: str
    setting: cal.Setting
    params: al.Params
    brussels_eur: float | None  # the flat amount for Brussels, when it gets one
    weight_key: str  # session key of the weight input (the best-weight button writes there)

    @property
    def weight_label(self) -> str:
        return "Gewicht a" if self.params.form == "relatief" else "Gewicht b"

    @property
    def population_text(self) -> str | None:
        return self.setting.population_texts.get(self.params.population)


# ------------------------------------------------------------------------------------------- cached
@st.cache_data(show_spinner="Gegevens en indeling laden…")
def load_setting(key: str, stamp: str) -> cal.Setting:
    """A built-in setting, or `db:<id>:<version>` for a division saved on the Indelingen page."""
    if key.startswith("db:"):
        division = division_store.open_division(int(key.split(":")[1]))
        return cal.setting_from_division(division, key, f"Opgeslagen: {division.name}")
    return cal.load_setting(key)


@st.cache_data(ttl=15, show_spinner=False)
def stored_divisions() -> dict[str, str]:
    """Saved divisions on a level with counts per unit: `db:<id>:<version>` -> title."""
    try:
        table = division_store.list_divisions()
    except Exception:  # no database yet or not reachable: only the built-in divisions
        return {}
    table = table[table["level"].isin(STORED_LEVELS)]
    return {
        f"db:{row.id}:{row.version}": f"Opgeslagen: {row.name} ({row.n_areas} gebieden)"
        for row in table.itertuples()
    }


@st.cache_data(show_spinner="Beste gewicht zoeken…")
def calibration_2021(population: str, form: str, missing: str, brussels_eur: float | None, stamp: str) -> Fit:
    """The weight fitted on the 2021 SWV table for these choices."""
    swv = cal.load_setting("swv2021")
    carve = (al.brussels_carve_out(brussels_eur),) if brussels_eur is not None else ()
    params = cal.default_params(swv, population=population, form=form, missing=missing, carve_outs=carve)
    prep = al.prepare(swv.units, params, swv.areas)
    fit = cal.calibrate(prep, swv.published, exclude=[facts.BRUSSELS_SWV] if carve else [])
    return Fit(fit.weight, fit.rmse, fit.rmse_without_correction, fit.curve)


@st.cache_data(show_spinner="Gevoeligheid berekenen…")
def sensitivity_table(key: str, params: al.Params, stamp: str) -> pd.DataFrame:
    """Amount per area over a grid of weights around the interesting range."""
    setting = load_setting(key, stamp)
    lo, hi = CHART_RANGE[params.form]
    prep = al.prepare(setting.units, params, setting.areas)
    return al.sensitivity(prep, np.linspace(lo, max(hi, params.weight), 41))


@st.cache_data(max_entries=20, show_spinner=False)
def xlsx_download(key: str, params: al.Params, stamp: str, _sheets: dict[str, pd.DataFrame]) -> bytes:
    """The workbook; `_sheets` follows from (key, params, stamp), so those are the cache key."""
    return report.xlsx_bytes(_sheets)


def fit_for(choice: Choice, stamp: str) -> Fit | None:
    """The 2021 fit for the chosen form (always on the 16 SWVs; Brussels flat unless chosen otherwise)."""
    if choice.params.form == "geen":
        return None
    brussels = choice.brussels_eur if choice.setting.brussels else float(facts.BRUSSELS_FIXED_EUR)
    try:
        return calibration_2021(
            choice.params.population, choice.params.form, choice.params.missing, brussels, stamp
        )
    except UserFacingError as exc:
        st.sidebar.warning(f"Kalibreren lukt niet met deze keuzes: {exc}")
        return None


# ------------------------------------------------------------------------------------------- sidebar
def choose(stamp: str) -> Choice:
    """The parameter sidebar: division, total, population, correction and weight, Brussels, floor and cap."""
    with st.sidebar:
        st.header("Parameters")
        choices = {k: title for k, (_ref, title) in cal.SETTINGS.items()} | stored_divisions()
        if st.session_state.get("budget_indeling") not in choices:
            st.session_state.pop("budget_indeling", None)
        key = st.selectbox(
            "Indeling in gebieden", list(choices), format_func=choices.get, key="budget_indeling"
        )
        try:
            setting = load_setting(key, stamp)
        except UserFacingError as exc:
            st.error(f"Deze indeling kan niet gebruikt worden: {exc}", icon="⛔")
            st.stop()
        total = st.number_input(
            "Totaal budget (EUR)",
            min_value=1,
            value=int(setting.total),
            step=100_000,
            key=f"budget_totaal_{key}",
        )
        population = st.selectbox(
            "Bevolking (leeftijd en bron)",
            cal.available_populations(setting.units),
            format_func=lambda k: setting.population_texts.get(k, al.POPULATIONS[k].label),
            key=f"budget_bevolking_{key}",
        )
        form = st.radio(
            "Correctie voor kansarmoede",
            list(al.FORMS),
            index=1,
            format_func=FORM_SHORT.get,
            key="budget_vorm",
        )
        st.caption(al.FORMS[form])
        weight, weight_key = weight_input(form)
        missing = st.selectbox(
            "Ontbrekende kansarmoede-index",
            list(al.MISSING_POLICIES),
            format_func=al.MISSING_POLICIES.get,
            key="budget_ontbrekend",
            help="Ontbreekt voor Bever, Herstappe en Horebeke (en voor Brussel, buiten de Vlaamse cijfers).",
        )
        brussels_eur = brussels_input(setting)
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
    return Choice(key, setting, params, brussels_eur, weight_key)


def weight_input(form: str) -> tuple[float, str]:
    """The weight of the correction (0 without one) and the session key of its input."""
    weight_key = f"budget_gewicht_{form}"
    if form == "geen":
        return 0.0, weight_key
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
    return float(weight), weight_key


def brussels_input(setting: cal.Setting) -> float | None:
    """The flat amount for Brussels when the setting includes it and the user keeps it."""
    if not setting.brussels or not st.checkbox(
        "Brussel krijgt een vast bedrag", value=True, key="budget_brussel"
    ):
        return None
    return float(
        st.number_input(
            "Vast bedrag Brussel (EUR)",
            min_value=0,
            value=facts.BRUSSELS_FIXED_EUR,
            step=10_000,
            key="budget_brussel_eur",
        )
    )


def calibration_hint(choice: Choice, fit: Fit) -> None:
    """In the sidebar: the best-fitting weight and a button that takes it over."""
    other = (
        ""
        if choice.key == "swv2021"
        else " Dat gewicht is bepaald op gemeenten en het Vlaamse gemiddelde; hier kan het anders uitvallen."
    )
    with st.sidebar:
        form, population = FORM_SHORT[choice.params.form], al.POPULATIONS[choice.params.population].label
        st.caption(
            f"Best passend bij de budgetten 2021 van de 16 samenwerkingsverbanden ({form}, {population} per "
            f"gemeente): gewicht {nl.number(fit.weight, 3)}, RMSE {nl.euro(fit.rmse)} per "
            "samenwerkingsverband." + other
        )
        st.button(
            "Gebruik het best passende gewicht",
            on_click=use_weight,
            args=(choice.weight_key, fit.weight),
            key="budget_kalibreer",
        )


def downloads(
    choice: Choice, alloc: al.Allocation, area_table: pd.DataFrame, unit_table: pd.DataFrame, stamp: str
):
    """XLSX with parameters, per unit and per area; CSV per area and per unit."""
    setting, key = choice.setting, choice.key
    extra = {"Indeling": setting.title}
    for i, text in enumerate(alloc.warnings + setting.notes, start=1):
        extra[f"Opmerking {i}"] = text
    sheets = {
        "Parameters": report.parameter_table(choice.params, extra, choice.population_text),
        f"Per {setting.unit_names[0]}": unit_table,
        "Per gebied": area_table,
    }
    stem, unit = key.replace(":", "_"), setting.unit_names[0]
    d1, d2, d3 = st.columns(3)
    d1.download_button(
        "Download XLSX",
        xlsx_download(key, choice.params, stamp, sheets),
        f"budgetverdeling_{stem}.xlsx",
        XLSX_MIME,
        key="budget_dl_xlsx",
        help="Drie bladen: parameters, per eenheid en per gebied.",
    )
    d2.download_button(
        "Download CSV per gebied",
        report.csv_bytes(area_table),
        f"budget_per_gebied_{stem}.csv",
        "text/csv",
        key="budget_dl_csv",
    )
    d3.download_button(
        f"Download CSV per {unit}",
        report.csv_bytes(unit_table),
        f"budget_per_{unit}_{stem}.csv",
        "text/csv",
        key="budget_dl_csv_units",
    )


def use_weight(state_key: str, value: float) -> None:
    st.session_state[state_key] = round(float(value), 3)


# ------------------------------------------------------------------------------------------- formats
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
