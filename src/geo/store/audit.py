"""The audit trail: who changed what, when, in which workspace; append-only in the database.

A store records each write with `record(conn, actor, action, target, detail)` inside the transaction of the
write itself, so the trail has a row exactly when the change was committed. The database refuses UPDATE and
DELETE on the table (a trigger on SQLite and PostgreSQL), so not even a script with the app's database
account can quietly rewrite history. `read` is for beheerders of the workspace (and, over all workspaces,
for beheerders of the national workspace).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from geo.store import access
from geo.store.engine import METADATA, get_engine, init_db

audit_table = sa.Table(
    "audit_log",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("actor", sa.String(320), nullable=False),
    sa.Column("actor_name", sa.String(200), nullable=False, server_default=""),
    sa.Column("workspace_id", sa.String(80), nullable=False, index=True),
    sa.Column("action", sa.String(60), nullable=False),
    sa.Column("target", sa.String(300), nullable=False, server_default=""),
    sa.Column("detail", sa.Text, nullable=False, server_default=""),
)

_REFUSAL = "het auditlogboek kan alleen aangevuld worden"
sa.event.listen(
    audit_table,
    "after_create",
    sa.DDL(
        f"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        f"BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END"
    ).execute_if(dialect="sqlite"),
)
sa.event.listen(
    audit_table,
    "after_create",
    sa.DDL(
        f"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        f"BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END"
    ).execute_if(dialect="sqlite"),
)
sa.event.listen(
    audit_table,
    "after_create",
    sa.DDL(
        "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{_REFUSAL}'; END $$; "
        "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only(); "
        "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
    ).execute_if(dialect="postgresql"),
)

# action -> how it reads in the trail
ACTIONS = {
    "indeling.nieuw": "indeling bewaard (nieuw)",
    "indeling.opslaan": "indeling opgeslagen",
    "indeling.hernoemen": "indeling hernoemd",
    "indeling.kopiëren": "indeling gekopieerd",
    "indeling.verwijderen": "indeling verwijderd",
    "indeling.status": "status van een indeling gewijzigd",
    "indeling.commentaar": "commentaar bij een indeling",
    "indeling.regels": "regels van een indeling gewijzigd",
    "indeling.herstel": "oudere versie van een indeling hersteld",
    "partners.vervangen": "partnerregister vervangen",
    "partners.toevoegen": "partners toegevoegd",
    "partners.bewerken": "partnerregister bewerkt",
    "partners.verwijderen": "partners verwijderd",
    "caseload.importeren": "caseload ingelezen",
    "caseload.verwijderen": "caseload verwijderd",
    "instelling.wijzigen": "instelling gewijzigd",
    "instelling.verwijderen": "instelling verwijderd",
    "gebruiker.standaardwerkruimte": "standaardwerkruimte van een gebruiker gekozen",
    "lid.toevoegen": "lid toegevoegd",
    "lid.rol": "rol van een lid gewijzigd",
    "lid.verwijderen": "lid verwijderd",
    "werkruimte.aanmaken": "werkruimte aangemaakt",
}

COLUMNS = ["id", "at", "actor", "actor_name", "workspace_id", "action", "target", "detail"]
EXPORT_HEADERS = {
    "at": "tijdstip (Belgische tijd)",
    "actor": "gebruiker",
    "actor_name": "naam",
    "workspace_id": "werkruimte",
    "action": "handeling",
    "what": "omschrijving",
    "target": "onderwerp",
    "detail": "details",
}


def record(
    conn: Connection, actor: access.Actor, action: str, target: str = "", detail: str | Mapping = ""
) -> None:
    """Append one row for a write made in `conn`'s transaction (it is rolled back with the write)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if isinstance(detail, Mapping):
        detail = json.dumps(dict(detail), ensure_ascii=False, sort_keys=True, default=str)
    conn.execute(
        sa.insert(audit_table).values(
            at=datetime.now(UTC).replace(tzinfo=None),
            actor=actor.user,
            actor_name=(actor.name or "")[:200],
            workspace_id=actor.workspace,
            action=action,
            target=(target or "")[:300],
            detail=detail or "",
        )
    )


def may_read_all(conn: Connection, actor: access.Actor) -> bool:
    """Beheerders of the national workspace (and local users) read the trail of every workspace."""
    if actor.local:
        return access.role_of(conn, actor) == "beheerder"
    national = actor.in_workspace(access.NATIONAL_WORKSPACE)
    return access.is_admin(actor) or access.role_of(conn, national) == "beheerder"


def can_read_all(actor: access.Actor, engine: Engine | None = None) -> bool:
    """`may_read_all` with a connection of its own (for pages)."""
    engine = engine or get_engine()
    init_db(engine)
    with engine.connect() as conn:
        return may_read_all(conn, actor)


def read(
    actor: access.Actor,
    engine: Engine | None = None,
    all_workspaces: bool = False,
    limit: int | None = None,
) -> pd.DataFrame:
    """The trail of the actor's workspace (or of all, for national beheerders), newest first, with a
    readable `what` column. Requires the permission ``audit``."""
    engine = engine or get_engine()
    init_db(engine)
    t = audit_table
    with engine.connect() as conn:
        access.require(conn, actor, "audit")
        if all_workspaces and not may_read_all(conn, actor):
            raise access.AccessDenied(
                "Niet toegestaan: alleen beheerders van de nationale werkruimte lezen het auditlogboek van "
                "alle werkruimten."
            )
        query = sa.select(*[t.c[c] for c in COLUMNS]).order_by(t.c.id.desc())
        if not all_workspaces:
            query = query.where(t.c.workspace_id == actor.workspace)
        if limit:
            query = query.limit(limit)
        rows = conn.execute(query).mappings().all()
    frame = pd.DataFrame([dict(r) for r in rows], columns=COLUMNS)
    frame["at"] = pd.to_datetime(frame["at"]).dt.tz_localize("UTC") if len(frame) else frame["at"]
    frame.insert(6, "what", frame["action"].map(ACTIONS).fillna(frame["action"]))
    return frame


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(text: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (shown as text)."""
    return "'" + text if isinstance(text, str) and text.startswith(_FORMULA_START) else text


def export_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The trail with Dutch headers, the time as text and user text never a live formula (CSV/XLSX)."""
    out = frame.drop(columns=["id"]).copy()
    if len(out):
        at = pd.to_datetime(out["at"])  # stored in UTC without zone: shown in Belgian time
        at = at.dt.tz_localize("UTC") if at.dt.tz is None else at
        out["at"] = at.dt.tz_convert("Europe/Brussels").dt.strftime("%d/%m/%Y %H:%M:%S")
    for column in ("actor", "actor_name", "target", "detail"):
        out[column] = out[column].map(defuse)
    return out.rename(columns=EXPORT_HEADERS)
