"""Small widgets used on several pages: the no-data guard, downloads, error display."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import pandas as pd
import streamlit as st

from geo import exports
from geo.data import units
from geo.errors import UserFacingError
from geo_app.text import md

XLSX_MIME = exports.XLSX_MIME
NO_DATA = "Er zijn nog geen gegevens opgebouwd. Voer eerst `make data` uit en herlaad deze pagina."

T = TypeVar("T")


def require_build() -> str:
    """The data build stamp; without built data an explanation and the page stops here."""
    stamp = units.build_stamp()
    if stamp is None:
        st.info(NO_DATA, icon="ℹ️")
        st.stop()
    return stamp


def download_pair(
    frame: pd.DataFrame,
    stem: str,
    key: str,
    columns: Sequence[exports.Col] | None = None,
    sheet: str | None = None,
    name_parts: Sequence[object] = (),
) -> None:
    """CSV and XLSX download buttons side by side, both from the one export writer (`geo.exports`):
    Dutch headers, `;` and decimal comma, real numbers in XLSX, codes as text, no live formulas. The file
    name is `stem`, the `name_parts` (division, setting) and today's date."""
    a, b, _ = st.columns([1, 1, 3])
    base = exports.file_name(stem, *name_parts, ext="x")[:-2]
    a.download_button(
        "Download CSV", exports.csv_bytes(frame, columns), f"{base}.csv", exports.CSV_MIME, key=f"{key}_csv"
    )
    sheets = [exports.Sheet(sheet or stem.replace("_", " "), frame, columns)]
    b.download_button(
        "Download XLSX", exports.xlsx_bytes(sheets), f"{base}.xlsx", XLSX_MIME, key=f"{key}_xlsx"
    )


def csv_bytes(frame: pd.DataFrame, columns: Sequence[exports.Col] | None = None) -> bytes:
    """A table as CSV that Excel opens correctly (`geo.exports`: `;`, decimal comma, UTF-8 with BOM)."""
    return exports.csv_bytes(frame, columns)


def attempt(action: Callable[[], T], icon: str | None = None) -> T | None:
    """Run `action`; a `UserFacingError` becomes a Dutch error on the page and None."""
    try:
        return action()
    except UserFacingError as exc:
        st.error(md(str(exc)), icon=icon)
        return None
