"""The 1G1P facts tables load with string codes and match the figures quoted in the seeds."""

from __future__ import annotations

import shutil

import pytest

from geo.data import facts
from geo.errors import DataMissingError


def test_wcp_postcodes_codes_are_strings_and_complete():
    pc = facts.wcp_postcodes()
    assert len(pc) == 17
    assert pc["postcode"].map(type).eq(str).all()
    assert "2060" in set(pc["postcode"])
    assert pc["wcp"].nunique() == 7
    row = pc.set_index("postcode").loc["2060"]
    assert row["pop_0_24"] == 15162
    # 15162 x 54.04 / 100 = 8193.5448 deprived under-25s (proxy count)
    assert row["kansarmoede_n"] == pytest.approx(8193.5448)


def test_wcp_totals_match_ranges_quoted_in_seed():
    # Seed 000 l.1310-1314: population 43,977-114,860 per WCP, 0-24 between 15,162 and 35,317.
    tot = facts.wcp_totals()
    assert len(tot) == 7
    assert tot["bevolking_2019"].min() == 43977
    assert tot["bevolking_2019"].max() == 114860
    assert tot["pop_0_24"].min() == 15162
    assert tot["pop_0_24"].max() == 35317


def test_wcp_rate_is_recomputed_from_counts_not_averaged():
    tot = facts.wcp_totals().set_index("wcp_kort")
    # Merksem/Schoten: 2170 (13526 x 30.91 %) + 2900 (9296 x 9.96 %)
    #   = (4180.8866 + 925.8816) / 22822 = 22.3765 %, not the plain mean (30.91 + 9.96) / 2 = 20.435 %.
    assert tot.loc["Merksem/Schoten", "kansarmoede_pct"] == pytest.approx(22.3765, abs=1e-3)
    assert tot.loc["Antwerpen 2060", "postcodes"] == "2060"


def test_budgets_2021_sum_and_brussels():
    b = facts.swv_budgets_2021()
    assert len(b) == 16
    assert b["budget_eur"].sum() == 23_999_998
    assert b.set_index("swv").loc["Sonja Erteejee", "budget_eur"] == 960_000
    assert b.set_index("swv").loc["Groot Antwerpen", "budget_eur"] == 2_837_590


def test_composition_covers_57_zones_and_16_swvs():
    comp = facts.swv_composition_2021()
    assert len(comp) == 57
    assert comp["elz57"].is_unique
    assert set(comp["swv"]) == set(facts.swv_budgets_2021()["swv"])
    assert comp["inferred"].dtype == bool
    assert comp["inferred"].any() and not comp["inferred"].all()
    mapping = facts.swv_of_elz57()
    assert mapping["elz7"] == facts.BRUSSELS_SWV
    assert [k for k, v in mapping.items() if v == "Groot Antwerpen"] == ["elz2"]


def test_missing_file_raises_dutch_error(tmp_path, monkeypatch):
    (tmp_path / "1g1p").mkdir()
    monkeypatch.setenv("GEO_DATA_DIR", str(tmp_path))
    with pytest.raises(DataMissingError, match="ontbreekt"):
        facts.swv_budgets_2021()


def test_corrupt_total_is_detected(tmp_path, monkeypatch):
    folder = tmp_path / "1g1p"
    folder.mkdir()
    src = facts.facts_dir() / facts.BUDGET_FILE
    text = src.read_text().replace("960000", "960001")
    (folder / facts.BUDGET_FILE).write_text(text)
    shutil.copy(facts.facts_dir() / facts.COMPOSITION_FILE, folder / facts.COMPOSITION_FILE)
    monkeypatch.setenv("GEO_DATA_DIR", str(tmp_path))
    with pytest.raises(DataMissingError, match="totaal"):
        facts.swv_budgets_2021()
