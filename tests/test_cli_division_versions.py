"""`python -m geo division history|status|restore|comment|comments|rules` against the test database."""

from __future__ import annotations

import pytest

from geo.cli.main import main
from geo.divisions import store
from geo.divisions.division import Division
from geo.store import access


@pytest.fixture
def stored(request, stored_divisions):
    """A stored division for one test (removed afterwards)."""
    name = f"CLI {request.node.name}"
    stored_divisions.append(name)
    division = Division.from_mapping(
        name,
        "gemeente",
        ["11002", "11040", "11044", "11052"],
        {"11002": "Stad", "11040": "Rand", "11052": "Rand"},
    )
    return store.save_new(division, who="Analist")


def test_history_status_restore_and_comments(stored, tmp_path, capsys):
    key = f"db:{stored.name}"
    store.save(stored.move(["11044"], "Rand"), who="Bert")
    assert main(["division", "history", key]) == 0
    out = capsys.readouterr().out
    assert "versie 2, concept" in out
    assert "Bert" in out and "1 eenheid verplaatst" in out
    assert main(["division", "history", key, "--version", "2", "--out", str(tmp_path / "v2.csv")]) == 0
    out = capsys.readouterr().out
    assert "11044" in out and "Rand" in out
    assert "11044;Rand" in (tmp_path / "v2.csv").read_text(encoding="utf-8-sig")
    assert main(["division", "comment", key, "=SOM(A1) eerste lezing", "--area", "Rand"]) == 0
    assert main(["division", "comment", key, "tweede lezing", "--version", "1"]) == 0
    assert main(["division", "comments", key]) == 0
    out = capsys.readouterr().out
    assert f"Versie 2, over 'Rand' — {access.local_actor().user}" in out
    assert f"Versie 1 — {access.local_actor().user}" in out and "nan" not in out
    assert main(["division", "history", key, "--csv", str(tmp_path / "hist.csv")]) == 0
    assert main(["division", "restore", key, "1", "--expect", "2"]) == 0
    assert "hersteld als versie 3" in capsys.readouterr().out
    assert store.open_division(stored.meta.db_id).area_of("11044") is None  # exactly version 1 again
    assert store.version_info(stored.meta.db_id, 3).who == access.local_actor().user
    # a stale --expect is refused with a Dutch one-liner
    assert main(["division", "restore", key, "2", "--expect", "2"]) == 2
    err = capsys.readouterr().err
    assert f"De indeling '{stored.name}' is intussen door iemand anders opgeslagen" in err  # its name, not id


def test_vastgesteld_version_cannot_be_changed_via_the_cli(stored, capsys):
    key = f"db:{stored.name}"
    assert main(["division", "status", key, "vastgesteld"]) == 2
    assert "eerst op 'voorstel'" in capsys.readouterr().err
    assert main(["division", "status", key, "voorstel"]) == 0
    assert main(["division", "status", key, "vastgesteld", "--expect", "2"]) == 0
    decided = store.open_version(stored.meta.db_id, 3)
    capsys.readouterr()
    assert main(["division", "status", key, "voorstel"]) == 2
    assert "blijft zoals ze is" in capsys.readouterr().err
    # changing the rules or restoring makes a new concept; version 3 stays vastgesteld and unchanged
    assert main(["division", "rules", key, "--type", "wcp", "--parent", "gemeente"]) == 0
    assert main(["division", "restore", key, "1"]) == 0
    info = store.status_of(stored.meta.db_id)
    assert info.status == "concept" and info.vastgesteld == (3,) and info.version == 5
    again = store.open_version(stored.meta.db_id, 3)
    assert again.same_assignment(decided) and again.areas == decided.areas
    assert store.version_info(stored.meta.db_id, 3).status == "vastgesteld"
    assert main(["division", "status", key]) == 0
    assert "concept, versie 5. Vastgestelde versies: 3." in capsys.readouterr().out


def test_check_of_a_stored_division_uses_its_stored_rules(stored, capsys):
    key = f"db:{stored.name}"
    # Schoten (11040) and Wommelgem (11052) do not touch: a breach under any type
    assert main(["division", "check", key]) == 1
    out = capsys.readouterr().out
    assert "Type: Wijkcontactpunten" in out  # part of a level: guessed as WCPs
    assert main(["division", "rules", key, "--type", "vrij", "--skip", "samenhangend", "toegewezen"]) == 0
    capsys.readouterr()
    assert main(["division", "check", key]) == 0
    out = capsys.readouterr().out
    assert "Type: Vrije indeling" in out and "Uitgeschakelde regels: samenhangend, toegewezen." in out


def test_unknown_stored_division_is_a_clear_error(capsys):
    assert main(["division", "history", "db:bestaat-niet"]) == 2
    err = capsys.readouterr().err
    assert "Geen opgeslagen indeling 'bestaat-niet' gevonden." in err and "Traceback" not in err


def test_dossier_and_check_of_an_earlier_version(stored, tmp_path, capsys):
    """`db:<naam>@<versie>` reads one stored version (e.g. the vastgesteld one while a new concept exists)."""
    from pypdf import PdfReader

    store.save(stored.move(["11044"], "Rand"), who="Bert")  # version 2 assigns 11044
    key = f"db:{stored.name}"
    assert main(["division", "check", f"{key}@1"]) == 1  # breaches: a unit without an area, Rand in pieces
    first = capsys.readouterr().out
    assert main(["division", "check", key]) == 1  # Rand (Schoten, Stabroek, Wommelgem) is not one piece
    current = capsys.readouterr().out
    assert "3 van 4 eenheden toegewezen" in first and "4 van 4 eenheden toegewezen" in current
    out = tmp_path / "v1.pdf"
    assert main(["division", "dossier", f"{key}@1", "--uit", str(out), "--referentie", "geen"]) == 0
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Concept – een eerdere versie; de laatste is versie 2" in " ".join(text.split())
    capsys.readouterr()
    assert main(["division", "check", f"{key}@7"]) == 2
    assert "Versie 7 van deze indeling bestaat niet" in capsys.readouterr().err
