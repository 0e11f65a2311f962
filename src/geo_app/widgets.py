"""Small widgets used on several pages: the no-data guard, downloads, error display."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pandas as pd
import streamlit as st

from geo.data import units
from geo.errors import UserFacingError
from geo.partners import io as pio

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NO_DATA = "Er zijn nog geen gegevens opgebouwd. Voer eerst `make data` uit en herlaad deze pagina."

T = TypeVar("T")


def require_build() -> str:
    """The data build stamp; without built data an explanation and the page stops here."""
    stamp = units.build_stamp()
    if stamp is None:
        st.info(NO_DATA, icon="ℹ️")
        st.stop()
    return stamp


def download_pair(frame: pd.DataFrame, stem: str, key: str) -> None:
    """CSV and XLSX download buttons side by side (codes stay text in both)."""
    a, b, _ = st.columns([1, 1, 3])
    a.download_button("Download CSV", pio.to_csv_bytes(frame), f"{stem}.csv", "text/csv", key=f"{key}_csv")
    b.download_button("Download XLSX", pio.to_xlsx_bytes(frame), f"{stem}.xlsx", XLSX_MIME, key=f"{key}_xlsx")


def csv_bytes(frame: pd.DataFrame, decimal: str = ",") -> bytes:
    """A table as CSV that Excel opens correctly (`;`, decimal comma, UTF-8 with BOM)."""
    return frame.to_csv(index=False, sep=";", decimal=decimal).encode("utf-8-sig")


def attempt(action: Callable[[], T], icon: str | None = None) -> T | None:
    """Run `action`; a `UserFacingError` becomes a Dutch error on the page and None."""
    try:
        return action()
    except UserFacingError as exc:
        st.error(str(exc), icon=icon)
        return None
