"""Reading a user's file into sheets of text cells, whatever Excel or a hand-made CSV did to it.

- CSV/TXT: the encoding is found from a byte-order mark (UTF-8, UTF-16), from the pattern of zero bytes
  (UTF-16 without a mark), else UTF-8 when the bytes are valid UTF-8, else Windows-1252 (Excel's "CSV" on
  Windows). The separator is the one of `;`, tab, `,`, `|` that splits the first lines into the same,
  largest number of fields (quotes respected).
- XLSX/XLSM/XLS/ODS: every sheet is read (hidden ones too, so that the personal-data screen sees them);
  merged cells are filled with their value; numbers that are whole become `11002`, not `11002.0`; dates
  become `2024-03-01` (with the time when there is one).
- GeoJSON: the properties of the features, one row per feature.

Cells are kept as text exactly as written (no stripping); rows keep their spreadsheet numbers.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from geo.errors import UserFacingError

SEPARATORS = (";", "\t", ",", "|")
SEPARATOR_NAMES = {";": "puntkomma's", "\t": "tabs", ",": "komma's", "|": "verticale strepen"}
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv", ".tab", "")
GEOJSON_SUFFIXES = (".geojson", ".json")
SNIFF_LINES = 60


@dataclass
class Sheet:
    """One sheet: rows of text cells; ``rows[i]`` is spreadsheet row ``i + 1``."""

    name: str
    rows: list[list[str]]
    hidden: bool = False
    merged_filled: int = 0  # cells filled from a merged range


@dataclass
class RawFile:
    """A file read into sheets (one for CSV and GeoJSON), with how it was read."""

    filename: str
    format: str  # "csv", "spreadsheet", "geojson"
    sheets: list[Sheet]
    encoding: str | None = None
    separator: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def row_word(self) -> str:
        return "Object" if self.format == "geojson" else "Rij"

    def describe(self) -> str:
        """How the file was read, in Dutch (for the preview)."""
        if self.format == "csv":
            return (
                f"tekstbestand ({ENCODING_NAMES.get(self.encoding or '', self.encoding)}, gescheiden door "
                f"{SEPARATOR_NAMES.get(self.separator or ',', self.separator)})"
            )
        if self.format == "geojson":
            return "GeoJSON (eigenschappen van de objecten)"
        return f"rekenblad met {len(self.sheets)} {'blad' if len(self.sheets) == 1 else 'bladen'}"


ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 met BOM",
    "utf-16": "UTF-16, Excel 'Unicode-tekst'",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1",
}


def read_file(content: bytes, filename: str) -> RawFile:
    """Read ``content`` (the bytes of ``filename``) into sheets of text; UserFacingError when it cannot be
    read at all (empty, an unknown type, a broken workbook)."""
    name = Path(filename or "").name
    suffix = Path(name).suffix.lower()
    if not content or not content.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise UserFacingError(f"Het bestand '{name}' is leeg.")
    if content[:4] == b"PK\x03\x04" or content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return _read_spreadsheet(content, name)
    if suffix in SPREADSHEET_SUFFIXES:
        raise UserFacingError(
            f"'{name}' is geen geldig Excel-bestand (beschadigd, of een ander type met een Excel-extensie). "
            "Open het in Excel en bewaar het opnieuw als .xlsx of .csv."
        )
    if suffix in GEOJSON_SUFFIXES:
        return _read_geojson(content, name)
    if suffix not in TEXT_SUFFIXES:
        raise UserFacingError(
            f"Bestandstype '{suffix}' wordt niet ondersteund: gebruik CSV, XLSX (Excel) of GeoJSON."
        )
    text, encoding = decode(content)
    if "\x00" in text:
        raise UserFacingError(
            f"'{name}' lijkt geen tekstbestand (het bevat binaire gegevens). Gebruik CSV, XLSX of GeoJSON."
        )
    sep = sniff_separator(text)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    return RawFile(name, "csv", [Sheet("", rows)], encoding=encoding, separator=sep)


# ---------------------------------------------------------------------------------------------- text
def decode(content: bytes) -> tuple[str, str]:
    """Text and the encoding used (see the module docstring)."""
    if content.startswith(b"\xef\xbb\xbf"):
        return _strict(content, "utf-8-sig"), "utf-8-sig"
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(content, "utf-16"), "utf-16"
    head = content[:4000]
    if len(head) >= 4:
        even_zero = head[0::2].count(0) / max(len(head[0::2]), 1)
        odd_zero = head[1::2].count(0) / max(len(head[1::2]), 1)
        if odd_zero > 0.3 and even_zero < 0.05:
            return _strict(content, "utf-16-le"), "utf-16-le"
        if even_zero > 0.3 and odd_zero < 0.05:
            return _strict(content, "utf-16-be"), "utf-16-be"
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return content.decode("latin-1"), "latin-1"


def _strict(content: bytes, encoding: str) -> str:
    try:
        return content.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UserFacingError(
            f"Het bestand begint als {ENCODING_NAMES.get(encoding, encoding)} maar bevat ongeldige tekens "
            f"(byte {exc.start}). Bewaar het opnieuw als 'CSV UTF-8' of als Excel-bestand."
        ) from exc


def sniff_separator(text: str) -> str:
    """The separator that splits the first lines into the same, largest number of fields (`,` when no
    separator splits anything)."""
    lines = [ln for ln in text.splitlines()[: SNIFF_LINES * 2] if ln.strip()][:SNIFF_LINES]
    best, best_score = ",", (0.0, 1)
    for sep in SEPARATORS:
        counts = [len(r) for r in csv.reader(lines, delimiter=sep)]
        if not counts:
            continue
        mode = max(set(counts), key=lambda n: (counts.count(n), n))
        if mode < 2:
            continue
        score = (counts.count(mode) / len(counts), mode)
        if score[0] > best_score[0] + 1e-9 or (abs(score[0] - best_score[0]) < 1e-9 and mode > best_score[1]):
            best, best_score = sep, score
    return best


# ---------------------------------------------------------------------------------------------- sheets
def cell_text(value) -> str:
    """A spreadsheet value as text: whole numbers without `.0`, dates as ISO (time only when set)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="seconds")
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _read_spreadsheet(content: bytes, name: str) -> RawFile:
    try:
        import python_calamine as calamine
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise UserFacingError(
            "Excel-bestanden lezen vraagt het pakket python-calamine: `pip install python-calamine`."
        ) from exc
    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
        metas = {m.name: m for m in book.sheets_metadata}
        sheets = []
        for sheet_name in book.sheet_names:
            sheet = book.get_sheet_by_name(sheet_name)
            rows = [[cell_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
            filled = _fill_merged(rows, sheet.merged_cell_ranges or [])
            meta = metas.get(sheet_name)
            hidden = meta is not None and "Visible" not in str(meta.visible)
            sheets.append(Sheet(sheet_name, rows, hidden=hidden, merged_filled=filled))
    except UserFacingError:
        raise
    except Exception as exc:  # noqa: BLE001 - any reader failure becomes one clear message
        raise UserFacingError(
            f"Het rekenblad '{name}' kan niet gelezen worden (beschadigd of met een wachtwoord beveiligd?). "
            "Open het in Excel en bewaar het opnieuw als .xlsx of .csv."
        ) from exc
    if not sheets:
        raise UserFacingError(f"Het rekenblad '{name}' heeft geen bladen.")
    return RawFile(name, "spreadsheet", sheets)


def _fill_merged(rows: list[list[str]], ranges) -> int:
    """Fill every cell of a merged range with the value of its top-left cell; returns how many were filled."""
    filled = 0
    for (r0, c0), (r1, c1) in ranges:
        if r0 >= len(rows):
            continue
        top = rows[r0][c0] if c0 < len(rows[r0]) else ""
        if top == "":
            continue
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            for c in range(c0, c1 + 1):
                if (r, c) == (r0, c0):
                    continue
                while len(row) <= c:
                    row.append("")
                if row[c] == "":
                    row[c] = top
                    filled += 1
    return filled


def _read_geojson(content: bytes, name: str) -> RawFile:
    text, _enc = decode(content)
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise UserFacingError(f"'{name}' is geen geldige GeoJSON (JSON-fout op regel {exc.lineno}).") from exc
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise UserFacingError(f"'{name}' heeft geen 'features': is het wel GeoJSON?")
    keys: list[str] = []
    props_list = []
    for f in features:
        props = (f.get("properties") if isinstance(f, dict) else None) or {}
        props_list.append(props)
        for k in props:
            if k not in keys:
                keys.append(k)
    rows = [list(keys)] + [[cell_text(p.get(k)) for k in keys] for p in props_list]
    return RawFile(name, "geojson", [Sheet("", rows)], encoding="utf-8")
