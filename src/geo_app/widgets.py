"""Small widgets used on several pages."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.partners import io as pio

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_pair(frame: pd.DataFrame, stem: str, key: str) -> None:
    """CSV and XLSX download buttons side by side (codes stay text in both)."""
    a, b, _ = st.columns([1, 1, 3])
    a.download_button("Download CSV", pio.to_csv_bytes(frame), f"{stem}.csv", "text/csv", key=f"{key}_csv")
    b.download_button("Download XLSX", pio.to_xlsx_bytes(frame), f"{stem}.xlsx", XLSX_MIME, key=f"{key}_xlsx")
