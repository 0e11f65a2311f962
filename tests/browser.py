"""Shared helpers for browser tests: a `streamlit run` server on a free port and an offline Chromium.

Used through the fixtures in `conftest.py` (`app_url`, `page`, `page_log`); the helpers are plain
functions so a benchmark can reuse them outside pytest.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("GEO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(user_dir: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for a test server: src on the path, an isolated user dir and SQLite DB."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")]))
    env["GEO_USER_DIR"] = str(user_dir)
    env["GEO_DB_PATH"] = str(user_dir / "test.sqlite")
    env["GEO_CONFIG"] = str(user_dir / "geen-instellingen.toml")  # local mode unless `extra` says otherwise
    env.pop("DATABASE_URL", None)
    if env.get("GEO_TEST_DATABASE_URL"):
        env["DATABASE_URL"] = env["GEO_TEST_DATABASE_URL"]
    env.update(extra or {})
    return env


def start_streamlit(
    port: int,
    env: dict[str, str],
    app: str = "app.py",
    log_path: Path | None = None,
    extra_args: list[str] | None = None,
):
    """Start `streamlit run <app>` headless on 127.0.0.1:<port>; returns the Popen (log to `log_path`).
    `extra_args` are more Streamlit options (e.g. ``["--secrets.files", path]``)."""
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        app,
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        *(extra_args or []),
    ]
    out = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115
    return subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_healthy(base_url: str, proc: subprocess.Popen | None = None, timeout: float = 60.0) -> None:
    """Poll `GET /_stcore/health` until it answers `ok`; raise with a clear message otherwise."""
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"streamlit stopte meteen (exit {proc.returncode})")
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            last = str(exc)
        time.sleep(0.25)
    raise RuntimeError(f"streamlit werd niet gezond binnen {timeout:.0f} s ({last})")


def stop(proc: subprocess.Popen) -> None:
    """Terminate the server process (kill after 10 s)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def launch_chromium(playwright):
    """Debian's Chromium, headless, with background networking off."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def is_local(url: str) -> bool:
    """True for URLs served by this machine (and for data:/blob:/about: URLs that need no network)."""
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about", "chrome-error"}:
        return True
    host = parts.hostname or ""
    return host in LOCAL_HOSTS or f"[{host}]" in LOCAL_HOSTS


@dataclass
class PageLog:
    """What a page tried that a test may want to assert on."""

    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


# Every URL that is not served by this machine. Only these requests are intercepted: a route for all URLs
# would send each of the page's ~150 script requests through this Python process (slow, and not what a
# user's browser does).
EXTERNAL_URL = re.compile(
    r"^(?!(?:https?|wss?)://(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?(?:[/?#]|$))(?!(?:data|blob|about|chrome-error):)"
)


def block_external(context, log: PageLog) -> None:
    """Abort every request whose host is not localhost, recording the URL in `log.blocked`."""

    def handle(route):
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            log.blocked.append(url)
            route.abort("blockedbyclient")

    context.route(EXTERNAL_URL, handle)


def record_errors(page, log: PageLog) -> None:
    """Collect console errors, uncaught page errors and failed local requests."""
    page.on("console", lambda msg: log.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))
    page.on(
        "requestfailed",
        lambda req: log.failed.append(req.url) if is_local(req.url) else None,
    )


def open_app(page, base_url: str, path: str = "", timeout_ms: int = 60_000) -> None:
    """Navigate to a page of the app and wait until Streamlit has rendered and finished running."""
    page.goto(f"{base_url}/{path.lstrip('/')}", wait_until="domcontentloaded", timeout=timeout_ms)
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    wait_script_idle(page, timeout_ms)


def record_responses(page) -> list[str]:
    """The URL of every response the page receives from now on (e.g. which script chunks it loaded)."""
    urls: list[str] = []
    page.on("response", lambda response: urls.append(response.url))
    return urls


def vega_chart(page, has_text: str, timeout_ms: int = 60_000):
    """The Vega-Lite chart (`st.altair_chart`) whose drawing contains `has_text`, once drawn as SVG."""
    chart = page.locator('[data-testid="stVegaLiteChart"]', has_text=has_text).first
    chart.locator("svg").first.wait_for(timeout=timeout_ms)
    chart.scroll_into_view_if_needed()
    return chart


def wait_until(check, what: str, timeout_s: float = 60.0):
    """Call ``check`` until it returns something truthy (returned); else fail with ``what`` and the last
    value. Errors count as "not yet": Streamlit replaces elements while it reruns."""
    deadline = time.monotonic() + timeout_s
    last = None
    while time.monotonic() < deadline:
        try:
            last = check()
            if last:
                return last
        except Exception as exc:  # noqa: BLE001 - elements are replaced while Streamlit reruns
            last = exc
        time.sleep(0.3)
    raise AssertionError(f"{what} (laatste waarde: {last!r})")


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the Streamlit selectbox labelled ``label``."""
    page.get_by_label(label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()


def wait_script_idle(page, timeout_ms: int = 60_000) -> None:
    """Wait until the script run is over (the 'Running...' status widget is gone)."""
    page.wait_for_function(
        """() => {
            const s = document.querySelector('[data-testid="stStatusWidget"]');
            return !s || !/Running|Bezig/i.test(s.innerText);
        }""",
        timeout=timeout_ms,
        polling=100,
    )


_RUNS_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (app.__geoRuns === undefined) {
    app.__geoRuns = 0;
    new MutationObserver((records) => {
      app.__geoRuns += records.filter((r) => r.oldValue === 'running').length;
    }).observe(app, {attributes: true, attributeOldValue: true, attributeFilter: ['data-test-script-state']});
  }
  return app.__geoRuns;
}"""


def runs_finished(page) -> int:
    """How many script runs of this page have ended (counting starts at the first call on a page)."""
    return page.evaluate(_RUNS_JS)


def wait_for_next_run(page, runs_before: int, timeout_ms: int = 60_000) -> None:
    """Wait until a script run that ends after ``runs_before = runs_finished(page)`` is over.

    Take ``runs_before`` before a click or choice that makes Streamlit run the script again:
    `wait_script_idle` right after the click may look before that run has even started (it starts some
    40-250 ms later, when the server answers)."""
    page.wait_for_function(
        """(n) => {
            const app = document.querySelector('[data-testid="stApp"]');
            return app.__geoRuns > n && app.dataset.testScriptState === 'notRunning';
        }""",
        arg=runs_before,
        timeout=timeout_ms,
        polling=100,
    )


# ----------------------------------------------------------------------------------------- map layout
UNIT_MAP_READY = ".um-wrap[data-ready='1']"

_UNIT_LAYOUT_JS = """
(wrap) => {
  const box = (e) => {
    if (!e) return null;
    const r = e.getBoundingClientRect();
    return {x: r.left, y: r.top, r: r.right, b: r.bottom, w: r.width, h: r.height};
  };
  const map = wrap.querySelector('.um-map');
  let u = null;
  for (const p of map.querySelectorAll('path[data-code]')) {
    const r = p.getBoundingClientRect();
    if (!r.width && !r.height) continue;
    u = u ? {x: Math.min(u.x, r.left), y: Math.min(u.y, r.top), r: Math.max(u.r, r.right),
             b: Math.max(u.b, r.bottom)}
          : {x: r.left, y: r.top, r: r.right, b: r.bottom};
  }
  if (u) { u.w = u.r - u.x; u.h = u.b - u.y; }
  const legend = wrap.querySelector('.um-legend');
  const attr = wrap.querySelector('.um-attr');
  return {
    map: box(map),
    frame: box(wrap.closest('[data-testid="stVerticalBlock"]')),
    units: u,
    legend: legend && legend.childElementCount ? box(legend) : null,
    attribution: attr && attr.textContent.trim() ? box(attr) : null,
    on_map: [...map.querySelectorAll('.leaflet-control')].map(box),
  };
}
"""


def visible_unit_map(page, timeout_ms: int = 120_000):
    """The first unit map that is drawn and visible (maps in other tabs are hidden), once it is there."""
    wrap = page.locator(f"{UNIT_MAP_READY} >> visible=true").first
    wrap.wait_for(timeout=timeout_ms)
    return wrap


def unit_map_layout(page, index: int = 0, wrap=None) -> dict:
    """Boxes (viewport px) of the n-th unit map (or of `wrap`): map, its column, the drawn units, legend
    and sources."""
    wrap = wrap if wrap is not None else page.locator(UNIT_MAP_READY).nth(index)
    wrap.scroll_into_view_if_needed()
    return wrap.evaluate(_UNIT_LAYOUT_JS)


def layout_problems(layout: dict, *, fill: float = 0.8) -> list[str]:
    """What is wrong with a map's layout (empty = fine): the map fills its column, the units fit the map
    (inside it, and filling at least `fill` of its width or height), nothing but small controls lies on
    the map, and legend and sources sit under the map, one after the other."""
    out = []
    m, f, u = layout["map"], layout["frame"], layout["units"]
    if f and m["w"] < 0.97 * f["w"]:
        out.append(f"kaart {m['w']:.0f} px breed in een kolom van {f['w']:.0f} px")
    if not u:
        out.append("geen eenheden getekend")
    else:
        tol = 2
        if u["x"] < m["x"] - tol or u["r"] > m["r"] + tol or u["y"] < m["y"] - tol or u["b"] > m["b"] + tol:
            out.append(f"eenheden {u} vallen buiten de kaart {m}")
        if u["w"] < fill * m["w"] and u["h"] < fill * m["h"]:
            size = f"{u['w']:.0f}x{u['h']:.0f} in {m['w']:.0f}x{m['h']:.0f}"
            out.append(f"eenheden vullen de kaart niet ({size})")
    for c in layout["on_map"]:
        if c["w"] * c["h"] > 0.04 * m["w"] * m["h"]:
            out.append(f"een bediening van {c['w']:.0f}x{c['h']:.0f} px ligt op de kaart")
    under = [layout[k] for k in ("legend", "attribution") if layout.get(k)]
    top = m["b"]
    for box in under:
        if box["y"] < top - 1:
            out.append(f"legende of bron ({box['y']:.0f}) niet onder de kaart ({top:.0f})")
        top = box["b"]
    return out
