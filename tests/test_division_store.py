"""Division persistence: round trip, list/rename/duplicate/delete, optimistic concurrency."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import numpy as np
import pytest
import sqlalchemy as sa

from geo.divisions import store as store
from geo.divisions.division import Division
from geo.errors import UserFacingError
from geo.store.engine import init_db, make_engine

UNITS = ["01001", "01002", "01003", "01004", "01005"]


@pytest.fixture
def engine(tmp_path):
    url = os.environ.get("GEO_TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'divisions.sqlite'}"
    eng = make_engine(url)
    init_db(eng)
    with eng.begin() as conn:  # a shared test database starts empty
        conn.execute(sa.delete(store.division_table))
    yield eng
    eng.dispose()


def sample(name: str = "Proef") -> Division:
    d = Division.from_mapping(
        name,
        "gemeente",
        UNITS,
        {"01001": "Noord", "01002": "Noord", "01003": "Zuid"},
        description="testindeling",
        vintage="2025",
        author="Tester",
    )
    return d.create_area("Leeg")


def test_round_trip_keeps_codes_areas_order_unassigned_and_metadata(engine):
    saved = store.save_new(sample(), engine)
    assert saved.meta.db_id is not None and saved.meta.version == 1
    back = store.open_division(saved.meta.db_id, engine)
    assert back.units == tuple(UNITS)  # leading zeros intact
    assert back.areas == ("Noord", "Zuid", "Leeg")  # empty area kept, order kept
    assert np.array_equal(back.labels, saved.labels)
    assert back.unassigned() == ["01004", "01005"]
    assert (back.meta.description, back.meta.vintage, back.meta.author) == ("testindeling", "2025", "Tester")
    assert back.meta.version == 1
    assert back.meta.created is not None and back.meta.created.tzinfo is not None
    by_name = store.open_division("Proef", engine)
    assert by_name.meta.db_id == saved.meta.db_id


def test_save_bumps_version_and_replaces_content(engine):
    saved = store.save_new(sample(), engine)
    edited = saved.move(["01004"], "Zuid").rename_area("Noord", "Noorden")
    again = store.save(edited, engine)
    assert again.meta.version == 2
    back = store.open_division(saved.meta.db_id, engine)
    assert back.areas == ("Noorden", "Zuid", "Leeg")
    assert back.units_in("Zuid") == ["01003", "01004"]
    assert back.meta.version == 2


def test_two_concurrent_writers_second_gets_conflict_and_first_data_stays(engine):
    saved = store.save_new(sample(), engine)
    first = store.open_division(saved.meta.db_id, engine)
    second = store.open_division(saved.meta.db_id, engine)
    store.save(first.move(["01005"], "Noord"), engine)
    with pytest.raises(store.ConflictError, match="intussen door iemand anders opgeslagen") as err:
        store.save(second.move(["01001"], "Zuid"), engine)
    assert "versie 2" in str(err.value) and "versie 1" in str(err.value)
    back = store.open_division(saved.meta.db_id, engine)
    assert back.units_in("Noord") == ["01001", "01002", "01005"]  # the first writer's data
    assert back.meta.version == 2


def test_two_threads_saving_the_same_version_exactly_one_wins(tmp_path):
    if os.environ.get("GEO_TEST_DATABASE_URL"):
        url = os.environ["GEO_TEST_DATABASE_URL"]
    else:
        url = f"sqlite:///{tmp_path / 'threads.sqlite'}"
    setup = make_engine(url)
    init_db(setup)
    saved = store.save_new(sample("Gedeeld"), setup)
    setup.dispose()
    results: list[str] = []
    barrier = threading.Barrier(2)

    def writer(area: str) -> None:
        eng = make_engine(url)  # a separate engine per session, as two browser sessions would have
        mine = store.open_division(saved.meta.db_id, eng)
        barrier.wait()
        try:
            store.save(mine.move(["01004", "01005"], area), eng)
            results.append(f"ok:{area}")
        except store.ConflictError:
            results.append(f"conflict:{area}")
        finally:
            eng.dispose()

    threads = [threading.Thread(target=writer, args=(a,)) for a in ("Noord", "Zuid")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.split(":")[0] for r in results) == ["conflict", "ok"]
    winner = next(r.split(":")[1] for r in results if r.startswith("ok"))
    check = make_engine(url)
    back = store.open_division(saved.meta.db_id, check)
    assert back.area_of("01004") == winner and back.area_of("01005") == winner
    assert back.meta.version == 2
    store.delete(saved.meta.db_id, check)
    check.dispose()


def test_list_rename_duplicate_delete(engine):
    a = store.save_new(sample("A"), engine)
    store.save_new(sample("B"), engine)
    listed = store.list_divisions(engine)
    assert set(listed["name"]) == {"A", "B"}
    assert set(listed["level"]) == {"gemeente"}
    assert listed.set_index("name").loc["A", "n_areas"] == 3
    version = store.rename(a.meta.db_id, "A2", engine, expected_version=1)
    assert version == 2
    with pytest.raises(store.ConflictError):
        store.rename(a.meta.db_id, "A3", engine, expected_version=1)
    copy = store.duplicate("A2", "A-kopie", engine)
    assert copy.meta.db_id != a.meta.db_id and copy.meta.version == 1
    assert store.open_division("A-kopie", engine).same_assignment(store.open_division("A2", engine))
    with pytest.raises(UserFacingError, match="bestaat al"):
        store.duplicate("A2", "B", engine)
    store.delete("A2", engine)
    assert set(store.list_divisions(engine)["name"]) == {"B", "A-kopie"}
    with pytest.raises(UserFacingError, match="Geen opgeslagen indeling"):
        store.open_division("A2", engine)


def test_saving_a_deleted_division_is_a_conflict(engine):
    saved = store.save_new(sample(), engine)
    store.delete(saved.meta.db_id, engine)
    with pytest.raises(store.ConflictError, match="verwijderd"):
        store.save(saved.move(["01004"], "Noord"), engine)


def test_duplicate_name_on_save_new_writes_nothing(engine):
    store.save_new(sample("Zelfde"), engine)
    with pytest.raises(UserFacingError, match="bestaat al"):
        store.save_new(sample("Zelfde").move(["01005"], "Zuid"), engine)
    assert len(store.list_divisions(engine)) == 1
    with engine.connect() as conn:
        n_units = conn.execute(sa.select(sa.func.count()).select_from(store.division_unit_table)).scalar_one()
    assert n_units == len(UNITS)


def test_failed_write_rolls_back_the_whole_save(engine):
    saved = store.save_new(sample(), engine)
    edited = saved.move(["01004"], "Zuid")
    # a duplicate unit code violates the primary key in the middle of the write (after the version bump)
    broken = Division(edited.meta, edited.units, edited.areas, edited.labels)
    object.__setattr__(broken, "units", (*edited.units[:-1], edited.units[0]))
    with pytest.raises(UserFacingError, match="Niets opgeslagen"):
        store.save(broken, engine)
    back = store.open_division(saved.meta.db_id, engine)
    assert back.meta.version == 1
    assert back.area_of("01004") is None  # previous content intact


def test_tables_are_created_when_the_shared_engine_predates_them(tmp_path):
    """As in the app: the sign-in check makes the shared engine before the division store is imported."""
    script = (
        "from geo.store.engine import get_engine; get_engine(); "
        "from geo.divisions import store; print(len(store.list_divisions()))"
    )
    src = os.path.dirname(os.path.dirname(os.path.dirname(store.__file__)))
    env = dict(os.environ, GEO_DB_PATH=str(tmp_path / "fresh.sqlite"))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == "0"


def test_saving_content_of_another_level_is_refused_and_the_division_stays(engine):
    """Wijk codes stored under a gemeente division made it unreadable (KeyError on every check)."""
    saved = store.save_new(sample(), engine)
    other = Division.from_mapping("Proef", "wijk", ["11002A00", "11002A01"], {"11002A00": "Noord"})
    other = other.with_meta(db_id=saved.meta.db_id, version=saved.meta.version)
    with pytest.raises(UserFacingError, match="op niveau gemeente; de nieuwe inhoud is op niveau wijk"):
        store.save(other, engine)
    back = store.open_division(saved.meta.db_id, engine)
    assert back.level == "gemeente" and back.units == tuple(UNITS) and back.meta.version == 1
