"""The dossier's download builders run on the click, in a server thread outside the session: they build for
the user of the run that drew the button, not for whoever the thread would find."""

from __future__ import annotations

import threading

import pandas as pd

from geo.divisions.division import Division
from geo.reports import dossier
from geo.store.access import Actor
from geo_app import auth, reports

SIGNED_IN = Actor(user="planner@voorbeeld.be", workspace="antwerpen")
ELSEWHERE = Actor(user="lokale gebruiker", workspace="lokaal", local=True)


def built_for(monkeypatch, division: Division) -> list:
    seen: list = []
    monkeypatch.setattr(auth, "actor", lambda: SIGNED_IN)
    monkeypatch.setattr(dossier, "build", lambda d, options, actor=None: seen.append(actor) or "dossier")
    monkeypatch.setattr(dossier, "xlsx_bytes", lambda d: b"xlsx")
    monkeypatch.setattr(reports.pdf, "render", lambda d: b"pdf")
    make_pdf, make_xlsx = reports.builders(division, dossier.DossierOptions())
    monkeypatch.setattr(auth, "actor", lambda: ELSEWHERE)  # what a thread without the session would see
    results: list = []
    worker = threading.Thread(target=lambda: results.extend([make_pdf(), make_xlsx()]))
    worker.start()
    worker.join()
    assert results == [b"pdf", b"xlsx"]
    return seen


def test_stored_division_is_built_for_the_user_of_the_run(monkeypatch):
    stored = Division.from_mapping("Test", "gemeente", ["11002"], {"11002": "A"}).with_meta(
        db_id=7, version=2
    )
    assert built_for(monkeypatch, stored) == [SIGNED_IN, SIGNED_IN]


def test_unsaved_division_needs_no_user(monkeypatch):
    assert built_for(monkeypatch, Division.from_mapping("Test", "gemeente", ["11002"], {"11002": "A"})) == [
        None,
        None,
    ]


def test_options_take_the_register_and_caseload_the_page_read(monkeypatch):
    def read_again():
        raise AssertionError("read from the database a second time in the same run")

    monkeypatch.setattr(reports, "loaded_partners", read_again)
    monkeypatch.setattr(reports, "loaded_caseload", read_again)
    partners = pd.DataFrame({"naam": ["CLB Noord"]})
    options = reports.dossier_options("test_dossier", loaded=(partners, None, None))
    assert options.partners is partners and options.cases is None and options.cases_level is None


def test_small_map_is_drawn_once_per_assignment(monkeypatch):
    from geo.divisions.references import reference_division

    builds = []
    real = reports.static_map.build
    monkeypatch.setattr(
        reports.static_map, "build", lambda d, *a, **k: builds.append(d.name) or real(d, *a, **k)
    )
    monkeypatch.setattr(reports.st, "image", lambda *a, **k: None)
    reports._small_svg.clear()
    division = reference_division("swv2021_gemeente")
    renamed = division.with_meta(name="kopie")  # same assignment under another name: the same map
    other = reference_division("elz57_gemeente")
    for d in (division, division, renamed, other, division):
        reports.small_map(d)
    assert builds == [division.name, other.name]
