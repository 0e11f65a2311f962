"""Partners and caseload pages in a real Chromium (offline): row messages for a bad partner file, a partial
save that reaches the register, and the privacy refusal of a caseload file with personal data."""

from __future__ import annotations

import re

import browser as br
import pytest

pytestmark = pytest.mark.browser

BAD_FILE = (
    "naam;type;lat;lon;gemeente\n"
    "CLB Antwerpen;CLB;51,2194;4,4025;\n"  # row 2: valid
    "Jeugdhuis;jeugdhuis;51,0;4,1;\n"  # row 3: unknown type
    "Omgekeerd;CAW;4,40;51,22;\n"  # row 4: lat/lon swapped
    "Parijs;CLB;48,85;2,35;\n"  # row 5: outside Belgium
    "Nergens;CAW;;;Atlantis\n"  # row 6: unknown municipality
    "CLB Antwerpen;CLB;51,2194;4,4025;\n"  # row 7: duplicate of row 2
)


def upload(page, label: str, name: str, content: str) -> None:
    chooser = page.locator('[data-testid="stFileUploader"]', has_text=label).locator('input[type="file"]')
    chooser.set_input_files({"name": name, "mimeType": "text/csv", "buffer": content.encode("utf-8")})


def test_bad_partner_file_shows_row_messages_and_saves_only_valid_rows(app_url, page, page_log):
    br.open_app(page, app_url, "partners")
    page.get_by_text("Het register is nog leeg").first.wait_for(timeout=60_000)
    upload(page, "Partnerbestand", "partners.csv", BAD_FILE)

    alert = page.locator('[data-testid="stAlert"]', has_text="fout(en) in partners.csv")
    alert.wait_for(timeout=60_000)
    text = alert.inner_text()
    assert "5 fout(en)" in text and "1 van 6 rijen zijn geldig" in text
    assert "Rij 3: onbekend type 'jeugdhuis'" in text
    assert re.search(r"Rij 4: lat en lon lijken omgewisseld", text)
    assert "Rij 5: locatie (lat 48,8500, lon 2,3500) ligt buiten België" in text
    assert "Rij 6: onbekende gemeente 'Atlantis'" in text
    assert "Rij 7: dubbel" in text

    save = page.get_by_role("button", name="Opslaan in het register")
    assert save.is_disabled()
    page.get_by_text("Toch enkel de 1 geldige rijen opslaan").click()
    br.wait_script_idle(page)
    save.click()
    page.get_by_text("Dit bestand is opgeslagen.").wait_for(timeout=90_000)
    metric = page.locator('[data-testid="stMetric"]', has_text="Partners in het register").first
    assert metric.inner_text().split()[-1] == "1"
    # the saved partner appears on the coverage map as a point, switchable in the legend, drawn offline
    page.get_by_role("tab", name="Dekking per gebied").click()
    covermap = br.visible_unit_map(page)
    covermap.locator(".um-legend", has_text="CLB (1)").wait_for(timeout=60_000)
    assert covermap.locator(".leaflet-umPoints-pane path").count() == 1
    covermap.locator(".um-toggle", has_text="CLB (1)").click()  # the legend entry hides the point
    assert covermap.locator(".leaflet-umPoints-pane path").count() == 0
    assert page_log.page_errors == []
    assert all("127.0.0.1" not in url for url in page_log.blocked)


def test_caseload_file_with_personal_data_is_refused(app_url, page, page_log):
    br.open_app(page, app_url, "caseload")
    page.get_by_text("eigen bestand").first.click()
    br.wait_script_idle(page)
    upload(
        page,
        "Bestand met aanmeldingen",
        "dossiers.csv",
        "gemeente;maand;aanmeldingen;voornaam;geboortedatum\n11002;2024-01;1;Sofie;03/04/2012\n",
    )
    alert = page.locator('[data-testid="stAlert"]', has_text="Bestand geweigerd")
    alert.wait_for(timeout=60_000)
    text = alert.inner_text()
    assert "voornaam" in text and "geboortedatum" in text
    assert "Sofie" not in text and "03/04/2012" not in text
    br.wait_script_idle(page)
    assert page.get_by_role("heading", name="Belasting per gebied", exact=True).count() == 0
    assert page_log.page_errors == []


def test_caseload_example_draws_its_map_and_trend_offline(app_url, page, page_log):
    responses = br.record_responses(page)
    br.open_app(page, app_url, "caseload")
    page.get_by_role("heading", name="Kaart", exact=True).wait_for(timeout=60_000)
    # the example on municipalities: every municipality of the chosen division gets its area's value
    assert br.visible_unit_map(page).locator("path[data-code]").count() >= 250
    # the trend (its own tab): one Vega-Lite line per chosen area (the eight largest), months on the axis
    page.get_by_role("tab", name="Trend per maand").click()
    trend = br.vega_chart(page, has_text="Aanmeldingen")
    assert trend.locator("g.mark-line.role-mark path").count() == 8
    months = trend.locator("g.role-axis-label text").all_text_contents()
    assert any(re.fullmatch(r"[a-z]{3} \d{4}", t) for t in months), months
    assert not [url for url in responses if "PlotlyChart" in url]
    assert page_log.page_errors == []
    assert page_log.blocked == []
