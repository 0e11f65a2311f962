"""Example caseload generator: reproducible, labelled, proportional to population, valid input."""

import numpy as np
import pandas as pd
import pytest

from geo.caseload.cases import EXAMPLE_LABEL, caseload_summary, validate_caseload
from geo.caseload.example import example_capacity, example_caseload
from geo.caseload.io import read_caseload

UNITS = pd.DataFrame(
    {
        "code": ["a", "b", "c", "d"],
        "pop_0_24": [10_000.0, 20_000.0, 10_000.0, 0.0],
        "kansarmoede_n": [0.0, 0.0, 5_000.0, 0.0],
        "x": [0.0, 1_000.0, 50_000.0, 51_000.0],
        "y": [0.0, 0.0, 0.0, 0.0],
    }
)
AREAS = {"a": "West", "b": "West", "c": "Oost", "d": "Oost"}


def test_same_seed_same_table_other_seed_other_table():
    a = example_caseload(UNITS, AREAS, seed=7)
    b = example_caseload(UNITS, AREAS, seed=7)
    c = example_caseload(UNITS, AREAS, seed=8)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


def test_labelled_and_without_zero_rows():
    df = example_caseload(UNITS, AREAS, months=6)
    assert (df["bron"] == EXAMPLE_LABEL).all() and "voorbeelddata" in EXAMPLE_LABEL
    assert (df["aanmeldingen"] > 0).all()
    assert "d" not in set(df["eenheid"])  # no under-25s, no registrations
    assert sorted(df["maand"].unique()) == [f"2024-0{i}" for i in range(1, 7)]


def test_counts_follow_population_rate_and_deprivation():
    df = example_caseload(UNITS, AREAS, months=24, rate_per_1000_per_year=30, deprivation_factor=2.0,
                          monthly_growth=0.0, seed=3)  # fmt: skip
    totals = df.groupby("eenheid")["aanmeldingen"].sum()
    # expected over 2 years: a 600, b 1200, c 600 * (1 + 2 * 0.5) = 1200 (Poisson noise ~ sqrt)
    assert totals["a"] == pytest.approx(600, abs=4 * np.sqrt(600))
    assert totals["b"] == pytest.approx(1200, abs=4 * np.sqrt(1200))
    assert totals["c"] == pytest.approx(1200, abs=4 * np.sqrt(1200))


def test_transfers_go_to_the_nearest_other_area():
    df = example_caseload(UNITS, AREAS, transfer_share=0.5, seed=2)
    moved = df[df["behandelend_gebied"] != ""]
    assert len(moved) > 0
    assert set(moved.loc[moved["eenheid"].isin(["a", "b"]), "behandelend_gebied"]) == {"Oost"}
    share = moved["aanmeldingen"].sum() / df["aanmeldingen"].sum()
    assert 0.4 < share < 0.6


def test_example_is_valid_input_and_summarises():
    df = example_caseload(UNITS, AREAS, seed=1)
    text = df.drop(columns="bron").to_csv(index=False).replace("eenheid", "wijk")
    raw = read_caseload(text.encode(), "e.csv")
    res = validate_caseload(raw, {"wijk": UNITS["code"]}, areas=["West", "Oost"])
    assert res.ok, [str(m) for m in res.messages[:3]]
    assert res.cases["aanmeldingen"].sum() == df["aanmeldingen"].sum()
    cap = example_capacity(UNITS, AREAS, fte_per_10000=2.0, spread=0.0)
    assert cap == {"Oost": 2.0, "West": 6.0}
    s = caseload_summary(res.cases, AREAS, dict(zip(UNITS["code"], UNITS["pop_0_24"], strict=True)), cap)
    assert s["aanmeldingen"].sum() == df["aanmeldingen"].sum()
