"""Dutch for the texts Streamlit draws itself (uploader, multiselect, status widget, menu, table toolbar).

Streamlit has no interface language setting; `dutch_ui()` (called once from `app.py`) mounts a small
script in the page that replaces those fixed English texts by exact match whenever Streamlit redraws, and
makes tables show a missing value as "–" instead of the English "None" (`empty_cells_as_dash`).
"""

from __future__ import annotations

import functools
from pathlib import Path

import streamlit as st

EMPTY_CELL = "–"
_JS = (Path(__file__).resolve().parent / "static" / "dutch.js").read_text(encoding="utf-8")
_CSS = ".st-key-geo_dutch_ui { display: none; }"
_component = st.components.v2.component("geo_dutch_ui", js=_JS, css=_CSS, isolate_styles=False)


def empty_cells_as_dash() -> None:
    """`st.dataframe` and `st.data_editor` (also on columns, tabs, ...) show missing values as "–" unless a
    call passes its own `placeholder`. Streamlit draws table cells on a canvas, so the page script cannot
    translate its "None"; this sets the documented `placeholder` default instead. Idempotent."""
    from streamlit.delta_generator import DeltaGenerator

    for name in ("dataframe", "data_editor"):
        original = getattr(DeltaGenerator, name)
        if getattr(original, "_geo_empty_cell", False):
            continue

        @functools.wraps(original)
        def with_dash(self, *args, _original=original, placeholder=None, **kwargs):
            return _original(
                self, *args, placeholder=EMPTY_CELL if placeholder is None else placeholder, **kwargs
            )

        with_dash._geo_empty_cell = True  # type: ignore[attr-defined]
        setattr(DeltaGenerator, name, with_dash)
        # `st.dataframe` is bound to the main container when Streamlit is imported: bind it again
        setattr(st, name, getattr(st._main, name))


def dutch_ui() -> None:
    """Mount the translator (invisible; once per page run) and the "–" for empty table cells."""
    empty_cells_as_dash()
    _component(key="geo_dutch_ui", height=0)
