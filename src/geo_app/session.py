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


KEPT = "kept_"


def kept(key: str, default, options=None):
    """The value last chosen in the widget ``key`` in this session, else ``default``.

    Streamlit forgets a widget's value in a run that does not draw it (a closed tab); pass this as the
    widget's default and `keep` its value after drawing it, so the choice survives switching tabs.
    ``options``: the value is used only when it is still one of them.
    """
    value = st.session_state.get(KEPT + key, default)
    return value if options is None or value in options else default


def keep(key: str, value):
    """Remember a widget's value for `kept` (returns it)."""
    st.session_state[KEPT + key] = value
    return value
