"""Imports and exports in a real Chromium (external requests blocked):

- an area named `<img src=x onerror=...>` shows as text in the map tooltips of the editor and of the
  comparison page, and runs nothing;
- a division exported as CSV and as XLSX from the editor (file name with the division and the date, `;`,
  BOM, Dutch headers) comes back unchanged through the editor's import.
"""

from __future__ import annotations

import re
from datetime import date

import browser as br
import pytest
from test_browser_divisions import WCP_TITLE, units_per_area

from geo.exports import XLSX_MIME

READY = ".um-wrap[data-ready='1']"
HOSTILE = '<img src=x onerror="window.__xss=1">'


def open_import_tab(page, app_url: str) -> None:
    br.open_app(page, app_url, "indelingen")
    page.get_by_role("tab", name="Importeren").click()
    page.locator('[data-testid="stFileUploader"]').first.wait_for(timeout=60_000)


def upload(page, name: str, data: bytes, mime: str = "text/csv") -> None:
    """Give the uploader a file; again when a rerun (after a choice) replaced the uploader meanwhile."""
    stem = name.rsplit(".", 1)[0]  # the import fills the name field with it once the file is in

    def arrived() -> bool:
        return page.locator(".st-key-ind_imp_name input").input_value() == stem

    for _ in range(4):
        br.wait_script_idle(page)
        page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(
            files=[{"name": name, "mimeType": mime, "buffer": data}]
        )
        try:
            br.wait_until(arrived, "geen bestand", 10)
            return
        except Exception:  # noqa: BLE001 - try once more
            continue
    raise AssertionError(f"het bestand {name} kwam niet in de uploader")


def import_file(page, name: str, data: bytes, level: str, mime: str = "text/csv") -> None:
    """Upload a division file in the import tab and open it in the editor."""
    br.choose(page, "Niveau", level)
    upload(page, name, data, mime)
    page.get_by_text(re.compile(r"^In orde: ")).wait_for(timeout=60_000)
    page.get_by_role("button", name="Openen in de editor").click()
    page.wait_for_selector(READY, timeout=60_000)


def map_tooltip_texts(page, code: str) -> list[str]:
    """Tooltip texts when hovering unit ``code`` on every unit map of the page."""
    paths = page.locator(f"{READY} path[data-code='{code}']")
    br.wait_until(lambda: paths.count(), "geen kaart met deze eenheid op de pagina")
    texts = []
    for i in range(paths.count()):
        paths.nth(i).dispatch_event("mouseover")
        tips = page.locator(".leaflet-tooltip")
        br.wait_until(lambda tips=tips: tips.count() and tips.last.inner_text(), "geen tooltip")
        texts.append(tips.last.inner_text())
    return texts


@pytest.mark.browser
def test_hostile_area_name_is_text_in_the_map_tooltip_and_runs_nothing(built, app_url, page, page_log):
    rows = ["unit_code;area", f'11002;"{HOSTILE.replace(chr(34), chr(34) * 2)}"', "11040;Rand", "11044;Rand"]
    open_import_tab(page, app_url)
    import_file(page, "vijandig.csv", ("\n".join(rows) + "\n").encode("utf-8"), "gemeente")

    unit = page.locator("path[data-code='11002']")
    unit.wait_for(timeout=30_000)
    unit.dispatch_event("mouseover")
    tooltip = page.locator(".leaflet-tooltip")

    def tips() -> list[str]:
        return [tooltip.nth(i).inner_text() for i in range(tooltip.count())]

    br.wait_until(lambda: any(HOSTILE in t for t in tips()), "de naam staat niet als tekst in de tooltip")
    assert tooltip.locator("img").count() == 0
    assert page.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0
    # the same broken image, loaded now, has failed: an onerror handler in the tooltip would have run too
    page.evaluate(
        "() => new Promise((done) => { const probe = new Image(); probe.onload = probe.onerror = done;"
        " probe.src = 'x'; })"
    )
    assert page.evaluate("() => window.__xss") is None
    assert HOSTILE in page.locator(".um-legend").inner_text()

    # the comparison page shows the division in the editor on its maps: the same name is text there too
    page.get_by_role("link", name="Indelingen vergelijken").click()
    page.get_by_text("Indeling A").first.wait_for(timeout=60_000)
    page.locator('[data-testid="stRadio"]').first.get_by_text("In de editor").click()
    shown = map_tooltip_texts(page, "11002")
    assert shown and any(HOSTILE in t for t in shown), shown
    assert page.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert page.evaluate("() => window.__xss") is None
    assert page_log.page_errors == [] and page_log.blocked == []


@pytest.mark.browser
def test_division_export_round_trips_through_the_import(built, app_url, page, page_log):
    from geo.divisions.references import reference_division

    reference = reference_division("wcp_wijk")
    br.open_app(page, app_url, "indelingen")
    page.get_by_label("Ingebouwde indeling", exact=True).wait_for(timeout=60_000)
    br.choose(page, "Ingebouwde indeling", WCP_TITLE)
    page.get_by_role("button", name="Openen", exact=True).first.click()
    page.wait_for_selector(READY, timeout=60_000)
    before = br.wait_until(lambda: units_per_area(page) if len(units_per_area(page)) == 7 else None, "tabel")
    assert before == reference.area_sizes()

    files = {}
    for label in ("Indeling als CSV", "Indeling als Excel"):
        with page.expect_download(timeout=60_000) as info:
            page.get_by_role("button", name=label).click()
        download = info.value
        files[download.suggested_filename] = open(download.path(), "rb").read()
    today = date.today().isoformat()
    names = sorted(files)
    assert re.fullmatch(rf"indeling_wijkcontactpunten-groot-antwerpen-per-wijk[a-z-]*_{today}\.csv", names[0])
    assert names[1].endswith(f"_{today}.xlsx")
    csv = files[names[0]]
    assert csv.startswith(b"\xef\xbb\xbf") and csv.decode("utf-8-sig").splitlines()[0] == (
        "Code eenheid;Naam eenheid;Gebied"
    )

    for name in names:
        open_import_tab(page, app_url)  # a fresh session: nothing of the first division is left
        mime = "text/csv" if name.endswith(".csv") else XLSX_MIME
        runs = br.runs_finished(page)
        br.choose(page, "Niveau", "wijk")
        br.wait_for_next_run(page, runs)
        runs = br.runs_finished(page)
        page.get_by_text("enkel die in het bestand").click()
        br.wait_for_next_run(page, runs)  # an upload while the page runs again can be lost
        upload(page, name, files[name], mime)
        ok = page.get_by_text(re.compile(r"^In orde: 7 gebieden, "))
        ok.wait_for(timeout=60_000)
        page.get_by_role("button", name="Openen in de editor").click()
        page.wait_for_selector(READY, timeout=60_000)
        after = br.wait_until(
            lambda: units_per_area(page) if len(units_per_area(page)) == 7 else None, "tabel"
        )
        assert after == before, name
    assert page_log.page_errors == [] and page_log.blocked == []
