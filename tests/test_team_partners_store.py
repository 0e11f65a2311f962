"""Partner registers per workspace: isolation, roles checked in the store, every write audited.

Runs on SQLite and, in `make test-postgres`, on PostgreSQL."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.partners import store
from geo.partners.register import conform
from geo.store import audit
from geo.store.access import AccessDenied


def partners(names) -> pd.DataFrame:
    n = len(names)
    frame = pd.DataFrame(
        {"naam": names, "type": ["CLB"] * n, "gefinancierd": [False] * n, "lat": [51.2] * n, "lon": [4.4] * n}
    )
    return conform(frame)


def test_each_workspace_has_its_own_register(engine, who):
    store.append_partners(engine, partners(["Een A", "Een B"]), who[("een", "planner")])
    store.append_partners(engine, partners(["Twee A"]), who[("twee", "planner")])
    assert store.load_partners(engine, who[("een", "lezer")])["naam"].tolist() == ["Een A", "Een B"]
    assert store.load_partners(engine, who[("twee", "lezer")])["naam"].tolist() == ["Twee A"]
    assert store.count_partners(engine, who[("twee", "beheerder")]) == 1
    with pytest.raises(AccessDenied, match="geen lid"):
        store.load_partners(engine, who[("een", "lezer")].in_workspace(who[("twee", "lezer")].workspace))


def test_another_workspace_cannot_change_or_delete_my_partners(engine, who):
    store.append_partners(engine, partners(["Een A"]), who[("een", "planner")])
    mine = store.load_partners(engine, who[("een", "planner")])
    other = who[("twee", "beheerder")]
    assert store.delete_partners(engine, mine["partner_id"].tolist(), other) == 0
    with pytest.raises(Exception, match="bestaan niet meer"):
        store.save_edits(engine, mine.assign(naam="Gekaapt"), other)
    store.replace_partners(engine, partners(["Twee X"]), other)  # replaces only its own register
    assert store.load_partners(engine, who[("een", "lezer")])["naam"].tolist() == ["Een A"]


def test_roles_are_checked_in_the_store(engine, who):
    lezer, planner, beheerder = (who[("een", r)] for r in ("lezer", "planner", "beheerder"))
    with pytest.raises(AccessDenied, match="rol lezer"):
        store.append_partners(engine, partners(["X"]), lezer)
    store.append_partners(engine, partners(["A", "B"]), planner)
    register = store.load_partners(engine, lezer)
    with pytest.raises(AccessDenied):
        store.save_edits(engine, register.assign(naam="X"), lezer)
    with pytest.raises(AccessDenied):
        store.delete_partners(engine, register["partner_id"].tolist(), lezer)
    with pytest.raises(AccessDenied, match="vraagt de rol beheerder"):
        store.replace_partners(engine, partners(["C"]), planner)
    assert store.load_partners(engine, lezer)["naam"].tolist() == ["A", "B"]  # nothing changed
    assert store.replace_partners(engine, partners(["C"]), beheerder) == 1


def test_every_partner_write_is_in_the_audit_trail(engine, who):
    planner, beheerder = who[("een", "planner")], who[("een", "beheerder")]
    store.append_partners(engine, partners(["A", "B"]), planner)
    register = store.load_partners(engine, planner)
    store.save_edits(engine, register.assign(naam=["A2", "B"]), planner)
    store.delete_partners(engine, register["partner_id"].tolist()[:1], planner)
    store.replace_partners(engine, partners(["C", "D", "E"]), beheerder)
    trail = audit.read(beheerder, engine)
    writes = trail[trail["action"].str.startswith("partners")]
    assert writes["action"].tolist() == [
        "partners.vervangen",
        "partners.verwijderen",
        "partners.bewerken",
        "partners.toevoegen",
    ]
    assert writes["actor"].tolist() == [beheerder.user, planner.user, planner.user, planner.user]
    assert '"nu": 3' in writes["detail"].iloc[0] and '"was": 1' in writes["detail"].iloc[0]
    assert '"gewijzigd": 1' in writes["detail"].iloc[2]


def test_cli_import_checks_the_role_of_geo_user(engine, who, monkeypatch, tmp_path, capsys):
    from geo.cli.main import main
    from geo.store.engine import get_engine

    path = tmp_path / "partners.csv"
    path.write_text("naam;type;lat;lon\nCLB Noord;CLB;51,21;4,41\n", encoding="utf-8")
    lezer, planner = who[("een", "lezer")], who[("een", "planner")]
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("GEO_WERKRUIMTE", lezer.workspace)
    get_engine.cache_clear()
    try:
        monkeypatch.setenv("GEO_USER", lezer.user)
        assert main(["partners", "import", str(path)]) == 2
        assert "Niet toegestaan" in capsys.readouterr().err
        monkeypatch.setenv("GEO_USER", planner.user)
        assert main(["partners", "import", str(path)]) == 0
        assert main(["partners", "import", "--replace", str(path)]) == 2  # replacing is for beheerders
        assert "vraagt de rol beheerder" in capsys.readouterr().err
    finally:
        get_engine.cache_clear()
    assert store.load_partners(engine, lezer)["naam"].tolist() == ["CLB Noord"]
