"""Benchmark: home map payload (municipalities + eerstelijnszone borders; target < 600 KB) and first paint.

First paint = time from `page.goto` until the map frame shows >= 304 municipality polygons, in Debian's
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

from geo.data import units  # noqa: E402
from geo.maps import assets as assets_fetch  # noqa: E402
from geo.maps import folium_maps as maps  # noqa: E402

N_MUNICIPALITIES = 304
PAYLOAD_TARGET_KB = 600


def home_map(indicator: maps.Indicator):
    """The map the home page builds for `indicator` (same layers, tooltips and legend)."""
    table, zones = units.load_table("gemeente"), units.load_table("elz")
    texts = maps.indicator_texts(table, maps.MUNICIPAL_INDICATORS, exclude=indicator.key)
    zone_name = dict(zip(zones["code"], zones["naam"], strict=True))
    texts["Eerstelijnszone"] = {
        c: zone_name.get(z, "–") for c, z in zip(table["code"], table["elz"], strict=True)
    }
    return maps.choropleth_map(
        units.display_geojson("gemeente"),
        indicator.values(table),
        label=indicator.label,
        fmt=indicator.format,
        tooltip_fields=texts,
        borders_geojson=units.display_geojson("elz"),
    )


def payload() -> dict:
    sizes = {}
    for ind in maps.MUNICIPAL_INDICATORS:
        html = home_map(ind).get_root().render().encode()
        sizes[ind.key] = (len(html), len(gzip.compress(html)))
    worst = max(sizes, key=lambda k: sizes[k][0])
    m = home_map(maps.MUNICIPAL_INDICATORS[0])
    layers = [c for c in m._children.values() if c.__class__.__name__ == "GeoJson"]
    compact = {"separators": (",", ":")}
    raw_gem = len(json.dumps(units.display_geojson("gemeente"), **compact))
    raw_elz = len(json.dumps(units.display_geojson("elz"), **compact))
    return {
        "map_html_kb_per_indicator": {k: round(v[0] / 1024, 1) for k, v in sizes.items()},
        "map_html_kb_max": round(sizes[worst][0] / 1024, 1),
        "map_html_gzip_kb_max": round(sizes[worst][1] / 1024, 1),
        "map_payload_target_kb": PAYLOAD_TARGET_KB,
        "gemeente_layer_kb": round(len(json.dumps(layers[0].data, **compact)) / 1024, 1),
        "elz_border_layer_kb": round(len(json.dumps(layers[1].data, **compact)) / 1024, 1),
        "source_geojson_kb": {"gemeente": round(raw_gem / 1024, 1), "elz": round(raw_elz / 1024, 1)},
        "build_and_render_map_ms": best_of(
            lambda: home_map(maps.MUNICIPAL_INDICATORS[0]).get_root().render()
        ),
    }


def first_paint(loads: int = 5) -> dict:
    from playwright.sync_api import sync_playwright

    assets_fetch.fetch()
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
                frame = br.map_frame(page)
                t_frame = time.perf_counter()
                br.wait_for_polygons(frame, N_MUNICIPALITIES)
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
        "warm_map_iframe_to_polygons_median_ms": round(statistics.median(draw[1:])),
        "external_requests_blocked": len(blocked),
    }


def main() -> None:
    write("home", {**payload(), **first_paint()})


if __name__ == "__main__":
    main()
