"""`python -m geo data fetch|build|status`."""

from __future__ import annotations

import argparse

from geo.data import build as build_mod
from geo.data import catalog
from geo.data.units import build_report, is_built


def _fetch(args: argparse.Namespace) -> int:
    results = catalog.fetch_all(args.mirror)
    fetched = sum(r.status == "opgehaald" for r in results)
    print(
        f"{len(results)} bronbestanden in orde ({fetched} opgehaald, {len(results) - fetched} al aanwezig)."
    )
    return 0


def _build(args: argparse.Namespace) -> int:
    build_mod.build()
    return 0


def _status(args: argparse.Namespace) -> int:
    rows = catalog.status()
    for r in rows:
        mark = "ok " if r["checksum_ok"] else ("FOUT" if r["aanwezig"] else "ontbreekt")
        print(f"{mark:9} {r['bestand']}  [{r['jaargang']}]  {r['bron']}")
    if is_built():
        rep = build_report()
        counts = ", ".join(f"{k}: {v}" for k, v in rep["aantallen"].items())
        print(f"\nOpgebouwd op {rep['gebouwd']} in {rep['duur_s']} s: {counts}")
    else:
        print("\nNog niet opgebouwd: `python -m geo data build`.")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("data", help="brondata ophalen, opbouwen en controleren")
    s = p.add_subparsers(dest="data_command", required=True)
    f = s.add_parser("fetch", help="bronbestanden naar de lokale cache (controle met sha256)")
    f.add_argument("--mirror", default=None, help="map of URL met de brondata (standaard GEO_DATA_MIRROR)")
    f.set_defaults(func=_fetch)
    s.add_parser("build", help="lagen en tabellen opbouwen in data/shapes en data/stats").set_defaults(
        func=_build
    )
    s.add_parser("status", help="wat is aanwezig, met jaargang en bron").set_defaults(func=_status)
