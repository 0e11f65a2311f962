"""A workspace's caseload in the database: the last imported table of aggregated counts, nothing else.

Only the validated caseload table is kept (unit, month, referrer type, handling area, number of
registrations: see `geo.caseload.cases`), never the uploaded file, so no personal data can reach the
database even when a file carried other columns. One caseload per workspace: an import replaces the
previous one in one transaction. Reading needs ``lezen``, importing and deleting ``importeren``; both
writes go to the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from geo.caseload.cases import CASE_COLUMNS, CaseloadImport
from geo.errors import UserFacingError
from geo.store import access, audit
from geo.store.access import Actor
from geo.store.engine import METADATA, get_engine, init_db

caseload_upload_table = sa.Table(
    "caseload_upload",
    METADATA,
    sa.Column("workspace_id", sa.String(80), primary_key=True),
    sa.Column("level", sa.String(40), nullable=False),
    sa.Column("source", sa.String(300), nullable=False, server_default=""),
    sa.Column("n_rows", sa.Integer, nullable=False),
    sa.Column("total", sa.Integer, nullable=False),
    sa.Column("updated", sa.DateTime, nullable=False),
    sa.Column("updated_by", sa.String(320), nullable=False, server_default=""),
)

caseload_row_table = sa.Table(
    "caseload_row",
    METADATA,
    sa.Column(
        "workspace_id",
        sa.String(80),
        sa.ForeignKey("caseload_upload.workspace_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("eenheid", sa.String(40), primary_key=True),
    sa.Column("maand", sa.String(7), primary_key=True),
    sa.Column("verwijzer", sa.String(200), primary_key=True),
    sa.Column("behandelend_gebied", sa.String(200), primary_key=True),
    sa.Column("aanmeldingen", sa.Integer, nullable=False),
    sa.CheckConstraint("aanmeldingen >= 0", name="ck_caseload_count"),
)


@dataclass(frozen=True)
class StoredCaseload:
    """The stored caseload of a workspace with where it came from."""

    cases: pd.DataFrame
    level: str
    source: str
    updated: datetime
    updated_by: str


def _engine(engine: Engine | None) -> Engine:
    engine = engine or get_engine()
    init_db(engine)
    return engine


def save_caseload(
    actor: Actor, imported: CaseloadImport, source: str = "", engine: Engine | None = None
) -> int:
    """Replace the workspace's caseload by a validated import (only its aggregated table); returns rows."""
    if not imported.ok:
        raise UserFacingError("Niets opgeslagen: de caseload bevat nog fouten.")
    cases = imported.cases.loc[:, list(CASE_COLUMNS)]  # nothing but the aggregated columns
    if len(cases) and (cases["aanmeldingen"] < 0).any():
        raise UserFacingError("Niets opgeslagen: een aantal aanmeldingen is negatief.")
    engine = _engine(engine)
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = [
        {
            "workspace_id": actor.workspace,
            "eenheid": str(r.eenheid),
            "maand": str(r.maand),
            "verwijzer": str(r.verwijzer or ""),
            "behandelend_gebied": str(r.behandelend_gebied or ""),
            "aanmeldingen": int(r.aanmeldingen),
        }
        for r in cases.itertuples(index=False)
    ]
    total = sum(r["aanmeldingen"] for r in rows)
    try:
        with engine.begin() as conn:
            access.require(conn, actor, "importeren")
            where = caseload_upload_table.c.workspace_id == actor.workspace
            conn.execute(
                sa.delete(caseload_row_table).where(caseload_row_table.c.workspace_id == actor.workspace)
            )
            conn.execute(sa.delete(caseload_upload_table).where(where))
            conn.execute(
                sa.insert(caseload_upload_table).values(
                    workspace_id=actor.workspace,
                    level=imported.level,
                    source=(source or "")[:300],
                    n_rows=len(rows),
                    total=total,
                    updated=now,
                    updated_by=actor.user,
                )
            )
            if rows:
                conn.execute(sa.insert(caseload_row_table), rows)
            detail = {"niveau": imported.level, "rijen": len(rows), "aanmeldingen": total}
            audit.record(conn, actor, "caseload.importeren", source or "caseload", detail)
    except sa.exc.SQLAlchemyError as exc:
        from geo.store.engine import db_problem

        raise UserFacingError(f"{db_problem(exc, saving=True)} De vorige caseload is ongewijzigd.") from exc
    return len(rows)


def load_caseload(actor: Actor, engine: Engine | None = None) -> StoredCaseload | None:
    """The workspace's stored caseload (None when there is none)."""
    engine = _engine(engine)
    u, r = caseload_upload_table, caseload_row_table
    with engine.connect() as conn:
        access.require(conn, actor, "lezen")
        meta = conn.execute(sa.select(u).where(u.c.workspace_id == actor.workspace)).mappings().first()
        if meta is None:
            return None
        rows = conn.execute(
            sa.select(*[r.c[c] for c in CASE_COLUMNS])
            .where(r.c.workspace_id == actor.workspace)
            .order_by(r.c.maand, r.c.eenheid, r.c.verwijzer, r.c.behandelend_gebied)
        ).all()
    cases = pd.DataFrame([tuple(x) for x in rows], columns=list(CASE_COLUMNS))
    cases["aanmeldingen"] = cases["aanmeldingen"].astype(int)
    updated = meta["updated"].replace(tzinfo=UTC)
    return StoredCaseload(cases, meta["level"], meta["source"], updated, meta["updated_by"])


def delete_caseload(actor: Actor, engine: Engine | None = None) -> bool:
    """Remove the workspace's caseload; returns whether there was one."""
    engine = _engine(engine)
    with engine.begin() as conn:
        access.require(conn, actor, "importeren")
        conn.execute(
            sa.delete(caseload_row_table).where(caseload_row_table.c.workspace_id == actor.workspace)
        )
        gone = conn.execute(
            sa.delete(caseload_upload_table).where(caseload_upload_table.c.workspace_id == actor.workspace)
        ).rowcount
        if gone:
            audit.record(conn, actor, "caseload.verwijderen", "caseload")
    return bool(gone)
