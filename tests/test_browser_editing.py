"""The editor's map and number fields in a real Chromium (external requests blocked).

- a click selects a unit at once (outline in the browser) and the list follows; moving it changes the
  table, undo restores it;
- in "move" mode a click gives the unit the target area's colour at once, then the table follows;
- the whole of Flanders at wijk level (2767 units) is one editable map;
- hostile area names show as text in the legend and tooltip, never as HTML;
- typing `0,3` style numbers: accepted and shown the Flemish way, ambiguous entries refused in Dutch;
- no English texts of Streamlit's own widgets on the page.
"""

from __future__ import annotations

import re

import browser as br
import pytest
from test_browser_divisions import WCP_TITLE, metric_value, units_per_area

from geo.data import units

READY = ".um-wrap[data-ready='1']"
HOSTILE = "<img src=x onerror=alert(1)>"


def open_builtin(page, app_url: str, title: str) -> None:
    br.open_app(page, app_url, "indelingen")
    page.get_by_label("Ingebouwde indeling", exact=True).wait_for(timeout=60_000)
    br.choose(page, "Ingebouwde indeling", title)
    page.get_by_role("button", name="Openen", exact=True).first.click()
    page.wait_for_selector(READY, timeout=60_000)


def path(page, code: str):
    return page.locator(f"path[data-code='{code}']")


def ack(page) -> int:
    return int(page.locator(".um-wrap").get_attribute("data-ack") or 0)


@pytest.mark.browser
def test_click_selects_at_once_then_move_and_undo(built, app_url, page, page_log):
    from geo.divisions.references import reference_division

    reference = reference_division("wcp_wijk")
    open_builtin(page, app_url, WCP_TITLE)
    assert page.locator("path[data-code]").count() == len(reference.units)  # only the division's wijken
    before = br.wait_until(lambda: units_per_area(page) if len(units_per_area(page)) == 7 else None, "tabel")
    assert before == reference.area_sizes()
    assert metric_value(page, "Zonder gebied") == "3"  # Borsbeek's three wijken
    assert page.get_by_text(re.compile(r"3 eenheden zonder gebied: 11007A01 – ")).count() == 1  # names

    code = next(c for c in reference.units if reference.area_of(c) == "Antwerpen 2060")
    acked = ack(page)
    path(page, code).dispatch_event("click")
    # the outline is drawn by the browser itself, before any rerun has answered
    assert "um-selected" in (path(page, code).get_attribute("class") or "")
    br.wait_until(lambda: ack(page) > acked, "de klik kwam niet aan")
    chosen = page.locator('[data-testid="stMultiSelect"]').first
    br.wait_until(lambda: code in chosen.inner_text(), "de lijst volgde de klik niet")
    assert page.get_by_text(re.compile(rf"^{code} – .* gekozen \(1 eenheid gekozen\)")).count() == 1

    br.choose(page, "Doelgebied", "Berchem/Borgerhout")
    page.get_by_role("button", name="Verplaats 1 eenheid naar Berchem/Borgerhout").click()
    # the table may pass through an intermediate state: wait for the moved unit's area to count it
    target = before["Berchem/Borgerhout"] + 1
    after = br.wait_until(
        lambda: (u := units_per_area(page)).get("Berchem/Borgerhout") == target and u,
        "de tabel telt de verplaatste eenheid niet bij Berchem/Borgerhout",
    )
    assert len(after) == 7
    assert after["Antwerpen 2060"] == before["Antwerpen 2060"] - 1
    assert page.get_by_text(re.compile("Gewijzigd door de laatste bewerking")).count() == 1
    moved_fill = path(page, code).get_attribute("data-fill")
    neighbour = next(c for c in reference.units if reference.area_of(c) == "Berchem/Borgerhout")
    assert moved_fill == path(page, neighbour).get_attribute("data-fill")

    page.get_by_role("button", name=re.compile("Ongedaan maken")).click()
    br.wait_until(lambda: units_per_area(page) == before, "ongedaan maken herstelde de tabel niet")
    assert page_log.page_errors == []
    assert page_log.blocked == []


@pytest.mark.browser
def test_move_mode_recolours_the_clicked_unit_at_once(built, app_url, page, page_log):
    from geo.divisions.references import reference_division

    reference = reference_division("wcp_wijk")
    open_builtin(page, app_url, WCP_TITLE)
    before = br.wait_until(lambda: units_per_area(page) if len(units_per_area(page)) == 7 else None, "tabel")
    page.get_by_text("verplaatst naar het doelgebied", exact=True).click()
    br.choose(page, "Doelgebied", "Deurne/Wommelgem")
    page.wait_for_selector(".um-wrap[data-click='paint'][data-paint='Deurne/Wommelgem']", timeout=60_000)
    target_code = next(c for c in reference.units if reference.area_of(c) == "Deurne/Wommelgem")
    target_fill = path(page, target_code).get_attribute("data-fill")
    code = "11007A01"  # a Borsbeek wijk, unassigned
    assert path(page, code).get_attribute("data-fill") != target_fill
    path(page, code).dispatch_event("click")
    assert path(page, code).get_attribute("data-fill") == target_fill  # recoloured in the browser at once
    br.wait_until(
        lambda: units_per_area(page).get("Deurne/Wommelgem") == before["Deurne/Wommelgem"] + 1,
        "de tabel telt de geklikte eenheid niet bij Deurne/Wommelgem",
    )
    assert metric_value(page, "Zonder gebied") == "2"
    assert page.get_by_text(re.compile(r"11007A01 – .*: van geen gebied naar Deurne/Wommelgem")).count() == 1
    # the same click again changes nothing and says so
    acked = ack(page)
    path(page, code).dispatch_event("click")
    br.wait_until(lambda: ack(page) > acked, "tweede klik kwam niet aan")
    br.wait_until(
        lambda: page.get_by_text(re.compile("hoort al bij Deurne/Wommelgem")).count() == 1, "geen uitleg"
    )
    assert page_log.page_errors == []
    assert page_log.blocked == []


@pytest.mark.browser
def test_all_wijken_of_flanders_on_one_editable_map(built, app_url, page, page_log):
    open_builtin(page, app_url, "Eerstelijnszones (60) per wijk")
    assert page.locator("path[data-code]").count() == len(units.load_table("wijk")) >= 2700
    code = page.locator("path[data-code]").nth(500).get_attribute("data-code")
    first = path(page, code)  # by code: a selected unit moves to the front of the drawing order
    acked = ack(page)
    first.dispatch_event("click")
    assert "um-selected" in (first.get_attribute("class") or "")
    br.wait_until(lambda: ack(page) > acked, "de klik kwam niet aan")
    br.wait_until(lambda: code in page.locator('[data-testid="stMultiSelect"]').first.inner_text(), "lijst")
    assert page_log.page_errors == []
    assert page_log.blocked == []


@pytest.mark.browser
def test_hostile_area_name_is_text_and_numbers_are_flemish(built, app_url, page, page_log):
    open_builtin(page, app_url, WCP_TITLE)
    page.get_by_text("Gebieden hernoemen, samenvoegen of verwijderen").click()
    form = page.locator('[data-testid="stForm"]').filter(has=page.get_by_role("button", name="Hernoemen"))
    form.get_by_label("Nieuwe naam").fill(HOSTILE)
    form.get_by_role("button", name="Hernoemen").click()
    legend = page.locator(".um-legend")
    br.wait_until(lambda: HOSTILE in legend.inner_text(), "de naam staat niet als tekst in de legende")
    assert page.locator(".um-wrap img").count() == 0
    assert page.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0

    # Flemish numbers in the band fields: 24.000 is read as 24000 and shown so; 0.3 is refused
    low = page.get_by_label("Ondergrens doelband", exact=True)
    low.fill("24000")
    low.press("Enter")
    br.wait_until(lambda: low.input_value() == "24.000", "24000 werd niet als 24.000 getoond")
    low.fill("1.5")
    low.press("Enter")
    br.wait_until(lambda: page.get_by_text(re.compile("Bedoelt u 1,5")).count() == 1, "geen Nederlandse fout")
    assert page.get_by_text(re.compile("verder gerekend met 24.000")).count() == 1
    low.fill("0,3")
    low.press("Enter")
    br.wait_until(lambda: page.get_by_text(re.compile("Bedoelt u")).count() == 0, "de fout bleef staan")
    assert low.input_value() == "0,3"

    body = page.locator("body").inner_text()
    for english in ("Press Enter to apply", "Drag and drop", "200MB per file", "Choose an option"):
        assert english not in body
    assert page_log.page_errors == []
    assert page_log.blocked == []
