"""Dutch for the texts Streamlit draws itself (uploader, multiselect, status widget, menu, table toolbar).

Streamlit has no interface language setting; `dutch_ui()` (called once from `app.py`) mounts a small
script in the page that replaces those fixed English texts by exact match whenever Streamlit redraws.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

_JS = (Path(__file__).resolve().parent / "static" / "dutch.js").read_text(encoding="utf-8")
_CSS = ".st-key-geo_dutch_ui { display: none; }"
_component = st.components.v2.component("geo_dutch_ui", js=_JS, css=_CSS, isolate_styles=False)


def dutch_ui() -> None:
    """Mount the translator (invisible; once per page run)."""
    _component(key="geo_dutch_ui", height=0)
