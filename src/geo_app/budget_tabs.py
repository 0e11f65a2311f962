"""The budget page's tabs: what each shows, drawn only when the tab is open.

The page computes the allocation (and the 2021 comparison, the fit and the transition path) once, before
the tabs; each function here draws one tab from those results. `TABS` are the tab labels (also the values
of the ``budget_tab`` query parameter, so a link opens a tab).
"""

from __future__ import annotations

import streamlit as st

from geo import fmt as nl
from geo.budget import allocation as al
from geo.budget import calibration as cal
from geo.budget import report
from geo.budget import transition as tr
from geo.maps import folium_maps as maps
from geo_app import budget_sections as sections
from geo_app import charts
from geo_app.budget import (
    CHART_RANGE,
    FORM_SHORT,
    Choice,
    Fit,
    downloads,
    objectives_panel,
    sensitivity_table,
    styled,
)
from geo_app.loaders import attribution, code_to
from geo_app.session import keep, kept
from geo_app.unit_map import choropleth_map

SOURCES = ("statbel", "stadsmonitor", "vaccinnet", "gebiedsniveaus", "1g1p")
EXAMPLE_AREAS = ("Groot Antwerpen", "Antwerpen 2060")
BORDER_NOTE = "Dikke lijnen: de eerstelijnszones. "
VERDELING, TOELICHTING, CORRECTIE, VERGELIJKING, GELIJK, OVERGANG, PER_EENHEID = TABS = (
    "Verdeling",
    "Toelichting",
    "Correctie en gevoeligheid",
    "Vergelijking 2021",
    "Gelijke verdeling",
    "Overgangspad",
    "Per eenheid",
)


# ------------------------------------------------------------------------------------------ Verdeling
def distribution_tab(
    alloc: al.Allocation, choice: Choice, comparison: cal.Comparison | None, stamp: str, extra
) -> None:
    """Notes, key figures, the map (euros) and the table per area with the downloads (all sheets)."""
    for note in choice.setting.notes:
        st.info(note, icon="ℹ️")
    for warning in alloc.warnings:
        st.warning(warning, icon="⚠️")
    key_figures(alloc, choice.setting, comparison)
    if choice.euro:
        amount_map(alloc, choice, stamp)
    tables_and_downloads(alloc, choice, comparison, stamp, extra)
    if not choice.euro:  # for staff the comparison with an equal split is the point: shown here too
        sections.equal_section(alloc, choice)


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


def tables_and_downloads(alloc: al.Allocation, choice: Choice, comparison, stamp: str, extra) -> None:
    """The table per area and the three downloads (``extra``: more XLSX sheets, e.g. the transition)."""
    setting = choice.setting
    st.subheader("Bedrag per gebied" if choice.euro else f"{choice.params.resource_info.name} per gebied")
    area_table = setting.area_table(alloc, comparison)
    height = min(35 * (len(area_table) + 1) + 3, 640)
    st.dataframe(styled(area_table, choice.params), hide_index=True, width="stretch", height=height)
    downloads(choice, alloc, area_table, choice.setting.unit_table(alloc), stamp, extra)
    st.caption(attribution(SOURCES))


def amount_map(alloc: al.Allocation, choice: Choice, stamp: str) -> None:
    one = report.population_label(choice.params.population, singular=True)
    st.subheader(f"Bedrag per {one}")
    setting, by_area = choice.setting, True
    if setting.level == "gemeente":
        options = ["gebied", "gemeente"]
        colour_by = st.radio(
            "Kleur volgens",
            options,
            index=options.index(kept("budget_kaart_kleur", "gebied", options)),
            horizontal=True,
            key="budget_kaart_kleur",
            format_func=lambda k: (
                f"bedrag per {one} " + ("van het gebied" if k == "gebied" else "per gemeente")
            ),
        )
        by_area = keep("budget_kaart_kleur", colour_by) == "gebied"
    shown = report.amount_map(alloc, setting.level, setting.units, setting.areas, by_area=by_area)
    if shown is None:
        st.info(
            "Voor deze indeling is er geen kaart (postcodes hebben geen grenzen in de open data). "
            "De tabel hieronder geeft het bedrag per gebied.",
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


# ---------------------------------------------------------------------------------------- Toelichting
def explanation_tab(alloc: al.Allocation, choice: Choice) -> None:
    """How the formula reaches the amount of one area, in words."""
    st.subheader("Zo werkt deze verdeling")
    areas = alloc.areas.sort_values("eur", ascending=False)["gebied"].tolist()
    key = f"budget_voorbeeld_{choice.key}"
    default = kept(key, next((a for a in EXAMPLE_AREAS if a in areas), areas[0]), areas)
    example = keep(key, st.selectbox("Licht dit gebied toe", areas, index=areas.index(default), key=key))
    setting = choice.setting
    paragraphs = report.explanation(
        alloc, example, setting.published, setting.unit_names, choice.population_text, setting.indicator
    )
    with st.container(border=True):
        for text in paragraphs:
            st.markdown(text)


# -------------------------------------------------------------------------- Correctie en gevoeligheid
def correction_tab(choice: Choice, fit: Fit | None, stamp: str) -> None:
    """What the deprivation correction shifts, and each area's share as the weight changes."""
    params, setting = choice.params, choice.setting
    if params.form == "geen":
        st.info(
            f"Er is geen correctie voor kansarmoede gekozen ({FORM_SHORT['geen'].lower()}): er verschuift "
            "niets. Kies in de zijbalk bij ‘Correctie voor kansarmoede’ een vorm en een gewicht om hier te "
            "zien wat die correctie per gebied verandert.",
            icon="ℹ️",
        )
        return
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


# ---------------------------------------------------------------------------------- Vergelijking 2021
def comparison_tab(comparison: cal.Comparison | None, choice: Choice, fit: Fit | None) -> None:
    """The computed amounts against the published 2021 budgets, the calibration and the 2021 groups."""
    if comparison is None:
        st.info(
            (
                "Voor deze indeling zijn er geen gepubliceerde budgetten van 2021 om mee te vergelijken; die "
                "bestaan enkel per samenwerkingsverband van 2021 (kies die indeling in de zijbalk)."
                if choice.euro
                else f"De budgetten van 2021 zijn euro's: voor {choice.params.resource_info.name_in_text} "
                "is er geen vergelijking. Kies in de zijbalk bij ‘Wat verdeelt u?’ ‘Budget (euro)’."
            ),
            icon="ℹ️",
        )
        return
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
        st.subheader("Samenstelling van de samenwerkingsverbanden 2021")
        titles = {
            "gebied": "Samenwerkingsverband",
            "eerstelijnszones": "Eerstelijnszones",
            "aantal_elz": "Aantal",
        }
        titles |= {"afgeleid": "Waarvan afgeleid", "samenstelling": "Samenstelling"}
        st.dataframe(evidence.rename(columns=titles), hide_index=True, width="stretch")
    st.caption("Bron budgetten: Vlaams Parlement, schriftelijke vraag 237 (2022), toestand 1 januari 2021.")


# ------------------------------------------------------------------------- Overgangspad, per eenheid
def transition_tab(
    path: tr.TransitionPath | None, transition: sections.TransitionChoice | None, choice
) -> None:
    """The transition path, or where to ask for one."""
    if path is not None and transition is not None:
        sections.transition_section(path, transition)
    elif not choice.euro:
        st.info(
            "Een overgangspad bestaat enkel voor euro's (van de budgetten van 2021 of een eigen startbedrag "
            "naar de formule). Kies in de zijbalk bij ‘Wat verdeelt u?’ ‘Budget (euro)’.",
            icon="ℹ️",
        )
    elif transition is None:
        st.info(
            "Nog geen overgangspad: zet in de zijbalk onder ‘Overgangspad naar de formule’ het vakje ‘Toon "
            "een overgangspad’ aan en kies het vertrekpunt, het aantal jaren en de maximale daling en "
            "stijging per jaar.",
            icon="ℹ️",
        )
    else:  # asked for, but not computable (the reason is shown above the tabs)
        st.info("Het overgangspad kan met deze keuzes (nog) niet berekend worden: zie de melding hierboven.")


def unit_tab(alloc: al.Allocation, choice: Choice) -> None:
    """The allocation per unit (municipality, postcode or wijk)."""
    st.subheader(f"Tabel per {choice.setting.unit_names[0]}")
    st.dataframe(styled(choice.setting.unit_table(alloc)), hide_index=True, width="stretch")
