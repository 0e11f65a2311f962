"""The population year and deprivation indicator of every figure: one chooser in the sidebar, shared by all
pages (the choice follows the user from page to page).

    counts = choose_counts()            # sidebar: "Bevolkingsjaar" and "Kansarmoede-indicator"
    table = units.load_table("wijk", counts.year, counts.indicator)
    st.caption(counts.note("wijk"))     # year, indicator and what is an estimate, under the table
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from geo.data import units

YEAR_KEY = "cijfers_jaar"
INDICATOR_KEY = "cijfers_indicator"
REFERENCE_KEY = "cijfers_jaar_2021"
# Widget state disappears on pages that do not draw the widget; the choice itself is kept under these keys.
_KEPT = {YEAR_KEY: "_cijfers_jaar", INDICATOR_KEY: "_cijfers_indicator", REFERENCE_KEY: "_cijfers_jaar_2021"}
_DEFAULTS = {
    YEAR_KEY: units.DEFAULT_YEAR,
    INDICATOR_KEY: units.DEFAULT_INDICATOR,
    REFERENCE_KEY: units.REFERENCE_YEAR_2021,
}

YEAR_HELP = (
    "Bevolking op 1 januari van dit jaar (Statbel). Per gemeente zijn de aantallen exact; per wijk komen "
    "de inwoners uit de bevolking per statistische sector en zijn de leeftijdsgroepen geschat met de "
    "leeftijdsverdeling van de gemeente (2015: sectorverdeling van 2019)."
)


@dataclass(frozen=True)
class CountsChoice:
    """What the user chose: the population year and the deprivation indicator (and for the budget page the
    population year of the 2021 reference)."""

    year: int = units.DEFAULT_YEAR
    indicator: str = units.DEFAULT_INDICATOR
    reference_year: int = units.REFERENCE_YEAR_2021

    @property
    def info(self) -> units.Indicator:
        return units.INDICATORS[self.indicator]

    @property
    def key(self) -> tuple[int, str]:
        """For cache keys."""
        return self.year, self.indicator

    def header(self, label: str, estimated: bool = False) -> str:
        """`Inwoners (2022)`, or `Jongeren 0-24 (2022, geschat)` with ``estimated``."""
        return units.year_header(label, self.year, estimated)

    def note(self, level: str | None = None) -> str:
        """Year, indicator and what is an estimate on ``level``, for under a table."""
        return units.counts_note(self.year, self.indicator, level)


#: The defaults (latest year, default indicator, 2020 for the 2021 reference), e.g. for argument defaults.
DEFAULT_COUNTS = CountsChoice()


def _current(key: str):
    """The kept choice for ``key`` (default when none or no longer valid)."""
    value = st.session_state.get(_KEPT[key], _DEFAULTS[key])
    valid = units.INDICATORS if key == INDICATOR_KEY else units.YEARS
    return value if value in valid else _DEFAULTS[key]


def _keep(key: str) -> None:
    st.session_state[_KEPT[key]] = st.session_state[key]


def _select(label: str, options, key: str, **kwargs):
    st.session_state[key] = _current(key)
    return st.selectbox(label, options, key=key, on_change=_keep, args=(key,), **kwargs)


def choose_counts(indicator: bool = True, reference_2021: bool = False) -> CountsChoice:
    """The sidebar chooser: population year and (with ``indicator``) deprivation indicator, with a short
    explanation; with ``reference_2021`` also the population year of the 2021 budget reference."""
    with st.sidebar:
        st.subheader("Cijfers")
        year = _select(
            "Bevolkingsjaar",
            list(units.YEARS),
            YEAR_KEY,
            format_func=lambda y: f"1 januari {y}" + (" (laatste)" if y == units.DEFAULT_YEAR else ""),
            help=YEAR_HELP,
        )
        chosen = _current(INDICATOR_KEY)
        if indicator:
            chosen = _select(
                "Kansarmoede-indicator",
                list(units.INDICATORS),
                INDICATOR_KEY,
                format_func=lambda k: units.INDICATORS[k].label,
                help="\n\n".join(f"**{i.label}**: {i.description}" for i in units.INDICATORS.values()),
            )
            info = units.INDICATORS[chosen]
            flag = " · **schatting**" if chosen != "kg_gemeente" else ""
            st.caption(f"{info.rate_label}{flag}. Bron: {info.source}.")
        reference = _current(REFERENCE_KEY)
        if reference_2021:
            reference = _select(
                "Bevolkingsjaar voor de vergelijking met 2021",
                list(units.YEARS),
                REFERENCE_KEY,
                format_func=lambda y: (
                    f"1 januari {y}" + (" (jaar voor het budget)" if y == units.REFERENCE_YEAR_2021 else "")
                ),
                help="De budgetten 2021 worden vergeleken op de gemeenten en eerstelijnszones van toen, "
                "met de bevolking van dit jaar (standaard 2020, het jaar voor het budget).",
            )
    return CountsChoice(int(year), str(chosen), int(reference))


def current_counts() -> CountsChoice:
    """The choice as last made on any page, without drawing the chooser."""
    return CountsChoice(_current(YEAR_KEY), _current(INDICATOR_KEY), _current(REFERENCE_KEY))


def set_counts(choice: CountsChoice) -> None:
    """Make ``choice`` the kept choice (e.g. when a saved budget setting is opened); call before the
    chooser is drawn."""
    for key, value in ((YEAR_KEY, choice.year), (INDICATOR_KEY, choice.indicator)):
        st.session_state[_KEPT[key]] = value
    st.session_state[_KEPT[REFERENCE_KEY]] = choice.reference_year
