"""What the commands share for their output: the caller, import messages, tables on screen and in files.

`caller` is the local user or, on a team server, GEO_USER in GEO_WERKRUIMTE; `write_table` writes a frame
as CSV or XLSX (by the extension) through the one export writer (`geo.exports`); `write_file` says where
it wrote, or gives a Dutch error when the disk is full or the folder is not writable.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from geo import exports
from geo.errors import UserFacingError


def caller():
    """The caller (the local user, or GEO_USER in GEO_WERKRUIMTE on a team server)."""
    from geo.store.access import cli_actor

    return cli_actor()


def print_messages(messages) -> None:
    """Import messages: errors on stderr as `Fout: …`, the others on stdout as `Let op: …`."""
    for m in messages:
        stream = sys.stderr if m.level == "fout" else sys.stdout
        print(f"{'Fout' if m.level == 'fout' else 'Let op'}: {m}", file=stream)


def write_table(frame: pd.DataFrame, out: str | None, columns=None, sheet: str = "tabel") -> None:
    """Write ``frame`` as CSV or XLSX (by the extension of ``out``; nothing without ``out``)."""
    if not out:
        return
    path = Path(out)
    if path.suffix.lower() == ".xlsx":
        data = exports.xlsx_bytes([exports.Sheet(sheet, frame, columns)])
    else:
        data = exports.csv_bytes(frame, columns)
    write_file(path, data)


def write_file(path: Path, data: bytes) -> None:
    """Write bytes, with a Dutch message when the disk is full or the folder is not writable."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise UserFacingError(f"Kan {path} niet schrijven ({exc.strerror or exc}).") from exc
    print(f"Geschreven: {path}")


def show(frame: pd.DataFrame) -> None:
    """A table on screen (up to 200 rows, columns up to 40 characters)."""
    with pd.option_context("display.max_rows", 200, "display.width", 160, "display.max_colwidth", 40):
        print(frame.to_string(index=False))
