"""Validity gate: each rule on hand-made grids, then broken real divisions flagged by the right rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from gridgraph import grid_edges

from geo.divisions import validity
from geo.divisions.division import Division
from geo.divisions.metrics import UnitData
from geo.divisions.validity import FOUT, INFO, UITZONDERING, GateSettings, check
from geo.errors import UserFacingError

# ---------------------------------------------------------------------- hand-made 3 x 4 grid
#   U00 U01 | U02 U03      zone Z1 = columns 0-1, zone Z2 = columns 2-3
#   U10 U11 | U12 U13      gemeente G1 = rows 0-1 of zone Z1, G2 = row 2 of Z1, G3 = zone Z2
#   U20 U21 | U22 U23      district D1 = U02, U03 (inside G3); the rest of G3 has no district


def grid_data(exception: str | None = None) -> UnitData:
    codes = [f"U{r}{c}" for r in range(3) for c in range(4)]
    table = pd.DataFrame({"code": codes, "naam": [f"Cel {c}" for c in codes]})
    table["inwoners"] = [100.0 * (i + 1) for i in range(12)]
    table["elz"] = ["Z1" if int(c[2]) < 2 else "Z2" for c in codes]
    table["gemeente"] = [("G1" if int(c[1]) < 2 else "G2") if int(c[2]) < 2 else "G3" for c in codes]
    table["district"] = [("D1" if c in ("U02", "U03") else None) for c in codes]
    edges = grid_edges(codes, 3, 4)
    if exception:  # an isolated extra unit belonging to an exception municipality (like Voeren)
        extra = {
            "code": exception,
            "naam": "Exclave",
            "inwoners": 5.0,
            "elz": "Z2",
            "gemeente": exception[:5],
        }
        table = pd.concat([table, pd.DataFrame([extra])], ignore_index=True)
    names = {"elz": {"Z1": "Zone een", "Z2": "Zone twee"}, "gemeente": {"G1": "Eerste", "G3": "Derde"}}
    return UnitData.from_frames("wijk", table, edges, parent_names=names)


def by_zone(data: UnitData) -> Division:
    zone = dict(zip(data.codes, data.parents["elz"], strict=True))
    return Division.from_mapping("zones", data.level, data.codes, {c: f"Gebied {z}" for c, z in zone.items()})


def breaches(result: validity.CheckResult) -> list[tuple[str, tuple[str, ...]]]:
    return [(f.rule, f.units) for f in result.breaches]


def test_a_division_of_whole_contiguous_zones_passes():
    data = grid_data()
    result = check(by_zone(data), data, GateSettings("swv"))
    assert result.ok and result.findings == ()
    assert result.split_counts == {"gemeente": 0, "district": 0, "elz": 0}
    assert result.rules == (
        "toegewezen",
        "niet_leeg",
        "samenhangend",
        "hele_zones",
        "doelband",
        "splitsingen",
    )


def test_unassigned_units_and_empty_areas():
    data = grid_data()
    div = by_zone(data).move(["U00", "U23"], None).create_area("Leeg")
    result = check(div, data, GateSettings("swv"))
    assert breaches(result) == [("toegewezen", ("U00", "U23")), ("niet_leeg", ())]
    assert "2 eenheden zonder gebied: Cel U00, Cel U23" in result.breaches[0].message
    assert result.breaches[1].areas == ("Leeg",)


def test_a_detached_part_is_a_breach_that_selects_the_smaller_part():
    data = grid_data()
    # U20 goes to zone 2's area: it touches nothing there
    div = by_zone(data).move(["U20"], "Gebied Z2")
    result = check(div, data, GateSettings("vrij"))
    found = [f for f in result.breaches if f.rule == "samenhangend"]
    assert len(found) == 1
    assert found[0].units == ("U20",) and found[0].areas == ("Gebied Z2",)
    assert "2 losse delen" in found[0].message and "ligt 1 eenheid" in found[0].message


def test_known_exception_is_listed_not_an_error():
    data = grid_data(exception="73109W01")
    div = by_zone(data)  # the exclave sits alone in zone 2's area
    result = check(div, data, GateSettings("swv"))
    assert result.ok
    [exc] = [f for f in result.findings if f.severity == UITZONDERING]
    assert exc.rule == "samenhangend" and exc.units == ("73109W01",) and "Voeren" in exc.message


def test_swv_must_be_whole_zones_unless_allowed():
    data = grid_data()
    div = by_zone(data).move(["U01", "U11"], "Gebied Z2")  # two cells of zone 1 join zone 2's area
    result = check(div, data, GateSettings("swv"))
    [zone] = [f for f in result.findings if f.rule == "hele_zones"]
    assert zone.severity == FOUT and zone.parent == "Z1"
    assert zone.units == ("U01", "U11")  # the minority of zone 1, to select
    assert zone.areas == ("Gebied Z1", "Gebied Z2")
    assert "Zone een (Z1) is verdeeld over 2 gebieden" in zone.message
    allowed = check(div, data, GateSettings("swv", allowed_splits=("Z1",)))
    assert allowed.ok
    assert [f.severity for f in allowed.findings if f.rule == "hele_zones"] == [INFO]
    # the municipality G1 is split too: reported as a figure, not an error
    assert allowed.split_counts["gemeente"] == 1
    assert any(f.rule == "splitsingen" and f.parent == "G1" for f in allowed.findings)


def test_wcp_keeps_districts_and_municipalities_whole():
    data = grid_data()
    mapping = {c: "Oost" if c[2] in "23" else "West" for c in data.codes}
    mapping["U03"] = "West2"  # district D1 (U02, U03) split
    mapping["U13"] = "West2"  # and municipality G3 outside the district too
    div = Division.from_mapping("wcp", data.level, data.codes, mapping)
    result = check(div, data, GateSettings("wcp", parent_level="district"))
    found = {f.parent: f for f in result.findings if f.rule == "ouder_niet_gesplitst"}
    assert set(found) == {"D1", "G3"}  # G3 = the wijken of G3 without a district
    assert found["D1"].severity == FOUT and "district" in found["D1"].message.lower()
    assert found["G3"].message.startswith("Gemeente Derde (G3)")
    ok = check(div, data, GateSettings("wcp", parent_level="district", allowed_splits=("D1", "G3")))
    assert not [f for f in ok.breaches if f.rule == "ouder_niet_gesplitst"]


def test_population_band_absolute_and_relative():
    data = grid_data()
    div = by_zone(data)
    # zone 1: cells 1,2,5,6,9,10 x 100 = 3300; zone 2: 4500
    values = {"Gebied Z1": 3300.0, "Gebied Z2": 4500.0}
    result = check(div, data, GateSettings("swv", band_low=3500, band_high=5000))
    assert [(f.rule, f.areas) for f in result.breaches] == [("doelband", ("Gebied Z1",))]
    assert "3.300 inwoners, onder de doelband (3.500 tot 5.000)" in result.breaches[0].message
    mean = np.mean(list(values.values()))
    rel = check(div, data, GateSettings("swv", band_pct=10))  # 3510 .. 4290: both outside
    assert {f.areas[0] for f in rel.breaches} == {"Gebied Z1", "Gebied Z2"}
    assert validity.band_limits(validity.CheckInput(div, data, rel.settings))[:2] == pytest.approx(
        (0.9 * mean, 1.1 * mean)
    )
    both = check(div, data, GateSettings("swv", band_low=4000, band_pct=20))  # max(4000, 3120) .. 4680
    assert [f.areas for f in both.breaches] == [("Gebied Z1",)]
    unknown = check(div, data, GateSettings("swv", band_column="pop_0_24", band_high=1))
    assert unknown.ok and unknown.findings[0].severity == INFO


def test_rules_can_be_switched_off_and_settings_round_trip():
    data = grid_data()
    div = by_zone(data).move(["U00"], None)
    assert not check(div, data, GateSettings("vrij")).ok
    off = check(div, data, GateSettings("vrij", skip=("toegewezen",)))
    assert off.ok and "toegewezen" not in off.rules
    s = GateSettings("wcp", band_low=10.0, band_pct=5.0, allowed_splits=("11002Z",), skip=("doelband",))
    assert GateSettings.from_dict(s.to_dict()) == s
    assert GateSettings.from_dict({"kind": "vrij", "unknown_key": 1}) == GateSettings("vrij")
    for bad in ({"kind": "x"}, {"band_low": 5, "band_high": 1}, {"band_pct": -1}, {"parent_level": "x"}):
        with pytest.raises(UserFacingError):
            GateSettings(**bad)


def test_result_table_has_one_row_per_finding_in_dutch():
    data = grid_data()
    result = check(by_zone(data).move(["U00"], None), data, GateSettings("swv"))
    table = result.table()
    assert list(table.columns) == ["Regel", "Ernst", "Gebied(en)", "Eenheden", "Melding", "Codes"]
    assert table.loc[0, "Ernst"] == "Fout" and table.loc[0, "Codes"] == "U00"
    assert result.summary().startswith("1 overtreding van 1 regel")


# ---------------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def gemeenten():
    from geo.data import units

    if not units.is_built():
        pytest.fail("Gegevens niet opgebouwd: voer `make data` uit.")
    return UnitData.load("gemeente"), units.load_table("gemeente")


@pytest.fixture(scope="module")
def swv2021():
    from geo.divisions.references import reference_division

    return reference_division("swv2021_gemeente")


def test_the_2021_swv_division_is_valid_with_zero_zone_splits(gemeenten, swv2021):
    data, _ = gemeenten
    result = check(swv2021, data, GateSettings("swv"))
    assert result.ok, result.breaches
    assert result.split_counts == {"elz57": 0}
    assert not [f for f in result.findings if f.rule in ("hele_zones", "splitsingen")]
    assert [f.units for f in result.findings if f.severity == UITZONDERING] == [("73109",)]  # Voeren


def test_the_2021_swv_division_on_wijken_has_zero_zone_splits():
    from geo.data import facts, units
    from geo.divisions.references import reference_division

    wijken = units.load_table("wijk")
    swv = facts.swv_of_elz57()
    mapping = {c: swv[z] for c, z in zip(wijken["code"].astype(str), wijken["elz57"], strict=True)}
    div = Division.from_mapping("swv wijk", "wijk", wijken["code"].astype(str), mapping)
    result = check(div, UnitData.load("wijk"), GateSettings("swv"))
    assert result.ok, result.breaches
    assert result.split_counts["elz"] == 0 and result.split_counts["gemeente"] == 0
    # and the reference on the zones themselves
    elz = reference_division("swv2021_elz57")
    assert check(elz, UnitData.load("elz57"), GateSettings("swv")).ok


def test_the_2021_swv_division_on_the_municipalities_of_that_time_has_zero_zone_splits():
    from geo.divisions.references import reference_division

    div = reference_division("swv2021_gemeente2024")
    result = check(div, UnitData.load(div.level), GateSettings("swv"))
    assert result.ok, result.breaches
    assert result.split_counts["elz57"] == 0
    # the 2025 mergers put some 2019-2024 municipalities of two SWVs into one municipality: a figure only
    merged = [f for f in result.findings if f.rule == "splitsingen"]
    assert merged and all(f.message.startswith("Gemeente (2025)") for f in merged)


def neighbour_in_other_swv(data: UnitData, table: pd.DataFrame, div: Division) -> tuple[str, str]:
    """A municipality (in a zone of several municipalities) on the border of its SWV, and the SWV next
    door."""
    zone_size = table.groupby("elz57")["code"].transform("size")
    many = set(table.loc[zone_size > 2, "code"].astype(str))
    for a, b in data.edges:
        ca, cb = data.codes[a], data.codes[b]
        if ca in many and div.area_of(ca) != div.area_of(cb) and not ca.startswith("21"):
            return ca, div.area_of(cb)
    raise AssertionError("no border municipality found")


def test_broken_divisions_are_each_flagged_by_the_right_rule(gemeenten, swv2021):
    data, table = gemeenten
    zone_of = dict(zip(table["code"].astype(str), table["elz57"], strict=True))

    def rules_of(div: Division, **settings) -> dict[str, list[validity.Finding]]:
        out: dict[str, list[validity.Finding]] = {}
        for f in check(div, data, GateSettings("swv", **settings)).breaches:
            out.setdefault(f.rule, []).append(f)
        return out

    # 1. a municipality without an area
    found = rules_of(swv2021.move(["11001"], None))
    assert set(found) == {"toegewezen"} and found["toegewezen"][0].units == ("11001",)
    # 2. an SWV without municipalities
    found = rules_of(swv2021.create_area("Nieuw samenwerkingsverband"))
    assert set(found) == {"niet_leeg"} and found["niet_leeg"][0].areas == ("Nieuw samenwerkingsverband",)
    # 3. one municipality of a zone moved to the SWV next door: the zone is split
    unit, other = neighbour_in_other_swv(data, table, swv2021)
    found = rules_of(swv2021.move([unit], other))
    assert "hele_zones" in found
    [zone] = found["hele_zones"]
    assert zone.parent == zone_of[unit] and zone.units == (unit,) and other in zone.areas
    # 4. Knokke-Heist in the Brussels SWV: not contiguous (and Oostkust split)
    found = rules_of(swv2021.move(["31043"], "Sonja Erteejee"))
    assert [f.units for f in found["samenhangend"]] == [("31043",)]
    assert found["samenhangend"][0].areas == ("Sonja Erteejee",)
    assert [f.parent for f in found["hele_zones"]] == ["elz31"]
    # 5. a target band: Brussels is far above 1 million inhabitants... only Brussels
    found = rules_of(swv2021, band_low=200_000, band_high=1_000_000)
    assert set(found) == {"doelband"} and [f.areas for f in found["doelband"]] == [("Sonja Erteejee",)]
    brussels = table.loc[table["code"].astype(str).str.startswith("21"), "inwoners"].sum()
    assert f"{int(brussels):,}".replace(",", ".") in found["doelband"][0].message


def test_published_zones_are_valid_with_oostkust_as_known_exception(gemeenten):
    from geo.divisions.references import reference_division

    data, _ = gemeenten
    result = check(reference_division("elz57_gemeente"), data, GateSettings("swv"))
    assert result.ok
    exceptions = {f.areas[0]: f for f in result.findings if f.severity == UITZONDERING}
    assert set(exceptions) == {"Oostkust (elz31)", "ZOLim (elz54)"}
    assert set(exceptions["Oostkust (elz31)"].units) == {"31004", "31043"}


def test_wcp_reference_splits_district_antwerpen_and_misses_borsbeek():
    from geo.divisions.references import reference_division

    div = reference_division("wcp_wijk")
    data = UnitData.load("wijk")
    settings = validity.default_settings(div, data)
    assert settings.kind == "wcp"
    result = check(div, data, settings)
    assert result.broken_rules() == ["toegewezen", "ouder_niet_gesplitst"]
    [split] = [f for f in result.breaches if f.rule == "ouder_niet_gesplitst"]
    assert split.parent == "11002Z"
    assert all(u.startswith("11002Z") for u in split.units)
    [missing] = [f for f in result.breaches if f.rule == "toegewezen"]
    assert all(u.startswith("11007A") for u in missing.units)  # Borsbeek, an Antwerp district since 2025
    allowed = check(div, data, GateSettings("wcp", allowed_splits=("11002Z",)))
    assert allowed.broken_rules() == ["toegewezen"]
