"""Budget settings and page defaults per workspace: isolation, roles checked in the store, every write
audited, older payloads still open.

Runs on SQLite and, in `make test-postgres`, on PostgreSQL."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from geo.errors import UserFacingError
from geo.settings import defaults, formula, store
from geo.store import audit, workspaces
from geo.store.access import AccessDenied

A = formula.FormulaSetting(indeling="elz57", correctie="per_kansarm", gewicht=2.5, coordinatie=5.0)
B = formula.FormulaSetting(middel="vte", totaal=6.4, stap=0.1, brussel="formule", minimum=0.2)


def test_two_workspaces_keep_their_own_settings(engine, who):
    een, twee = who[("een", "planner")], who[("twee", "planner")]
    store.save_formula(een, "Voorstel stuurgroep", A, engine)
    store.save_formula(twee, "Voorstel stuurgroep", B, engine)  # same name, other workspace
    store.set_default_formula(een, "Voorstel stuurgroep", engine)
    assert store.open_formula(who[("een", "lezer")], "Voorstel stuurgroep", engine) == A
    assert store.open_formula(who[("twee", "lezer")], "Voorstel stuurgroep", engine) == B
    assert store.default_formula(who[("een", "lezer")], engine) == "Voorstel stuurgroep"
    assert store.default_formula(who[("twee", "lezer")], engine) is None
    assert store.list_formulas(who[("twee", "lezer")], engine)["naam"].tolist() == ["Voorstel stuurgroep"]
    # a member of one workspace cannot read or write the other's, not even by naming it
    intruder = een.in_workspace(twee.workspace)
    with pytest.raises(AccessDenied, match="geen lid"):
        store.open_formula(intruder, "Voorstel stuurgroep", engine)
    with pytest.raises(AccessDenied, match="geen lid"):
        store.save_formula(intruder, "Gekaapt", A, engine)
    with pytest.raises(AccessDenied, match="geen lid"):
        store.delete_formula(intruder, "Voorstel stuurgroep", engine)
    store.delete_formula(twee, "Voorstel stuurgroep", engine)
    assert store.open_formula(who[("een", "lezer")], "Voorstel stuurgroep", engine) == A


def test_a_lezer_opens_but_cannot_save_delete_or_choose_the_default(engine, who):
    lezer, planner = who[("een", "lezer")], who[("een", "planner")]
    store.save_formula(planner, "Basis", A, engine)
    assert store.open_formula(lezer, "Basis", engine) == A
    for write in (
        lambda: store.save_formula(lezer, "Eigen", B, engine),
        lambda: store.save_formula(lezer, "Basis", B, engine, overwrite=True),
        lambda: store.set_default_formula(lezer, "Basis", engine),
        lambda: store.delete_formula(lezer, "Basis", engine),
        lambda: store.save_workspace_defaults(lezer, defaults.WorkspaceDefaults("wijk"), engine),
        lambda: workspaces.set_setting(lezer, "budget/Eigen", B.payload(), engine),
    ):
        with pytest.raises(AccessDenied, match="rol lezer"):
            write()
    assert store.list_formulas(lezer, engine)["naam"].tolist() == ["Basis"]
    assert store.open_formula(lezer, "Basis", engine) == A
    assert store.default_formula(lezer, engine) is None
    assert store.workspace_defaults(lezer, engine) == defaults.WorkspaceDefaults()


def test_every_write_is_in_the_audit_trail(engine, who):
    planner, beheerder = who[("een", "planner")], who[("een", "beheerder")]
    store.save_formula(planner, "Basis", A, engine)
    store.save_formula(planner, "Basis", B, engine, overwrite=True)
    store.set_default_formula(planner, "Basis", engine)
    store.save_workspace_defaults(planner, defaults.WorkspaceDefaults(editor_niveau="wijk"), engine)
    store.delete_formula(beheerder, "Basis", engine)
    trail = audit.read(beheerder, engine)
    rows = trail[trail["action"].str.startswith("instelling")].iloc[::-1]  # oldest first
    assert rows["action"].tolist() == ["instelling.wijzigen"] * 4 + ["instelling.verwijderen"] * 2
    assert rows["target"].tolist() == [
        "budget/Basis",
        "budget/Basis",
        "budget.standaard",
        "standaardwaarden",
        "budget/Basis",
        "budget.standaard",
    ]
    assert rows["actor"].tolist() == [planner.user] * 4 + [beheerder.user] * 2
    first, second = (json.loads(d)["waarde"] for d in rows["detail"].iloc[:2])
    assert first["gewicht"] == 2.5 and second["middel"] == "vte"
    assert store.default_formula(planner, engine) is None  # deleting the default clears it


def test_an_existing_name_is_only_replaced_on_request(engine, who):
    planner = who[("een", "planner")]
    store.save_formula(planner, "  Basis   2024 ", A, engine)
    with pytest.raises(UserFacingError, match="bestaat al een budgetinstelling 'Basis 2024'"):
        store.save_formula(planner, "Basis 2024", B, engine)
    assert store.open_formula(planner, "Basis 2024", engine) == A
    store.save_formula(planner, "Basis 2024", B, engine, overwrite=True)
    assert store.open_formula(planner, "Basis 2024", engine) == B
    with pytest.raises(UserFacingError, match="geen budgetinstelling 'Andere'.*Basis 2024"):
        store.open_formula(planner, "Andere", engine)
    with pytest.raises(UserFacingError, match="geen budgetinstelling"):
        store.set_default_formula(planner, "Andere", engine)
    for bad in ("", "   ", "x" * 61, "nul\x00teken"):
        with pytest.raises(UserFacingError):
            store.save_formula(planner, bad, A, engine)


def test_a_setting_of_an_older_version_opens_with_defaults_and_a_bad_one_is_named(engine, who):
    planner = who[("een", "planner")]
    old = {"versie": 1, "indeling": "wcp", "correctie": "relatief", "gewicht": 0.4}  # fewer keys
    workspaces.set_setting(planner, "budget/Oud", old, engine)
    opened = store.open_formula(planner, "Oud", engine)
    assert (opened.indeling, opened.gewicht, opened.middel, opened.ontbrekend) == (
        "wcp",
        0.4,
        "euro",
        "gemiddelde_elz",
    )
    workspaces.set_setting(planner, "budget/Kapot", {"indeling": "elz57", "kleur": "rood"}, engine)
    listed = store.list_formulas(planner, engine).set_index("naam")
    assert listed.loc["Oud", "bruikbaar"] and not listed.loc["Kapot", "bruikbaar"]
    assert "kleur" in listed.loc["Kapot", "samenvatting"]
    with pytest.raises(UserFacingError, match="Onbekend onderdeel.*kleur"):
        store.open_formula(planner, "Kapot", engine)


def test_page_defaults_are_kept_per_workspace(engine, who):
    mine = defaults.WorkspaceDefaults("wijk", "pop_0_24", 20_000.0, 30_000.0, 1_500.0)
    store.save_workspace_defaults(who[("een", "planner")], mine, engine)
    assert store.workspace_defaults(who[("een", "lezer")], engine) == mine
    assert store.workspace_defaults(who[("twee", "lezer")], engine) == defaults.WorkspaceDefaults()
    with pytest.raises(UserFacingError, match="afstand"):
        store.save_workspace_defaults(
            who[("een", "planner")], defaults.WorkspaceDefaults(partner_afstand_m=50), engine
        )
    assert store.workspace_defaults(who[("een", "lezer")], engine) == mine


def test_nothing_is_half_written_when_the_audit_insert_fails(engine, who, monkeypatch):
    planner = who[("een", "planner")]

    def broken(*args, **kwargs):
        raise sa.exc.OperationalError("INSERT INTO audit_log", {}, Exception("schijf vol"))

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(sa.exc.OperationalError):
        store.save_formula(planner, "Basis", A, engine)
    monkeypatch.undo()
    assert store.list_formulas(planner, engine).empty


def test_a_user_in_several_workspaces_chooses_where_to_start(engine, who):
    from geo_app.auth import first_workspace

    een, twee = who[("een", "planner")], who[("twee", "planner")]
    workspaces.set_member(who[("twee", "beheerder")], een.user, "lezer", engine)  # een's planner also in twee
    ids = sorted([een.workspace, twee.workspace])
    assert workspaces.default_workspace(een.user, engine) is None
    assert first_workspace(ids, None) == ids[0]
    workspaces.set_default_workspace(een.in_workspace(twee.workspace), engine)
    assert workspaces.default_workspace(een.user.upper(), engine) == twee.workspace
    assert first_workspace(ids, twee.workspace) == twee.workspace
    assert first_workspace([een.workspace], twee.workspace) == een.workspace  # no longer a member there
    # nobody can make a workspace they are not a member of their default
    with pytest.raises(AccessDenied, match="geen lid"):
        workspaces.set_default_workspace(twee.in_workspace(een.workspace), engine)
    assert workspaces.default_workspace(twee.user, engine) is None
    trail = audit.read(who[("twee", "beheerder")], engine)
    rows = trail[trail["action"] == "gebruiker.standaardwerkruimte"]
    assert rows["actor"].tolist() == [een.user]
