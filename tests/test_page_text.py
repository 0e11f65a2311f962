"""User text in Streamlit markdown is shown as typed: no markup, links, colours or formulas."""

from __future__ import annotations

from geo_app.text import md


def test_markdown_characters_are_escaped_once():
    assert md("**vet** [klik](https://x) :red[rood] $x^2$") == (
        r"\*\*vet\*\* \[klik\]\(https\:\/\/x\) \:red\[rood\] \$x^2\$".replace(r"\/", "/")
    )
    assert md("Kind & Gezin") == r"Kind \& Gezin"
    assert md('<img src=x onerror="alert(1)">') == r'\<img src=x onerror="alert\(1\)"\>'


def test_a_user_text_renders_as_typed_in_a_streamlit_page():
    from streamlit.testing.v1 import AppTest

    script = """
import streamlit as st
from geo_app.text import md
name = st.session_state.get("name")
st.success(f"'{md(name)}' opgeslagen.")
"""
    at = AppTest.from_string(script)
    at.session_state["name"] = "**Noord** [klik](https://x)"
    at.run()
    assert not at.exception
    shown = at.success[0].value
    assert "\\*\\*Noord\\*\\*" in shown and "\\[klik\\]" in shown
