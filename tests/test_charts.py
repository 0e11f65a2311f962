"""Chart builders of the pages (plain plotly): data in the right traces, weight markers, nl-BE separators."""

from __future__ import annotations

import pandas as pd

from geo_app import charts


def test_correction_shift_colours_winners_and_losers():
    shift = pd.DataFrame(
        {
            "gebied": ["A", "B", "C"],
            "verschil_pp": [1.5, -0.5, 0.0],
            "aandeel_zonder_pct": [10.0, 20.0, 70.0],
            "aandeel_met_pct": [11.5, 19.5, 70.0],
            "verschil_eur": [15_000.0, -5_000.0, 0.0],
        }
    )
    fig = charts.correction_shift(shift)
    by_name = {t.name: list(t.y) for t in fig.data}
    assert by_name == {"verliest": ["B"], "wint": ["C", "A"]}  # sorted by shift, zero counts as winning
    assert fig.layout.separators == ",."


def test_weight_lines_only_for_known_weights():
    sens = pd.DataFrame({"gewicht_param": [0.0, 1.0, 0.0, 1.0], "gebied": list("AABB"), "eur": [1, 2, 3, 4]})
    without = charts.sensitivity(sens, "Gewicht a", current=0.4, best=None)
    with_best = charts.sensitivity(sens, "Gewicht a", current=0.4, best=0.2)
    assert [s.x0 for s in without.layout.shapes] == [0.4]
    assert [s.x0 for s in with_best.layout.shapes] == [0.4, 0.2]
    assert len(with_best.data) == 2  # one line per area


def test_coverage_steps_start_at_today_in_percent():
    fig = charts.coverage_steps(0.5, [0.6, 0.65])
    assert list(fig.data[0].y) == [50.0, 60.0, 65.0]
    assert list(fig.data[0].x) == [0, 1, 2]


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
    fig = charts.equal_vs_need(table, "VTE")
    bars, markers = fig.data
    assert list(bars.y) == ["B", "C", "A"]  # sorted by the difference
    assert list(bars.x) == [0.3, 0.4, 0.6]
    assert list(bars.marker.color) == [charts.LOSES, "#999999", charts.WINS]
    assert list(markers.x) == [0.4, 0.4, 0.4]
    assert fig.layout.separators == ",."


def test_transition_lines_one_line_per_area_and_the_formula_point():
    amounts = pd.DataFrame([[100, 110, 120], [100, 90, 80]], index=["A", "B"], columns=[0, 1, 2])
    targets = pd.Series({"A": 130, "B": 70})
    fig = charts.transition_lines(amounts, targets, ["Start", "Jaar 1", "Jaar 2"])
    lines = [t for t in fig.data if t.mode == "lines+markers"]
    points = [t for t in fig.data if t.mode == "markers"]
    assert [list(t.y) for t in lines] == [[100, 110, 120], [100, 90, 80]]
    assert [list(t.x) for t in points] == [["Formule"], ["Formule"]]
    assert [list(t.y) for t in points] == [[130], [70]]
    assert fig.layout.yaxis.tickformat == ",.0f"
