"""Who is using the app: local user, or a signed-in member of a workspace on a team server.

`gate()` runs in ``app.py`` before the pages. Locally it returns the local user at once (no sign-in, nothing
to configure). On a team server it refuses to go on when the settings are incomplete, asks the user to sign
in through the organisation's OpenID Connect provider (`st.login`), lets the user choose one of the
workspaces they belong to (sidebar) and returns that identity. Pages call `actor()` and pass it to every
store function, and use `can(permission)` to hide what the role does not allow (the store checks again).
"""

from __future__ import annotations

import sys
import time

import sqlalchemy as sa
import streamlit as st

from geo.errors import UserFacingError
from geo.store import access, config, workspaces
from geo.store.access import Actor
from geo.store.engine import get_engine
from geo_app.text import md

_ACTOR = "geo_actor"
_ROLE = "geo_role"
_CHOICE = "geo_werkruimte"


@st.cache_resource(show_spinner=False)
def _prepared() -> tuple[str, bool]:
    """Once per server process: read the settings, check them, reach the database, create workspaces.

    Returns ``("", False)`` when all is well, else the Dutch reason (also written to the server log) and
    whether only the database failed (a local app then goes on without it)."""
    try:
        config.activate(None)
        settings = config.active()
        config.check_startup(settings)
    except UserFacingError as exc:
        print(f"Gebiedsplanner: {exc}", file=sys.stderr)
        return str(exc), False
    try:
        workspaces.ensure_workspaces(get_engine())
    except UserFacingError as exc:
        print(f"Gebiedsplanner: {exc}", file=sys.stderr)
        return str(exc), True
    except sa.exc.SQLAlchemyError as exc:
        reason = f"De databank is niet bereikbaar: {str(getattr(exc, 'orig', exc))[:300]}"
        print(f"Gebiedsplanner: {reason}", file=sys.stderr)
        return reason, True
    return "", False


#: A local app without its database tries it again on the first run after this many seconds (a server that
#: does not answer costs the connection timeout, so not on every click).
RETRY_S = 20.0
_LAST_RETRY = [float("-inf")]

#: Under the database message of a local app that goes on without its database.
WITHOUT_DATABASE = (
    "Kaart, kerncijfers, budgetverdeling en vergelijkingen van ingebouwde indelingen werken verder; "
    "opgeslagen indelingen, het partnerregister, caseload en bewaarde instellingen zijn er weer zodra de "
    "databank bereikbaar is (de app probeert het geregeld opnieuw)."
)


def _refuse(reason: str) -> None:
    st.title("Gebiedsplanner 1G1P")
    st.error(reason)
    st.caption(
        "De beheerder vindt de instellingen in docs/TEAMSERVER.md (controle: `python -m geo team check`)."
    )
    st.stop()


def gate() -> Actor:
    """The identity for this run; stops the script with a clear page when there is none yet."""
    reason, database_only = _prepared()
    if reason:
        if not database_only or config.active().team:
            _refuse(reason)
        now = time.monotonic()
        if now - _LAST_RETRY[0] >= RETRY_S:  # locally: try the database again now and then, go on without it
            _prepared.clear()
            _LAST_RETRY[0] = now
        st.warning(md(f"{reason} {WITHOUT_DATABASE}"), icon="⚠️")
    if not config.active().team:
        actor = access.local_actor()
        st.session_state[_ACTOR], st.session_state[_ROLE] = actor, "beheerder"
        return actor
    if not st.secrets.get("auth"):
        _refuse(
            "Streamlit leest de sectie [auth] niet uit het instellingenbestand "
            f"{config.active().source}: start de app met `--secrets.files` naar hetzelfde bestand "
            "(of zet het in .streamlit/secrets.toml)."
        )
    if not st.user.is_logged_in:
        _sign_in_page()
    email = access.normalise_email(str(st.user.get("email") or ""))
    name = str(st.user.get("name") or "")
    if not email:
        _signed_in_refusal(
            "Uw aanmelding gaf geen e-mailadres door; de Gebiedsplanner kent leden aan hun e-mailadres."
        )
    mine = workspaces.workspaces_for(email)
    if mine.empty:
        _signed_in_refusal(
            f"U bent aangemeld als {email}, maar nog geen lid van een werkruimte. Vraag de beheerder van uw "
            "samenwerkingsverband om u toe te voegen."
        )
    actor = _choose_workspace(email, name, mine)
    return actor


def _sign_in_page() -> None:
    st.title("Gebiedsplanner 1G1P")
    st.write(
        "Dit is de teamserver van de samenwerkingsverbanden 1 Gezin 1 Plan. Meld u aan met het account van "
        "uw organisatie; daarna kiest u de werkruimte van uw samenwerkingsverband."
    )
    if st.button("Aanmelden", type="primary", key="geo_login"):
        st.login()
    st.stop()


def _signed_in_refusal(message: str) -> None:
    st.title("Gebiedsplanner 1G1P")
    st.warning(md(message))  # names the signed-in address
    if st.button("Afmelden", key="geo_logout_refused"):
        st.logout()
    st.stop()


def first_workspace(ids: list[str], saved: str | None) -> str:
    """The workspace a session starts in: the user's saved default when still a member, else the first."""
    return saved if saved in ids else ids[0]


def _choose_workspace(email: str, name: str, mine) -> Actor:
    ids = mine["id"].tolist()
    labels = {r.id: f"{r.name} ({r.role})" for r in mine.itertuples(index=False)}
    saved = workspaces.default_workspace(email) if len(ids) > 1 else None
    if st.session_state.get(_CHOICE) not in ids:
        st.session_state[_CHOICE] = first_workspace(ids, saved)
    with st.sidebar:
        if len(ids) > 1:
            st.selectbox("Werkruimte", ids, format_func=labels.get, key=_CHOICE)
            if st.session_state[_CHOICE] != saved and st.button(
                "Altijd met deze werkruimte beginnen", key="geo_standaard_werkruimte"
            ):
                workspaces.set_default_workspace(Actor(user=email, workspace=st.session_state[_CHOICE]))
                st.rerun()
        else:
            st.markdown(f"**Werkruimte:** {md(labels[ids[0]])}")
        st.caption(md(f"Aangemeld als {name or email} ({email})"))
        if st.button("Afmelden", key="geo_logout"):
            st.logout()
    wid = st.session_state[_CHOICE]
    actor = Actor(user=email, workspace=wid, name=name)
    role = mine.loc[mine["id"] == wid, "role"].iloc[0]
    st.session_state[_ACTOR], st.session_state[_ROLE] = actor, role
    return actor


def actor() -> Actor:
    """The identity of this run (set by `gate`; the local user when a page runs on its own)."""
    return st.session_state.get(_ACTOR) or access.local_actor()


def role() -> str | None:
    """The role in the chosen workspace as it was at the start of this run (for hiding only)."""
    if _ACTOR not in st.session_state:
        return "beheerder" if not config.active().team else None
    return st.session_state.get(_ROLE)


def can(permission: str) -> bool:
    """Whether the current role has `permission` (to hide buttons; the store refuses anyway)."""
    return access.allowed(role(), permission)


def is_team() -> bool:
    return config.active().team
