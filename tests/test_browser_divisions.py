"""Divisions pages. Wiring through AppTest (open, move via the list, suggest, compare); in a real Chromium
with external requests blocked (marker `browser`): the comparison page draws its three maps. Clicking and
moving on the editor's map: `test_browser_editing.py`."""

from __future__ import annotations

import re
from pathlib import Path

import browser as br
import pytest

PAGES = Path(__file__).resolve().parents[1] / "views"
WCP_TITLE = "Wijkcontactpunten Groot Antwerpen per wijk (benadering)"


def table_cells(page) -> dict[str, list[str]]:
    """Rows of the metrics table (first st.dataframe): area name -> cell texts."""
    grid = page.locator('[data-testid="stDataFrame"]').first
    cells = grid.locator('td[role="gridcell"]')
    rows: dict[int, dict[int, str]] = {}
    for i in range(cells.count()):
        cell = cells.nth(i)
        match = re.fullmatch(r"glide-cell-(\d+)-(\d+)", cell.get_attribute("data-testid") or "")
        if match:
            rows.setdefault(int(match.group(2)), {})[int(match.group(1))] = cell.inner_text().strip()
    return {r[0]: [r[c] for c in sorted(r)] for r in rows.values() if 0 in r}


def units_per_area(page) -> dict[str, int]:
    return {area: int(cells[1].replace(".", "")) for area, cells in table_cells(page).items()}


def metric_value(page, label: str) -> str:
    texts = page.locator('[data-testid="stMetric"]').all_inner_texts()
    return next(t.split("\n")[-1] for t in texts if t.startswith(label))


def open_wcp_wijk(page, app_url: str) -> None:
    br.open_app(page, app_url)
    page.get_by_role("link", name="Indelingen bewerken").click()
    page.get_by_label("Ingebouwde indeling", exact=True).wait_for(timeout=60_000)
    br.choose(page, "Ingebouwde indeling", WCP_TITLE)
    page.get_by_role("button", name="Openen", exact=True).first.click()
    page.get_by_text(WCP_TITLE, exact=True).first.wait_for(timeout=60_000)


@pytest.mark.browser
def test_compare_page_draws_three_maps(built, app_url, page, page_log):
    br.open_app(page, app_url)
    page.get_by_role("link", name="Indelingen vergelijken").click()
    page.get_by_text("Gekoppelde gebieden", exact=True).first.wait_for(timeout=60_000)
    # default: 57 zones against the 16 SWVs at municipality level
    assert br.wait_until(lambda: metric_value(page, "Gebieden A / B"), "geen kerncijfers") == "57 / 16"
    page.locator(br.UNIT_MAP_READY).nth(2).wait_for(timeout=60_000)
    for index in range(3):
        assert page.locator(br.UNIT_MAP_READY).nth(index).locator("path[data-code]").count() >= 300
    assert page_log.page_errors == []
    assert page_log.blocked == []


# ---------------------------------------------------------------------- AppTest wiring (no browser)


def metrics_of(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_apptest_open_move_undo_and_suggest(built):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(PAGES / "indelingen.py"), default_timeout=120).run()
    assert not at.exception
    at.selectbox(key="ind_ref").set_value("wcp_wijk")
    at.button(key="ind_open_ref").click().run()
    assert not at.exception
    assert metrics_of(at)["Zonder gebied"] == "3"
    table = at.dataframe[0].value
    assert len(table) == 7
    # move one Borsbeek wijk (unassigned) to Deurne/Wommelgem through the list
    at.multiselect(key="ind_sel").set_value(["11007A01"]).run()
    at.selectbox(key="ind_target").set_value("Deurne/Wommelgem").run()
    at.button(key="ind_move").click().run()
    assert not at.exception
    assert metrics_of(at)["Zonder gebied"] == "2"
    after = at.dataframe[0].value.set_index("Gebied")["Eenheden"]
    assert after["Deurne/Wommelgem"] == table.set_index("Gebied")["Eenheden"]["Deurne/Wommelgem"] + 1
    at.button(key="ind_undo").click().run()
    assert metrics_of(at)["Zonder gebied"] == "3"
    # a new balanced suggestion of 7 areas over the same wijken assigns everything
    next(b for b in at.button if b.label == "Voorstel maken").click().run()
    assert not at.exception
    assert metrics_of(at)["Zonder gebied"] == "0"
    assert len(at.dataframe[0].value) == 7


def test_apptest_compare_page_defaults(built):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(PAGES / "vergelijken.py"), default_timeout=120).run()
    assert not at.exception
    assert metrics_of(at)["Gebieden A / B"] == "57 / 16"
    assert metrics_of(at)["Gekoppelde gebieden"] == "16"
    assert len(at.dataframe[0].value) == 57  # 16 matched pairs + 41 unmatched zones


def form(at, form_id: str):
    """The form block `form_id` of an AppTest run."""
    return next(f for f in at.get("form") if f.proto.form.form_id == form_id)


def test_apptest_pick_area_rename_save_and_status(built):
    from streamlit.testing.v1 import AppTest

    from geo.divisions import store as division_store
    from geo.divisions.references import reference_division

    reference = reference_division("wcp_wijk")
    at = AppTest.from_file(str(PAGES / "indelingen.py"), default_timeout=120).run()
    at.selectbox(key="ind_ref").set_value("wcp_wijk")
    at.button(key="ind_open_ref").click().run()
    assert "nog niet opgeslagen" in at.markdown[0].value
    # "Kiezen" selects every unit of an area in the list
    at.selectbox(key="ind_pick_area").set_value("Deurne/Wommelgem").run()
    at.button(key="ind_pick").click().run()
    assert not at.exception
    assert at.multiselect(key="ind_sel").value == sorted(reference.units_in("Deurne/Wommelgem"))
    # rename through the area form
    rename = form(at, "ind_rename")
    rename.selectbox[0].set_value("Deurne/Wommelgem")
    rename.text_input[0].set_value("Deurne")
    rename.button[0].click().run()
    assert not at.exception
    assert "Deurne" in set(at.dataframe[0].value["Gebied"])
    # save as a new stored division: the status follows, and a move makes it dirty again
    name = "Test WCP opgeslagen"
    meta = form(at, "ind_meta")
    meta.text_input[0].set_value(name)
    meta.button[0].click().run()
    assert not at.exception
    assert "_opgeslagen_" in at.markdown[0].value and "versie 1" in at.markdown[0].value
    stored = division_store.list_divisions()
    assert name in set(stored["name"])
    at.multiselect(key="ind_sel").set_value(["11007A01"]).run()
    at.selectbox(key="ind_target").set_value("Deurne").run()
    at.button(key="ind_move").click().run()
    assert "niet opgeslagen wijzigingen" in at.markdown[0].value
    at.button(key="ind_undo").click().run()
    assert "_opgeslagen_" in at.markdown[0].value
    division_store.delete(int(stored.set_index("name").loc[name, "id"]))
