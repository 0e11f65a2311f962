"""Partner files: reading, row-level validation, export round trip, OSM example loader."""

import json

import pandas as pd
import pytest

from geo.errors import UserFacingError
from geo.partners.io import (
    OSM_TYPE_MAP,
    Place,
    PlaceIndex,
    export_csv,
    export_xlsx,
    load_osm_example,
    read_table,
    template_frame,
    validate_partners,
)
from geo.partners.register import OSM_EXAMPLE_LABEL, PARTNER_TYPES, wgs84_to_lambert

ANTWERPEN_XY = (152000.0, 212000.0)
LEUVEN_XY = (173300.0, 174500.0)


@pytest.fixture
def places():
    return PlaceIndex(
        [
            Place("11002", "Antwerpen", *ANTWERPEN_XY),
            Place("24062", "Leuven", *LEUVEN_XY),
            Place("21004", "Brussel / Bruxelles", 149000.0, 170500.0),
        ],
        postcodes=[Place("2060", "2060", 154000.0, 213500.0)],
        aliases={"Kessel-Lo": "24062"},
    )


def _csv(text: str) -> pd.DataFrame:
    return read_table(text.encode("utf-8"), "p.csv")


def _messages(result):
    return {m.row: m.text for m in result.messages if m.level == "fout"}


def test_valid_file_with_all_location_kinds(places):
    raw = _csv(
        "naam;type;gefinancierd;lat;lon;x;y;postcode;gemeente;betrokkenheid\n"
        "CLB Noord;clb;nee;51,2194;4,4025;;;;;Noord: structureel\n"
        "CAW Leuven;CAW;;;;173000;174000;;;\n"
        "HvhK 2060;Huis van het Kind;nee;;;;;2060;;\n"
        "Sociaal huis;OCMW;;;;;;3010;Kessel-Lo;Oost: stuurgroep\n"
        "Buurtwerk;burgerinitiatief;;;;;;;Bruxelles;\n"
    )
    res = validate_partners(raw, places)
    assert res.ok, [str(m) for m in res.messages]
    p = res.partners
    assert len(p) == 5
    assert p["type"].tolist() == ["CLB", "CAW", "Huis van het Kind", "OCMW/sociaal huis", "burgerinitiatief"]
    # CAW is funded by default, the others are plus-partners
    assert p["gefinancierd"].tolist() == [False, True, False, False, False]
    assert p["benaderd"].tolist() == [False, False, True, True, True]
    assert p["locatiebron"].tolist() == ["coördinaten", "lambert", "postcode", "gemeente", "gemeente"]
    x, y = wgs84_to_lambert(51.2194, 4.4025)
    assert p.loc[0, "x"] == pytest.approx(float(x)) and p.loc[0, "y"] == pytest.approx(float(y))
    assert (p.loc[2, "x"], p.loc[2, "y"]) == (154000.0, 213500.0)
    assert (p.loc[3, "x"], p.loc[3, "y"]) == LEUVEN_XY and p.loc[3, "gemeente"] == "24062"
    assert p.loc[4, "gemeente"] == "21004"
    assert p.loc[0, "betrokkenheid"] == "Noord: structureel"
    # the postcode outside Antwerp is kept but placed in the municipality, with a warning
    warn = [str(m) for m in res.warnings]
    assert any(m.startswith("Rij 5:") and "centrum van Leuven" in m for m in warn)


def test_missing_columns_are_reported_for_the_file(places):
    res = validate_partners(_csv("naam;soortje;plaats\nA;CLB;Gent\n"), places)
    assert not res.ok and res.partners.empty
    text = str(res.errors[0])
    assert "kolom 'type' ontbreekt" in text.lower()
    assert "geen locatiekolommen" in text and "soortje" in text


def test_row_errors_name_the_row_and_the_problem(places):
    raw = _csv(
        "naam,type,lat,lon,x,y,gemeente,postcode,betrokkenheid\n"
        "Goed,CLB,51.0,4.0,,,,,\n"  # row 2 ok
        "Jeugdhuis X,jeugdhuis,51.0,4.1,,,,,\n"  # row 3 unknown type
        "Omgekeerd,CLB,4.40,51.22,,,,,\n"  # row 4 swapped lat/lon
        "Parijs,CLB,48.85,2.35,,,,,\n"  # row 5 outside Belgium
        ",CAW,51.0,4.2,,,,,\n"  # row 6 no name
        "Lambert verkeerd,CAW,,,110000,280000,,,\n"  # row 7 swapped x/y (Sankt Vith)
        "Gemeente fout,CAW,,,,,Antwerpn,,\n"  # row 8 unknown municipality (suggestion)
        "Enkel postcode,CAW,,,,,,9000,\n"  # row 9 postcode without municipality
        "Slechte betrokkenheid,CAW,51.0,4.3,,,,,Noord: soms\n"  # row 10
        "Goed,CLB,51.0,4.0,,,,,\n"  # row 11 duplicate of row 2
        "Half,CLB,51.0,,,,,,\n"  # row 12 only lat
    )
    res = validate_partners(raw, places)
    msgs = _messages(res)
    assert set(msgs) == {3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
    assert "onbekend type 'jeugdhuis'" in msgs[3]
    assert "omgewisseld" in msgs[4] and "lat 4,4000" in msgs[4]
    assert "buiten België" in msgs[5]
    assert "naam ontbreekt" in msgs[6]
    assert "x en y lijken omgewisseld" in msgs[7]
    assert "onbekende gemeente 'Antwerpn'" in msgs[8] and "Bedoelt u 'Antwerpen'" in msgs[8]
    assert "postcode 9000" in msgs[9] and "Vul ook de gemeente in" in msgs[9]
    assert "soms" in msgs[10]
    assert "dubbel" in msgs[11] and "rij 2" in msgs[11]
    assert "zowel lat als lon" in msgs[12]
    assert res.partners["naam"].tolist() == ["Goed"]
    assert str(res.errors[0]).startswith("Rij 3: ")


def test_fix_swapped_turns_the_error_into_a_warning(places):
    raw = _csv("naam,type,lat,lon\nOmgekeerd,CLB,4.40,51.22\n")
    res = validate_partners(raw, places, fix_swapped=True)
    assert res.ok and len(res.warnings) == 1
    assert res.partners.loc[0, "lat"] == pytest.approx(51.22)


def test_duplicates_against_existing_register(places):
    first = validate_partners(_csv("naam,type,gemeente\nCAW Leuven,CAW,Leuven\n"), places).partners
    again = validate_partners(_csv("naam,type,gemeente\ncaw leuven,CAW,24062\n"), places, existing=first)
    assert not again.ok and "het register" in str(again.errors[0])


def test_lambert_columns_holding_degrees_are_refused(places):
    res = validate_partners(_csv("naam,type,x,y\nA,CLB,4.4,51.2\n"), places)
    assert "lijken graden" in str(res.errors[0])


def test_export_round_trip_keeps_partners(places, tmp_path):
    raw = _csv(
        "naam;type;lat;lon;gemeente;betrokkenheid\n"
        "CLB Noord;CLB;51,2194;4,4025;;Noord: structureel\n"
        "Sociaal huis;OCMW;;;Leuven;\n"
    )
    original = validate_partners(raw, places).partners
    again = validate_partners(read_table(export_csv(original), "x.csv"), places)
    assert again.ok, [str(m) for m in again.messages]
    cols = ["naam", "type", "gefinancierd", "benaderd", "locatiebron", "gemeente", "betrokkenheid"]
    pd.testing.assert_frame_equal(again.partners[cols], original[cols])
    assert again.partners["x"].tolist() == pytest.approx(original["x"].tolist(), abs=0.2)
    xlsx = read_table(export_xlsx(original), "x.xlsx")
    assert xlsx.frame["naam"].tolist() == ["CLB Noord", "Sociaal huis"]
    header = export_csv(original).decode("utf-8-sig").splitlines()[0]
    assert header.startswith("ID;Naam;Type;Gefinancierd (ja/nee);Breedtegraad (WGS84);")
    assert validate_partners(xlsx, places).ok


def test_xlsx_codes_stay_strings(places, tmp_path):
    path = tmp_path / "p.xlsx"
    pd.DataFrame({"naam": ["A"], "type": ["CAW"], "postcode": [2060], "gemeente": [24062]}).to_excel(
        path, index=False
    )
    res = validate_partners(read_table(path), places)
    assert res.ok, [str(m) for m in res.messages]
    assert res.partners.loc[0, "postcode"] == "2060"


def test_template_is_valid(places):
    raw = read_table(template_frame().to_csv(index=False).encode(), "t.csv")
    res = validate_partners(raw, places)
    assert res.ok, [str(m) for m in res.messages]
    assert len(res.partners) == 3


def test_unreadable_files_raise_user_errors():
    with pytest.raises(UserFacingError, match="leeg"):
        read_table(b"   ", "a.csv")
    with pytest.raises(UserFacingError, match="Excel"):
        read_table(b"PK\x03\x04 not really", "a.xlsx")


def test_osm_example_maps_types_and_labels(tmp_path):
    features = [
        {"type": "Feature", "properties": {"osm_id": "1", "name": "School A", "osm_type": "school"},
         "geometry": {"type": "Point", "coordinates": [4.40, 51.21]}},
        {"type": "Feature", "properties": {"osm_id": "2", "name": None, "osm_type": "doctors"},
         "geometry": {"type": "Point", "coordinates": [4.41, 51.22]}},
        {"type": "Feature", "properties": {"osm_id": "3", "name": "Bib", "osm_type": "library"},
         "geometry": {"type": "Point", "coordinates": [4.42, 51.23]}},
        {"type": "Feature", "properties": {"osm_id": "4", "name": "Paris", "osm_type": "school"},
         "geometry": {"type": "Point", "coordinates": [2.35, 48.85]}},
    ]  # fmt: skip
    path = tmp_path / "osm.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    p = load_osm_example(path)
    assert p["type"].tolist() == ["school", "huisarts"]
    assert p.loc[1, "naam"] == "(naamloos, OSM 2)"
    assert p["bron"].str.startswith(OSM_EXAMPLE_LABEL).all()
    assert not p["gefinancierd"].any()
    assert set(v for v in OSM_TYPE_MAP.values() if v) <= set(PARTNER_TYPES)


def test_place_index_from_built_data_places_antwerp_postcodes():
    places = PlaceIndex.from_units()
    assert len(places.municipalities) == 304
    assert places.municipality("Gent").code == "44021"
    assert places.municipality("gent ").code == "44021"
    assert len(places.postcodes) == 17
    # Deurne (2100) lies around 51.22 N, 4.46 E
    x, y = wgs84_to_lambert(51.22, 4.46)
    deurne = places.postcodes["2100"]
    assert abs(deurne.x - float(x)) < 2500 and abs(deurne.y - float(y)) < 2500
    assert deurne.gemeente == "11002" and places.postcodes["2900"].gemeente == "11040"
    res = validate_partners(
        read_table(b"naam,type,postcode\nHvhK Deurne,Huis van het Kind,2100\n", "a.csv"), places
    )
    assert res.ok and res.partners.loc[0, "gemeente"] == "11002" and res.partners.loc[0, "benaderd"]


def test_preview_before_saving_asks_to_confirm_a_smaller_register(places):
    from geo.partners.io import preview

    result = validate_partners(read_table(b"naam;type;gemeente\nCAW Leuven;CAW;Leuven\n", "een.csv"), places)
    plan = preview(result, replace=True, stored=3)
    assert plan.confirm == "het register telt nu 3 partners; na vervangen zijn dat er 1 (2 minder)."
    assert plan.effect == "Vervangt het register van 3 partner(s) door deze 1."
    assert plan.sample["Naam"].tolist() == ["CAW Leuven"] and plan.can_store
    assert ("naam", "naam") in plan.columns and "een.csv" in plan.source
    assert preview(result, replace=False, stored=3).confirm is None
    empty = validate_partners(read_table(b"naam;type;gemeente\n", "leeg.csv"), places)
    assert not preview(empty, replace=True, stored=3).can_store
