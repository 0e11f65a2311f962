"""The one export writer: Dutch headers, `;` + decimal comma + BOM, real XLSX numbers, no live formulas."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import numpy as np
import openpyxl
import pandas as pd

from geo import exports
from geo.exports import Col

HOSTILE = ['=HYPERLINK("http://x","klik")', "+32 3 123", "-2+3", "@SUM(A1)", "\t=1", "=cmd|' /C calc'!A0"]


def _rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig")
    return [line.split(";") for line in text.splitlines()]


def test_csv_is_semicolon_decimal_comma_bom_and_dutch_headers():
    frame = pd.DataFrame({"gebied": ["Noord"], "inwoners": [106444.609375], "kansarmoede_pct": [12.34]})
    data = exports.csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    assert _rows(data) == [
        ["Gebied", "Inwoners (aantal)", "Kansarmoede-index (%)"],
        ["Noord", "106445", "12,3"],
    ]


def test_masked_cells_do_not_change_the_decimal_mark_of_a_column():
    frame = pd.DataFrame(
        {"gebied": ["A", "B", "C"], "per_1000": [12.25, "x", 3.5], "aanmeldingen": [40, "<5", 7]}
    )
    rows = _rows(exports.csv_bytes(frame))
    assert [r[1] for r in rows[1:]] == ["12,3", "x", "3,5"]
    assert [r[2] for r in rows[1:]] == ["40", "<5", "7"]


def test_formula_prefixes_are_neutralised_in_csv():
    frame = pd.DataFrame({"gebied": HOSTILE, "n": range(len(HOSTILE))})
    rows = _rows(exports.csv_bytes(frame, [Col("gebied", "Gebied"), Col("n", "N", "int")]))
    cells = [r[0] for r in rows[1:]]
    assert all(c.startswith("'") or c.startswith("\"'") for c in cells), cells
    assert exports.neutralise("-5") == "-5" and exports.neutralise("Noord") == "Noord"


def test_xlsx_never_holds_a_formula_and_keeps_numbers_numeric():
    frame = pd.DataFrame(
        {
            "code": ["01001", "11002"],
            "gebied": [HOSTILE[0], "Zuid"],
            "inwoners": [1234.6, np.nan],
            "budget_eur": [1_000_000, 5],
            "kansarmoede_pct": [12.5, 3.0],
            "samenhangend": [True, False],
            "aanmeldingen": ["<5", 12],
        }
    )
    data = exports.xlsx_bytes([exports.Sheet("caseload", frame)])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml  # no formula anywhere
    ws = openpyxl.load_workbook(io.BytesIO(data))["caseload"]
    header = [c.value for c in ws[1]]
    assert header == [
        "Code",
        "Gebied",
        "Inwoners (aantal)",
        "Budget (€)",
        "Kansarmoede-index (%)",
        "Samenhangend (ja/nee)",
        "Aanmeldingen (aantal)",
    ]
    code, name, inh, eur, pct, flag, count = ws[2]
    assert code.value == "01001" and code.number_format == "@"
    assert name.value == HOSTILE[0] and name.data_type == "s" and name.quotePrefix
    assert inh.value == 1235 and inh.data_type == "n" and inh.number_format == "#,##0"
    assert eur.value == 1_000_000 and "€" in eur.number_format
    assert pct.value == 0.125 and pct.number_format == "0.0%"
    assert flag.value == "ja" and count.value == "<5"
    assert ws.cell(row=3, column=3).value is None  # missing stays empty
    assert ws.cell(row=3, column=7).value == 12 and ws.cell(row=3, column=7).data_type == "n"


def test_sheet_names_are_cut_and_unique_and_control_characters_dropped():
    frame = pd.DataFrame({"naam": ["a\x00b\x07c"]})
    data = exports.xlsx_bytes(
        [exports.Sheet("x" * 40, frame), exports.Sheet("x" * 40, frame), exports.Sheet("a/b", frame)]
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["x" * 31, "x" * 27 + " (2)", "a-b"]
    assert book.worksheets[0]["A2"].value == "abc"


def test_file_names_name_what_which_and_when():
    day = date(2025, 3, 1)
    assert exports.file_name("indeling", "Groot Antwerpen (WCP's)", ext="csv", when=day) == (
        "indeling_groot-antwerpen-wcp-s_2025-03-01.csv"
    )
    assert exports.file_name("budget", "", "a=0,3", ext="xlsx", when=day) == "budget_a-0-3_2025-03-01.xlsx"
