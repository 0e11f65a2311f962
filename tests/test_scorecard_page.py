"""Scorecard page: AppTest wiring (two then three divisions, best values, notes) and, in a real Chromium
with external requests blocked (marker `browser`), one click on the dossier button downloads a PDF whose
text names every area."""

from __future__ import annotations

import io
import re
from pathlib import Path

import browser as br
import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from geo.divisions.references import reference_division
from geo.fmt import parse_number

PAGE = str(Path(__file__).resolve().parents[1] / "views" / "scorecard.py")


def marked_cells(frame) -> set[tuple[int, int]]:
    """(row, column) of the cells the page shows as best value (styled green; column 0 is "Cijfer")."""
    styles = frame.proto.arrow_data.styler.styles
    return {(int(r), int(c)) for r, c in re.findall(r"_row(\d+)_col(\d+)", styles)}


def test_apptest_scorecard_defaults_and_a_third_division():
    at = AppTest.from_file(PAGE, default_timeout=240).run()
    assert not at.exception
    table = at.dataframe[0].value
    first, second = reference_division("swv2021_gemeente"), reference_division("elz57_gemeente")
    assert list(table.columns)[1:3] == [first.name, second.name]
    (at_row,) = table.index[table["Cijfer"] == "Evenwicht: grootste / kleinste gebied (inwoners)"]
    row = table.loc[at_row]
    assert row[first.name] == "5,44"  # the page's figure, nl-BE
    # lower is better: the page marks the lower ratio (first column of figures), not the other one
    assert parse_number(row[first.name]) < parse_number(row[second.name])
    assert (at_row, 1) in marked_cells(at.dataframe[0]) and (at_row, 2) not in marked_cells(at.dataframe[0])
    assert any(b.label == "📄 Beslissingsdossier (PDF)" for b in at.get("download_button"))

    at.segmented_control(key="sc_n").set_value(3).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table.columns) == 1 + 3 + 1  # Cijfer, three divisions, Beste


@pytest.mark.browser
def test_dossier_button_downloads_a_pdf(app_url, page, page_log):
    br.open_app(page, app_url, "scorecard")
    page.get_by_text("Beslissingsdossier", exact=True).first.wait_for(timeout=120_000)
    button = page.get_by_role("button", name="Beslissingsdossier (PDF)")
    button.wait_for(timeout=120_000)
    with page.expect_download(timeout=120_000) as info:
        button.click()
    download = info.value
    assert download.suggested_filename.startswith("dossier_") and download.suggested_filename.endswith(".pdf")
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF")
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))
    for area in reference_division("swv2021_gemeente").areas:
        assert re.sub(r"\s+", "", area) in text
    assert page_log.page_errors == []
    assert page_log.blocked == []


def test_apptest_editor_offers_the_dossier_of_the_open_division(monkeypatch):
    from geo_app import reports

    chosen = []  # the dossier options the page hands to the download buttons, per run
    choose_options = reports.dossier_options

    def recording(*args, **kwargs):
        options = choose_options(*args, **kwargs)
        chosen.append(options)
        return options

    monkeypatch.setattr(reports, "dossier_options", recording)
    at = AppTest.from_file(str(Path(PAGE).parent / "indelingen.py"), default_timeout=240).run()
    at.selectbox(key="ind_ref").set_value("wcp_wijk")
    at.button(key="ind_open_ref").click().run()
    assert not at.exception
    assert any(e.label == "Beslissingsdossier (PDF)" for e in at.expander)
    assert not any("dossier" in b.label.lower() for b in at.get("download_button"))  # closed: not run
    at.session_state["ind_dossier_open"] = True  # opening the expander runs it
    at.run()
    labels = [b.label for b in at.get("download_button")]
    assert "📄 Beslissingsdossier (PDF)" in labels and "Tabellen van het dossier (XLSX)" in labels
    assert chosen and not chosen[-1].fte and chosen[-1].transition_years is None
    at.checkbox(key="ind_dossier_vte").check().run()
    assert not at.exception
    at.number_input(key="ind_dossier_jaren").set_value(3).run()
    assert not at.exception
    assert chosen[-1].fte and chosen[-1].transition_years == 3  # the page's choices reach the dossier
