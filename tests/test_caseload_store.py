"""A workspace's caseload in the database: aggregated rows only, per workspace, role-checked, audited."""

from __future__ import annotations

import uuid

import pandas as pd
import pytest

from geo.caseload import store
from geo.caseload.cases import CASE_COLUMNS, CaseloadImport
from geo.errors import UserFacingError
from geo.store import access, audit, config, workspaces
from geo.store.access import AccessDenied, Actor

ADMIN = "beheer@agentschap.test"


@pytest.fixture
def team(engine):
    config.activate(config.Settings(mode="team", admins=(ADMIN,), database_url="postgresql://x/y"))
    people = {}
    for net in ("een", "twee"):
        wid = workspaces.create_workspace(Actor(ADMIN, ""), f"{net} {uuid.uuid4().hex[:8]}", engine)
        for who, role in (("lezer", "lezer"), ("planner", "planner"), ("beheerder", "beheerder")):
            email = f"{who}@{wid}.test"
            workspaces.set_member(Actor(ADMIN, wid), email, role, engine)
            people[(net, who)] = Actor(email, wid)
    yield people
    config.activate(None)


def sample(counts=(3, 12, 7)) -> CaseloadImport:
    cases = pd.DataFrame(
        [
            ("11002", "2024-01", "school", "", counts[0]),
            ("11002", "2024-02", "", "Noord", counts[1]),
            ("44021", "2024-01", "CLB", "", counts[2]),
        ],
        columns=list(CASE_COLUMNS),
    )
    return CaseloadImport(cases, "gemeente")


def test_round_trip_keeps_codes_months_and_counts(engine, team):
    planner = team[("een", "planner")]
    assert store.load_caseload(planner, engine) is None
    assert store.save_caseload(planner, sample(), "aanmeldingen.xlsx", engine) == 3
    back = store.load_caseload(team[("een", "lezer")], engine)
    assert back.level == "gemeente" and back.source == "aanmeldingen.xlsx" and back.updated_by == planner.user
    assert list(back.cases.columns) == list(CASE_COLUMNS)
    assert back.cases["eenheid"].tolist() == ["11002", "44021", "11002"]  # codes as text, by month
    assert back.cases["aanmeldingen"].sum() == 22


def test_other_columns_never_reach_the_database(engine, team):
    planner = team[("een", "planner")]
    imported = sample()
    imported.cases["opmerking"] = "vrije tekst"
    store.save_caseload(planner, imported, "x.csv", engine)
    assert "opmerking" not in store.load_caseload(planner, engine).cases.columns


def test_each_workspace_sees_only_its_own_caseload(engine, team):
    store.save_caseload(team[("een", "planner")], sample(), "een.csv", engine)
    assert store.load_caseload(team[("twee", "beheerder")], engine) is None
    store.save_caseload(team[("twee", "planner")], sample((1, 1, 1)), "twee.csv", engine)
    assert store.load_caseload(team[("een", "lezer")], engine).cases["aanmeldingen"].sum() == 22
    with pytest.raises(AccessDenied, match="geen lid"):
        store.load_caseload(team[("een", "lezer")].in_workspace(team[("twee", "lezer")].workspace), engine)


def test_lezer_cannot_import_or_delete_even_calling_the_store_directly(engine, team):
    store.save_caseload(team[("een", "planner")], sample(), "een.csv", engine)
    lezer = team[("een", "lezer")]
    with pytest.raises(AccessDenied, match="rol lezer"):
        store.save_caseload(lezer, sample((9, 9, 9)), "poging.csv", engine)
    with pytest.raises(AccessDenied):
        store.delete_caseload(lezer, engine)
    assert store.load_caseload(lezer, engine).source == "een.csv"


def test_failed_import_keeps_the_previous_caseload(engine, team):
    planner = team[("een", "planner")]
    store.save_caseload(planner, sample(), "goed.csv", engine)
    with pytest.raises(UserFacingError, match="negatief"):
        store.save_caseload(planner, sample((1, -2, 3)), "fout.csv", engine)
    with pytest.raises(UserFacingError, match="dubbel|weigerde"):  # the same key twice: database refuses
        bad = sample()
        bad.cases.loc[1, ["maand", "verwijzer", "behandelend_gebied"]] = ["2024-01", "school", ""]
        store.save_caseload(planner, bad, "dubbel.csv", engine)
    assert store.load_caseload(planner, engine).source == "goed.csv"


def test_imports_and_deletes_are_in_the_audit_trail(engine, team):
    planner, beheerder = team[("een", "planner")], team[("een", "beheerder")]
    store.save_caseload(planner, sample(), "jan.csv", engine)
    assert store.delete_caseload(planner, engine) is True
    assert store.delete_caseload(planner, engine) is False
    trail = audit.read(beheerder, engine)
    mine = trail[trail["action"].str.startswith("caseload")]
    assert mine["action"].tolist() == ["caseload.verwijderen", "caseload.importeren"]
    assert set(mine["actor"]) == {planner.user}
    assert '"aanmeldingen": 22' in mine["detail"].iloc[1]


def test_local_mode_needs_no_sign_in(engine):
    local = access.local_actor()
    store.save_caseload(local, sample(), "lokaal.csv", engine)
    assert store.load_caseload(local, engine).cases["aanmeldingen"].sum() == 22
