"""Partner register in the database: tables on ``geo.store.engine.METADATA``, every write in one transaction.

``replace_partners`` swaps the whole register, ``append_partners`` adds rows, ``save_edits`` applies an
edited copy of the register (new rows, changed rows, deleted rows). A failing write rolls back completely,
so the previous register stays intact.

Each workspace has its own register. Every function takes the caller's identity (``actor``, see
`geo.store.access`; the local user when omitted) and checks its role in the same transaction: reading needs
``lezen``, adding ``importeren``, editing and deleting ``bewerken``, replacing the whole register
``register_vervangen`` (beheerder). Writes go to the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from geo.errors import UserFacingError
from geo.partners.register import (
    INVOLVEMENT_LEVELS,
    PARTNER_COLUMNS,
    PARTNER_TYPES,
    conform,
    empty_partners,
    format_involvement,
    in_belgium,
    lambert_to_wgs84,
    parse_involvement,
    wgs84_to_lambert,
)
from geo.store import access, audit
from geo.store.access import Actor
from geo.store.engine import METADATA, db_problem, init_db

partners_table = sa.Table(
    "partners",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "workspace_id", sa.String(80), nullable=False, server_default=access.LOCAL_WORKSPACE, index=True
    ),
    sa.Column("naam", sa.String(300), nullable=False),
    sa.Column("type", sa.String(40), nullable=False),
    sa.Column("gefinancierd", sa.Boolean, nullable=False),
    sa.Column("lat", sa.Float, nullable=False),
    sa.Column("lon", sa.Float, nullable=False),
    sa.Column("x", sa.Float, nullable=False),
    sa.Column("y", sa.Float, nullable=False),
    sa.Column("benaderd", sa.Boolean, nullable=False),
    sa.Column("locatiebron", sa.String(20), nullable=False),
    sa.Column("postcode", sa.String(4), nullable=False, server_default=""),
    sa.Column("gemeente", sa.String(5), nullable=False, server_default=""),
    sa.Column("bron", sa.String(200), nullable=False, server_default=""),
    sa.Column("bijgewerkt", sa.DateTime, nullable=False),
    sa.CheckConstraint("lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180", name="ck_partners_latlon"),
)

partner_involvement_table = sa.Table(
    "partner_involvement",
    METADATA,
    sa.Column("partner_id", sa.Integer, sa.ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("gebied", sa.String(200), primary_key=True),
    sa.Column("niveau", sa.String(20), nullable=False),
    sa.CheckConstraint(
        "niveau IN (" + ", ".join(f"'{lvl}'" for lvl in INVOLVEMENT_LEVELS) + ")", name="ck_involvement_level"
    ),
)


@contextmanager
def _transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction; a database error rolls everything back and becomes a Dutch message."""
    try:
        with engine.begin() as conn:
            yield conn
    except sa.exc.SQLAlchemyError as exc:
        raise UserFacingError(f"{db_problem(exc, saving=True)} Het vorige register is ongewijzigd.") from exc


def _mine(actor: Actor):
    """The WHERE clause for the partners of the actor's workspace."""
    return partners_table.c.workspace_id == actor.workspace


def _my_ids(actor: Actor):
    return sa.select(partners_table.c.id).where(_mine(actor))


def load_partners(engine: Engine, actor: Actor | None = None) -> pd.DataFrame:
    """The register as a canonical partner table (``partner_id`` = database id), ordered by id."""
    actor = actor or access.local_actor()
    init_db(engine)
    inv_t = partner_involvement_table
    with engine.connect() as conn:
        access.require(conn, actor, "lezen")
        rows = conn.execute(sa.select(partners_table).where(_mine(actor)).order_by(partners_table.c.id))
        rows = rows.mappings().all()
        inv = conn.execute(sa.select(inv_t).where(inv_t.c.partner_id.in_(_my_ids(actor)))).mappings().all()
    if not rows:
        return empty_partners()
    frame = (
        pd.DataFrame([dict(r) for r in rows])
        .drop(columns=["workspace_id"])
        .rename(columns={"id": "partner_id"})
    )
    per_partner: dict[int, dict[str, str]] = {}
    for r in inv:
        per_partner.setdefault(r["partner_id"], {})[r["gebied"]] = r["niveau"]
    frame["betrokkenheid"] = [format_involvement(per_partner.get(int(i), {})) for i in frame["partner_id"]]
    return conform(frame)


def count_partners(engine: Engine, actor: Actor | None = None) -> int:
    actor = actor or access.local_actor()
    init_db(engine)
    with engine.connect() as conn:
        access.require(conn, actor, "lezen")
        query = sa.select(sa.func.count()).select_from(partners_table).where(_mine(actor))
        return int(conn.execute(query).scalar_one())


def replace_partners(engine: Engine, partners: pd.DataFrame, actor: Actor | None = None) -> int:
    """Replace the whole register by ``partners`` (one transaction); returns the number stored."""
    actor = actor or access.local_actor()
    rows = _check(partners)
    init_db(engine)
    with _transaction(engine) as conn:
        access.require(conn, actor, "register_vervangen")
        before = conn.execute(sa.select(sa.func.count()).select_from(partners_table).where(_mine(actor)))
        before = int(before.scalar_one())
        conn.execute(
            sa.delete(partner_involvement_table).where(
                partner_involvement_table.c.partner_id.in_(_my_ids(actor))
            )
        )
        conn.execute(sa.delete(partners_table).where(_mine(actor)))
        _insert(conn, rows, actor)
        audit.record(conn, actor, "partners.vervangen", "partnerregister", {"was": before, "nu": len(rows)})
    return len(rows)


def append_partners(engine: Engine, partners: pd.DataFrame, actor: Actor | None = None) -> int:
    """Add ``partners`` to the register (one transaction); returns the number added."""
    actor = actor or access.local_actor()
    rows = _check(partners)
    init_db(engine)
    with _transaction(engine) as conn:
        access.require(conn, actor, "importeren")
        _insert(conn, rows, actor)
        audit.record(conn, actor, "partners.toevoegen", "partnerregister", {"toegevoegd": len(rows)})
    return len(rows)


def delete_partners(engine: Engine, ids: list[int], actor: Actor | None = None) -> int:
    """Delete partners by id (their involvement goes with them); returns the number deleted."""
    actor = actor or access.local_actor()
    init_db(engine)
    ids = [int(i) for i in ids]
    with _transaction(engine) as conn:
        access.require(conn, actor, "bewerken")
        ids = [int(i) for i in conn.execute(_my_ids(actor).where(partners_table.c.id.in_(ids))).scalars()]
        conn.execute(
            sa.delete(partner_involvement_table).where(partner_involvement_table.c.partner_id.in_(ids))
        )
        n = conn.execute(sa.delete(partners_table).where(partners_table.c.id.in_(ids))).rowcount
        if n:
            audit.record(
                conn, actor, "partners.verwijderen", "partnerregister", {"verwijderd": n, "ids": ids}
            )
        return n


def save_edits(engine: Engine, edited: pd.DataFrame, actor: Actor | None = None) -> dict[str, int]:
    """Make the register equal to ``edited`` (an edited copy of ``load_partners``), in one transaction.

    Rows with a ``partner_id`` update that partner, rows without one are added, partners missing from
    ``edited`` are deleted. Coordinates follow ``lat``/``lon``: when those changed, ``x``/``y`` are
    recomputed and the location is no longer marked approximate.
    """
    actor = actor or access.local_actor()
    rows = _check(edited, allow_ids=True)
    init_db(engine)
    now = datetime.now(UTC).replace(tzinfo=None)
    counts = {"toegevoegd": 0, "gewijzigd": 0, "verwijderd": 0}
    with _transaction(engine) as conn:
        access.require(conn, actor, "bewerken")
        stored = {
            r["id"]: dict(r)
            for r in conn.execute(sa.select(partners_table).where(_mine(actor))).mappings().all()
        }
        keep_ids = {r["id"] for r in rows if r["id"] is not None}
        unknown = keep_ids - set(stored)
        if unknown:
            raise UserFacingError(
                f"Partner(s) met id {', '.join(map(str, sorted(unknown)))} bestaan niet meer in het register "
                "(iemand anders heeft ze verwijderd?). Laad het register opnieuw."
            )
        gone = set(stored) - keep_ids
        if gone:
            conn.execute(
                sa.delete(partner_involvement_table).where(partner_involvement_table.c.partner_id.in_(gone))
            )
            conn.execute(sa.delete(partners_table).where(partners_table.c.id.in_(gone)))
            counts["verwijderd"] = len(gone)
        new_rows = []
        for r in rows:
            if r["id"] is None:
                new_rows.append(r)
                continue
            old = stored[r["id"]]
            moved = not (
                np.isclose(old["lat"], r["lat"], atol=1e-9) and np.isclose(old["lon"], r["lon"], atol=1e-9)
            )
            if moved:
                x, y = wgs84_to_lambert(r["lat"], r["lon"])
                r = {**r, "x": float(x), "y": float(y), "benaderd": False, "locatiebron": "coördinaten"}
            fields = {k: r[k] for k in _FIELDS}
            changed = any(_differs(old[k], fields[k]) for k in _FIELDS)
            if changed:
                conn.execute(
                    sa.update(partners_table)
                    .where(partners_table.c.id == r["id"])
                    .values(**fields, bijgewerkt=now)
                )
            old_inv = {
                g: n
                for g, n in conn.execute(
                    sa.select(partner_involvement_table.c.gebied, partner_involvement_table.c.niveau).where(
                        partner_involvement_table.c.partner_id == r["id"]
                    )
                ).all()
            }
            if old_inv != r["involvement"]:
                conn.execute(
                    sa.delete(partner_involvement_table).where(
                        partner_involvement_table.c.partner_id == r["id"]
                    )
                )
                _insert_involvement(conn, r["id"], r["involvement"])
                changed = True
            counts["gewijzigd"] += int(changed)
        _insert(conn, new_rows, actor)
        counts["toegevoegd"] = len(new_rows)
        if any(counts.values()):
            audit.record(conn, actor, "partners.bewerken", "partnerregister", counts)
    return counts


# Stored columns of a partner: the canonical ones, less the id and the involvement (own table).
_FIELDS = tuple(c for c in PARTNER_COLUMNS if c not in ("partner_id", "betrokkenheid"))


def _differs(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return not np.isclose(float(a), float(b), atol=1e-9)
    return a != b


def _check(partners: pd.DataFrame, allow_ids: bool = False) -> list[dict]:
    """Validate a canonical table before writing; raises UserFacingError naming the rows at fault."""
    p = conform(partners)
    problems: list[str] = []
    rows: list[dict] = []
    for i, r in enumerate(p.itertuples(index=False), start=1):
        where = f"Rij {i}"
        if not r.naam.strip():
            problems.append(f"{where}: naam ontbreekt.")
        if r.type not in PARTNER_TYPES:
            problems.append(f"{where}: onbekend type '{r.type}'.")
        try:
            involvement = parse_involvement(r.betrokkenheid)
        except ValueError as exc:
            problems.append(f"{where}: betrokkenheid: {exc}.")
            involvement = {}
        lat, lon, x, y = r.lat, r.lon, r.x, r.y
        if not (np.isfinite(lat) and np.isfinite(lon)):
            if np.isfinite(x) and np.isfinite(y):
                lat, lon = (float(v) for v in lambert_to_wgs84(x, y))
            else:
                problems.append(f"{where}: locatie ontbreekt.")
                continue
        if not in_belgium(lat, lon):
            problems.append(f"{where}: locatie (lat {lat:.4f}, lon {lon:.4f}) ligt buiten België.")
            continue
        if not (np.isfinite(x) and np.isfinite(y)):
            x, y = (float(v) for v in wgs84_to_lambert(lat, lon))
        pid = None if pd.isna(r.partner_id) else int(r.partner_id)
        if pid is not None and not allow_ids:
            pid = None
        rows.append(
            {
                "id": pid,
                "naam": r.naam.strip(),
                "type": r.type,
                "gefinancierd": bool(r.gefinancierd),
                "lat": float(lat),
                "lon": float(lon),
                "x": float(x),
                "y": float(y),
                "benaderd": bool(r.benaderd),
                "locatiebron": r.locatiebron or "coördinaten",
                "postcode": r.postcode,
                "gemeente": r.gemeente,
                "bron": r.bron[:200],
                "involvement": involvement,
            }
        )
    if problems:
        shown = "\n".join(problems[:20])
        more = f"\n… en {len(problems) - 20} meer." if len(problems) > 20 else ""
        raise UserFacingError(f"Niets opgeslagen: het register bevat fouten.\n{shown}{more}")
    return rows


def _insert(conn: Connection, rows: list[dict], actor: Actor) -> None:
    if not rows:
        return
    now = datetime.now(UTC).replace(tzinfo=None)
    values = [
        {**{k: r[k] for k in _FIELDS}, "bijgewerkt": now, "workspace_id": actor.workspace} for r in rows
    ]
    ids = _insert_rows(conn, values)
    links = [
        {"partner_id": pid, "gebied": g, "niveau": n}
        for pid, r in zip(ids, rows, strict=True)
        for g, n in r["involvement"].items()
    ]
    if links:
        conn.execute(sa.insert(partner_involvement_table), links)


def _insert_rows(conn: Connection, values: list[dict]) -> list[int]:
    """Insert partner rows and return their new ids in the same order.

    SQLite cannot return ids of a multi-row insert in parameter order, so SQLAlchemy would send the rows
    one statement at a time (2,400 round trips for a register). There the first row goes in alone
    (RETURNING its id; the transaction now holds SQLite's only write lock) and the others follow in one
    batch with the next ids: SQLite gives a new row the highest id + 1, so those ids are free and no other
    writer can take them before the commit. Other databases return the ids in order from one batch.
    """
    table = partners_table
    if conn.dialect.name != "sqlite":
        stmt = sa.insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(conn.execute(stmt, values).scalars().all())
    first = int(conn.execute(sa.insert(table).returning(table.c.id), values[0]).scalar_one())
    ids = list(range(first, first + len(values)))
    if len(values) > 1:
        conn.execute(sa.insert(table), [{**v, "id": i} for v, i in zip(values[1:], ids[1:], strict=True)])
    return ids


def _insert_involvement(conn: Connection, partner_id: int, involvement: dict[str, str]) -> None:
    if involvement:
        conn.execute(
            sa.insert(partner_involvement_table),
            [{"partner_id": partner_id, "gebied": g, "niveau": n} for g, n in involvement.items()],
        )
