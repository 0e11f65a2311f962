"""Division versions in the database: history, exact restore, status (a vastgesteld version cannot be
changed), gate settings and comments. Runs on SQLite and, in CI, on PostgreSQL (`make test-postgres`)."""

from __future__ import annotations

import os
import threading

import numpy as np
import pytest
import sqlalchemy as sa

from geo.divisions import store
from geo.divisions.division import Division
from geo.errors import UserFacingError
from geo.store.engine import init_db, make_engine

UNITS = ["01001", "01002", "01003", "01004", "01005", "01006"]


@pytest.fixture
def engine(tmp_path):
    url = os.environ.get("GEO_TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'versions.sqlite'}"
    eng = make_engine(url)
    init_db(eng)
    with eng.begin() as conn:  # a shared test database starts empty
        for table in (store.division_comment_table, store.division_version_table, store.division_table):
            conn.execute(sa.delete(table))
    yield eng
    eng.dispose()


def sample(name: str = "Versies") -> Division:
    return Division.from_mapping(
        name,
        "gemeente",
        UNITS,
        {"01001": "Noord", "01002": "Noord", "01003": "Zuid", "01004": "Zuid", "01005": "Oost"},
        author="Analist",
    )


def labels_by_name(d: Division) -> dict[str, str | None]:
    return {u: d.area_of(u) for u in d.units}


def test_every_save_is_a_version_with_who_when_and_what(engine):
    v1 = store.save_new(sample(), engine, who="An")
    v2 = store.save(v1.move(["01005"], "Zuid").rename_area("Noord", "Noorden"), engine, who="Bert")
    assert v2.meta.version == 2
    hist = store.history(v1.meta.db_id, engine)
    assert hist["versie"].tolist() == [2, 1]
    assert hist["wie"].tolist() == ["Bert", "An"]
    assert hist["status"].tolist() == ["concept", "concept"]
    assert hist["tijd"].notna().all()
    info = store.version_info(v1.meta.db_id, 2, engine)
    assert info.changes.moved == (("01005", "Oost", "Zuid"),)
    assert info.changes.renamed == (("Noord", "Noorden"),)
    assert "1 eenheid verplaatst" in info.summary and "'Noord' hernoemd tot 'Noorden'" in info.summary
    # units of the renamed area did not 'move'
    assert hist.set_index("versie").loc[2, "verplaatst"] == 1


def test_saving_without_changes_makes_no_version(engine):
    v1 = store.save_new(sample(), engine, who="An")
    same = store.save(v1, engine, who="An")
    assert same.meta.version == 1
    assert len(store.history(v1.meta.db_id, engine)) == 1


def test_areas_added_removed_and_unassigned_are_recorded(engine):
    v1 = store.save_new(sample(), engine)
    edited = v1.delete_area("Oost").create_area("West").move(["01006"], "West")
    v2 = store.save(edited, engine, who="C")
    ch = store.version_info(v2.meta.db_id, 2, engine).changes
    assert ch.removed == ("Oost",) and ch.added == ("West",)
    assert set(ch.moved) == {("01005", "Oost", None), ("01006", None, "West")}


def test_restore_gives_back_the_exact_assignment_as_a_new_version(engine):
    v1 = store.save_new(sample(), engine, who="An")
    original = store.open_division(v1.meta.db_id, engine)
    v2 = store.save(v1.move(["01001", "01006"], "Zuid").create_area("Leeg"), engine, who="B")
    store.save(v2.merge_areas(["Zuid", "Oost"]), engine, who="C")
    restored = store.restore(v1.meta.db_id, 1, engine, who="D", expected_version=3)
    assert restored.meta.version == 4
    back = store.open_division(v1.meta.db_id, engine)
    assert back.areas == original.areas
    assert np.array_equal(back.labels, original.labels)
    assert back.units == original.units
    assert labels_by_name(back) == labels_by_name(original)
    info = store.version_info(v1.meta.db_id, 4, engine)
    assert info.changes.restored_from == 1 and info.who == "D"
    assert info.summary.startswith("Hersteld naar versie 1")
    # every version stays viewable exactly as saved
    assert store.open_version(v1.meta.db_id, 2, engine).units_in("Zuid") == [
        "01001",
        "01003",
        "01004",
        "01006",
    ]
    assert store.open_version(v1.meta.db_id, 3, engine).areas == ("Noord", "Zuid", "Leeg")
    with pytest.raises(UserFacingError, match="bestaat niet"):
        store.open_version(v1.meta.db_id, 9, engine)
    with pytest.raises(UserFacingError, match="huidige versie"):
        store.restore(v1.meta.db_id, 4, engine)


def test_restore_with_a_stale_version_is_a_conflict(engine):
    v1 = store.save_new(sample(), engine)
    store.save(v1.move(["01006"], "Oost"), engine)
    with pytest.raises(store.ConflictError):
        store.restore(v1.meta.db_id, 1, engine, expected_version=1)
    assert store.status_of(v1.meta.db_id, engine).version == 2


def test_status_path_and_refused_transitions(engine):
    v1 = store.save_new(sample(), engine)
    key = v1.meta.db_id
    with pytest.raises(store.LockedError, match="eerst op 'voorstel'"):
        store.set_status(key, "vastgesteld", engine, who="IROJ")
    with pytest.raises(UserFacingError, match="Onbekende status"):
        store.set_status(key, "goedgekeurd", engine)
    assert store.set_status(key, "voorstel", engine, who="Stuurgroep", expected_version=1) == 2
    assert store.set_status(key, "vastgesteld", engine, who="Opgroeien") == 3
    info = store.status_of(key, engine)
    assert (info.status, info.version, info.vastgesteld, info.read_only) == ("vastgesteld", 3, (3,), True)
    with pytest.raises(store.LockedError, match="blijft zoals ze is"):
        store.set_status(key, "voorstel", engine)
    with pytest.raises(UserFacingError, match="al vastgesteld"):
        store.set_status(key, "vastgesteld", engine)
    listed = store.list_divisions(engine).set_index("name")
    assert listed.loc["Versies", "status"] == "vastgesteld"
    assert listed.loc["Versies", "vastgesteld_versie"] == 3


def test_a_vastgesteld_version_cannot_be_changed_any_change_is_a_new_concept(engine):
    v1 = store.save_new(sample(), engine, who="An")
    key = v1.meta.db_id
    store.set_status(key, "voorstel", engine)
    store.set_status(key, "vastgesteld", engine, who="Opgroeien")
    decided = store.open_version(key, 3, engine)
    opened = store.open_division(key, engine)
    # a save over the vastgesteld version: a new concept, version 3 stays as it was
    v4 = store.save(opened.move(["01001"], "Zuid"), engine, who="Bert")
    assert v4.meta.version == 4
    assert store.status_of(key, engine).status == "concept"
    assert store.status_of(key, engine).vastgesteld == (3,)
    again = store.open_version(key, 3, engine)
    assert labels_by_name(again) == labels_by_name(decided) and again.area_of("01001") == "Noord"
    assert store.version_info(key, 3, engine).status == "vastgesteld"
    assert "status vastgesteld → concept" in store.version_info(key, 4, engine).summary
    # the editor's copy of version 3 cannot be saved again: that is a conflict, nothing changes
    with pytest.raises(store.ConflictError):
        store.save(opened.move(["01002"], "Oost"), engine)
    # deleting a division with a vastgesteld version is refused and changes nothing
    with pytest.raises(store.LockedError, match="niet verwijderd"):
        store.delete(key, engine)
    assert store.status_of(key, engine).version == 4
    assert len(store.history(key, engine)) == 4
    # version rows are never updated: the snapshot of version 3 is byte-identical after all of this
    with engine.connect() as conn:
        t = store.division_version_table
        rows = conn.execute(sa.select(t.c.version, t.c.status).where(t.c.division_id == key)).all()
    assert dict(rows) == {1: "concept", 2: "voorstel", 3: "vastgesteld", 4: "concept"}


def test_rename_and_rules_after_vastgesteld_are_new_concepts(engine):
    v1 = store.save_new(sample(), engine)
    key = v1.meta.db_id
    store.set_status(key, "voorstel", engine)
    store.set_status(key, "vastgesteld", engine)
    assert store.rename(key, "Versies 2026", engine, expected_version=3, who="An") == 4
    assert store.status_of(key, engine).status == "concept"
    assert store.version_info(key, 3, engine).name == "Versies"
    store.set_status(key, "voorstel", engine)
    assert store.set_rules(key, {"kind": "swv", "band_pct": 25.0}, engine, who="An") == 6
    assert store.rules_of(key, engine) == {"kind": "swv", "band_pct": 25.0}
    assert store.rules_of(key, engine, version=5) == {}
    assert store.status_of(key, engine).status == "concept"  # the voorstel changed: a concept again
    assert store.set_rules(key, {"kind": "swv", "band_pct": 25.0}, engine) == 6  # same: no version


def test_editing_a_voorstel_makes_a_concept_and_restore_brings_back_the_settings(engine):
    v1 = store.save_new(sample(), engine, rules={"kind": "wcp"})
    key = v1.meta.db_id
    store.set_status(key, "voorstel", engine)
    v3 = store.save(store.open_division(key, engine).move(["01006"], "Oost"), engine, rules={"kind": "vrij"})
    assert v3.meta.version == 3 and store.status_of(key, engine).status == "concept"
    store.restore(key, 1, engine)
    assert store.rules_of(key, engine) == {"kind": "wcp"}
    assert store.open_division(key, engine).area_of("01006") is None


def test_comments_per_version_and_per_area(engine):
    v1 = store.save_new(sample(), engine)
    key = v1.meta.db_id
    store.add_comment(key, "Eerste voorstel van de werkgroep.", engine, who="An")
    store.add_comment(key, "Oost is te klein.", engine, who="Bert", area="Oost")
    store.save(v1.rename_area("Oost", "Oostrand"), engine)
    store.add_comment(key, "Naam aangepast na overleg.", engine, who="An", area="Oostrand")
    store.add_comment(key, "Later gezien: <b>ok</b>", engine, who="C", version=1)
    all_ = store.comments(key, engine)
    assert all_["versie"].tolist() == [1, 1, 2, 1]
    assert all_["gebied"].tolist() == [None, "Oost", "Oostrand", None]  # None, not NaN: about the version
    assert store.comments(key, engine, version=1)["tekst"].tolist()[-1] == "Later gezien: <b>ok</b>"
    assert store.comments(key, engine, area="Oost")["wie"].tolist() == ["Bert"]
    assert store.history(key, engine).set_index("versie")["opmerkingen"].to_dict() == {2: 1, 1: 3}
    with pytest.raises(UserFacingError, match="bestaat niet in versie 2"):
        store.add_comment(key, "x", engine, area="Oost")
    with pytest.raises(UserFacingError, match="leeg"):
        store.add_comment(key, "   ", engine)
    with pytest.raises(UserFacingError, match="hoogstens"):
        store.add_comment(key, "x" * (store.MAX_COMMENT + 1), engine)
    with pytest.raises(UserFacingError, match="bestaat niet"):
        store.add_comment(key, "x", engine, version=7)


def test_division_stored_before_versions_existed_gets_its_snapshot_with_the_first_write(engine):
    v1 = store.save(store.save_new(sample(), engine).move(["01006"], "Oost"), engine)
    key = v1.meta.db_id
    with engine.begin() as conn:  # as a database from before the version tables looks
        conn.execute(sa.delete(store.division_version_table))
    hist = store.history(key, engine)
    assert hist["versie"].tolist() == [2] and hist["status"].tolist() == ["concept"]
    assert store.status_of(key, engine).status == "concept"
    store.save(store.open_division(key, engine).move(["01001"], "Oost"), engine, who="An")
    assert store.history(key, engine)["versie"].tolist() == [3, 2]
    store.restore(key, 2, engine)
    assert store.open_division(key, engine).area_of("01001") == "Noord"
    assert store.open_division(key, engine).area_of("01006") == "Oost"


def test_failed_write_leaves_no_version(engine):
    store.save_new(sample("Bezet"), engine)
    v1 = store.save_new(sample("Vrij"), engine)
    with pytest.raises(UserFacingError, match="bestaat al"):
        store.rename(v1.meta.db_id, "Bezet", engine)
    assert len(store.history(v1.meta.db_id, engine)) == 1
    assert store.open_division(v1.meta.db_id, engine).name == "Vrij"
    with pytest.raises(UserFacingError, match="te lang"):
        store.save(v1.move(["01006"], "Oost"), engine, who="x" * 201)
    assert store.status_of(v1.meta.db_id, engine).version == 1


def test_duplicate_keeps_settings_and_starts_a_new_history(engine):
    v1 = store.save_new(sample(), engine, rules={"kind": "wcp"})
    store.set_status(v1.meta.db_id, "voorstel", engine)
    copy = store.duplicate(v1.meta.db_id, "Kopie", engine, who="An")
    assert store.status_of(copy.meta.db_id, engine).status == "concept"
    assert store.rules_of(copy.meta.db_id, engine) == {"kind": "wcp"}
    assert len(store.history(copy.meta.db_id, engine)) == 1


def test_status_change_and_save_at_the_same_time_exactly_one_wins(tmp_path):
    url = os.environ.get("GEO_TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'race.sqlite'}"
    setup = make_engine(url)
    init_db(setup)
    saved = store.save_new(sample("Race"), setup)
    setup.dispose()
    results: list[str] = []
    barrier = threading.Barrier(2)

    def run(kind: str) -> None:
        eng = make_engine(url)
        mine = store.open_division(saved.meta.db_id, eng)
        barrier.wait()
        try:
            if kind == "status":
                store.set_status(saved.meta.db_id, "voorstel", eng, expected_version=1)
            else:
                store.save(mine.move(["01006"], "Noord"), eng)
            results.append(f"ok:{kind}")
        except store.ConflictError:
            results.append(f"conflict:{kind}")
        except UserFacingError as exc:  # SQLite: the loser may find the database busy; nothing written
            results.append(f"busy:{kind}:{exc}")
        finally:
            eng.dispose()

    threads = [threading.Thread(target=run, args=(k,)) for k in ("status", "save")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.startswith("ok") for r in results) == 1, results
    check = make_engine(url)
    hist = store.history(saved.meta.db_id, check)
    assert hist["versie"].tolist() == [2, 1]
    store.delete(saved.meta.db_id, check)
    check.dispose()
