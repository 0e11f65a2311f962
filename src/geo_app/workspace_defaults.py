"""The workspace's page defaults in the app: what the editor and the partners page start with.

`current()` gives the defaults of the chosen workspace (`geo.settings.defaults.WorkspaceDefaults`, the
built-in ones without a database or access); `save_button(label, key, **changes)` lets a planner keep a
value as the workspace's default (role checked and audited in `geo.settings.store`).
"""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa
import streamlit as st

from geo.errors import UserFacingError
from geo.settings import store as settings_store
from geo.settings.defaults import WorkspaceDefaults
from geo_app import auth
from geo_app.text import md

_MESSAGE = "werkruimte_standaard_bericht"


@st.cache_data(ttl=30, show_spinner=False)
def _load(workspace: str) -> WorkspaceDefaults:
    """The defaults of ``workspace`` (the argument keys the cache per workspace)."""
    try:
        return settings_store.workspace_defaults(auth.actor())
    except (UserFacingError, sa.exc.SQLAlchemyError):
        return WorkspaceDefaults()


def current() -> WorkspaceDefaults:
    return _load(auth.actor().workspace)


def save_button(label: str, key: str, help: str | None = None, container=None, **changes) -> None:
    """A button (planners only) that keeps ``changes`` as the workspace's defaults; says what happened."""
    box = container if container is not None else st
    if message := st.session_state.pop(f"{_MESSAGE}_{key}", None):
        box.success(message)
    if not auth.can("bewerken"):
        return
    if not box.button(label, key=key, help=help):
        return
    try:
        settings_store.save_workspace_defaults(auth.actor(), replace(current(), **changes))
    except UserFacingError as exc:
        box.error(md(str(exc)))
        return
    _load.clear()
    st.session_state[f"{_MESSAGE}_{key}"] = "Bewaard als standaard van deze werkruimte."
    st.rerun()
