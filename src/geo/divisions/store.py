"""Divisions in the database (SQLite by default, PostgreSQL via DATABASE_URL): content, versions, status
and comments. Every write to a division goes through this module and is one transaction.

Tables on the shared ``METADATA``:
- ``division`` (metadata + the current ``version``), ``division_area`` (area names in order) and
  ``division_unit`` (every unit the division covers, with its area or NULL): the current content.
- ``division_version``: one immutable row per version: when, who (passed in by the caller), what
  (``action``), the status and gate settings of that version, the changes against the previous version
  (units moved, areas renamed, added or removed, metadata) and a snapshot of the content, so that any
  version can be viewed and restored exactly. Rows are only ever inserted.
- ``division_comment``: comments on a version, optionally about one area.

Versions: every write that changes a division (save, rename, status, gate settings, restore) makes a new
version. Saving uses optimistic concurrency: a write names the version it started from and fails with
`ConflictError` (a Dutch message) when someone else wrote in between; a failed write leaves everything
as it was.

Status: ``concept`` -> ``voorstel`` -> ``vastgesteld`` (and ``voorstel`` -> ``concept``). A vastgesteld
version is read-only: any change to the division (content, name, gate settings, a restore, going back to
concept) makes a new version with status concept, and the vastgesteld version stays in the history as it
was. The same holds for a voorstel, so what is vastgesteld is exactly what was proposed. A division with
a vastgesteld version cannot be deleted.

Divisions stored before versions existed have no version rows; their current content counts as their
current version (status concept) and gets its snapshot row with the first write.

Workspaces and roles: every division belongs to a workspace. Every function takes the caller's identity
(``actor``, see `geo.store.access`; the local user when omitted) and checks its role in the same
transaction: reading needs ``lezen``; saving, renaming, copying, deleting, restoring, gate settings,
comments and proposing need ``bewerken`` (planner); setting a division to vastgesteld needs ``vaststellen``
(beheerder). A division of another workspace is simply not found. On a team server ``who`` is always the
signed-in user. Every write is recorded in the audit trail in the same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from geo.divisions.changes import Changes, diff
from geo.divisions.division import Division, DivisionMeta, now_utc
from geo.errors import UserFacingError
from geo.store import access, audit
from geo.store.access import Actor
from geo.store.engine import METADATA, get_engine, init_db

CONCEPT, VOORSTEL, VASTGESTELD = "concept", "voorstel", "vastgesteld"
STATUSES = (CONCEPT, VOORSTEL, VASTGESTELD)
STATUS_LABELS = {CONCEPT: "Concept", VOORSTEL: "Voorstel", VASTGESTELD: "Vastgesteld"}

#: Allowed status changes (a change away from vastgesteld is always a new concept).
TRANSITIONS = {CONCEPT: {VOORSTEL}, VOORSTEL: {CONCEPT, VASTGESTELD}, VASTGESTELD: {CONCEPT}}

#: What a version did (``action``) in Dutch.
ACTIONS = {
    "nieuw": "Nieuw opgeslagen",
    "opslaan": "Opgeslagen",
    "hernoemen": "Hernoemd",
    "status": "Status gewijzigd",
    "regels": "Regels gewijzigd",
    "herstel": "Hersteld",
    "bestaand": "Bestaande versie",
}

MAX_COMMENT = 2000

division_table = sa.Table(
    "division",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "workspace_id", sa.String(80), nullable=False, server_default=access.LOCAL_WORKSPACE, index=True
    ),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("level", sa.String(40), nullable=False),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("vintage", sa.String(200), nullable=False, server_default=""),
    sa.Column("author", sa.String(200), nullable=False, server_default=""),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("updated", sa.DateTime, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("n_units", sa.Integer, nullable=False),
    sa.Column("n_areas", sa.Integer, nullable=False),
    sa.UniqueConstraint("workspace_id", "name", name="uq_division_workspace_name"),
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

division_version_table = sa.Table(
    "division_version",
    METADATA,
    sa.Column("division_id", sa.Integer, sa.ForeignKey("division.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("who", sa.String(200), nullable=False, server_default=""),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("summary", sa.Text, nullable=False, server_default=""),
    sa.Column("changes", sa.Text, nullable=False, server_default="{}"),  # JSON, see `Changes`
    sa.Column("rules", sa.Text, nullable=False, server_default="{}"),  # JSON gate settings, {} = default
    sa.Column("content", sa.Text, nullable=False),  # JSON snapshot: meta, units, areas, labels
)

division_comment_table = sa.Table(
    "division_comment",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "division_id",
        sa.Integer,
        sa.ForeignKey("division.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("area", sa.String(200), nullable=True),
    sa.Column("who", sa.String(200), nullable=False, server_default=""),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
)


class ConflictError(UserFacingError):
    """Someone else saved (or deleted) the division since it was opened."""


class LockedError(UserFacingError):
    """The change is not allowed because of the division's status (e.g. deleting a decided division)."""


def _engine(engine: Engine | None) -> Engine:
    """`engine` or the shared one, with the division tables created (the shared engine may have been made
    before this module declared them, e.g. by the sign-in check)."""
    engine = engine or get_engine()
    init_db(engine)
    return engine


def _actor(actor: Actor | None) -> Actor:
    return actor or access.local_actor()


def _who(actor: Actor, who: str) -> str:
    """Who is recorded in the history: locally what the caller says, on a team server the signed-in user."""
    return (who or actor.label) if actor.local else actor.label


@contextmanager
def _transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction; database errors roll back and become a Dutch message."""
    try:
        with engine.begin() as conn:
            yield conn
    except sa.exc.IntegrityError as exc:
        text = str(exc.orig).lower()
        if "division.name" in text or "division_name_key" in text or "uq_division_workspace_name" in text:
            raise UserFacingError(
                "Er bestaat al een indeling met deze naam. Kies een andere naam; er is niets opgeslagen."
            ) from exc
        if "division_version" in text:  # two writers claimed the same version number
            raise ConflictError(
                "Iemand anders heeft de indeling net gewijzigd; er is niets opgeslagen. Open ze opnieuw."
            ) from exc
        raise UserFacingError(f"Niets opgeslagen: de databank weigerde de wijziging ({exc.orig}).") from exc
    except sa.exc.OperationalError as exc:
        from geo.store.engine import db_problem

        raise UserFacingError(db_problem(exc, saving=True)) from exc


def _naive(ts: datetime) -> datetime:
    return ts.astimezone(UTC).replace(tzinfo=None) if ts.tzinfo else ts


def _aware(ts: datetime | None) -> datetime | None:
    return ts.replace(tzinfo=UTC) if ts is not None and ts.tzinfo is None else ts


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise UserFacingError("Geef de indeling een naam.")
    if len(name) > 200:
        raise UserFacingError("De naam is te lang (maximaal 200 tekens).")
    return name


def _check_who(who: str | None) -> str:
    who = (who or "").strip()
    if len(who) > 200:
        raise UserFacingError("De naam van wie de wijziging maakt is te lang (maximaal 200 tekens).")
    return who


# ---------------------------------------------------------------------- snapshots


def _snapshot(division: Division) -> str:
    m = division.meta
    return json.dumps(
        {
            "meta": {
                "name": m.name,
                "level": m.level,
                "description": m.description or "",
                "vintage": m.vintage or "",
                "author": m.author or "",
            },
            "units": list(division.units),
            "areas": list(division.areas),
            "labels": division.labels.tolist(),
        },
        ensure_ascii=False,
    )


def _from_snapshot(text: str, db_id: int, version: int, created: datetime | None) -> Division:
    d = json.loads(text)
    meta = DivisionMeta(
        name=d["meta"]["name"],
        level=d["meta"]["level"],
        description=d["meta"].get("description", ""),
        vintage=d["meta"].get("vintage", ""),
        author=d["meta"].get("author", ""),
        updated=created,
        db_id=db_id,
        version=version,
    )
    return Division(meta, tuple(d["units"]), tuple(d["areas"]), np.asarray(d["labels"], dtype=np.int32))


# ---------------------------------------------------------------------- reading helpers


def _find_id(conn: Connection, key: int | str, actor: Actor) -> int:
    """The id of the division `key` (id or name) in the actor's workspace; other workspaces' divisions
    are not found."""
    t = division_table
    mine = t.c.workspace_id == actor.workspace
    if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
        row = conn.execute(sa.select(t.c.id).where(t.c.id == int(key), mine)).first()
        if row is not None:
            return int(row.id)
    row = conn.execute(sa.select(t.c.id).where(t.c.name == str(key), mine)).first()
    if row is None:
        raise UserFacingError(f"Geen opgeslagen indeling '{key}' gevonden.")
    return int(row.id)


def _read_current(conn: Connection, division_id: int) -> Division:
    row = conn.execute(sa.select(division_table).where(division_table.c.id == division_id)).mappings().first()
    if row is None:
        raise UserFacingError(f"Geen opgeslagen indeling met nummer {division_id} gevonden.")
    areas = tuple(
        conn.execute(
            sa.select(division_area_table.c.name)
            .where(division_area_table.c.division_id == division_id)
            .order_by(division_area_table.c.position)
        ).scalars()
    )
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


def _version_row(conn: Connection, division_id: int, version: int | None = None):
    """The row of `version` (default: the newest) or None."""
    t = division_version_table
    query = sa.select(t).where(t.c.division_id == division_id)
    query = query.where(t.c.version == version) if version is not None else query.order_by(t.c.version.desc())
    return conn.execute(query.limit(1)).mappings().first()


def _head_state(conn: Connection, division_id: int, version: int) -> tuple[str, dict]:
    """(status, gate settings) of the current version; divisions stored before versions existed are
    concepts with default settings."""
    row = _version_row(conn, division_id, version)
    if row is None:
        return CONCEPT, {}
    return row["status"], json.loads(row["rules"] or "{}")


# ---------------------------------------------------------------------- the one write path


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


def _insert_version(
    conn: Connection,
    division: Division,
    version: int,
    *,
    who: str,
    action: str,
    status: str,
    rules: Mapping,
    changes: Changes,
    when: datetime,
) -> None:
    conn.execute(
        sa.insert(division_version_table).values(
            division_id=division.meta.db_id,
            version=version,
            created=_naive(when),
            who=who,
            action=action,
            status=status,
            name=division.meta.name,
            summary=changes.summary(),
            changes=changes.to_json(),
            rules=json.dumps(dict(rules), ensure_ascii=False),
            content=_snapshot(division),
        )
    )


def _claim(conn: Connection, division_id: int, expected_version: int | None, name: str) -> Division:
    """Take the division for writing: bump its version when it is still `expected_version` (any version
    when None) and return its content as it was. Raises `ConflictError` otherwise. The UPDATE comes first
    so that concurrent writers queue on the row (SQLite: on the database) instead of reading stale data."""
    t = division_table
    where = [t.c.id == division_id]
    if expected_version is not None:
        where.append(t.c.version == expected_version)
    result = conn.execute(sa.update(t).where(*where).values(version=t.c.version + 1))
    if result.rowcount != 1:
        raise _conflict(conn, DivisionMeta(name, "", db_id=division_id, version=expected_version or 0))
    old = _read_current(conn, division_id)
    return old.with_meta(version=old.meta.version - 1)


def _commit(
    conn: Connection,
    division_id: int,
    expected_version: int | None,
    *,
    who: str,
    action: str,
    change: Callable[[Division], Division] | None = None,
    status: str | None = None,
    rules: Mapping | None = None,
    restored_from: int | None = None,
    name_hint: str = "",
) -> Division:
    """The one write path: a new version of a stored division. `change` turns the current content into
    the new one, `status` and `rules` replace the status and gate settings. Raises `_Unchanged` (nothing
    written) when nothing changes. A change to a vastgesteld version makes a new concept; the vastgesteld
    version stays in the history as it was."""
    who = _check_who(who)
    old = _claim(conn, division_id, expected_version, name_hint or str(division_id))
    old_status, old_rules = _head_state(conn, division_id, old.meta.version)
    if action == "status" and status is not None:
        if status == old_status:
            raise UserFacingError(
                f"De indeling is al {STATUS_LABELS[status].lower()} (versie {old.meta.version})."
            )
        if status not in TRANSITIONS[old_status]:
            raise LockedError(_transition_message(old_status, status))
    new = change(old) if change is not None else old
    if new.level != old.level:  # the units of another level would be stored under the old level
        raise UserFacingError(
            f"Niets opgeslagen: '{old.meta.name}' is een indeling op niveau {old.level}; de nieuwe inhoud is "
            f"op niveau {new.level}. Een opgeslagen indeling houdt haar niveau: sla deze op als nieuwe "
            "indeling."
        )
    new_rules = dict(old_rules if rules is None else rules)
    changes = replace(diff(old, new), rules=new_rules != old_rules, restored_from=restored_from)
    if changes.empty and status is None:
        raise _Unchanged
    # what was proposed or decided stays as it was: any change to it is a new concept
    new_status = status or CONCEPT
    if new_status != old_status:
        changes = replace(changes, status=(old_status, new_status))
    if _version_row(conn, division_id, old.meta.version) is None:  # stored before versions existed
        _insert_version(
            conn, old, old.meta.version, who=old.meta.author or "", action="bestaand", status=old_status,
            rules=old_rules, changes=Changes(), when=old.meta.updated or now_utc(),
        )  # fmt: skip
    now = now_utc()
    version = old.meta.version + 1
    name = _check_name(new.meta.name)
    conn.execute(
        sa.update(division_table)
        .where(division_table.c.id == division_id)
        .values(
            name=name,
            description=new.meta.description or "",
            vintage=new.meta.vintage or "",
            author=new.meta.author or "",
            updated=_naive(now),
            n_units=len(new.units),
            n_areas=len(new.areas),
        )
    )
    if changes.content_changed or new.units != old.units or new.areas != old.areas:
        _write_content(conn, division_id, new)
    stored = new.with_meta(
        name=name, db_id=division_id, version=version, updated=now, created=old.meta.created
    )
    _insert_version(
        conn, stored, version, who=who, action=action, status=new_status, rules=new_rules, changes=changes,
        when=now,
    )  # fmt: skip
    return stored


class _Unchanged(Exception):
    """Internal: a write that changes nothing (rolled back, nothing stored)."""


def _conflict(conn: Connection, meta: DivisionMeta) -> ConflictError:
    t = division_table
    row = conn.execute(sa.select(t.c.name, t.c.version, t.c.updated).where(t.c.id == meta.db_id)).first()
    if row is not None and row.name:  # the stored name, also when the caller only knew the id
        meta = replace(meta, name=row.name)
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


# ---------------------------------------------------------------------- writes


def save_new(
    division: Division,
    engine: Engine | None = None,
    *,
    who: str = "",
    rules: Mapping | None = None,
    actor: Actor | None = None,
) -> Division:
    """Store `division` as a new division (version 1, status concept); returns it with `db_id` and
    `version` set. `who` is the person saving (passed in by the caller); `rules` the gate settings."""
    engine = _engine(engine)
    actor = _actor(actor)
    name = _check_name(division.name)
    who = _check_who(_who(actor, who))
    now = now_utc()
    meta = division.meta
    created = meta.created or now
    with _transaction(engine) as conn:
        access.require(conn, actor, "bewerken")
        division_id = conn.execute(
            sa.insert(division_table)
            .values(
                workspace_id=actor.workspace,
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
        stored = division.with_meta(
            name=name, created=created, updated=now, db_id=int(division_id), version=1
        )
        _insert_version(
            conn, stored, 1, who=who, action="nieuw", status=CONCEPT, rules=rules or {},
            changes=Changes(added=division.areas), when=now,
        )  # fmt: skip
        detail = {"versie": 1, "niveau": meta.level, "gebieden": len(division.areas)}
        audit.record(conn, actor, "indeling.nieuw", name, detail)
    return stored


def save(
    division: Division,
    engine: Engine | None = None,
    *,
    who: str = "",
    rules: Mapping | None = None,
    actor: Actor | None = None,
) -> Division:
    """Save changes to a stored division as a new version. Raises `ConflictError` when the stored
    version is not the one `division` was opened at (someone else saved or deleted it); nothing is
    written then. Saving without any change returns `division` unchanged (no new version). `rules`
    replaces the gate settings (None keeps them). Saving over a vastgesteld version makes a new concept."""
    if division.meta.db_id is None:
        return save_new(division, engine, who=who, rules=rules, actor=actor)
    engine = _engine(engine)
    actor = _actor(actor)
    _check_name(division.meta.name)
    try:
        with _transaction(engine) as conn:
            access.require(conn, actor, "bewerken")
            division_id = int(division.meta.db_id)
            t = division_table
            owner = conn.execute(
                sa.select(t.c.workspace_id).where(t.c.id == division_id)
            ).scalar_one_or_none()
            if owner is not None and owner != actor.workspace:  # another workspace's: not found
                raise UserFacingError(f"Geen opgeslagen indeling '{division.meta.name}' gevonden.")
            stored = _commit(
                conn, division_id, division.meta.version, who=_who(actor, who), action="opslaan",
                change=lambda old: division, rules=rules, name_hint=division.meta.name,
            )  # fmt: skip
            audit.record(conn, actor, "indeling.opslaan", stored.meta.name, {"versie": stored.meta.version})
            return stored
    except _Unchanged:
        return division


def rename(
    key: int | str,
    new_name: str,
    engine: Engine | None = None,
    expected_version: int | None = None,
    *,
    who: str = "",
    actor: Actor | None = None,
) -> int:
    """Rename a stored division; returns its new version. With `expected_version`, a conflict check."""
    engine = _engine(engine)
    actor = _actor(actor)
    new_name = _check_name(new_name)
    try:
        with _transaction(engine) as conn:
            access.require(conn, actor, "bewerken")
            division_id = _find_id(conn, key, actor)
            stored = _commit(
                conn, division_id, expected_version, who=_who(actor, who), action="hernoemen",
                change=lambda old: old.with_meta(name=new_name), name_hint=str(key),
            )  # fmt: skip
            audit.record(
                conn, actor, "indeling.hernoemen", new_name, {"was": str(key), "versie": stored.meta.version}
            )
    except _Unchanged:
        return status_of(key, engine, actor=actor).version
    return stored.meta.version


def duplicate(
    key: int | str, new_name: str, engine: Engine | None = None, *, who: str = "", actor: Actor | None = None
) -> Division:
    """Store a copy of a stored division under `new_name` (a new division, version 1, concept, with the
    gate settings of the original)."""
    engine = _engine(engine)
    original = open_division(key, engine, actor=actor)
    settings = rules_of(original.meta.db_id, engine, actor=actor)
    copy = original.with_meta(name=new_name, db_id=None, version=0, created=None, updated=None)
    return save_new(copy, engine, who=who, rules=settings, actor=actor)


def delete(
    key: int | str,
    engine: Engine | None = None,
    expected_version: int | None = None,
    *,
    actor: Actor | None = None,
) -> None:
    """Delete a stored division (with its versions and comments). Refused for a division with a
    vastgesteld version."""
    engine = _engine(engine)
    actor = _actor(actor)
    with _transaction(engine) as conn:
        access.require(conn, actor, "bewerken")
        division_id = _find_id(conn, key, actor)
        name = conn.execute(
            sa.select(division_table.c.name).where(division_table.c.id == division_id)
        ).scalar_one()
        decided = _vastgesteld_versions(conn, division_id)
        if decided:
            raise LockedError(
                f"Deze indeling heeft een vastgestelde versie ({', '.join(map(str, decided))}) en kan niet "
                "verwijderd worden. Er is niets gewijzigd."
            )
        t = division_table
        where = [t.c.id == division_id]
        if expected_version is not None:
            where.append(t.c.version == expected_version)
        for table in (
            division_comment_table,
            division_version_table,
            division_unit_table,
            division_area_table,
        ):
            conn.execute(sa.delete(table).where(table.c.division_id == division_id))
        if conn.execute(sa.delete(t).where(*where)).rowcount != 1:
            raise _conflict(
                conn, DivisionMeta(str(key), "", db_id=division_id, version=expected_version or 0)
            )
        audit.record(conn, actor, "indeling.verwijderen", name, {"id": division_id})


def set_status(
    key: int | str,
    new_status: str,
    engine: Engine | None = None,
    *,
    who: str = "",
    expected_version: int | None = None,
    actor: Actor | None = None,
) -> int:
    """Change the status (a new version with the same content); returns the new version. Allowed:
    concept -> voorstel, voorstel -> concept or vastgesteld, vastgesteld -> concept (a new concept; the
    vastgesteld version stays as it was)."""
    if new_status not in STATUSES:
        raise UserFacingError(f"Onbekende status '{new_status}'; kies uit {', '.join(STATUSES)}.")
    engine = _engine(engine)
    actor = _actor(actor)
    with _transaction(engine) as conn:
        access.require(conn, actor, "vaststellen" if new_status == VASTGESTELD else "bewerken")
        division_id = _find_id(conn, key, actor)
        stored = _commit(
            conn,
            division_id,
            expected_version,
            who=_who(actor, who),
            action="status",
            status=new_status,
            name_hint=str(key),
        )
        detail = {"status": new_status, "versie": stored.meta.version}
        audit.record(conn, actor, "indeling.status", stored.meta.name, detail)
    return stored.meta.version


def _transition_message(current: str, new: str) -> str:
    if current == CONCEPT and new == VASTGESTELD:
        return "Alleen een voorstel kan vastgesteld worden: zet de indeling eerst op 'voorstel'."
    if current == VASTGESTELD:
        return (
            "Een vastgestelde versie blijft zoals ze is. Maak een nieuw concept (status 'concept') en dien "
            "dat opnieuw in als voorstel."
        )
    return f"Van '{current}' naar '{new}' kan niet."


def set_rules(
    key: int | str,
    settings: Mapping,
    engine: Engine | None = None,
    *,
    who: str = "",
    expected_version: int | None = None,
    actor: Actor | None = None,
) -> int:
    """Store new gate settings for the division (a new version; a new concept after a vastgesteld
    version). Returns the version (unchanged when the settings are the same)."""
    engine = _engine(engine)
    actor = _actor(actor)
    try:
        with _transaction(engine) as conn:
            access.require(conn, actor, "bewerken")
            division_id = _find_id(conn, key, actor)
            stored = _commit(
                conn, division_id, expected_version, who=_who(actor, who), action="regels",
                rules=dict(settings), name_hint=str(key),
            )  # fmt: skip
            detail = {"regels": dict(settings), "versie": stored.meta.version}
            audit.record(conn, actor, "indeling.regels", stored.meta.name, detail)
    except _Unchanged:
        return status_of(key, engine, actor=actor).version
    return stored.meta.version


def restore(
    key: int | str,
    version: int,
    engine: Engine | None = None,
    *,
    who: str = "",
    expected_version: int | None = None,
    actor: Actor | None = None,
) -> Division:
    """Make the content and gate settings of an earlier `version` the current content again, as a new
    version with status concept (the name stays the current one). Returns the stored division."""
    engine = _engine(engine)
    actor = _actor(actor)
    with _transaction(engine) as conn:
        access.require(conn, actor, "bewerken")
        division_id = _find_id(conn, key, actor)
        row = _version_row(conn, division_id, int(version))
        if row is None:
            raise UserFacingError(f"Versie {version} van deze indeling bestaat niet.")
        snapshot = _from_snapshot(row["content"], division_id, int(version), None)

        def back(old: Division) -> Division:
            if old.meta.version == int(version):
                raise UserFacingError(f"Versie {version} is de huidige versie; er is niets te herstellen.")
            return snapshot.with_meta(name=old.meta.name, created=old.meta.created)

        stored = _commit(
            conn, division_id, expected_version, who=_who(actor, who), action="herstel", change=back,
            rules=json.loads(row["rules"] or "{}"), restored_from=int(version), name_hint=str(key),
        )  # fmt: skip
        detail = {"hersteld_van": int(version), "versie": stored.meta.version}
        audit.record(conn, actor, "indeling.herstel", stored.meta.name, detail)
        return stored


def add_comment(
    key: int | str,
    text: str,
    engine: Engine | None = None,
    *,
    who: str = "",
    version: int | None = None,
    area: str | None = None,
    actor: Actor | None = None,
) -> int:
    """Add a comment to a version (default: the current one), optionally about one of its areas.
    Comments do not change the division (no new version). Returns the comment id."""
    text = (text or "").strip()
    if not text:
        raise UserFacingError("Een opmerking mag niet leeg zijn.")
    if len(text) > MAX_COMMENT:
        raise UserFacingError(f"Een opmerking is hoogstens {MAX_COMMENT} tekens lang.")
    engine = _engine(engine)
    actor = _actor(actor)
    who = _check_who(_who(actor, who))
    with _transaction(engine) as conn:
        access.require(conn, actor, "bewerken")
        division_id = _find_id(conn, key, actor)
        current = _read_current(conn, division_id)
        version = current.meta.version if version is None else int(version)
        if version == current.meta.version:
            areas = current.areas
        else:
            row = _version_row(conn, division_id, version)
            if row is None:
                raise UserFacingError(f"Versie {version} van deze indeling bestaat niet.")
            areas = tuple(json.loads(row["content"])["areas"])
        area = (area or "").strip() or None
        if area is not None and area not in areas:
            raise UserFacingError(f"Het gebied '{area}' bestaat niet in versie {version}.")
        audit.record(
            conn, actor, "indeling.commentaar", current.meta.name, {"versie": version, "gebied": area}
        )
        return int(
            conn.execute(
                sa.insert(division_comment_table)
                .values(
                    division_id=division_id,
                    version=version,
                    area=area,
                    who=who,
                    created=_naive(now_utc()),
                    text=text,
                )  # fmt: skip
                .returning(division_comment_table.c.id)
            ).scalar_one()
        )


# ---------------------------------------------------------------------- reads


def list_divisions(
    engine: Engine | None = None, level: str | None = None, *, actor: Actor | None = None
) -> pd.DataFrame:
    """Stored divisions: `id`, `name`, `level`, `n_areas`, `n_units`, `author`, `vintage`, `updated`,
    `version`, `description`, `status`, `vastgesteld_versie` (the newest vastgesteld version or NA),
    newest first."""
    engine = _engine(engine)
    t, v = division_table, division_version_table
    head = v.alias("head")
    decided = (
        sa.select(v.c.division_id, sa.func.max(v.c.version).label("vastgesteld_versie"))
        .where(v.c.status == VASTGESTELD)
        .group_by(v.c.division_id)
        .subquery()
    )
    query = (
        sa.select(
            t.c.id,
            t.c.name,
            t.c.level,
            t.c.n_areas,
            t.c.n_units,
            t.c.author,
            t.c.vintage,
            t.c.updated,
            t.c.version,
            t.c.description,
            head.c.status,
            decided.c.vastgesteld_versie,
        )  # fmt: skip
        .outerjoin(head, sa.and_(head.c.division_id == t.c.id, head.c.version == t.c.version))
        .outerjoin(decided, decided.c.division_id == t.c.id)
        .order_by(t.c.updated.desc(), t.c.id.desc())
    )
    actor = _actor(actor)
    query = query.where(t.c.workspace_id == actor.workspace)
    if level:
        query = query.where(t.c.level == level)
    with engine.connect() as conn:
        access.require(conn, actor, "lezen")
        rows = conn.execute(query).mappings().all()
    columns = [
        "id", "name", "level", "n_areas", "n_units", "author", "vintage", "updated", "version", "description",
        "status", "vastgesteld_versie",
    ]  # fmt: skip
    frame = pd.DataFrame([dict(r) for r in rows], columns=columns)
    frame["status"] = frame["status"].fillna(CONCEPT)
    frame["vastgesteld_versie"] = frame["vastgesteld_versie"].astype("Int64")
    if len(frame):
        frame["updated"] = pd.to_datetime(frame["updated"]).dt.tz_localize("UTC")
    return frame


def open_division(key: int | str, engine: Engine | None = None, *, actor: Actor | None = None) -> Division:
    """The stored division with id or name `key` (its current version)."""
    engine = _engine(engine)
    actor = _actor(actor)
    with engine.connect() as conn:
        access.require(conn, actor, "lezen")
        return _read_current(conn, _find_id(conn, key, actor))


@dataclass(frozen=True)
class StatusInfo:
    """Status of a division's current version."""

    status: str
    version: int
    vastgesteld: tuple[int, ...] = ()  # versions that were vastgesteld, oldest first

    @property
    def read_only(self) -> bool:
        """The current version is vastgesteld: a change makes a new concept."""
        return self.status == VASTGESTELD

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


def _vastgesteld_versions(conn: Connection, division_id: int) -> tuple[int, ...]:
    t = division_version_table
    rows = conn.execute(
        sa.select(t.c.version)
        .where(t.c.division_id == division_id, t.c.status == VASTGESTELD)
        .order_by(t.c.version)
    ).scalars()
    return tuple(int(v) for v in rows)


def status_of(key: int | str, engine: Engine | None = None, *, actor: Actor | None = None) -> StatusInfo:
    """Status of the current version, and which versions were ever vastgesteld."""
    engine = _engine(engine)
    actor = _actor(actor)
    with engine.connect() as conn:
        access.require(conn, actor, "lezen")
        division_id = _find_id(conn, key, actor)
        version = int(
            conn.execute(
                sa.select(division_table.c.version).where(division_table.c.id == division_id)
            ).scalar_one()
        )
        current, _ = _head_state(conn, division_id, version)
        return StatusInfo(current, version, _vastgesteld_versions(conn, division_id))


def rules_of(
    key: int | str, engine: Engine | None = None, version: int | None = None, *, actor: Actor | None = None
) -> dict:
    """Gate settings (as stored; {} = the defaults) of the current version or of `version`."""
    engine = _engine(engine)
    actor = _actor(actor)
    with engine.connect() as conn:
        access.require(conn, actor, "lezen")
        division_id = _find_id(conn, key, actor)
        if version is None:
            version = int(
                conn.execute(
                    sa.select(division_table.c.version).where(division_table.c.id == division_id)
                ).scalar_one()
            )
        return _head_state(conn, division_id, int(version))[1]


def history(key: int | str, engine: Engine | None = None, *, actor: Actor | None = None) -> pd.DataFrame:
    """Versions, newest first: `versie`, `tijd` (UTC), `wie`, `actie`, `status`, `naam`, `samenvatting`,
    `verplaatst` (units moved), `opmerkingen` (number of comments)."""
    engine = _engine(engine)
    t, c = division_version_table, division_comment_table
    columns = [
        "versie",
        "tijd",
        "wie",
        "actie",
        "status",
        "naam",
        "samenvatting",
        "verplaatst",
        "opmerkingen",
    ]
    actor = _actor(actor)
    with engine.connect() as conn:
        access.require(conn, actor, "lezen")
        division_id = _find_id(conn, key, actor)
        rows = conn.execute(
            sa.select(
                t.c.version, t.c.created, t.c.who, t.c.action, t.c.status, t.c.name, t.c.summary, t.c.changes
            )
            .where(t.c.division_id == division_id)
            .order_by(t.c.version.desc())
        ).all()
        counts = dict(
            conn.execute(
                sa.select(c.c.version, sa.func.count())
                .where(c.c.division_id == division_id)
                .group_by(c.c.version)
            ).all()
        )
        current = _read_current(conn, division_id)
    records = [
        (
            int(r.version),
            _aware(r.created),
            r.who,
            ACTIONS.get(r.action, r.action),
            r.status,
            r.name,
            r.summary,
            len(Changes.from_json(r.changes).moved),
            int(counts.get(r.version, 0)),
        )  # fmt: skip
        for r in rows
    ]
    if not records or records[0][0] != current.meta.version:  # stored before versions existed
        records.insert(
            0,
            (
                current.meta.version,
                current.meta.updated,
                current.meta.author,
                ACTIONS["bestaand"],
                CONCEPT,
                current.meta.name,
                "Opgeslagen vóór de versiegeschiedenis.",
                0,
                int(counts.get(current.meta.version, 0)),
            ),  # fmt: skip
        )
    return pd.DataFrame(records, columns=columns)


@dataclass(frozen=True)
class VersionInfo:
    """One version: who, when, what, its status and gate settings."""

    version: int
    created: datetime | None
    who: str
    action: str
    status: str
    name: str
    summary: str
    changes: Changes = field(default_factory=Changes)
    rules: Mapping = field(default_factory=dict)


def version_info(
    key: int | str, version: int, engine: Engine | None = None, *, actor: Actor | None = None
) -> VersionInfo:
    """Details of one version (for a division stored before versions existed: its current version)."""
    engine = _engine(engine)
    actor = _actor(actor)
    with engine.connect() as conn:
        access.require(conn, actor, "lezen")
        division_id = _find_id(conn, key, actor)
        row = _version_row(conn, division_id, int(version))
        if row is None:
            current = _read_current(conn, division_id)
            if int(version) != current.meta.version:
                raise UserFacingError(f"Versie {version} van deze indeling bestaat niet.")
            return VersionInfo(
                current.meta.version, current.meta.updated, current.meta.author, ACTIONS["bestaand"], CONCEPT,
                current.meta.name, "Opgeslagen vóór de versiegeschiedenis.",
            )  # fmt: skip
    return VersionInfo(
        int(row["version"]), _aware(row["created"]), row["who"], ACTIONS.get(row["action"], row["action"]),
        row["status"], row["name"], row["summary"], Changes.from_json(row["changes"]),
        json.loads(row["rules"] or "{}"),
    )  # fmt: skip


def open_version(
    key: int | str, version: int, engine: Engine | None = None, *, actor: Actor | None = None
) -> Division:
    """The content of one version, exactly as it was saved (`meta.version` = that version)."""
    engine = _engine(engine)
    actor = _actor(actor)
    with engine.connect() as conn:
        access.require(conn, actor, "lezen")
        division_id = _find_id(conn, key, actor)
        row = _version_row(conn, division_id, int(version))
        if row is None:
            current = _read_current(conn, division_id)
            if int(version) == current.meta.version:
                return current
            raise UserFacingError(f"Versie {version} van deze indeling bestaat niet.")
        return _from_snapshot(row["content"], division_id, int(row["version"]), _aware(row["created"]))


def comments(
    key: int | str,
    engine: Engine | None = None,
    *,
    version: int | None = None,
    area: str | None = None,
    actor: Actor | None = None,
) -> pd.DataFrame:
    """Comments, oldest first: `id`, `versie`, `gebied` (None = about the whole version), `wie`, `tijd`
    (UTC), `tekst`; filtered on `version` and/or `area` when given."""
    engine = _engine(engine)
    c = division_comment_table
    actor = _actor(actor)
    with engine.connect() as conn:
        access.require(conn, actor, "lezen")
        division_id = _find_id(conn, key, actor)
        query = sa.select(c.c.id, c.c.version, c.c.area, c.c.who, c.c.created, c.c.text).where(
            c.c.division_id == division_id
        )
        if version is not None:
            query = query.where(c.c.version == int(version))
        if area is not None:
            query = query.where(c.c.area == area)
        rows = conn.execute(query.order_by(c.c.created, c.c.id)).all()
    frame = pd.DataFrame(
        [(int(r.id), int(r.version), r.area, r.who, _aware(r.created), r.text) for r in rows],
        columns=["id", "versie", "gebied", "wie", "tijd", "tekst"],
    )
    # pandas reads a missing area as NaN in a text column; the contract is None (about the whole version)
    frame["gebied"] = frame["gebied"].astype(object).where(frame["gebied"].notna(), None)
    return frame
