"""Scorecard: the best value per row on hand-made divisions, the same numbers as each division's page,
and the XLSX export."""

from __future__ import annotations

import io

import numpy as np
import pytest
from openpyxl import load_workbook

from geo.budget.per_unit import unit_budget
from geo.cli.main import main
from geo.data import units
from geo.divisions.division import Division
from geo.divisions.metrics import AreaMetrics, UnitData
from geo.divisions.references import reference_division
from geo.errors import UserFacingError
from geo.reports import scorecard
from geo.reports.scorecard import HIGHER, LOWER, Row, best_of
from geo.reports.tables import cell_text

FOUR = ["11002", "11040", "11044", "11052"]  # Antwerpen, Schoten, Stabroek, Wommelgem


def hand_made():
    """Three divisions of the four municipalities of Groot Antwerpen."""
    a = Division.from_mapping(
        "Stad apart", "gemeente", FOUR, {"11002": "Stad", "11040": "Rand", "11044": "Rand", "11052": "Rand"}
    )
    b = Division.from_mapping(
        "Twee en twee", "gemeente", FOUR, {"11002": "Stad", "11044": "Stad", "11040": "Rand", "11052": "Rand"}
    )
    c = Division.from_mapping(
        "Eén ontbreekt", "gemeente", FOUR, {"11002": "Stad", "11040": "Rand", "11044": "Rand"}
    )
    return a, b, c  # fmt: skip


def test_best_value_marking_on_hand_made_divisions():
    a, b, c = hand_made()
    card = scorecard.build([a, b, c])
    inhabitants = units.load_table("gemeente").set_index("code")["inwoners"].astype(float)
    expected = {}
    for d in (a, b, c):
        sizes = np.array([inhabitants.loc[d.units_in(area)].sum() for area in d.areas])
        expected[d.name] = sizes.max() / sizes.min()
    for d in (a, b, c):
        assert card.value("verhouding_inwoners", d.name) == pytest.approx(expected[d.name])
    lowest = min(expected, key=expected.get)
    assert card.best["verhouding_inwoners"] == [lowest]
    # one unit without an area in c: a and b share the best value (0), c is not marked
    assert card.value("zonder_gebied", c.name) == 1
    assert card.best["zonder_gebied"] == [a.name, b.name]
    assert card.best["gebieden"] == []  # no direction: nothing marked
    text = card.text_table()
    row = text[text["Cijfer"] == "Eenheden zonder gebied"].iloc[0]
    assert row[a.name].endswith("*") and not row[c.name].endswith("*")


def test_best_of_rounds_to_the_shown_decimals_and_keeps_ties():
    low = Row("x", "x", "number", 2, LOWER, lambda f: None)
    assert best_of({"A": 1.004, "B": 1.0, "C": 2.0}, low) == ["A", "B"]
    high = Row("y", "y", "share", 1, HIGHER, lambda f: None)
    assert best_of({"A": 0.5, "B": None, "C": 0.7}, high) == ["C"]
    assert best_of({"A": None}, high) == []


def test_best_of_marks_every_value_that_shows_as_the_best():
    """0,125 shows as 0,13 (halves up, as the table writes it): it ties with 0,13."""
    high = Row("x", "x", "number", 2, HIGHER, lambda f: None)
    assert best_of({"A": 0.125, "B": 0.13, "C": 0.12}, high) == ["A", "B"]
    shown = {n: cell_text(v, high.col) for n, v in {"A": 0.125, "B": 0.13}.items()}
    assert shown["A"] == shown["B"] == "0,13"


def test_scorecard_numbers_equal_each_division_page():
    divisions = [reference_division("swv2021_gemeente"), reference_division("elz57_gemeente")]
    card = scorecard.build(divisions)
    page_data = UnitData.load("gemeente").with_counts(budget_eur=unit_budget("gemeente"))
    for d in divisions:
        metrics = AreaMetrics(page_data, d)  # what the Indelingen page computes
        summary, table = metrics.summary(), metrics.table()
        assert card.value("verhouding_inwoners", d.name) == pytest.approx(summary.max_min_ratio)
        assert card.value("cv_inwoners", d.name) == pytest.approx(100 * summary.cv)
        assert card.value("niet_samenhangend", d.name) == len(summary.not_contiguous)
        assert card.value("budget_min", d.name) == table["budget_eur"].min()
        assert card.value("budget_max", d.name) == table["budget_eur"].max()
        assert card.value("budget_totaal", d.name) == 23_999_998
        assert card.value("compact_min", d.name) == pytest.approx(table["polsby_popper"].min())


def test_scorecard_refuses_one_or_six_divisions():
    a, b, c = hand_made()
    with pytest.raises(UserFacingError, match="2 tot 5"):
        scorecard.build([a])
    with pytest.raises(UserFacingError, match="2 tot 5"):
        scorecard.build([a, b, c, a, b, c])


def test_scorecard_xlsx_holds_the_same_numbers(tmp_path):
    a, b, c = hand_made()
    card = scorecard.build([a, b])
    wb = load_workbook(io.BytesIO(scorecard.xlsx_bytes(card)))
    rows = list(wb["Scorecard"].iter_rows(values_only=True))
    header = rows[0]
    col = header.index("Evenwicht: grootste / kleinste gebied (inwoners)")
    assert rows[1][0] == a.name and rows[1][col] == pytest.approx(card.value("verhouding_inwoners", a.name))
    best = {r[0]: r[1] for r in wb["Beste waarde"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert best["Eenheden zonder gebied"] == f"{a.name}, {b.name}"
    assert a.name in wb.sheetnames and b.name in wb.sheetnames


def test_scorecard_with_partners_marks_the_highest_coverage():
    import pandas as pd

    a, b, _ = hand_made()
    table = units.load_table("gemeente").set_index("code")
    partners = pd.DataFrame(  # one partner in the middle of Antwerpen
        {"x": [table.loc["11002", "x"]], "y": [table.loc["11002", "y"]], "type": ["CLB"]}
    )
    card = scorecard.build([a, b], scorecard.ScorecardOptions(partners=partners, distance_m=8000))
    share = {d.name: card.value("dekking", d.name) for d in (a, b)}
    assert all(0 < v < 1 for v in share.values())
    assert share[a.name] == pytest.approx(share[b.name])  # same units, same partner: same share overall
    # a's Rand holds Stabroek (centre 7,0 km away); b's Rand is Schoten (8,7 km) and Wommelgem (11,0 km)
    lowest = {d.name: card.value("dekking_min", d.name) for d in (a, b)}
    assert lowest[a.name] > 0 and lowest[b.name] == 0
    assert card.best["dekking_min"] == [a.name]
    # within 3 km both Rand areas are out of reach: a tie at 0, both marked
    near = scorecard.build([a, b], scorecard.ScorecardOptions(partners=partners, distance_m=3000))
    assert [near.value("dekking_min", d.name) for d in (a, b)] == [0, 0]
    assert near.best["dekking_min"] == [a.name, b.name]


def test_cli_scorecard(tmp_path, capsys):
    out = tmp_path / "sc.xlsx"
    assert (
        main(["division", "scorecard", "ref:swv2021_gemeente", "ref:elz57_gemeente", "--uit", str(out)]) == 0
    )
    text = capsys.readouterr().out
    assert "Evenwicht" in text and "*" in text
    assert out.read_bytes()[:2] == b"PK"
    assert "Antwerpse deelzone" not in text  # two divisions of municipalities: no note about wijk estimates


def test_budget_rows_follow_the_chosen_formula():
    from geo.reports.figures import default_params, params_by_level

    divisions = [reference_division("swv2021_gemeente"), reference_division("elz57_gemeente")]
    params = params_by_level({"gemeente"}, weight=0.8, total=30_000_000)
    card = scorecard.build(divisions, scorecard.ScorecardOptions(params_by_level=params))
    per_unit = unit_budget("gemeente", default_params("gemeente", 0.8, 30_000_000))
    for d in divisions:
        sums = [per_unit.reindex(d.units_in(area)).sum() for area in d.areas]
        assert card.value("budget_totaal", d.name) == 30_000_000
        assert card.value("budget_min", d.name) == min(sums)
        assert card.value("budget_max", d.name) == max(sums)
    default = scorecard.build(divisions)
    assert default.value("budget_max", divisions[0].name) != card.value("budget_max", divisions[0].name)
    # the total is the formula's, not an amount per unit
    assert "(totaal € 30.000.000, gewicht a = 0,80) per eenheid, opgeteld per gebied" in " ".join(card.notes)
    assert any("a = 0,80" in n for n in card.notes)


def test_cli_dossier_with_another_weight(tmp_path, capsys):
    out = tmp_path / "d.xlsx"
    pdf_out = tmp_path / "d.pdf"
    args = ["division", "dossier", "ref:swv2021_gemeente", "--gewicht", "0,8", "--uit", str(pdf_out)]
    assert main([*args, "--xlsx", str(out)]) == 0
    params = load_workbook(out)["Parameters van de formule"]
    values = {r[0]: r[1] for r in params.iter_rows(min_row=2, values_only=True)}
    assert values["Gewicht (a of b)"] == "0,8"


def test_scorecard_follows_the_population_year():
    divisions = [reference_division("swv2021_gemeente"), reference_division("elz57_gemeente")]
    card = scorecard.build(divisions, scorecard.ScorecardOptions(year=2015))
    page_data = UnitData.load("gemeente", 2015).with_counts(budget_eur=unit_budget("gemeente", year=2015))
    for d in divisions:
        summary = AreaMetrics(page_data, d).summary()
        assert card.value("verhouding_inwoners", d.name) == pytest.approx(summary.max_min_ratio)
    assert any("2015" in n for n in card.notes)
