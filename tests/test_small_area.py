"""The small-area K&G estimate: the logistic index curve and the spread within municipalities (no data)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit

from geo.data.sectors import IndexCurve, fit_index_curve, small_area_estimate, young_weighted_score


def test_fit_recovers_a_known_curve():
    rng = np.random.default_rng(3)
    score = rng.uniform(2, 60, 300)
    young = rng.integers(500, 50_000, 300).astype(float)
    index = 100 * expit(-3.0 + 0.06 * score)  # exact: the fit must find a and b back
    curve = fit_index_curve(score, index, young)
    assert curve.a == pytest.approx(-3.0, abs=1e-6) and curve.b == pytest.approx(0.06, abs=1e-8)
    assert curve.municipalities == 300
    # missing values are left out, not guessed
    score[:10] = np.nan
    assert fit_index_curve(score, index, young).municipalities == 290
    with pytest.raises(ValueError, match="te weinig gemeenten"):
        fit_index_curve(np.array([1.0, np.nan]), np.array([5.0, 6.0]), np.array([10.0, 10.0]))


def test_estimate_keeps_each_municipal_count_and_follows_the_score():
    group = np.array(["A"] * 4 + ["B"] * 3 + ["C"] * 2)
    young = np.array([100.0, 300.0, 50.0, 200.0, 1000.0, 10.0, 400.0, 80.0, 20.0])
    score = np.array([5.0, 20.0, 60.0, np.nan, 10.0, 40.0, 12.0, 30.0, 30.0])
    deprived = pd.Series({"A": 150.0, "B": 30.0, "C": 0.0})
    curve = IndexCurve(-3.2, 0.06, 280)
    out = small_area_estimate(group, young, score, deprived, curve)
    sums = pd.Series(out).groupby(group).sum()
    assert sums["A"] == pytest.approx(150.0) and sums["B"] == pytest.approx(30.0) and sums["C"] == 0.0
    rate = out / young
    assert ((rate >= 0) & (rate <= 1)).all()
    assert rate[0] < rate[1] < rate[2]  # higher score, higher rate inside a municipality
    assert rate[4] < rate[6] < rate[5]
    # the sector without a score gets the municipality's young-weighted mean score
    mean_a = young_weighted_score(group, young, score)["A"]
    assert mean_a == pytest.approx((100 * 5 + 300 * 20 + 50 * 60) / 450)
    assert rate[1] < rate[3] < rate[2]  # 20 < mean (21,1) < 60


def test_a_steeper_curve_gives_more_contrast_inside_a_municipality():
    group = np.array(["A"] * 3)
    young = np.array([1000.0, 1000.0, 1000.0])
    score = np.array([5.0, 15.0, 45.0])
    deprived = pd.Series({"A": 600.0})
    flat = small_area_estimate(group, young, score, deprived, IndexCurve(-2, 0.01, 1)) / young
    steep = small_area_estimate(group, young, score, deprived, IndexCurve(-2, 0.08, 1)) / young
    assert steep[2] - steep[0] > flat[2] - flat[0] > 0
    # a municipality whose deprived count equals all its young people: every piece is at 100 %
    full = small_area_estimate(group, young, score, pd.Series({"A": 3000.0}), IndexCurve(-2, 0.08, 1))
    assert full.sum() == pytest.approx(3000.0, rel=1e-9)
