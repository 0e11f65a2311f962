"""CLI details: the caller's workspace in reports, numbers read alike in every command, honest messages."""

from __future__ import annotations

import argparse
import os

import pandas as pd
import pytest
import team as tm

from geo.partners.register import conform
from geo.store import config
from geo.store.engine import init_db, make_engine


@pytest.fixture
def engine(tmp_path):
    url = os.environ.get("GEO_TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'cli.sqlite'}"
    eng = make_engine(url)
    init_db(eng)
    yield eng
    eng.dispose()


def _partners(names) -> pd.DataFrame:
    n = len(names)
    frame = pd.DataFrame(
        {"naam": names, "type": ["CLB"] * n, "gefinancierd": [False] * n, "lat": [51.2] * n, "lon": [4.4] * n}
    )
    return conform(frame)


def test_dossier_partners_come_from_the_callers_workspace(engine, monkeypatch, capsys):
    from geo.cli import reports
    from geo.partners import store
    from geo.store import engine as engine_mod

    config.activate(tm.team_settings())
    try:
        who = tm.people(engine)
        store.append_partners(engine, _partners(["Een A", "Een B"]), who[("een", "planner")])
        store.append_partners(engine, _partners(["Twee A"]), who[("twee", "planner")])
        monkeypatch.setattr(engine_mod, "get_engine", lambda url=None: engine)
        monkeypatch.setenv("GEO_USER", who[("twee", "lezer")].user)
        monkeypatch.setenv("GEO_WERKRUIMTE", who[("twee", "lezer")].workspace)
        args = argparse.Namespace(partners=None, osm_example=False)
        assert reports._partners(args)["naam"].tolist() == ["Twee A"]
        monkeypatch.setenv("GEO_USER", "vreemde@elders.test")  # no member: named, left out
        assert reports._partners(args) is None
        assert "Let op: partnerregister niet gelezen (Niet toegestaan" in capsys.readouterr().out
    finally:
        config.activate(None)
