"""Workspaces, roles and the audit trail in the database (SQLite here, PostgreSQL in `make test-postgres`)."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from geo.errors import UserFacingError
from geo.store import access, audit, config, workspaces
from geo.store.access import AccessDenied, Actor
from geo.store.engine import init_db, make_engine

ADMIN = "functioneel.beheer@agentschap.test"


@pytest.fixture
def team():
    """Team mode for the test (admins from the settings file), local mode again afterwards."""
    config.activate(config.Settings(mode="team", admins=(ADMIN,), database_url="postgresql://x/y"))
    yield
    config.activate(None)


def new_workspace(engine, prefix: str = "ws") -> str:
    """A workspace of its own (tests share a PostgreSQL database): created by the settings-file admin."""
    admin = Actor(ADMIN, "")
    return workspaces.create_workspace(admin, f"{prefix} {uuid.uuid4().hex[:8]}", engine)


def with_members(engine, wid: str, **roles: str) -> dict[str, Actor]:
    admin = Actor(ADMIN, wid)
    actors = {}
    for who, role in roles.items():
        email = f"{who}.{wid}@netwerk.test"
        workspaces.set_member(admin, email, role, engine)
        actors[who] = Actor(email, wid, name=who.capitalize())
    return actors


def test_local_actor_may_do_everything_in_local_mode_and_nothing_on_a_team_server(engine):
    local = access.local_actor()
    with engine.connect() as conn:
        assert access.require(conn, local, "vaststellen") == "beheerder"
    config.activate(config.Settings(mode="team", database_url="postgresql://x/y"))
    try:
        with engine.connect() as conn, pytest.raises(AccessDenied, match="teamserver"):
            access.require(conn, local, "lezen")
    finally:
        config.activate(None)


def test_roles_in_order_and_permissions():
    assert [access.allowed("lezer", p) for p in ("lezen", "exporteren", "bewerken")] == [True, True, False]
    assert access.allowed("planner", "importeren") and not access.allowed("planner", "vaststellen")
    assert all(access.allowed("beheerder", p) for p in access.PERMISSIONS)
    assert not access.allowed(None, "lezen")


def test_role_is_read_from_the_database_not_taken_from_the_caller(engine, team):
    wid = new_workspace(engine)
    a = with_members(engine, wid, lea="lezer", piet="planner", bea="beheerder")
    with engine.connect() as conn:
        assert access.require(conn, a["lea"], "exporteren") == "lezer"
        with pytest.raises(AccessDenied, match="rol lezer.*vraagt de rol planner"):
            access.require(conn, a["lea"], "bewerken")
        assert access.require(conn, a["piet"], "importeren") == "planner"
        with pytest.raises(AccessDenied, match="vraagt de rol beheerder"):
            access.require(conn, a["piet"], "vaststellen")
        assert access.require(conn, a["bea"], "leden") == "beheerder"
        stranger = Actor("onbekend@elders.test", wid)
        with pytest.raises(AccessDenied, match="geen lid"):
            access.require(conn, stranger, "lezen")
    # a role change takes effect at once, for the same identity object
    workspaces.set_member(a["bea"], a["lea"].user, "planner", engine)
    with engine.connect() as conn:
        assert access.require(conn, a["lea"], "bewerken") == "planner"


def test_membership_is_per_workspace(engine, team):
    w1, w2 = new_workspace(engine, "een"), new_workspace(engine, "twee")
    a = with_members(engine, w1, bea="beheerder")["bea"]
    with engine.connect() as conn:
        with pytest.raises(AccessDenied, match="geen lid"):
            access.require(conn, a.in_workspace(w2), "lezen")
    mine = workspaces.workspaces_for(a.user, engine)
    assert mine["id"].tolist() == [w1] and mine["role"].tolist() == ["beheerder"]
    # the settings-file admin is beheerder everywhere
    assert {w1, w2} <= set(workspaces.workspaces_for(ADMIN, engine)["id"])


def test_member_changes_need_beheerder_and_are_audited(engine, team):
    wid = new_workspace(engine)
    a = with_members(engine, wid, lea="lezer", piet="planner", bea="beheerder")
    with pytest.raises(AccessDenied):
        workspaces.set_member(a["piet"], "nieuw@netwerk.test", "beheerder", engine)
    assert workspaces.set_member(a["bea"], "Nieuw@Netwerk.test ", "lezer", engine) == "toegevoegd"
    assert workspaces.set_member(a["bea"], "nieuw@netwerk.test", "lezer", engine) == "ongewijzigd"
    assert workspaces.set_member(a["bea"], "nieuw@netwerk.test", "planner", engine) == "gewijzigd"
    workspaces.remove_member(a["bea"], "nieuw@netwerk.test", engine)
    with pytest.raises(UserFacingError, match="geen geldig e-mailadres"):
        workspaces.set_member(a["bea"], "geen adres", "lezer", engine)
    with pytest.raises(UserFacingError, match="laatste beheerder"):
        workspaces.remove_member(a["bea"], a["bea"].user, engine)
    trail = audit.read(a["bea"], engine)
    mine = trail[trail["actor"] == a["bea"].user]
    assert mine["action"].tolist() == ["lid.verwijderen", "lid.rol", "lid.toevoegen"]
    assert set(mine["target"]) == {"nieuw@netwerk.test"}
    assert (trail["workspace_id"] == wid).all()
    assert set(workspaces.list_members(a["lea"], engine)["email"]) == {a[k].user for k in a}


def test_audit_trail_is_append_only_in_the_database(engine, team):
    wid = new_workspace(engine)
    bea = with_members(engine, wid, bea="beheerder")["bea"]
    before = len(audit.read(bea, engine))
    for statement in (
        sa.update(audit.audit_table).where(audit.audit_table.c.workspace_id == wid).values(actor="x"),
        sa.delete(audit.audit_table).where(audit.audit_table.c.workspace_id == wid),
    ):
        with pytest.raises(sa.exc.DatabaseError, match="alleen aangevuld"), engine.begin() as conn:
            conn.execute(statement)
    assert len(audit.read(bea, engine)) == before
    assert set(audit.read(bea, engine)["actor"]) >= {ADMIN}


def test_audit_rolls_back_with_the_write(engine, team):
    wid = new_workspace(engine)
    bea = with_members(engine, wid, bea="beheerder")["bea"]
    before = len(audit.read(bea, engine))
    with pytest.raises(RuntimeError), engine.begin() as conn:
        audit.record(conn, bea, "instelling.wijzigen", "x", {"waarde": 1})
        raise RuntimeError("de schrijfactie mislukt")
    assert len(audit.read(bea, engine)) == before


def test_reading_the_audit_trail(engine, team):
    w1, w2 = new_workspace(engine, "een"), new_workspace(engine, "twee")
    a1 = with_members(engine, w1, lea="lezer", bea="beheerder")
    a2 = with_members(engine, w2, bea="beheerder")
    with pytest.raises(AccessDenied, match="rol beheerder"):
        audit.read(a1["lea"], engine)
    assert set(audit.read(a1["bea"], engine)["workspace_id"]) == {w1}  # not the other network's trail
    with pytest.raises(AccessDenied, match="nationale werkruimte"):
        audit.read(a2["bea"], engine, all_workspaces=True)
    everything = audit.read(Actor(ADMIN, w2), engine, all_workspaces=True)
    assert {w1, w2} <= set(everything["workspace_id"])
    export = audit.export_table(audit.read(a1["bea"], engine))
    assert list(export.columns)[:3] == ["tijdstip (Belgische tijd)", "gebruiker", "naam"]
    raw = audit.read(a1["bea"], engine)["at"].iloc[0]  # UTC
    assert str(raw.tzinfo) == "UTC"
    local = raw.tz_convert("Europe/Brussels").strftime("%d/%m/%Y %H:%M:%S")
    assert export["tijdstip (Belgische tijd)"].iloc[0] == local
    assert "lid toegevoegd" in set(export["omschrijving"])
    assert audit.defuse("=HYPERLINK(1)") == "'=HYPERLINK(1)" and audit.defuse("Anna") == "Anna"


def test_settings_are_per_workspace_checked_and_audited(engine, team):
    w1, w2 = new_workspace(engine, "een"), new_workspace(engine, "twee")
    a1 = with_members(engine, w1, lea="lezer", piet="planner", bea="beheerder")
    a2 = with_members(engine, w2, piet="planner")
    workspaces.set_setting(a1["piet"], "budget.gewicht", 0.3, engine)
    workspaces.set_setting(a2["piet"], "budget.gewicht", 0.1, engine)
    with pytest.raises(AccessDenied):
        workspaces.set_setting(a1["lea"], "budget.gewicht", 0.9, engine)
    assert workspaces.get_settings(a1["lea"], engine) == {"budget.gewicht": 0.3}
    assert workspaces.get_settings(a2["piet"], engine) == {"budget.gewicht": 0.1}
    trail = audit.read(a1["bea"], engine)
    row = trail[trail["action"] == "instelling.wijzigen"].iloc[0]
    assert (row["actor"], row["target"], row["detail"]) == (
        a1["piet"].user,
        "budget.gewicht",
        '{"waarde": 0.3}',
    )


def test_team_workspaces_are_the_16_networks_and_the_national_one(engine, team):
    workspaces.ensure_workspaces(engine)
    assert workspaces.ensure_workspaces(engine) == 0  # idempotent
    names = workspaces.workspace_names(engine)
    networks = workspaces.network_names()
    assert len(networks) == 16 and len(set(networks)) == 16
    assert {workspaces.slug(n) for n in networks} | {"vlaanderen"} <= set(names)
    assert names["groot-antwerpen"] == "Groot Antwerpen" and names["vlaanderen"] == workspaces.NATIONAL_NAME


def test_only_settings_file_admins_create_workspaces(engine, team):
    with pytest.raises(AccessDenied):
        workspaces.create_workspace(Actor("iemand@netwerk.test", ""), "Nieuw netwerk", engine)


def test_cli_checks_the_role_of_geo_user_and_audits(engine, team, monkeypatch, capsys, tmp_path):
    from geo.cli.main import main
    from geo.store.engine import get_engine

    wid = new_workspace(engine)
    a = with_members(engine, wid, lea="lezer", bea="beheerder")
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_engine.cache_clear()
    try:
        monkeypatch.delenv("GEO_USER", raising=False)
        assert main(["team", "member", "--werkruimte", wid, "x@netwerk.test", "planner"]) == 2
        assert "GEO_USER" in capsys.readouterr().err
        monkeypatch.setenv("GEO_USER", a["lea"].user)
        assert main(["team", "member", "--werkruimte", wid, "x@netwerk.test", "planner"]) == 2
        assert "Niet toegestaan" in capsys.readouterr().err
        monkeypatch.setenv("GEO_USER", a["bea"].user)
        assert main(["team", "member", "--werkruimte", wid, "x@netwerk.test", "planner"]) == 0
        out = tmp_path / "audit.csv"
        assert main(["team", "audit", "--werkruimte", wid, "--uit", str(out)]) == 0
        text = out.read_bytes()
        assert text.startswith(b"\xef\xbb\xbf")  # Excel reads the BOM as UTF-8
        first = text.decode("utf-8-sig").splitlines()[1].split(";")
        assert first[1:3] == [a["bea"].user, ""] and first[4] == "lid.toevoegen" and "x@netwerk.test" in first
    finally:
        get_engine.cache_clear()


def test_a_database_from_an_earlier_release_gets_new_columns_and_keeps_its_rows(tmp_path):
    url = f"sqlite:///{tmp_path / 'oud.sqlite'}"
    old = sa.MetaData()
    later = ("actor_name", "target", "detail")  # columns with a server default, as a later release adds
    sa.Table(
        "audit_log",
        old,
        *[
            sa.Column(c.name, c.type, primary_key=c.primary_key)
            for c in audit.audit_table.columns
            if c.name not in later
        ],
    )
    eng = make_engine(url)
    old.create_all(eng)
    with eng.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO audit_log (id, at, actor, workspace_id, action) "
                "VALUES (1, '2025-01-01 00:00:00', 'a@b.test', 'lokaal', 'lid.toevoegen')"
            )
        )
    init_db(eng)
    cols = {c["name"] for c in sa.inspect(eng).get_columns("audit_log")}
    assert set(later) <= cols
    with eng.connect() as conn:
        assert conn.execute(sa.text("SELECT id, actor, target, detail FROM audit_log")).all() == [
            (1, "a@b.test", "", "")
        ]
    eng.dispose()
