"""Streamlit's own texts in Dutch: empty table cells show "–", never the English "None"."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script() -> None:
    import pandas as pd
    import streamlit as st

    from geo_app.dutch import empty_cells_as_dash

    empty_cells_as_dash()
    empty_cells_as_dash()  # twice: still one wrapper
    st.dataframe(pd.DataFrame({"a": [1.0, None]}))
    st.columns(2)[0].dataframe(pd.DataFrame({"a": [None]}))
    st.dataframe(pd.DataFrame({"a": [None]}), placeholder="leeg")
    st.data_editor(pd.DataFrame({"a": [None, "x"]}), key="ed")


def test_empty_cells_show_a_dash_unless_a_page_chooses():
    at = AppTest.from_function(_script).run()
    assert not at.exception
    assert [d.proto.placeholder for d in at.dataframe] == ["–", "–", "leeg", "–"]
