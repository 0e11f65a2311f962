"""Partner planning in a real Chromium (offline): a road network from a file, accessibility on the map,
and the exact choice among candidate sites from a file. Runs after test_browser_partners.py (file order):
it replaces the register that test leaves, and leaves its own two partners behind."""

from __future__ import annotations

import json

import browser as br
import numpy as np
import pytest

from geo.partners.register import lambert_to_wgs84

pytestmark = pytest.mark.browser

PARTNERS = "naam;type;lat;lon\nCLB Antwerpen;CLB;51,2194;4,4025\nCLB Berchem;CLB;51,1950;4,4300\n"
SITES = "naam;gemeente;capaciteit\nLocatie Mortsel;Mortsel;800\nLocatie Schoten;Schoten;\n"


def roads_geojson() -> str:
    # one straight road from Mortsel north through Antwerp towards Schoten (Lambert 72 -> WGS84)
    lat, lon = lambert_to_wgs84(np.array([155_000.0, 156_000.0]), np.array([205_000.0, 218_000.0]))
    line = {"type": "LineString", "coordinates": [[lon[0], lat[0]], [lon[1], lat[1]]]}
    feature = {"type": "Feature", "properties": {}, "geometry": line}
    return json.dumps({"type": "FeatureCollection", "features": [feature]})


def upload(page, label: str, name: str, content: str, scope=None) -> None:
    root = scope if scope is not None else page
    chooser = root.locator('[data-testid="stFileUploader"]', has_text=label).locator('input[type="file"]')
    chooser.set_input_files(
        {"name": name, "mimeType": "application/octet-stream", "buffer": content.encode()}
    )


def test_road_network_access_map_and_exact_sites(app_url, page, page_log):
    br.open_app(page, app_url, "partners")
    # a register of two CLBs
    page.get_by_text("vervangen door dit bestand").click()
    br.wait_script_idle(page)
    upload(page, "Partnerbestand", "partners.csv", PARTNERS)
    page.get_by_role("button", name="Opslaan in het register").click()
    page.get_by_text("Dit bestand is opgeslagen.").wait_for(timeout=90_000)

    # distances along a road network uploaded in the sidebar
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("over een wegennet (bestand)").click()
    br.wait_script_idle(page)
    upload(page, "Wegennet", "wegen.geojson", roads_geojson(), scope=sidebar)
    sidebar.get_by_text("Afstand over het wegennet 'wegen.geojson'").wait_for(timeout=90_000)
    br.wait_script_idle(page)

    # accessibility: the measurement is stated and the map shows the classes
    page.get_by_role("tab", name="Toegang per gebied").click()
    page.get_by_text("Afstand: afstand over het wegennet 'wegen.geojson'").first.wait_for(timeout=60_000)
    access_map = br.visible_unit_map(page)
    access_map.locator(".um-legend", has_text="Toegang tot CLB").wait_for(timeout=60_000)
    assert access_map.locator("path[data-code]").count() > 0

    # where to add: candidate sites from a file, exact choice, the site with room for 800 wins by road
    page.get_by_role("tab", name="Waar toevoegen?").click()
    page.get_by_text("uit een bestand", exact=True).click()
    br.wait_script_idle(page)
    upload(page, "Kandidaatlocaties", "kandidaten.csv", SITES)
    page.get_by_text("2 kandidaatlocaties uit kandidaten.csv").wait_for(timeout=90_000)
    br.wait_script_idle(page, 120_000)
    page.get_by_text("Exacte keuze: bewezen optimaal").first.wait_for(timeout=120_000)
    page.get_by_text("Capaciteit per locatie: hoeveel -25-jarigen").first.wait_for(timeout=10_000)
    # the proposed site is drawn as a marker on the location map
    locate_map = br.visible_unit_map(page)
    locate_map.locator(".um-legend", has_text="Voorstel (1)").wait_for(timeout=60_000)
    assert locate_map.locator(".leaflet-umPoints-pane path").count() == 3  # the 2 CLBs and the new site
    # the share reached after each added site: a Vega-Lite line for the greedy preview and the exact plan
    curve = br.vega_chart(page, has_text="nieuwe locaties")
    assert curve.locator("g.mark-line.role-mark path").count() == 2
    assert {"snelle benadering", "exacte keuze"} <= set(curve.locator("text").all_text_contents())
    # only the open tab ran, and it is in the address: a reload (or a bookmark) opens it again
    assert "partners_tab=" in page.url
    page.goto(page.url, wait_until="domcontentloaded")
    page.get_by_text("Kandidaatlocaties", exact=False).first.wait_for(timeout=120_000)
    br.wait_script_idle(page, 120_000)
    assert page.get_by_text("Toegang tot CLB").count() == 0
    assert page_log.page_errors == []
    assert all("127.0.0.1" not in url for url in page_log.blocked)
