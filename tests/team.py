"""Helpers for team-server tests: a local OpenID Connect provider, a team `streamlit run`, signing in.

The provider is `oidc_provider_mock` on localhost; the server gets a settings file of its own (team mode,
the test PostgreSQL database, the provider in ``[auth]``). Used by `tests/test_team_*.py` and by the load
test in `benchmarks/`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

import browser as br

CLIENT_ID = "gebiedsplanner-test"


@dataclass
class TeamServer:
    url: str
    config: Path
    proc: object
    log: Path


def write_config(
    path: Path, port: int, database_url: str, oidc_url: str, admins: tuple[str, ...] = ()
) -> Path:
    """A team settings file: PostgreSQL, the local provider, Streamlit's [auth] section."""
    admin_list = ", ".join(f'"{a}"' for a in admins)
    path.write_text(
        "[gebiedsplanner]\n"
        'modus = "team"\n'
        f'database_url = "{database_url}"\n'
        f"beheerders = [{admin_list}]\n\n"
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        f'client_id = "{CLIENT_ID}"\n'
        'client_secret = "geheim-voor-de-test"\n'
        f'server_metadata_url = "{oidc_url}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    return path


def start_team_server(
    folder: Path, database_url: str, oidc_url: str, admins: tuple[str, ...] = ()
) -> TeamServer:
    """`streamlit run app.py` in team mode on a free port (waits until healthy)."""
    port = br.free_port()
    config = write_config(folder / "team.toml", port, database_url, oidc_url, admins)
    env = br.server_env(folder, {"GEO_CONFIG": str(config), "DATABASE_URL": database_url})
    log = folder / "streamlit.log"
    proc = br.start_streamlit(port, env, log_path=log, extra_args=["--secrets.files", str(config)])
    url = f"http://127.0.0.1:{port}"
    try:
        br.wait_healthy(url, proc)
    except RuntimeError as exc:
        br.stop(proc)
        raise RuntimeError(
            f"{exc}\n--- streamlit log ---\n{log.read_text(errors='replace')[-3000:]}"
        ) from exc
    return TeamServer(url, config, proc, log)


def sign_in(page, server_url: str, sub: str, timeout_ms: int = 60_000) -> None:
    """Open the app, click Aanmelden, authorise `sub` at the local provider, wait until back in the app."""
    br.open_app(page, server_url, timeout_ms=timeout_ms)
    page.get_by_role("button", name="Aanmelden").click()
    page.get_by_placeholder("sub").wait_for(timeout=timeout_ms)
    page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{server_url}/**", timeout=timeout_ms)
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    br.wait_script_idle(page, timeout_ms)


ADMIN = "functioneel.beheer@agentschap.test"


def people(engine, networks=("een", "twee"), roles=("lezer", "planner", "beheerder")) -> dict:
    """Fresh workspaces (unique ids: tests share a PostgreSQL database), each with one member per role.

    Needs team settings with `ADMIN` among the admins (see `team_settings`). Returns {(network, role): Actor}.
    """
    import uuid

    from geo.store import workspaces
    from geo.store.access import Actor

    out = {}
    for net in networks:
        wid = workspaces.create_workspace(Actor(ADMIN, ""), f"{net} {uuid.uuid4().hex[:8]}", engine)
        for role in roles:
            email = f"{role}@{wid}.test"
            workspaces.set_member(Actor(ADMIN, wid), email, role, engine)
            out[(net, role)] = Actor(email, wid, name=role.capitalize())
    return out


def team_settings():
    from geo.store import config

    return config.Settings(mode="team", admins=(ADMIN,), database_url="postgresql://test/test")
