"""Command line: `python -m geo <command> ...`.

Each command group lives in its own module exposing ``register(subparsers)``; the module adds a
parser whose ``func`` attribute takes the parsed arguments and returns an exit code.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from geo.errors import UserFacingError

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geo", description="Gebiedsplanner 1G1P")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; every failure is a Dutch one-liner on stderr and a non-zero exit (2 for a problem
    the user can fix, 3 for anything else; GEO_DEBUG=1 shows the traceback instead)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except UserFacingError as exc:
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
