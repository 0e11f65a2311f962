"""Workspaces, their members and their settings.

A team server has one workspace per samenwerkingsverband (the 16 of ``data/1g1p/``) and a national one for
the agency (``vlaanderen``); `ensure_workspaces` creates them. A local installation has one workspace,
``lokaal``. Member changes and settings are written with the caller's identity, checked and audited.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from geo.errors import UserFacingError
from geo.paths import data_dir
from geo.store import access, audit, config
from geo.store.access import Actor, member_table, workspace_table
from geo.store.engine import METADATA, get_engine, init_db

NATIONAL_NAME = "Vlaanderen (agentschap)"
LOCAL_NAME = "Lokaal"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

setting_table = sa.Table(
    "workspace_setting",
    METADATA,
    sa.Column("workspace_id", sa.String(80), primary_key=True),
    sa.Column("key", sa.String(80), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("updated", sa.DateTime, nullable=False),
    sa.Column("updated_by", sa.String(320), nullable=False, server_default=""),
)


user_preference_table = sa.Table(
    "user_preference",
    METADATA,
    sa.Column("email", sa.String(320), primary_key=True),
    sa.Column("default_workspace", sa.String(80), nullable=True),
    sa.Column("updated", sa.DateTime, nullable=False),
)


class SettingExists(UserFacingError):
    """A setting with this key exists already (and the caller asked for a new one)."""


SYSTEM = Actor(user="systeem", workspace="", name="Gebiedsplanner", local=True)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def slug(name: str) -> str:
    """A stable workspace id from a name: ``Groot Antwerpen`` -> ``groot-antwerpen``."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:80]


def network_names() -> list[str]:
    """The 16 samenwerkingsverbanden (as in the 2021 budget table)."""
    path = data_dir() / "1g1p" / "budget_samenwerkingsverbanden_2021.csv"
    with path.open(encoding="utf-8") as fh:
        return [row["samenwerkingsverband"].strip() for row in csv.DictReader(fh)]


def _create(engine: Engine, wid: str, name: str, kind: str) -> bool:
    """Create one workspace unless it exists (safe when two processes start at once)."""
    try:
        with engine.begin() as conn:
            if conn.execute(sa.select(workspace_table.c.id).where(workspace_table.c.id == wid)).first():
                return False
            conn.execute(sa.insert(workspace_table).values(id=wid, name=name, kind=kind, created=_now()))
            audit.record(conn, SYSTEM.in_workspace(wid), "werkruimte.aanmaken", name, {"soort": kind})
        return True
    except sa.exc.IntegrityError:  # another process created it in between
        return False


def ensure_workspaces(engine: Engine | None = None) -> int:
    """The workspaces of this mode exist (team: 16 networks + national; local: ``lokaal``); returns how
    many were created now."""
    engine = engine or get_engine()
    init_db(engine)
    if not config.active().team:
        return int(_create(engine, access.LOCAL_WORKSPACE, LOCAL_NAME, "lokaal"))
    created = int(_create(engine, access.NATIONAL_WORKSPACE, NATIONAL_NAME, "nationaal"))
    for name in network_names():
        created += _create(engine, slug(name), name, "swv")
    return created


def create_workspace(actor: Actor, name: str, engine: Engine | None = None) -> str:
    """A new workspace (only for beheerders named in the settings file); returns its id."""
    if not access.is_admin(actor):
        raise access.AccessDenied(
            "Niet toegestaan: alleen de beheerders uit het instellingenbestand maken werkruimten."
        )
    name = (name or "").strip()
    wid = slug(name)
    if not wid:
        raise UserFacingError("Geef de werkruimte een naam.")
    engine = engine or get_engine()
    init_db(engine)
    if not _create(engine, wid, name, "swv"):
        raise UserFacingError(f"Er bestaat al een werkruimte '{wid}'.")
    return wid


def workspace_names(engine: Engine | None = None) -> dict[str, str]:
    """Every workspace id with its name."""
    engine = engine or get_engine()
    init_db(engine)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(workspace_table.c.id, workspace_table.c.name).order_by(workspace_table.c.name)
        )
        return {r.id: r.name for r in rows}


def workspaces_for(user: str, engine: Engine | None = None) -> pd.DataFrame:
    """The workspaces a user may open, with the role there: columns `id`, `name`, `kind`, `role`."""
    engine = engine or get_engine()
    init_db(engine)
    user = access.normalise_email(user)
    w, m = workspace_table, member_table
    with engine.connect() as conn:
        if user in config.active().admins:
            rows = conn.execute(sa.select(w.c.id, w.c.name, w.c.kind).order_by(w.c.name)).all()
            data = [(r.id, r.name, r.kind, "beheerder") for r in rows]
        else:
            rows = conn.execute(
                sa.select(w.c.id, w.c.name, w.c.kind, m.c.role)
                .join(m, m.c.workspace_id == w.c.id)
                .where(m.c.email == user)
                .order_by(w.c.name)
            ).all()
            data = [tuple(r) for r in rows]
    return pd.DataFrame(data, columns=["id", "name", "kind", "role"])


def role(actor: Actor, engine: Engine | None = None) -> str | None:
    """The actor's role in its workspace now (None: no access); for showing only what a role may do."""
    engine = engine or get_engine()
    init_db(engine)
    with engine.connect() as conn:
        return access.role_of(conn, actor)


def list_members(actor: Actor, engine: Engine | None = None) -> pd.DataFrame:
    """Members of the actor's workspace: `email`, `role`, `added`, `added_by` (needs ``lezen``)."""
    engine = engine or get_engine()
    init_db(engine)
    m = member_table
    with engine.connect() as conn:
        access.require(conn, actor, "lezen")
        rows = conn.execute(
            sa.select(m.c.email, m.c.role, m.c.added, m.c.added_by)
            .where(m.c.workspace_id == actor.workspace)
            .order_by(m.c.email)
        ).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=["email", "role", "added", "added_by"])


def set_member(actor: Actor, email: str, role: str, engine: Engine | None = None) -> str:
    """Add a member or change its role (needs ``leden``).

    Returns ``toegevoegd``, ``gewijzigd`` or ``ongewijzigd``."""
    email = access.normalise_email(email)
    if not _EMAIL.match(email):
        raise UserFacingError(f"'{email}' is geen geldig e-mailadres.")
    if role not in access.ROLES:
        raise UserFacingError(f"Onbekende rol '{role}': kies {', '.join(access.ROLES)}.")
    engine = engine or get_engine()
    init_db(engine)
    m = member_table
    with engine.begin() as conn:
        access.require(conn, actor, "leden")
        where = (m.c.workspace_id == actor.workspace, m.c.email == email)
        old = conn.execute(sa.select(m.c.role).where(*where)).scalar_one_or_none()
        if old == role:
            return "ongewijzigd"
        if old is None:
            conn.execute(
                sa.insert(m).values(
                    workspace_id=actor.workspace, email=email, role=role, added=_now(), added_by=actor.user
                )
            )
            audit.record(conn, actor, "lid.toevoegen", email, {"rol": role})
            return "toegevoegd"
        _keep_a_beheerder(conn, actor, email, old, role)
        conn.execute(sa.update(m).where(*where).values(role=role))
        audit.record(conn, actor, "lid.rol", email, {"van": old, "naar": role})
        return "gewijzigd"


def remove_member(actor: Actor, email: str, engine: Engine | None = None) -> None:
    """Remove a member from the actor's workspace (needs ``leden``)."""
    email = access.normalise_email(email)
    engine = engine or get_engine()
    init_db(engine)
    m = member_table
    with engine.begin() as conn:
        access.require(conn, actor, "leden")
        where = (m.c.workspace_id == actor.workspace, m.c.email == email)
        old = conn.execute(sa.select(m.c.role).where(*where)).scalar_one_or_none()
        if old is None:
            raise UserFacingError(f"{email} is geen lid van deze werkruimte.")
        _keep_a_beheerder(conn, actor, email, old, None)
        conn.execute(sa.delete(m).where(*where))
        audit.record(conn, actor, "lid.verwijderen", email, {"rol": old})


def _keep_a_beheerder(conn, actor: Actor, email: str, old: str, new: str | None) -> None:
    """Refuse to leave a workspace without any beheerder member."""
    if old != "beheerder" or new == "beheerder":
        return
    m = member_table
    others = conn.execute(
        sa.select(sa.func.count())
        .select_from(m)
        .where(m.c.workspace_id == actor.workspace, m.c.role == "beheerder", m.c.email != email)
    ).scalar_one()
    if not others:
        raise UserFacingError(
            f"{email} is de laatste beheerder van deze werkruimte: maak eerst iemand anders beheerder. "
            "Er is niets gewijzigd."
        )


def get_settings(actor: Actor, engine: Engine | None = None) -> dict[str, Any]:
    """The workspace's settings (needs ``lezen``)."""
    engine = engine or get_engine()
    init_db(engine)
    s = setting_table
    with engine.connect() as conn:
        access.require(conn, actor, "lezen")
        rows = conn.execute(sa.select(s.c.key, s.c.value).where(s.c.workspace_id == actor.workspace)).all()
    return {r.key: json.loads(r.value) for r in rows}


def list_settings(actor: Actor, prefix: str = "", engine: Engine | None = None) -> pd.DataFrame:
    """The workspace's settings whose key starts with `prefix`, with who changed them last: columns `key`,
    `value` (parsed), `updated` (UTC), `updated_by` (needs ``lezen``)."""
    engine = engine or get_engine()
    init_db(engine)
    s = setting_table
    with engine.connect() as conn:
        access.require(conn, actor, "lezen")
        rows = conn.execute(
            sa.select(s.c.key, s.c.value, s.c.updated, s.c.updated_by)
            .where(s.c.workspace_id == actor.workspace, s.c.key.startswith(prefix, autoescape=True))
            .order_by(s.c.key)
        ).all()
    data = [(r.key, json.loads(r.value), r.updated, r.updated_by) for r in rows]
    return pd.DataFrame(data, columns=["key", "value", "updated", "updated_by"])


def set_setting(
    actor: Actor, key: str, value: Any, engine: Engine | None = None, *, new_only: bool = False
) -> None:
    """Store one setting of the workspace (needs ``bewerken``); the value must be JSON-serialisable.

    With `new_only` an existing key is refused (checked in the same transaction)."""
    key = (key or "").strip()
    if not key or len(key) > 80:
        raise UserFacingError("Een instelling heeft een naam van 1 tot 80 tekens.")
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    engine = engine or get_engine()
    init_db(engine)
    s = setting_table
    with engine.begin() as conn:
        access.require(conn, actor, "bewerken")
        where = (s.c.workspace_id == actor.workspace, s.c.key == key)
        old = conn.execute(sa.select(s.c.value).where(*where)).scalar_one_or_none()
        if old is not None and new_only:
            raise SettingExists(f"Er bestaat al een instelling '{key}'. Er is niets gewijzigd.")
        if old == text:
            return
        if old is None:
            conn.execute(
                sa.insert(s).values(
                    workspace_id=actor.workspace, key=key, value=text, updated=_now(), updated_by=actor.user
                )
            )
        else:
            conn.execute(sa.update(s).where(*where).values(value=text, updated=_now(), updated_by=actor.user))
        audit.record(conn, actor, "instelling.wijzigen", key, {"waarde": value})


def delete_settings(actor: Actor, keys: list[str], engine: Engine | None = None) -> int:
    """Remove settings of the workspace in one transaction (needs ``bewerken``); returns how many
    existed. Each removal is audited."""
    engine = engine or get_engine()
    init_db(engine)
    s = setting_table
    removed = 0
    with engine.begin() as conn:
        access.require(conn, actor, "bewerken")
        for key in keys:
            where = (s.c.workspace_id == actor.workspace, s.c.key == key)
            old = conn.execute(sa.select(s.c.value).where(*where)).scalar_one_or_none()
            if old is None:
                continue
            conn.execute(sa.delete(s).where(*where))
            audit.record(conn, actor, "instelling.verwijderen", key, {"waarde": json.loads(old)})
            removed += 1
    return removed


def default_workspace(user: str, engine: Engine | None = None) -> str | None:
    """The workspace a user chose to start in (None: none chosen; the app then takes the first)."""
    engine = engine or get_engine()
    init_db(engine)
    t = user_preference_table
    with engine.connect() as conn:
        return conn.execute(
            sa.select(t.c.default_workspace).where(t.c.email == access.normalise_email(user))
        ).scalar_one_or_none()


def set_default_workspace(actor: Actor, engine: Engine | None = None) -> None:
    """Remember the actor's workspace as the one the actor starts in (needs ``lezen`` there); audited in
    that workspace."""
    engine = engine or get_engine()
    init_db(engine)
    t = user_preference_table
    with engine.begin() as conn:
        access.require(conn, actor, "lezen")
        where = t.c.email == actor.user
        old = conn.execute(sa.select(t.c.default_workspace).where(where)).first()
        if old is not None and old.default_workspace == actor.workspace:
            return
        if old is None:
            conn.execute(
                sa.insert(t).values(email=actor.user, default_workspace=actor.workspace, updated=_now())
            )
        else:
            conn.execute(sa.update(t).where(where).values(default_workspace=actor.workspace, updated=_now()))
        audit.record(
            conn, actor, "gebruiker.standaardwerkruimte", actor.user, {"van": old[0] if old else None}
        )
