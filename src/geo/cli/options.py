"""Options shared by the commands that use counts: `--jaar` (population year) and `--indicator`
(deprivation indicator), and the line that states them in the output."""

from __future__ import annotations

import argparse

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
