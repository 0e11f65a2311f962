"""The caseload page's Streamlit pieces: the sidebar, where the registrations come from (example or file),
the capacity editor, and the nl-BE display of masked tables.

Only aggregated counts pass: files go through `geo.caseload.io` (personal data refused on every sheet)
and `geo.caseload.cases.validate_caseload`; small counts are masked by `geo.caseload.cases`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from geo import fmt as nl
from geo.caseload import cases as cl
from geo.caseload import store as caseload_store
from geo.caseload.example import example_capacity, example_caseload
from geo.caseload.io import read_capacity_file, read_caseload
from geo.caseload.published import Published, publish
from geo.data import units
from geo.errors import UserFacingError
from geo.partners import coverage as cov
from geo_app import auth
from geo_app.counts import choose_counts
from geo_app.loaders import area_mapping, unit_table
from geo_app.numbers import number_field
from geo_app.text import md
from geo_app.widgets import attempt

LEVELS = {
    "gemeente": "gemeente (NIS-code)",
    "wijk": "wijk (code, bv. 11002Z01)",
    "postcode_antwerpen": "postcode (Groot Antwerpen)",
}
SOURCES = {
    "voorbeeld": "voorbeelddata (gegenereerd)",
    "bestand": "eigen bestand",
    "opgeslagen": "bewaard in de werkruimte",
}


@dataclass(frozen=True)
class CaseloadChoice:
    """The sidebar: unit level of the file, division, overload threshold, masking of small counts."""

    level: str
    area_key: str
    threshold: float
    masking: bool
    year: int | None = None  # population year of the young people (None: the latest)


@dataclass(frozen=True)
class Cases:
    """Registrations per unit and month, and whether they are the generated example (with its seed)."""

    frame: pd.DataFrame
    is_example: bool
    seed: int = 0


def show(value, decimals: int = 0) -> str:
    """Numbers in nl-BE; masked texts ("<5", "–") stay as they are."""
    if isinstance(value, str):
        return value
    return nl.number(value, decimals) if pd.notna(value) else "–"


# ------------------------------------------------------------------------------------------- cached
@st.cache_data(show_spinner="Eenheden laden…")
def case_units(level: str, stamp: str, year: int | None = None) -> pd.DataFrame:
    return cl.load_case_units(level, year)


@st.cache_data(show_spinner="Voorbeelddata maken…")
def example(
    level: str, area_key: str, months: int, seed: int, stamp: str, year: int | None = None
) -> pd.DataFrame:
    return example_caseload(
        case_units(level, stamp, year),
        area_mapping(area_key, level, stamp, auth.actor().workspace),
        months=months,
        seed=seed,
    )


# ------------------------------------------------------------------------------------------- choosing
def caseload_choice(stamp: str) -> CaseloadChoice:
    counts = choose_counts(indicator=False)
    with st.sidebar:
        st.header("Caseload")
        level = st.radio(
            "Eenheden in het bestand", list(LEVELS), format_func=LEVELS.get, key="caseload_level"
        )
        choices = cov.area_choices(level, unit_table(level, stamp), actor=auth.actor())
        area_key = st.selectbox(
            "Gebiedsindeling", list(choices), format_func=choices.get, key=f"caseload_areas_{level}"
        )
        threshold = number_field(
            "Overbelast boven (behandelde aanmeldingen per VTE per maand)",
            12,
            key="caseload_threshold",
            minimum=0,
            maximum=500,
        )
        masking = st.toggle("Aantallen onder 5 maskeren", value=True, key="caseload_mask")
    return CaseloadChoice(level, area_key, float(threshold), bool(masking), counts.year)


def choose_cases(choice: CaseloadChoice, table: pd.DataFrame, areas: list[str], stamp: str) -> Cases | None:
    """The generated example, or a checked file of the user (row messages shown); None when there is none."""
    source = st.radio(
        "Gegevens", list(SOURCES), horizontal=True, key="caseload_source", format_func=SOURCES.get
    )
    if source == "voorbeeld":
        e1, e2 = st.columns(2)
        months = number_field(
            "Maanden", 12, key="caseload_months", integer=True, minimum=3, maximum=36, container=e1
        )
        seed = number_field(
            "Startgetal (zelfde getal = zelfde voorbeeld)",
            1,
            key="caseload_seed",
            integer=True,
            minimum=0,
            maximum=10_000,
            container=e2,
        )
        frame = example(choice.level, choice.area_key, months, seed, stamp, choice.year)
        st.warning(f"Hieronder staat **{cl.EXAMPLE_LABEL}**: geen echte cijfers.", icon="⚠️")
        return Cases(frame, True, seed)
    if source == "opgeslagen":
        return stored_cases(choice)
    upload = st.file_uploader(
        "Bestand met aanmeldingen (CSV of XLSX): kolommen eenheid (postcode/wijk/gemeente), maand, "
        "aanmeldingen; optioneel verwijzer en behandelend gebied",
        type=["csv", "xlsx"],
        key="caseload_upload",
    )
    if upload is None:
        st.info("Nog geen bestand geladen. Kies *voorbeelddata* om de pagina te verkennen.", icon="ℹ️")
        return None
    try:
        result = cl.validate_caseload(
            read_caseload(upload.getvalue(), upload.name),
            {choice.level: table["code"].astype(str)},
            choice.level,
            areas,
        )
    except cl.PrivacyError as exc:
        st.error(md(str(exc)), icon="🚫")
        return None
    except UserFacingError as exc:
        st.error(md(str(exc)))
        return None
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
        return None
    if result.level != choice.level:
        st.error(f"Dit bestand bevat eenheden op niveau {LEVELS[result.level]}: kies dat niveau links.")
        return None
    if auth.can("importeren") and st.button(
        "Bewaren in de werkruimte",
        key="caseload_keep",
        help="Alleen de geaggregeerde tabel, nooit het bestand.",
    ):
        if attempt(lambda: caseload_store.save_caseload(auth.actor(), result, upload.name)) is not None:
            st.success("Bewaard: wie deze werkruimte opent, kiest 'bewaard in de werkruimte'.")
    return Cases(result.cases, False)


def stored_cases(choice: CaseloadChoice) -> Cases | None:
    """The caseload last kept in this workspace (aggregated rows only), with where it came from."""
    stored = attempt(lambda: caseload_store.load_caseload(auth.actor()))
    if stored is None:
        st.info(
            "In deze werkruimte is nog geen caseload bewaard: laad een bestand en kies *Bewaren*.", icon="ℹ️"
        )
        return None
    if stored.level != choice.level:
        st.error(
            f"De bewaarde caseload heeft eenheden op niveau {LEVELS[stored.level]}: kies dat niveau links."
        )
        return None
    when = nl.local_time(stored.updated)  # Belgian time, as everywhere in the app
    st.caption(md(f"Bewaard: {stored.source or 'caseload'}, door {stored.updated_by} op {when}."))
    return Cases(stored.cases, False)


def capacity_editor(
    cases: Cases, table: pd.DataFrame, mapping: dict[str, str], areas: list[str], area_key: str
) -> dict[str, float]:
    """FTE per area: the example's, from a file, or typed in the table."""
    st.subheader("Capaciteit per gebied (VTE)")
    default_cap = example_capacity(table, mapping, seed=cases.seed) if cases.is_example else {}
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
            st.error(md(str(exc)))
        else:
            if cap_msgs:
                st.error(md("Capaciteit: " + "; ".join(str(m) for m in cap_msgs)))  # quotes the file's values
            else:
                default_cap = from_file
    cap_frame = pd.DataFrame({"gebied": areas, "vte": [default_cap.get(a, np.nan) for a in areas]})
    cap_edit = st.data_editor(
        cap_frame,
        hide_index=True,
        key=f"caseload_capacity_{area_key}_{cases.is_example}_{cap_file.file_id if cap_file else ''}",
        width="stretch",
        column_config={
            "gebied": st.column_config.TextColumn("Gebied", disabled=True),
            "vte": st.column_config.NumberColumn("VTE", min_value=0.0, step=0.1, format="%.1f"),
        },
    )
    if cases.is_example:
        st.caption(
            "Voorbeeldcapaciteit: ongeveer 2 VTE per 10.000 jongeren, met variatie. Pas ze gerust aan."
        )
    return {a: float(v) for a, v in zip(cap_edit["gebied"], cap_edit["vte"], strict=True) if pd.notna(v)}


# ------------------------------------------------------------------------------------------- display
@st.cache_data(show_spinner="Kleine aantallen beschermen…", max_entries=16)
def protected(
    cases: pd.DataFrame,
    mapping: dict[str, str],
    population: dict[str, float],
    capacity: dict[str, float],
    threshold: float,
    masking: bool,
    year: int | None = None,
) -> Published:
    """Every figure of the page, protected together (`geo.caseload.published.publish`)."""
    return publish(cases, mapping, population, capacity, threshold, mask=masking, population_year=year)


def overbelast_text(value) -> str:
    if isinstance(value, str):
        return value  # hidden
    return "⚠️ ja" if value else ""


def summary_display(
    masked: pd.DataFrame,
    overloaded: pd.Series | None = None,
    year: int | None = None,
    estimated: bool = False,
) -> pd.DataFrame:
    """The masked summary per area with Dutch titles and nl-BE numbers (the young people's title with their
    population ``year`` and the estimate flag); overload flags from the summary itself unless given."""
    flags = masked["overbelast"] if overloaded is None else overloaded
    young = "Jongeren <25" if year is None else units.year_header("Jongeren <25", year, estimated)
    return pd.DataFrame(
        {
            "Gebied": masked["gebied"],
            young: masked["doelgroep"].map(show),
            "Aanmeldingen": masked["aanmeldingen"].map(show),
            "Per 1.000 jongeren per jaar": masked["per_1000"].map(lambda v: show(v, 1)),
            "Behandeld": masked["behandeld"].map(show),
            "Naar ander gebied": masked["uitgaand"].map(show),
            "Van ander gebied": masked["inkomend"].map(show),
            "VTE": masked["vte"].map(lambda v: show(v, 1)),
            "Per VTE per maand": masked["per_vte_per_maand"].map(lambda v: show(v, 1)),
            "Overbelast": flags.map(overbelast_text),
        }
    )


def trend_display(trend: pd.DataFrame) -> pd.DataFrame:
    """Slope and the last three months against the three before, per area."""
    return pd.DataFrame(
        {
            "Gebied": trend["gebied"],
            "Helling (aanmeldingen per maand, per maand)": trend["helling"].map(lambda v: show(v, 2)),
            "Laatste 3 maanden t.o.v. 3 ervoor": trend["verandering_3m"].map(
                lambda v: v if isinstance(v, str) else nl.percent(v * 100) if pd.notna(v) else "–"
            ),
        }
    )
