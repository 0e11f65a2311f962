"""Caseload page wiring (AppTest): example data is labelled, small counts are masked unless turned off."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo_app.text import md

PAGE = str(Path(__file__).resolve().parents[1] / "views" / "caseload.py")
SMALL = re.compile(r"^[1-4]$")


def _frame(at, predicate):
    """The one displayed dataframe for which ``predicate(frame)`` holds."""
    found = [d.value for d in at.dataframe if predicate(d.value)]
    assert len(found) == 1, len(found)
    return found[0]


def _matrix(at):
    return _frame(at, lambda f: f.index.name == "herkomst")


def _summary(at):
    return _frame(at, lambda f: "Per VTE per maand" in f.columns)


def _cells(frame) -> list[str]:
    return [str(v) for v in frame.to_numpy().ravel()]


def test_example_is_labelled_and_masked_by_default():
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.run()
    assert not at.exception
    assert any("voorbeelddata" in w.value for w in at.warning)
    headers = [s.value for s in at.subheader]
    assert "Belasting per gebied" in headers and "Kaart" in headers  # the first tab: table and map
    assert "Doorverwijzingen tussen gebieden" not in headers  # only the open tab runs
    at.session_state["caseload_tab"] = "Verwijzers en doorverwijzingen"
    at.run()
    assert not at.exception
    headers = [s.value for s in at.subheader]
    assert "Doorverwijzingen tussen gebieden" in headers and "Belasting per gebied" not in headers
    matrix = _matrix(at)
    cells = _cells(matrix)
    assert "<5" in cells  # the example has small transfer counts between neighbouring zones
    assert not any(SMALL.match(c) for c in cells)

    at.toggle(key="caseload_mask").set_value(False).run()
    cells = _cells(_matrix(at))
    assert "<5" not in cells and any(SMALL.match(c) for c in cells)


def test_same_seed_same_numbers_other_seed_other_numbers():
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.run()
    first = _summary(at).copy()
    at.run()
    assert _summary(at).equals(first)
    at.text_input(key="caseload_seed").set_value("2").run()
    assert not _summary(at).equals(first)


def test_a_caseload_kept_in_the_workspace_is_shown_with_its_origin():
    import pandas as pd

    from geo import fmt as nl
    from geo.caseload import store
    from geo.caseload.cases import CASE_COLUMNS, CaseloadImport
    from geo.data import units
    from geo.store import access

    codes = units.load_table("gemeente")["code"].astype(str).tolist()[:2]
    cases = pd.DataFrame(
        [(codes[0], "2024-01", "", "", 40), (codes[1], "2024-01", "", "", 2)], columns=list(CASE_COLUMNS)
    )
    store.save_caseload(access.local_actor(), CaseloadImport(cases, "gemeente"), "januari.xlsx")
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.run()
    at.radio(key="caseload_source").set_value("opgeslagen").run()
    assert not at.exception and not at.error
    origin = next(c.value for c in at.caption if md("Bewaard: januari.xlsx") in c.value)  # name escaped
    kept = store.load_caseload(access.local_actor()).updated
    assert md(nl.local_time(kept)) in origin and "UTC" not in origin  # Belgian time, as on every page
    assert not any("voorbeelddata" in w.value for w in at.warning)
    summary = _summary(at)
    assert "<5" in _cells(summary)  # the kept counts are masked like any other


def test_trend_tab_by_link_and_the_map_colouring_survives_switching_tabs():
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.run()
    assert len(at.get("vega_lite_chart")) == 0  # the first tab: table and map, no chart
    at.radio(key="caseload_measure").set_value("per_1000").run()
    at.session_state["caseload_tab"] = "Trend per maand"
    at.run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 1 and "Trend per maand" in [s.value for s in at.subheader]
    areas = at.multiselect(key="caseload_trend_areas")
    areas.set_value(areas.value[:2]).run()
    at.session_state["caseload_tab"] = "Belasting per gebied"
    at.run()
    assert at.radio(key="caseload_measure").value == "per_1000"
    at.session_state["caseload_tab"] = "Trend per maand"
    at.run()
    assert len(at.multiselect(key="caseload_trend_areas").value) == 2

    linked = AppTest.from_file(PAGE, default_timeout=120)
    linked.query_params["caseload_tab"] = "Trend per maand"
    linked.run()
    assert not linked.exception and len(linked.get("vega_lite_chart")) == 1
