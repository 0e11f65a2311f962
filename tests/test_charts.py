"""Chart builders of the pages (Altair / Vega-Lite): the data each mark draws, the order and colours, the
weight markers with their text, and the Flemish number locale, read from the Vega-Lite spec."""

from __future__ import annotations

import pandas as pd
import pytest

from geo_app import charts


def leaves(chart) -> list[dict]:
    """Every drawn layer of a chart's spec as {mark, encoding, rows}, data inherited from its parents."""
    spec = chart.to_dict()
    datasets = spec.get("datasets", {})
    found: list[dict] = []

    def walk(node: dict, data: str | None) -> None:
        data = node.get("data", {}).get("name", data)
        if "layer" in node:
            for child in node["layer"]:
                walk(child, data)
            return
        mark = node["mark"] if isinstance(node["mark"], dict) else {"type": node["mark"]}
        found.append({"mark": mark, "encoding": node["encoding"], "rows": datasets[data]})

    walk(spec, None)
    return found


def locale_of(chart) -> dict:
    return chart.to_dict()["config"]["locale"]


def test_locale_gives_flemish_numbers():
    number = charts.LOCALE["number"]
    assert (number["decimal"], number["thousands"], number["grouping"]) == (",", ".", [3])
    assert number["currency"] == ["€ ", ""]
    assert charts.LOCALE["time"]["months"][2] == "maart"
    assert charts.LOCALE["time"]["shortMonths"][2] == "mrt"


SHIFT = pd.DataFrame(
    {
        "gebied": ["A", "B", "C"],
        "verschil_pp": [1.5, -0.5, 0.0],
        "aandeel_zonder_pct": [10.0, 20.0, 70.0],
        "aandeel_met_pct": [11.5, 19.5, 70.0],
        "verschil_eur": [15_000.0, -5_000.0, 0.0],
    }
)


def test_correction_shift_colours_winners_and_losers():
    chart = charts.correction_shift(SHIFT)
    (bars,) = leaves(chart)
    assert bars["mark"]["type"] == "bar"
    rows = bars["rows"]
    assert [r["gebied"] for r in rows] == ["B", "C", "A"]  # sorted by the shift
    assert bars["encoding"]["y"]["sort"] == ["B", "C", "A"]
    assert {r["gebied"]: r["uitkomst"] for r in rows} == {"B": "verliest", "C": "wint", "A": "wint"}
    scale = bars["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == {
        "wint": charts.WINS,
        "verliest": charts.LOSES,
    }
    # tooltips in nl-BE: shares with a comma and %, the euro difference with a thousands dot
    by_area = {r["gebied"]: r for r in rows}
    assert (by_area["A"]["zonder"], by_area["A"]["met"]) == ("10,00 %", "11,50 %")
    assert by_area["A"]["verschil"] == "€ 15.000" and by_area["B"]["verschil"] == "-€ 5.000"
    assert bars["encoding"]["x"]["title"] == "Verschil in aandeel (procentpunt)"
    assert locale_of(chart) == charts.LOCALE


def weight_lines(chart) -> dict[str, float]:
    """Text -> weight of the vertical marker lines (a rule and its text share one data row)."""
    rules = [leaf for leaf in leaves(chart) if leaf["mark"]["type"] == "rule"]
    texts = [leaf for leaf in leaves(chart) if leaf["mark"]["type"] == "text"]
    assert len(rules) == len(texts)
    for rule, text in zip(rules, texts, strict=True):
        assert rule["rows"] == text["rows"]
    return {leaf["rows"][0]["tekst"]: leaf["rows"][0]["gewicht"] for leaf in rules}


def test_weight_lines_only_for_known_weights():
    sens = pd.DataFrame({"gewicht_param": [0.0, 1.0, 0.0, 1.0], "gebied": list("AABB"), "eur": [1, 2, 3, 4]})
    without = charts.sensitivity(sens, "Gewicht a", current=0.4, best=None)
    with_best = charts.sensitivity(sens, "Gewicht a", current=0.4, best=0.2)
    assert weight_lines(without) == {"huidige keuze": 0.4}
    assert weight_lines(with_best) == {"huidige keuze": 0.4, "best bij 2021": 0.2}
    line, points = leaves(with_best)[:2]
    assert line["mark"]["type"] == "line" and line["encoding"]["color"]["field"] == "gebied"
    assert [(r["gebied"], r["eur"]) for r in line["rows"]] == [("A", 1), ("A", 2), ("B", 3), ("B", 4)]
    assert line["encoding"]["y"]["axis"]["format"] == charts.EURO  # € 1.234.567 under the locale
    assert [t["field"] for t in points["encoding"]["tooltip"]] == ["gebied", "gewicht_param", "eur"]


def test_sensitivity_in_staff_units_is_not_formatted_as_euro():
    sens = pd.DataFrame({"gewicht_param": [0.0, 1.0], "gebied": ["A", "A"], "eur": [0.4, 0.6]})
    chart = charts.sensitivity(sens, "Gewicht a", 0.2, None, amount_label="Aandeel (VTE)")
    assert leaves(chart)[0]["encoding"]["y"]["axis"]["format"] == ",.2~f"


def test_calibration_curve_marks_current_and_best_and_starts_at_zero():
    curve = pd.DataFrame(
        {"gewicht_param": [0.0, 0.5, 1.0, 2.0], "rmse": [300_000.0, 100_000.0, 200_000.0, 9e6]}
    )
    chart = charts.calibration_curve(curve, "Gewicht a", 0.2, 0.5, "best: 0,500", x_max=1.0)
    assert weight_lines(chart) == {"huidige keuze": 0.2, "best: 0,500": 0.5}
    line = leaves(chart)[0]
    assert [r["rmse"] for r in line["rows"]] == [300_000.0, 100_000.0, 200_000.0, 9e6]
    assert line["encoding"]["x"]["scale"]["domain"] == [0, 1.0]
    assert line["mark"]["clip"] is True  # the part beyond x_max is cut off, not drawn over the axis


def test_published_vs_computed_pairs_bars_per_area():
    comparison = pd.DataFrame(
        {"gebied": ["Klein", "Groot"], "gepubliceerd": [100.0, 900.0], "berekend": [120.0, 880.0]}
    )
    chart = charts.published_vs_computed(comparison)
    (bars,) = leaves(chart)
    assert bars["encoding"]["y"]["sort"] == ["Groot", "Klein"]  # largest published budget first
    pairs = {(r["gebied"], r["reeks"]): r["eur"] for r in bars["rows"]}
    assert pairs == {
        ("Groot", "Gepubliceerd 2021"): 900.0,
        ("Klein", "Gepubliceerd 2021"): 100.0,
        ("Groot", "Berekend"): 880.0,
        ("Klein", "Berekend"): 120.0,
    }
    assert bars["encoding"]["yOffset"]["field"] == "reeks"


def test_lines_per_month_keep_month_order_and_leave_masked_months_out():
    long = pd.DataFrame(
        {
            "maand": ["dec 2023", "jan 2024", "dec 2023", "jan 2024"],
            "gebied": ["A", "A", "B", "B"],
            "aanmeldingen": [5.0, None, 7.0, 8.0],
        }
    )
    chart = charts.lines_per_month(long)
    line, points = leaves(chart)
    assert line["encoding"]["x"]["sort"] == ["dec 2023", "jan 2024"]  # not alphabetical
    assert line["mark"]["invalid"].startswith("break-paths")  # a masked month is a gap, not a zero
    assert [r["aanmeldingen"] for r in line["rows"]] == [5.0, None, 7.0, 8.0]
    assert any(t["field"] == "aanmeldingen" for t in points["encoding"]["tooltip"])


def test_coverage_steps_start_at_today_in_percent():
    chart = charts.coverage_steps({"snelle benadering": [0.5, 0.6, 0.65], "exacte keuze": [0.5, 0.62]})
    line = leaves(chart)[0]
    rows = [(r["plan"], r["nieuwe locaties"], r["pct"], r["tekst"]) for r in line["rows"]]
    assert rows == [
        ("snelle benadering", 0, 50.0, "50,0 %"),
        ("snelle benadering", 1, 60.0, "60,0 %"),
        ("snelle benadering", 2, 65.0, "65,0 %"),
        ("exacte keuze", 0, 50.0, "50,0 %"),
        ("exacte keuze", 1, pytest.approx(62.0), "62,0 %"),
    ]


def test_equal_vs_need_bars_coloured_by_the_difference_and_equal_markers():
    table = pd.DataFrame(
        {
            "gebied": ["A", "B", "C"],
            "gelijk": [0.4, 0.4, 0.4],
            "behoefte": [0.6, 0.3, 0.4],
            "verschil": [0.2, -0.1, 0.0],
            "n_per_gelijk": [100.0, 50.0, 75.0],
            "n_per_behoefte": [66.7, 66.7, 75.0],
        }
    )
    chart = charts.equal_vs_need(table, "VTE")
    bars, diamonds = leaves(chart)
    assert bars["encoding"]["y"]["sort"] == ["B", "C", "A"]  # sorted by the difference
    assert [r["behoefte"] for r in bars["rows"]] == [0.3, 0.4, 0.6]
    scale = bars["encoding"]["color"]["scale"]
    colour = dict(zip(scale["domain"], scale["range"], strict=True))
    assert [colour[r["vergelijking"]] for r in bars["rows"]] == [charts.LOSES, charts.EVEN, charts.WINS]
    assert diamonds["mark"]["shape"] == "diamond" and diamonds["encoding"]["x"]["field"] == "gelijk"
    by_area = {r["gebied"]: r for r in bars["rows"]}
    assert by_area["A"]["verschil_tekst"] == "+0,2 VTE" and by_area["B"]["verschil_tekst"] == "-0,1 VTE"
    assert by_area["A"]["per_tekst"] == "100 → 67"


def test_transition_lines_one_line_per_area_and_the_formula_point():
    amounts = pd.DataFrame([[100, 110, 120], [100, 90, 80]], index=["A", "B"], columns=[0, 1, 2])
    targets = pd.Series({"A": 130, "B": 70})
    chart = charts.transition_lines(amounts, targets, ["Start", "Jaar 1", "Jaar 2"])
    line, _points, circles = leaves(chart)
    path = {(r["gebied"], r["jaar"]): r["eur"] for r in line["rows"]}
    assert [path["A", y] for y in ("Start", "Jaar 1", "Jaar 2")] == [100, 110, 120]
    assert [path["B", y] for y in ("Start", "Jaar 1", "Jaar 2")] == [100, 90, 80]
    assert [(r["gebied"], r["jaar"], r["eur"]) for r in circles["rows"]] == [
        ("A", "Formule", 130),
        ("B", "Formule", 70),
    ]
    assert circles["mark"]["filled"] is False  # open circles
    assert line["encoding"]["x"]["sort"] == ["Start", "Jaar 1", "Jaar 2", "Formule"]
    assert line["encoding"]["y"]["axis"]["format"] == charts.EURO
