"""The Beheer page (AppTest, local mode): the audit trail of this installation, downloadable."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo.store import access, workspaces

PAGE = str(Path(__file__).resolve().parents[1] / "views" / "beheer.py")


def test_local_beheer_page_shows_the_audit_trail_and_no_member_list():
    local = access.local_actor()
    workspaces.ensure_workspaces()
    workspaces.set_setting(local, "proef.beheerpagina", 1)
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception and not at.error
    assert [s.value for s in at.subheader] == ["Auditlogboek"]  # no members locally
    table = at.dataframe[0].value
    row = table[table["onderwerp"] == "proef.beheerpagina"].iloc[0]
    assert row["gebruiker"] == local.user and row["omschrijving"] == "instelling gewijzigd"
    assert [b.label for b in at.get("download_button")] == ["Download CSV", "Download XLSX"]
