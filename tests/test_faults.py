"""Infrastructure faults give Dutch messages and leave stored data as it was (database, built data, CLI)."""

from __future__ import annotations

import shutil
import sqlite3
import sys

import pandas as pd
import pytest
import sqlalchemy as sa

from geo import faults
from geo.cli.main import main
from geo.errors import DataMissingError, UserFacingError
from geo.partners import store as partner_store
from geo.partners.register import conform
from geo.store import engine as eng

REFUSED = "postgresql+psycopg2://gebruiker:geheim@127.0.0.1:1/gebiedsplanner"  # nothing listens on port 1


def _partners(n: int) -> pd.DataFrame:
    return conform(
        pd.DataFrame(
            {
                "naam": [f"Partner {i}" for i in range(n)],
                "type": "CLB",
                "gefinancierd": False,
                "lat": 51.2,
                "lon": 4.4,
                "x": 152000.0,
                "y": 212000.0,
                "benaderd": False,
                "locatiebron": "coördinaten",
                "bron": "test",
            }
        )
    )


def test_unreachable_postgres_is_a_dutch_message():
    eng.get_engine.cache_clear()
    with pytest.raises(eng.DatabaseError, match="niet bereikbaar") as exc:
        eng.get_engine(REFUSED)
    assert "DATABASE_URL" in str(exc.value) and "Traceback" not in str(exc.value)


def test_missing_postgres_driver_names_the_install_command(monkeypatch):
    eng.get_engine.cache_clear()
    monkeypatch.setitem(sys.modules, "psycopg2", None)  # as if the driver were not installed
    with pytest.raises(eng.DatabaseError, match="PostgreSQL-driver ontbreekt") as exc:
        eng.get_engine("postgresql+psycopg2://x:y@localhost/db")
    assert "pip install -e '.[postgres]'" in str(exc.value)


def test_read_only_database_refuses_and_keeps_the_register(tmp_path):
    path = tmp_path / "register.sqlite"
    writable = eng.make_engine(f"sqlite:///{path}")
    eng.init_db(writable)
    partner_store.replace_partners(writable, _partners(3))
    writable.dispose()
    before = path.read_bytes()
    read_only = sa.create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    with pytest.raises(UserFacingError, match="alleen-lezen") as exc:
        partner_store.replace_partners(read_only, _partners(1))
    assert "Het vorige register is ongewijzigd" in str(exc.value)
    read_only.dispose()
    assert path.read_bytes() == before


def test_full_database_refuses_and_keeps_the_register(tmp_path):
    path = tmp_path / "vol.sqlite"
    engine = eng.make_engine(f"sqlite:///{path}")
    eng.init_db(engine)
    partner_store.replace_partners(engine, _partners(2))

    @sa.event.listens_for(engine, "connect")
    def _small(dbapi_conn, _record):  # the database may not grow any more: as a full disk
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    engine.dispose()
    with pytest.raises(UserFacingError, match="vol") as exc:
        partner_store.append_partners(engine, _partners(5000))
    assert "Niets opgeslagen" in str(exc.value)
    assert len(partner_store.load_partners(engine)) == 2
    engine.dispose()


def test_locked_and_damaged_databases_have_their_own_message(tmp_path):
    assert "bezet" in eng.db_problem(sqlite3.OperationalError("database is locked"))
    bad = tmp_path / "kapot.sqlite"
    bad.write_bytes(b"dit is geen databank" * 100)
    with pytest.raises(eng.DatabaseError, match="beschadigd"):
        eng.get_engine(f"sqlite:///{bad}")


def test_cli_database_fault_is_one_dutch_line(monkeypatch, capsys):
    eng.get_engine.cache_clear()
    monkeypatch.setenv("DATABASE_URL", REFUSED)
    assert main(["partners", "export", "x.csv"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fout: De databank is niet bereikbaar") and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    eng.get_engine.cache_clear()


def test_unexpected_errors_are_one_line_too(monkeypatch, capsys):
    def boom(_args):
        raise ValueError("iets onverwachts")

    import geo.cli.data as data_cli

    monkeypatch.setattr(data_cli, "_status", boom)
    assert main(["data", "status"]) == 3
    err = capsys.readouterr().err
    assert "Onverwachte fout (ValueError: iets onverwachts)" in err and "Traceback" not in err


def test_disk_full_and_permissions_are_explained():
    import errno

    assert faults.message(OSError(errno.ENOSPC, "No space left on device", "uit.csv")).startswith(
        "De schijf is vol (uit.csv)"
    )
    assert "rechten" in faults.message(PermissionError(errno.EACCES, "Permission denied", "/x"))


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    from geo.data import units
    from geo.paths import data_dir

    if not units.is_built():
        pytest.fail("Gegevens niet opgebouwd: voer `make data` uit.")
    copy = tmp_path / "data"
    for sub in ("shapes", "stats", "1g1p"):
        shutil.copytree(data_dir() / sub, copy / sub)
    shutil.copy(data_dir() / "manifest.json", copy / "manifest.json")
    monkeypatch.setenv("GEO_DATA_DIR", str(copy))
    _clear(units)
    yield copy
    _clear(units)


def _clear(module) -> None:
    """Empty every cached reader of ``module`` (the copy has the same build stamp as the original)."""
    for value in vars(module).values():
        if callable(getattr(value, "cache_clear", None)):
            value.cache_clear()


def test_corrupt_built_table_names_the_file_and_the_rebuild(data_copy, capsys):
    from geo.data import units

    target = data_copy / "stats" / "wijk.parquet"
    target.write_bytes(target.read_bytes()[:1000])  # truncated
    with pytest.raises(DataMissingError) as exc:
        units.load_table("wijk")
    assert "wijk.parquet" in str(exc.value) and "python -m geo data build" in str(exc.value)
    assert main(["data", "status"]) == 1
    out = capsys.readouterr().out
    assert "stats/wijk.parquet" in out and "niet in orde" in out
    assert "ok         stats/gemeente.parquet" in out


def test_missing_built_file_is_named(data_copy, capsys):
    from geo.data import units

    (data_copy / "stats" / "gemeente.parquet").unlink()
    with pytest.raises(DataMissingError, match="gemeente.parquet ontbreekt"):
        units.load_table("gemeente")
    assert main(["data", "status"]) == 1
    assert "ONTBREEKT  stats/gemeente.parquet" in capsys.readouterr().out


@pytest.mark.parametrize("url", ["mysql://x@localhost/db", "foo://x", "geen adres"])
def test_unsupported_or_malformed_database_url_is_named_as_such(url):
    eng.get_engine.cache_clear()
    with pytest.raises(eng.DatabaseError, match="niet kent of is geen geldig adres") as exc:
        eng.get_engine(url)
    assert "PostgreSQL-driver" not in str(exc.value) and "postgresql+psycopg2://" in str(exc.value)


def test_postgres_connections_wait_a_bounded_time():
    """A server that never answers gives the Dutch message after a few seconds instead of hanging."""
    url = eng.make_engine("postgresql+psycopg2://x:y@db.invalid/geo").url
    assert url.query["connect_timeout"] == str(eng.CONNECT_TIMEOUT_S)
    own = eng.make_engine("postgresql+psycopg2://x:y@db.invalid/geo?connect_timeout=3").url
    assert own.query["connect_timeout"] == "3"
    assert "connect_timeout" not in eng.make_engine("sqlite://").url.query


def test_any_failed_connection_to_the_server_is_unreachable():
    failure = sa.exc.OperationalError(
        "connect", {}, Exception('connection to server at "10.0.0.1", port 5432 failed: received invalid')
    )
    assert eng.db_problem(failure).startswith("De databank is niet bereikbaar")


def test_a_missing_database_is_unreachable_but_a_missing_table_is_not():
    """'database "x" does not exist' is a connection fault; 'relation "x" does not exist' is not."""
    no_db = sa.exc.OperationalError("connect", {}, Exception('FATAL:  database "geo" does not exist'))
    assert eng.db_problem(no_db).startswith("De databank is niet bereikbaar")
    no_table = sa.exc.ProgrammingError("SELECT", {}, Exception('relation "partners" does not exist'))
    text = eng.db_problem(no_table, saving=True)
    assert "niet bereikbaar" not in text and 'relation "partners" does not exist' in text
