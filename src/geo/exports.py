"""One writer for every CSV and XLSX the product hands out (downloads and CLI output).

A table is written with a column spec (`Col`): a Dutch header that names the unit, and a kind that says
how the values are written:

| kind | CSV (`;`, decimal comma, UTF-8 with BOM) | XLSX |
|---|---|---|
| `text`, `code` | text; `'` before a leading `=`, `+`, `-`, `@`, tab, CR | a text cell, never a formula (1) |
| `int` | whole number (`106445`) | number, `#,##0` |
| `number` | fixed decimals (`12,35`) | number, `#,##0.00` |
| `decimal` | up to `decimals` decimals (`0,4`, `1,25`) | number, `0.0#` |
| `euro` | whole euros (or fixed decimals) | number, `€ #,##0` |
| `percent` | the value in percent (`12,5`) | the fraction with a percentage format (`12,5 %`) |
| `share` | a fraction 0-1 written as percent (`83,0`) | the fraction with a percentage format |
| `bool` | `ja` / `nee` | `ja` / `nee` |
| `date` | `2025-01-31` | a date, `dd/mm/jjjj` |

(1) The same text, with Excel's quote prefix when it starts like a formula; codes are formatted `@`.

A cell holding a text in a numeric column is a masked or hidden value and is written as that text in
both formats (`MASK_SMALL` = a count from 1 to 4, `MASK_HIDDEN` = hidden so that a masked count cannot be
recomputed). Missing values are empty cells. File names come from `file_name` (what, which division or
setting, the date).

A frame may carry a line chart for its XLSX sheet in ``frame.attrs[CHART]`` (a `RowLines`: one line per
row over some of its columns, e.g. an amount per area over the years); the CSV writer ignores it.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

MASK_SMALL = "<5"
MASK_HIDDEN = "x"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
KINDS = ("text", "code", "int", "number", "decimal", "euro", "percent", "share", "bool", "date")
NUMERIC_KINDS = frozenset({"int", "number", "decimal", "euro", "percent", "share"})

_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_NUMERIC_TEXT = re.compile(r"^[+-]?\d+([.,]\d+)?$")


@dataclass(frozen=True)
class Col:
    """One output column: `key` in the frame, Dutch `header`, value `kind`, `decimals` for numbers."""

    key: str
    header: str
    kind: str = "text"
    decimals: int = 0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"onbekend kolomtype {self.kind!r}")


#: Dutch headers (with unit) and kinds for column names used across the product; `columns_for` uses them
#: for any frame column without an explicit spec.
KNOWN: dict[str, Col] = {
    c.key: c
    for c in (
        Col("code", "Code", "code"),
        Col("unit_code", "Code eenheid", "code"),
        Col("naam", "Naam"),
        Col("gebied", "Gebied"),
        Col("area", "Gebied"),
        Col("eenheden", "Eenheden (aantal)", "int"),
        Col("inwoners", "Inwoners (aantal)", "int"),
        Col("pop_0_24", "Jongeren 0-24 (aantal)", "int"),
        Col("pop_0_17", "Jongeren 0-17 (aantal)", "int"),
        Col("pop_18_24", "Jongeren 18-24 (aantal)", "int"),
        Col("kansarmoede_n", "Kansarme jongeren 0-24 (schatting, aantal)", "int"),
        Col("kansarmoede_basis", "Jongeren 0-24 met gekende index (aantal)", "int"),
        Col("kansarmoede_pct", "Kansarmoede-index (%)", "percent", 1),
        Col("area_km2", "Oppervlakte (km²)", "number", 1),
        Col("budget_eur", "Budget (€)", "euro"),
        Col("afwijking_pct", "Afwijking van het gemiddelde (%)", "percent", 1),
        Col("band", "Doelband"),
        Col("delen", "Delen (aantal)", "int"),
        Col("samenhangend", "Samenhangend (ja/nee)", "bool"),
        Col("uitzondering", "Gekende uitzondering"),
        Col("polsby_popper", "Compactheid (Polsby-Popper, 0-1)", "number", 2),
        Col("doelgroep", "Jongeren 0-24 (aantal)", "int"),
        Col("aanmeldingen", "Aanmeldingen (aantal)", "int"),
        Col("per_1000", "Aanmeldingen per 1.000 jongeren per jaar", "number", 1),
        Col("behandeld", "Behandeld (aantal)", "int"),
        Col("uitgaand", "Naar een ander gebied (aantal)", "int"),
        Col("inkomend", "Van een ander gebied (aantal)", "int"),
        Col("vte", "Capaciteit (VTE)", "number", 1),
        Col("per_vte_per_maand", "Behandeld per VTE per maand", "number", 1),
        Col("overbelast", "Overbelast (ja/nee)", "bool"),
        Col("maand", "Maand"),
        Col("verwijzer", "Verwijzer"),
        Col("type", "Type"),
        Col("partners", "Partners (aantal)", "int"),
        Col("aandeel_gedekt", "Aandeel gedekt (%)", "share", 1),
        Col("gedekt", "Gedekte doelgroep (aantal)", "int"),
        Col("niet_gedekt", "Niet gedekte doelgroep (aantal)", "int"),
        Col("stap", "Stap", "int"),
        Col("winst", "Extra gedekt (aantal)", "int"),
        Col("gedekt_na", "Gedekt na deze stap (aantal)", "int"),
        Col("aandeel_na", "Aandeel gedekt na deze stap (%)", "share", 1),
        Col("x", "X (Lambert 72, m)", "number", 1),
        Col("y", "Y (Lambert 72, m)", "number", 1),
        Col("reden", "Reden"),
        Col("jaar", "Bevolkingsjaar (1 januari)", "int"),
        Col("bevolkingsjaar", "Bevolkingsjaar (1 januari)", "int"),
        Col("aantallen_geschat", "Aantallen geschat (ja/nee)", "bool"),
        Col("indicator", "Kansarmoede-indicator"),
        Col("kansarmoede_geschat", "Kansarmoede geschat (ja/nee)", "bool"),
    )
}


#: ``frame.attrs`` key of a `RowLines` chart that the XLSX writer puts beside the sheet's table.
CHART = "xlsx_grafiek"


@dataclass(frozen=True)
class RowLines:
    """A line chart with a line per row: the x axis is the headers of ``columns`` (frame keys, side by
    side), each line named by the row's ``label`` cell; ``rows`` = how many first rows (None: all)."""

    title: str
    label: str
    columns: Sequence[str]
    rows: int | None = None
    y_title: str = ""


@dataclass
class Sheet:
    """A worksheet: a frame, its column specs (None = `columns_for`), and a name (cut to 31 characters)."""

    name: str
    frame: pd.DataFrame
    columns: Sequence[Col] | None = None
    notes: Sequence[str] = field(default_factory=tuple)


# ---------------------------------------------------------------------------------------------- columns
def columns_for(frame: pd.DataFrame, given: Iterable[Col] = ()) -> list[Col]:
    """A spec per frame column: `given` first, then `KNOWN`, then one inferred from the dtype/header."""
    specs = {c.key: c for c in given}
    out = []
    for col in frame.columns:
        key = str(col)
        if key in specs:
            out.append(specs[key])
        elif key in KNOWN:
            out.append(KNOWN[key])
        else:
            out.append(_infer(key, frame[col]))
    return out


def _infer(key: str, values: pd.Series) -> Col:
    header = key
    low = key.lower()
    if pd.api.types.is_bool_dtype(values.dtype):
        return Col(key, header, "bool")
    numeric = pd.to_numeric(values, errors="coerce")
    is_numeric = pd.api.types.is_numeric_dtype(values.dtype) or (
        values.dtype == object and numeric.notna().any() and values.map(_is_number_or_gap).all()
    )
    if not is_numeric:
        return Col(key, header, "text")
    finite = numeric[np.isfinite(numeric.astype(float))]
    whole = bool(len(finite)) and bool((finite.round() == finite).all())
    if low.startswith("eur per") or "(€ per" in low:
        return Col(key, header, "euro", 2)
    if "(eur)" in low or "(€)" in low or low.startswith(("eur ", "bedrag")):
        return Col(key, header, "euro", 0 if whole else 2)
    if low.endswith("(%)"):
        return Col(key, header, "percent", 1)
    if "(vte)" in low:
        return Col(key, header, "decimal", 2)
    if pd.api.types.is_integer_dtype(values.dtype) or whole:
        return Col(key, header, "int")
    return Col(key, header, "decimal", 2)


def _is_number_or_gap(v) -> bool:
    return v is None or isinstance(v, (int, float, np.integer, np.floating, str)) and not isinstance(v, bool)


# ---------------------------------------------------------------------------------------------- cells
def neutralise(text: str) -> str:
    """Text that no spreadsheet reads as a formula: a `'` before a leading `=`, `+`, `-`, `@`, tab or CR.

    A text that is itself a plain number (`-5`) is left alone."""
    if text and text.startswith(FORMULA_PREFIXES) and not _NUMERIC_TEXT.match(text):
        return "'" + text
    return text


def _missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating):
        return math.isnan(value)
    return False


def _text(value) -> str:
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _half_up(value: float, decimals: int) -> str:
    """`value` with `decimals` decimals, halves rounded away from zero (as Excel shows them)."""
    q = Decimal(1).scaleb(-decimals)
    out = Decimal(repr(float(value))).quantize(q, rounding=ROUND_HALF_UP)
    return str(abs(out) if out.is_zero() else out)


def half_up(value: float, decimals: int = 0) -> float:
    """`value` rounded to `decimals` decimals with halves away from zero: what the CSV writes and Excel
    shows (Python's own formatting rounds 2.5 to 2), so a printed report shows the same digits."""
    return float(_half_up(value, decimals))


def _number(value, kind: str, decimals: int) -> float | int:
    v = float(value)
    if kind == "percent":
        return v
    if kind == "share":
        return v * 100
    return v


def csv_cell(value, col: Col) -> str:
    """The CSV text of one value (see the module docstring)."""
    if _missing(value):
        return ""
    if isinstance(value, str) and col.kind in NUMERIC_KINDS | {"bool", "date"}:
        return neutralise(value)  # a masked or hidden value
    kind = col.kind
    if kind == "bool":
        return "ja" if bool(value) else "nee"
    if kind == "date":
        return value.isoformat()[:10] if isinstance(value, date | datetime | pd.Timestamp) else str(value)
    if kind in NUMERIC_KINDS:
        v = _number(value, kind, col.decimals)
        if not math.isfinite(v):
            return ""
        if kind == "int" or (kind == "euro" and col.decimals == 0):
            return _half_up(v, 0)
        text = _half_up(v, col.decimals)
        if kind == "decimal" and "." in text:
            text = text.rstrip("0").rstrip(".")
        return text.replace(".", ",")
    return neutralise(_text(value))


def csv_bytes(frame: pd.DataFrame, columns: Sequence[Col] | None = None) -> bytes:
    """CSV for Excel in Belgium: `;`, decimal comma, UTF-8 with BOM, Dutch headers, no live formulas."""
    specs = columns_for(frame, columns or ())
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([neutralise(c.header) for c in specs])
    cols = [frame[c.key].tolist() for c in specs]
    for row in zip(*cols, strict=True):
        writer.writerow([csv_cell(v, c) for v, c in zip(row, specs, strict=True)])
    return buffer.getvalue().encode("utf-8-sig")


_XLSX_FORMATS = {
    "int": "#,##0",
    "code": "@",
    "text": "@",
    "date": "dd/mm/yyyy",
}


def _xlsx_format(col: Col) -> str | None:
    frac = ("." + "0" * col.decimals) if col.decimals else ""
    if col.kind in _XLSX_FORMATS:
        return _XLSX_FORMATS[col.kind]
    if col.kind == "number":
        return f"#,##0{frac}"
    if col.kind == "decimal":
        return "0." + "0" + "#" * max(col.decimals - 1, 0) if col.decimals else "0"
    if col.kind == "euro":
        return f'"€ "#,##0{frac};-"€ "#,##0{frac}'
    if col.kind in ("percent", "share"):
        return f"0{frac}%"
    return None


def _clean_xml(text: str) -> str:
    return _ILLEGAL_XML.sub("", text)


def xlsx_bytes(sheets: Sequence[Sheet] | Mapping[str, pd.DataFrame]) -> bytes:
    """An XLSX workbook: per sheet a bold header row, real numbers with number/euro/percentage formats,
    codes as text, user texts never as formulas. Sheet names are cut to 31 characters and made unique."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    if isinstance(sheets, Mapping):
        sheets = [Sheet(name, frame) for name, frame in sheets.items()]
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    used: set[str] = set()
    for sheet in sheets:
        ws = wb.create_sheet(_sheet_name(sheet.name, used))
        specs = columns_for(sheet.frame, sheet.columns or ())
        formats = [_xlsx_format(c) for c in specs]
        widths = [max(10, min(60, len(c.header) + 2)) for c in specs]
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.freeze_panes = "A2"

        def text_cell(text: str, ws=ws) -> WriteOnlyCell:
            cell = WriteOnlyCell(ws, value=_clean_xml(text))
            cell.data_type = "s"  # never a formula, whatever the text starts with
            if text.startswith(FORMULA_PREFIXES):
                cell.quotePrefix = True
            return cell

        header = []
        for c in specs:
            cell = text_cell(c.header)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        cols = [sheet.frame[c.key].tolist() for c in specs]
        for row in zip(*cols, strict=True):
            out = []
            for value, col, fmt in zip(row, specs, formats, strict=True):
                out.append(_xlsx_cell(ws, value, col, fmt, text_cell))
            ws.append(out)
        if sheet.notes:
            ws.append([])
            for note in sheet.notes:
                ws.append([text_cell(note)])
        chart = sheet.frame.attrs.get(CHART)
        if isinstance(chart, RowLines):
            _add_row_lines(ws, chart, [c.key for c in specs], len(sheet.frame))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _add_row_lines(ws, chart: RowLines, keys: list[str], n_rows: int) -> None:
    """An Excel line chart (a real chart object on the sheet's own cells) to the right of the table."""
    from openpyxl.chart import LineChart, Reference, Series
    from openpyxl.chart.data_source import AxDataSource, StrRef
    from openpyxl.chart.series import SeriesLabel
    from openpyxl.utils import get_column_letter

    cols = [keys.index(k) + 1 for k in chart.columns]
    first, last = min(cols), max(cols)
    if cols != list(range(first, last + 1)):
        raise ValueError("de kolommen van een grafiek moeten naast elkaar staan")
    label = get_column_letter(keys.index(chart.label) + 1)
    lines = LineChart()
    lines.title = chart.title
    lines.y_axis.title = chart.y_title
    lines.y_axis.numFmt = "#,##0"
    lines.height, lines.width = 9, 18
    sheet = "'" + ws.title.replace("'", "''") + "'"
    headers = f"{sheet}!${get_column_letter(first)}$1:${get_column_letter(last)}$1"  # texts: a StrRef
    for row in range(2, 2 + (n_rows if chart.rows is None else min(chart.rows, n_rows))):
        series = Series(Reference(ws, min_col=first, max_col=last, min_row=row, max_row=row))
        series.tx = SeriesLabel(strRef=StrRef(f"{sheet}!${label}${row}"))
        series.cat = AxDataSource(strRef=StrRef(headers))
        lines.series.append(series)
    ws.add_chart(lines, f"{get_column_letter(len(keys) + 2)}2")


def _xlsx_cell(ws, value, col: Col, fmt: str | None, text_cell):
    from openpyxl.cell import WriteOnlyCell

    if _missing(value):
        return None
    if isinstance(value, str) and col.kind in NUMERIC_KINDS | {"bool", "date"}:
        return text_cell(value)
    kind = col.kind
    if kind == "bool":
        return text_cell("ja" if bool(value) else "nee")
    if kind in NUMERIC_KINDS:
        v = float(value)
        if not math.isfinite(v):
            return None
        if kind == "percent":
            v = v / 100
        if kind == "int" or (kind == "euro" and col.decimals == 0):
            v = int(_half_up(v, 0))
        cell = WriteOnlyCell(ws, value=v)
        cell.number_format = fmt
        return cell
    if kind == "date":
        if isinstance(value, pd.Timestamp):
            value = value.to_pydatetime()
        if isinstance(value, date | datetime):
            if isinstance(value, datetime) and value.tzinfo is not None:
                value = value.replace(tzinfo=None)
            cell = WriteOnlyCell(ws, value=value)
            cell.number_format = fmt
            return cell
        return text_cell(str(value))
    cell = text_cell(_text(value))
    if fmt:
        cell.number_format = fmt
    return cell


def _sheet_name(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "-", str(name)).strip("'") or "blad"
    base = base[:31]
    candidate, i = base, 2
    while candidate.lower() in used:
        suffix = f" ({i})"
        candidate = base[: 31 - len(suffix)] + suffix
        i += 1
    used.add(candidate.lower())
    return candidate


def info_frame(fields: Mapping[str, object]) -> pd.DataFrame:
    """A two-column `Veld`/`Waarde` table (for an info sheet), all values as text."""
    return pd.DataFrame(
        {"Veld": [str(k) for k in fields], "Waarde": ["" if _missing(v) else str(v) for v in fields.values()]}
    )


INFO_COLUMNS = (Col("Veld", "Veld"), Col("Waarde", "Waarde"))


# ---------------------------------------------------------------------------------------------- names
def slug(text: str, max_len: int = 50) -> str:
    """`Groot Antwerpen (WCP's)` -> `groot-antwerpen-wcp-s` (ASCII, lower case, dashes)."""
    folded = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").lower()
    out = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    return out[:max_len].rstrip("-")


def file_name(*parts: object, ext: str, when: date | None = None) -> str:
    """`file_name("indeling", "Mijn gebieden", ext="csv")` -> `indeling_mijn-gebieden_2025-01-31.csv`."""
    pieces = [slug(str(p)) for p in parts if p is not None and str(p).strip()]
    pieces = [p for p in pieces if p]
    day = (when or date.today()).isoformat()
    return "_".join([*pieces, day]) + "." + ext.lstrip(".")
