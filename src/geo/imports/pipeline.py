"""`open_table`: read, screen every sheet for personal data, then find the kind's table.

`table_from_frame` does the same for a frame that is already in memory (a table of strings with the file's
column names), so that no path into the product skips the screen.
"""

from __future__ import annotations

import pandas as pd

from geo.imports import privacy
from geo.imports.reading import RawFile, Sheet, read_file
from geo.imports.table import Kind, Table, build_table


def open_table(content: bytes, filename: str, kind: Kind) -> Table:
    """The table of ``kind`` in a file. Raises `UserFacingError` when the file cannot be read and
    `privacy.PrivacyError` when any sheet looks like it holds personal data (nothing is kept then)."""
    raw = read_file(content, filename)
    privacy.check(raw, kind)
    return build_table(raw, kind)


def table_from_frame(frame: pd.DataFrame, kind: Kind, name: str = "") -> Table:
    """The table of ``kind`` in a frame of strings (its columns are the header, rows start at row 2),
    after the same personal-data screen as a file."""
    header = [str(c) for c in frame.columns]
    rows = [header] + [[_text(v) for v in row] for row in frame.itertuples(index=False)]
    raw = RawFile(name, "csv", [Sheet("", rows)])
    privacy.check(raw, kind)
    table = build_table(raw, kind)
    table.read_as = ""
    return table


def _text(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def read_frame(content: bytes, filename: str, kind: Kind) -> pd.DataFrame:
    """The table of ``kind`` in a file as a frame of strings under the file's own column names (rows from
    the header on; title rows above it skipped), after the personal-data screen of every sheet. For
    validators that map columns themselves."""
    table = open_table(content, filename, kind)
    raw = read_file(content, filename)  # already screened; re-read for the columns the kind does not use
    sheet = next(s for s in raw.sheets if s.name == table.sheet)
    h = (table.header_row or 1) - 1 if raw.format != "geojson" else 0
    header = table.headers
    rows = [r for r in sheet.rows[h + 1 :] if any(str(c).strip() for c in r)]
    data = [[str(r[i]).strip() if i < len(r) else "" for i in range(len(header))] for r in rows]
    return pd.DataFrame(data, columns=header, dtype=object) if header else pd.DataFrame()
