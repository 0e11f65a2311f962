"""Budget page in a real Chromium (offline): changing the weight changes the amounts; downloads work; the tabs
run only when opened and are named in the address."""

from __future__ import annotations

import re

import browser as br
import openpyxl
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

AMOUNT = re.compile(r"dat geeft € ([\d.]+)")


def example_text(page) -> str:
    return page.locator('[data-testid="stMarkdownContainer"]', has_text="Voorbeeld:").first.inner_text()


def example_amount(page) -> int:
    match = AMOUNT.search(example_text(page))
    assert match, example_text(page)
    return int(match.group(1).replace(".", ""))


def wait_for_change(page, old: str) -> str:
    """The example text once it differs from ``old`` (after a rerun)."""
    br.wait_script_idle(page)
    return br.wait_until(
        lambda: (text := example_text(page)) != old and text,
        "de toelichting veranderde niet na het wijzigen van het gewicht",
        timeout_s=30,
    )


def open_tab(page, label: str, ready: str) -> None:
    """Click a tab of the page and wait until its content (``ready``, a text in it) is drawn."""
    page.get_by_role("tab", name=label).click()
    page.get_by_text(ready).first.wait_for(timeout=60_000)
    br.wait_script_idle(page)


def test_weight_change_moves_money_to_groot_antwerpen(app_url, page, page_log):
    responses = br.record_responses(page)
    br.open_app(page, app_url, "budget")
    page.get_by_text("Bedrag per gebied").first.wait_for(timeout=60_000)
    # The map is on the first tab and draws its polygons from local assets only; no chart is drawn there.
    page.locator(br.UNIT_MAP_READY).wait_for(timeout=60_000)
    assert page.locator(f"{br.UNIT_MAP_READY} path[data-code]").count() > 250
    br.wait_script_idle(page)
    assert page.locator('[data-testid="stVegaLiteChart"]').count() == 0
    open_tab(page, "Toelichting", "Voorbeeld:")
    assert "budget_tab=Toelichting" in page.url  # a link to this tab
    before_text = example_text(page)
    assert "Groot Antwerpen" in before_text
    assert "In 2021 was dat € 2.837.590" in before_text
    before = example_amount(page)

    weight = page.get_by_role("textbox", name="Gewicht a")
    expect(weight).to_have_value("0,200")  # shown the Flemish way
    weight.fill("1")
    weight.press("Enter")
    wait_for_change(page, before_text)
    after = example_amount(page)
    # Groot Antwerpen's index (23 %) is about twice the Flemish mean (12 %): a larger weight gives it more.
    assert after > before
    formula = page.locator('[data-testid="stMarkdownContainer"]', has_text="Met a =").first
    assert "a = 1,00" in formula.inner_text()

    # Charts are Vega-Lite, drawn as SVG with Flemish numbers; Streamlit's Plotly code is never loaded.
    open_tab(page, "Correctie en gevoeligheid", "Wat verschuift de correctie?")
    shift = br.vega_chart(page, has_text="Verschil in aandeel (procentpunt)")
    assert shift.locator("g.mark-rect.role-mark path").count() == 16  # one bar per samenwerkingsverband
    open_tab(page, "Vergelijking 2021", "Vergelijking met de budgetten 2021")
    calibration = br.vega_chart(page, has_text="RMSE (EUR)")
    labels = calibration.locator("g.role-axis-label text").all_text_contents()
    assert "€ 200.000" in labels and "0,5" in labels
    current, best = calibration.locator("g.mark-text.role-mark text").all_text_contents()
    assert current == "huidige keuze" and re.fullmatch(r"best: 0,\d{3}", best)
    assert not [url for url in responses if "PlotlyChart" in url]
    assert any("ArrowVegaLiteChart" in url for url in responses)
    assert page_log.page_errors == []
    assert all("127.0.0.1" not in url for url in page_log.blocked)


def test_xlsx_download_has_three_sheets(app_url, page, tmp_path):
    br.open_app(page, app_url, "budget")
    button = page.get_by_role("button", name=re.compile("Download XLSX"))
    button.wait_for(timeout=60_000)
    with page.expect_download(timeout=60_000) as info:
        button.click()
    path = tmp_path / "budget.xlsx"
    info.value.save_as(path)
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == ["Parameters", "Per gemeente", "Per gebied"]
    rows = list(book["Per gebied"].iter_rows(values_only=True))
    header = rows[0]
    amounts = [r[header.index("Bedrag (EUR)")] for r in rows[1:]]
    assert len(amounts) == 16 and sum(amounts) == 23_999_998


def test_staff_by_need_with_its_chart_and_workbook(app_url, page, page_log, tmp_path):
    br.open_app(page, app_url, "budget")
    page.get_by_text("Bedrag per gebied").first.wait_for(timeout=60_000)
    page.get_by_text("Personeel (VTE)").first.click()
    page.get_by_text("Volgens behoefte of gelijk").first.wait_for(timeout=60_000)
    br.wait_script_idle(page)
    summary = page.locator('[data-testid="stMarkdownContainer"]', has_text="Gelijk verdeeld krijgt").first
    # 16 SWVs x 0,4 VTE = 6,4 VTE by default.
    assert "elk van de 16 gebieden 0,4 VTE (samen 6,4 VTE)" in summary.inner_text()
    # The chart draws one bar per area and the equal shares as diamonds, in VTE with a decimal comma.
    chart = br.vega_chart(page, has_text="Volgens behoefte:")
    assert chart.locator("g.mark-rect.role-mark path").count() == 16
    assert chart.locator("g.mark-symbol.role-mark path").count() == 16  # one diamond per area
    assert "0,4" in chart.locator("g.role-axis-label text").all_text_contents()
    button = page.get_by_role("button", name=re.compile("Download XLSX"))
    with page.expect_download(timeout=60_000) as info:
        button.click()
    path = tmp_path / "vte.xlsx"
    info.value.save_as(path)
    book = openpyxl.load_workbook(path)
    assert "Gelijk of volgens behoefte" in book.sheetnames
    rows = list(book["Per gebied"].iter_rows(values_only=True))
    column = rows[0].index("Toegekend (VTE)")
    assert round(sum(r[column] for r in rows[1:]), 9) == 6.4
    assert page_log.page_errors == []


def test_weight_typed_the_flemish_way(app_url, page, page_log):
    br.open_app(page, app_url, "budget?budget_tab=Toelichting")  # a link opens the tab
    page.get_by_text("Zo werkt deze verdeling").first.wait_for(timeout=60_000)
    before_text = example_text(page)
    weight = page.get_by_role("textbox", name="Gewicht a")
    weight.fill("0,3")
    weight.press("Enter")
    wait_for_change(page, before_text)
    expect(weight).to_have_value("0,300")  # 0,3 is 0,3 (not 3 and not 3.000), shown back in full
    formula = page.locator('[data-testid="stMarkdownContainer"]', has_text="Met a =").first
    assert "a = 0,30" in formula.inner_text()
    # out of range: refused in Dutch, the entry stays as typed, the page keeps computing with 0,3
    weight.fill("12")
    weight.press("Enter")
    error = page.locator('[data-testid="stAlert"]', has_text="Niet overgenomen")
    error.first.wait_for(timeout=60_000)
    assert "0,300" in error.first.inner_text()
    expect(weight).to_have_value("12")
    assert (
        "a = 0,30"
        in page.locator('[data-testid="stMarkdownContainer"]', has_text="Met a =").first.inner_text()
    )
    assert page_log.page_errors == []
