"""Any resource through the budget formula: whole steps, exact totals, floors, the equal split, Groot
Antwerpen's coordinators (7 x 0,4 VTE), Dutch tables and files."""

from __future__ import annotations

import io
from decimal import Decimal

import numpy as np
import openpyxl
import pandas as pd
import pytest

from geo.budget import resources
from geo.budget.allocation import CarveOut, Params, allocate
from geo.budget.equal import compare_equal, equal_steps
from geo.budget.report import (
    csv_bytes,
    equal_summary,
    equal_table_nl,
    explanation,
    parameter_table,
    resource_section,
    xlsx_bytes,
)
from geo.data import facts
from geo.errors import UserFacingError


def small_units() -> pd.DataFrame:
    """Three municipalities: n = 100, 300, 600 under-25s; index 10 %, 20 %, 40 %."""
    return pd.DataFrame(
        {
            "code": ["A1", "A2", "B1"],
            "naam": ["Aa", "Ab", "Ba"],
            "pop_0_24": [100, 300, 600],
            "kansarmoede_pct": [10.0, 20.0, 40.0],
            "elz57": ["elzA", "elzA", "elzB"],
            "provincie": ["P", "P", "P"],
        }
    )


AREAS = {"A1": "A", "A2": "A", "B1": "B"}


# --- Steps ---------------------------------------------------------------------------------------------


def test_steps_are_exact_in_decimal():
    # 2.8 / 0.1 is 27.999999999999996 in binary floating point; in steps it must be exactly 28.
    assert resources.to_steps(2.8, 0.1) == 28
    assert resources.to_steps(0.3, 0.1) == 3
    assert resources.to_steps(1.25, 0.05) == 25
    assert resources.from_steps(28, 0.1) == 2.8
    assert resources.from_steps(np.array([3, 7]), 0.1).tolist() == [0.3, 0.7]
    assert [resources.step_decimals(s) for s in (1, 0.1, 0.25, 0.05, 5)] == [0, 1, 2, 2, 0]
    with pytest.raises(UserFacingError, match=r"\(2,85 VTE\) is geen veelvoud van de stap \(0,1 VTE\)"):
        resources.to_steps(2.85, 0.1, "Het totaal", resources.RESOURCES["vte"])


def test_resource_formats_are_flemish():
    vte, euro = resources.RESOURCES["vte"], resources.RESOURCES["euro"]
    assert vte.format(0.4) == "0,4 VTE"
    assert vte.format(1.25, 0.05) == "1,25 VTE"
    assert euro.format(1234567) == "€ 1.234.567"
    assert resources.RESOURCES["plaatsen"].format(1200) == "1.200 plaatsen"
    assert resources.RESOURCES["plaatsen"].format(1) == "1 plaats"
    hours = resources.RESOURCES["uren"]
    assert hours.format(1) == "1 uur" and hours.format(2) == "2 uur"
    assert vte.format(1.0) == "1,0 VTE"


# --- Hand examples -------------------------------------------------------------------------------------


def test_fte_without_correction_by_hand():
    # 1,0 VTE in steps of 0,1 by under-25s 100 : 300 : 600 -> exactly 0,1 / 0,3 / 0,6; areas A 0,4, B 0,6.
    r = allocate(small_units(), Params(total=1.0, resource="vte", form="geen"), AREAS)
    assert r.units["hoeveelheid"].tolist() == [0.1, 0.3, 0.6]
    assert r.units["eur"].tolist() == [1, 3, 6]  # whole steps
    assert r.areas.set_index("gebied")["hoeveelheid"].to_dict() == {"A": 0.4, "B": 0.6}


def test_fte_largest_remainder_by_hand():
    # b = 2: weights 120, 420, 1080 (sum 1620). 1,0 VTE = 10 steps: 0.741, 2.593, 6.667 steps.
    # Floors 0 + 2 + 6 = 8; the two spare steps go to the largest remainders .741 (A1) and .667 (B1).
    r = allocate(small_units(), Params(total=1.0, resource="vte", form="per_kansarm", weight=2))
    assert r.units["hoeveelheid"].tolist() == [0.1, 0.2, 0.7]


def test_minimum_per_area_is_a_floor_in_steps():
    # No correction: A would get 0,4 and B 0,6 of 1,0 VTE; a minimum of 0,5 lifts A to 0,5.
    r = allocate(small_units(), Params(total=1.0, resource="vte", form="geen", floor=0.5), AREAS)
    t = r.areas.set_index("gebied")
    assert t["hoeveelheid"].to_dict() == {"A": 0.5, "B": 0.5}
    assert t.loc["A", "begrensd"] == "minimum"


def test_spread_of_deprived_load_leaves_out_areas_without_deprived_young_people():
    # C has no deprived young people (index 0): its load per VTE is not a ratio's smallest value.
    units = pd.concat(
        [small_units(), pd.DataFrame([{"code": "C1", "naam": "Ca", "pop_0_24": 200, "kansarmoede_pct": 0.0,
                                        "elz57": "elzC", "provincie": "P"}])],
        ignore_index=True,
    )  # fmt: skip
    r = allocate(units, Params(total=1.2, resource="vte", form="geen"), {**AREAS, "C1": "C"})
    assert r.areas.set_index("gebied")["hoeveelheid"].to_dict() == {"A": 0.4, "B": 0.6, "C": 0.2}
    text = " ".join(equal_summary(r))
    # deprived per VTE: equal A 70/0,4 = 175, B 240/0,4 = 600; by need A 175, B 240/0,6 = 400
    assert "voor kansarme 0-24-jarigen (zonder 1 gebied zonder gekende kansarme 0-24-jarigen): 3,4 " in text
    assert "tegenover 2,3." in text


def test_step_of_a_quarter_and_places():
    # 10 places over 100 : 300 : 600 -> 1, 3, 6; 2,5 VTE in steps of 0,25 -> 0,25, 0,75, 1,5.
    places = allocate(small_units(), Params(total=10, resource="plaatsen", form="geen"))
    assert places.units["hoeveelheid"].tolist() == [1, 3, 6]
    quarter = allocate(small_units(), Params(total=2.5, resource="vte", step=0.25, form="geen"))
    assert quarter.units["hoeveelheid"].tolist() == [0.25, 0.75, 1.5]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"total": 2.85}, r"Het totaal \(2,85 VTE\) is geen veelvoud"),
        ({"total": 2.8, "floor": 0.25}, r"minimum per gebied \(0,25 VTE\) is geen veelvoud"),
        ({"total": 2.8, "cap": 0.35}, r"maximum per gebied \(0,35 VTE\) is geen veelvoud"),
        ({"total": 2.8, "floor": 2.0}, r"minimum van 2,0 VTE voor 2 gebieden \(4,0 VTE\)"),
        ({"total": 2.8, "step": 0}, "stap moet groter zijn dan 0"),
        ({"total": 0}, "groter zijn dan 0 VTE"),
        ({"total": 2.8, "resource": "euro", "step": 0.5}, "hele euro's"),
        ({"total": 2.8, "resource": "appels"}, "Onbekend middel"),
    ],
)
def test_bad_resource_inputs_give_dutch_errors(params, message):
    base = {"resource": "vte", "form": "geen"} | params
    with pytest.raises(UserFacingError, match=message):
        allocate(small_units(), Params(**base), AREAS)


# --- Properties ----------------------------------------------------------------------------------------


def random_units(rng: np.random.Generator, k: int) -> pd.DataFrame:
    n = rng.integers(0, 40_000, size=k).astype(float)
    n[0] = max(n[0], 1.0)
    return pd.DataFrame(
        {
            "code": [f"{10000 + i}" for i in range(k)],
            "naam": [f"G{i}" for i in range(k)],
            "pop_0_24": n,
            "kansarmoede_pct": rng.uniform(0, 65, size=k),
            "elz57": [f"elz{i % 5}" for i in range(k)],
            "provincie": ["P"] * k,
            "gewest": ["4000" if i < 2 else "2000" for i in range(k)],
            "gebied": [f"G{rng.integers(0, 9)}" if i >= 9 else f"G{i}" for i in range(k)],
        }
    )


def test_totals_are_exact_in_steps_for_any_parameters():
    """Property test over many random parameter sets: resource, step, total, form, weight, coordination,
    carve-outs, floor and cap. Every area gets a whole number of steps, within its floor and cap, and the
    parts add up exactly to what the formula distributes."""
    rng = np.random.default_rng(14)
    steps_by_resource = {
        "vte": [0.1, 0.05, 0.2, 0.25, 0.5],
        "euro": [1, 5, 100],
        "plaatsen": [1, 2],
        "uren": [1],
    }
    for case in range(150):
        units = random_units(rng, int(rng.integers(9, 40)))
        areas = dict(zip(units["code"], units["gebied"], strict=True))
        k = len(set(areas.values()))
        resource = str(rng.choice(list(steps_by_resource)))
        step = float(rng.choice(steps_by_resource[resource]))
        total_steps = int(rng.integers(k, 5_000))
        total = resources.from_steps(total_steps, step)
        form = str(rng.choice(["geen", "relatief", "per_kansarm"]))
        params = {
            "total": total,
            "resource": resource,
            "step": step,
            "form": form,
            "weight": float(rng.uniform(0, 3)),
            "coordination_pct": float(rng.choice([0, 2.5, 5])),
        }
        bounded = case % 3 == 0
        if bounded:
            formula_steps = total_steps - round(total_steps * params["coordination_pct"] / 100)
            per_area = formula_steps // k
            params["floor"] = resources.from_steps(int(rng.integers(0, per_area + 1)), step)
            params["cap"] = resources.from_steps(
                int(rng.integers(-(-formula_steps // k), formula_steps + 1)), step
            )
            if params["cap"] == 0:
                params["cap"] = None
        elif case % 3 == 1:
            params["carve_outs"] = (
                CarveOut("Brussel", "gewest", ("4000",), share_pct=float(rng.uniform(0, 10))),
            )
        r = allocate(units, Params(**params), areas)
        a = r.areas
        # Whole steps everywhere, and the same amounts in the resource's unit.
        assert a["eur"].dtype.kind == "i" and r.units["eur"].dtype.kind == "i"
        for steps, amount in zip(a["eur"], a["hoeveelheid"], strict=True):
            assert Decimal(repr(amount)) == Decimal(int(steps)) * Decimal(repr(step))
        assert int(a["eur"].sum()) + r.coordination_eur == total_steps
        assert int(r.units["eur"].sum()) == int(a["eur"].sum())
        assert (a["eur"] >= 0).all()
        if bounded:
            assert (a["hoeveelheid"] >= params["floor"] - 1e-9).all()
            if params["cap"] is not None:
                assert (a["hoeveelheid"] <= params["cap"] + 1e-9).all()


@pytest.mark.parametrize(("total", "k", "expected"), [(2.8, 7, [0.4] * 7), (1.0, 3, [0.4, 0.3, 0.3])])
def test_equal_need_gives_the_equal_split(total, k, expected):
    # k areas with the same under-25s and index, split over a different number of units each: the
    # need-based share is the equal share (ties of the spare step go to the first area, as in the equal
    # split).
    rows = []
    for i in range(k):
        parts = [1000] if i % 2 else [400, 600]
        for j, n in enumerate(parts):
            rows.append({"code": f"{i}{j}", "pop_0_24": n, "kansarmoede_pct": 25.0, "gebied": f"W{i}"})
    units = pd.DataFrame(rows)
    areas = dict(zip(units["code"], units["gebied"], strict=True))
    for form, weight in (("geen", 0), ("relatief", 0.2), ("relatief", 1.5), ("per_kansarm", 4)):
        r = allocate(units, Params(total=total, resource="vte", form=form, weight=weight), areas)
        table = compare_equal(r)
        assert table["behoefte"].tolist() == expected
        assert table["gelijk"].tolist() == expected
        assert (table["verschil"] == 0).all()


def test_equal_steps_by_hand():
    assert equal_steps(28, 7).tolist() == [4] * 7
    assert equal_steps(10, 3).tolist() == [4, 3, 3]
    assert equal_steps(0, 2).tolist() == [0, 0]


# --- Groot Antwerpen: 7 WCPs x 0,4 VTE -----------------------------------------------------------------

ZUIDRAND = "Zuidrand (Hoboken/Kiel/Wilrijk)"
A2060 = "Antwerpen 2060"


def hand_shares(weight: float) -> pd.Series:
    """FTE per WCP computed here from the Tabel 8 postcode file: w = n (1 + a (p / p̄ - 1)) with p̄
    count-weighted, negative weights set to 0 (as documented for a > 1)."""
    pc = facts.wcp_postcodes()
    n, p = pc["pop_0_24"].astype(float), pc["kansarmoede_pct"]
    p_mean = (n * p).sum() / n.sum()
    w = (n * (1 + weight * (p / p_mean - 1))).clip(lower=0)
    return (2.8 * w / w.sum()).groupby(pc["wcp"]).sum()


@pytest.fixture(scope="module")
def wcp():
    from geo.budget import calibration as cal

    return cal.load_setting("wcp")


def fte(setting, weight: float = 0.2, **changes):
    return allocate(setting.units, Params(total=2.8, resource="vte", weight=weight, **changes), setting.areas)


def test_groot_antwerpen_need_based_fte_at_the_default_weight(wcp):
    r = fte(wcp)
    table = compare_equal(r).set_index("gebied")
    assert len(table) == 7
    assert (table["gelijk"] == 0.4).all()  # today: 2 x 0,2 VTE per WCP
    assert table["behoefte_stappen"].sum() == 28
    # The formula's exact shares match a computation straight from the postcode table.
    exact = r.areas.set_index("gebied")["eur_exact"] * 0.1
    assert exact.to_dict() == pytest.approx(hand_shares(0.2).to_dict())
    # Zuidrand (35,317 young people, the most) gets more, Antwerpen 2060 (15,162, the fewest) less.
    assert table.loc[ZUIDRAND, "behoefte"] > 0.4
    assert table.loc[A2060, "behoefte"] < 0.4
    # Young people per VTE: equal = n / 0,4.
    assert table.loc[ZUIDRAND, "n_per_gelijk"] == pytest.approx(35_317 / 0.4)
    assert table.loc[A2060, "n_per_behoefte"] == pytest.approx(15_162 / table.loc[A2060, "behoefte"])
    # Each WCP is within one step of its exact share.
    assert (np.abs(table["behoefte"] - exact.reindex(table.index)) < 0.1).all()


def test_antwerpen_2060_share_rises_with_the_deprivation_weight(wcp):
    grid = np.round(np.arange(0, 1.55, 0.05), 2)
    exact = [hand_shares(w)[A2060] for w in grid]
    formula = [fte(wcp, w).areas.set_index("gebied").loc[A2060, "eur_exact"] * 0.1 for w in grid]
    assert formula == pytest.approx(exact)
    assert all(b > a for a, b in zip(formula, formula[1:], strict=False))
    rounded = [fte(wcp, w).areas.set_index("gebied").loc[A2060, "hoeveelheid"] for w in grid]
    assert all(b >= a for a, b in zip(rounded, rounded[1:], strict=False))
    # 2060 has the highest deprivation (54 %): with a strong enough weight it gets more than equal.
    assert rounded[0] < 0.4 < rounded[-1]


def test_groot_antwerpen_minimum_of_three_tenths(wcp):
    r = fte(wcp, floor=0.3)
    a = r.areas.set_index("gebied")
    assert a["hoeveelheid"].min() == 0.3 and a["eur"].sum() == 28
    assert set(a.index[a["begrensd"] == "minimum"]) <= set(a.index[a["hoeveelheid"] == 0.3])


# --- Tables and files for people ----------------------------------------------------------------------


def test_equal_table_and_summary_in_dutch(wcp):
    r = fte(wcp)
    t = equal_table_nl(r).set_index("Gebied")
    assert list(t.columns[:7]) == [
        "Aantal 0-24-jarigen",
        "Kansarme 0-24-jarigen (schatting)",
        "Kansarmoede-index (%)",
        "Gelijk (VTE)",
        "Volgens behoefte (VTE)",
        "Verschil (VTE)",
        "Verschil (%)",
    ]
    assert t["Gelijk (VTE)"].sum() == pytest.approx(2.8) and t[
        "Volgens behoefte (VTE)"
    ].sum() == pytest.approx(2.8)
    assert t.loc[ZUIDRAND, "0-24-jarigen per VTE, gelijk"] == pytest.approx(35_317 / 0.4)
    text = " ".join(equal_summary(r))
    assert "elk van de 7 gebieden 0,4 VTE (samen 2,8 VTE)" in text
    assert f"Meeste erbij: {ZUIDRAND}" in text


def test_parameters_and_explanation_speak_the_resource():
    r = allocate(small_units(), Params(total=1.0, resource="vte", form="geen", floor=0.2), AREAS)
    table = parameter_table(r.params).set_index("Parameter")["Waarde"]
    assert table["Middel"] == "Personeel (VTE)"
    assert table["Totaal (VTE)"] == "1,0 VTE" and table["Stap"] == "0,1 VTE"
    assert table["Minimum per gebied (VTE)"] == "0,2 VTE"
    text = " ".join(explanation(r, "A"))
    assert "Te verdelen: 1,0 VTE (personeel (VTE)), in stappen van 0,1 VTE." in text
    # 1000 under-25s over 1,0 VTE.
    assert "1.000 0-24-jarigen per VTE" in text
    assert "€" not in text


def test_xlsx_keeps_numbers_with_formats_and_text_as_text():
    r = allocate(
        small_units(), Params(total=1.0, resource="vte", form="geen"), {"A1": "=1+1", "A2": "=1+1", "B1": "B"}
    )
    section = resource_section(r)
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(section.tables)))
    sheet = book["Gelijk of volgens behoefte"]
    header = [c.value for c in sheet[1]]
    col = header.index("Volgens behoefte (VTE)") + 1
    cells = [sheet.cell(row=i, column=col) for i in (2, 3)]
    assert [c.value for c in cells] == [0.4, 0.6]
    assert all(c.data_type == "n" and c.number_format == "0.0#" for c in cells)
    name = sheet.cell(row=2, column=1)
    assert name.value == "=1+1" and name.data_type == "s"  # never a live formula
    csv = csv_bytes(equal_table_nl(r)).decode("utf-8-sig")
    assert "\n'=1+1;" in csv and ";0,4;" in csv


# --- FTE per area of an open division (editor metrics) ------------------------------------------------


def test_fte_per_area_of_an_open_division(wcp):
    from geo.budget.per_unit import area_resource

    r = area_resource("postcode_antwerpen", wcp.areas)
    a = r.areas.set_index("gebied")["hoeveelheid"]
    assert a.sum() == pytest.approx(2.8)  # 7 areas x 0,4 VTE by default
    assert a.to_dict() == fte(wcp).areas.set_index("gebied")["hoeveelheid"].to_dict()
    # Only two WCPs assigned: 0,8 VTE over their postcodes; the others take no part.
    part = {c: g for c, g in wcp.areas.items() if g in (ZUIDRAND, A2060)}
    r2 = area_resource("postcode_antwerpen", part, floor=0.3)
    assert r2.areas["hoeveelheid"].sum() == pytest.approx(0.8) and len(r2.units) == len(part)
    assert r2.areas["hoeveelheid"].min() >= 0.3
    assert area_resource("postcode_antwerpen", {}) is None


def test_fte_per_area_on_an_aggregated_level():
    from geo.budget.per_unit import area_resource
    from geo.data import units

    zones = units.load_table("elz57")
    provinces = dict(zip(zones["code"].astype(str), zones["provincie"].astype(str), strict=True))
    r = area_resource("elz57", provinces, total=10, step=0.5)
    a = r.areas
    assert len(a) == len(set(provinces.values()))
    assert a["hoeveelheid"].sum() == 10 and (a["eur"] * 0.5 == a["hoeveelheid"]).all()
    # Every municipality counted once, through its zone.
    assert len(r.units) == len(units.load_table("gemeente"))
