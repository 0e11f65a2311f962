"""How this installation runs: *lokaal* (default) or *team* (a shared server), read from one TOML file.

Local mode needs no file at all: one user on this computer, embedded SQLite, no sign-in. A team server is
configured in one file in Streamlit's secrets format (``.streamlit/secrets.toml`` beside ``app.py``, or the
file named by ``GEO_CONFIG``), which holds both Streamlit's own ``[auth]`` section (the OpenID Connect
provider, used by ``st.login``) and a ``[gebiedsplanner]`` section::

    [gebiedsplanner]
    modus = "team"
    database_url = "postgresql+psycopg2://gebiedsplanner:...@db.intern/gebiedsplanner"
    beheerders = ["functioneel.beheer@agentschap.be"]   # beheerder of every workspace

    [auth]
    redirect_uri = "https://gebiedsplanner.example.be/oauth2callback"
    cookie_secret = "..."
    client_id = "..."
    client_secret = "..."
    server_metadata_url = "https://login.example.be/.well-known/openid-configuration"

`startup_problems` lists, in Dutch, why a team server must not start (no provider, no PostgreSQL).
"""

from __future__ import annotations

import importlib.util
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from geo.errors import UserFacingError

MODE_LOCAL = "lokaal"
MODE_TEAM = "team"
SECTION = "gebiedsplanner"
# Keys of Streamlit's [auth] section (one provider) that a team server cannot do without.
AUTH_KEYS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")


class StartupError(UserFacingError):
    """The configuration does not allow this installation to start."""


@dataclass(frozen=True)
class Settings:
    """The mode and what a team server needs; `Settings()` is local mode."""

    mode: str = MODE_LOCAL
    database_url: str | None = None
    admins: tuple[str, ...] = ()
    auth: Mapping = field(default_factory=dict)
    source: str = ""

    @property
    def team(self) -> bool:
        return self.mode == MODE_TEAM

    @classmethod
    def from_mapping(cls, data: Mapping, source: str = "") -> Settings:
        """Settings from a parsed secrets file (its ``[gebiedsplanner]`` and ``[auth]`` sections)."""
        own = dict(data.get(SECTION) or {})
        mode = str(own.get("modus", MODE_LOCAL)).strip().lower() or MODE_LOCAL
        if mode not in (MODE_LOCAL, MODE_TEAM):
            raise StartupError(
                f"Onbekende modus '{own.get('modus')}' in [{SECTION}] van {source or 'de instellingen'}: "
                f"gebruik '{MODE_LOCAL}' of '{MODE_TEAM}'."
            )
        admins = own.get("beheerders") or []
        if isinstance(admins, str):
            admins = [admins]
        return cls(
            mode=mode,
            database_url=(str(own["database_url"]).strip() or None) if own.get("database_url") else None,
            admins=tuple(sorted({str(a).strip().lower() for a in admins if str(a).strip()})),
            auth=dict(data.get("auth") or {}),
            source=source,
        )

    @classmethod
    def from_file(cls, path: Path) -> Settings:
        """Settings from a TOML file; a missing file means local mode."""
        if not path.is_file():
            return cls()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise StartupError(f"Het instellingenbestand {path} is niet te lezen: {exc}") from exc
        return cls.from_mapping(data, str(path))

    def effective_database_url(self) -> str | None:
        """``DATABASE_URL`` from the environment if set, else the file's ``database_url``."""
        return os.environ.get("DATABASE_URL") or self.database_url


def config_path() -> Path:
    """The settings file: ``GEO_CONFIG`` if set, else ``.streamlit/secrets.toml`` in the current folder."""
    return Path(os.environ.get("GEO_CONFIG") or Path.cwd() / ".streamlit" / "secrets.toml")


_active: Settings | None = None


def activate(settings: Settings | None) -> None:
    """Make `settings` the process-wide settings (None: read the file again on next use)."""
    global _active
    _active = settings


def active() -> Settings:
    """The process-wide settings (read once from `config_path` unless `activate` set them)."""
    global _active
    if _active is None:
        _active = Settings.from_file(config_path())
    return _active


def startup_problems(settings: Settings) -> list[str]:
    """Why this installation may not start, as Dutch sentences (empty: fine). Local mode is always fine."""
    if not settings.team:
        return []
    where = settings.source or "het instellingenbestand"
    problems: list[str] = []
    auth = settings.auth or {}
    missing = [k for k in AUTH_KEYS if not str(auth.get(k) or "").strip()]
    if missing:
        problems.append(
            "Er is geen OpenID Connect-aanbieder ingesteld voor de aanmelding: vul in de sectie [auth] van "
            f"{where} ook {', '.join(missing)} in (zie docs/TEAMSERVER.md)."
        )
    elif importlib.util.find_spec("authlib") is None:
        problems.append(
            "De aanmelding via OpenID Connect heeft het pakket Authlib nodig: installeer "
            "`pip install -e '.[team]'`."
        )
    url = settings.effective_database_url() or ""
    if not url:
        problems.append(
            f"Er is geen PostgreSQL-databank ingesteld: zet database_url in [{SECTION}] van {where} of de "
            "omgevingsvariabele DATABASE_URL (bv. postgresql+psycopg2://gebruiker:wachtwoord@host/databank)."
        )
    elif not url.startswith("postgresql"):
        problems.append(
            f"Een teamserver werkt met PostgreSQL, niet met '{url.split(':', 1)[0]}': meerdere processen en "
            "gebruikers delen één databank. Zet database_url op een postgresql+psycopg2://-adres."
        )
    elif importlib.util.find_spec("psycopg2") is None:
        problems.append(
            "De PostgreSQL-driver ontbreekt: installeer `pip install -e '.[team]'` (psycopg2-binary)."
        )
    return problems


def check_startup(settings: Settings) -> None:
    """Raise `StartupError` listing every problem when a team server is not properly configured."""
    problems = startup_problems(settings)
    if problems:
        raise StartupError(
            "De Gebiedsplanner start niet als teamserver:\n" + "\n".join(f"- {p}" for p in problems)
        )
