"""Every page's map in a real Chromium (1440x900, external requests blocked): the map fills its column,
is fitted to its units, and its legend and sources sit under it, never on the units or on each other
(checked with the elements' bounding boxes). Also: no English texts of Streamlit's own widgets."""

from __future__ import annotations

import re

import browser as br
import pytest
from playwright.sync_api import expect

ENGLISH = re.compile(
    r"\b(Drag and drop|Browse files|per file|Upload|Select all|No results|Choose an option|Running\.\.\.|"
    r"Press Enter|Deploy|Clear cache|None)\b"
)


def english_on(page) -> list[str]:
    """English words of Streamlit's own widgets in the visible text of the page."""
    return sorted(set(ENGLISH.findall(page.locator('[data-testid="stApp"]').inner_text())))


@pytest.mark.browser
@pytest.mark.parametrize(("path", "n_maps"), [("", 1), ("budget", 1), ("vergelijken", 3)])
def test_unit_maps_fit_with_legend_and_sources_under_them(built, app_url, wide_page, page_log, path, n_maps):
    page = wide_page
    br.open_app(page, app_url, path)
    page.locator(br.UNIT_MAP_READY).nth(n_maps - 1).wait_for(timeout=90_000)
    br.wait_script_idle(page)
    assert page.locator(br.UNIT_MAP_READY).count() == n_maps
    for i in range(n_maps):
        layout = br.unit_map_layout(page, i)
        assert br.layout_problems(layout) == [], f"kaart {i} op /{path}"
        assert layout["legend"] is not None, f"kaart {i} op /{path} heeft geen legende"
    assert english_on(page) == []
    assert page_log.blocked == [] and page_log.page_errors == []


@pytest.mark.browser
def test_compare_small_maps_keep_their_legends_under_the_map(built, app_url, wide_page):
    page = wide_page
    br.open_app(page, app_url, "vergelijken")
    page.locator(br.UNIT_MAP_READY).nth(2).wait_for(timeout=90_000)
    for i in (1, 2):  # A and B side by side: 60 and 16 areas
        layout = br.unit_map_layout(page, i)
        assert layout["map"]["w"] < 700  # really the small maps
        assert layout["legend"]["y"] >= layout["map"]["b"] - 1
        assert layout["legend"]["h"] <= 100  # a scrolling strip under the map, not half of it


@pytest.mark.browser
def test_caseload_map_fills_its_column_with_legend_under_it(built, app_url, wide_page, page_log):
    page = wide_page
    br.open_app(page, app_url, "caseload")
    wrap = br.visible_unit_map(page)
    br.wait_script_idle(page)
    assert br.layout_problems(br.unit_map_layout(page, wrap=wrap)) == []
    assert "Per VTE per maand" in wrap.locator(".um-legend").inner_text()
    assert english_on(page) == []
    assert page_log.blocked == [] and page_log.page_errors == []


@pytest.mark.browser
def test_partner_maps_fill_their_column_with_legends_under_them(built, app_url, wide_page, page_log):
    page = wide_page
    br.open_app(page, app_url, "partners")
    # a register to map: the OpenStreetMap example, removed again afterwards (other tests expect none)
    add = page.get_by_role("button", name="OSM-voorbeeld toevoegen")
    remove = page.get_by_role("button", name="OSM-voorbeeld verwijderen")
    add.click()
    expect(remove).to_be_enabled(timeout=120_000)
    try:
        for tab, legend in (("Dekking per gebied", "Partners per type"), ("Waar toevoegen?", "Voorstel")):
            page.get_by_role("tab", name=tab).click()
            # only the open tab runs: wait until the rerun shows its map with its own legend
            wrap = br.visible_unit_map(page)
            wrap.locator(".um-legend", has_text=legend).wait_for(timeout=120_000)
            br.wait_script_idle(page)
            assert br.layout_problems(br.unit_map_layout(page, wrap=wrap), fill=0.5) == [], tab
        assert english_on(page) == []
        assert page_log.blocked == [] and page_log.page_errors == []
    finally:
        page.get_by_role("tab", name="Register").click()
        remove.click()
        expect(add).to_be_enabled(timeout=60_000)


URLS = [
    "http://127.0.0.1:8501/app/static/vendor/leaflet/leaflet.js",
    "http://localhost:8501/budget?budget_tab=x",
    "ws://127.0.0.1:8501/_stcore/stream",
    "http://[::1]:8501/",
    "http://127.0.0.1",
    "data:image/png;base64,AA",
    "blob:http://127.0.0.1:8501/5f1",
    "about:blank",
    "https://tile.openstreetmap.org/1/0/0.png",
    "https://fonts.googleapis.com/css",
    "http://127.0.0.1.example.com/x",
    "http://localhost.example.com:8501/",
]


@pytest.mark.parametrize("url", URLS)
def test_only_external_urls_are_intercepted(url):
    # the route pattern (evaluated in the browser driver) and the Python check agree on every URL
    assert bool(br.EXTERNAL_URL.search(url)) == (not br.is_local(url))


@pytest.mark.browser
def test_external_requests_are_blocked_and_recorded(built, app_url, wide_page, page_log):
    page = wide_page
    br.open_app(page, app_url, "bronnen")
    outcome = page.evaluate(
        """async () => {
            const get = (u) => fetch(u, {mode: 'no-cors'}).then(() => 'ok', () => 'blocked');
            return [await get('/_stcore/health'), await get('https://tile.openstreetmap.org/1/0/0.png')];
        }"""
    )
    assert outcome == ["ok", "blocked"]
    assert page_log.blocked == ["https://tile.openstreetmap.org/1/0/0.png"]
