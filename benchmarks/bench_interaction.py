"""Benchmark: editing that keeps up with a meeting (issue table "map click -> colour", "-> table", page open).

Chromium 1440x900, every non-localhost request blocked, against `streamlit run app.py` on a free port.
Every action is repeated and reported as median (p50) and max, in milliseconds:

- `fresh_server_home_map`: server process start -> home page map drawn (304 municipalities);
- `page_open_warm`: per page of the app, a new tab opening its address -> map drawn (on pages with a map)
  and the script idle (server warm; each tab in an empty browser profile, so it first loads Streamlit's
  scripts from the server: a first visit, the slowest case);
- `page_open_new_tab_cached`: the same in new tabs of one browser profile that has opened the app
  before (Streamlit's scripts come from the browser cache);
- `page_open_in_app`: the same pages opened from the sidebar of an open app (as a user moves around);
- `click_recolour`: map click (move mode) -> the clicked unit has its new area colour, measured in the page
  (click dispatch to the next animation frame after the colour changed);
- `click_table`: the same click -> the metrics table shows the new counts;
- `list_move_table`: "Verplaats 1 eenheid" button -> the table shows the new counts;
- `flanders_wijk_map`: the 60 zones over all 2767 wijken: geometry file size (raw and gzip), per-rerun
  data, open -> drawn, click -> recoloured;
- `partner_register_save_2400_rows`: storing a checked register of 2,400 partners (what the save button
  does; SQLite, without browser); `..._import_and_save_...`: reading, validating and storing the file.

The numbers in `results/interaction.json` are re-measured on a quiet machine before a release.
"""

from __future__ import annotations

import gzip
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(Path(__file__).resolve().parent), str(ROOT / "src"), str(ROOT / "tests")]
import browser as br  # noqa: E402
from common import write  # noqa: E402

from geo.data import units  # noqa: E402
from geo.maps import assets as assets_fetch  # noqa: E402
from geo.maps import topology as topo  # noqa: E402

READY = ".um-wrap[data-ready='1']"
WCP = "Wijkcontactpunten Groot Antwerpen per wijk (benadering)"
ELZ_WIJK = "Eerstelijnszones (60) per wijk"
PAGES = {  # url path -> what "map drawn" means there (unit:n = n unit maps drawn; idle:0 = no map: the
    # partners page opens on its register tab, and only the open tab of that page runs)
    "": "unit:1",
    "budget": "unit:1",
    "vergelijken": "unit:3",
    "partners": "idle:0",
    "caseload": "unit:1",
    "indelingen": "idle:0",  # the editor before a division is opened (opening one: editor_open_wcp_ms)
    "scorecard": "idle:0",
    "bronnen": "idle:0",
}
REPEAT = 5
OPEN_REPEAT = 5  # page opens per page and way of opening (p50 and max of these)
NAV = {  # url path -> link in the sidebar
    "": "Kaart en kerncijfers",
    "budget": "Budgetverdeling",
    "vergelijken": "Indelingen vergelijken",
    "partners": "Partners en dekking",
    "caseload": "Caseload",
    "indelingen": "Indelingen bewerken",
    "scorecard": "Scorecard en dossier",
    "bronnen": "Bronnen en licenties",
}

# In-page measurement of one click: colour change (+1 frame) and table change, both from the dispatch.
CLICK_JS = """
async ([code, target]) => {
  const grid = () => Array.from(document.querySelectorAll('[data-testid="stDataFrame"] td[role="gridcell"]'))
    .map((c) => c.innerText).join('|');
  const path = document.querySelector(`path[data-code="${code}"]`);
  const before = grid();
  const t0 = performance.now();
  path.dispatchEvent(new MouseEvent('click', {bubbles: true}));
  let recolour = null;
  if (path.getAttribute('data-fill') === target) {
    await new Promise((r) => requestAnimationFrame(() => r()));
    recolour = performance.now() - t0;
  }
  const table = await new Promise((resolve) => {
    const tick = () => (grid() !== before ? resolve(performance.now() - t0) : setTimeout(tick, 5));
    setTimeout(tick, 5);
    setTimeout(() => resolve(null), 20000);
  });
  return [recolour, table];
}
"""
TABLE_JS = """
async ([label]) => {
  const grid = () => Array.from(document.querySelectorAll('[data-testid="stDataFrame"] td[role="gridcell"]'))
    .map((c) => c.innerText).join('|');
  const before = grid();
  const button = Array.from(document.querySelectorAll('button')).find((b) => b.innerText.startsWith(label));
  const t0 = performance.now();
  button.click();
  return await new Promise((resolve) => {
    const tick = () => (grid() !== before ? resolve(performance.now() - t0) : setTimeout(tick, 5));
    setTimeout(tick, 5);
    setTimeout(() => resolve(null), 20000);
  });
}
"""


def stats(values: list[float | None]) -> dict:
    ok = [v for v in values if v is not None]
    if not ok:
        return {"n": 0}
    return {"p50_ms": round(statistics.median(ok)), "max_ms": round(max(ok)), "n": len(ok)}


def wait_drawn(page, what: str, timeout_ms: int = 60_000) -> None:
    kind, n = what.split(":")
    if kind == "idle":
        br.wait_script_idle(page, timeout_ms)
        return
    if kind == "unit":
        # attached: a map in a tab that is not open is drawn too, but not visible
        page.locator(READY).nth(max(int(n), 1) - 1).wait_for(state="attached", timeout=timeout_ms)
        return
    raise ValueError(f"onbekende kaartsoort: {what}")


def new_context(browser):
    log = br.PageLog()
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="nl-BE")
    br.block_external(context, log)
    return context, log


def new_page(browser):
    context, log = new_context(browser)
    return context, context.new_page(), log


def open_division(page, base: str, title: str) -> None:
    br.open_app(page, base, "indelingen")
    page.get_by_label("Ingebouwde indeling", exact=True).click()
    page.get_by_role("option", name=title, exact=True).click()
    page.get_by_role("button", name="Openen", exact=True).first.click()
    page.wait_for_selector(READY, timeout=60_000)
    br.wait_script_idle(page)


def paint_mode(page, target: str) -> None:
    """Switch the editor to move mode with `target` as the area a click moves to."""
    page.get_by_text("verplaatst naar het doelgebied", exact=True).click()
    br.choose(page, "Doelgebied", target)
    page.wait_for_selector(f".um-wrap[data-click='paint'][data-paint='{target}']", timeout=60_000)
    br.wait_script_idle(page)
    time.sleep(0.5)


def click_series(page, codes: list[str]) -> tuple[list, list]:
    """Click each unit in move mode; (recolour ms, table ms) per click."""
    recolour, table = [], []
    want = page.evaluate("() => document.querySelector('.um-wrap').parentElement.__unitMap.data.paint.color")
    for code in codes:
        r, t = page.evaluate(CLICK_JS, [code, want])
        recolour.append(r)
        table.append(t)
        br.wait_script_idle(page)
        time.sleep(0.3)
    return recolour, table


def open_pages(browser, url: str, shared: bool) -> dict:
    """Open every page by its address in a new tab, OPEN_REPEAT times: address -> map drawn and script
    idle. `shared=False`: each tab in a new, empty browser profile (a first visit: Streamlit's ~150 script
    files come from the server); `shared=True`: the tabs of one browser profile that has opened the app
    before (those files come from the browser cache, as for a user who opens a second tab)."""
    opens: dict[str, list[float | None]] = {}
    shared_context = new_context(browser)[0] if shared else None
    for _ in range(OPEN_REPEAT):
        for path, what in PAGES.items():
            if shared_context is not None:
                context, page = shared_context, shared_context.new_page()
            else:
                context, page, _log = new_page(browser)
            t0 = time.perf_counter()
            try:
                br.open_app(page, url, path)
                wait_drawn(page, what, 30_000)
                br.wait_script_idle(page)
                opens.setdefault(path or "home", []).append((time.perf_counter() - t0) * 1000)
            except Exception:
                opens.setdefault(path or "home", []).append(None)
            page.close() if shared_context is not None else context.close()
    if shared_context is not None:
        shared_context.close()
    return {k: stats(v) for k, v in opens.items()}


def navigate_pages(browser, url: str) -> dict:
    """Open each page from the sidebar of an app that is already open (as a user does): click -> the
    page's map drawn and the script idle. Streamlit's own scripts are loaded once per tab."""
    context, page, log = new_page(browser)
    br.open_app(page, url, "")
    wait_drawn(page, PAGES[""])
    times: dict[str, list[float | None]] = {}
    order = [p for p in NAV if p] + [""]
    for _ in range(3):
        for path in order:
            link = page.locator('[data-testid="stSidebarNav"] a', has_text=NAV[path]).first
            t0 = time.perf_counter()
            link.click()
            try:
                page.wait_for_url(f"{url}/{path}", timeout=30_000)
                time.sleep(0.05)
                br.wait_script_idle(page)
                wait_drawn(page, PAGES[path], 30_000)
                br.wait_script_idle(page)
                times.setdefault(path or "home", []).append((time.perf_counter() - t0) * 1000)
            except Exception:
                times.setdefault(path or "home", []).append(None)
    context.close()
    return {k: stats(v) for k, v in times.items()}


def browser_part() -> dict:
    from playwright.sync_api import sync_playwright

    from geo.divisions.references import reference_division

    assets_fetch.fetch()
    out: dict = {}
    user_dir = Path(tempfile.mkdtemp(prefix="bench-interaction-"))
    port = br.free_port()
    url = f"http://127.0.0.1:{port}"
    t_start = time.perf_counter()
    proc = br.start_streamlit(port, br.server_env(user_dir), log_path=user_dir / "streamlit.log")
    try:
        with sync_playwright() as pw:
            browser = br.launch_chromium(pw)
            br.wait_healthy(url, proc)
            context, page, log = new_page(browser)
            page.goto(url, wait_until="commit")
            page.wait_for_selector('[data-testid="stApp"]')
            wait_drawn(page, PAGES[""])
            out["fresh_server_home_map_ms"] = round((time.perf_counter() - t_start) * 1000)
            context.close()

            out["page_open_warm"] = open_pages(browser, url, shared=False)
            out["page_open_new_tab_cached"] = open_pages(browser, url, shared=True)
            out["page_open_in_app"] = navigate_pages(browser, url)

            reference = reference_division("wcp_wijk")
            context, page, log = new_page(browser)
            t0 = time.perf_counter()
            open_division(page, url, WCP)
            out["editor_open_wcp_ms"] = round((time.perf_counter() - t0) * 1000)
            paint_mode(page, "Deurne/Wommelgem")
            codes = [c for c in reference.units if reference.area_of(c) == "Antwerpen 2060"][:REPEAT]
            recolour, table = click_series(page, codes)
            out["click_recolour"] = stats(recolour)
            out["click_table"] = stats(table)
            moves = []
            page.get_by_text("selecteert", exact=True).click()
            page.wait_for_selector(".um-wrap[data-click='select']", timeout=60_000)
            br.wait_script_idle(page)
            for code in [c for c in reference.units if reference.area_of(c) == "Berchem/Borgerhout"][:REPEAT]:
                page.locator(f"path[data-code='{code}']").dispatch_event("click")
                page.get_by_role("button", name="Verplaats 1 eenheid naar Deurne/Wommelgem").wait_for()
                br.wait_script_idle(page)
                moves.append(page.evaluate(TABLE_JS, ["Verplaats 1 eenheid"]))
                br.wait_script_idle(page)
            out["list_move_table"] = stats(moves)
            out["external_requests_blocked"] = len(log.blocked)
            context.close()

            context, page, log = new_page(browser)
            t0 = time.perf_counter()
            open_division(page, url, ELZ_WIJK)
            opened = (time.perf_counter() - t0) * 1000
            n = page.locator("path[data-code]").count()
            paint_mode(page, "AMALO (elz1)")
            wijk_codes = page.evaluate(
                "(n) => [...document.querySelectorAll('path[data-code]')].slice(1000, 1000 + n)"
                ".map((p) => p.getAttribute('data-code'))",
                REPEAT,
            )
            recolour, table = click_series(page, wijk_codes)
            out["flanders_wijk_map"] = {
                "units_drawn": n,
                "open_to_drawn_ms": round(opened),
                "click_recolour": stats(recolour),
                "click_table": stats(table),
            }
            context.close()
            browser.close()
    finally:
        br.stop(proc)
    return out


def payload_part() -> dict:
    from geo.maps import published
    from geo.paths import map_geometry_dir

    layer = units.display_geojson("wijk")
    t0 = time.perf_counter()
    t = topo.build_topology(layer)
    build_ms = (time.perf_counter() - t0) * 1000
    data = topo.dumps(t)
    geojson = json.dumps(layer, separators=(",", ":")).encode()
    from geo.maps import views

    order = topo.codes(t)
    view = views.categorical(order, {c: f"Gebied {i % 60}" for i, c in enumerate(order)})
    served = published.entry(map_geometry_dir(), "wijk", units.build_stamp())
    return {
        "wijk_served_file": served.file,
        "wijk_served_kb": round((map_geometry_dir() / served.file).stat().st_size / 1024),
        "wijk_geojson_kb": round(len(geojson) / 1024),
        "wijk_topology_kb": round(len(data) / 1024),
        "wijk_topology_gzip_kb": round(len(gzip.compress(data)) / 1024),
        "wijk_topology_build_ms": round(build_ms),
        "payload_target_kb": 1536,
        "per_rerun_view_kb_2767_units": round(len(json.dumps(view, separators=(",", ":"))) / 1024, 1),
    }


def register_part() -> dict:
    """The partner register of 2,400 rows: the save itself (what "Opslaan in het register" does: check
    and store in one transaction) and the whole import (read the file, validate every row, store)."""
    from bench_partners import synthetic_partners

    from geo.partners import io as pio
    from geo.partners import store as pstore
    from geo.store.engine import make_engine

    frame = synthetic_partners(units.load_table("wijk"), 2400)
    engine = make_engine(f"sqlite:///{tempfile.mkdtemp(prefix='bench-reg-')}/r.sqlite")
    raw = pio.export_csv(frame)
    places = pio.PlaceIndex.from_units()
    validated = pio.validate_partners(pio.read_table(raw, "partners.csv"), places).partners
    assert len(validated) == 2400, len(validated)
    save, whole = [], []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        pstore.replace_partners(engine, validated)
        save.append((time.perf_counter() - t0) * 1000)
    for _ in range(3):
        t0 = time.perf_counter()
        result = pio.validate_partners(pio.read_table(raw, "partners.csv"), places)
        pstore.replace_partners(engine, result.partners)
        whole.append((time.perf_counter() - t0) * 1000)
    assert pstore.count_partners(engine) == 2400
    return {
        "partner_register_save_2400_rows": stats(save),
        "partner_register_import_and_save_2400_rows": stats(whole),
    }


def main() -> None:
    import os

    results = {"load_average_at_start": [round(v, 1) for v in os.getloadavg()], **payload_part()}
    results.update(register_part())
    results.update(browser_part())
    write("interaction", results)


if __name__ == "__main__":
    main()
