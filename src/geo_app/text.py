"""User text in Streamlit's markdown (`st.error`, `st.success`, `st.caption`, `st.markdown`, toasts):
shown as typed, exactly once escaped, never as markup, links, colours, emoji codes or formulas."""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&])")


def md(text: object) -> str:
    """``text`` with every markdown character backslash-escaped (`**x**` shows as **x**, a link as text)."""
    return _MARKDOWN.sub(r"\\\1", str(text)).replace("\n", "  \n")
