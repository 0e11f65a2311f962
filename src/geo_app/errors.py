"""The app's last line of defence: a failure on a page becomes a Dutch message, never a traceback.

`run(navigation)` runs the chosen page; an error that escapes it (a database that went away, a damaged
data file, anything unexpected) is shown as one Dutch sentence (`geo.faults.message`) and logged with its
traceback on the server. The other pages keep working: only the part of the page after the failure is
missing.
"""

from __future__ import annotations

import logging

import streamlit as st

from geo import faults
from geo_app.text import md

LOG = logging.getLogger("gebiedsplanner")


def show(exc: BaseException) -> None:
    """Show ``exc`` as a Dutch error on the page (and log it when it is not a known user problem)."""
    text = faults.message(exc)
    if text.startswith("Onverwachte fout"):
        LOG.exception("Onverwachte fout op een pagina", exc_info=exc)
        text += " De rest van de toepassing werkt verder; de details staan in het serverlogboek."
    st.error(md(text), icon="🚫")


def run(navigation) -> None:
    """``navigation.run()`` with every escaping error shown by ``show`` (Streamlit's own stop and rerun
    signals are not errors and pass through)."""
    try:
        navigation.run()
    except Exception as exc:  # noqa: BLE001 - see the module docstring
        show(exc)
