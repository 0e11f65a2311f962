"""Shared pytest setup.

- `src/` on the import path (works without `pip install -e .`).
- Every test session gets a temporary GEO_USER_DIR / GEO_DB_PATH, local mode (GEO_CONFIG names no file),
  and DATABASE_URL is dropped unless GEO_TEST_DATABASE_URL names a test database: tests never touch a real
  user database.
- `built`: fails with the command to run when the data are not built (`make data`).
- Store fixtures: `engine` (a fresh database for one test: the PostgreSQL test database of
  `make test-postgres`, else a new SQLite file), `who` (team mode with two workspaces and one member per
  role, see `team.people`), `stored_divisions` (names of divisions a test stores in the session database,
  removed afterwards).
- Browser fixtures (tests marked `browser`): `app_url` starts `streamlit run app.py` on a free port once
  per session; `page` (1400x900) and `wide_page` (1440x900) are Chromium pages in which every
  non-localhost request is aborted and recorded in `page_log.blocked`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))
if str(REPO / "tests") not in sys.path:
    sys.path.insert(0, str(REPO / "tests"))

import browser as br  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _isolated_user_data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Point the user dir and SQLite DB of this test process at a temporary folder."""
    user_dir = tmp_path_factory.mktemp("geo_user")
    saved = {k: os.environ.get(k) for k in ("GEO_USER_DIR", "GEO_DB_PATH", "DATABASE_URL", "GEO_CONFIG")}
    os.environ["GEO_USER_DIR"] = str(user_dir)
    os.environ["GEO_DB_PATH"] = str(user_dir / "test.sqlite")
    os.environ["GEO_CONFIG"] = str(user_dir / "geen-instellingen.toml")  # local mode, whatever is installed
    os.environ.pop("DATABASE_URL", None)
    if os.environ.get("GEO_TEST_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["GEO_TEST_DATABASE_URL"]
    yield user_dir
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def built() -> None:
    """The built data (`make data`): tests that read it fail with the command to run when it is missing."""
    from geo.data import units

    if not units.is_built():
        pytest.fail("Gegevens niet opgebouwd: voer `make data` uit.")


@pytest.fixture
def engine(tmp_path: Path):
    """A database for one store test: GEO_TEST_DATABASE_URL (PostgreSQL, shared by the tests: each works in
    workspaces or rows of its own) or a new SQLite file."""
    from geo.store.engine import init_db, make_engine

    eng = make_engine(os.environ.get("GEO_TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'store.sqlite'}")
    init_db(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def who(engine):
    """Team mode with two fresh workspaces ("een", "twee"), one member per role: {(network, role): Actor}."""
    import team as tm

    from geo.store import config

    config.activate(tm.team_settings())
    yield tm.people(engine)
    config.activate(None)


@pytest.fixture
def stored_divisions() -> Iterator[list[str]]:
    """Names of the divisions a test stores in the session database; removed afterwards straight from the
    tables (one with a vastgesteld version cannot be deleted through the store), so the page tests that
    follow see no stored divisions."""
    names: list[str] = []
    yield names
    import sqlalchemy as sa

    from geo.divisions import store
    from geo.store.engine import get_engine

    with get_engine().begin() as conn:
        for name in names:
            conn.execute(sa.delete(store.division_table).where(store.division_table.c.name == name))


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a headless `streamlit run app.py` with its own user dir; stopped after the session."""
    from geo.cli.data import publish_maps
    from geo.maps import assets as assets_fetch

    assets_fetch.fetch()  # map libraries in static/vendor (no-op when present)
    publish_maps(progress=lambda _m: None)  # map geometry in static/geo (no-op when current)
    user_dir = tmp_path_factory.mktemp("server_user")
    port = br.free_port()
    log = user_dir / "streamlit.log"
    proc = br.start_streamlit(port, br.server_env(user_dir), log_path=log)
    url = f"http://127.0.0.1:{port}"
    try:
        br.wait_healthy(url, proc)
    except RuntimeError as exc:
        br.stop(proc)
        raise RuntimeError(
            f"{exc}\n--- streamlit log ---\n{log.read_text(errors='replace')[-3000:]}"
        ) from exc
    yield url
    br.stop(proc)


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """One headless Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = br.launch_chromium(pw)
        yield b
        b.close()


@pytest.fixture
def page_log() -> br.PageLog:
    """Blocked external requests, console errors and page errors of the test's `page`."""
    return br.PageLog()


def _offline_page(chromium, page_log: br.PageLog, width: int) -> Iterator[object]:
    context = chromium.new_context(viewport={"width": width, "height": 900}, locale="nl-BE")
    br.block_external(context, page_log)
    pg = context.new_page()
    br.record_errors(pg, page_log)
    yield pg
    context.close()


@pytest.fixture
def page(chromium, page_log: br.PageLog) -> Iterator[object]:
    """A fresh page (1400x900, nl-BE) that can reach localhost only."""
    yield from _offline_page(chromium, page_log, 1400)


@pytest.fixture
def wide_page(chromium, page_log: br.PageLog) -> Iterator[object]:
    """The same at 1440x900, the size the map layout tests measure."""
    yield from _offline_page(chromium, page_log, 1440)
