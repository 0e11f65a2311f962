"""The app in team mode refuses to start without a provider or without PostgreSQL (AppTest, no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.store import config
from geo.store.engine import get_engine

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture
def fresh(monkeypatch):
    from geo_app import auth

    monkeypatch.delenv("DATABASE_URL", raising=False)
    auth._prepared.clear()
    config.activate(None)
    yield monkeypatch
    auth._prepared.clear()
    config.activate(None)


def run_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    return at.run()


def test_team_mode_without_provider_and_database_shows_why_and_nothing_else(fresh, tmp_path):
    path = tmp_path / "team.toml"
    path.write_text('[gebiedsplanner]\nmodus = "team"\n', encoding="utf-8")
    fresh.setenv("GEO_CONFIG", str(path))
    at = run_app()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "start niet als teamserver" in errors[0]
    assert "OpenID Connect-aanbieder" in errors[0] and "PostgreSQL" in errors[0]
    assert not at.button and not at.sidebar.selectbox  # no sign-in, no pages


def test_team_mode_with_sqlite_is_refused(fresh, tmp_path):
    path = tmp_path / "team.toml"
    auth = "\n".join(
        f'{k} = "x{k}"'
        for k in ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")
    )
    path.write_text(
        f'[gebiedsplanner]\nmodus = "team"\ndatabase_url = "sqlite:///{tmp_path}/x.sqlite"\n[auth]\n{auth}\n',
        encoding="utf-8",
    )
    fresh.setenv("GEO_CONFIG", str(path))
    at = run_app()
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "niet met 'sqlite'" in errors[0] and "OpenID" not in errors[0]


def test_local_mode_needs_no_sign_in(fresh, tmp_path):
    fresh.setenv("GEO_CONFIG", str(tmp_path / "geen.toml"))
    at = run_app()
    assert not at.exception and not at.error
    assert not [b for b in at.button if b.label == "Aanmelden"]


@pytest.fixture
def engines():
    """The engine of the configured database is cached per process: forget it before and after."""
    get_engine.cache_clear()
    yield
    get_engine.cache_clear()


def test_local_mode_goes_on_without_its_database(fresh, engines, tmp_path):
    """A database that cannot be opened: a Dutch warning, and what does not need it keeps working."""
    from geo_app import auth

    fresh.setattr(auth, "RETRY_S", 0.0)  # try the database again on every run
    fresh.setenv("GEO_CONFIG", str(tmp_path / "geen.toml"))
    fresh.setenv("GEO_DB_PATH", str(tmp_path))  # a folder: SQLite cannot open it as a file
    at = run_app()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("databankbestand kan niet geopend worden" in w and "werken verder" in w for w in warnings)
    assert at.title[0].value == "Gebiedsplanner 1 Gezin 1 Plan"  # the home page ran
    assert at.sidebar.selectbox(key="cijfers_jaar")  # with its year chooser
    at.switch_page("views/indelingen.py").run()
    assert not at.exception
    assert [e.value for e in at.error if "databankbestand" in e.value]  # the stored tab says why
    at.button(key="ind_open_ref").click().run()  # a built-in division still opens
    assert not at.exception
    assert "Controle op de 1G1P-regels" in [s.value for s in at.subheader]
    # once the database is there again, the warning is gone on the next run
    fresh.setenv("GEO_DB_PATH", str(tmp_path / "geo.sqlite"))
    get_engine.cache_clear()
    at.switch_page("views/home.py").run()
    assert not [w.value for w in at.warning if "databank" in w.value]


def test_local_mode_with_a_broken_settings_file_refuses(fresh, tmp_path):
    """Not a database fault: a settings file that cannot be read still stops the app with the reason."""
    path = tmp_path / "kapot.toml"
    path.write_text("[gebiedsplanner\nmodus = ", encoding="utf-8")
    fresh.setenv("GEO_CONFIG", str(path))
    at = run_app()
    assert not at.exception
    assert len(at.error) == 1 and not at.sidebar.selectbox


def test_local_mode_tries_a_missing_database_again_only_now_and_then(fresh, engines, tmp_path):
    """A server that does not answer costs the connection timeout: not retried on every click."""
    from geo_app import auth

    fresh.setattr(auth, "RETRY_S", 3600.0)
    fresh.setattr(auth, "_LAST_RETRY", [float("-inf")])
    fresh.setenv("GEO_CONFIG", str(tmp_path / "geen.toml"))
    fresh.setenv("GEO_DB_PATH", str(tmp_path))  # a folder: SQLite cannot open it as a file
    at = run_app()
    assert [w.value for w in at.warning if "databankbestand" in w.value]  # the reason at once
    at.run()  # one more try right after the first failure, then only after RETRY_S
    assert [w.value for w in at.warning if "databankbestand" in w.value]
    fresh.setenv("GEO_DB_PATH", str(tmp_path / "geo.sqlite"))
    get_engine.cache_clear()
    at.run()
    assert [w.value for w in at.warning if "databankbestand" in w.value]  # not tried again yet
    fresh.setattr(auth, "_LAST_RETRY", [float("-inf")])  # the waiting time has passed
    at.run()  # this run clears the remembered failure ...
    at.run()  # ... and the next one reaches the database
    assert not [w.value for w in at.warning if "databank" in w.value]
