"""Named budget settings and the workspace's defaults in the database, always with the caller's identity.

Everything lives in the workspace's settings (`geo.store.workspaces`): a budget setting under
``budget/<naam>``, the name of the default one under ``budget.standaard``, the page defaults under
``standaardwaarden``. Reading needs the role lezer, saving, deleting and choosing the default planner; the
role is checked and the write audited in the same transaction.
"""

from __future__ import annotations

import unicodedata

import pandas as pd
from sqlalchemy.engine import Engine

from geo.errors import UserFacingError
from geo.settings import defaults as page_defaults
from geo.settings import formula
from geo.store import workspaces
from geo.store.access import Actor

PREFIX = "budget/"
DEFAULT_KEY = "budget.standaard"
DEFAULTS_KEY = "standaardwaarden"
MAX_NAME = 60


def check_name(name: str) -> str:
    """A setting name: 1 to 60 characters, no control characters; surrounding spaces removed."""
    name = " ".join((name or "").split())
    if not name:
        raise UserFacingError("Geef de instelling een naam.")
    if len(name) > MAX_NAME:
        raise UserFacingError(f"Een naam heeft hoogstens {MAX_NAME} tekens (nu {len(name)}).")
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise UserFacingError("Een naam mag geen stuurtekens bevatten.")
    return name


def save_formula(
    actor: Actor,
    name: str,
    setting: formula.FormulaSetting,
    engine: Engine | None = None,
    *,
    overwrite: bool = False,
) -> str:
    """Keep ``setting`` under ``name`` in the actor's workspace (planner); an existing name only with
    ``overwrite``. Returns the name as stored."""
    name = check_name(name)
    checked = formula.check(setting.payload())
    try:
        workspaces.set_setting(actor, PREFIX + name, checked.payload(), engine, new_only=not overwrite)
    except workspaces.SettingExists:
        raise UserFacingError(
            f"Er bestaat al een budgetinstelling '{name}': kies een andere naam of overschrijf ze. "
            "Er is niets gewijzigd."
        ) from None
    return name


def list_formulas(actor: Actor, engine: Engine | None = None) -> pd.DataFrame:
    """The workspace's budget settings (lezer): `naam`, `standaard`, `bewaard` (UTC), `door`, `samenvatting`
    (or the reason it cannot be opened), `bruikbaar`."""
    table = workspaces.list_settings(actor, PREFIX, engine)
    default = default_formula(actor, engine)
    rows = []
    for row in table.itertuples(index=False):
        name = row.key[len(PREFIX) :]
        try:
            text, usable = formula.summary(formula.check(row.value)), True
        except UserFacingError as exc:
            text, usable = str(exc), False
        rows.append((name, name == default, row.updated, row.updated_by, text, usable))
    columns = ["naam", "standaard", "bewaard", "door", "samenvatting", "bruikbaar"]
    return pd.DataFrame(rows, columns=columns)


def open_formula(actor: Actor, name: str, engine: Engine | None = None) -> formula.FormulaSetting:
    """The budget setting called ``name`` (lezer), checked (defaults for keys an older version lacked)."""
    stored = workspaces.get_settings(actor, engine)
    key = PREFIX + " ".join((name or "").split())
    if key not in stored:
        known = sorted(k[len(PREFIX) :] for k in stored if k.startswith(PREFIX))
        hint = f" Bewaard zijn: {', '.join(known)}." if known else " Deze werkruimte heeft er nog geen."
        raise UserFacingError(f"Er is geen budgetinstelling '{name}' in deze werkruimte.{hint}")
    return formula.check(stored[key])


def delete_formula(actor: Actor, name: str, engine: Engine | None = None) -> None:
    """Remove a budget setting (planner); when it was the default, the workspace has no default after."""
    name = " ".join((name or "").split())
    keys = [PREFIX + name]
    if default_formula(actor, engine) == name:
        keys.append(DEFAULT_KEY)
    if not workspaces.delete_settings(actor, keys, engine):
        raise UserFacingError(f"Er is geen budgetinstelling '{name}' in deze werkruimte.")


def default_formula(actor: Actor, engine: Engine | None = None) -> str | None:
    """The name of the budget setting the Budget page opens with in this workspace (None: none)."""
    value = workspaces.get_settings(actor, engine).get(DEFAULT_KEY)
    return value if isinstance(value, str) and value else None


def set_default_formula(actor: Actor, name: str | None, engine: Engine | None = None) -> None:
    """Make ``name`` the workspace's default budget setting, or (None) have none (planner)."""
    if name is None:
        workspaces.delete_settings(actor, [DEFAULT_KEY], engine)
        return
    open_formula(actor, name, engine)  # exists and opens
    workspaces.set_setting(actor, DEFAULT_KEY, " ".join(name.split()), engine)


def workspace_defaults(actor: Actor, engine: Engine | None = None) -> page_defaults.WorkspaceDefaults:
    """The workspace's page defaults (lezer); the built-in ones when none were saved or they no longer
    check (a later app may have changed the rules)."""
    value = workspaces.get_settings(actor, engine).get(DEFAULTS_KEY)
    if value is None:
        return page_defaults.WorkspaceDefaults()
    try:
        return page_defaults.check(value)
    except UserFacingError:
        return page_defaults.WorkspaceDefaults()


def save_workspace_defaults(
    actor: Actor, values: page_defaults.WorkspaceDefaults, engine: Engine | None = None
) -> None:
    """Keep the page defaults of the workspace (planner)."""
    checked = page_defaults.check(values.payload())
    workspaces.set_setting(actor, DEFAULTS_KEY, checked.payload(), engine)
