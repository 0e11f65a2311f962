"""Benchmark: the decision dossier (content + PDF) under 5 s, and the scorecard of 5 divisions.

Measures, in one process as the app does: the first dossier of a division (cold: layers, tables and the
budget formula loaded), then the same again (warm: what the button costs after the page has loaded), for
the 7 WCPs of Groot Antwerpen on wijken (with FTE and a 4-year transition path) and the 16 SWVs on
municipalities (with FTE and the transition path from 2021); the PDF size and page count; and a scorecard
of five divisions. A fresh `python -m geo division dossier` (interpreter start included) is timed too,
with its CPU time: on a busy machine the wall time mostly waits for a core.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import best_of, write  # noqa: E402

from geo.divisions.references import reference_division  # noqa: E402
from geo.reports import dossier, pdf, scorecard  # noqa: E402

TARGET_S = 5.0
CASES = {
    "wcp_wijk": dossier.DossierOptions(fte=True, transition_years=4),
    "swv2021_gemeente": dossier.DossierOptions(fte=True, transition_years=4, transition_start="2021"),
}


def make(key: str) -> bytes:
    return pdf.render(dossier.build(reference_division(key), CASES[key]))


def main() -> None:
    import os

    results: dict = {"target_s": TARGET_S, "load_average_1min": round(os.getloadavg()[0], 1)}
    for key in CASES:
        t0 = time.perf_counter()
        data = make(key)
        cold = time.perf_counter() - t0
        warm_ms = best_of(lambda key=key: make(key), repeat=3)
        results[key] = {
            "cold_s": round(cold, 2),
            "warm_s": round(warm_ms / 1000, 2),
            "pdf_kb": round(len(data) / 1024, 1),
            "pages": data.count(b"/Type /Page\n") or data.count(b"/Type /Page"),
        }
    five = [
        reference_division(k)
        for k in (
            "swv2021_gemeente",
            "elz57_gemeente",
            "swv2021_gemeente",
            "elz57_gemeente",
            "swv2021_gemeente",
        )
    ]
    results["scorecard_5_divisions_s"] = round(best_of(lambda: scorecard.build(five), repeat=3) / 1000, 2)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "d.pdf"
        t0 = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        cmd = [sys.executable, "-m", "geo", "division", "dossier", "ref:wcp_wijk", "--uit", str(out), "--vte"]
        subprocess.run(cmd, check=True, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        results["cli_wcp_wijk_fresh_process_s"] = round(time.perf_counter() - t0, 2)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        results["cli_wcp_wijk_fresh_process_cpu_s"] = round(cpu, 2)
    write("dossier", results)


if __name__ == "__main__":
    main()
