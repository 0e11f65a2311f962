"""Benchmark: home map payload (target < 600 KB) and first paint.

Payload = what the browser receives for the home map: the published TopoJSON of the 304 municipalities
(`static/geo/`, fetched once, then cached by the browser) and the view the page sends on every run (class
per municipality, legend, tooltips, the zone of each municipality for the thick borders), per indicator.
First paint = time from `page.goto` until the unit map shows the 304 municipality polygons, in Debian's
Chromium with every non-localhost request blocked, against `streamlit run app.py` on a free port.
"cold" is the first load after the server started (imports, caches empty); "warm" the best of later loads.
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
from common import best_of, write  # noqa: E402

from geo.cli.data import publish_maps  # noqa: E402
from geo.data import units  # noqa: E402
from geo.maps import assets as assets_fetch  # noqa: E402
from geo.maps import folium_maps as maps  # noqa: E402
from geo.maps import published, views  # noqa: E402
from geo.paths import map_geometry_dir  # noqa: E402

N_MUNICIPALITIES = 304
PAYLOAD_TARGET_KB = 600
DRAWN_JS = f'n => document.querySelectorAll("{br.UNIT_MAP_READY} path[data-code]").length >= n'


def geometry() -> published.Entry:
    return published.entry(map_geometry_dir(), "gemeente", units.build_stamp())


def home_view(indicator: maps.Indicator, order: tuple[str, ...]) -> dict:
    """The view the home page sends for `indicator` (same classes, tooltips and zone borders)."""
    table = units.load_table("gemeente")
    texts = maps.indicator_texts(table, maps.MUNICIPAL_INDICATORS, exclude=indicator.key)
    texts["Eerstelijnszone"] = dict(zip(table["code"], table["elz_naam"].fillna("–"), strict=True))
    view = views.choropleth(
        order, indicator.values(table), label=indicator.label, fmt=indicator.format, tooltip_fields=texts
    )
    zones = dict(zip(table["code"].astype(str), table["elz"].astype(str), strict=True))
    return views.with_borders(view, order, zones)


def payload() -> dict:
    entry = geometry()
    topology = (map_geometry_dir() / entry.file).read_bytes()
    compact = {"separators": (",", ":")}
    sizes = {
        ind.key: len(json.dumps(home_view(ind, entry.codes), **compact).encode())
        for ind in maps.MUNICIPAL_INDICATORS
    }
    return {
        "geometry_file": entry.file,
        "geometry_kb": round(len(topology) / 1024, 1),
        "geometry_gzip_kb": round(len(gzip.compress(topology)) / 1024, 1),
        "view_kb_per_indicator": {k: round(v / 1024, 1) for k, v in sizes.items()},
        "first_load_kb_max": round((len(topology) + max(sizes.values())) / 1024, 1),
        "map_payload_target_kb": PAYLOAD_TARGET_KB,
        "build_view_ms": best_of(lambda: home_view(maps.MUNICIPAL_INDICATORS[0], entry.codes)),
    }


def first_paint(loads: int = 5) -> dict:
    from playwright.sync_api import sync_playwright

    assets_fetch.fetch()
    publish_maps(progress=lambda _m: None)  # map geometry in static/geo (no-op when current)
    user_dir = Path(tempfile.mkdtemp(prefix="bench-home-"))
    port = br.free_port()
    proc = br.start_streamlit(port, br.server_env(user_dir), log_path=user_dir / "streamlit.log")
    url = f"http://127.0.0.1:{port}"
    times: list[float] = []
    shell: list[float] = []
    draw: list[float] = []
    blocked: list[str] = []
    try:
        t0 = time.perf_counter()
        br.wait_healthy(url, proc)
        server_start_s = round(time.perf_counter() - t0, 2)
        with sync_playwright() as pw:
            browser = br.launch_chromium(pw)
            for _ in range(loads + 1):
                log = br.PageLog()
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                br.block_external(context, log)
                page = context.new_page()
                t0 = time.perf_counter()
                page.goto(url, wait_until="commit")
                page.wait_for_selector('[data-testid="stApp"]')
                t_shell = time.perf_counter()
                page.wait_for_selector(".um-wrap", state="attached", timeout=60_000)  # the map's element
                t_frame = time.perf_counter()
                page.wait_for_function(DRAWN_JS, arg=N_MUNICIPALITIES, timeout=60_000, polling="raf")
                t_end = time.perf_counter()
                times.append((t_end - t0) * 1000)
                shell.append((t_shell - t0) * 1000)
                draw.append((t_end - t_frame) * 1000)
                blocked += log.blocked
                context.close()
            browser.close()
    finally:
        br.stop(proc)
    return {
        "server_start_s": server_start_s,
        "first_paint_cold_ms": round(times[0]),
        "first_paint_warm_best_ms": round(min(times[1:])),
        "first_paint_warm_median_ms": round(statistics.median(times[1:])),
        "warm_streamlit_shell_median_ms": round(statistics.median(shell[1:])),
        "warm_map_element_to_polygons_median_ms": round(statistics.median(draw[1:])),
        "external_requests_blocked": len(blocked),
    }


def main() -> None:
    write("home", {**payload(), **first_paint()})


if __name__ == "__main__":
    main()
