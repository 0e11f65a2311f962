"""Divisions in the database (SQLite by default, PostgreSQL via DATABASE_URL).

Tables on the shared ``METADATA``: ``division`` (metadata + ``version``), ``division_area`` (area names in
order) and ``division_unit`` (every unit the division covers, with its area or NULL). Every write is one
transaction. Saving uses optimistic concurrency: a save names the version it started from and fails with
`ConflictError` (a Dutch message) when someone else saved in between, so nobody silently overwrites
another session's work and a failed save leaves the stored division as it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from geo.divisions.division import Division, DivisionMeta, now_utc
from geo.errors import UserFacingError
from geo.store.engine import METADATA, get_engine, init_db

division_table = sa.Table(
    "division",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("level", sa.String(40), nullable=False),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("vintage", sa.String(200), nullable=False, server_default=""),
    sa.Column("author", sa.String(200), nullable=False, server_default=""),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("updated", sa.DateTime, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("n_units", sa.Integer, nullable=False),
    sa.Column("n_areas", sa.Integer, nullable=False),
)

division_area_table = sa.Table(
    "division_area",
    METADATA,
    sa.Column("division_id", sa.Integer, sa.ForeignKey("division.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.UniqueConstraint("division_id", "name", name="uq_division_area_name"),
)

division_unit_table = sa.Table(
    "division_unit",
    METADATA,
    sa.Column("division_id", sa.Integer, sa.ForeignKey("division.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("unit_code", sa.String(40), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("area_position", sa.Integer, nullable=True),
)


class ConflictError(UserFacingError):
    """Someone else saved (or deleted) the division since it was opened."""


def _engine(engine: Engine | None) -> Engine:
    if engine is None:
        return get_engine()
    init_db(engine)
    return engine


@contextmanager
def _transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction; database errors roll back and become a Dutch message."""
    try:
        with engine.begin() as conn:
            yield conn
    except sa.exc.IntegrityError as exc:
        text = str(exc.orig).lower()
        if "division.name" in text or "division_name_key" in text:  # SQLite / PostgreSQL wording
            raise UserFacingError(
                "Er bestaat al een indeling met deze naam. Kies een andere naam; er is niets opgeslagen."
            ) from exc
        raise UserFacingError(f"Niets opgeslagen: de databank weigerde de wijziging ({exc.orig}).") from exc
    except sa.exc.OperationalError as exc:
        raise UserFacingError(
            "Niets opgeslagen: de databank is bezet of niet bereikbaar. Probeer het opnieuw. "
            f"({str(exc.orig)[:160]})"
        ) from exc


def _naive(ts: datetime) -> datetime:
    return ts.astimezone(UTC).replace(tzinfo=None) if ts.tzinfo else ts


def _aware(ts: datetime | None) -> datetime | None:
    return ts.replace(tzinfo=UTC) if ts is not None and ts.tzinfo is None else ts


def _write_content(conn: Connection, division_id: int, division: Division) -> None:
    conn.execute(sa.delete(division_unit_table).where(division_unit_table.c.division_id == division_id))
    conn.execute(sa.delete(division_area_table).where(division_area_table.c.division_id == division_id))
    if division.areas:
        conn.execute(
            sa.insert(division_area_table),
            [{"division_id": division_id, "position": i, "name": a} for i, a in enumerate(division.areas)],
        )
    labels = division.labels.tolist()
    conn.execute(
        sa.insert(division_unit_table),
        [
            {
                "division_id": division_id,
                "unit_code": u,
                "position": i,
                "area_position": lab if lab >= 0 else None,
            }
            for i, (u, lab) in enumerate(zip(division.units, labels, strict=True))
        ],
    )


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise UserFacingError("Geef de indeling een naam.")
    if len(name) > 200:
        raise UserFacingError("De naam is te lang (maximaal 200 tekens).")
    return name


def save_new(division: Division, engine: Engine | None = None) -> Division:
    """Store `division` as a new division (version 1); returns it with `db_id` and `version` set."""
    engine = _engine(engine)
    name = _check_name(division.name)
    now = now_utc()
    meta = division.meta
    created = meta.created or now
    with _transaction(engine) as conn:
        division_id = conn.execute(
            sa.insert(division_table)
            .values(
                name=name,
                level=meta.level,
                description=meta.description or "",
                vintage=meta.vintage or "",
                author=meta.author or "",
                created=_naive(created),
                updated=_naive(now),
                version=1,
                n_units=len(division.units),
                n_areas=len(division.areas),
            )
            .returning(division_table.c.id)
        ).scalar_one()
        _write_content(conn, division_id, division)
    return division.with_meta(name=name, created=created, updated=now, db_id=int(division_id), version=1)


def save(division: Division, engine: Engine | None = None) -> Division:
    """Save changes to a stored division. Raises `ConflictError` when the stored version is not the one
    `division` was opened at (someone else saved or deleted it); nothing is written then."""
    if division.meta.db_id is None:
        return save_new(division, engine)
    engine = _engine(engine)
    meta = division.meta
    name = _check_name(meta.name)
    now = now_utc()
    with _transaction(engine) as conn:
        result = conn.execute(
            sa.update(division_table)
            .where(division_table.c.id == meta.db_id, division_table.c.version == meta.version)
            .values(
                name=name,
                description=meta.description or "",
                vintage=meta.vintage or "",
                author=meta.author or "",
                updated=_naive(now),
                version=division_table.c.version + 1,
                n_units=len(division.units),
                n_areas=len(division.areas),
            )
        )
        if result.rowcount != 1:
            raise _conflict(conn, meta)
        _write_content(conn, meta.db_id, division)
    return division.with_meta(name=name, updated=now, version=meta.version + 1)


def _conflict(conn: Connection, meta: DivisionMeta) -> ConflictError:
    row = conn.execute(
        sa.select(division_table.c.version, division_table.c.updated).where(division_table.c.id == meta.db_id)
    ).first()
    if row is None:
        return ConflictError(
            f"De indeling '{meta.name}' is intussen verwijderd door iemand anders. Uw wijzigingen zijn niet "
            "opgeslagen; bewaar ze als een nieuwe indeling."
        )
    when = _aware(row.updated).strftime("%d/%m/%Y %H:%M") if row.updated else "onbekend"
    return ConflictError(
        f"De indeling '{meta.name}' is intussen door iemand anders opgeslagen (versie {row.version}, "
        f"{when} UTC); u werkte op versie {meta.version}. Uw wijzigingen zijn niet opgeslagen en de andere "
        "versie is niet overschreven. Open de indeling opnieuw of bewaar uw versie onder een nieuwe naam."
    )


def list_divisions(engine: Engine | None = None, level: str | None = None) -> pd.DataFrame:
    """Stored divisions: `id`, `name`, `level`, `n_areas`, `n_units`, `author`, `vintage`, `updated`,
    `version`, `description` (newest first)."""
    engine = _engine(engine)
    t = division_table
    query = sa.select(
        t.c.id, t.c.name, t.c.level, t.c.n_areas, t.c.n_units, t.c.author, t.c.vintage, t.c.updated,
        t.c.version, t.c.description,
    ).order_by(t.c.updated.desc(), t.c.id.desc())  # fmt: skip
    if level:
        query = query.where(t.c.level == level)
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    columns = [
        "id",
        "name",
        "level",
        "n_areas",
        "n_units",
        "author",
        "vintage",
        "updated",
        "version",
        "description",
    ]
    frame = pd.DataFrame([dict(r) for r in rows], columns=columns)
    if len(frame):
        frame["updated"] = pd.to_datetime(frame["updated"]).dt.tz_localize("UTC")
    return frame


def _find_id(conn: Connection, key: int | str) -> int:
    t = division_table
    if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
        row = conn.execute(sa.select(t.c.id).where(t.c.id == int(key))).first()
        if row is not None:
            return int(row.id)
    row = conn.execute(sa.select(t.c.id).where(t.c.name == str(key))).first()
    if row is None:
        raise UserFacingError(f"Geen opgeslagen indeling '{key}' gevonden.")
    return int(row.id)


def open_division(key: int | str, engine: Engine | None = None) -> Division:
    """The stored division with id or name `key`."""
    engine = _engine(engine)
    with engine.connect() as conn:
        division_id = _find_id(conn, key)
        row = (
            conn.execute(sa.select(division_table).where(division_table.c.id == division_id)).mappings().one()
        )
        areas = conn.execute(
            sa.select(division_area_table.c.name)
            .where(division_area_table.c.division_id == division_id)
            .order_by(division_area_table.c.position)
        ).scalars()
        areas = tuple(areas)
        units = conn.execute(
            sa.select(division_unit_table.c.unit_code, division_unit_table.c.area_position)
            .where(division_unit_table.c.division_id == division_id)
            .order_by(division_unit_table.c.position)
        ).all()
    meta = DivisionMeta(
        name=row["name"],
        level=row["level"],
        description=row["description"],
        vintage=row["vintage"],
        author=row["author"],
        created=_aware(row["created"]),
        updated=_aware(row["updated"]),
        db_id=int(row["id"]),
        version=int(row["version"]),
    )
    labels = [-1 if r.area_position is None else int(r.area_position) for r in units]
    return Division(meta, tuple(r.unit_code for r in units), areas, labels)


def _row_filter(division_id: int, expected_version: int | None) -> list:
    """WHERE clauses for one stored division, with the version check when a version is expected."""
    t = division_table
    where = [t.c.id == division_id]
    if expected_version is not None:
        where.append(t.c.version == expected_version)
    return where


def rename(
    key: int | str, new_name: str, engine: Engine | None = None, expected_version: int | None = None
) -> int:
    """Rename a stored division; returns its new version. With `expected_version`, a conflict check."""
    engine = _engine(engine)
    new_name = _check_name(new_name)
    with _transaction(engine) as conn:
        division_id = _find_id(conn, key)
        t = division_table
        where = _row_filter(division_id, expected_version)
        result = conn.execute(
            sa.update(t)
            .where(*where)
            .values(name=new_name, version=t.c.version + 1, updated=_naive(now_utc()))
        )
        if result.rowcount != 1:
            raise _conflict(
                conn, DivisionMeta(str(key), "", db_id=division_id, version=expected_version or 0)
            )
        return int(conn.execute(sa.select(t.c.version).where(t.c.id == division_id)).scalar_one())


def duplicate(key: int | str, new_name: str, engine: Engine | None = None) -> Division:
    """Store a copy of a stored division under `new_name` (a new division, version 1)."""
    engine = _engine(engine)
    original = open_division(key, engine)
    copy = original.with_meta(name=new_name, db_id=None, version=0, created=None, updated=None)
    return save_new(copy, engine)


def delete(key: int | str, engine: Engine | None = None, expected_version: int | None = None) -> None:
    """Delete a stored division (with its areas and units)."""
    engine = _engine(engine)
    with _transaction(engine) as conn:
        division_id = _find_id(conn, key)
        t = division_table
        where = _row_filter(division_id, expected_version)
        conn.execute(sa.delete(division_unit_table).where(division_unit_table.c.division_id == division_id))
        conn.execute(sa.delete(division_area_table).where(division_area_table.c.division_id == division_id))
        if conn.execute(sa.delete(t).where(*where)).rowcount != 1:
            raise _conflict(
                conn, DivisionMeta(str(key), "", db_id=division_id, version=expected_version or 0)
            )
