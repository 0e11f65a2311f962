"""Budget formula: exact totals, proportionality, monotonicity, aggregation, hand examples, bad inputs."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from geo.budget.allocation import (
    CarveOut,
    Params,
    aggregate,
    allocate,
    allocate_prepared,
    area_amounts,
    correction_shift,
    division_by_parent,
    equivalent_weight,
    floor_cap,
    largest_remainder,
    prepare,
    sensitivity,
)
from geo.budget.report import (
    area_table_nl,
    csv_bytes,
    explanation,
    parameter_table,
    unit_table_nl,
    xlsx_bytes,
)
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


def random_units(rng: np.random.Generator, k: int = 40) -> pd.DataFrame:
    n = rng.integers(0, 50_000, size=k).astype(float)
    n[0] = max(n[0], 1.0)
    return pd.DataFrame(
        {
            "code": [f"{10000 + i}" for i in range(k)],
            "naam": [f"G{i}" for i in range(k)],
            "pop_0_24": n,
            "kansarmoede_pct": rng.uniform(0, 60, size=k),
            "elz57": [f"elz{i % 7}" for i in range(k)],
            "swv": [f"S{(i % 7) % 3}" for i in range(k)],
            "provincie": [f"P{i % 2}" for i in range(k)],
            "gewest": ["4000" if i < 3 else "2000" for i in range(k)],
        }
    )


# --- Hand-computed examples ------------------------------------------------------------------------


def test_hand_example_per_deprived_child():
    # b = 2, w = n (1 + 2 p/100): 100*1.2 = 120, 300*1.4 = 420, 600*1.8 = 1080; sum 1620.
    # EUR 1000: 74.074, 259.259, 666.667 -> floors 74 + 259 + 666 = 999; the spare euro goes to the
    # largest remainder (0.667, B1): 74, 259, 667.
    r = allocate(small_units(), Params(total=1000, form="per_kansarm", weight=2))
    assert r.units["gewicht"].tolist() == pytest.approx([120, 420, 1080])
    assert r.units["eur_exact"].tolist() == pytest.approx([74.0741, 259.2593, 666.6667], abs=1e-4)
    assert r.units["eur"].tolist() == [74, 259, 667]


def test_hand_example_relative_with_areas():
    # a = 1: p_mean = (100*10 + 300*20 + 600*40) / 1000 = 31 (count-weighted, not (10+20+40)/3 = 23.3).
    # w = n * p / 31: 32.258, 193.548, 774.194 (sum 1000) -> EUR 1000 gives the same numbers.
    # Areas: A = A1 + A2 = 225.806 -> 226 (largest remainder .806 beats .194), B = 774.
    # Inside A: 32.258 + 193.548 -> 32 + 193 = 225, spare euro to A2 (.548 > .258): 32, 194.
    areas = {"A1": "A", "A2": "A", "B1": "B"}
    r = allocate(small_units(), Params(total=1000, form="relatief", weight=1), areas)
    assert r.p_mean == pytest.approx(31.0)
    assert r.units["eur"].tolist() == [32, 194, 774]
    t = r.areas.set_index("gebied")
    assert t.loc["A", "eur"] == 226 and t.loc["B", "eur"] == 774
    # Area index from counts: A = (100*10 + 300*20) / 400 = 17.5 %, not (10 + 20) / 2 = 15 %.
    assert t.loc["A", "kansarmoede_pct"] == pytest.approx(17.5)
    assert t.loc["A", "kansarm_n"] == pytest.approx(70.0)
    assert t.loc["A", "eur_per_jongere"] == pytest.approx(226 / 400)


def test_hand_example_relative_half():
    # a = 0.5: w = n (1 + 0.5 (p/31 - 1)) = 100*0.66129 = 66.129, 300*0.82258 = 246.774,
    # 600*1.14516 = 687.097; sum = 1000 (the relative form keeps sum(w) = sum(n)).
    r = allocate(small_units(), Params(total=1000, form="relatief", weight=0.5))
    assert r.units["gewicht"].tolist() == pytest.approx([66.129, 246.774, 687.097], abs=1e-3)
    # floors 66 + 246 + 687 = 999; remainders .129, .774, .097 -> A2: 66, 247, 687.
    assert r.units["eur"].tolist() == [66, 247, 687]


def test_carve_out_and_coordination_by_hand():
    # Total 1300; 5 % coordination = 65; B1 carved out with a fixed 300; formula budget 935 over A1, A2
    # with no correction: 100/400 * 935 = 233.75 -> 234, 300/400 * 935 = 701.25 -> 701.
    p = Params(
        total=1300,
        form="geen",
        coordination_pct=5,
        carve_outs=(CarveOut("vast", "elz57", ("elzB",), amount=300),),
    )
    r = allocate(small_units(), p)
    assert r.coordination_eur == 65
    assert r.formula_eur == 935
    assert r.units["eur"].tolist() == [234, 701, 300]
    assert r.units["vast_bedrag"].tolist() == ["", "", "vast"]
    assert r.units["eur"].sum() + r.coordination_eur == 1300


def test_share_carve_out():
    # 4 % of 24,000,000 = 960,000 (the Brussels amount as a share).
    p = Params(total=24_000_000, form="geen", carve_outs=(CarveOut("B", "elz57", ("elzB",), share_pct=4.0),))
    r = allocate(small_units(), p)
    assert r.carved_eur == {"B": 960_000}
    assert r.units.set_index("code").loc["B1", "eur"] == 960_000


# --- Building blocks ---------------------------------------------------------------------------------


def test_largest_remainder_by_hand():
    # 3.5 + 2.3 + 4.2 = 10 -> floors 3 + 2 + 4 = 9, spare to .5 -> 4, 2, 4.
    assert largest_remainder([3.5, 2.3, 4.2], 10).tolist() == [4, 2, 4]
    # Ties go to the first in order: 1/3 each of 1 -> 1, 0, 0.
    assert largest_remainder([1 / 3, 1 / 3, 1 / 3], 1).tolist() == [1, 0, 0]
    with pytest.raises(UserFacingError):
        largest_remainder([1.0, 1.0], 5)


def test_floor_cap_by_hand():
    # raw 600, 300, 100 with a floor of 200: 200 + s * 900 = 1000 -> s = 8/9: 533.33, 266.67, 200.
    out, flags = floor_cap(np.array([600.0, 300.0, 100.0]), 1000, 200, None)
    assert out.tolist() == pytest.approx([533.333, 266.667, 200.0], abs=1e-3)
    assert flags.tolist() == [0, 0, -1]
    # Floor 200 and cap 500: 500 + 300 s + 200 = 1000 -> s = 1: 500, 300, 200.
    out, flags = floor_cap(np.array([600.0, 300.0, 100.0]), 1000, 200, 500)
    assert out.tolist() == pytest.approx([500.0, 300.0, 200.0])
    assert flags.tolist() == [1, 0, -1]


def test_floor_cap_in_allocation_keeps_total_and_bounds():
    rng = np.random.default_rng(3)
    units = random_units(rng, 60)
    areas = division_by_parent(units, "elz57")
    r = allocate(units, Params(total=1_000_000, weight=0.5, floor=120_000, cap=160_000), areas)
    eur = r.areas["eur"]
    assert eur.sum() == 1_000_000
    assert eur.min() >= 120_000 - 1 and eur.max() <= 160_000 + 1
    assert set(r.areas["begrensd"]) <= {"", "minimum", "maximum"}
    assert (r.areas["begrensd"] != "").any()


def test_equivalent_weight_gives_same_shares():
    units = small_units()
    rel = allocate(units, Params(total=10_000, form="relatief", weight=0.3))
    b = equivalent_weight("relatief", 0.3, rel.p_mean)
    per = allocate(units, Params(total=10_000, form="per_kansarm", weight=b))
    assert rel.units["eur_exact"].tolist() == pytest.approx(per.units["eur_exact"].tolist())
    assert equivalent_weight("per_kansarm", b, rel.p_mean) == pytest.approx(0.3)


# --- Properties --------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(12))
def test_total_is_exact_for_any_parameters(seed):
    rng = np.random.default_rng(seed)
    units = random_units(rng)
    form = ["geen", "relatief", "per_kansarm"][seed % 3]
    total = int(rng.integers(1_000, 50_000_000))
    carve = (CarveOut("Brussel", "gewest", ("4000",), amount=float(rng.integers(0, total // 10))),)
    params = Params(
        total=total,
        form=form,
        weight=float(rng.uniform(0, 3)),
        carve_outs=carve if seed % 2 else (),
        coordination_pct=float(rng.choice([0, 2.5, 5])),
    )
    areas = division_by_parent(units, "swv") if seed % 4 else None
    r = allocate(units, params, areas)
    assert r.units["eur"].sum() + r.coordination_eur == total
    assert (r.units["eur"] >= 0).all()
    if seed % 2:
        assert r.units.loc[r.units["vast_bedrag"] == "Brussel", "eur"].sum() == r.carved_eur["Brussel"]
    if areas is not None:
        assert r.areas["eur"].sum() == total - r.coordination_eur


def test_weight_zero_gives_shares_proportional_to_under_25s():
    units = random_units(np.random.default_rng(7), 50)
    n = units["pop_0_24"].to_numpy()
    for form in ("relatief", "per_kansarm"):
        r = allocate(units, Params(total=7_654_321, form=form, weight=0.0))
        expected = 7_654_321 * n / n.sum()
        assert r.units["eur_exact"].to_numpy() == pytest.approx(expected)
        assert np.abs(r.units["eur"].to_numpy() - expected).max() < 1.0


@pytest.mark.parametrize("form", ["relatief", "per_kansarm"])
def test_more_deprivation_never_lowers_the_share(form):
    rng = np.random.default_rng(11)
    for trial in range(25):
        units = random_units(rng, 30)
        i = int(rng.integers(0, 30))
        weight = float(rng.uniform(0.05, 2.5))
        before = allocate(units, Params(total=1_000_000, form=form, weight=weight)).units["eur_exact"][i]
        raised = units.copy()
        raised.loc[i, "kansarmoede_pct"] = min(100.0, raised.loc[i, "kansarmoede_pct"] + rng.uniform(1, 30))
        after = allocate(raised, Params(total=1_000_000, form=form, weight=weight)).units["eur_exact"][i]
        assert after >= before - 1e-6, (trial, form, weight)


def test_municipality_elz_swv_sums_agree():
    units = random_units(np.random.default_rng(5), 80)
    elz = division_by_parent(units, "elz57")
    swv_of_elz = {f"elz{j}": f"S{j % 3}" for j in range(7)}
    swv = division_by_parent(units, "elz57", swv_of_elz)
    params = Params(total=3_000_001, weight=0.7)
    by_swv = allocate(units, params, swv)
    # Municipalities -> ELZ -> SWV equals municipalities -> SWV.
    elz_table = by_swv.to_division(elz)
    elz_to_swv = elz_table.assign(swv=elz_table["gebied"].map(swv_of_elz)).groupby("swv")["eur"].sum()
    assert elz_to_swv.to_dict() == by_swv.areas.set_index("gebied")["eur"].to_dict()
    # Allocating by ELZ gives the same unrounded amounts, and the rounded ones add to the same total.
    by_elz = allocate(units, params, elz)
    assert by_elz.units["eur_exact"].to_numpy() == pytest.approx(by_swv.units["eur_exact"].to_numpy())
    assert by_elz.areas["eur"].sum() == by_swv.areas["eur"].sum() == 3_000_001
    deprived = aggregate(by_elz.units, units["swv"].to_numpy())["kansarm_n"].sum()
    assert deprived == pytest.approx((units["pop_0_24"] * units["kansarmoede_pct"] / 100).sum())


# --- Missing indicator policy and negative weights ---------------------------------------------------


def test_missing_indicator_is_imputed_from_elz_and_flagged():
    units = small_units()
    units.loc[len(units)] = ["A3", "Ac", 200, np.nan, "elzA", "P"]
    r = allocate(units, Params(total=1000, form="per_kansarm", weight=1, missing="gemiddelde_elz"))
    row = r.units.set_index("code").loc["A3"]
    # ELZ A: (100*10 + 300*20) / 400 = 17.5 %.
    assert row["kansarmoede_pct"] == pytest.approx(17.5)
    assert bool(row["geimputeerd"]) and row["aangevuld_met"] == "eerstelijnszone"
    assert r.imputed == ["A3"]
    assert any("Ac (A3)" in w for w in r.warnings)


def test_missing_indicator_falls_back_to_province_then_all():
    units = small_units()
    units.loc[len(units)] = ["C1", "Ca", 200, np.nan, "elzC", "P"]
    r = allocate(units, Params(total=1000, form="relatief", missing="gemiddelde_elz"))
    # ELZ C has no known value -> province P: (1000 + 6000 + 24000) / 1000 = 31 %.
    row = r.units.set_index("code").loc["C1"]
    assert row["kansarmoede_pct"] == pytest.approx(31.0)
    assert row["aangevuld_met"] == "provincie"


def test_missing_indicator_refused_with_dutch_message():
    units = small_units()
    units.loc[1, "kansarmoede_pct"] = np.nan
    with pytest.raises(UserFacingError, match=r"ontbreekt voor 1 .*Ab \(A2\)"):
        allocate(units, Params(total=1000, missing="weigeren"))
    # Without correction the index is not needed.
    assert allocate(units, Params(total=1000, form="geen", missing="weigeren")).units["eur"].sum() == 1000


def test_missing_indicator_in_carved_units_is_not_a_problem():
    units = small_units()
    units.loc[2, "kansarmoede_pct"] = np.nan
    p = Params(total=1000, missing="weigeren", carve_outs=(CarveOut("B", "elz57", ("elzB",), amount=100),))
    r = allocate(units, p)
    # B1 is outside the formula, so its missing index is not needed: 100 fixed, 900 over A1 and A2.
    assert r.units["eur"][2] == 100 and r.units["eur"][:2].sum() == 900
    assert not r.units["geimputeerd"].any()


def test_negative_weights_are_clipped_with_a_warning():
    # a = 3: w(A1) = 100 (1 + 3 (10/31 - 1)) = 100 * (1 - 2.032) = -103 -> 0;
    # w(A2) = 300 (1 + 3 (20/31 - 1)) = 300 * (1 - 1.065) = -19.4 -> 0; only B1 keeps a weight -> all 1000.
    r = allocate(small_units(), Params(total=1000, form="relatief", weight=3))
    assert r.clipped == ["A1", "A2"]
    assert r.units["eur"].tolist() == [0, 0, 1000]
    assert any("negatief" in w for w in r.warnings)


# --- Sensitivity and shift ---------------------------------------------------------------------------


def test_sensitivity_and_shift():
    prep = prepare(small_units(), Params(total=1000, weight=1), {"A1": "A", "A2": "A", "B1": "B"})
    s = sensitivity(prep, [0, 0.5, 1])
    a = s[s["gebied"] == "A"].set_index("gewicht_param")["eur"]
    # weight 0: A = 400/1000 * 1000 = 400; weight 1: 225.806 (see hand example).
    assert a[0.0] == pytest.approx(400) and a[1.0] == pytest.approx(225.806, abs=1e-3)
    assert s.groupby("gewicht_param")["eur"].sum().tolist() == pytest.approx([1000, 1000, 1000])
    shift = correction_shift(prep).set_index("gebied")
    assert shift.loc["B", "verschil_pp"] == pytest.approx(77.4194 - 60.0, abs=1e-3)
    assert area_amounts(prep).sum() == pytest.approx(1000)
    assert allocate_prepared(prep, 0.0).units["eur"].tolist() == [100, 300, 600]


# --- Bad inputs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "params", "areas", "message"),
    [
        (lambda u: u.assign(pop_0_24=[100, -5, 600]), {}, None, "Negatief aantal"),
        (lambda u: u.assign(pop_0_24=[100, np.nan, 600]), {}, None, "ontbreekt voor: Ab"),
        (lambda u: u.assign(pop_0_24=[0, 0, 0]), {}, None, "bevolking .* is 0"),
        (lambda u: u, {"total": 0}, None, "groter zijn dan € 0"),
        (lambda u: u, {"total": -10}, None, "groter zijn dan € 0"),
        (
            lambda u: u,
            {"carve_outs": (CarveOut("B", "elz57", ("elzB",), amount=5000),)},
            None,
            "groter dan het totaal",
        ),
        (lambda u: u, {}, {"A1": "A", "A2": "A", "B1": "B", "ZZ": "C"}, "Onbekende code"),
        (lambda u: u, {}, {"A1": "A", "A2": "A"}, "1 eenheid zonder gebied"),
        (lambda u: u, {"form": "kwadratisch"}, None, "Onbekende correctievorm"),
        (lambda u: u, {"weight": -1}, None, "0 of positief"),
        (lambda u: u, {"missing": "raden"}, None, "Onbekende keuze"),
        (lambda u: u.assign(kansarmoede_pct=[10, 120, 40]), {}, None, "tussen 0 en 100"),
        (lambda u: u, {"floor": 100}, None, "vraagt een indeling"),
        (lambda u: u, {"floor": 600}, {"A1": "A", "A2": "A", "B1": "B"}, "minimum"),
        (lambda u: u, {"cap": 100}, {"A1": "A", "A2": "A", "B1": "B"}, "maximum"),
        (lambda u: u, {"population": "pop_0_99"}, None, "niet beschikbaar"),
        (lambda u: u.assign(code=["A1", "A1", "B1"]), {}, None, "Dubbele code"),
        (lambda u: u, {"carve_outs": (CarveOut("X", "elz57", ("elzZ",), amount=1),)}, None, "geen enkele"),
        (lambda u: u, {"coordination_pct": 120}, None, "coördinatie"),
    ],
)
def test_bad_inputs_give_dutch_errors(change, params, areas, message):
    base = {"total": 1000, "form": "relatief", "weight": 1.0}
    base.update(params)
    with pytest.raises(UserFacingError, match=message):
        allocate(change(small_units()), Params(**base), areas)


# --- Tables and text for people ----------------------------------------------------------------------


def test_explanation_fills_in_the_numbers():
    # Hand example (a = 1, p_mean = 31 %): area A = 226 EUR for 400 under-25s (70 deprived, 17,5 %).
    r = allocate(
        small_units(), Params(total=1000, form="relatief", weight=1), {"A1": "A", "A2": "A", "B1": "B"}
    )
    text = "\n".join(explanation(r, "A", published={"A": 200}))
    assert "Het totale budget is € 1.000." in text
    assert "gemiddeld 31,0 %" in text
    assert "a = 1,00" in text and "tweemaal de gemiddelde index (62,0 %) 100 % meer" in text
    assert (
        "Voorbeeld: A telt 400 0-24-jarigen, van wie naar schatting 70 in kansarmoede (index 17,5 %)" in text
    )
    # 226 / 1000 = 22,6 %; 226 / 400 = 0,565 EUR per young person (binary 0.565 may print as 0,56).
    assert "dat geeft € 226 (22,6 % van het verdeelde budget, € 0,5" in text
    assert re.search(r"€ 0,5[67] per 0-24-jarige", text)
    # 226 vs 200 published: +13,0 %.
    assert "In 2021 was dat € 200 (+13,0 %)" in text


def test_explanation_names_imputed_units_and_bounds():
    units = small_units()
    units.loc[len(units)] = ["A3", "Ac", 200, np.nan, "elzA", "P"]
    areas = {"A1": "A", "A2": "A", "A3": "A", "B1": "B"}
    r = allocate(units, Params(total=1000, form="per_kansarm", weight=2, floor=450), areas)
    text = " ".join(explanation(r))
    assert "ontbreekt de kansarmoede-index (Ac); zij kregen het gemiddelde van de eerstelijnszone." in text
    assert "1 gebied werd opgetrokken tot het minimum van € 450" in text
    assert "b = 2,00" in text and "als 3,00 0-24-jarigen" in text


def test_explanation_says_which_group_filled_in_each_missing_index():
    """Ac's zone has an index, Ca's zone has none: Ca gets the province's mean, and the text says so."""
    units = small_units()
    units.loc[len(units)] = ["A3", "Ac", 200, np.nan, "elzA", "P"]
    units.loc[len(units)] = ["C1", "Ca", 50, np.nan, "elzC", "P"]
    r = allocate(units, Params(total=1000), {"A1": "A", "A2": "A", "A3": "A", "B1": "B", "C1": "C"})
    assert dict(zip(r.units["naam"], r.units["aangevuld_met"], strict=True))["Ca"] == "provincie"
    text = " ".join(explanation(r))
    assert (
        "Voor 2 gemeenten ontbreekt de kansarmoede-index (Ac, Ca); zij kregen het gemiddelde van de "
        "eerstelijnszone (1) of, waar die er geen heeft, van de provincie (1)."
    ) in text


def test_export_tables_and_files():
    import io

    r = allocate(
        small_units(), Params(total=1000, form="relatief", weight=1), {"A1": "A", "A2": "A", "B1": "B"}
    )
    comparison = pd.DataFrame({"gebied": ["A", "B"], "gepubliceerd": [200.0, 800.0]})
    area = area_table_nl(r, comparison=comparison)
    assert area["Bedrag (EUR)"].tolist() == [226, 774]
    assert area["Verschil (EUR)"].tolist() == [26, -26]
    assert area["Verschil (%)"].tolist() == pytest.approx([13.0, -3.25])
    unit = unit_table_nl(r)
    assert unit["Code"].tolist() == ["A1", "A2", "B1"] and unit["EUR per 0-24-jarige"][0] == pytest.approx(
        0.32
    )
    params = parameter_table(r.params, {"Indeling": "test"}).set_index("Parameter")["Waarde"]
    assert params["Totaal budget (EUR)"] == "1000" and params["Indeling"] == "test"
    book = pd.read_excel(
        io.BytesIO(xlsx_bytes({"Parameters": parameter_table(r.params), "Per gebied": area})), None
    )
    assert list(book) == ["Parameters", "Per gebied"]
    assert book["Per gebied"]["Bedrag (EUR)"].sum() == 1000
    csv = csv_bytes(area).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("Gebied;Eenheden;")
    assert ";17,5;" in csv  # decimal comma for Belgian Excel
