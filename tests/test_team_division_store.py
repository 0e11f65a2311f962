"""Divisions per workspace: isolation, roles checked in the store, history names the signed-in user,
every write audited. Runs on SQLite and, in `make test-postgres`, on PostgreSQL."""

from __future__ import annotations

import pytest

from geo.divisions import store
from geo.divisions.division import Division
from geo.errors import UserFacingError
from geo.store import audit
from geo.store.access import AccessDenied

UNITS = ["01001", "01002", "01003", "01004"]


def sample(name: str = "Proef") -> Division:
    return Division.from_mapping(name, "gemeente", UNITS, {"01001": "Noord", "01002": "Zuid"}, author="x")


def test_workspaces_do_not_see_each_others_divisions(engine, who):
    mine = store.save_new(sample(), engine, actor=who[("een", "planner")])
    other = who[("twee", "beheerder")]
    assert store.list_divisions(engine, actor=other).empty
    assert store.list_divisions(engine, actor=who[("een", "lezer")])["name"].tolist() == ["Proef"]
    for key in (mine.meta.db_id, "Proef"):
        with pytest.raises(UserFacingError, match="Geen opgeslagen indeling"):
            store.open_division(key, engine, actor=other)
    # the same name in another workspace is another division
    theirs = store.save_new(sample(), engine, actor=who[("twee", "planner")])
    assert theirs.meta.db_id != mine.meta.db_id


def test_another_workspace_cannot_change_my_division(engine, who):
    mine = store.save_new(sample(), engine, actor=who[("een", "planner")])
    other = who[("twee", "beheerder")]
    attempts = [
        lambda: store.save(mine.move(["01003"], "Noord"), engine, actor=other),
        lambda: store.rename(mine.meta.db_id, "Gekaapt", engine, actor=other),
        lambda: store.delete(mine.meta.db_id, engine, actor=other),
        lambda: store.set_status(mine.meta.db_id, "voorstel", engine, actor=other),
        lambda: store.add_comment(mine.meta.db_id, "van elders", engine, actor=other),
        lambda: store.history(mine.meta.db_id, engine, actor=other),
    ]
    for attempt in attempts:
        with pytest.raises(UserFacingError, match="Geen opgeslagen indeling"):
            attempt()
    back = store.open_division(mine.meta.db_id, engine, actor=who[("een", "lezer")])
    assert back.meta.version == 1 and back.name == "Proef"


def test_lezer_cannot_write_even_calling_the_store_directly(engine, who):
    lezer = who[("een", "lezer")]
    with pytest.raises(AccessDenied, match="rol lezer"):
        store.save_new(sample("Van de lezer"), engine, actor=lezer)
    saved = store.save_new(sample(), engine, actor=who[("een", "planner")])
    opened = store.open_division(saved.meta.db_id, engine, actor=lezer)  # reading is fine
    writes = [
        lambda: store.save(opened.move(["01003"], "Noord"), engine, actor=lezer),
        lambda: store.rename(saved.meta.db_id, "Anders", engine, actor=lezer),
        lambda: store.duplicate(saved.meta.db_id, "Kopie", engine, actor=lezer),
        lambda: store.delete(saved.meta.db_id, engine, actor=lezer),
        lambda: store.set_status(saved.meta.db_id, "voorstel", engine, actor=lezer),
        lambda: store.add_comment(saved.meta.db_id, "mag niet", engine, actor=lezer),
        lambda: store.set_rules(saved.meta.db_id, {"x": 1}, engine, actor=lezer),
    ]
    for write in writes:
        with pytest.raises(AccessDenied, match="rol lezer"):
            write()
    assert store.status_of(saved.meta.db_id, engine, actor=lezer).version == 1
    assert store.list_divisions(engine, actor=lezer)["name"].tolist() == ["Proef"]


def test_only_a_beheerder_sets_a_division_to_vastgesteld(engine, who):
    planner, beheerder = who[("een", "planner")], who[("een", "beheerder")]
    saved = store.save_new(sample(), engine, actor=planner, who="iemand anders")
    store.set_status(saved.meta.db_id, "voorstel", engine, actor=planner)
    with pytest.raises(AccessDenied, match="vaststellen vraagt de rol beheerder|een indeling vaststellen"):
        store.set_status(saved.meta.db_id, "vastgesteld", engine, actor=planner)
    assert store.status_of(saved.meta.db_id, engine, actor=planner).status == "voorstel"
    store.set_status(saved.meta.db_id, "vastgesteld", engine, actor=beheerder)
    hist = store.history(saved.meta.db_id, engine, actor=planner)
    # on a team server the history names the signed-in user, whatever the caller passes as `who`
    assert hist["wie"].tolist() == [beheerder.label, planner.label, planner.label]


def test_every_division_write_is_in_the_audit_trail(engine, who):
    planner, beheerder = who[("een", "planner")], who[("een", "beheerder")]
    saved = store.save_new(sample(), engine, actor=planner)
    saved = store.save(saved.move(["01003"], "Noord"), engine, actor=planner)
    store.rename(saved.meta.db_id, "Proef 2", engine, actor=planner)
    store.add_comment(saved.meta.db_id, "Goed zo", engine, actor=planner)
    store.set_status(saved.meta.db_id, "voorstel", engine, actor=planner)
    store.set_status(saved.meta.db_id, "vastgesteld", engine, actor=beheerder)
    copy = store.duplicate(saved.meta.db_id, "Kopie", engine, actor=planner)
    store.delete(copy.meta.db_id, engine, actor=planner)
    trail = audit.read(beheerder, engine)
    writes = trail[trail["action"].str.startswith("indeling")].iloc[::-1]  # oldest first
    assert writes["action"].tolist() == [
        "indeling.nieuw",
        "indeling.opslaan",
        "indeling.hernoemen",
        "indeling.commentaar",
        "indeling.status",
        "indeling.status",
        "indeling.nieuw",
        "indeling.verwijderen",
    ]
    assert writes["actor"].tolist() == [planner.user] * 5 + [beheerder.user] + [planner.user] * 2
    assert writes["target"].tolist()[-2:] == ["Kopie", "Kopie"]
    assert '"status": "vastgesteld"' in writes["detail"].iloc[5]
    assert (writes["workspace_id"] == planner.workspace).all()


def test_a_refused_write_leaves_no_audit_row(engine, who):
    lezer, beheerder = who[("een", "lezer")], who[("een", "beheerder")]
    before = len(audit.read(beheerder, engine))
    with pytest.raises(AccessDenied):
        store.save_new(sample(), engine, actor=lezer)
    assert len(audit.read(beheerder, engine)) == before
