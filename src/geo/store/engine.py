"""Database engine: embedded SQLite by default, PostgreSQL when DATABASE_URL is set.

Modules that persist data declare their tables on the shared ``METADATA`` and call
``init_db(engine)`` (idempotent) before use.

Infrastructure faults become Dutch messages (`db_problem`, `DatabaseError`): the PostgreSQL driver missing
(with the install command), the database unreachable, read-only, full or locked, a damaged SQLite file.
`get_engine` raises `DatabaseError` instead of a driver's traceback; the stores use `db_problem` in their
transactions; the CLI and the app show the message.
"""

from __future__ import annotations

import os
import re
import weakref
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from geo.errors import UserFacingError
from geo.paths import user_dir
from geo.store import config

METADATA = sa.MetaData()
POSTGRES_INSTALL = "pip install -e '.[postgres]'  (of: pip install psycopg2-binary)"
#: Seconds to wait for a PostgreSQL server before saying it cannot be reached (unless the URL says otherwise).
CONNECT_TIMEOUT_S = 10
PSYCOPG_DRIVERS = ("postgresql", "postgresql+psycopg2", "postgresql+psycopg")
POSTGRES_URL_EXAMPLE = "bv. postgresql+psycopg2://gebruiker:wachtwoord@host/databank"


class DatabaseError(UserFacingError):
    """The database cannot be used (driver, connection, permissions, space); the message says what to do."""


def _text(exc: BaseException) -> str:
    inner = getattr(exc, "orig", None) or exc
    return " ".join(str(inner).split())


def db_problem(exc: BaseException, saving: bool = False) -> str:
    """A Dutch one-line explanation of a database fault, with what to do; never a traceback."""
    message = _problem(exc, saving)
    return message[:1].upper() + message[1:]


def _problem(exc: BaseException, saving: bool) -> str:
    text = _text(exc)
    low = text.lower()
    nothing = "Niets opgeslagen: " if saving else ""
    if isinstance(exc, (sa.exc.NoSuchModuleError, sa.exc.ArgumentError)) or (
        isinstance(exc, ModuleNotFoundError) and not any(k in low for k in ("psycopg", "pg8000", "asyncpg"))
    ):
        return (
            "DATABASE_URL wijst naar een databank die de Gebiedsplanner niet kent of is geen geldig adres "
            f"({text[:120]}). Gebruik PostgreSQL ({POSTGRES_URL_EXAMPLE}) of laat DATABASE_URL weg voor de "
            "ingebouwde SQLite."
        )
    if (
        isinstance(exc, ModuleNotFoundError)
        or "no module named 'psycopg" in low
        or "psycopg2" in low
        and ("module" in low)
    ):
        return (
            "De PostgreSQL-driver ontbreekt (DATABASE_URL wijst naar PostgreSQL). Installeer hem met: "
            f"{POSTGRES_INSTALL}."
        )
    if any(k in low for k in ("readonly database", "read-only", "read only", "readonly")):
        return (
            f"{nothing}de databank is alleen-lezen (geen schrijfrechten op het databankbestand of de map, of "
            "een alleen-lezen-server). Vraag schrijfrechten of kies met GEO_DB_PATH een andere plaats."
        )
    if any(k in low for k in ("disk is full", "no space left", "could not extend file", "disk full")):
        return (
            f"{nothing}de schijf of de databank is vol. Maak ruimte vrij en probeer opnieuw; wat er al "
            "stond is ongewijzigd."
        )
    if isinstance(exc, sa.exc.IntegrityError):
        return f"{nothing}de databank weigerde dubbele of onvolledige rijen ({text[:160]})."
    if "database is locked" in low or "lock timeout" in low:
        return f"{nothing}de databank is bezet door een andere bewerking. Probeer het zo dadelijk opnieuw."
    if "file is not a database" in low or "malformed" in low:
        return (
            "Het databankbestand is beschadigd. Zet een reservekopie terug of kies met GEO_DB_PATH een nieuw "
            "bestand."
        )
    if any(
        k in low
        for k in (
            "could not connect",
            "connection to server at",
            "connection refused",
            "could not translate host",
            "timeout expired",
            "timed out",
            "server closed the connection",
            "name or service not known",
            "no route to host",
            "password authentication failed",
        )
    ) or re.search(r'(database|role) "[^"]*" does not exist', low):  # not a missing table or column
        return (
            f"{nothing}de databank is niet bereikbaar ({text[:160]}). Controleer DATABASE_URL en of de "
            "databankserver draait."
        )
    if "unable to open database file" in low:
        return (
            f"{nothing}het databankbestand kan niet geopend worden (bestaat de map, en mag de toepassing "
            "erin schrijven?). Kies met GEO_DB_PATH een andere plaats."
        )
    return f"{nothing}databankfout ({exc.__class__.__name__}: {text[:160]})."


def database_url() -> str:
    """DATABASE_URL if set, else the settings file's database_url, else a SQLite file in the user data
    folder (GEO_DB_PATH overrides). A team server never falls back to SQLite."""
    settings = config.active()
    url = settings.effective_database_url()
    if url:
        return url
    if settings.team:
        raise config.StartupError(
            "Deze installatie staat als teamserver ingesteld maar heeft geen PostgreSQL-databank: zet "
            "database_url in [gebiedsplanner] of DATABASE_URL."
        )
    path = os.environ.get("GEO_DB_PATH") or str(user_dir() / "gebiedsplanner.sqlite")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    return f"sqlite:///{path}"


def make_engine(url: str | None = None) -> Engine:
    """A new engine; SQLite gets foreign keys and WAL so that two sessions can work at once."""
    url = sa.engine.make_url(url or database_url())
    if url.drivername in PSYCOPG_DRIVERS and "connect_timeout" not in url.query:
        url = url.update_query_dict({"connect_timeout": str(CONNECT_TIMEOUT_S)})  # never hang on a dead host
    engine = sa.create_engine(url, future=True)
    if engine.dialect.name == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=5000")
            cur.close()

    return engine


@lru_cache(maxsize=4)
def get_engine(url: str | None = None) -> Engine:
    """A cached engine for the configured database, with all declared tables created. Raises
    `DatabaseError` (a Dutch message) when the driver is missing or the database cannot be used."""
    try:
        engine = make_engine(url)
        init_db(engine)
    except (ModuleNotFoundError, sa.exc.SQLAlchemyError, OSError) as exc:
        raise DatabaseError(db_problem(exc)) from exc
    return engine


_READY: weakref.WeakKeyDictionary[Engine, frozenset[str]] = weakref.WeakKeyDictionary()


def init_db(engine: Engine) -> None:
    """Create every table declared on METADATA that does not exist yet, and add columns declared since a
    table was created (a database from an earlier release keeps its data). Done once per engine and set
    of declared tables."""
    declared = frozenset(METADATA.tables)
    if _READY.get(engine) == declared:
        return
    METADATA.create_all(engine)
    add_missing_columns(engine)
    _READY[engine] = declared


def add_missing_columns(engine: Engine) -> list[str]:
    """``ALTER TABLE ... ADD COLUMN`` for declared columns an existing table lacks; returns them as
    ``table.column``. Such a column needs a server default or must allow NULL (existing rows get it)."""
    inspector = sa.inspect(engine)
    added: list[str] = []
    with engine.begin() as conn:
        for table in METADATA.sorted_tables:
            if not inspector.has_table(table.name):
                continue
            present = {c["name"] for c in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name in present:
                    continue
                if not column.nullable and column.server_default is None:
                    raise RuntimeError(f"{table.name}.{column.name}: a new column needs a server default")
                ddl = sa.schema.CreateColumn(column).compile(dialect=engine.dialect)
                conn.execute(sa.text(f"ALTER TABLE {table.name} ADD COLUMN {ddl}"))
                added.append(f"{table.name}.{column.name}")
    return added
