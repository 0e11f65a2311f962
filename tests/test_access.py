"""Two-step floating catchment (2SFCA): a hand-computed example, decays, conservation, area tables."""

import numpy as np
import pytest

from geo.partners.access import (
    PER,
    access_by_area,
    access_by_type,
    decay,
    two_step_fca,
    unit_access,
    weighted_quantiles,
)
from geo.partners.network import StraightLine

# Demand on a line (metres): A 100 young people at 0, B 300 at 1000, C 200 at 5000, D 10 at 20 km.
DEMAND = np.array([[0.0, 0], [1000.0, 0], [5000.0, 0], [20_000.0, 0]])
POP = np.array([100.0, 300.0, 200.0, 10.0])
AREA = np.array(["Noord", "Noord", "Zuid", "Zuid"], dtype=object)
# Partners: P1 (8 places) at 500, P2 (2) at 4500, P3 (4) at 1500, P4 (5) far away at 100 km.
PARTNERS = np.array([[500.0, 0], [4500.0, 0], [1500.0, 0], [100_000.0, 0]])
CAPACITY = np.array([8.0, 2.0, 4.0, 5.0])
D0 = 1000.0


def _within(partners=PARTNERS):
    return StraightLine().within(partners, DEMAND, D0)


def test_step_decay_by_hand():
    res = two_step_fca(POP, CAPACITY, _within(), D0, "stap")
    # P1 reaches A and B (500 m each): 8 / 400; P2 reaches C: 2 / 200; P3 reaches B only: 4 / 300.
    assert res.ratio[:3] == pytest.approx([8 / 400, 2 / 200, 4 / 300])
    assert res.ratio[3] == 0.0 and res.unused == 5.0  # P4 reaches nobody
    assert res.access == pytest.approx([8 / 400, 8 / 400 + 4 / 300, 2 / 200, 0.0])
    # every place is handed out once: sum of P_i A_i = capacity of the partners that reach someone
    assert (POP * res.access).sum() == pytest.approx(8 + 2 + 4)


def test_linear_decay_by_hand():
    partners = PARTNERS.copy()
    partners[0] = [250.0, 0]  # P1 now 250 m from A (W = 0,75) and 750 m from B (W = 0,25)
    res = two_step_fca(POP, CAPACITY, _within(partners), D0, "lineair")
    r1 = 8 / (0.75 * 100 + 0.25 * 300)  # = 8 / 150
    r2 = 2 / (0.5 * 200)
    r3 = 4 / (0.5 * 300)
    assert res.ratio[:3] == pytest.approx([r1, r2, r3])
    assert res.access == pytest.approx([0.75 * r1, 0.25 * r1 + 0.5 * r3, 0.5 * r2, 0.0])
    assert res.access[:3] * PER == pytest.approx([40.0, 40 / 3 + 40 / 3, 10.0])
    assert (POP * res.access).sum() == pytest.approx(14.0)


def test_gaussian_decay_shape_and_conservation():
    w = decay(np.array([0.0, 500.0, 1000.0, 1200.0]), 1000.0, "gauss")
    assert w[0] == pytest.approx(1.0) and w[2] == pytest.approx(0.0) and w[3] == 0.0
    g = np.exp(-0.5)
    assert w[1] == pytest.approx((np.exp(-0.125) - g) / (1 - g))
    res = two_step_fca(POP, CAPACITY, _within(), D0, "gauss")
    assert (POP * res.access).sum() == pytest.approx(14.0)
    with pytest.raises(ValueError):
        decay(np.array([1.0]), 10.0, "kwadratisch")


@pytest.mark.parametrize("kind", ["stap", "lineair", "gauss"])
def test_conservation_on_random_cases(kind):
    rng = np.random.default_rng(3)
    demand = rng.uniform(0, 30_000, size=(300, 2))
    pop = rng.integers(0, 800, size=300).astype(float)
    partners = rng.uniform(0, 30_000, size=(40, 2))
    cap = rng.uniform(0.5, 20, size=40)
    within = StraightLine().within(partners, demand, 3000.0)
    res = two_step_fca(pop, cap, within, 3000.0, kind)
    assert (pop * res.access).sum() == pytest.approx(cap.sum() - res.unused)
    assert (res.access >= 0).all()


def test_per_type_uses_only_that_type():
    types = np.array(["CLB", "CAW", "CLB", "CAW"], dtype=object)
    out = access_by_type(DEMAND, POP, PARTNERS, types, CAPACITY, D0, "stap", ["CLB", "CAW"])
    # CLB: P1 and P3 only
    assert out["CLB"].access == pytest.approx([8 / 400, 8 / 400 + 4 / 300, 0.0, 0.0])
    # CAW: P2 and the far P4
    assert out["CAW"].access == pytest.approx([0.0, 0.0, 2 / 200, 0.0]) and out["CAW"].unused == 5.0


def test_area_table_by_hand():
    res = {"alle": two_step_fca(POP, CAPACITY, _within(), D0, "stap")}
    deprived = np.array([10.0, 30.0, 50.0, 5.0])
    table = access_by_area(res, POP, AREA, threshold=15.0, counted=POP + deprived, total="Totaal")
    t = table.set_index("gebied")
    # per 1,000: A 20, B 33,33, C 10, D 0
    assert t.loc["Noord", "jongeren"] == 400 and t.loc["Zuid", "jongeren"] == 210
    assert t.loc["Noord", "toegang"] == pytest.approx(1000 * (100 * 0.02 + 300 * (0.02 + 4 / 300)) / 400)
    assert t.loc["Noord", "capaciteit_bereikt"] == pytest.approx(12.0)
    assert t.loc["Zuid", "capaciteit_bereikt"] == pytest.approx(2.0)
    assert t.loc["Noord", "min"] == pytest.approx(20.0) and t.loc["Noord", "max"] == pytest.approx(100 / 3)
    assert t.loc["Noord", "mediaan"] == pytest.approx(100 / 3)  # 300 of the 400 young people live in B
    assert t.loc["Noord", "p10"] == pytest.approx(20.0)
    # below 15 per 1,000: C and D (counted with deprivation weight 1: 250 + 15)
    assert t.loc["Noord", "onder_drempel"] == 0.0
    assert t.loc["Zuid", "onder_drempel"] == pytest.approx(265.0)
    assert t.loc["Zuid", "aandeel_onder"] == pytest.approx(1.0)
    assert t.loc["Zuid", "zonder_toegang"] == pytest.approx(15.0)  # D: nobody in reach
    # the total row is computed from the units, not by adding rows
    assert t.loc["Totaal", "jongeren"] == 610 and t.loc["Totaal", "capaciteit_bereikt"] == pytest.approx(14.0)
    assert t.loc["Totaal", "mediaan"] == pytest.approx(20.0)  # 305 of 610 at or below 20
    assert t.loc["Totaal", "onder_drempel"] == pytest.approx(265.0)


def test_units_outside_areas_count_only_as_demand():
    area = np.array(["Noord", "", "Zuid", "Zuid"], dtype=object)
    res = {"alle": two_step_fca(POP, CAPACITY, _within(), D0, "stap")}
    t = access_by_area(res, POP, area, threshold=15.0).set_index("gebied")
    assert set(t.index) == {"Noord", "Zuid"} and t.loc["Noord", "jongeren"] == 100
    # B still takes its share of P1's places although it lies in no area
    assert t.loc["Noord", "toegang"] == pytest.approx(20.0)


def test_weighted_quantiles_against_repetition():
    rng = np.random.default_rng(1)
    values = rng.integers(0, 50, size=60).astype(float)
    weights = rng.integers(1, 5, size=60).astype(float)
    groups = rng.integers(0, 3, size=60)
    got = weighted_quantiles(values, weights, groups, 4, [0.0, 0.25, 0.5, 0.9, 1.0])
    for g in range(3):
        expanded = np.sort(np.repeat(values[groups == g], weights[groups == g].astype(int)))
        for k, q in enumerate([0.0, 0.25, 0.5, 0.9, 1.0]):
            # lower quantile: the value at position ceil(q * n) (1-based), the first one for q = 0
            pos = max(int(np.ceil(q * len(expanded))), 1) - 1
            assert got[g, k] == expanded[pos]
    assert np.isnan(got[3]).all()  # an empty group


def test_unit_table():
    res = {"CLB": two_step_fca(POP, CAPACITY, _within(), D0, "stap")}
    t = unit_access(res, ["a", "b", "c", "d"], AREA, POP)
    assert t["toegang_CLB"].tolist() == pytest.approx([20.0, 1000 * (0.02 + 4 / 300), 10.0, 0.0])
