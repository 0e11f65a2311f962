"""The population year and deprivation indicator travel through metrics, comparison, budget per unit,
caseload and the CLI, and every table states them."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.cli.main import main
from geo.data import units
from geo.divisions.compare import compare
from geo.divisions.metrics import AreaMetrics, UnitData, display_table
from geo.divisions.references import reference_division

pytestmark = pytest.mark.usefixtures("built")  # the built data, or a clear failure


def test_unit_data_follows_year_and_indicator():
    a = UnitData.load("wijk", 2019, "bimd")
    b = UnitData.load("wijk")
    assert (a.year, a.indicator) == (2019, "bimd")
    assert (b.year, b.indicator) == (units.DEFAULT_YEAR, units.DEFAULT_INDICATOR)
    assert UnitData.load("wijk", None, None) is b  # defaults share one cache entry
    t19 = units.load_table("wijk", 2019, "bimd").set_index("code")
    pos = a.index["11002Z10"]
    assert a.counts["inwoners"][pos] == pytest.approx(t19.loc["11002Z10", "inwoners"])
    assert a.counts["kansarmoede_n"][pos] == pytest.approx(t19.loc["11002Z10", "kansarmoede_n"])
    assert a.counts["inwoners"].sum() != pytest.approx(b.counts["inwoners"].sum())
    assert a.estimated and a.deprivation_estimated
    with pytest.raises(units.UserFacingError, match="2016"):
        UnitData.load("wijk", 2016)


def test_metric_tables_state_year_indicator_and_estimates():
    division = reference_division("wcp_wijk")
    data = UnitData.load("wijk", 2020, "kg_gemeente")
    table = AreaMetrics(data, division).table()
    assert set(table["jaar"]) == {2020} and set(table["indicator"]) == {units.INDICATORS["kg_gemeente"].label}
    assert table["aantallen_geschat"].all()
    shown = display_table(table)
    assert "Inwoners (2020)" in shown.columns  # sector population: not an estimate in 2020
    assert "Jongeren 0-24 (2020, geschat)" in shown.columns
    assert "Kansarmoede (%, K&G per gemeente)" in shown.columns
    # 2015 per wijk: inhabitants are an estimate too
    shown15 = display_table(AreaMetrics(UnitData.load("wijk", 2015), division).table())
    assert "Inwoners (2015, geschat)" in shown15.columns
    assert "Kansarmoede (%, K&G, per wijk geschat)" in shown15.columns
    # municipalities: exact counts; the small-area estimate is the municipal index itself
    gem = AreaMetrics(UnitData.load("gemeente"), reference_division("elz57_gemeente")).table()
    cols = display_table(gem).columns
    assert f"Inwoners ({units.DEFAULT_YEAR})" in cols and f"Jongeren 0-24 ({units.DEFAULT_YEAR})" in cols
    assert "Kansarmoede (%, K&G per gemeente)" in cols


def test_area_totals_change_with_the_year_and_add_up_to_the_table():
    division = reference_division("elz57_gemeente")
    for year in (2015, 2022):
        table = AreaMetrics(UnitData.load("gemeente", year), division).table()
        units_table = units.load_table("gemeente", year)
        assert table["inwoners"].sum() == pytest.approx(units_table["inwoners"].sum())
    t15 = AreaMetrics(UnitData.load("gemeente", 2015), division).table()
    t22 = AreaMetrics(UnitData.load("gemeente", 2022), division).table()
    assert t22["inwoners"].sum() - t15["inwoners"].sum() > 100_000  # Flanders and Brussels grew


def test_comparison_export_states_the_year():
    data = UnitData.load("gemeente", 2019)
    result = compare(data, reference_division("elz57_gemeente"), reference_division("swv2021_gemeente"))
    assert set(result.matches["jaar"]) == {2019}
    total = units.load_table("gemeente", 2019)["inwoners"].sum()
    assert result.matches["inwoners_a"].sum() == pytest.approx(total)


def test_counts_note_names_year_indicator_and_estimates():
    note = units.counts_note(2021, "bimd", "wijk")
    assert "1 januari 2021" in note and "BIMD" in note and "geschat" in note
    assert "geschat" not in units.counts_note(2021, "kg_gemeente", "gemeente")
    assert "Tabel 8" in units.counts_note(2021, "bimd", "postcode_antwerpen")
    with pytest.raises(units.UserFacingError, match="indicator"):
        units.counts_note(2021, "armoede")


def test_cli_division_check_and_compare_take_year_and_indicator(capsys, tmp_path):
    out = tmp_path / "wcp.csv"
    argv = ["division", "check", "ref:wcp_wijk", "--jaar", "2019", "--indicator", "bimd", "--csv", str(out)]
    assert main(argv) == 1  # a breach: Borsbeek's wijken have no WCP
    printed = capsys.readouterr().out
    assert "Bevolking op 1 januari 2019" in printed and "BIMD 2011" in printed
    assert "Inwoners (2019)" in printed
    written = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig")
    assert set(written["Bevolkingsjaar (1 januari)"]) == {2019}
    assert set(written["Kansarmoede-indicator"]) == {units.INDICATORS["bimd"].label}  # Dutch, not the key
    expected = units.load_table("wijk", 2019)
    codes = [c for c, a in reference_division("wcp_wijk").assignment.items() if a]
    total = expected.set_index("code").loc[codes, "inwoners"].sum()
    assert written["Inwoners (aantal)"].sum() == pytest.approx(total, abs=len(codes))
    assert main(["division", "compare", "ref:elz57_gemeente", "ref:swv2021_gemeente", "--jaar", "2015"]) == 0
    assert "Bevolking op 1 januari 2015" in capsys.readouterr().out
    assert main(["division", "check", "ref:wcp_wijk", "--jaar", "2016"]) == 2
    assert "Geen bevolkingscijfers voor het jaar 2016" in capsys.readouterr().err


def test_cli_caseload_rates_use_the_chosen_year(capsys, tmp_path):
    out19, out22 = tmp_path / "a.csv", tmp_path / "b.csv"
    base = ["caseload", "summary", "--example", "--level", "gemeente", "--no-mask"]
    assert main([*base, "--jaar", "2019", "--out", str(out19)]) == 0
    assert "1 januari 2019" in capsys.readouterr().out
    assert main([*base, "--out", str(out22)]) == 0
    assert f"1 januari {units.DEFAULT_YEAR}" in capsys.readouterr().out
    a = pd.read_csv(out19, sep=";", decimal=",", encoding="utf-8-sig")
    b = pd.read_csv(out22, sep=";", decimal=",", encoding="utf-8-sig")
    col19 = "Jongeren 0-24 (aantal, 1 januari 2019)"
    col22 = f"Jongeren 0-24 (aantal, 1 januari {units.DEFAULT_YEAR})"
    assert col19 in a.columns and col22 in b.columns
    assert a[col19].sum() == pytest.approx(units.load_table("gemeente", 2019)["pop_0_24"].sum())
    assert a[col19].sum() != pytest.approx(b[col22].sum())


def test_scorecard_and_dossier_figures_follow_the_year():
    from geo.reports import figures as fig
    from geo.reports import scorecard

    division = reference_division("elz57_gemeente")
    f19 = fig.compute(division, fig.FigureOptions(year=2019, indicator="kg_gemeente"))
    assert f19.data.year == 2019 and f19.data.indicator == "kg_gemeente"
    assert f19.table["inwoners"].sum() == pytest.approx(units.load_table("gemeente", 2019)["inwoners"].sum())
    per_area = fig.budget_per_area(division, f19.params, 2019)
    assert per_area["n"].sum() == pytest.approx(units.load_table("gemeente", 2019)["pop_0_24"].sum())
    divisions = [division, reference_division("swv2021_gemeente")]
    card19 = scorecard.build(divisions, scorecard.ScorecardOptions(year=2019))
    card22 = scorecard.build(divisions, scorecard.ScorecardOptions())
    assert any("1 januari 2019" in n for n in card19.notes)
    assert any(f"1 januari {units.DEFAULT_YEAR}" in n for n in card22.notes)
    assert not card19.values.equals(card22.values)  # the spread of inhabitants moved with the year


def test_cli_scorecard_states_the_year(capsys):
    args = ["division", "scorecard", "ref:elz57_gemeente", "ref:swv2021_gemeente", "--jaar", "2020"]
    assert main(args) == 0
    assert "Bevolking op 1 januari 2020" in capsys.readouterr().out


def test_indicator_key_reads_keys_and_the_labels_exports_write():
    for key, ind in units.INDICATORS.items():
        assert units.indicator_key(key) == key
        assert units.indicator_key(ind.label) == key
    assert units.indicator_key("tabel8") == "tabel8"
