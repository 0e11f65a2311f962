"""Population years, sector -> wijk counts, BIMD and the small-area K&G estimate on the real data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.data import units
from geo.data.catalog import raw_path
from geo.data.readers import read_statbel_population, read_statbel_sectors
from geo.errors import UserFacingError

pytestmark = pytest.mark.usefixtures("built")  # the built data, or a clear failure


def _flemish_brussels(pop: pd.DataFrame) -> pd.DataFrame:
    return pop[pop["gewest"].isin(["2000", "4000"])]


def test_belgium_and_flemish_region_2020_from_the_raw_file():
    pop = read_statbel_population(raw_path("statbel/TF_SOC_POP_STRUCT_2020.zip"), 2020)
    assert int(pop["bevolking"].sum()) == 11_492_641
    assert int(pop.loc[pop["gewest"] == "2000", "bevolking"].sum()) == 6_629_143
    gem = units.load_table("gemeente", year=2020)
    assert int(gem.loc[gem["gewest"] == "2000", "inwoners"].sum()) == 6_629_143
    g24 = units.load_table("gemeente2024", year=2020)
    assert int(g24.loc[g24["gewest"] == "2000", "inwoners"].sum()) == 6_629_143
    report = units.build_report()["controles"]
    assert report["statbel_totalen"]["2020"]["belgie"] == 11_492_641
    assert report["vlaams_gewest_per_jaar"]["2020"] == 6_629_143


def test_cp1252_year_2022_reads_with_the_right_codes():
    pop = read_statbel_population(raw_path("statbel/TF_SOC_POP_STRUCT_2022.zip"), 2022)
    assert pop["nis"].str.fullmatch(r"\d{5}").all()
    assert set(pop["gewest"]) == {"2000", "3000", "4000"}
    assert int(pop.loc[pop["nis"] == "11002", "bevolking"].sum()) > 500_000


@pytest.mark.parametrize("year", units.YEARS)
def test_every_year_on_both_municipality_vintages_matches_statbel(year):
    pop = _flemish_brussels(read_statbel_population(raw_path(f"statbel/TF_SOC_POP_STRUCT_{year}.zip"), year))
    for level in ("gemeente", "gemeente2024"):
        t = units.load_table(level, year=year)
        assert (t["jaar"] == year).all()
        assert int(t["inwoners"].sum()) == int(pop["bevolking"].sum())
        assert int(t["pop_0_24"].sum()) == int(pop.loc[pop["leeftijd"] <= 24, "bevolking"].sum())
        assert int(t["pop_0_17"].sum()) == int(pop.loc[pop["leeftijd"] <= 17, "bevolking"].sum())
        assert np.allclose(t["pop_0_17"] + t["pop_18_24"], t["pop_0_24"])
        assert not t["pop_geschat"].any()
    assert len(units.load_table("gemeente2024", year=year)) == 319


def test_antwerpen_2019_on_2019_2024_codes():
    g24 = units.load_table("gemeente2024", year=2019).set_index("code")
    assert g24.loc["11002", "inwoners"] == 525_935
    assert g24.loc["11002", "pop_0_24"] == 160_939


@pytest.mark.parametrize("year", units.SECTOR_YEARS)
def test_sector_sums_equal_municipality_totals(year):
    sectors = read_statbel_sectors(raw_path(f"statbel/sectoren/OPENDATA_SECTOREN_{year}.zip"))
    g24 = units.load_table("gemeente2024", year=year).set_index("code")
    per_nis = sectors[sectors["nis"].isin(g24.index)].groupby("nis")["bevolking"].sum()
    assert (per_nis.reindex(g24.index).to_numpy() == g24["inwoners"].to_numpy()).all()
    pop = read_statbel_population(raw_path(f"statbel/TF_SOC_POP_STRUCT_{year}.zip"), year)
    assert int(sectors["bevolking"].sum()) == int(pop["bevolking"].sum())


@pytest.mark.parametrize("year", units.YEARS)
def test_wijk_sums_of_every_count_equal_municipality_totals(year):
    for indicator in units.INDICATORS:
        gem = units.load_table("gemeente", year=year, indicator=indicator).set_index("code")
        wijk = units.load_table("wijk", year=year, indicator=indicator)
        assert wijk["pop_geschat"].all() and wijk["kansarmoede_geschat"].all()
        cols = [*units.COUNT_COLUMNS, "kansarmoede_n", "kansarmoede_basis"]
        sums = wijk.groupby("gemeente")[cols].sum().reindex(gem.index)
        assert np.allclose(sums.to_numpy(), gem[cols].to_numpy(), atol=1e-6)


def test_build_reports_inhabitants_per_mapping_rule():
    rules = units.build_report()["controles"]["sectorregels"]
    for year in units.SECTOR_YEARS:
        per_rule = rules["inwoners_per_regel"][str(year)]
        assert set(per_rule) == {"exact", "opgesplitst", "opgesplitst_verdeeld", "herschikt", "onbekend"}
        total = units.build_report()["controles"]["statbel_totalen"][str(year)]["vlaanderen_brussel"]
        assert abs(sum(per_rule.values()) - total) <= len(per_rule)  # rounding per rule only
        assert per_rule["exact"] > 0.6 * total and per_rule["onbekend"] > 0


def test_wcp_inhabitants_no_longer_spread_by_number_of_sectors():
    """Real sector population 2019 over the WCP wijken: far closer to Tabel 8 than the old spread."""
    from geo.data import facts
    from geo.divisions.references import wcp_wijk_assignment

    wijk = units.load_table("wijk", year=2019)
    wcp = wijk["code"].map(wcp_wijk_assignment(wijk))
    ours = wijk.groupby(wcp)["inwoners"].sum()
    table8 = facts.wcp_totals().set_index("wcp")["bevolking_2019"]
    err = (ours.reindex(table8.index) / table8 - 1).abs()
    assert (err < 0.035).sum() >= 6  # old spread: -29 %, -26 %, +63 %
    assert err.max() < 0.10


def test_small_area_estimate_keeps_each_municipality_deprived_count():
    for year in (2015, 2020, 2022):
        gem = units.load_table("gemeente", year=year, indicator="kg_gemeente").set_index("code")
        wijk = units.load_table("wijk", year=year, indicator="kg_schatting")
        per_gem = wijk.groupby("gemeente")["kansarmoede_n"].sum().reindex(gem.index)
        assert np.allclose(per_gem.to_numpy(), gem["kansarmoede_n"].to_numpy(), atol=1e-6)
        assert (wijk["kansarmoede_n"] <= wijk["pop_0_24"] + 1e-9).all()
    # ...and varies inside Antwerpen, unlike the municipal index.
    antw = wijk[wijk["gemeente"] == "11002"]
    assert antw["kansarmoede_pct"].max() > 2 * antw["kansarmoede_pct"].min()


def test_index_curve_is_fitted_on_the_flemish_municipalities_each_year():
    checks = units.build_report()["controles"]
    if "kansarmoede_curve" not in checks:
        pytest.fail("De gegevens zijn opgebouwd met een oudere schatting: voer `make data` uit.")
    curves = checks["kansarmoede_curve"]
    assert set(curves) == {str(y) for y in units.YEARS}
    for curve in curves.values():
        assert curve["gemeenten"] == 282  # 285 Flemish municipalities, 3 without a K&G index
        assert curve["b"] > 0  # a higher BIMD score goes with a higher K&G index


def test_small_area_estimate_agrees_better_with_tabel8_than_the_municipal_index():
    """Tabel 8 is no input of the estimate; it is the independent check (docs/KANSARMOEDE_WIJK.md)."""
    from geo.divisions import tabel8

    scores = tabel8.agreement(2019).scores
    est, muni = scores.loc["kg_schatting"], scores.loc["kg_gemeente"]
    assert est["r_postcode"] > muni["r_postcode"] and est["mae_postcode"] < muni["mae_postcode"]
    assert est["r_wcp"] > muni["r_wcp"] and est["mae_wcp"] < muni["mae_wcp"]


def test_estimate_equals_published_index_per_municipality():
    a = units.load_table("gemeente", indicator="kg_schatting").set_index("code")
    b = units.load_table("gemeente", indicator="kg_gemeente").set_index("code")
    assert np.allclose(a["kansarmoede_pct"].fillna(-1), b["kansarmoede_pct"].fillna(-1))
    assert np.allclose(b["kansarmoede_pct"].dropna(), b["kg_index_pct"].dropna(), atol=1e-3)
    assert not a["kansarmoede_geschat"].any()


def test_bimd_counts_cover_brussels_and_aggregate_as_counts():
    gem = units.load_table("gemeente", year=2020, indicator="bimd")
    brussels = gem[gem["gewest"] == "4000"]
    assert (brussels["kansarmoede_basis"] > 0).all()
    assert gem["kansarmoede_geschat"].all()
    prov = units.load_table("provincie", year=2020, indicator="bimd").set_index("code")
    sums = gem.groupby("provincie")[["kansarmoede_n", "kansarmoede_basis"]].sum()
    expected = 100 * sums["kansarmoede_n"] / sums["kansarmoede_basis"]
    assert np.allclose(prov.loc[expected.index, "kansarmoede_pct"], expected, atol=1e-3)
    # Antwerpen is among the most deprived municipalities, Brussels has the highest share overall
    g = gem.set_index("code")
    assert g.loc["11002", "kansarmoede_pct"] > 3 * g.loc["11001", "kansarmoede_pct"]
    assert g.loc["11002", "bimd_score"] > g["bimd_score"].median()


def test_antwerp_city_has_no_single_zone_label():
    gem = units.load_table("gemeente").set_index("code")
    assert pd.isna(gem.loc["11002", "elz"])
    assert "vier zones" in gem.loc["11002", "elz_naam"]
    elz = set(units.load_table("elz")["code"])
    others = gem.drop(index="11002")
    assert others["elz"].isin(elz).all()


def test_year_and_indicator_choices_are_checked():
    with pytest.raises(UserFacingError, match="2018"):
        units.load_table("gemeente", year=2018)
    with pytest.raises(UserFacingError, match="onbekend|Onbekende"):
        units.load_table("gemeente", indicator="iets")
    t = units.load_table("elz", year=2021, indicator="bimd")
    assert t.attrs == {"jaar": 2021, "indicator": "bimd"}
    assert (t["jaar"] == 2021).all() and (t["indicator"] == "bimd").all()
    counts = units.load_counts("elz57")
    assert sorted(counts["jaar"].unique()) == list(units.YEARS)
    assert units.DEFAULT_YEAR == max(units.YEARS)


def test_antwerp_subzones_sum_to_the_published_zone():
    for year in (2015, 2022):
        elz = units.load_table("elz", year=year).set_index("code")
        elz57 = units.load_table("elz57", year=year).set_index("code")
        sub = elz.loc[["elz2.1", "elz2.2", "elz2.3", "elz2.4"], "inwoners"].sum()
        assert sub == pytest.approx(elz57.loc["elz2", "inwoners"], abs=1e-6)
        assert elz.loc["elz2.1", "pop_geschat"] and not elz.loc["elz13", "pop_geschat"]


def test_cli_tabel8_prints_the_check(capsys):
    from geo.cli.main import main

    assert main(["division", "tabel8"]) == 0
    out = capsys.readouterr().out
    assert "Tabel 8 is geen invoer van de schatting" in out
    assert "K&G kleinschalig: per postcode r = " in out and "Antwerpen 2060" in out
    assert main(["division", "tabel8", "--jaar", "2016"]) == 2
    assert "Geen bevolkingscijfers voor het jaar 2016" in capsys.readouterr().err


def test_inhabitants_per_rule_are_shown_and_add_up(capsys):
    """`data status` (and the sources page) show how many inhabitants went through each sector rule."""
    from geo.cli.main import main

    table = units.sector_rules().set_index("Regel")
    totals = units.build_report()["controles"]["statbel_totalen"]
    for year in units.SECTOR_YEARS:
        column = table[str(year)]
        assert column.drop("Totaal").sum() == column["Totaal"]
        assert abs(column["Totaal"] - totals[str(year)]["vlaanderen_brussel"]) <= len(column)
    assert table.loc["onbekend", "Uitleg"].startswith("adres onbekend (ZZZZ)")
    main(["data", "status"])
    out = capsys.readouterr().out
    assert "Van statistische sector naar wijk, inwoners per regel:" in out
    exact_2020 = f"{int(table.loc['exact', '2020']):,}".replace(",", ".")
    assert exact_2020 in out and "som van de sectoren gelijk aan het Statbel-totaal" in out
