"""Greedy maximal covering location: hand-made cases, existing partners fixed, monotone coverage."""

import itertools

import numpy as np
import pytest

from geo.partners.location import coverage_matrix, greedy_max_cover

# Four clusters of demand on a line (x in metres): weights 100 at 0, 300 at 10 km, 50 at 20 km, 200 at 30 km.
DEMAND = np.array([[0.0, 0], [10_000, 0], [20_000, 0], [30_000, 0]])
WEIGHTS = np.array([100.0, 300.0, 50.0, 200.0])
CANDIDATES = DEMAND.copy()
CODES = ["a", "b", "c", "d"]


def test_coverage_matrix_is_inclusive():
    m = coverage_matrix(DEMAND, np.array([[5_000.0, 0]]), 5_000.0).toarray()
    assert m.tolist() == [[1.0, 1.0, 0.0, 0.0]]


def test_picks_in_order_of_gain():
    plan = greedy_max_cover(DEMAND, WEIGHTS, CANDIDATES, CODES, np.empty((0, 2)), 1_000.0, 3)
    assert plan.picks["code"].tolist() == ["b", "d", "a"]
    assert plan.picks["winst"].tolist() == [300.0, 200.0, 100.0]
    assert plan.picks["gedekt_na"].tolist() == [300.0, 500.0, 600.0]
    assert plan.share_after == pytest.approx(600 / 650)
    assert plan.weight_before == 0.0 and not plan.stopped_early


def test_existing_partners_stay_fixed_and_are_not_double_counted():
    existing = np.array([[10_200.0, 0]])  # already covers b
    plan = greedy_max_cover(DEMAND, WEIGHTS, CANDIDATES, CODES, existing, 1_000.0, 2)
    assert plan.weight_before == 300.0
    assert plan.picks["code"].tolist() == ["d", "a"]
    assert plan.picks["gedekt_na"].tolist() == [500.0, 600.0]


def test_a_site_covering_two_clusters_wins():
    cands = np.vstack([CANDIDATES, [[25_000.0, 0]]])  # covers c and d within 5 km
    plan = greedy_max_cover(DEMAND, WEIGHTS, cands, [*CODES, "cd"], np.empty((0, 2)), 5_000.0, 1)
    assert plan.picks["code"].tolist() == ["b"]  # 300 > 250
    plan = greedy_max_cover(DEMAND, WEIGHTS, cands, [*CODES, "cd"], np.empty((0, 2)), 5_000.0, 2)
    assert plan.picks["code"].tolist() == ["b", "cd"] and plan.picks["winst"].tolist() == [300.0, 250.0]


def test_stops_when_nothing_left_to_gain():
    plan = greedy_max_cover(DEMAND, WEIGHTS, CANDIDATES, CODES, np.empty((0, 2)), 1_000.0, 10)
    assert len(plan.picks) == 4 and plan.stopped_early
    assert plan.covered_after.all() and plan.share_after == 1.0


def _brute_weight(demand, weights, sites, d):
    if len(sites) == 0:
        return 0.0
    dist = np.sqrt(((demand[:, None, :] - np.asarray(sites)[None, :, :]) ** 2).sum(-1)).min(axis=1)
    return float(weights[dist <= d].sum())


@pytest.mark.parametrize("seed", range(8))
def test_random_cases_never_lower_coverage_and_match_brute_force(seed):
    rng = np.random.default_rng(seed)
    demand = rng.uniform(0, 20_000, size=(60, 2))
    weights = rng.integers(0, 500, size=60).astype(float)
    cands = rng.uniform(0, 20_000, size=(25, 2))
    existing = rng.uniform(0, 20_000, size=(3, 2))
    d = 3_000.0
    plan = greedy_max_cover(demand, weights, cands, [str(i) for i in range(25)], existing, d, 6)
    after = plan.picks["gedekt_na"].to_numpy()
    assert (plan.picks["winst"] >= 0).all()
    assert np.all(np.diff(np.concatenate([[plan.weight_before], after])) >= 0)
    assert plan.weight_before == pytest.approx(_brute_weight(demand, weights, existing, d))
    # each cumulative value equals an independent brute-force count over existing + picks so far
    chosen = [cands[int(c)] for c in plan.picks["code"]]
    for k in range(len(chosen)):
        sites = np.vstack([existing, chosen[: k + 1]])
        assert after[k] == pytest.approx(_brute_weight(demand, weights, sites, d))
    # the first pick is the best single addition
    best = max(_brute_weight(demand, weights, np.vstack([existing, [c]]), d) for c in cands)
    assert after[0] == pytest.approx(best)
    assert (plan.covered_after >= plan.covered_before).all()


def test_greedy_is_close_to_the_optimum_on_a_small_case():
    rng = np.random.default_rng(42)
    demand = rng.uniform(0, 10_000, size=(40, 2))
    weights = rng.integers(1, 100, size=40).astype(float)
    cands = rng.uniform(0, 10_000, size=(10, 2))
    plan = greedy_max_cover(demand, weights, cands, [str(i) for i in range(10)], np.empty((0, 2)), 2_500.0, 3)
    optimum = max(
        _brute_weight(demand, weights, cands[list(c)], 2_500.0) for c in itertools.combinations(range(10), 3)
    )
    assert plan.weight_after >= (1 - 1 / np.e) * optimum
    assert plan.weight_after <= optimum + 1e-9


def test_locate_within_the_division_or_one_area():
    import pandas as pd

    from geo.partners import planning

    # the four clusters as units; "d" lies outside every area and is neither demand nor candidate
    table = pd.DataFrame(
        {
            "code": CODES,
            "naam": ["A-dorp", "B-stad", "C-dorp", "D-stad"],
            "x": DEMAND[:, 0] + 150_000,
            "y": DEMAND[:, 1] + 200_000,
            "pop_0_24": WEIGHTS,
            "kansarmoede_n": [10.0, 0.0, 40.0, 0.0],
        }
    )
    areas = {"a": "West", "b": "West", "c": "Oost"}
    partners = pd.DataFrame({"type": ["CLB"], "x": [150_000.0], "y": [200_000.0]})  # covers a
    report = planning.locate(partners, table, areas, "CLB", 5, 1_000.0)
    plan = report.best
    assert report.scope["code"].tolist() == ["a", "b", "c"]
    assert plan.picks["code"].tolist() == ["b", "c"]  # then nothing left to gain
    assert plan.stopped_early and report.greedy.picks["code"].tolist() == ["b", "c"]
    picks = planning.picks_table(report, plan, areas)
    assert picks["naam"].tolist() == ["B-stad", "C-dorp"]
    assert picks["gebied"].tolist() == ["West", "Oost"]
    assert picks["lat"].between(49.4, 51.6).all() and picks["lon"].between(2.5, 6.5).all()
    assert planning.unit_status(report, plan) == {"a": "bereikt", "b": "extra bereikt", "c": "extra bereikt"}

    east = planning.locate(partners, table, areas, "CLB", 5, 1_000.0, area="Oost", only_deprived=True)
    assert east.scope["code"].tolist() == ["c"]
    assert east.best.total_weight == 40.0  # deprived young people of Oost only
    assert east.best.picks["code"].tolist() == ["c"]

    none_left = planning.locate(partners, table, areas, "CLB", 0, 1_000.0)
    assert (
        none_left.best.picks.empty and planning.unit_status(none_left, none_left.best)["b"] == "niet bereikt"
    )
