"""Division editor: FTE per area of the open division by need (AppTest wiring on real data)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

PAGE = str(Path(__file__).resolve().parents[1] / "views" / "indelingen.py")
ZUIDRAND = "Zuidrand (Hoboken/Kiel/Wilrijk)"
A2060 = "Antwerpen 2060"


def staff_table(at):
    return next(d.value for d in at.dataframe if "Volgens behoefte (VTE)" in d.value.columns).set_index(
        "Gebied"
    )


def test_fte_per_wcp_follows_the_edits():
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    at.selectbox(key="ind_ref").set_value("wcp_postcode")
    at.button(key="ind_open_ref").click().run()
    assert not any("Volgens behoefte (VTE)" in d.value.columns for d in at.dataframe)  # off by default
    at.toggle(key="ind_vte_aan").set_value(True).run()
    assert not at.exception
    table = staff_table(at)
    assert len(table) == 7 and (table["Gelijk (VTE)"] == 0.4).all()
    assert round(table["Volgens behoefte (VTE)"].sum(), 9) == 2.8
    assert table.loc[ZUIDRAND, "Volgens behoefte (VTE)"] > 0.4 > table.loc[A2060, "Volgens behoefte (VTE)"]
    # Kiel (2020, index 61 %) moves from Zuidrand to Antwerpen 2060: staff follows the young people.
    at.multiselect(key="ind_sel").set_value(["2020"]).run()
    at.selectbox(key="ind_target").set_value(A2060).run()
    at.button(key="ind_move").click().run()
    assert not at.exception
    moved = staff_table(at)
    assert moved.loc[A2060, "Volgens behoefte (VTE)"] > table.loc[A2060, "Volgens behoefte (VTE)"]
    assert moved.loc[ZUIDRAND, "Volgens behoefte (VTE)"] < table.loc[ZUIDRAND, "Volgens behoefte (VTE)"]
    assert round(moved["Volgens behoefte (VTE)"].sum(), 9) == 2.8
    # A minimum of 0,4 VTE gives every WCP its equal share (7 x 0,4 = 2,8).
    at.text_input(key="ind_vte_min").set_value("0,4").run()
    assert (staff_table(at)["Volgens behoefte (VTE)"] == 0.4).all()
