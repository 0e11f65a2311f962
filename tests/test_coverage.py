"""Coverage on hand-made points: distances, shares from counts, gaps, area mapping, polygons."""

import numpy as np
import pandas as pd
import pytest

from geo.errors import UserFacingError
from geo.partners.coverage import (
    Demand,
    coverage_by_area,
    coverage_totals,
    covered,
    demand_weights,
    gaps,
    nearest_distance,
    partner_units,
    unit_areas,
    unit_coverage,
)


def _table():
    return pd.DataFrame(
        {
            "code": ["A", "B", "C", "D", "E"],
            "x": [0.0, 1000.0, 5000.0, 10000.0, 20000.0],
            "y": [0.0, 0.0, 0.0, 0.0, 0.0],
            "pop_0_24": [100.0, 50.0, 200.0, 0.0, 10.0],
            "kansarmoede_n": [10.0, 25.0, 0.0, 0.0, 5.0],
            "gemeente": ["g1", "g1", "g2", "g2", "g3"],
        }
    )


AREAS = {"A": "Noord", "B": "Noord", "C": "Zuid", "D": "Zuid"}  # E is outside every area
PARTNER_XY = np.array([[0.0, 500.0], [5000.0, 2000.0], [9000.0, 0.0]])
PARTNER_TYPE = ["CLB", "CLB", "CAW"]
PARTNER_AREA = ["Noord", "Zuid", "Zuid"]


def test_nearest_distance_and_inclusive_threshold():
    d = nearest_distance(np.array([[0.0, 0.0], [3.0, 4.0]]), np.array([[0.0, 0.0], [100.0, 0.0]]))
    assert d.tolist() == [0.0, 5.0]
    assert covered(np.array([[3.0, 4.0]]), np.array([[0.0, 0.0]]), 5.0).tolist() == [True]
    assert covered(np.array([[3.0, 4.0]]), np.array([[0.0, 0.0]]), 4.99).tolist() == [False]
    assert np.isinf(nearest_distance(np.array([[1.0, 1.0]]), np.empty((0, 2)))).all()


def test_coverage_by_area_hand_computed():
    demand = Demand.from_table(_table(), AREAS)
    t = coverage_by_area(demand, PARTNER_XY, PARTNER_TYPE, 1200.0, ["CLB", "CAW"], PARTNER_AREA)
    t = t.set_index(["gebied", "type"])
    # CLB at (0,500): A at 500 m, B at 1118 m -> both covered; C is 2000 m from the other CLB.
    assert t.loc[("Noord", "CLB"), "gedekt"] == 150 and t.loc[("Noord", "CLB"), "aandeel_gedekt"] == 1.0
    assert t.loc[("Zuid", "CLB"), "gedekt"] == 0 and t.loc[("Zuid", "CLB"), "niet_gedekt"] == 200
    assert t.loc[("Zuid", "CLB"), "partners"] == 1 and t.loc[("Noord", "CAW"), "partners"] == 0
    # CAW at 9000 covers only D, whose weight is 0
    assert t.loc[("Zuid", "CAW"), "aandeel_gedekt"] == 0.0
    assert set(t.index.get_level_values(0)) == {"Noord", "Zuid"}  # E is in no area


def test_share_is_a_ratio_of_sums_not_a_mean_of_shares():
    demand = Demand.from_table(_table(), AREAS)
    t = coverage_by_area(demand, PARTNER_XY, PARTNER_TYPE, 1200.0, ["CLB"], PARTNER_AREA)
    tot = coverage_totals(t).iloc[0]
    assert tot["doelgroep"] == 350 and tot["gedekt"] == 150
    assert tot["aandeel_gedekt"] == pytest.approx(150 / 350)  # the mean of 1.0 and 0.0 would be 0.5
    assert tot["partners"] == 2


def test_deprivation_weighting():
    w = demand_weights(_table(), deprivation_weight=2.0)
    assert w.tolist() == [120.0, 100.0, 200.0, 0.0, 20.0]
    assert demand_weights(_table(), only_deprived=True).tolist() == [10.0, 25.0, 0.0, 0.0, 5.0]
    demand = Demand.from_table(_table(), AREAS, only_deprived=True)
    t = coverage_by_area(demand, PARTNER_XY, PARTNER_TYPE, 600.0, ["CLB"], PARTNER_AREA).set_index("gebied")
    assert t.loc["Noord", "aandeel_gedekt"] == pytest.approx(10 / 35)  # only A within 600 m


def test_gaps_flag_low_coverage_and_missing_partners():
    demand = Demand.from_table(_table(), AREAS)
    t = coverage_by_area(demand, PARTNER_XY, PARTNER_TYPE, 1200.0, ["CLB", "CAW"], PARTNER_AREA)
    g = gaps(t, min_share=0.8)
    keys = list(zip(g["gebied"], g["type"], strict=True))
    assert keys[:2] == [("Zuid", "CAW"), ("Zuid", "CLB")] or keys[:2] == [("Zuid", "CLB"), ("Zuid", "CAW")]
    assert ("Noord", "CAW") in keys and ("Noord", "CLB") not in keys
    row = g[(g["gebied"] == "Noord") & (g["type"] == "CAW")].iloc[0]
    assert "geen partner" in row["reden"] and "onder 80 %" in row["reden"]
    assert g["niet_gedekt"].is_monotonic_decreasing


def test_unit_areas_lifts_a_coarser_division():
    t = _table()
    assert unit_areas(t, "wijk", "gemeente", {"g1": "X", "g2": "Y"}) == {
        "A": "X",
        "B": "X",
        "C": "Y",
        "D": "Y",
    }
    assert unit_areas(t, "wijk", "wijk", {"A": "X"}) == {"A": "X"}
    with pytest.raises(UserFacingError, match="niet binnen één"):
        unit_areas(t, "wijk", "postcode_antwerpen", {})


def test_unit_coverage_lists_distances():
    demand = Demand.from_table(_table(), AREAS)
    u = unit_coverage(demand, PARTNER_XY[:1], 1200.0)
    assert u["afstand_m"].round(1).tolist() == [500.0, 1118.0, 5024.9, 10012.5, 20006.2]
    assert u["gedekt"].tolist() == [True, True, False, False, False]


def test_partner_units_point_in_polygon():
    import geopandas as gpd
    from shapely.geometry import box

    layer = gpd.GeoDataFrame(
        {"code": ["L", "R"]}, geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)], crs=31370
    )
    got = partner_units(np.array([[5.0, 5.0], [15.0, 5.0], [50.0, 50.0]]), layer)
    assert got.tolist() == ["L", "R", ""]


def test_area_sources_on_built_data():
    from geo.partners.coverage import area_choices, areas_for

    choices = area_choices("wijk")
    assert {"kolom:elz", "ref:swv2021_gemeente", "ref:wcp_wijk"} <= set(choices)
    assert "kolom:elz" not in area_choices("gemeente")  # Antwerp is split below municipality level
    elz = areas_for("kolom:elz", "wijk")
    assert len(elz) == 2767 and len(set(elz.values())) == 60
    districts = areas_for("kolom:district", "wijk")
    assert all(code.startswith(("11002", "11007")) for code in districts)  # no NaN districts
    swv = areas_for("ref:swv2021_gemeente", "wijk")
    assert len(set(swv.values())) == 16
    assert areas_for("kolom:wcp", "postcode_antwerpen")["2060"] == "Antwerpen 2060"
    with pytest.raises(UserFacingError):
        areas_for("iets:anders", "wijk")
