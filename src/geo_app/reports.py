"""Streamlit pieces of the reports: the dossier download (one click builds and downloads the PDF), the
scorecard table with the best values marked, and small maps."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from geo.budget.allocation import Params
from geo.data import units
from geo.divisions.division import Division
from geo.divisions.validity import GateSettings
from geo.errors import UserFacingError
from geo.reports import dossier, pdf, static_map
from geo.reports.scorecard import Scorecard
from geo_app import auth
from geo_app.counts import current_counts
from geo_app.widgets import XLSX_MIME

BEST_STYLE = "background-color:#d9f2d9;font-weight:bold"
#: The workspace's partner register, its caseload and the caseload's level (None when absent).
Loaded = tuple[pd.DataFrame | None, pd.DataFrame | None, str | None]


def loaded_partners() -> pd.DataFrame | None:
    """The workspace's partner register, when it has partners (else None)."""
    from geo.partners.store import load_partners
    from geo.store.engine import get_engine

    try:
        partners = load_partners(get_engine(), auth.actor())
    except UserFacingError:
        return None
    return partners if len(partners) else None


def loaded_caseload() -> tuple[pd.DataFrame | None, str | None]:
    """The workspace's stored caseload and its level, or (None, None)."""
    from geo.caseload.store import load_caseload

    try:
        stored = load_caseload(auth.actor())
    except UserFacingError:
        return None, None
    return (stored.cases, stored.level) if stored is not None else (None, None)


def formula_choice(key: str) -> tuple[float, float]:
    """The budget formula's weight a and total (the 2021 setting unless changed), in an expander."""
    from geo.budget import allocation
    from geo.data import facts
    from geo_app.numbers import number_field

    with st.expander("Budgetformule (standaard de instelling van 2021)"):
        c1, c2 = st.columns(2)
        weight = number_field(
            "Gewicht a van de kansarmoedecorrectie",
            allocation.DEFAULT_WEIGHTS["relatief"],
            key=f"{key}_gewicht",
            minimum=0,
            maximum=3,
            decimals=2,
            container=c1,
        )
        total = number_field(
            "Totaal budget (€)",
            float(facts.BUDGET_TOTAL_2021),
            key=f"{key}_totaal",
            kind="euro",
            minimum=1,
            integer=True,
            container=c2,
            help="Voor de Antwerpse postcodes blijft het budget 2021 van Groot Antwerpen.",
        )
    return float(weight), float(total)


def dossier_options(
    key: str,
    unsaved: bool = False,
    params: Params | None = None,
    settings: GateSettings | None = None,
    loaded: Loaded | None = None,
) -> dossier.DossierOptions:
    """The dossier's optional parts, chosen on the page; `loaded` = (partners, caseload, its level) when
    the page read them already (else they are read here)."""
    c1, c2 = st.columns(2)
    fte = c1.checkbox("Personeel (VTE) per gebied volgens behoefte", key=f"{key}_vte")
    years = c2.number_input(
        "Overgangspad naar de formule (jaren; 0 = geen)", 0, 20, 0, step=1, key=f"{key}_jaren"
    )
    partners, cases, level = loaded if loaded is not None else (loaded_partners(), *loaded_caseload())
    parts = [p for p, on in (("partners", partners is not None), ("caseload", cases is not None)) if on]
    st.caption(
        "Het dossier bevat kaart, cijfers, controle, budget, vergelijking met een referentie-indeling en "
        "bronnen" + (f", en de geladen {' en '.join(parts)}." if parts else ".")
    )
    counts = current_counts()  # the population year and indicator chosen in the sidebar
    return dossier.DossierOptions(
        year=counts.year,
        indicator=counts.indicator,
        fte=fte,
        transition_years=int(years) or None,
        partners=partners,
        cases=cases,
        cases_level=level,
        unsaved_changes=unsaved,
        params=params,
        settings=settings,
    )


def builders(
    division: Division, options: dossier.DossierOptions
) -> tuple[Callable[[], bytes], Callable[[], bytes]]:
    """The PDF and XLSX builders for the download buttons. They run on the click, in a server thread
    outside this session: who asks (for a stored division's status and rules) is read now, in the run."""
    actor = auth.actor() if division.meta.db_id is not None else None

    def build() -> dossier.Dossier:
        return dossier.build(division, options, actor=actor)

    return (lambda: pdf.render(build())), (lambda: dossier.xlsx_bytes(build()))


def dossier_downloads(
    division: Division,
    key: str,
    unsaved: bool = False,
    params: Params | None = None,
    settings: GateSettings | None = None,
    loaded: Loaded | None = None,
) -> None:
    """Options and two downloads: the dossier as PDF (built on the click) and its tables as XLSX;
    `settings` are the rules (and target band) in effect on the page (default: the stored ones); `loaded`
    as for `dossier_options`."""
    if not division.areas:
        st.info("Deze indeling heeft nog geen gebieden: er is nog geen dossier te maken.", icon="ℹ️")
        return
    options = dossier_options(key, unsaved, params, settings, loaded)
    make_pdf, make_xlsx = builders(division, options)
    a, b, _ = st.columns([2, 2, 3])
    a.download_button(
        "📄 Beslissingsdossier (PDF)",
        make_pdf,
        dossier.file_name(division, "pdf"),
        "application/pdf",
        key=f"{key}_pdf",
        type="primary",
        help="Kaart, cijfers, controle, budget en bronnen in één PDF voor de vergadering (offline gemaakt).",
    )
    b.download_button(
        "Tabellen van het dossier (XLSX)",
        make_xlsx,
        dossier.file_name(division, "xlsx"),
        XLSX_MIME,
        key=f"{key}_xlsx",
    )


def scorecard_table(card: Scorecard):
    """The scorecard as a styled table: best values on a green background."""
    text = card.text_table(mark="")
    best = card.best

    def style(row: pd.Series) -> list[str]:
        key = card.rows[row.name].key
        return [BEST_STYLE if col in best.get(key, []) else "" for col in row.index]

    return text.style.apply(style, axis=1)


@st.cache_data(show_spinner=False, max_entries=16)
def _small_svg(
    level: str, units: tuple, areas: tuple, labels: bytes, stamp: str | None, _division: Division
) -> str | None:
    """The small map's SVG; (level, units, areas, labels, stamp) identify `_division`'s map."""
    the_map = static_map.build(_division)
    return None if the_map is None else static_map.to_svg(the_map)


def small_map(division: Division) -> None:
    """A small static map of the division (drawn once per assignment, not on every rerun)."""
    svg = _small_svg(
        division.level,
        tuple(division.units),
        tuple(division.areas),
        division.labels.tobytes(),
        units.build_stamp(),
        division,
    )
    if svg is None:
        st.caption("Geen kaartvlakken voor dit niveau.")
        return
    st.image(svg, width="stretch")
