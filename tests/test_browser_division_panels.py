"""The editor's check and versions panels in a real Chromium (external requests blocked): "Ga naar" on a
breach selects its units, and status changes and a restore work from the page."""

from __future__ import annotations

import re

import browser as br
import pytest
from test_browser_divisions import WCP_TITLE

from geo.divisions.references import reference_division


@pytest.fixture(scope="module")
def own_app_url(tmp_path_factory, built):
    """A server with its own database: the division this test decides cannot be deleted afterwards, and
    other page tests expect no stored divisions."""
    user_dir = tmp_path_factory.mktemp("panels_server")
    proc = br.start_streamlit(port := br.free_port(), br.server_env(user_dir), log_path=user_dir / "log")
    url = f"http://127.0.0.1:{port}"
    try:
        br.wait_healthy(url, proc)
        yield url
    finally:
        br.stop(proc)


NAME = "Browsertest panelen"
PANEL = "Versies, status en opmerkingen"


def pick(page, label: str, option: str, tries: int = 5) -> None:
    """Choose `option` in a selectbox; retried, since a rerun elsewhere on the page may close the list."""
    for attempt in range(tries):
        br.wait_script_idle(page)
        page.get_by_label(label, exact=True).click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=5_000)
            return
        except Exception:  # noqa: BLE001 - the list closed before the click
            if attempt == tries - 1:
                raise
            page.keyboard.press("Escape")


def open_versions(page, tries: int = 5) -> None:
    """Open the versions panel unless it is open already (retried while the page is still redrawing)."""
    for _ in range(tries):
        br.wait_script_idle(page)
        if page.get_by_label("Versie bekijken", exact=True).is_visible():
            return
        page.get_by_text(PANEL, exact=True).click()
        try:
            page.get_by_label("Versie bekijken", exact=True).wait_for(timeout=5_000)
            return
        except Exception:  # noqa: BLE001 - redrawn meanwhile: look again
            continue
    raise AssertionError("het versiepaneel ging niet open")


def header(page) -> str:
    """The editor's title line: name, level, areas, version and save status."""
    line = page.locator('[data-testid="stMarkdown"]').filter(has_text=re.compile(r"gebieden, versie \d+"))
    return line.first.inner_text()


@pytest.mark.browser
def test_go_to_selects_the_units_and_status_and_restore_work(own_app_url, page, page_log, tmp_path):
    try:
        go_to_status_and_restore(own_app_url, page, page_log)
    except Exception:
        page.screenshot(path=str(tmp_path / "mislukt.png"), full_page=True)  # to see what the page showed
        print(f"Schermafdruk: {tmp_path / 'mislukt.png'}")
        raise


def go_to_status_and_restore(app_url: str, page, page_log) -> None:
    borsbeek = [u for u in reference_division("wcp_wijk").unassigned()]
    br.open_app(page, app_url)
    page.get_by_role("link", name="Indelingen bewerken").click()
    page.get_by_label("Ingebouwde indeling", exact=True).wait_for(timeout=60_000)
    br.choose(page, "Ingebouwde indeling", WCP_TITLE)
    page.get_by_role("button", name="Openen", exact=True).first.click()
    page.get_by_text("Controle op de 1G1P-regels", exact=True).wait_for(timeout=60_000)
    page.get_by_text(re.compile(r"^2 overtredingen van 2 regels")).wait_for(timeout=60_000)

    # "Ga naar" on the first breach (Borsbeek's wijken without a WCP) selects exactly those units
    page.get_by_text(re.compile(r"3 eenheden zonder gebied")).first.scroll_into_view_if_needed()
    page.get_by_role("button", name="Ga naar").first.click()
    chosen = page.locator('[data-testid="stMultiSelect"]').first
    tags = br.wait_until(
        lambda: re.findall(r"(\S+) – ", chosen.inner_text()) if "Borsbeek" in chosen.inner_text() else None,
        "Ga naar koos de eenheden niet",
    )
    assert sorted(tags) == sorted(borsbeek)

    # save, then concept -> voorstel -> vastgesteld from the versions panel
    meta = page.locator('[data-testid="stForm"]').filter(
        has=page.get_by_label("Gegevensjaar / versie van de indeling")
    )
    meta.get_by_label("Naam", exact=True).fill(NAME)
    meta.get_by_role("button", name="Opslaan").click()
    br.wait_until(lambda: "versie 1" in header(page), "opslaan gaf geen versie 1")
    open_versions(page)
    page.get_by_role("button", name="Indienen als voorstel").click()
    br.wait_until(lambda: "versie 2" in header(page), "indienen gaf geen versie 2")
    open_versions(page)
    page.get_by_role("button", name="Vaststellen").click()
    page.get_by_text(re.compile(r"Versie 3 is vastgesteld")).wait_for(timeout=60_000)
    assert page.get_by_role("button", name="Opslaan als nieuw concept").count() == 1

    # restore version 1: a new concept, version 4
    open_versions(page)
    pick(page, "Versie bekijken", "Versie 1")
    page.get_by_role("button", name="Versie 1 herstellen").click()
    br.wait_until(lambda: "versie 4" in header(page), "herstellen gaf geen versie 4")
    br.wait_script_idle(page)
    br.wait_until(
        lambda: page.get_by_role("button", name="Opslaan", exact=True).count() == 1,
        "na herstellen is de opslagknop niet gewoon 'Opslaan' (concept)",
    )
    assert page.get_by_text(re.compile(r"Versie 3 is vastgesteld")).count() == 0
    assert not page_log.blocked and not page_log.page_errors
