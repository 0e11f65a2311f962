"""Division import/export: row-level Dutch messages, nothing saved on bad files, round trips."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from geo.divisions import io as dio
from geo.divisions import store as store
from geo.divisions.division import Division
from geo.store.engine import init_db, make_engine

LEVEL = ["01001", "01002", "01003", "11002", "11040"]
OTHERS = {"wijk": ["11002P01", "11002P02"], "elz57": ["elz2", "elz7"]}


def run(text: str, filename: str = "indeling.csv", **kw) -> dio.ImportResult:
    return dio.import_division(
        text.encode("utf-8"), filename, "gemeente", "Test", level_codes=LEVEL, other_levels=OTHERS, **kw
    )


@pytest.fixture
def engine(tmp_path):
    eng = make_engine(f"sqlite:///{tmp_path / 'io.sqlite'}")
    init_db(eng)
    yield eng
    eng.dispose()


def test_valid_csv_keeps_leading_zeros_and_unassigned_rest():
    r = run("unit_code,area\n01001,Noord\n01002,Noord\n11002,Zuid\n")
    assert r.ok, r.errors
    d = r.division
    assert d.area_of("01001") == "Noord"
    assert d.units == tuple(LEVEL)
    assert d.unassigned() == ["01003", "11040"]
    only_file = run("unit_code,area\n01001,Noord\n11002,Zuid\n", scope="bestand")
    assert only_file.division.units == ("01001", "11002")


def test_semicolon_dutch_headers_and_blank_area():
    r = run("Code;Gebied\n01001;Noord\n01002;\n\n")
    assert r.ok
    assert r.division.area_of("01002") is None
    assert r.warnings == ["Rij 3: geen gebied voor code '01002'; de eenheid blijft zonder gebied."]


def test_bad_rows_give_row_level_messages():
    text = (
        "unit_code,area\n"
        "01001,Noord\n"  # row 2 ok
        ",Zuid\n"  # row 3 blank code
        "99999,Zuid\n"  # row 4 unknown
        "1002,Zuid\n"  # row 5 lost leading zero: read as 01002 (warning)
        "11002P01,Zuid\n"  # row 6 wrong level (wijk)
        "01001,Zuid\n"  # row 7 doubly assigned
        "11002.0,Zuid\n"  # row 8 number from Excel: read as 11002 (warning)
        "11040,Oost\n"
        "11040,Oost\n"  # row 10 plain duplicate
        '01003,"Antwerpen, Noord",x\n'  # row 11 an unquoted comma would have split the name
    )
    r = run(text)
    assert not r.ok and r.division is None
    assert r.errors == [
        "Rij 3: de code ontbreekt (gebied 'Zuid').",
        "Rij 4: code '99999' bestaat niet op niveau gemeente.",
        "Rij 6: '11002P01' is een code van niveau wijk, niet van niveau gemeente.",
        "Rij 7: code '01001' is dubbel toegewezen: rij 2 zegt 'Noord', deze rij zegt 'Zuid'.",
        "Rij 10: code '11040' staat er dubbel in (ook in rij 9).",
        "Rij 11: deze rij heeft 3 waarden maar er zijn maar 2 kolommen. Staat er een scheidingsteken (,) in "
        "een waarde zonder aanhalingstekens? Zet zo'n waarde tussen aanhalingstekens of bewaar het bestand "
        "als XLSX.",
    ]
    assert "1 code(s) voorloopnullen weggevallen: gelezen als de juiste code." in r.warnings
    assert "1 code(s) als getal opgeslagen (bv. 11002.0): gelezen als de juiste code." in r.warnings


def test_repaired_codes_are_read_as_the_right_code():
    r = run("unit_code;area\n1002;Noord\n11002.0;Zuid\n1,104E+04;Zuid\n")
    assert r.ok, r.errors
    assert r.division.area_of("01002") == "Noord"
    assert r.division.area_of("11002") == "Zuid" and r.division.area_of("11040") == "Zuid"


def test_most_rows_without_area_is_refused_with_the_reason():
    r = run("unit_code,area\n01001,Noord\n01002,\n01003,\n11040,\n11002,Zuid\n")  # merged cells as CSV
    assert not r.ok
    assert r.errors[0].startswith("3 van de 5 rijen hebben geen gebied terwijl rijen eronder er wel een")
    tail = run("unit_code,area\n01001,Noord\n11002,Zuid\n01002,\n01003,\n11040,\n")  # unassigned at the end
    assert tail.ok and tail.division.unassigned() == ["01002", "01003", "11040"]


def test_file_of_another_level_says_which_level():
    r = run("unit_code,area\n11002P01,A\n11002P02,B\n")
    assert r.errors[0].startswith("Dit bestand bevat vooral codes van niveau wijk")


def test_missing_columns_and_unreadable_files():
    r = run("omschrijving,gebied\nx,A\n")
    assert "code eenheid" in r.errors[0] and "Gevonden kolommen: 'omschrijving', 'gebied'" in r.errors[0]
    assert "niet ondersteund" in run("x", filename="indeling.pdf").errors[0]
    assert run("unit_code,area\n").errors == ["Het bestand bevat geen rijen met gegevens."]


def test_xlsx_with_numbers_that_lost_zeros():
    frame = pd.DataFrame({"unit_code": [1001, 11002], "area": ["A", "B"]})  # Excel numbers
    buf = io.BytesIO()
    frame.to_excel(buf, index=False)
    r = dio.import_division(buf.getvalue(), "x.xlsx", "gemeente", "T", level_codes=LEVEL, other_levels=OTHERS)
    assert r.ok, r.errors
    assert r.division.area_of("01001") == "A" and r.division.area_of("11002") == "B"
    assert "1 code(s) voorloopnullen weggevallen: gelezen als de juiste code." in r.warnings


def test_bad_import_saves_nothing_and_keeps_previous_data(engine):
    kw = {"engine": engine, "level_codes": LEVEL, "other_levels": OTHERS}
    good = dio.import_and_save(b"unit_code,area\n01001,Noord\n", "a.csv", "gemeente", "Bestaand", **kw)
    assert good.ok and good.division.meta.db_id is not None
    bad = dio.import_and_save(
        b"unit_code,area\n01001,Noord\n01001,Zuid\n", "b.csv", "gemeente", "Nieuw", **kw
    )
    assert not bad.ok and bad.errors
    listed = store.list_divisions(engine)
    assert listed["name"].tolist() == ["Bestaand"]
    assert store.open_division("Bestaand", engine).area_of("01001") == "Noord"


def test_csv_and_xlsx_export_round_trip():
    d = Division.from_mapping("Rond", "gemeente", LEVEL, {"01001": "Noord", "11002": "Zuid"})
    csv = dio.to_csv_bytes(d, names={"01001": "Één"})
    assert csv.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    back = dio.import_division(csv, "r.csv", "gemeente", "Terug", level_codes=LEVEL, other_levels=OTHERS)
    assert back.ok and back.division.same_assignment(d)
    xlsx = dio.to_xlsx_bytes(d, metrics=pd.DataFrame({"gebied": ["Noord"], "inwoners": [1]}))
    back2 = dio.import_division(xlsx, "r.xlsx", "gemeente", "Terug", level_codes=LEVEL, other_levels=OTHERS)
    assert back2.ok and back2.division.same_assignment(d)
    sheets = pd.read_excel(io.BytesIO(xlsx), sheet_name=None, dtype=str)
    assert list(sheets) == ["indeling", "gebieden", "info"]
    assert sheets["indeling"]["Code eenheid"].iloc[0] == "01001"
    assert csv.decode("utf-8-sig").splitlines()[0] == "Code eenheid;Naam eenheid;Gebied"


def test_geojson_properties_import():
    gj = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "01001", "gebied": "A"}, "geometry": None},
        {"type": "Feature", "properties": {"code": "nope", "gebied": "A"}, "geometry": None},
    ]}  # fmt: skip
    r = dio.import_division(json.dumps(gj).encode(), "x.geojson", "gemeente", "G", level_codes=LEVEL,
                            other_levels=OTHERS)  # fmt: skip
    assert r.errors == ["Object 2: code 'nope' bestaat niet op niveau gemeente."]


def test_detect_level():
    levels = {"gemeente": LEVEL, **OTHERS}
    assert dio.detect_level(["11002P01", "11002P02", "x"], levels) == "wijk"
    assert dio.detect_level(["x", "y"], levels) is None


def test_dissolved_geojson_of_real_areas():
    from geo.data import units
    from geo.divisions.references import reference_division

    if not units.is_built():
        pytest.fail("Gegevens niet opgebouwd: voer `make data` uit.")
    d = reference_division("swv2021_gemeente")
    data = json.loads(dio.to_geojson_bytes(d, pd.DataFrame({"gebied": list(d.areas), "n": range(16)})))
    assert len(data["features"]) == 16
    props = {f["properties"]["gebied"]: f["properties"] for f in data["features"]}
    assert props["Groot Antwerpen"]["n"] == d.areas.index("Groot Antwerpen")
    from shapely.geometry import shape

    west, south, east, north = shape(data["features"][0]["geometry"]).bounds  # EPSG:4326 lon/lat
    assert 2.5 < west < east < 6 and 50.6 < south < north < 51.6
    with pytest.raises(Exception, match="geen kaartvlakken"):
        dio.dissolve(reference_division("wcp_postcode"))
