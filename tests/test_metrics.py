"""Area metrics: invariants, contiguity, compactness, incremental updates (hand-made grids + real data)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from gridgraph import grid_edges

from geo.divisions.division import Division
from geo.divisions.metrics import AreaMetrics, Band, UnitData, changed_areas


def grid(rows: int, cols: int, codes: list[str] | None = None, extra_isolated: str | None = None) -> UnitData:
    """rows x cols squares of 1 km x 1 km; unit r*cols+c has r*10+c+1 inhabitants, 10 % of them under 25."""
    codes = codes or [f"U{r}{c}" for r in range(rows) for c in range(cols)]
    inw = [float(r * 10 + c + 1) * 100 for r in range(rows) for c in range(cols)]
    table = pd.DataFrame({"code": codes, "inwoners": inw})
    table["pop_0_24"] = table["inwoners"] * 0.1
    table["kansarmoede_n"] = table["pop_0_24"] * [0.1 if i % 2 else 0.3 for i in range(len(table))]
    table["kansarmoede_basis"] = table["pop_0_24"]
    table["area_km2"] = 1.0
    table["perimeter_m"] = 4000.0
    if extra_isolated:
        row = {"code": extra_isolated, "inwoners": 50.0, "pop_0_24": 5.0, "kansarmoede_n": 1.0}
        row.update({"kansarmoede_basis": 5.0, "area_km2": 1.0, "perimeter_m": 4000.0})
        table = pd.concat([table, pd.DataFrame([row])], ignore_index=True)
    return UnitData.from_frames("gemeente", table, grid_edges(codes, rows, cols))


def by_rows(data: UnitData, rows: int, cols: int) -> Division:
    """Each row of the grid is an area."""
    mapping = {data.codes[r * cols + c]: f"Rij {r}" for r in range(rows) for c in range(cols)}
    return Division.from_mapping("rijen", data.level, data.codes, mapping)


def test_area_sums_equal_level_totals_including_unassigned():
    data = grid(4, 4)
    div = by_rows(data, 4, 4).move(["U00", "U33"], None)
    m = AreaMetrics(data, div)
    table = m.table()
    s = m.summary()
    for col in ("inwoners", "pop_0_24", "kansarmoede_n", "area_km2"):
        assert table[col].sum() + s.unassigned_totals[col] == pytest.approx(data.counts[col].sum())
        assert s.totals[col] == pytest.approx(data.counts[col].sum())
    assert table["eenheden"].sum() + len(s.unassigned) == 16
    assert s.unassigned == ("U00", "U33")
    # row 0 without U00: inhabitants 200 + 300 + 400
    assert table.set_index("gebied").loc["Rij 0", "inwoners"] == 900


def test_one_unit_move_changes_exactly_two_areas():
    data = grid(4, 4)
    div = by_rows(data, 4, 4)
    before = AreaMetrics(data, div)
    after = before.update(div.move(["U12"], "Rij 2"))
    assert sorted(changed_areas(before.table(), after.table())) == ["Rij 1", "Rij 2"]
    b, a = before.table().set_index("gebied"), after.table().set_index("gebied")
    assert a.loc["Rij 1", "inwoners"] == b.loc["Rij 1", "inwoners"] - 1300
    assert a.loc["Rij 2", "inwoners"] == b.loc["Rij 2", "inwoners"] + 1300
    assert a.loc["Rij 1", "eenheden"] == 3


def test_rate_comes_from_counts_not_from_averaging():
    data = grid(1, 2)
    div = Division.from_mapping("een", data.level, data.codes, {"U00": "A", "U01": "A"})
    row = AreaMetrics(data, div).table().iloc[0]
    # U00: 10 under-25s at 30 %, U01: 20 under-25s at 10 % -> (3 + 2) / 30 = 16.67 %, not (30 + 10) / 2 = 20 %
    assert row["kansarmoede_pct"] == pytest.approx(100 * 5 / 30)


def test_rate_ignores_units_without_a_known_index():
    data = grid(1, 2)
    counts = dict(data.counts)
    counts["kansarmoede_n"] = np.array([3.0, 0.0])  # U01 has no index (count 0 by convention)
    counts["kansarmoede_basis"] = np.array([10.0, 0.0])
    data = UnitData(data.level, data.codes, counts, data.edges, data.border_m, data.perimeter_m)
    div = Division.from_mapping("een", data.level, data.codes, {"U00": "A", "U01": "A"})
    row = AreaMetrics(data, div).table().iloc[0]
    assert row["kansarmoede_pct"] == pytest.approx(30.0)  # not 3 / 30 = 10 %
    assert row["pop_0_24"] == 30


def test_contiguity_on_hand_made_cases():
    data = grid(3, 3)
    # A = the two opposite corners (not touching), B = the rest
    mapping = {c: "B" for c in data.codes}
    mapping.update({"U00": "A", "U22": "A"})
    div = Division.from_mapping("x", data.level, data.codes, mapping)
    m = AreaMetrics(data, div)
    t = m.table().set_index("gebied")
    assert t.loc["A", "delen"] == 2
    assert not t.loc["A", "samenhangend"]
    assert t.loc["B", "delen"] == 1
    assert m.summary().not_contiguous == ("A",)
    # connect the corners through the middle column: U01, U11, U21... U00-U01-U11-U21-U22 is a path
    m2 = m.update(div.move(["U01", "U11", "U21"], "A"))
    t2 = m2.table().set_index("gebied")
    assert t2.loc["A", "delen"] == 1
    # B is now split into the left column and the right column
    assert t2.loc["B", "delen"] == 2


def test_known_exception_voeren_is_listed_not_counted_as_a_break():
    data = grid(2, 2, extra_isolated="73109")
    mapping = {c: "Oost" for c in data.codes}
    div = Division.from_mapping("x", data.level, data.codes, mapping)
    m = AreaMetrics(data, div)
    row = m.table().iloc[0]
    assert row["delen"] == 1
    assert "Voeren" in row["uitzondering"]
    assert m.summary().not_contiguous == ()
    assert "Voeren" in m.summary().exceptions[0]
    # the same isolated unit under another code is a real break
    other = grid(2, 2, extra_isolated="99999")
    m_other = AreaMetrics(
        other, Division.from_mapping("x", other.level, other.codes, dict.fromkeys(other.codes, "O"))
    )
    assert m_other.table().iloc[0]["delen"] == 2


def test_polsby_popper_from_unit_perimeters_and_shared_borders():
    data = grid(4, 4)
    square = {"U00": "Vierkant", "U01": "Vierkant", "U10": "Vierkant", "U11": "Vierkant"}
    strip = {"U30": "Strook", "U31": "Strook", "U32": "Strook", "U33": "Strook"}
    div = Division.from_mapping("x", data.level, data.codes, {**square, **strip})
    m = AreaMetrics(data, div)
    perim = dict(zip(div.areas, m.perimeter(), strict=True))
    assert perim["Vierkant"] == pytest.approx(8000)  # 4 x 4000 - 2 x 4 x 1000
    assert perim["Strook"] == pytest.approx(10000)  # 4 x 4000 - 2 x 3 x 1000
    pp = m.table().set_index("gebied")["polsby_popper"]
    assert pp["Vierkant"] == pytest.approx(4 * math.pi * 4e6 / 8000**2)
    assert pp["Strook"] == pytest.approx(4 * math.pi * 4e6 / 10000**2)
    assert pp["Vierkant"] > pp["Strook"]


def test_without_a_neighbour_list_compactness_of_several_units_is_unknown():
    """Shared borders unknown (no adjacency): a sum of unit perimeters would make every area look
    scattered, so only an area of one unit gets a figure."""
    data = grid(2, 2)
    table = pd.DataFrame({"code": list(data.codes)})
    for name in ("inwoners", "pop_0_24", "kansarmoede_n", "kansarmoede_basis", "area_km2"):
        table[name] = data.counts[name]
    table["perimeter_m"] = 4000.0
    blind = UnitData.from_frames("gemeente", table, None)
    assert not blind.has_adjacency
    div = Division.from_mapping("x", blind.level, blind.codes, {"U00": "Twee", "U01": "Twee", "U10": "Een"})
    pp = AreaMetrics(blind, div).table().set_index("gebied")["polsby_popper"]
    assert np.isnan(pp["Twee"])
    assert pp["Een"] == pytest.approx(4 * math.pi * 1e6 / 4000**2)
    # with the neighbour list the same area has its figure
    assert AreaMetrics(data, div).table().set_index("gebied")["polsby_popper"]["Twee"] == pytest.approx(
        4 * math.pi * 2e6 / 6000**2
    )


def test_balance_figures_deviation_band_ratio_and_cv():
    data = grid(2, 2)  # inhabitants 100, 200, 1100, 1200
    div = Division.from_mapping("x", data.level, data.codes, {"U00": "A", "U01": "A", "U10": "B", "U11": "B"})
    m = AreaMetrics(data, div)
    t = m.table(band=Band("inwoners", 500, 2000)).set_index("gebied")
    # A = 300, B = 2300, mean 1300
    assert t.loc["A", "afwijking_pct"] == pytest.approx(100 * (300 - 1300) / 1300)
    assert t.loc["B", "afwijking_pct"] == pytest.approx(100 * (2300 - 1300) / 1300)
    assert t.loc["A", "band"] == "onder"
    assert t.loc["B", "band"] == "boven"
    s = m.summary()
    assert s.max_min_ratio == pytest.approx(2300 / 300)
    assert s.cv == pytest.approx(1000 / 1300)  # population std of (300, 2300) is 1000


def test_empty_area_and_problems_are_reported():
    data = grid(2, 2)
    div = by_rows(data, 2, 2).create_area("Leeg").move(["U00"], None)
    s = AreaMetrics(data, div).summary()
    assert s.empty_areas == ("Leeg",)
    assert s.max_min_ratio is None  # an empty area has 0 inhabitants
    assert any("zonder gebied" in p for p in s.problems)
    assert any("Lege gebieden" in p for p in s.problems)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_incremental_updates_match_full_recomputation(seed):
    rng = np.random.default_rng(seed)
    data = grid(6, 6, extra_isolated="73109")
    div = by_rows(data, 6, 6)
    m = AreaMetrics(data, div)
    for step in range(40):
        kind = rng.integers(0, 10)
        if kind == 0 and len(div.areas) > 2:
            div = div.merge_areas(list(div.areas[:2]))
        elif kind == 1 and len(div.areas) > 1:
            div = div.delete_area(div.areas[int(rng.integers(0, len(div.areas)))])
        elif kind == 2:
            div = div.create_area(f"Nieuw {step}")
        else:
            units = list(rng.choice(data.codes, size=int(rng.integers(1, 3)), replace=False))
            target = None if rng.random() < 0.1 else div.areas[int(rng.integers(0, len(div.areas)))]
            div = div.move(units, target)
        m = m.update(div)
        full = AreaMetrics(data, div)
        pd.testing.assert_frame_equal(m.table(), full.table(), check_exact=False)


# ---------------------------------------------------------------------- real data (built by `make data`)


def test_elz57_tallies_equal_the_built_zone_table(built):
    from geo.data import units
    from geo.divisions.references import reference_division

    div = reference_division("elz57_gemeente")
    table = AreaMetrics(UnitData.load("gemeente"), div).table().set_index("gebied")
    zones = units.load_table("elz57").set_index("code")
    for code in ("elz2", "elz7", "elz54"):
        row = table.loc[f"{zones.loc[code, 'naam']} ({code})"]
        assert row["inwoners"] == pytest.approx(zones.loc[code, "inwoners"])
        assert row["pop_0_24"] == pytest.approx(zones.loc[code, "pop_0_24"])
    assert table["inwoners"].sum() == pytest.approx(units.load_table("gemeente")["inwoners"].sum())


def test_voeren_is_an_exception_not_a_break(built):
    from geo.divisions.references import reference_division

    data = UnitData.load("gemeente")
    voeren = data.index["73109"]
    assert not (data.edges == voeren).any()  # no border with any other municipality
    div = reference_division("swv2021_gemeente")
    m = AreaMetrics(data, div)
    row = m.table().set_index("gebied").loc[div.area_of("73109")]
    assert row["delen"] == 1
    assert "Voeren" in row["uitzondering"]
    # moved into another SWV, Voeren is still listed as the exception there (and not counted as a break)
    moved = m.update(div.move(["73109"], "Gezin Centraal"))
    t = moved.table().set_index("gebied")
    assert "Voeren" in t.loc["Gezin Centraal", "uitzondering"]
    assert t.loc["Gezin Centraal", "delen"] == 1
    assert t.loc[div.area_of("73109"), "uitzondering"] == ""


def test_oostkust_cut_by_brugge_is_a_known_link_not_a_break(built):
    # Zeebrugge (Brugge) lies between Blankenberge/Zuienkerke and Knokke-Heist/Damme: the published zone
    # itself is two pieces, so the link lists it as an exception; without the link it is a real break.
    from dataclasses import replace

    from geo.divisions.references import reference_division

    div = reference_division("elz57_gemeente")
    data = UnitData.load("gemeente")
    t = AreaMetrics(data, div).table().set_index("gebied")
    assert t.loc["Oostkust (elz31)", "delen"] == 1
    assert "Zeebrugge" in t.loc["Oostkust (elz31)", "uitzondering"]
    assert t.loc["Brugge (elz6)", "uitzondering"] == ""
    plain = replace(data, links=np.zeros((0, 2), dtype=np.int64), link_reasons=())
    t = AreaMetrics(plain, div).table().set_index("gebied")
    assert t.loc["Oostkust (elz31)", "delen"] == 2
    assert t.loc["Oostkust (elz31)", "uitzondering"] == ""
    # incremental: without Knokke-Heist and Damme the link is not needed any more
    m = AreaMetrics(data, div).update(div.move(["31043", "31006"], "Brugge (elz6)"))
    row = m.table().set_index("gebied").loc["Oostkust (elz31)"]
    assert row["delen"] == 1 and row["uitzondering"] == ""


def test_known_links_on_wijk_level_explain_linkeroever_and_elsene(built):
    from geo.divisions.references import reference_division

    data = UnitData.load("wijk")
    t = AreaMetrics(data, reference_division("elz60_wijk")).table().set_index("gebied")
    assert (t["delen"] == 1).all()
    assert "Schelde" in t.loc["Antwerpen Centrum (elz2.1)", "uitzondering"]
    assert "Zeebrugge" in t.loc["Oostkust (elz31)", "uitzondering"]
    # a wijk of the southern part of Elsene, alone with the northern part, still needs the link
    north = [c for c in data.codes if c.startswith("21009") and c not in ("21009W42", "21009W43")]
    div = Division.from_mapping("elsene", "wijk", data.codes, {c: "Elsene" for c in [*north, "21009W42"]})
    row = AreaMetrics(data, div).table().set_index("gebied").loc["Elsene"]
    assert row["delen"] == 1 and "Louizalaan" in row["uitzondering"]


def test_wijk_move_changes_two_areas_and_keeps_totals(built):
    from geo.divisions.references import reference_division

    data = UnitData.load("wijk")
    div = reference_division("elz60_wijk")
    before = AreaMetrics(data, div)
    unit = div.units_in("Antwerpen Oost (elz2.2)")[0]
    after = before.update(div.move([unit], "Antwerpen Zuid (elz2.3)"))
    assert sorted(changed_areas(before.table(), after.table())) == [
        "Antwerpen Oost (elz2.2)",
        "Antwerpen Zuid (elz2.3)",
    ]
    assert after.table()["inwoners"].sum() == pytest.approx(data.counts["inwoners"].sum())


def test_budget_column_from_allocation_adds_up_exactly(built):
    from geo.budget.per_unit import unit_budget
    from geo.divisions.references import reference_division

    data = UnitData.load("gemeente").with_counts(budget_eur=unit_budget("gemeente"))
    div = reference_division("swv2021_gemeente")
    t = AreaMetrics(data, div).table().set_index("gebied")
    assert t["budget_eur"].sum() == 23_999_998  # whole euros, largest remainder: exact total
    assert t.loc["Sonja Erteejee", "budget_eur"] == 960_000  # Brussels' flat amount
    assert (t["budget_eur"] == t["budget_eur"].round()).all()
    # a zone-level division gets the same per-zone sums from the municipality allocation
    zones = UnitData.load("elz57").with_counts(budget_eur=unit_budget("elz57"))
    tz = AreaMetrics(zones, reference_division("swv2021_elz57")).table().set_index("gebied")
    assert tz["budget_eur"].to_dict() == t["budget_eur"].to_dict()
