"""The workspace's page defaults in the app (AppTest): the editor starts on the saved level and target band,
the partners page on the saved distance, and a planner keeps a new value as the default from the page."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.settings import store as settings_store
from geo.settings.defaults import WorkspaceDefaults
from geo.store.access import local_actor
from geo_app import workspace_defaults

VIEWS = Path(__file__).resolve().parents[1] / "views"


@pytest.fixture
def saved_defaults():
    """Workspace defaults for the test; the built-in ones afterwards (other tests share the database)."""
    me = local_actor()

    def save(values: WorkspaceDefaults) -> None:
        settings_store.save_workspace_defaults(me, values)
        workspace_defaults._load.clear()

    yield save
    save(WorkspaceDefaults())


def text_input(at, label: str):
    return next(t for t in at.text_input if t.label == label)


def test_the_editor_starts_on_the_workspace_level_and_band(saved_defaults):
    saved_defaults(WorkspaceDefaults("wijk", "pop_0_24", 20_000.0, 30_000.0, 2_000.0))
    at = AppTest.from_file(str(VIEWS / "indelingen.py"), default_timeout=180).run()
    assert not at.exception
    assert next(s for s in at.selectbox if s.label == "Niveau van de eenheden").value == "wijk"
    at.selectbox(key="ind_ref").set_value("elz57_gemeente")
    at.button(key="ind_open_ref").click().run()
    assert not at.exception
    assert at.selectbox(key="ind_balance").value == "pop_0_24"
    assert text_input(at, "Ondergrens doelband").value == "20.000"
    assert text_input(at, "Bovengrens doelband").value == "30.000"
    # a planner keeps another band (and this division's level) as the workspace default
    text_input(at, "Bovengrens doelband").set_value("40.000").run()
    next(b for b in at.button if b.key == "ind_band_standaard").click().run()
    assert not at.exception
    assert any("standaard van deze werkruimte" in s.value for s in at.success)
    kept = settings_store.workspace_defaults(local_actor())
    assert (kept.editor_niveau, kept.doelband_op, kept.doelband_onder, kept.doelband_boven) == (
        "gemeente",
        "pop_0_24",
        20_000.0,
        40_000.0,
    )


def test_the_partners_page_starts_on_the_workspace_distance(saved_defaults):
    saved_defaults(WorkspaceDefaults(partner_afstand_m=1_500.0))
    at = AppTest.from_file(str(VIEWS / "partners.py"), default_timeout=180).run()
    assert not at.exception
    assert at.text_input(key="partners_distance").value == "1.500"
    at.text_input(key="partners_distance").set_value("3.250").run()
    at.button(key="partners_afstand").click().run()
    assert not at.exception
    assert settings_store.workspace_defaults(local_actor()).partner_afstand_m == 3_250.0
