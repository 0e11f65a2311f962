"""`python -m geo data fetch|build|status`."""

from __future__ import annotations

import argparse

from geo import fmt
from geo.data import build as build_mod
from geo.data import catalog, units
from geo.data.units import build_report, is_built
from geo.data.verify import verify_built
from geo.errors import UserFacingError
from geo.maps import published
from geo.paths import map_geometry_dir


def _fetch(args: argparse.Namespace) -> int:
    results = catalog.fetch_all(args.mirror)
    fetched = sum(r.status == "opgehaald" for r in results)
    print(
        f"{len(results)} bronbestanden in orde ({fetched} opgehaald, {len(results) - fetched} al aanwezig)."
    )
    return 0


def _build(args: argparse.Namespace) -> int:
    build_mod.build()
    print_sector_rules()
    publish_maps(force=True)
    return 0


def print_sector_rules() -> None:
    """Inhabitants per sector -> wijk rule and year, and the check that the build made."""
    table = units.sector_rules()
    if table.empty:
        return
    years = [c for c in table.columns if c not in ("Regel", "Uitleg")]
    shown = table[["Regel", *years]].copy()
    for year in years:
        shown[year] = shown[year].map(fmt.number)
    print("Van statistische sector naar wijk, inwoners per regel:")
    print(shown.to_string(index=False))
    checks = build_report()["controles"]
    if checks.get("wijksom_gelijk_aan_gemeente"):
        print(
            "Gecontroleerd: per gemeente is de som van de sectoren gelijk aan het Statbel-totaal, en de som "
            "van de wijken gelijk aan de gemeente (elk jaar, elke telling)."
        )


def map_levels() -> list[str]:
    """Levels with boundaries: the ones the app draws."""
    return [key for key, level in units.LEVELS.items() if level.has_geometry]


def publish_maps(force: bool = False, progress=print) -> bool:
    """Write the browser's map geometry for the current build (`geo.maps.published`) into the folder the
    app serves; without `force` only when it is missing or belongs to another build. True when written."""
    stamp = units.build_stamp()
    if stamp is None:
        raise UserFacingError("Nog niets opgebouwd: voer eerst `python -m geo data build` uit.")
    folder = map_geometry_dir()
    if not force and published.is_current(folder, stamp, map_levels()):
        return False
    index = published.publish(map_levels(), units.display_geojson, folder, stamp, progress)
    size = sum(e["bytes"] for e in index["levels"].values())
    n = len(index["levels"])
    progress(f"Kaartgeometrie voor {n} niveaus klaargezet ({fmt.number(size / 1e6, 1)} MB).")
    return True


def _maps(args: argparse.Namespace) -> int:
    if not publish_maps(force=args.opnieuw):
        print("Kaartgeometrie is al klaargezet voor deze opbouw.")
    return 0


def _status(args: argparse.Namespace) -> int:
    rows = catalog.status()
    for r in rows:
        mark = "ok " if r["checksum_ok"] else ("FOUT" if r["aanwezig"] else "ontbreekt")
        print(f"{mark:9} {r['bestand']}  [{r['jaargang']}]  {r['bron']}")
    if not is_built():
        print("\nNog niet opgebouwd: `python -m geo data build`.")
        return 1
    rep = build_report()
    counts = ", ".join(f"{k}: {v}" for k, v in rep["aantallen"].items())
    print(f"\nOpgebouwd op {rep['gebouwd']} in {rep['duur_s']} s: {counts}")
    print_sector_rules()
    checks = verify_built()
    bad = [c for c in checks if not c.ok]
    for c in checks:
        mark = {"ok": "ok", "ontbreekt": "ONTBREEKT", "gewijzigd": "GEWIJZIGD", "onleesbaar": "ONLEESBAAR"}
        detail = f" ({c.detail})" if c.detail else ""
        print(f"{mark.get(c.status, c.status):10} {c.path}{detail}")
    if bad:
        print(
            f"\n{len(bad)} opgebouwd(e) bestand(en) niet in orde: {', '.join(c.path for c in bad)}. "
            f"Bouw opnieuw op met `python -m geo data build` (of `make data`)."
        )
        return 1
    print(f"Alle {len(checks)} opgebouwde bestanden in orde.")
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
    m = s.add_parser(
        "maps", help="kaartgeometrie (TopoJSON per niveau) voor de app klaarzetten in static/geo"
    )
    m.add_argument("--opnieuw", action="store_true", help="ook als ze al klaarstaat voor deze opbouw")
    m.set_defaults(func=_maps)
