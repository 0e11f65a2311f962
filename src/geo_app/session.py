"""Objects the pages keep in the Streamlit session, one accessor each (the key lives only here)."""

from __future__ import annotations

import streamlit as st

from geo_app.editor_state import EditorState

EDITOR_KEY = "ind_editor"


def editor() -> EditorState:
    """The division editor of this browser session (created empty on first use)."""
    state = st.session_state.get(EDITOR_KEY)
    if not isinstance(state, EditorState):
        state = st.session_state[EDITOR_KEY] = EditorState()
    return state


def open_editor() -> EditorState | None:
    """The editor when it holds a division (e.g. for the comparison page), else None."""
    state = st.session_state.get(EDITOR_KEY)
    return state if isinstance(state, EditorState) and state.is_open else None
