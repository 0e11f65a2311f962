"""The budget page's Streamlit pieces: cached settings and computations, the parameter sidebar, downloads,
formats.

`choose(stamp)` draws the sidebar and returns a `Choice` (setting, `Params` and what the calibration needs);
the page computes with `geo.budget` and shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import streamlit as st

from geo import exports
from geo import fmt as nl
from geo.budget import allocation as al
from geo.budget import calibration as cal
from geo.budget import report, resources
from geo.data import facts
from geo.divisions import store as division_store
from geo.errors import UserFacingError
from geo_app import auth
from geo_app.counts import DEFAULT_COUNTS, CountsChoice
from geo_app.numbers import number_field, set_number
from geo_app.text import md
from geo_app.widgets import XLSX_MIME

WEIGHT_RANGE = {"relatief": (0.0, 3.0, 0.05), "per_kansarm": (0.0, 20.0, 0.25)}
CHART_RANGE = {"relatief": (0.0, 1.5), "per_kansarm": (0.0, 10.0)}  # where the interesting part lies
FORM_SHORT = {"geen": "Geen correctie", "relatief": "Relatief (a)", "per_kansarm": "Per kansarme jongere (b)"}
STORED_LEVELS = ("gemeente", "wijk", "postcode_antwerpen")
#: Starting total per area on the page for resources without a domain default (the user changes it).
PAGE_PER_AREA = {"plaatsen": 10.0, "uren": 100.0}
BRUSSELS_SHARE_PCT = 100.0 * facts.BRUSSELS_FIXED_EUR / facts.BUDGET_TOTAL_2021  # 4 % in 2021


@dataclass(frozen=True)
class Fit:
    """The weight that fits the 2021 budgets best, with its error and the error without correction."""

    weight: float
    rmse: float
    rmse_without: float
    curve: pd.DataFrame
    #: Both objectives side by side (`geo.budget.calibration.objectives_table`, indexed by objective key).
    objectives: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass(frozen=True)
class Choice:
    """What the user chose in the sidebar."""

    key: str
    setting: cal.Setting
    params: al.Params
    brussels_eur: float | None  # the flat amount for Brussels, when it gets one (euros only)
    weight_key: str  # session key of the weight input (the best-weight button writes there)
    counts: CountsChoice = DEFAULT_COUNTS  # population year, indicator and year of the 2021 reference

    @property
    def euro(self) -> bool:
        return self.params.resource == "euro"

    @property
    def weight_label(self) -> str:
        return "Gewicht a" if self.params.form == "relatief" else "Gewicht b"

    @property
    def population_text(self) -> str | None:
        return self.setting.population_texts.get(self.params.population)


# ------------------------------------------------------------------------------------------- cached
@st.cache_data(show_spinner="Gegevens en indeling laden…")
def load_setting(key: str, stamp: str, counts: CountsChoice = DEFAULT_COUNTS) -> cal.Setting:
    """A built-in setting, or `db:<id>:<version>:<workspace>` for a division saved on the Indelingen page
    (the workspace in the key keeps one workspace's cached division from another's users), on the chosen
    population year and indicator (the 2021 SWVs on the year of the 2021 reference)."""
    if key.startswith("db:"):
        division = division_store.open_division(int(key.split(":")[1]), actor=auth.actor())
        return cal.setting_from_division(
            division, key, f"Opgeslagen: {division.name}", counts.year, counts.indicator
        )
    year = counts.reference_year if key == "swv2021" else counts.year
    return cal.load_setting(key, year, counts.indicator)


@st.cache_data(ttl=15, show_spinner=False)
def stored_divisions(workspace: str) -> dict[str, str]:
    """Saved divisions of the workspace on a level with counts per unit: `db:<id>:<version>:<workspace>`
    -> title."""
    try:
        table = division_store.list_divisions(actor=auth.actor())
    except Exception:  # no database yet or not reachable: only the built-in divisions
        return {}
    table = table[table["level"].isin(STORED_LEVELS)]
    return {
        f"db:{row.id}:{row.version}:{workspace}": f"Opgeslagen: {row.name} ({row.n_areas} gebieden)"
        for row in table.itertuples()
    }


@st.cache_data(show_spinner="Beste gewicht zoeken…")
def calibration_2021(
    population: str,
    form: str,
    missing: str,
    brussels_eur: float | None,
    stamp: str,
    counts: CountsChoice = DEFAULT_COUNTS,
) -> Fit:
    """The weight fitted on the 2021 SWV table for these choices (population year of the 2021 reference)."""
    swv = cal.load_setting("swv2021", counts.reference_year, counts.indicator)
    carve = (al.brussels_carve_out(brussels_eur),) if brussels_eur is not None else ()
    params = cal.default_params(swv, population=population, form=form, missing=missing, carve_outs=carve)
    prep = al.prepare(swv.units, params, swv.areas)
    fits = cal.calibrate_both(prep, swv.published, exclude=[facts.BRUSSELS_SWV] if carve else [])
    fit = fits[cal.DEFAULT_OBJECTIVE]
    objectives = cal.objectives_table(fits).set_axis(list(fits))
    return Fit(fit.weight, fit.rmse, fit.rmse_without_correction, fit.curve, objectives)


@st.cache_data(show_spinner="Gevoeligheid berekenen…")
def sensitivity_table(
    key: str, params: al.Params, stamp: str, counts: CountsChoice = DEFAULT_COUNTS
) -> pd.DataFrame:
    """Amount per area over a grid of weights around the interesting range."""
    setting = load_setting(key, stamp, counts)
    lo, hi = CHART_RANGE[params.form]
    prep = al.prepare(setting.units, params, setting.areas)
    return al.sensitivity(prep, np.linspace(lo, max(hi, params.weight), 41))


@st.cache_data(max_entries=20, show_spinner=False)
def xlsx_download(
    key: str,
    params: al.Params,
    stamp: str,
    counts: CountsChoice,
    _sheets: dict[str, pd.DataFrame],
    extra_key: tuple = (),
) -> bytes:
    """The workbook; `_sheets` follows from (key, params, stamp, counts, extra_key), so those are the cache
    key (the population year and indicator change the figures without changing `params`)."""
    return report.xlsx_bytes(_sheets)


def fit_for(choice: Choice, stamp: str) -> Fit | None:
    """The 2021 fit for the chosen form (always on the 16 SWVs; Brussels flat unless chosen otherwise)."""
    if choice.params.form == "geen":
        return None
    fixed = choice.setting.brussels and choice.euro
    brussels = choice.brussels_eur if fixed else float(facts.BRUSSELS_FIXED_EUR)
    try:
        return calibration_2021(
            choice.params.population,
            choice.params.form,
            choice.params.missing,
            brussels,
            stamp,
            choice.counts,
        )
    except UserFacingError as exc:
        st.sidebar.warning(md(f"Kalibreren lukt niet met deze keuzes: {exc}"))
        return None


# ------------------------------------------------------------------------------------------- sidebar
def choose(stamp: str, counts: CountsChoice = DEFAULT_COUNTS) -> Choice:
    """The parameter sidebar: division, total, population, correction and weight, Brussels, floor and cap;
    the counts of ``counts`` (population year, indicator; `geo_app.counts.choose_counts`)."""
    with st.sidebar:
        st.header("Parameters")
        builtin = {k: title for k, (_ref, title) in cal.SETTINGS.items()}
        choices = builtin | stored_divisions(auth.actor().workspace)
        if st.session_state.get("budget_indeling") not in choices:
            st.session_state.pop("budget_indeling", None)
        key = st.selectbox(
            "Indeling in gebieden", list(choices), format_func=choices.get, key="budget_indeling"
        )
        try:
            setting = load_setting(key, stamp, counts)
        except UserFacingError as exc:
            st.error(md(f"Deze indeling kan niet gebruikt worden: {exc}"), icon="⛔")
            st.stop()
        res = resources.RESOURCES[
            st.radio(
                "Wat verdeelt u?",
                list(resources.RESOURCES),
                format_func=lambda k: resources.RESOURCES[k].name,
                horizontal=True,
                key="budget_middel",
                help="Dezelfde formule verdeelt euro's, personeel (VTE), plaatsen of uren, op een stap "
                "afgerond.",
            )
        ]
        total, step = total_input(setting, key, res)
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
        carve, brussels_eur = brussels_input(setting, res)
        with st.expander("Coördinatie, minimum en maximum"):
            coordination = number_field(
                "Vooraf voor coördinatie (%)", 0, key="budget_coord", kind="percent", minimum=0, maximum=50
            )
            floor = bound_input("Minimum", res, step, "budget_minimum")
            cap = bound_input("Maximum", res, step, "budget_maximum")
    params = al.Params(
        total=float(total),
        population=population,
        form=form,
        weight=float(weight),
        missing=missing,
        carve_outs=carve,
        coordination_pct=float(coordination),
        floor=floor,
        cap=cap,
        resource=res.key,
        step=None if res.key == "euro" else step,
    )
    return Choice(key, setting, params, brussels_eur, weight_key, counts)


def total_input(setting: cal.Setting, key: str, res: resources.Resource) -> tuple[float, float]:
    """The total to share and the step, in the resource's unit (euros: the setting's budget, step 1)."""
    if res.key == "euro":
        total = number_field(
            "Totaal budget (EUR)", int(setting.total), key=f"budget_totaal_{key}", kind="euro", minimum=1
        )
        return float(total), 1.0
    decimals = max(res.decimals(), 2 if res.key == "vte" else 0)
    total_slot = st.container()  # the total comes first on screen but needs the step for its limits
    step = float(
        number_field(
            f"Stap ({res.unit})",
            res.default_step,
            key=f"budget_stap_{res.key}",
            minimum=0.01 if res.key == "vte" else 1.0,
            decimals=decimals,
            help="Elk gebied krijgt een veelvoud van deze stap; de delen tellen exact op tot het totaal.",
        )
    )
    k = len(set(setting.areas.values()))
    per_area = res.default_per_area or PAGE_PER_AREA.get(res.key, step)
    total = number_field(
        f"Totaal ({res.unit})",
        float(round(per_area * k, decimals)),
        key=f"budget_totaal_{key}_{res.key}",
        minimum=step,
        decimals=decimals,
        container=total_slot,
        help=f"Vooraf ingevuld: {res.format(per_area)} per gebied × {k} gebieden.",
    )
    return float(total), step


def bound_input(what: str, res: resources.Resource, step: float, key: str) -> float | None:
    """Minimum or maximum per area in the resource's unit (0 or empty = none)."""
    if res.key == "euro":
        value = number_field(
            f"{what} per gebied (EUR, 0 = geen)",
            0,
            key=f"{key}_euro",
            kind="euro",
            minimum=0,
            allow_empty=True,
        )
    else:
        decimals = max(res.decimals(step), 1 if res.key == "vte" else 0)
        value = number_field(
            f"{what} per gebied ({res.unit}, 0 = geen)",
            0.0,
            key=f"{key}_{res.key}",
            minimum=0,
            decimals=decimals,
            allow_empty=True,
        )
    return float(value or 0) or None


def weight_input(form: str) -> tuple[float, str]:
    """The weight of the correction (0 without one) and the session key of its input."""
    weight_key = f"budget_gewicht_{form}"
    if form == "geen":
        return 0.0, weight_key
    lo, hi, _step = WEIGHT_RANGE[form]
    weight = number_field(
        "Gewicht a" if form == "relatief" else "Gewicht b",
        al.DEFAULT_WEIGHTS[form],
        key=weight_key,
        minimum=lo,
        maximum=hi,
        decimals=3,
        help="0 = geen correctie; decimalen met een komma (0,3). Met de knop hieronder kiest u het gewicht "
        "dat het best past bij 2021.",
    )
    return float(weight), weight_key


def brussels_input(
    setting: cal.Setting, res: resources.Resource
) -> tuple[tuple[al.CarveOut, ...], float | None]:
    """Brussels outside the formula when the setting includes it and the user keeps it: a flat amount in
    euros, or for other resources the 2021 share (4 %). Returns the carve-outs and the flat euros."""
    if not setting.brussels:
        return (), None
    if res.key != "euro":
        label = f"Brussel krijgt {nl.percent(BRUSSELS_SHARE_PCT, 0)} (aandeel zoals in 2021)"
        if not st.checkbox(label, value=True, key="budget_brussel_aandeel"):
            return (), None
        share = al.CarveOut(
            "Brussel (aandeel zoals 2021)", "elz57", (facts.BRUSSELS_ELZ,), share_pct=BRUSSELS_SHARE_PCT
        )
        return (share,), None
    if not st.checkbox("Brussel krijgt een vast bedrag", value=True, key="budget_brussel"):
        return (), None
    amount = float(
        number_field(
            "Vast bedrag Brussel (EUR)",
            facts.BRUSSELS_FIXED_EUR,
            key="budget_brussel_eur",
            kind="euro",
            minimum=0,
        )
    )
    return (al.brussels_carve_out(amount),), amount


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
    choice: Choice,
    alloc: al.Allocation,
    area_table: pd.DataFrame,
    unit_table: pd.DataFrame,
    stamp: str,
    extra: tuple[dict[str, pd.DataFrame], tuple] = ({}, ()),
):
    """XLSX with parameters, per unit and per area (plus ``extra``: sheets and what identifies them);
    CSV per area and per unit."""
    setting, key = choice.setting, choice.key
    extra_sheets, extra_key = extra
    notes = {"Indeling": setting.title}
    for i, text in enumerate(alloc.warnings + setting.notes, start=1):
        notes[f"Opmerking {i}"] = text
    sheets = {
        "Parameters": report.parameter_table(choice.params, notes, choice.population_text),
        f"Per {setting.unit_names[0]}": unit_table,
        "Per gebied": area_table,
    } | extra_sheets
    stem, unit = key.replace(":", "_"), setting.unit_names[0]
    d1, d2, d3 = st.columns(3)
    d1.download_button(
        "Download XLSX",
        xlsx_download(key, choice.params, stamp, choice.counts, sheets, extra_key),
        exports.file_name("budgetverdeling", stem, ext="xlsx"),
        XLSX_MIME,
        key="budget_dl_xlsx",
        help="Parameters, per eenheid en per gebied"
        + (" en " + ", ".join(s.lower() for s in extra_sheets) if extra_sheets else "")
        + ".",
    )
    d2.download_button(
        "Download CSV per gebied",
        report.csv_bytes(area_table),
        exports.file_name("budget_per_gebied", stem, ext="csv"),
        "text/csv",
        key="budget_dl_csv",
    )
    d3.download_button(
        f"Download CSV per {unit}",
        report.csv_bytes(unit_table),
        exports.file_name(f"budget_per_{unit}", stem, ext="csv"),
        "text/csv",
        key="budget_dl_csv_units",
    )


def objectives_panel(choice: Choice, fit: Fit) -> None:
    """The two calibration objectives side by side: what each minimises, its weight and both errors, and
    a button that takes its weight over."""
    if fit.objectives.empty:
        return
    st.markdown(
        f"**Twee kalibratiedoelen naast elkaar** (16 samenwerkingsverbanden, gemeenten en zones van 2021, "
        f"bevolking 1 januari {choice.counts.reference_year}):"
    )
    for column, (key, row) in zip(st.columns(len(fit.objectives)), fit.objectives.iterrows(), strict=True):
        with column.container(border=True):
            st.markdown(f"**{row['doel']}**" + (" (in de grafiek)" if key == cal.DEFAULT_OBJECTIVE else ""))
            st.caption(row["uitleg"])
            st.markdown(
                f"Gewicht **{nl.number(row['gewicht'], 3)}** · RMSE {nl.euro(row['rmse_eur'])} per "
                f"samenwerkingsverband · relatieve fout (RMS) {nl.percent(row['rms_pct'])} · grootste "
                f"afwijking {nl.percent(row['max_abs_pct'])}"
            )
            st.button(
                f"Gebruik gewicht {nl.number(row['gewicht'], 3)}",
                on_click=use_weight,
                args=(choice.weight_key, float(row["gewicht"])),
                key=f"budget_kalibreer_{key}",
            )


def use_weight(state_key: str, value: float) -> None:
    set_number(state_key, round(float(value), 3), decimals=3)


# ------------------------------------------------------------------------------------------- formats
def styled(table: pd.DataFrame, params: al.Params | None = None):
    """nl-BE display formats by column name, keeping numbers sortable (amounts of other resources than
    euros in their unit, e.g. `0,4 VTE`, when ``params`` says which)."""
    formats = {}
    for col in table.columns:
        if "EUR per" in col:
            formats[col] = lambda v: nl.euro(v, 2)
        elif "(EUR)" in col:
            formats[col] = nl.euro
        elif "(%)" in col:
            formats[col] = nl.percent
        elif params is not None and f"({params.resource_info.unit})" in col:
            formats[col] = params.amount_text
        elif col in ("Gewicht",) or col.startswith(("Aantal", "Kansarme")) or " per " in col:
            formats[col] = nl.number
    # Streamlit shows missing numbers as "None": columns with gaps are shown as formatted text instead.
    table = table.copy()
    for col, func in list(formats.items()):
        if table[col].isna().any():
            table[col] = table[col].map(func)
            del formats[col]
    return table.style.format(formats)
