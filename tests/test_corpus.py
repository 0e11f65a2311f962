"""Every file of the corpus (`tests/corpus/files/`, made by `tests/corpus/make_corpus.py`) gets the
outcome written next to it in `tests/corpus/expected.csv`, through the same entry points the app and the
CLI use. Plus the 200,000-row files, and rejected imports that must leave the database byte-identical."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

from geo.caseload import cases as cl
from geo.caseload.io import read_capacity_file, read_caseload
from geo.data import units
from geo.divisions import io as division_io
from geo.errors import UserFacingError
from geo.partners import io as partner_io

pytestmark = pytest.mark.usefixtures("built")  # the built data, or a clear failure

CORPUS = Path(__file__).resolve().parent / "corpus"
FILES = CORPUS / "files"
CAPACITY_AREAS = ["Noord", "Zuid"]


@dataclass
class Outcome:
    status: str  # ok, fouten, geweigerd, onleesbaar
    count: int | None
    errors: list[str]
    warnings: list[str]

    def text(self) -> str:
        return "\n".join(self.errors + self.warnings)


def _expected() -> list[dict]:
    with (CORPUS / "expected.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def _failure(exc: UserFacingError) -> Outcome:
    text = str(exc)
    return Outcome("geweigerd" if text.startswith("Bestand geweigerd") else "onleesbaar", None, [text], [])


@lru_cache(maxsize=1)
def _places():
    return partner_io.PlaceIndex.from_units()


def run_indeling(content: bytes, name: str, level: str) -> Outcome:
    result = division_io.import_division(content, name, level, "corpus", scope="bestand")
    if result.ok:
        d = result.division
        return Outcome("ok", len(d.units) - len(d.unassigned()), [], result.warnings)
    first = result.errors[0]
    if first.startswith("Bestand geweigerd"):
        status = "geweigerd"
    elif result.preview is not None and result.preview.refused and not result.preview.messages:
        status = "onleesbaar"
    else:
        status = "fouten"
    return Outcome(status, None, result.errors, result.warnings)


def run_partners(content: bytes, name: str, level: str) -> Outcome:
    try:
        table = partner_io.read_table(content, name)
    except UserFacingError as exc:
        return _failure(exc)
    result = partner_io.validate_partners(table, _places())
    errors = [str(m) for m in result.errors]
    warnings = [str(m) for m in result.warnings]
    if result.ok:
        return Outcome("ok", len(result.partners), errors, warnings)
    return Outcome("fouten", None, errors, warnings)


def run_caseload(content: bytes, name: str, level: str) -> Outcome:
    try:
        table = read_caseload(content, name)
    except UserFacingError as exc:
        return _failure(exc)
    codes = {
        lvl: units.load_table(lvl)["code"].astype(str) for lvl in ("gemeente", "wijk", "postcode_antwerpen")
    }
    result = cl.validate_caseload(
        table,
        codes,
        level=level or None,
        successors={"gemeente": division_io.successors_of_level("gemeente")},
    )
    errors = [str(m) for m in result.errors]
    warnings = [str(m) for m in result.messages if m.level != "fout"]
    if result.ok:
        return Outcome("ok", int(result.cases["aanmeldingen"].sum()), errors, warnings)
    return Outcome("fouten", None, errors, warnings)


def run_capaciteit(content: bytes, name: str, level: str) -> Outcome:
    try:
        table = read_capacity_file(content, name)
    except UserFacingError as exc:
        return _failure(exc)
    capacity, messages = cl.read_capacity(table, CAPACITY_AREAS)
    errors = [str(m) for m in messages if m.level == "fout"]
    warnings = [str(m) for m in messages if m.level != "fout"]
    return Outcome("fouten" if errors else "ok", None if errors else len(capacity), errors, warnings)


RUNNERS = {
    "indeling": run_indeling,
    "partners": run_partners,
    "caseload": run_caseload,
    "capaciteit": run_capaciteit,
}
CASES = _expected()


def test_corpus_is_large_and_covers_every_kind_and_outcome():
    assert len(CASES) >= 120
    assert {c["soort"] for c in CASES} == set(RUNNERS)
    for kind in RUNNERS:
        outcomes = {c["uitkomst"] for c in CASES if c["soort"] == kind}
        assert {"ok", "fouten", "geweigerd"} <= outcomes, kind
    assert all((FILES / c["bestand"]).is_file() for c in CASES)


def test_committed_corpus_is_what_the_generator_writes():
    """`make_corpus.py` is where every case is written by hand: `expected.csv` and the committed files must
    not drift from it (XLSX files differ in their stored creation time only, so their rows are compared)."""
    from corpus import make_corpus

    made = {c.name: c for c in make_corpus.CASES}
    assert [c["bestand"] for c in CASES] == list(made)
    for row in CASES:
        case = made[row["bestand"]]
        count = "" if case.count is None else str(case.count)
        assert [row["soort"], row["niveau"], row["uitkomst"], row["aantal"], row["melding"]] == [
            case.kind, case.level, case.outcome, count, case.message
        ], case.name  # fmt: skip
        assert row["niet_in_melding"] == case.absent, case.name
        committed = (FILES / case.name).read_bytes()
        if case.name.endswith(".xlsx") and committed[:2] == b"PK":
            assert _sheets(committed) == _sheets(case.data), case.name
        else:
            assert committed == case.data, case.name


def _sheets(data: bytes) -> dict:
    """The rows of every sheet of a workbook (a deliberately broken one: its size)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - e.g. the truncated workbook of the corpus
        return {"grootte": len(data)}
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


@pytest.mark.parametrize("case", CASES, ids=[c["bestand"] for c in CASES])
def test_corpus_file(case):
    content = (FILES / case["bestand"]).read_bytes()
    outcome = RUNNERS[case["soort"]](content, case["bestand"], case["niveau"])
    assert outcome.status == case["uitkomst"], outcome.text()
    if case["aantal"]:
        assert outcome.count == int(case["aantal"]), outcome.text()
    if case["melding"]:
        assert case["melding"] in outcome.text(), outcome.text()
    if case["niet_in_melding"]:
        assert case["niet_in_melding"] not in outcome.text()
    assert "Traceback" not in outcome.text()


# ---------------------------------------------------------------------------------------------- storage
REJECTED_PARTNERS = [c["bestand"] for c in CASES if c["soort"] == "partners" and c["uitkomst"] != "ok"]
REJECTED_DIVISIONS = [c["bestand"] for c in CASES if c["soort"] == "indeling" and c["uitkomst"] != "ok"]


@pytest.fixture
def own_database(tmp_path, monkeypatch):
    """A fresh SQLite database for the CLI; `snapshot()` closes every connection and returns its bytes."""
    from geo.store import engine as eng

    path = tmp_path / "eigen.sqlite"
    monkeypatch.setenv("GEO_DB_PATH", str(path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    eng.get_engine.cache_clear()

    def snapshot() -> bytes:
        eng.get_engine().dispose()  # last connection closed: the write-ahead log is folded in
        eng.get_engine.cache_clear()
        return path.read_bytes()

    yield snapshot
    eng.get_engine.cache_clear()


def test_rejected_imports_leave_the_database_byte_identical(own_database, capsys):
    from geo.cli.main import main

    assert main(["partners", "import", str(FILES / "par_basis.csv"), "--replace"]) == 0
    assert main(["division", "import", str(FILES / "ind_utf8.csv"), "--naam", "Bewaard"]) == 0
    before = own_database()
    for name in REJECTED_PARTNERS:
        for extra in ([], ["--replace"], ["--replace", "--force"]):
            assert main(["partners", "import", str(FILES / name), *extra]) != 0, name
    for name in REJECTED_DIVISIONS:
        assert (
            main(
                [
                    "division",
                    "import",
                    str(FILES / name),
                    "--level",
                    "gemeente",
                    "--vervang",
                    "db:Bewaard",
                    "--force",
                ]
            )
            != 0
        ), name
        assert (
            main(["division", "import", str(FILES / name), "--level", "gemeente", "--naam", "Nieuw"]) != 0
        ), name
    # a valid file with fewer rows than stored, without --force
    assert main(["partners", "import", str(FILES / "par_adres_vestiging.csv"), "--replace"]) == 1
    assert (
        main(
            [
                "division",
                "import",
                str(FILES / "ind_wetenschappelijke_notatie.csv"),
                "--vervang",
                "db:Bewaard",
            ]
        )
        == 1
    )
    capsys.readouterr()
    assert own_database() == before
    assert len(REJECTED_PARTNERS) >= 10 and len(REJECTED_DIVISIONS) >= 15


# ---------------------------------------------------------------------------------------------- 200,000 rows
@pytest.fixture(scope="module")
def wijken() -> list[str]:
    return units.load_table("wijk")["code"].astype(str).tolist()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_caseload_of_200000_rows(wijken, fmt):
    from corpus import big

    rows, total = big.caseload_rows(wijken)
    header = ["wijk", "maand", "verwijzer", "aanmeldingen"]
    data = big.csv_bytes(header, rows) if fmt == "csv" else big.xlsx_bytes(header, rows)
    outcome = run_caseload(data, f"groot.{fmt}", "")
    assert outcome.status == "ok", outcome.text()[:500]
    assert outcome.count == total


def test_partner_register_of_200000_rows():
    from corpus import big

    data = big.csv_bytes(["naam", "type", "lat", "lon"], big.partner_rows())
    outcome = run_partners(data, "groot.csv", "")
    assert outcome.status == "ok" and outcome.count == big.ROWS


def test_division_of_200000_rows_with_repeats_is_refused_with_capped_messages(wijken):
    from corpus import big

    data = big.csv_bytes(["unit_code", "area"], big.division_rows(wijken))
    outcome = run_indeling(data, "groot.csv", "wijk")
    assert outcome.status == "fouten"
    assert (
        "Rij 2769: code '11001W01' staat er dubbel in (ook in rij 2)." in outcome.errors
    )  # 2767 wijken + header
    assert outcome.errors[-1] == f"… en nog {big.ROWS - len(wijken) - 200} meldingen."
