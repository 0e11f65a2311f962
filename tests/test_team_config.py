"""Local versus team mode: reading the settings file and refusing to start a half-configured team server."""

from __future__ import annotations

import pytest

from geo.store import config, engine

AUTH = {
    "redirect_uri": "https://planner.example.test/oauth2callback",
    "cookie_secret": "een-lang-geheim-van-minstens-32-tekens",
    "client_id": "gebiedsplanner",
    "client_secret": "geheim",
    "server_metadata_url": "https://login.example.test/.well-known/openid-configuration",
}
PG = "postgresql+psycopg2://geo@db.example.test/geo"


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config.activate(None)
    yield
    config.activate(None)


def test_no_file_means_local_mode_without_problems(tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_CONFIG", str(tmp_path / "bestaat-niet.toml"))
    settings = config.active()
    assert settings.mode == "lokaal" and not settings.team
    assert config.startup_problems(settings) == []
    assert engine.database_url().startswith("sqlite:///")


def test_team_file_is_read_with_provider_database_and_admins(tmp_path, monkeypatch):
    path = tmp_path / "secrets.toml"
    auth = "\n".join(f'{k} = "{v}"' for k, v in AUTH.items())
    path.write_text(
        f'[gebiedsplanner]\nmodus = "team"\ndatabase_url = "{PG}"\nbeheerders = ["Beheer@Agentschap.test"]\n'
        f"\n[auth]\n{auth}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("GEO_CONFIG", str(path))
    settings = config.active()
    assert settings.team and settings.admins == ("beheer@agentschap.test",)
    assert settings.auth["client_id"] == "gebiedsplanner"
    assert config.startup_problems(settings) == []
    assert engine.database_url() == PG
    monkeypatch.setenv("DATABASE_URL", PG + "2")  # the environment wins over the file
    assert engine.database_url() == PG + "2"


def test_team_without_provider_and_without_postgresql_refuses_with_both_reasons():
    settings = config.Settings.from_mapping({"gebiedsplanner": {"modus": "team"}}, "team.toml")
    problems = config.startup_problems(settings)
    assert len(problems) == 2
    assert "OpenID Connect-aanbieder" in problems[0] and "client_id" in problems[0]
    assert "PostgreSQL" in problems[1]
    with pytest.raises(config.StartupError, match="start niet als teamserver"):
        config.check_startup(settings)
    config.activate(settings)
    with pytest.raises(config.StartupError, match="geen PostgreSQL"):
        engine.database_url()  # never a silent fall back to SQLite


def test_team_with_sqlite_or_half_a_provider_refuses():
    partial = {k: v for k, v in AUTH.items() if k != "client_secret"}
    settings = config.Settings.from_mapping(
        {"gebiedsplanner": {"modus": "team", "database_url": "sqlite:///x.sqlite"}, "auth": partial}
    )
    problems = config.startup_problems(settings)
    assert any("client_secret" in p and "client_id" not in p for p in problems)
    assert any("niet met 'sqlite'" in p for p in problems)


def test_unknown_mode_and_unreadable_file_are_clear_errors(tmp_path):
    with pytest.raises(config.StartupError, match="Onbekende modus 'server'"):
        config.Settings.from_mapping({"gebiedsplanner": {"modus": "server"}})
    bad = tmp_path / "kapot.toml"
    bad.write_text("[gebiedsplanner\nmodus = ", encoding="utf-8")
    with pytest.raises(config.StartupError, match="niet te lezen"):
        config.Settings.from_file(bad)


def test_cli_team_check_local_and_refusal(capsys, tmp_path, monkeypatch):
    from geo.cli.main import main

    monkeypatch.setenv("GEO_CONFIG", str(tmp_path / "geen.toml"))
    assert main(["team", "check"]) == 0
    assert "Modus: lokaal" in capsys.readouterr().out
    bad = tmp_path / "team.toml"
    bad.write_text('[gebiedsplanner]\nmodus = "team"\n', encoding="utf-8")
    monkeypatch.setenv("GEO_CONFIG", str(bad))
    config.activate(None)
    assert main(["team", "check"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fout: De Gebiedsplanner start niet als teamserver") and "Traceback" not in err
