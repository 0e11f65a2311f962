"""Budget: de verdeelformule (jongeren + kansarmoede) uitproberen voor euro's of personeel, vergelijken met de
budgetten 2021 en met een gelijke verdeling, en een overgangspad naar de formule."""

from __future__ import annotations

import streamlit as st

from geo import fmt as nl
from geo.budget import allocation as al
from geo.budget import calibration as cal
from geo.budget import report
from geo.data import facts
from geo.errors import UserFacingError
from geo.maps import folium_maps as maps
from geo_app import budget_sections as sections
from geo_app import budget_settings, charts
from geo_app.budget import (
    CHART_RANGE,
    FORM_SHORT,
    Choice,
    Fit,
    calibration_hint,
    choose,
    downloads,
    fit_for,
    objectives_panel,
    sensitivity_table,
    styled,
)
from geo_app.counts import choose_counts
from geo_app.loaders import attribution, code_to
from geo_app.unit_map import choropleth_map
from geo_app.widgets import require_build

SOURCES = ("statbel", "stadsmonitor", "vaccinnet", "gebiedsniveaus", "1g1p")
EXAMPLE_AREAS = ("Groot Antwerpen", "Antwerpen 2060")
BORDER_NOTE = "Dikke lijnen: de eerstelijnszones. "


def key_figures(alloc: al.Allocation, setting: cal.Setting, comparison: cal.Comparison | None) -> None:
    n_formula = int((alloc.units["vast_bedrag"] == "").sum())

    def amount(steps: int) -> str:
        return alloc.params.amount_text(alloc.quantity(steps))

    figures = [
        ("Totaal budget" if alloc.resource.key == "euro" else "Totaal", amount(alloc.total_eur), None),
        (
            "Via de formule",
            amount(alloc.formula_eur),
            f"Verdeeld over {n_formula} {setting.unit_names[1]} volgens de formule.",
        ),
    ]
    if alloc.carved_eur:
        figures.append(("Vaste delen", amount(sum(alloc.carved_eur.values())), ", ".join(alloc.carved_eur)))
    if alloc.coordination_eur:
        figures.append(("Coördinatie (vooraf)", amount(alloc.coordination_eur), None))
    for col, (label, value, help_text) in zip(st.columns(4), figures, strict=False):
        col.metric(label, value, help=help_text)
    if comparison is not None:
        c1, c2, c3, _ = st.columns(4)
        c1.metric(
            "Afwijking t.o.v. 2021 (RMSE)",
            nl.euro(comparison.rmse),
            help="Wortel van de gemiddelde kwadratische afwijking per samenwerkingsverband "
            "(zonder vast bedrag).",
        )
        c2.metric(
            "Gemiddelde afwijking", nl.euro(comparison.mae), help="Gemiddelde absolute afwijking per SWV."
        )
        c3.metric("Grootste afwijking", nl.percent(comparison.max_abs_pct))


def explanation(alloc: al.Allocation, choice: Choice) -> None:
    st.subheader("Zo werkt deze verdeling")
    areas = alloc.areas.sort_values("eur", ascending=False)["gebied"].tolist()
    default = next((a for a in EXAMPLE_AREAS if a in areas), areas[0])
    example = st.selectbox(
        "Licht dit gebied toe", areas, index=areas.index(default), key=f"budget_voorbeeld_{choice.key}"
    )
    setting = choice.setting
    paragraphs = report.explanation(
        alloc, example, setting.published, setting.unit_names, choice.population_text
    )
    with st.container(border=True):
        for text in paragraphs:
            st.markdown(text)


def tables_and_downloads(alloc: al.Allocation, choice: Choice, comparison, stamp: str, extra):
    """The table per area, the three downloads (``extra``: more XLSX sheets); returns the table per unit."""
    setting = choice.setting
    st.subheader("Bedrag per gebied" if choice.euro else f"{choice.params.resource_info.name} per gebied")
    when = setting.count_year(choice.params.population)
    area_table = report.area_table_nl(
        alloc, comparison=comparison.table if comparison else None, evidence=setting.evidence, when=when
    )
    height = min(35 * (len(area_table) + 1) + 3, 640)
    st.dataframe(styled(area_table, choice.params), hide_index=True, width="stretch", height=height)
    unit_table = report.unit_table_nl(alloc, setting.unit_names[0].capitalize(), when)
    downloads(choice, alloc, area_table, unit_table, stamp, extra)
    st.caption(attribution(SOURCES))
    return unit_table


def amount_map(alloc: al.Allocation, choice: Choice, stamp: str) -> None:
    one = report.population_label(choice.params.population, singular=True)
    st.subheader(f"Bedrag per {one}")
    setting, by_area = choice.setting, True
    if setting.level == "gemeente":
        colour_by = st.radio(
            "Kleur volgens",
            ["gebied", "gemeente"],
            horizontal=True,
            key="budget_kaart_kleur",
            format_func=lambda k: (
                f"bedrag per {one} " + ("van het gebied" if k == "gebied" else "per gemeente")
            ),
        )
        by_area = colour_by == "gebied"
    shown = report.amount_map(alloc, setting.level, setting.units, setting.areas, by_area=by_area)
    if shown is None:
        st.info(
            "Voor deze indeling is er geen kaart (postcodes hebben geen grenzen in de open data). "
            "De grafiek hieronder toont wat de correctie per gebied verschuift.",
            icon="ℹ️",
        )
        return
    choropleth_map(
        shown.level,
        stamp,
        shown.values,
        key=f"budget_map_{choice.key}",
        label=f"EUR per {one}",
        fmt=lambda v: nl.euro(v, 2),
        breaks=maps.class_breaks(shown.area_values) if shown.area_values is not None else None,
        tooltip_fields=shown.tooltip,
        borders=code_to(shown.level, shown.borders, stamp) if shown.borders else None,
        attribution=(
            "Grijs: geen bedrag per jongere (bijv. Brussel met een vast bedrag en een bevolking die in deze "
            "bron ontbreekt). " + (BORDER_NOTE if shown.borders else "") + attribution(SOURCES)
        ),
    )


def correction_charts(choice: Choice, fit: Fit | None, stamp: str) -> None:
    params, setting = choice.params, choice.setting
    st.subheader("Wat verschuift de correctie?")
    shift = al.correction_shift(al.prepare(setting.units, params, setting.areas))
    st.altair_chart(charts.correction_shift(shift), width="stretch", key="budget_shift")
    st.caption(
        f"Aandeel in het formulebudget met {FORM_SHORT[params.form].lower()} = {nl.number(params.weight, 3)} "
        "tegenover zonder correctie (gewicht 0)."
    )
    st.subheader("Gevoeligheid: wat elk gebied krijgt naargelang het gewicht")
    sens = sensitivity_table(choice.key, params, stamp, choice.counts)
    sens = sens.assign(eur=sens["eur"] * params.step_size)  # whole steps -> the resource's unit
    label = report.amount_header(params).replace("Toegekend", "Aandeel")
    fig = charts.sensitivity(sens, choice.weight_label, params.weight, fit.weight if fit else None, label)
    st.altair_chart(fig, width="stretch", key="budget_sens")


def comparison_2021(comparison: cal.Comparison, choice: Choice, fit: Fit | None) -> None:
    st.subheader("Vergelijking met de budgetten 2021")
    st.altair_chart(
        charts.published_vs_computed(comparison.table), width="stretch", key="budget_vergelijking"
    )
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
        weight = choice.params.weight
        st.markdown("**Kalibratie:** het gewicht met de kleinste afwijking ten opzichte van 2021.")
        x_max = max(CHART_RANGE[choice.params.form][1], weight)
        fig = charts.calibration_curve(
            fit.curve, choice.weight_label, weight, fit.weight, f"best: {nl.number(fit.weight, 3)}", x_max
        )
        st.altair_chart(fig, width="stretch", key="budget_kalibratie")
        st.caption(
            f"Beste gewicht {nl.number(fit.weight, 3)}: RMSE {nl.euro(fit.rmse)} per samenwerkingsverband, "
            f"tegenover {nl.euro(fit.rmse_without)} zonder correctie."
        )
        objectives_panel(choice, fit)
    evidence = choice.setting.evidence
    if evidence is not None:
        with st.expander("Samenstelling van de samenwerkingsverbanden 2021"):
            titles = {
                "gebied": "Samenwerkingsverband",
                "eerstelijnszones": "Eerstelijnszones",
                "aantal_elz": "Aantal",
            }
            titles |= {"afgeleid": "Waarvan afgeleid", "samenstelling": "Samenstelling"}
            st.dataframe(evidence.rename(columns=titles), hide_index=True, width="stretch")
    st.caption("Bron budgetten: Vlaams Parlement, schriftelijke vraag 237 (2022), toestand 1 januari 2021.")


# ------------------------------------------------------------------------------------------- page
st.title("Budgetverdeling: de formule uitproberen")
st.caption(
    "Officiële regel (oproep 2020): het totale budget werd over alle gemeenten verdeeld volgens het aantal "
    "jongeren onder 25 met een correctie voor kansarmoede, daarna opgeteld per eerstelijnszone; elk "
    "samenwerkingsverband is een groep aaneensluitende eerstelijnszones. De precieze correctie is niet "
    "gepubliceerd: hier kiest u ze zelf en ziet u hoe dicht dat bij de budgetten van 2021 komt."
)
stamp = require_build()
settings_box = budget_settings.start()
choice = choose(stamp, choose_counts(reference_2021=True))
budget_settings.panel(settings_box, choice)
setting, params = choice.setting, choice.params

try:
    alloc = al.allocate(setting.units, params, setting.areas)
except UserFacingError as exc:
    st.error(f"Deze keuze kan niet berekend worden: {exc}", icon="⛔")
    st.stop()
comparison = None
if setting.published is not None and choice.euro:
    exclude = [facts.BRUSSELS_SWV] if alloc.carved_eur else []
    comparison = cal.compare(alloc.areas.set_index("gebied")["eur"], setting.published, exclude=exclude)
fit = fit_for(choice, stamp)
if fit is not None:
    calibration_hint(choice, fit)
transition = sections.transition_inputs(choice)
path = sections.compute_path(alloc, choice, transition)
extra = (sections.extra_sheets(alloc, choice, path, transition), transition.cache_key if path else ())

for note in setting.notes:
    st.info(note, icon="ℹ️")
for warning in alloc.warnings:
    st.warning(warning, icon="⚠️")
key_figures(alloc, setting, comparison)
explanation(alloc, choice)
unit_table = tables_and_downloads(alloc, choice, comparison, stamp, extra)
if path is not None:
    sections.transition_section(path, transition)
if choice.euro:
    with st.expander("Vergelijk met een gelijke verdeling over de gebieden"):
        sections.equal_section(alloc, choice)
    amount_map(alloc, choice, stamp)
else:
    sections.equal_section(alloc, choice)
if params.form != "geen":
    correction_charts(choice, fit, stamp)
if comparison is not None:
    comparison_2021(comparison, choice, fit)
with st.expander(f"Tabel per {setting.unit_names[0]}"):
    st.dataframe(styled(unit_table), hide_index=True, width="stretch")
