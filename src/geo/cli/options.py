"""Options shared by the commands: `--jaar` (population year) and `--indicator` (deprivation indicator)
and the line that states them in the output; `number`, the type of every number argument (Flemish or
script notation), `non_negative` for values that cannot be below 0 and `fraction` for shares from 0 to 1."""

from __future__ import annotations

import argparse
import re

from geo import fmt as nl
from geo.data import units


def add_count_options(p: argparse.ArgumentParser, year_note: str = "") -> None:
    """`--jaar` and `--indicator` (defaults: the latest year, the default indicator); ``year_note`` adds
    to the help of `--jaar` (e.g. another default for one division)."""
    p.add_argument(
        "--jaar",
        type=int,
        default=None,
        help=f"bevolkingsjaar (1 januari): {', '.join(map(str, units.YEARS))}; standaard het laatste "
        f"({units.DEFAULT_YEAR}){year_note}",
    )
    p.add_argument(
        "--indicator",
        default=None,
        choices=list(units.INDICATORS),
        help="kansarmoede-indicator: "
        + "; ".join(f"{k} = {v.label}".replace("%", "%%") for k, v in units.INDICATORS.items())
        + f" (standaard {units.DEFAULT_INDICATOR})",
    )


def count_line(args: argparse.Namespace, level: str | None = None) -> str:
    """The Dutch sentence that states the population year and indicator of the counts used (checked: a
    wrong year gives the Dutch error of `geo.data.units`)."""
    return units.counts_note(getattr(args, "jaar", None), getattr(args, "indicator", None), level)


_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_AMBIGUOUS = re.compile(r"^[+-]?[1-9]\d{0,2}\.\d{3}$")


def number(text: str) -> float:
    """An argument number: `0.3` (decimal point, as in scripts), or the Flemish way through
    `geo.fmt.parse_number`: `0,3`, `24.000.000`, `€ 960.000`, `12,5 %`. `1.500` without a euro sign is
    refused as ambiguous (1500 or 1,5?)."""
    raw = text.strip()
    if _AMBIGUOUS.match(raw):
        whole, decimal = raw.replace(".", ""), raw.replace(".", ",").rstrip("0").rstrip(",")
        raise argparse.ArgumentTypeError(f"'{text}' is dubbelzinnig: schrijf {whole} of {decimal}.")
    if _PLAIN_NUMBER.match(raw):
        return float(raw)
    kind = "euro" if "€" in raw else "percent" if raw.endswith("%") else "number"
    try:
        value = nl.parse_number(raw, kind=kind)
    except nl.NumberInputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if value is None:
        raise argparse.ArgumentTypeError("Er is geen getal opgegeven.")
    return value


def non_negative(text: str) -> float:
    """`number`, 0 or more (a weight, a total, a count of staff)."""
    value = number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"'{text}' is negatief; geef 0 of meer.")
    return value


def fraction(text: str) -> float:
    """`number` from 0 to 1 (a share: 0,8 = 80 %)."""
    value = number(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"'{text}' ligt niet tussen 0 en 1 (bv. 0,8 voor 80 %).")
    return value
