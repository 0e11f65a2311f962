"""Transition path: exact totals every year, the pace limits, reaching the formula, and saying when not."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.budget import transition as tr
from geo.budget.report import (
    transition_changes_nl,
    transition_section,
    transition_summary,
    transition_table_nl,
)
from geo.errors import UserFacingError


def test_two_areas_by_hand():
    # A 100 -> 150, B 100 -> 50, at most 10 % up or down per year, total 200 every year.
    # Year 1: A <= 110, B >= 90 -> 110 / 90. Year 2: B >= ceil(81.0) = 81 -> 119 / 81.
    # Year 3: B >= ceil(72.9) = 73 -> 127 / 73. Year 4: ceil(65.7) = 66 -> 134 / 66.
    # Year 5: ceil(59.4) = 60 -> 140 / 60. Year 6: ceil(54.0) = 54 -> 146 / 54. Year 7: B may reach 50.
    path = tr.transition_path({"A": 100, "B": 100}, {"A": 150, "B": 50}, 7, -10, 10)
    assert path.amounts.loc["A"].tolist() == [100, 110, 119, 127, 134, 140, 146, 150]
    assert path.amounts.loc["B"].tolist() == [100, 90, 81, 73, 66, 60, 54, 50]
    assert path.reached and path.reached_year == 7 and path.years_needed == 7
    short = tr.transition_path({"A": 100, "B": 100}, {"A": 150, "B": 50}, 3, -10, 10)
    assert not short.reached and short.years_needed == 7
    assert short.gap.to_dict() == {"A": 150 - 127, "B": 50 - 73}


def test_reached_early_stays_on_target():
    path = tr.transition_path({"A": 100, "B": 100}, {"A": 105, "B": 95}, 4, -10, 10)
    assert path.reached_year == 1
    assert (path.amounts[[1, 2, 3, 4]].to_numpy() == np.array([[105], [95]])).all()


def random_case(rng: np.random.Generator):
    """Random start amounts, a target of 0.5 to 2 times each start (rescaled to a total of 90 to 115 % of
    the start total), and limits."""
    k = int(rng.integers(2, 25))
    areas = [f"G{i}" for i in range(k)]
    start = pd.Series(rng.integers(50_000, 3_000_000, size=k), index=areas)
    target_total = int(start.sum() * rng.uniform(0.9, 1.15))
    raw = start.to_numpy() * rng.uniform(0.5, 2.0, size=k)
    target = pd.Series(tr.largest_remainder(raw / raw.sum() * target_total, target_total), index=areas)
    floor = -float(rng.choice([2, 5, 10, 20]))
    cap = float(rng.choice([2, 5, 10, 20]))
    return start, target, floor, cap


def test_every_year_adds_up_and_no_area_moves_beyond_its_limits():
    """Property test over many random starts, targets, limits and lengths."""
    rng = np.random.default_rng(9)
    checked = 0
    for _ in range(120):
        start, target, floor, cap = random_case(rng)
        years = int(rng.integers(1, 12))
        try:
            path = tr.transition_path(start, target, years, floor, cap)
        except UserFacingError as exc:  # the total falls faster than the floor allows: said clearly
            assert "Jaar " in str(exc) and "Kies meer jaren" in str(exc)
            continue
        checked += 1
        a = path.amounts.to_numpy()
        assert a.dtype.kind == "i"
        assert a.sum(axis=0).tolist() == path.totals
        assert path.totals[0] == start.sum() and path.totals[-1] == target.sum()
        prev, nxt = a[:, :-1].astype(float), a[:, 1:].astype(float)
        assert (nxt >= prev * (1 + floor / 100) - 1e-6).all()
        assert (nxt <= prev * (1 + cap / 100) + 1e-6).all()
        assert path.reached == bool((path.gap == 0).all())
        if path.years_needed is not None and not path.reached and path.years_needed <= 50:
            longer = tr.transition_path(start, target, path.years_needed, floor, cap)
            assert longer.reached and longer.amounts[path.years_needed].tolist() == target.tolist()
    assert checked > 90


def test_large_enough_n_reaches_the_target():
    rng = np.random.default_rng(2)
    for _ in range(30):
        start, target, _floor, _cap = random_case(rng)
        path = tr.transition_path(start, target, 50, -10, 10)
        assert path.reached, path.gap
        assert path.amounts[50].tolist() == target.tolist()


def test_changes_never_overshoot_the_target_when_totals_are_equal():
    rng = np.random.default_rng(5)
    for _ in range(40):
        start, target, floor, cap = random_case(rng)
        target = pd.Series(
            tr.largest_remainder(target / target.sum() * start.sum(), int(start.sum())), index=target.index
        )
        path = tr.transition_path(start, target, 10, floor, cap)
        a = path.amounts.to_numpy().astype(float)
        lo = np.minimum(a[:, [0]], target.to_numpy()[:, None])
        hi = np.maximum(a[:, [0]], target.to_numpy()[:, None])
        assert ((a >= lo) & (a <= hi)).all()


def test_infeasible_year_and_unreachable_target_are_said_clearly():
    with pytest.raises(UserFacingError, match=r"Jaar 1: het totaal is € 500.*niet lager dan € 900"):
        tr.transition_path({"A": 500, "B": 500}, {"A": 250, "B": 250}, 1, -10, 10)
    stuck = tr.transition_path({"A": 0, "B": 1000}, {"A": 500, "B": 500}, 3, -10, 10)
    assert not stuck.reached and stuck.years_needed is None
    lines = " ".join(transition_summary(stuck))
    assert "Binnen 3 jaar lukt het niet" in lines
    assert "nooit bereikt" in lines and "A begint op € 0" in lines


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start": {"A": 1}, "target": {"A": 1, "B": 1}}, "Geen startbedrag voor: B"),
        ({"start": {"A": 1, "C": 1}, "target": {"A": 1}}, "onbekende gebieden: C"),
        ({"start": {"A": -1}, "target": {"A": 1}}, "negatief"),
        ({"start": {"A": 1.5}, "target": {"A": 1}}, "geheel getal"),
        ({"years": 0}, "minstens 1"),
        ({"floor_pct": 5, "cap_pct": 2}, "groter dan de maximale"),
        ({"floor_pct": -120}, "niet meer dan 100 %"),
    ],
)
def test_bad_input_gives_dutch_errors(kwargs, message):
    base = {"start": {"A": 100}, "target": {"A": 100}, "years": 2, "floor_pct": -5, "cap_pct": 5} | kwargs
    with pytest.raises(UserFacingError, match=message):
        tr.transition_path(**base)


def test_start_file_rows_and_flemish_amounts():
    assert tr.parse_amount("€ 1.234.567") == 1_234_567
    assert tr.parse_amount("1.234.567,50") == 1_234_567.5
    assert tr.parse_amount("2837590.0") == 2_837_590
    assert tr.parse_amount("1.500") == 1500
    assert tr.parse_amount("veel") is None
    table = pd.DataFrame({"Gebied": ["A", "B"], "Bedrag (EUR)": ["€ 1.000", "2000"]})
    assert tr.read_start_table(table, ["A", "B"]).to_dict() == {"A": 1000, "B": 2000}
    bad = pd.DataFrame({"gebied": ["A", "Z", "A", "B", ""], "bedrag": ["10", "5", "7", "veel", "3"]})
    with pytest.raises(UserFacingError) as err:
        tr.read_start_table(bad, ["A", "B"])
    text = str(err.value)
    assert "Rij 3: gebied 'Z' bestaat niet" in text
    assert "Rij 4: gebied 'A' staat al op rij 2" in text
    assert "Rij 5: 'veel' is geen bedrag" in text
    assert "Rij 6: het gebied ontbreekt" in text
    with pytest.raises(UserFacingError, match="Geen startbedrag voor: B"):
        tr.read_start_table(pd.DataFrame({"gebied": ["A"], "bedrag": ["1"]}), ["A", "B"])
    with pytest.raises(UserFacingError, match="kolommen 'gebied' en 'bedrag'"):
        tr.read_start_table(pd.DataFrame({"x": ["A"]}), ["A"])
    content = "gebied;bedrag\nA;1.000\nB;2.000\n".encode("utf-8-sig")
    assert tr.read_start_file(content, "start.csv", ["A", "B"]).tolist() == [1000, 2000]


def test_swv_2021_to_the_formula_tables():
    from geo.budget import calibration as cal
    from geo.budget.allocation import allocate

    swv = cal.load_setting("swv2021")
    target = allocate(swv.units, cal.default_params(swv), swv.areas).areas.set_index("gebied")["eur"]
    path = tr.transition_path(swv.published, target, 4, -5, 5)
    table = transition_table_nl(path, start_label="Start 2021")
    assert list(table.columns) == [
        "Gebied",
        "Start 2021 (EUR)",
        "Jaar 1 (EUR)",
        "Jaar 2 (EUR)",
        "Jaar 3 (EUR)",
        "Jaar 4 (EUR)",
        "Formule (EUR)",
        "Nog te gaan (EUR)",
    ]
    total = table.set_index("Gebied").loc["Totaal"]
    assert total.iloc[:6].tolist() == [23_999_998] * 6
    changes = transition_changes_nl(path, first_year=2026)
    assert list(changes.columns) == ["Gebied", "2026 (%)", "2027 (%)", "2028 (%)", "2029 (%)"]
    assert changes.iloc[:, 1:].abs().max().max() <= 5.0 + 1e-9
    section = transition_section(path, first_year=2026)
    assert set(section.tables) == {"Overgang per jaar", "Verandering per jaar"}
    assert "klopt elk jaar tot op de euro" in section.paragraphs[0]


def test_start_amounts_from_2021_equal_or_a_file():
    target = pd.Series({"A": 600, "B": 400})
    published = pd.Series({"B": 450, "A": 550, "C": 1})
    assert tr.start_amounts(tr.START_2021, target, published).to_dict() == {"A": 550, "B": 450}
    assert tr.start_amounts(tr.START_EQUAL, target).to_dict() == {"A": 500, "B": 500}
    content = b"gebied;bedrag\nB;300\nA;700\n"
    assert tr.start_amounts(tr.START_FILE, target, content=content).to_dict() == {"A": 700, "B": 300}
    with pytest.raises(UserFacingError, match="geen gepubliceerde bedragen 2021"):
        tr.start_amounts(tr.START_2021, target)
    with pytest.raises(UserFacingError, match="Geen gepubliceerd bedrag 2021 voor: A"):
        tr.start_amounts(tr.START_2021, target, pd.Series({"B": 1}))
    with pytest.raises(UserFacingError, match="Kies een bestand"):
        tr.start_amounts(tr.START_FILE, target)


def test_xlsx_has_a_line_chart_per_area_on_the_sheet_cells():
    """The transition table in XLSX carries a real Excel line chart: one line per area (not the total),
    named by the area's cell, over the start and year columns of its own row."""
    import io

    import openpyxl

    from geo import exports

    path = tr.transition_path({"A": 100, "B": 100, "C'": 50}, {"A": 150, "B": 50, "C'": 50}, 3, -10, 10)
    table = transition_table_nl(path, start_label="Start 2021")
    book = openpyxl.load_workbook(io.BytesIO(exports.xlsx_bytes({"Overgang per jaar": table})))
    sheet = book["Overgang per jaar"]
    assert [c.value for c in sheet[1]][:5] == [
        "Gebied", "Start 2021 (EUR)", "Jaar 1 (EUR)", "Jaar 2 (EUR)", "Jaar 3 (EUR)"
    ]  # fmt: skip
    (chart,) = sheet._charts
    assert chart.tagname == "lineChart"
    refs = [(s.tx.strRef.f, s.val.numRef.f, s.cat.strRef.f) for s in chart.series]
    assert refs == [
        (
            f"'Overgang per jaar'!$A${row}",
            f"'Overgang per jaar'!$B${row}:$E${row}",
            "'Overgang per jaar'!$B$1:$E$1",
        )
        for row in (2, 3, 4)
    ]
    assert [sheet[f"A{row}"].value for row in (2, 3, 4, 5)] == ["A", "B", "C'", "Totaal"]
    assert [sheet.cell(2, col).value for col in range(2, 6)] == path.amounts.loc["A"].tolist()
