"""Who may do what in which workspace: the caller's identity (`Actor`), roles and the permission check.

Every store function that reads or writes workspace data takes an `Actor` (who, which workspace) and calls
`require(conn, actor, permission)` inside its own transaction. The role is looked up in the database for
that identity each time, never taken from the caller, so a page that forgets to hide a button, or a script
that calls the store directly, is refused all the same.

- Local mode: one user on this computer; `local_actor()` may do everything in the workspace ``lokaal``.
  On a team server a local actor is refused.
- Team server: a user is a member of one or more workspaces with one role each (`ROLES`); the
  ``beheerders`` of the settings file are beheerder of every workspace.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from geo.errors import UserFacingError
from geo.store import config
from geo.store.engine import METADATA

LOCAL_WORKSPACE = "lokaal"
NATIONAL_WORKSPACE = "vlaanderen"

ROLES = ("lezer", "planner", "beheerder")  # each role can do what the ones before it can
ROLE_DESCRIPTIONS = {
    "lezer": "bekijken en exporteren",
    "planner": "ontwerpen bewerken en bestanden importeren",
    "beheerder": "indelingen vaststellen, leden beheren, het register vervangen, het auditlogboek lezen",
}

# permission -> (lowest role that has it, what it is in a sentence)
PERMISSIONS: dict[str, tuple[str, str]] = {
    "lezen": ("lezer", "gegevens bekijken"),
    "exporteren": ("lezer", "gegevens exporteren"),
    "bewerken": ("planner", "ontwerpen bewerken"),
    "importeren": ("planner", "bestanden importeren"),
    "vaststellen": ("beheerder", "een indeling vaststellen"),
    "leden": ("beheerder", "leden beheren"),
    "register_vervangen": ("beheerder", "het partnerregister vervangen"),
    "audit": ("beheerder", "het auditlogboek lezen"),
}

workspace_table = sa.Table(
    "workspace",
    METADATA,
    sa.Column("id", sa.String(80), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("kind", sa.String(20), nullable=False),  # swv | nationaal | lokaal
    sa.Column("created", sa.DateTime, nullable=False),
)

member_table = sa.Table(
    "workspace_member",
    METADATA,
    sa.Column(
        "workspace_id", sa.String(80), sa.ForeignKey("workspace.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("email", sa.String(320), primary_key=True),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("added", sa.DateTime, nullable=False),
    sa.Column("added_by", sa.String(320), nullable=False, server_default=""),
    sa.CheckConstraint("role IN (" + ", ".join(f"'{r}'" for r in ROLES) + ")", name="ck_member_role"),
)


class AccessDenied(UserFacingError):
    """The caller's role in the workspace does not allow this; nothing was read or changed."""


@dataclass(frozen=True)
class Actor:
    """Who is acting (an e-mail address on a team server) and in which workspace."""

    user: str
    workspace: str
    name: str = ""
    local: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "user", normalise_email(self.user) if not self.local else self.user)
        object.__setattr__(self, "workspace", (self.workspace or "").strip())

    @property
    def label(self) -> str:
        """The user as shown in the audit trail: name and address."""
        return f"{self.name} <{self.user}>" if self.name and self.name != self.user else self.user

    def in_workspace(self, workspace: str) -> Actor:
        return Actor(self.user, workspace, self.name, self.local)


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def local_actor() -> Actor:
    """The single user of a local installation (named after the computer account)."""
    try:
        user = getpass.getuser()
    except Exception:  # no login name in some containers
        user = ""
    return Actor(user=user or "lokale gebruiker", workspace=LOCAL_WORKSPACE, name="", local=True)


def cli_actor(workspace: str | None = None) -> Actor:
    """The caller of a command: locally the local user; on a team server ``GEO_USER`` (an e-mail address
    that must be a member) in ``--werkruimte`` or ``GEO_WERKRUIMTE``."""
    if not config.active().team:
        return local_actor()
    user = normalise_email(os.environ.get("GEO_USER", ""))
    workspace = (workspace or os.environ.get("GEO_WERKRUIMTE") or "").strip()
    if not user:
        raise AccessDenied(
            "Op een teamserver zegt de opdrachtregel wie u bent: zet GEO_USER op uw e-mailadres "
            "(u moet lid zijn van de werkruimte)."
        )
    if not workspace:
        raise AccessDenied("Kies een werkruimte met --werkruimte of GEO_WERKRUIMTE.")
    return Actor(user=user, workspace=workspace)


def rank(role: str | None) -> int:
    """0 for no role, then 1..3 for lezer, planner, beheerder."""
    return ROLES.index(role) + 1 if role in ROLES else 0


def allowed(role: str | None, permission: str) -> bool:
    """Whether `role` has `permission` (for hiding what a role cannot do; the store checks again)."""
    needed, _ = PERMISSIONS[permission]
    return rank(role) >= rank(needed)


def is_admin(actor: Actor) -> bool:
    """A beheerder of every workspace (named in the settings file)."""
    return not actor.local and actor.user in config.active().admins


def role_of(conn: Connection, actor: Actor) -> str | None:
    """The actor's role in its workspace, looked up now (None: no access)."""
    settings = config.active()
    if actor.local:
        return "beheerder" if not settings.team and actor.workspace == LOCAL_WORKSPACE else None
    if not actor.user or not actor.workspace:
        return None
    if settings.team and actor.user in settings.admins:
        exists = conn.execute(
            sa.select(workspace_table.c.id).where(workspace_table.c.id == actor.workspace)
        ).first()
        return "beheerder" if exists else None
    return conn.execute(
        sa.select(member_table.c.role).where(
            member_table.c.workspace_id == actor.workspace, member_table.c.email == actor.user
        )
    ).scalar_one_or_none()


def require(conn: Connection, actor: Actor, permission: str) -> str:
    """The actor's role if it has `permission` in its workspace; raises `AccessDenied` otherwise."""
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")
    needed, what = PERMISSIONS[permission]
    role = role_of(conn, actor)
    if role is None:
        if actor.local:
            raise AccessDenied(
                "Niet toegestaan: deze installatie is een teamserver; meld u aan. Er is niets gewijzigd."
            )
        raise AccessDenied(
            f"Niet toegestaan: {actor.user or 'een onbekende gebruiker'} is geen lid van werkruimte "
            f"'{actor.workspace}'. Er is niets gelezen of gewijzigd."
        )
    if rank(role) < rank(needed):
        raise AccessDenied(
            f"Niet toegestaan: {actor.user} heeft in werkruimte '{actor.workspace}' de rol {role}; "
            f"{what} vraagt de rol {needed}. Er is niets gewijzigd."
        )
    return role
