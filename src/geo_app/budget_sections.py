"""The budget page's sections on need against the equal split and on the transition path.

`transition_inputs` draws the transition choices in the sidebar, `compute_path` turns them into a
`geo.budget.transition.TransitionPath`, `equal_section` and `transition_section` show the tables and
charts, and `extra_sheets` gives both to the XLSX download.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from geo import exports
from geo import fmt as nl
from geo.budget import allocation as al
from geo.budget import report
from geo.budget import transition as tr
from geo.budget.equal import compare_equal
from geo.errors import UserFacingError
from geo_app import charts
from geo_app.budget import Choice, styled
from geo_app.numbers import number_field
from geo_app.text import md

START_2021, START_EQUAL, START_FILE = tr.START_2021, tr.START_EQUAL, tr.START_FILE
START_LABELS = {
    START_2021: "Gepubliceerde bedragen 2021",
    START_EQUAL: "Gelijke verdeling (zelfde totaal)",
    START_FILE: "Eigen bestand (gebied, bedrag)",
}


@dataclass(frozen=True)
class TransitionChoice:
    """What the user chose for the transition path."""

    start: str
    years: int
    floor_pct: float
    cap_pct: float
    file_name: str | None = None
    file_bytes: bytes | None = None

    @property
    def start_label(self) -> str:
        return tr.START_LABELS[self.start]

    @property
    def cache_key(self) -> tuple:
        return (
            self.start,
            self.years,
            self.floor_pct,
            self.cap_pct,
            self.file_name,
            hashlib.sha256(self.file_bytes or b"").hexdigest(),  # another file of the same size: another key
        )


def transition_inputs(choice: Choice) -> TransitionChoice | None:
    """Sidebar: whether to show a transition path, from what start, over how many years, at what pace."""
    if not choice.euro:
        return None
    with st.sidebar.expander("Overgangspad naar de formule"):
        if not st.checkbox("Toon een overgangspad", value=False, key="budget_overgang"):
            return None
        options = ([START_2021] if choice.setting.published is not None else []) + [START_EQUAL, START_FILE]
        start = st.radio("Vertrek", options, format_func=START_LABELS.get, key=f"budget_start_{choice.key}")
        upload = None
        if start == START_FILE:
            upload = st.file_uploader(
                "CSV of XLSX met de kolommen gebied en bedrag",
                type=["csv", "xlsx"],
                key="budget_startbestand",
                help="Eén rij per gebied van deze indeling, bedragen in hele euro's (bv. € 1.234.567).",
            )
        years = int(number_field("Aantal jaren", 4, key="budget_jaren", integer=True, minimum=1, maximum=50))
        c1, c2 = st.columns(2)
        floor = number_field(
            "Max. daling per jaar",
            5.0,
            key="budget_daling",
            kind="percent",
            minimum=0,
            maximum=100,
            container=c1,
        )
        cap = number_field(
            "Max. stijging per jaar",
            5.0,
            key="budget_stijging",
            kind="percent",
            minimum=0,
            maximum=1000,
            container=c2,
        )
    if start == START_FILE and upload is None:
        return TransitionChoice(start, years, -float(floor), float(cap))
    return TransitionChoice(
        start,
        years,
        -float(floor),
        float(cap),
        upload.name if upload is not None else None,
        upload.getvalue() if upload is not None else None,
    )


def compute_path(
    alloc: al.Allocation, choice: Choice, tc: TransitionChoice | None
) -> tr.TransitionPath | None:
    """The path from the chosen start to this allocation's amounts; errors are shown, never raised."""
    if tc is None:
        return None
    target = alloc.areas.set_index("gebied")["eur"]
    if tc.start == START_FILE and tc.file_bytes is None:
        st.info("Overgangspad: laad in de zijbalk een bestand met het startbedrag per gebied.", icon="ℹ️")
        return None
    try:
        start = tr.start_amounts(
            tc.start, target, choice.setting.published, tc.file_bytes, tc.file_name or "start.csv"
        )
        return tr.transition_path(start, target, tc.years, tc.floor_pct, tc.cap_pct)
    except UserFacingError as exc:
        st.error(md(f"Het overgangspad kan niet berekend worden: {exc}"), icon="⛔")
        return None


def equal_section(alloc: al.Allocation, choice: Choice) -> None:
    """Need-based against the equal split: sentences, chart and table."""
    res = choice.params.resource_info
    st.subheader(f"Volgens behoefte of gelijk: {res.name_in_text} per gebied")
    table = compare_equal(alloc)
    for line in report.equal_summary(alloc, table):
        st.markdown(line)
    fig = charts.equal_vs_need(table, res.unit, max(res.decimals(choice.params.step_size), 0))
    st.altair_chart(fig, width="stretch", key="budget_gelijk_grafiek")
    shown = choice.setting.equal_table(alloc, table)
    st.dataframe(styled(shown, choice.params), hide_index=True, width="stretch")
    st.caption(
        "Gelijk: elk gebied hetzelfde deel van wat de formule verdeelt (een resterende stap gaat naar de "
        "eerste gebieden in de lijst). Volgens behoefte: dezelfde formule als het budget, afgerond op "
        f"{choice.params.amount_text(choice.params.step_size)} met de grootste-restmethode."
    )


def transition_section(path: tr.TransitionPath, tc: TransitionChoice) -> None:
    """The transition path: what it does in words, a chart per area and the table per year."""
    st.subheader("Overgangspad naar de formule")
    for line in report.transition_summary(path):
        (st.warning if line.startswith(("Binnen", "Met dezelfde grenzen wordt")) else st.markdown)(line)
    labels = [report.year_label(y) for y in path.amounts.columns]
    labels[0] = tc.start_label
    fig = charts.transition_lines(path.amounts, path.targets.iloc[:, -1], labels)
    st.altair_chart(fig, width="stretch", key="budget_overgang_grafiek")
    table = report.transition_table_nl(path, start_label=tc.start_label)
    st.dataframe(styled(table), hide_index=True, width="stretch")
    with st.expander("Verandering per jaar (%)"):
        st.dataframe(styled(report.transition_changes_nl(path)), hide_index=True, width="stretch")
    st.caption(
        f"Elk jaar krijgt elk gebied tussen {nl.percent(path.floor_pct)} en +{nl.percent(path.cap_pct)} van "
        "zijn bedrag van het jaar ervoor, zo dicht mogelijk bij de formule; het totaal klopt elk jaar tot "
        "op de euro."
    )


def extra_sheets(
    alloc: al.Allocation, choice: Choice, path: tr.TransitionPath | None, tc: TransitionChoice | None
) -> dict[str, pd.DataFrame]:
    """The equal-split comparison (other resources than euros) and the transition path for the XLSX."""
    sheets: dict[str, pd.DataFrame] = {}
    if not choice.euro:
        sheets["Gelijk of volgens behoefte"] = choice.setting.equal_table(alloc)
    if path is not None and tc is not None:
        sheets.update(report.transition_section(path, start_label=tc.start_label).tables)
    return sheets


# ------------------------------------------------------------------------------------------- editor
def staff_per_area(division, key: str = "ind_vte") -> None:
    """For the division editor: FTE (or another resource) per area of the open division by need, against
    the equal split. Computed only when the user asks for it (a toggle), so edits stay fast."""
    from geo.budget import resources
    from geo.budget.per_unit import BUDGET_BASE, area_resource
    from geo_app.counts import current_counts

    if division.level not in BUDGET_BASE or not division.areas:
        return
    if not st.toggle("Personeel per gebied volgens behoefte (VTE)", key=f"{key}_aan"):
        return
    res = resources.RESOURCES["vte"]
    k = len(division.areas)
    c1, c2, c3 = st.columns(3)
    step = float(
        number_field(
            "Stap (VTE)", res.default_step, key=f"{key}_stap", minimum=0.01, decimals=2, container=c2
        )
    )
    total = number_field(
        "Totaal (VTE)",
        round(res.default_per_area * k, 2),
        key=f"{key}_totaal_{k}",
        minimum=step,
        decimals=2,
        container=c1,
        help=f"Vooraf ingevuld: {res.format(res.default_per_area)} per gebied × {k} gebieden.",
    )
    floor = (
        number_field(
            "Minimum per gebied (VTE, 0 = geen)",
            0.0,
            key=f"{key}_min",
            minimum=0,
            decimals=2,
            container=c3,
            allow_empty=True,
        )
        or 0.0
    )
    counts = current_counts()
    try:
        alloc = area_resource(
            division.level,
            division.assignment,
            float(total),
            "vte",
            step,
            float(floor) or None,
            year=counts.year,
            indicator=counts.indicator,
        )
    except UserFacingError as exc:
        st.error(md(f"Personeel per gebied kan niet berekend worden: {exc}"), icon="⛔")
        return
    if alloc is None:
        st.info("Nog geen eenheden met een gebied.", icon="ℹ️")
        return
    table = report.equal_table_nl(alloc)
    st.dataframe(styled(table, alloc.params), hide_index=True, width="stretch", key=f"{key}_tabel")
    st.caption(
        " ".join(report.equal_summary(alloc))
        + " Formule: 0-24-jarigen met relatieve kansarmoedecorrectie (gewicht "
        + f"{nl.number(alloc.params.weight, 1)}), zoals op de pagina Budgetverdeling; eenheden zonder gebied "
        "doen niet mee. " + counts.note(division.level)
    )
    st.download_button(
        "Personeel per gebied als CSV",
        report.csv_bytes(table),
        exports.file_name("personeel_per_gebied", division.name, ext="csv"),
        "text/csv",
        key=f"{key}_csv",
    )
