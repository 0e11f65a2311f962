"""Benchmark: memory of a team server per concurrent user (bounded load test, 20 sessions by default).

One `streamlit run app.py` in team mode (PostgreSQL, sign-in through a local OpenID Connect provider) on
127.0.0.1. Simulated users, each in a browser context of its own in Debian's Chromium (every non-localhost
request blocked), sign in, open the home page (map drawn) and the budget page, and stay connected. After
each new session the server's resident memory (VmRSS of the process) is read. The cost per session is the
slope of a least-squares line through (sessions, RSS) from the second session on (the first one also pays
for loading data and caches). Bounded: at most `--sessions` users, each step with a time limit; the
server, the provider and the browser are stopped at the end. Without GEO_TEST_DATABASE_URL the script runs
itself again under `scripts/with_postgres.sh` (a throwaway PostgreSQL server).
"""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(Path(__file__).resolve().parent), str(ROOT / "src"), str(ROOT / "tests")]
import browser as br  # noqa: E402
from common import write  # noqa: E402

STEP_TIMEOUT_MS = 120_000


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (from /proc)."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return round(total / 1024, 1)


def settle(pid: int, seconds: float = 2.0) -> float:
    time.sleep(seconds)
    return rss_mb(pid)


def slope(xs: list[int], ys: list[float]) -> float:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    num = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    den = sum((x - mx) ** 2 for x in xs)
    return num / den if den else 0.0


def user_session(context, url: str, sub: str) -> float:
    """Sign in, open the home page until the map is drawn, then the budget page; returns seconds."""
    import team as tm

    t0 = time.perf_counter()
    page = context.new_page()
    tm.sign_in(page, url, sub, timeout_ms=STEP_TIMEOUT_MS)
    drawn = f'n => document.querySelectorAll("{br.UNIT_MAP_READY} path[data-code]").length >= n'
    page.wait_for_function(drawn, arg=300, timeout=120_000)  # the home map's municipalities
    br.open_app(page, url, "budget", timeout_ms=STEP_TIMEOUT_MS)
    return time.perf_counter() - t0


def run(n_sessions: int, database_url: str) -> dict:
    import oidc_provider_mock
    import team as tm
    from playwright.sync_api import sync_playwright

    from geo.maps import assets as assets_fetch
    from geo.store import config, workspaces
    from geo.store.access import Actor
    from geo.store.engine import make_engine

    assets_fetch.fetch()
    admin = "bench.beheer@agentschap.test"
    subs = [f"gebruiker{i:02d}" for i in range(n_sessions)]
    config.activate(config.Settings(mode="team", database_url=database_url, admins=(admin,)))
    engine = make_engine(database_url)
    workspaces.ensure_workspaces(engine)
    networks = [w for w in workspaces.workspace_names(engine) if w != "vlaanderen"]
    for i, sub in enumerate(subs):  # users spread over the networks, as planners
        network = networks[i % len(networks)]
        workspaces.set_member(Actor(admin, network), f"{sub}@netwerk.test", "planner", engine)
    engine.dispose()
    users = [oidc_provider_mock.User(sub=s, claims={"email": f"{s}@netwerk.test", "name": s}) for s in subs]

    samples: list[dict] = []
    provider = oidc_provider_mock.run_server_in_thread(user_claims=users)
    with provider as oidc, tempfile.TemporaryDirectory() as tmp:
        server = tm.start_team_server(Path(tmp), database_url, f"http://localhost:{oidc.server_port}")
        pid = server.proc.pid
        try:
            idle = settle(pid)
            with sync_playwright() as pw:
                browser = br.launch_chromium(pw)
                log = br.PageLog()
                contexts = []
                for i, sub in enumerate(subs, start=1):
                    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="nl-BE")
                    br.block_external(context, log)
                    contexts.append(context)
                    seconds = user_session(context, server.url, sub)
                    gc.collect()
                    samples.append({"sessions": i, "rss_mb": settle(pid), "session_s": round(seconds, 1)})
                    print(f"{i:2d} sessies: {samples[-1]['rss_mb']} MB ({seconds:.1f} s)", flush=True)
                peak = max(s["rss_mb"] for s in samples)
                for c in contexts:
                    c.close()
                after_close = settle(pid, 10.0)
                browser.close()
        finally:
            br.stop(server.proc)
    xs = [s["sessions"] for s in samples[1:]]
    ys = [s["rss_mb"] for s in samples[1:]]
    per_session = round(slope(xs, ys), 1) if len(xs) > 1 else None
    return {
        "what": "RSS of one team-server process (streamlit run app.py, PostgreSQL, OIDC sign-in) per "
        "concurrent signed-in session that opened the home map and the budget page",
        "sessions": n_sessions,
        "idle_mb": idle,
        "first_session_mb": samples[0]["rss_mb"],
        "peak_mb": peak,
        "per_session_mb": per_session,
        "after_all_closed_mb": after_close,
        "samples": samples,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    args = parser.parse_args()
    url = os.environ.get("GEO_TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        script = ROOT / "scripts" / "with_postgres.sh"
        cmd = [str(script), sys.executable, str(Path(__file__).resolve()), "--sessions", str(args.sessions)]
        return subprocess.run(cmd, check=False).returncode
    results = run(max(2, min(args.sessions, 50)), url)
    write("team", results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
