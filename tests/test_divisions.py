"""Division model: immutable edits, metadata, undo/redo."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.divisions.division import Division, History
from geo.errors import UserFacingError

UNITS = ["01", "02", "03", "04", "05", "06"]


def make() -> Division:
    return Division.from_mapping(
        "Proef",
        "gemeente",
        UNITS,
        {"01": "Noord", "02": "Noord", "03": "Zuid", "04": "Zuid", "05": "Oost"},
        author="tester",
        description="zes eenheden",
    )


def test_from_mapping_keeps_codes_as_strings_and_unassigned():
    d = make()
    assert d.units == tuple(UNITS)
    assert d.areas == ("Noord", "Zuid", "Oost")
    assert d.area_of("01") == "Noord"
    assert d.area_of("06") is None
    assert d.unassigned() == ["06"]
    assert d.area_sizes() == {"Noord": 2, "Zuid": 2, "Oost": 1}
    assert dict(d.assignment) == {"01": "Noord", "02": "Noord", "03": "Zuid", "04": "Zuid", "05": "Oost"}
    assert d.meta.author == "tester"


def test_unknown_code_is_refused_in_dutch():
    with pytest.raises(UserFacingError, match="bestaan niet"):
        Division.from_mapping("x", "gemeente", UNITS, {"1": "Noord"})


def test_labels_are_read_only_and_edits_do_not_touch_the_original():
    d = make()
    with pytest.raises(ValueError):
        d.labels[0] = 2
    moved = d.move(["01"], "Zuid")
    assert d.area_of("01") == "Noord"
    assert moved.area_of("01") == "Zuid"
    assert moved is not d
    assert moved.meta == d.meta


def test_move_creates_new_area_and_can_unassign():
    d = make().move(["02", "06"], "West")
    assert d.areas[-1] == "West"
    assert d.units_in("West") == ["02", "06"]
    d2 = d.move(["03"], None)
    assert d2.area_of("03") is None
    with pytest.raises(UserFacingError):
        d.move(["03"], "Nergens", create=False)


def test_batch_moves_apply_all_at_once():
    d = make().apply_moves({"01": "Oost", "06": "Oost", "03": None})
    assert d.units_in("Oost") == ["01", "05", "06"]
    assert d.area_of("03") is None


def test_create_rename_and_duplicate_names():
    d = make().create_area("Leeg")
    assert d.area_sizes()["Leeg"] == 0
    with pytest.raises(UserFacingError, match="bestaat al"):
        d.create_area("Noord")
    r = d.rename_area("Noord", "Noorden")
    assert r.area_of("01") == "Noorden"
    assert "Noord" not in r.areas
    with pytest.raises(UserFacingError):
        r.rename_area("Zuid", "Oost")
    with pytest.raises(UserFacingError):
        r.create_area("  ")


def test_merge_areas_relabels_units_and_drops_the_others():
    d = make().merge_areas(["Zuid", "Oost"], into="Zuidoost")
    assert d.areas == ("Noord", "Zuidoost")
    assert d.units_in("Zuidoost") == ["03", "04", "05"]
    assert d.units_in("Noord") == ["01", "02"]
    assert d.unassigned() == ["06"]


def test_split_area_moves_only_units_of_that_area():
    d = make().split_area("Zuid", ["04"], "Zuid-B")
    assert d.units_in("Zuid") == ["03"]
    assert d.units_in("Zuid-B") == ["04"]
    with pytest.raises(UserFacingError, match="liggen niet"):
        make().split_area("Zuid", ["01"], "X")


def test_delete_area_unassigns_or_moves_units():
    d = make().delete_area("Noord")
    assert d.areas == ("Zuid", "Oost")
    assert d.unassigned() == ["01", "02", "06"]
    assert d.area_of("03") == "Zuid"
    d2 = make().delete_area("Zuid", move_to="Oost")
    assert d2.units_in("Oost") == ["03", "04", "05"]
    assert d2.areas == ("Noord", "Oost")


def test_to_frame_and_same_assignment():
    d = make()
    frame = d.to_frame()
    assert list(frame["unit_code"]) == UNITS
    assert pd.isna(frame["area"].iloc[-1])
    assert frame["area"].iloc[0] == "Noord"
    assert d.same_assignment(d.rename_area("Noord", "N").rename_area("N", "Noord"))
    assert not d.same_assignment(d.move(["01"], "Zuid"))


def test_history_undo_redo_and_branching():
    h = History(make())
    first = h.current
    h.push(first.move(["01"], "Zuid"))
    h.push(h.current.move(["02"], "Zuid"))
    assert h.current.units_in("Zuid") == ["01", "02", "03", "04"]
    assert h.undo().units_in("Zuid") == ["01", "03", "04"]
    assert h.undo() is first
    assert not h.can_undo
    assert h.undo() is first
    assert h.redo().area_of("01") == "Zuid"
    # a new edit after undo drops the redo branch
    h.push(h.current.move(["05"], "Noord"))
    assert not h.can_redo
    assert h.current.area_of("02") == "Noord"
    assert len(h) == 3


def test_history_limit():
    h = History(make(), limit=3)
    for unit in ["01", "02", "03", "04"]:
        h.push(h.current.move([unit], "Oost"))
    assert len(h) == 3
    h.undo()
    h.undo()
    assert not h.can_undo
    # the oldest kept state is the one after the second push
    assert h.current.units_in("Oost") == ["01", "02", "05"]


# ---------------------------------------------------------------------- built-in reference divisions


def test_reference_divisions_have_the_documented_shape(built):
    from geo.divisions.references import reference_division

    swv = reference_division("swv2021_elz57")
    assert (swv.level, len(swv.units), len(swv.areas), swv.unassigned()) == ("elz57", 57, 16, [])
    assert swv.area_of("elz2") == "Groot Antwerpen"
    assert swv.area_of("elz7") == "Sonja Erteejee"
    assert "reconstructie" in swv.meta.description
    gem = reference_division("swv2021_gemeente")
    assert (len(gem.units), len(gem.areas), gem.unassigned()) == (304, 16, [])
    assert sorted(gem.units_in("Groot Antwerpen")) == ["11002", "11040", "11044", "11052"]
    elz = reference_division("elz60_wijk")
    assert (len(elz.units), len(elz.areas), elz.unassigned()) == (2767, 60, [])
    assert len(reference_division("elz57_gemeente").areas) == 57


def test_wcp_postcode_division_matches_table_8(built):
    from geo.divisions.references import reference_division

    div = reference_division("wcp_postcode")
    assert len(div.units) == 17 and len(div.areas) == 7
    assert div.area_of("2060") == "Antwerpen 2060"
    assert sorted(div.units_in("Merksem/Schoten")) == ["2170", "2900"]


def test_wcp_wijk_division_covers_groot_antwerpen_and_leaves_borsbeek_unassigned(built):
    from geo.data import units
    from geo.divisions.references import reference_division

    div = reference_division("wcp_wijk")
    wijken = units.load_table("wijk")
    expected = set(wijken.loc[wijken["gemeente"].isin(["11002", "11040", "11044", "11052"]), "code"])
    assert set(div.units) == expected
    assert div.unassigned() == ["11007A01", "11007A02", "11007A03"]
    assert len(div.areas) == 7
    assert "Benadering" in div.meta.description
    noord = "Noordrand (Berendrecht-Zandvliet-Lillo/Ekeren/Luchtbal/Stabroek)"
    assert div.area_of("11002P01") == noord  # Ekeren
    assert div.area_of("11044W01") == noord  # Hoevenen (Stabroek)
    assert div.area_of("11002Z12") == noord  # Luchtbal (2030)
    assert div.area_of("11052W01") == "Deurne/Wommelgem"
    assert div.area_of("11040W03") == "Merksem/Schoten"
    assert div.area_of("11002Z11") == "Antwerpen-Centrum/Linkeroever"
    assert div.area_of("11002Z20") == "Antwerpen 2060"  # Stuivenberg
    assert div.area_of("11002Z10") == "Zuidrand (Hoboken/Kiel/Wilrijk)"  # Kiel


def test_division_pickles_for_caches():
    import pickle

    d = make()
    back = pickle.loads(pickle.dumps(d))
    assert back.same_assignment(d) and back.meta == d.meta
    assert back.area_of("01") == "Noord"
    with pytest.raises(ValueError):
        back.labels[0] = 1
