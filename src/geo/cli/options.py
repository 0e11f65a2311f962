"""Options shared by the commands: `--jaar` (population year) and `--indicator` (deprivation indicator)
and the line that states them in the output; `number`, the type of every number argument (Flemish or
script notation), `non_negative` for values that cannot be below 0 and `fraction` for shares from 0 to 1;
`--werkruimte` for every command that reads or writes a workspace (`add_workspace_options`); `--level`/
`--niveau` for division files (`add_division_level`)."""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager

from geo import fmt as nl
from geo.data import units
from geo.divisions.io import LEVEL_NAMES


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


def add_division_level(
    p: argparse.ArgumentParser, text: str = "niveau van de codes (anders herkend)"
) -> None:
    """`--level`/`--niveau`: the level of the unit codes in a division file (one of `LEVEL_NAMES`)."""
    p.add_argument("--level", "--niveau", choices=list(LEVEL_NAMES), help=text)


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


#: Command groups whose commands read or write a workspace's stored data.
WORKSPACE_GROUPS = ("division", "partners", "caseload")


def add_workspace_options(parser: argparse.ArgumentParser) -> None:
    """`--werkruimte` on every command of `WORKSPACE_GROUPS` that has none yet (as allocate, instelling and
    team have it); `with_workspace` makes it the caller's workspace."""
    groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for group in groups:
        for name, sub in group.choices.items():
            if name not in WORKSPACE_GROUPS:
                continue
            for commands in (a for a in sub._actions if isinstance(a, argparse._SubParsersAction)):
                for command in commands.choices.values():
                    if "--werkruimte" not in command._option_string_actions:
                        command.add_argument(
                            "--werkruimte",
                            default=None,
                            help="werkruimte op een teamserver (anders GEO_WERKRUIMTE)",
                        )


@contextmanager
def with_workspace(args: argparse.Namespace) -> Iterator[None]:
    """While a command runs, `--werkruimte` is the workspace `geo.store.access.cli_actor` reads
    (GEO_WERKRUIMTE); afterwards the environment is as it was."""
    workspace = getattr(args, "werkruimte", None)
    if not workspace:
        yield
        return
    before = os.environ.get("GEO_WERKRUIMTE")
    os.environ["GEO_WERKRUIMTE"] = workspace
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("GEO_WERKRUIMTE", None)
        else:
            os.environ["GEO_WERKRUIMTE"] = before
