"""A bookmarked page URL opened on a freshly started server shows the app's navigation and layout.

Streamlit runs a folder named `pages/` next to the entry script in its old multipage mode on the first
visit to a sub-page, bypassing `st.navigation`; the pages therefore live in `views/`.
"""

from __future__ import annotations

import browser as br
import pytest

pytestmark = pytest.mark.browser


def test_deep_link_on_fresh_server_uses_app_navigation(tmp_path, chromium):
    assert not (br.REPO / "pages").exists()
    port = br.free_port()
    proc = br.start_streamlit(port, br.server_env(tmp_path), log_path=tmp_path / "st.log")
    url = f"http://127.0.0.1:{port}"
    try:
        br.wait_healthy(url, proc)
        log = br.PageLog()
        context = chromium.new_context(viewport={"width": 1400, "height": 900}, locale="nl-BE")
        br.block_external(context, log)
        page = context.new_page()
        br.open_app(page, url, "budget")
        br.wait_script_idle(page)
        nav = page.locator('[data-testid="stSidebarNav"]')
        nav.get_by_text("Kaart en kerncijfers").wait_for(timeout=60_000)
        assert nav.get_by_text("Budgetverdeling").count() == 1
        assert page.get_by_text("Page not found").count() == 0
        assert page.locator("h1").first.inner_text().startswith("Budgetverdeling")
        context.close()
    finally:
        br.stop(proc)
