"""Shared helpers for browser tests: a `streamlit run` server on a free port and an offline Chromium.

Used through the fixtures in `conftest.py` (`app_url`, `page`, `page_log`); the helpers are plain
functions so a benchmark can reuse them outside pytest.
"""

from __future__ import annotations

import os
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
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


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


def block_external(context, log: PageLog) -> None:
    """Abort every request whose host is not localhost, recording the URL in `log.blocked`."""

    def handle(route):
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            log.blocked.append(url)
            route.abort("blockedbyclient")

    context.route("**/*", handle)


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


def map_frame(page, index: int = 0, timeout_ms: int = 60_000):
    """The Frame of the n-th streamlit-folium map on the page (waits for its iframe to attach)."""
    locator = page.locator(MAP_FRAME).nth(index)
    locator.wait_for(state="attached", timeout=timeout_ms)
    frame = locator.element_handle().content_frame()
    if frame is None:
        raise RuntimeError("kaart-iframe heeft geen inhoud")
    return frame


def wait_in_map(page, predicate_js: str, index: int = 0, timeout_s: float = 60.0):
    """Wait until `predicate_js` (a JS expression) is truthy inside the n-th map frame; return that frame.

    Re-finds the iframe on every try: Streamlit may replace it when the script reruns.
    """
    deadline = time.monotonic() + timeout_s
    last = ""
    while time.monotonic() < deadline:
        try:
            frame = map_frame(page, index, timeout_ms=2_000)
            if frame.evaluate(f"() => Boolean({predicate_js})"):
                return frame
        except Exception as exc:  # detached/not-yet-attached frames while Streamlit reruns
            last = str(exc).splitlines()[0]
        time.sleep(0.2)
    raise TimeoutError(f"kaartvoorwaarde niet bereikt binnen {timeout_s:.0f} s: {predicate_js} ({last})")


def wait_for_polygons(frame, minimum: int, timeout_ms: int = 60_000) -> int:
    """Wait until the map frame has at least `minimum` interactive Leaflet paths; return the count."""
    try:
        frame.wait_for_function(
            "n => document.querySelectorAll('path.leaflet-interactive').length >= n",
            arg=minimum,
            timeout=timeout_ms,
            polling=100,  # not requestAnimationFrame: it can stall in an iframe that is not painted
        )
    except Exception as exc:
        count = frame.locator("path.leaflet-interactive").count()
        leaflet = frame.evaluate("() => typeof L === 'undefined' ? 'geen Leaflet' : 'Leaflet ' + L.version")
        raise AssertionError(f"{count} van {minimum} vlakken getekend ({leaflet}): {exc}") from exc
    return frame.locator("path.leaflet-interactive").count()
