"""The built layers and tables: counts, nesting, coverage, population totals (issue 2, item 7)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from geo.data import units
from geo.data.catalog import raw_path
from geo.data.readers import read_statbel_population


def test_layer_counts():
    assert len(units.load_table("gemeente")) == 304
    assert len(units.load_table("gemeente2024")) == 319
    assert len(units.load_table("elz")) == 60
    assert len(units.load_table("elz57")) == 57
    assert len(units.load_table("wijk")) == 2767
    assert len(units.load_layer("wijk")) == 2767
    assert len(units.load_table("district")) == 10
    gem = units.load_table("gemeente")
    assert (gem["gewest"] == "2000").sum() == 285
    assert (gem["gewest"] == "4000").sum() == 19


def test_codes_are_strings_with_leading_digits_kept():
    gem = units.load_table("gemeente")
    assert gem["code"].map(type).eq(str).all()
    assert gem["code"].str.fullmatch(r"\d{5}").all()
    wijk = units.load_table("wijk")
    assert wijk["code"].str.startswith(tuple(gem["code"])).mean() > 0.9
    pc = units.load_table("postcode_antwerpen")
    assert set(pc["code"]) >= {"2000", "2060", "2940"}


def test_every_municipality_in_exactly_one_eerstelijnszone():
    gem = units.load_table("gemeente")
    zones = set(units.load_table("elz57")["code"])
    assert gem["elz57"].notna().all()
    assert set(gem["elz57"]) == zones
    assert not gem["code"].duplicated().any()
    # Geometric check: each municipality lies (almost) entirely inside its own zone.
    g = units.load_layer("gemeente").set_index("code")
    z = units.load_layer("elz57").set_index("code")
    inside = shapely.area(shapely.intersection(g.geometry.values, z.geometry.loc[g["elz57"]].values))
    assert (inside / g.geometry.area.values > 0.99).all()


def test_antwerp_split_into_four_subzones_and_wijken_nest():
    elz = units.load_table("elz")
    sub = elz[elz["elz57"] == "elz2"]
    assert sorted(sub["naam"]) == ["Antwerpen Centrum", "Antwerpen Noord", "Antwerpen Oost", "Antwerpen Zuid"]
    wijk = units.load_table("wijk")
    assert set(wijk["elz"]) == set(elz["code"])
    # The port wijk is assigned by the documented rule, not left out.
    assert wijk.loc[wijk["naam"].str.startswith("Schelde (Antwerpen)"), "elz"].iloc[0].startswith("elz2.")
    # Stabroek and Schoten lie in Noord, Wommelgem in Oost (sector table).
    gem = units.load_table("gemeente").set_index("code")
    assert gem.loc["11044", "elz"] == "elz2.4"
    assert gem.loc["11040", "elz"] == "elz2.4"
    assert gem.loc["11052", "elz"] == "elz2.2"


def test_codes_within_municipalities_per_level():
    wijk = units.load_table("wijk")
    inside = units.codes_within("wijk", [" 11002", "11040", ""])
    expected = wijk.loc[wijk["gemeente"].isin(["11002", "11040"]), "code"].tolist()
    assert inside == expected and len(inside) > 50
    assert "11007A01" in inside  # Borsbeek's wijken: part of Antwerpen since the 2025 merger
    assert units.codes_within("gemeente", ["11002", "99999"]) == ["11002"]  # its own code
    assert units.codes_within("wijk", ["99999"]) == []


def test_sixty_zones_cover_flanders_and_brussels_without_overlaps():
    zones = units.load_layer("elz")
    gem = units.load_layer("gemeente")
    total = gem.geometry.area.sum()
    assert zones.geometry.area.sum() == pytest.approx(total, rel=1e-6)
    union = shapely.union_all(zones.geometry.values)
    assert union.area == pytest.approx(total, rel=1e-6)
    tree = shapely.STRtree(zones.geometry.values)
    a, b = tree.query(zones.geometry.values, predicate="intersects")
    keep = a < b
    overlap = shapely.area(
        shapely.intersection(zones.geometry.values[a[keep]], zones.geometry.values[b[keep]])
    )
    assert overlap.max() < 1.0  # m²: neighbours touch, they do not overlap


def test_belgian_population_2015_and_under_25s():
    pop = read_statbel_population(raw_path("statbel/TF_SOC_POP_STRUCT_2015.zip"))
    assert int(pop["bevolking"].sum()) == 11_209_044
    fb = pop[pop["gewest"].isin(["2000", "4000"])]
    under25 = int(fb.loc[fb["leeftijd"] <= 24, "bevolking"].sum())
    gem = units.load_table("gemeente", year=2015)
    assert int(gem["pop_0_24"].sum()) == under25
    assert int(gem["inwoners"].sum()) == int(fb["bevolking"].sum())
    assert (gem["pop_0_17"] + gem["pop_18_24"] == gem["pop_0_24"]).all()
    report = units.build_report()
    assert report["controles"]["statbel_totalen"]["2015"]["belgie"] == 11_209_044


def test_merged_municipalities_lose_no_inhabitant():
    """Pre-2019 codes (e.g. Knesselare 44029 into Aalter 44084) and Borsbeek into Antwerpen (2025)."""
    pop = read_statbel_population(raw_path("statbel/TF_SOC_POP_STRUCT_2015.zip"))
    per_old = pop.groupby("nis")["bevolking"].sum()
    gem = units.load_table("gemeente", year=2015).set_index("code")
    assert gem.loc["44084", "inwoners"] == per_old["44001"] + per_old["44029"]
    assert gem.loc["11002", "inwoners"] == per_old["11002"] + per_old["11007"]


def test_higher_levels_are_sums_of_municipalities():
    gem = units.load_table("gemeente")
    for level, key in (("elz57", "elz57"), ("provincie", "provincie")):
        t = units.load_table(level).set_index("code")
        sums = gem.groupby(key)["pop_0_24"].sum()
        assert (t.loc[sums.index, "pop_0_24"] == sums).all()
    elz = units.load_table("elz")
    assert elz["pop_0_24"].sum() == pytest.approx(gem["pop_0_24"].sum(), rel=1e-9)
    wijk = units.load_table("wijk")
    per_gem = wijk.groupby("gemeente")["pop_0_24"].sum()
    assert np.allclose(per_gem.reindex(gem["code"]).to_numpy(), gem["pop_0_24"].to_numpy())
    assert wijk["pop_geschat"].all()


def test_kansarmoede_missing_values_stay_missing_and_rates_come_from_counts():
    gem = units.load_table("gemeente").set_index("code")
    assert gem.loc[gem["gewest"] == "4000", "kansarmoede_missing"].all()
    flemish_missing = gem[(gem["gewest"] == "2000") & gem["kansarmoede_missing"]]
    assert sorted(flemish_missing["naam"]) == ["Bever", "Herstappe", "Horebeke"]
    assert flemish_missing["kansarmoede_pct"].isna().all()
    z = units.load_table("elz57").set_index("code")
    zone = gem[gem["gewest"] == "2000"].groupby("elz57").size().idxmax()  # a zone with many municipalities
    members = gem[(gem["elz57"] == zone) & ~gem["kansarmoede_missing"]]
    expected = (
        100 * (members["pop_0_24"] * members["kansarmoede_pct"] / 100).sum() / members["pop_0_24"].sum()
    )
    assert z.loc[zone, "kansarmoede_pct"] == pytest.approx(expected, abs=0.01)
    assert z.loc[zone, "kansarmoede_pct"] != pytest.approx(members["kansarmoede_pct"].mean(), abs=0.01)


def test_vaccinnet_bands_cover_flemish_municipalities():
    gem = units.load_table("gemeente", year=2015)
    flemish = gem[gem["gewest"] == "2000"]
    assert flemish["vacc_inwoners"].notna().all()
    assert gem.loc[gem["gewest"] == "4000", "vacc_inwoners"].isna().all()
    assert flemish["vacc_inwoners"].sum() > flemish["inwoners"].sum()  # ~2021 vs 2015: growth


def test_adjacency_is_symmetric_free_and_finds_known_neighbours():
    adj = units.adjacency("gemeente")
    assert (adj["a"] < adj["b"]).all()
    pairs = set(zip(adj["a"], adj["b"], strict=True))
    assert ("11002", "11040") in pairs  # Antwerpen - Schoten
    voeren = adj[(adj["a"] == "73109") | (adj["b"] == "73109")]
    assert voeren.empty  # exclave: no Flemish or Brussels neighbour


def test_display_layers_are_small_and_keep_only_code_and_name():
    gj = units.display_geojson("gemeente")
    assert len(gj["features"]) == 304
    assert set(gj["features"][0]["properties"]) == {"code", "naam"}
    size = len(pd.io.json.ujson_dumps(gj)) + len(pd.io.json.ujson_dumps(units.display_geojson("elz")))
    assert size < 800_000


def test_build_stamp_names_the_last_build_and_is_none_without_one(tmp_path, monkeypatch):
    assert units.build_stamp() == units.build_report()["gebouwd"]
    monkeypatch.setenv("GEO_DATA_DIR", str(tmp_path))
    assert units.build_stamp() is None
    assert not units.is_built()


def test_perimeters_are_stored_so_compactness_needs_no_geometry():
    table = units.load_table("wijk").set_index("code")
    layer = units.load_layer("wijk").set_index("code")
    assert np.allclose(table.loc[layer.index, "perimeter_m"], layer.geometry.length, atol=0.1)


def test_attribution_line_names_each_requested_source_once():
    from geo.data import catalog

    line = catalog.attribution_line(("statbel", "osm"))
    assert line.startswith("Bronnen: Statbel")
    assert "© OpenStreetMap-bijdragers" in line
    assert line.endswith(".") and not line.endswith("..")
    assert "Kind & Gezin" not in line
