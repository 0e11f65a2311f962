"""Command line: `python -m geo <command> ...`.

Each command group lives in its own module exposing ``register(subparsers)``; the module adds a
parser whose ``func`` attribute takes the parsed arguments and returns an exit code.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys

from geo.cli.options import add_workspace_options, with_workspace
from geo.errors import UserFacingError
from geo.fmt import NumberInputError

# Modules that contribute sub-commands (each has `register(subparsers)`).
COMMAND_MODULES = [
    "geo.cli.data",
    "geo.cli.budget",
    "geo.cli.settings",
    "geo.cli.division",
    "geo.cli.partners",
    "geo.cli.caseload",
    "geo.cli.team",
]


# argparse's own messages (Python 3.11) and their Dutch text; anything else is shown as it is
_ARGPARSE_DUTCH = [
    (
        r"invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)",
        "ongeldige keuze {value} (kies uit {choices})",
    ),
    (r"invalid (?:float|int|\w+) value: (?P<value>.+)", "{value} is geen geldig getal"),
    (r"expected one argument", "er hoort één waarde bij"),
    (r"expected at most one argument", "er hoort hoogstens één waarde bij"),
    (r"expected at least one argument", "er hoort minstens één waarde bij"),
    (r"not allowed with argument (?P<other>.+)", "niet samen met {other}"),
    (r"ignored explicit argument (?P<value>.+)", "waarde {value} hoort hier niet bij"),
    (r"the following arguments are required: (?P<names>.+)", "ontbreekt: {names}"),
    (r"one of the arguments (?P<names>.+) is required", "kies een van {names}"),
    (r"unrecognized arguments: (?P<names>.+)", "onbekende opties of waarden: {names}"),
    (
        r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)",
        "optie {option} is dubbelzinnig ({matches})",
    ),
]


def dutch_usage_error(message: str) -> str:
    """argparse's English error message in Dutch (`argument --x: invalid ...` -> `--x: ...`)."""
    prefix = ""
    if re.fullmatch(r"the following arguments are required: \w*command", message.strip()):
        return "kies een opdracht"
    head = re.match(r"argument (?P<name>[^:]+): (?P<rest>.*)", message, flags=re.S)
    if head:
        name = "opdracht" if head["name"].endswith("command") else head["name"]
        prefix, message = f"{name}: ", head["rest"]
    for pattern, dutch in _ARGPARSE_DUTCH:
        found = re.fullmatch(pattern, message.strip(), flags=re.S)
        if found:
            return prefix + dutch.format(**found.groupdict())
    return prefix + message


def _dutch_usage(text: str) -> str:
    """argparse's `usage: ` prefix in Dutch (its wrapped lines moved along with the longer word)."""
    if not text.startswith("usage: "):
        return text
    usage, sep, rest = text.partition("\n\n")
    first, *more = usage.removeprefix("usage: ").split("\n")
    shift = " " * (len("gebruik: ") - len("usage: "))
    return "\n".join(["gebruik: " + first, *(shift + line for line in more)]) + sep + rest


class DutchArgumentParser(argparse.ArgumentParser):
    """Wrong arguments give a Dutch one-liner (and where to find the help) with exit code 2; a negative
    number written the Flemish way (`-2,5`, `-1.000`) is a value, not an unknown option. The help is
    Dutch too (headings, `-h`, the usage line)."""

    def __init__(self, *args, **kwargs) -> None:
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._negative_number_matcher = re.compile(r"^-\d[\d.,]*$|^-[.,]\d+$")
        self._positionals.title = "argumenten"
        self._optionals.title = "opties"
        if add_help:
            self.add_argument("-h", "--help", action="help", help="toon deze hulp en stop")

    def format_usage(self) -> str:
        return _dutch_usage(super().format_usage())

    def format_help(self) -> str:
        return _dutch_usage(super().format_help())

    def error(self, message: str):  # type: ignore[override]
        text = dutch_usage_error(message).rstrip(". ")
        print(f"Fout: {text}. Hulp: {self.prog} --help", file=sys.stderr)
        self.exit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = DutchArgumentParser(prog="python -m geo", description="Gebiedsplanner 1G1P")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    add_workspace_options(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; every failure is a Dutch one-liner on stderr and a non-zero exit (2 for a problem
    the user can fix, 3 for anything else; GEO_DEBUG=1 shows the traceback instead)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with with_workspace(args):
            return int(args.func(args) or 0)
    except (UserFacingError, NumberInputError) as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Afgebroken.", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback reaches a user
        if os.environ.get("GEO_DEBUG"):
            raise
        from geo import faults

        text = faults.message(exc)
        known = not text.startswith("Onverwachte fout")
        suffix = "" if known else " Herhaal met GEO_DEBUG=1 voor de technische details."
        print(f"Fout: {text}{suffix}", file=sys.stderr)
        return 2 if known else 3
