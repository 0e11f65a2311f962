"""Comparing divisions: matching by population overlap, moved units, kept share, deltas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.divisions.compare import compare, match_areas
from geo.divisions.division import Division
from geo.divisions.metrics import UnitData
from geo.errors import UserFacingError

CODES = ["a", "b", "c", "d", "e", "f"]
INW = [100.0, 200.0, 300.0, 400.0, 500.0, 600.0]


def data() -> UnitData:
    table = pd.DataFrame({"code": CODES, "inwoners": INW})
    table["pop_0_24"] = table["inwoners"] / 4
    table["budget_eur"] = table["inwoners"] * 10
    edges = pd.DataFrame({"a": CODES[:-1], "b": CODES[1:], "border_m": 1.0})  # a path a-b-c-d-e-f
    return UnitData.from_frames("gemeente", table, edges, counts=["inwoners", "pop_0_24", "budget_eur"])


def div(mapping: dict[str, str], name: str = "x") -> Division:
    return Division.from_mapping(name, "gemeente", CODES, mapping)


def test_same_split_with_other_labels_has_no_moved_units():
    a = div({"a": "1", "b": "1", "c": "1", "d": "2", "e": "2", "f": "2"})
    b = div({"a": "Noord", "b": "Noord", "c": "Noord", "d": "Zuid", "e": "Zuid", "f": "Zuid"})
    c = compare(data(), a, b)
    assert c.pairs == {"1": "Noord", "2": "Zuid"}
    assert c.moved == []
    assert c.kept_share == 1.0
    assert (c.matches["delta_inwoners"] == 0).all()


def test_moved_units_kept_share_and_deltas():
    a = div({"a": "1", "b": "1", "c": "1", "d": "2", "e": "2", "f": "2"})
    b = div({"a": "P", "b": "P", "c": "P", "d": "P", "e": "Q", "f": "Q"})  # d moves from 1/2 side to P
    c = compare(data(), a, b)
    assert c.pairs == {"1": "P", "2": "Q"}
    assert c.moved == ["d"]
    # under-25s: total 525, d has 100 -> 425 / 525 keep their area
    assert c.kept_share == pytest.approx(425 / 525)
    m = c.matches.set_index("gebied_a")
    assert m.loc["1", "delta_inwoners"] == 400
    assert m.loc["2", "delta_inwoners"] == -400
    assert m.loc["2", "delta_budget_eur"] == -4000
    assert m.loc["1", "overlap"] == 600  # a + b + c


def test_different_number_of_areas_leaves_extra_area_unmatched():
    a = div({"a": "1", "b": "1", "c": "1", "d": "2", "e": "2", "f": "2"})
    b = div({"a": "P", "b": "P", "c": "P", "d": "Q", "e": "R", "f": "R"})  # area 2 split into Q and R
    c = compare(data(), a, b)
    assert c.pairs == {"1": "P", "2": "R"}  # R holds 1100 of area 2's 1500 inhabitants, Q only 400
    assert c.moved == ["d"]
    unmatched = c.matches[c.matches["gebied_a"].isna()]
    assert unmatched["gebied_b"].tolist() == ["Q"]
    assert np.isnan(unmatched["delta_inwoners"].iloc[0])
    # and the other way round: fewer areas in B
    back = compare(data(), b, a)
    assert back.pairs == {"P": "1", "R": "2"}
    assert back.matches["gebied_b"].isna().sum() == 1


def test_matching_maximises_total_overlap_not_greedy():
    overlap = np.array([[10.0, 9.0], [8.0, 0.0]])
    # greedy (largest cell first) would take (0,0)=10 and leave (1,1)=0; the best total is 9 + 8 = 17
    assert sorted(match_areas(overlap)) == [(0, 1), (1, 0)]


def test_unassigned_units_count_as_moved_when_they_gain_or_lose_an_area():
    a = div({"a": "1", "b": "1", "c": "1", "d": "2", "e": "2"})  # f unassigned
    b = div({"a": "1", "b": "1", "d": "2", "e": "2", "f": "2"})  # c unassigned
    c = compare(data(), a, b)
    assert sorted(c.moved) == ["c", "f"]
    assert c.kept_share == pytest.approx((525 - 75 - 150) / (525 - 150))


def test_other_level_is_refused():
    a = div({"a": "1"})
    b = Division.from_mapping("y", "wijk", CODES, {"a": "1"})
    with pytest.raises(UserFacingError, match="ander niveau"):
        compare(data(), a, b)


def test_real_swv_against_elz57_at_municipality_level():
    from geo.data import units
    from geo.divisions.references import reference_division

    if not units.is_built():
        pytest.fail("Gegevens niet opgebouwd: voer `make data` uit.")
    swv = reference_division("swv2021_gemeente")
    elz = reference_division("elz57_gemeente")
    c = compare(UnitData.load("gemeente"), elz, swv)
    # every ELZ lies inside one SWV, so nobody moves out of "its" matched area... except that 57 zones
    # can match only 16 SWVs: units of the 41 unmatched zones count as moved.
    assert len(c.pairs) == 16
    assert c.matches["gebied_b"].notna().sum() == 16
    assert c.matches["gebied_a"].notna().sum() == 57
    assert 0 < c.kept_share < 1
    assert c.pairs["Antwerpen en rand (elz2)"] == "Groot Antwerpen"


def test_divisions_over_different_units_are_compared_on_the_common_units():
    a = Division.from_mapping("deel", "gemeente", CODES[:4], {"a": "1", "b": "1", "c": "2", "d": "2"})
    b = div({"a": "P", "b": "P", "c": "P", "d": "Q", "e": "Q", "f": "Q"})
    c = compare(data(), a, b)
    assert c.only_common_units
    assert c.units["code"].tolist() == ["a", "b", "c", "d"]
    assert c.moved == ["c"]  # e and f are outside A and do not count as moved
    assert not compare(data(), b, b).only_common_units


def test_change_kinds_per_unit():
    from geo.divisions.compare import GAINED_LOST, OTHER, SAME

    a = div({"a": "1", "b": "1", "c": "1", "d": "2", "e": "2"})  # f without area in A
    b = div({"a": "P", "b": "P", "c": "Q", "e": "Q", "f": "Q"})  # c to the other area, d loses its area
    kinds = compare(data(), a, b).change_kinds()
    assert kinds == {"a": SAME, "b": SAME, "c": OTHER, "d": GAINED_LOST, "e": SAME, "f": GAINED_LOST}
    neither = div({"a": "1", "b": "1", "c": "1", "d": "2", "e": "2"})
    assert compare(data(), a, neither).change_kinds()["f"] is None


def test_units_near_changes_limits_big_maps():
    a = div({"a": "1", "b": "1", "c": "2", "d": "2", "e": "3", "f": "3"})
    b = div({"a": "1", "b": "2", "c": "2", "d": "2", "e": "3", "f": "3"})  # b moves from 1 to 2
    c = compare(data(), a, b)
    assert c.units_near_changes(6) == CODES  # small: everything
    assert c.units_near_changes(2) == ["a", "b", "c", "d"]  # areas 1 and 2 are touched, 3 is not
    assert c.units_near_changes(0) == ["b"]  # still too many: the changed units alone
