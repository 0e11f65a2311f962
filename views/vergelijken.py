"""Indelingen vergelijken: welke eenheden van gebied veranderen, welke gebieden overeenkomen en wat dat
verschuift in inwoners, jongeren en budget; verschilkaart en twee kaarten naast elkaar."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo import exports
from geo import fmt as nl
from geo.budget.per_unit import BUDGET_NOTE
from geo.data import units
from geo.divisions import io as division_io
from geo.divisions.compare import Comparison, compare
from geo.divisions.metrics import UnitData
from geo.errors import UserFacingError
from geo_app.compare import choose_division, comparison_maps
from geo_app.counts import choose_counts
from geo_app.loaders import unit_data
from geo_app.text import md
from geo_app.widgets import require_build

DELTAS = (
    ("inwoners", "inwoners", nl.number),
    ("pop_0_24", "jongeren 0-24", nl.number),
    ("budget_eur", "budget", nl.euro),
)
MOVED_TITLES = {"code": "Code", "naam": "Naam", "gebied_a": "Gebied in A", "gebied_b": "Gebied in B"}


def signed(value: float, fmt) -> str:
    return "–" if pd.isna(value) else ("+" if value > 0 else "") + fmt(value)


def matched_table(result: Comparison, year: int | None = None) -> pd.DataFrame:
    """Matched areas with their counts in A and B (titles with the population ``year``) and the difference,
    in nl-BE."""
    m = result.matches
    out = pd.DataFrame(
        {"Gebied in A": m["gebied_a"].fillna("– (geen)"), "Gebied in B": m["gebied_b"].fillna("– (geen)")}
    )
    for col, label, fmt in DELTAS:
        if f"{col}_a" not in m:
            continue
        when = f" ({year})" if year and col != "budget_eur" else ""
        out[f"{label.capitalize()} A{when}"] = m[f"{col}_a"].map(fmt)
        out[f"{label.capitalize()} B{when}"] = m[f"{col}_b"].map(fmt)
        out[f"Δ {label}"] = m[f"delta_{col}"].map(lambda v, f=fmt: signed(v, f))
    out["Gedeelde inwoners (% van A)"] = m["overlap_pct"].map(nl.percent) if "overlap_pct" in m else "–"
    return out


def key_figures(result: Comparison) -> None:
    a, b = result.a, result.b
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Gebieden A / B", f"{nl.number(len(a.areas))} / {nl.number(len(b.areas))}")
    m2.metric("Gekoppelde gebieden", nl.number(len(result.pairs)))
    m3.metric("Eenheden van gebied veranderd", nl.number(len(result.moved)))
    m4.metric(
        "Jongeren 0-24 die in hun gebied blijven",
        nl.percent(100 * result.kept_share),
        help="Aandeel van de jongeren (0-24) van A dat in B in het gekoppelde gebied woont.",
    )
    if result.only_common_units:
        n = nl.number(len(result.units))
        st.info(
            f"De indelingen bestrijken niet dezelfde eenheden: vergeleken op de {n} eenheden die in beide "
            "voorkomen.",
            icon="ℹ️",
        )


def matched_section(result: Comparison, data: UnitData, moved: pd.DataFrame) -> None:
    st.subheader("Gekoppelde gebieden")
    st.dataframe(matched_table(result, data.year), hide_index=True, width="stretch")
    notes = ["Δ = B min A.", units.counts_note(data.year, data.indicator, data.level)]
    if "budget_eur" in data.counts:
        notes.append(BUDGET_NOTE)
    st.caption(" ".join(notes))
    d1, d2 = st.columns(2)
    d1.download_button(
        "Tabel als CSV",
        exports.csv_bytes(result.matches, division_io.compare_columns(result.matches)),
        file_name=exports.file_name("vergelijking", result.a.name, result.b.name, ext="csv"),
        mime="text/csv",
    )
    d2.download_button(
        "Verschoven eenheden als CSV",
        exports.csv_bytes(moved, division_io.compare_columns(moved)),
        file_name=exports.file_name("verschoven_eenheden", result.a.name, result.b.name, ext="csv"),
        mime="text/csv",
        disabled=moved.empty,
    )


# ------------------------------------------------------------------------------------------- page
st.title("Indelingen vergelijken")
st.caption(
    "Gebieden worden gekoppeld op gedeelde inwoners, niet op naam: zo werkt de vergelijking ook als de namen "
    "of het aantal gebieden verschillen."
)
stamp = require_build()
counts = choose_counts()

col_a, col_b = st.columns(2)
with col_a:
    st.subheader("Indeling A")
    a = choose_division("a", stamp, "elz57_gemeente")
with col_b:
    st.subheader("Indeling B")
    b = choose_division("b", stamp, "swv2021_gemeente")
if a is None or b is None:
    st.info("Kies twee indelingen van hetzelfde niveau.", icon="👆")
    st.stop()

try:
    with st.spinner("Vergelijken…"):
        data = unit_data(a.level, stamp, *counts.key)
        result = compare(data, a, b)
except UserFacingError as exc:
    st.error(md(str(exc)), icon="🚫")
    st.stop()

moved = result.units[result.units["gewijzigd"]]
key_figures(result)
matched_section(result, data, moved)
comparison_maps(result, a.level, stamp)
with st.expander(f"Verschoven eenheden ({nl.number(len(moved))})"):
    shown = moved.rename(columns=MOVED_TITLES)
    st.dataframe(shown[[c for c in MOVED_TITLES.values() if c in shown]], hide_index=True)
