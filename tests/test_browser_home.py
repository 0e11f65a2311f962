"""Home page: wiring through AppTest, and in a real Chromium with every non-localhost request blocked
(marker `browser`) where the map must still draw, fitted to Flanders, legend and sources under it."""

from __future__ import annotations

import browser as br
import pytest
from streamlit.testing.v1 import AppTest

from geo.data import units

N_MUNICIPALITIES = 304
FILLS_JS = "() => [...document.querySelectorAll('path[data-code]')].map((p) => p.dataset.fill)"


@pytest.mark.browser
def test_home_map_draws_offline(built, app_url, page, page_log):
    br.open_app(page, app_url)
    page.wait_for_selector(br.UNIT_MAP_READY, timeout=60_000)

    # One polygon per municipality, from the published geometry (no GeoJSON in the page).
    assert page.locator("path[data-code]").count() == N_MUNICIPALITIES
    # The zone borders are drawn as one line layer above the municipalities.
    assert page.locator(".leaflet-umBorders-pane path").count() == 1
    # Legend under the map: Dutch title and nl-BE formatted class limits.
    legend = page.locator(".um-legend")
    assert "Inwoners" in legend.inner_text()
    assert "." in legend.inner_text()  # thousands separator of nl-BE (e.g. 12.000)
    assert "Statbel" in page.locator(".um-attr").inner_text()
    assert br.layout_problems(br.unit_map_layout(page)) == []
    # Leaflet came from the app itself; nothing outside localhost was even attempted (also late requests
    # such as the favicon: wait until the network is quiet first).
    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof L !== 'undefined' && L.version") == "1.9.3"
    assert page_log.blocked == []
    assert page_log.failed == []
    assert page_log.page_errors == []


@pytest.mark.browser
def test_home_shows_key_figures(built, app_url, page):
    br.open_app(page, app_url)
    table = units.load_table("gemeente")
    expected = f"{int(table['inwoners'].sum()):,}".replace(",", ".")
    page.get_by_text(expected, exact=True).first.wait_for(timeout=30_000)
    assert page.get_by_text("Kerncijfers").count() >= 1


@pytest.mark.browser
def test_switching_indicator_recolours_with_new_legend(built, app_url, page, page_log):
    br.open_app(page, app_url)
    page.wait_for_selector(br.UNIT_MAP_READY, timeout=60_000)
    fills = page.evaluate(FILLS_JS)
    page.get_by_test_id("stRadioGroup").get_by_text("Kansarmoede (%, K&G per gemeente)", exact=True).click()
    page.wait_for_function(
        "() => document.querySelector('.um-legend')?.innerText.includes('Kansarmoede')", timeout=60_000
    )
    assert "%" in page.locator(".um-legend").inner_text()
    after = page.evaluate(FILLS_JS)
    assert len(after) == N_MUNICIPALITIES and after != fills  # the same polygons, new colours
    assert page_log.blocked == []


@pytest.mark.browser
def test_year_choice_changes_the_figures_and_follows_to_other_pages(built, app_url, page, page_log):
    br.open_app(page, app_url)
    latest = units.load_table("gemeente")
    page.get_by_text(nl_int(latest["inwoners"].sum()), exact=True).first.wait_for(timeout=60_000)
    box = page.get_by_label("Bevolkingsjaar", exact=True)
    box.click()
    page.get_by_role("option", name="1 januari 2019", exact=True).click()
    older = units.load_table("gemeente", 2019)
    page.get_by_text(nl_int(older["inwoners"].sum()), exact=True).first.wait_for(timeout=60_000)
    page.get_by_text("Inwoners (1 januari 2019)", exact=True).first.wait_for(timeout=10_000)
    assert older["inwoners"].sum() != latest["inwoners"].sum()
    # the choice follows to the comparison page: its table headers say 2019
    page.get_by_role("link", name="Indelingen vergelijken").click()
    # (the data grid keeps its header cells in a hidden table for screen readers)
    page.get_by_text("Inwoners A (2019)", exact=True).first.wait_for(state="attached", timeout=60_000)
    assert page_log.blocked == []


# --------------------------------------------------------------------------- page wiring (no browser)


def nl_int(value: float) -> str:
    return f"{int(value):,}".replace(",", ".")


def _expected(table) -> dict[str, str]:
    year = int(table["jaar"].iloc[0])
    known = ~table["kansarmoede_missing"].astype(bool)
    rate = 100 * table.loc[known, "kansarmoede_n"].sum() / table.loc[known, "pop_0_24"].sum()
    return {
        f"Inwoners (1 januari {year})": nl_int(table["inwoners"].sum()),
        f"Jongeren onder 25 ({year})": nl_int(table["pop_0_24"].sum()),
        "rate": f"{rate:.1f} %".replace(".", ","),
    }


def test_home_page_key_figures_match_the_tables(built):
    at = AppTest.from_file("../views/home.py", default_timeout=60).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    table = units.load_table("gemeente")
    year = int(table["jaar"].iloc[0])
    assert year == units.DEFAULT_YEAR
    expected = _expected(table)
    assert metrics[f"Inwoners (1 januari {year})"] == expected[f"Inwoners (1 januari {year})"]
    assert metrics[f"Jongeren onder 25 ({year})"] == expected[f"Jongeren onder 25 ({year})"]
    assert metrics["Gemeenten"] == "304"
    assert metrics["Eerstelijnszones"] == "60"
    assert metrics["Kansarmoede (%, K&G per gemeente)"] == expected["rate"]
    assert [o for o in at.radio[0].options] == [
        f"Inwoners ({year})",
        f"Jongeren onder 25 ({year})",
        "Kansarmoede (%, K&G per gemeente)",
        f"Jongeren onder 25 per km² ({year})",
    ]
    (home_map,) = [e for e in at.get("bidi_component") if e.proto.component_name == "geo_unit_map"]
    assert "Statbel" in str(home_map.proto)  # the sources travel with the map, shown under it
    assert any(f"1 januari {year}" in c.value for c in at.caption)


def test_home_page_year_and_indicator_choice_change_the_figures(built):
    at = AppTest.from_file("../views/home.py", default_timeout=60).run()
    before = {m.label: m.value for m in at.metric}
    at.sidebar.selectbox(key="cijfers_jaar").set_value(2019)
    at.sidebar.selectbox(key="cijfers_indicator").set_value("bimd")
    at.run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    table = units.load_table("gemeente", 2019, "bimd")
    expected = _expected(table)
    assert metrics["Inwoners (1 januari 2019)"] == expected["Inwoners (1 januari 2019)"]
    assert metrics["Jongeren onder 25 (2019)"] == expected["Jongeren onder 25 (2019)"]
    assert metrics["Kansarmoede (%, BIMD 2011, geschat)"] == expected["rate"]
    # the figures really changed with the choice (2019 is not 2022; BIMD is not K&G)
    assert metrics["Inwoners (1 januari 2019)"] != before[f"Inwoners (1 januari {units.DEFAULT_YEAR})"]
    assert expected["rate"] != before["Kansarmoede (%, K&G per gemeente)"]
    assert at.radio[0].options[0] == "Inwoners (2019)"
    assert any("1 januari 2019" in c.value and "BIMD" in c.value for c in at.caption)


def test_home_page_empty_state_without_data(tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_DATA_DIR", str(tmp_path))
    at = AppTest.from_file("../views/home.py", default_timeout=60).run()
    assert not at.exception
    assert len(at.info) == 1 and "make data" in at.info[0].value
    assert len(at.metric) == 0


def test_home_table_never_labels_antwerp_with_one_zone(built):
    """Antwerp city spans four eerstelijnszones: its row names all four, every other row its zone."""
    at = AppTest.from_file("../views/home.py", default_timeout=60).run()
    table = at.dataframe[0].value.set_index("NIS-code")
    antwerp = table.loc["11002", "Eerstelijnszone"]
    assert all(part in antwerp for part in ("Centrum", "Oost", "Zuid", "Noord"))
    zones = units.load_table("elz").set_index("code")["naam"]
    others = units.load_table("gemeente").set_index("code")["elz"].drop("11002")
    assert (table.loc[others.index, "Eerstelijnszone"] == others.map(zones)).all()
    (home_map,) = [e for e in at.get("bidi_component") if e.proto.component_name == "geo_unit_map"]
    assert "stad verdeeld over vier zones" in str(home_map.proto)  # the tooltip says the same
