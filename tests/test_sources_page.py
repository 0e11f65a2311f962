"""Sources page (AppTest): every dataset with its vintage and licence, the BIMD citation, the Statbel totals
per year and the inhabitants per sector -> wijk rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import fmt as nl
from geo.data import units

PAGE = str(Path(__file__).resolve().parents[1] / "views" / "bronnen.py")


@pytest.fixture(scope="module")
def page() -> AppTest:
    if not units.is_built():
        pytest.fail("Gegevens niet opgebouwd: voer `make data` uit.")
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    assert not at.exception
    return at


def frame_with(at: AppTest, column: str):
    (frame,) = [d.value for d in at.dataframe if column in d.value.columns]
    return frame


def test_new_datasets_with_vintage_and_licence(page):
    sources = frame_with(page, "Licentie").set_index("Bron")
    population = sources.loc[sources.index.str.contains("TF_SOC_POP_STRUCT")].iloc[0]
    assert all(str(y) in population["Jaargang"] for y in units.YEARS)
    sectors = sources.loc[sources.index.str.contains("OPENDATA_SECTOREN")].iloc[0]
    assert all(str(y) in sectors["Jaargang"] for y in units.SECTOR_YEARS)
    bimd = sources.loc[sources.index.str.contains("BIMD")].iloc[0]
    assert "2011" in bimd["Jaargang"] and "GPL-3.0" in bimd["Licentie"]
    assert "Otavova" in bimd["Bronvermelding"] and "2023" in bimd["Bronvermelding"]
    assert (sources["Licentie"].str.len() > 0).all() and (sources["Jaargang"].str.len() > 0).all()
    text = " ".join(m.value for m in page.markdown)
    assert "Otavova M. e.a." in text and "doi:10.1016/j.sste.2023.100587" in text


def test_statbel_totals_per_year(page):
    totals = frame_with(page, "België").set_index("Jaar (1 januari)")
    assert list(totals.index) == [str(y) for y in units.YEARS]
    assert totals.loc["2020", "België"] == nl.number(11_492_641)
    assert totals.loc["2020", "Vlaams Gewest"] == nl.number(6_629_143)


def test_inhabitants_per_sector_rule(page):
    rules = frame_with(page, "Uitleg").set_index("Regel")
    expected = units.sector_rules().set_index("Regel")
    assert list(rules.index) == list(expected.index)
    assert rules.loc["Totaal", "2020"] == units.load_table("gemeente", 2020)["inwoners"].sum()


def test_build_time_and_unit_counts_in_nl_be(page):
    from datetime import datetime

    report = units.build_report()
    built = nl.local_time(datetime.fromisoformat(report["gebouwd"]).astimezone())  # dd/mm/jjjj uu:mm
    assert any(f"Opgebouwd op {built}." in m.value for m in page.markdown)
    counts = frame_with(page, "Aantal eenheden").set_index("Niveau")["Aantal eenheden"]
    assert counts[units.LEVELS["wijk"].plural] == nl.number(report["aantallen"]["wijk"])  # 2.767
