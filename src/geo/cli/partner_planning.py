"""`python -m geo partners access|locate`: accessibility per area (2SFCA) and where to add partners.

Registered under `partners` by ``geo.cli.partners``. Distances are straight lines unless ``--roads``
names a road network (GeoPackage, GeoJSON or zipped shapefile); every printed table and written file
says which.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from geo import fmt as nl
from geo.cli.options import non_negative
from geo.cli.output import print_messages, show, write_table
from geo.errors import UserFacingError
from geo.partners import access as acc
from geo.partners import location as loc
from geo.partners import planning
from geo.partners.register import PARTNER_TYPES


def distances_from(args: argparse.Namespace):
    """Straight lines, or the road network of ``--roads``."""
    from geo.partners.network import RoadNetwork, StraightLine

    if not getattr(args, "roads", None):
        return StraightLine()
    print(f"Wegennet lezen: {args.roads} …", flush=True)
    return RoadNetwork.read(Path(args.roads))


def _inputs(args: argparse.Namespace):
    from geo.cli.partners import _coverage_inputs

    return _coverage_inputs(args)


def _warn(lines) -> None:
    for line in lines:
        print(f"Let op: {line}")


def _read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UserFacingError(f"Kan {path} niet lezen ({exc.strerror}).") from exc


def _file_check(check, path: str, what: str):
    print_messages(check.messages)
    if not check.ok:
        raise UserFacingError(f"{path}: {len(check.errors)} fout(en) in het {what}; er is niets berekend.")
    return check.rows


# ---------------------------------------------------------------------------------------------- access
def _access(args: argparse.Namespace) -> int:
    from geo.data import units
    from geo.partners import inputs
    from geo.partners.coverage import partner_units

    partners, source, table, mapping = _inputs(args)
    types = args.type or sorted(partners["type"].unique())
    capacity = None
    unit = args.capacity_unit or ("plaatsen" if args.capacity else "partners")
    if args.capacity:
        check = inputs.read_capacity(_read_file(args.capacity), Path(args.capacity).name, partners)
        _file_check(check, args.capacity, "capaciteitsbestand")
        capacity = inputs.capacity_mapping(check)
    settings = planning.AccessSettings(
        distance_m=args.distance,
        decay=args.decay,
        threshold=args.threshold,
        relative=not args.absolute,
        capacity_unit=unit,
        default_capacity=args.default_capacity,
        deprivation_weight=args.deprivation_weight,
        only_deprived=args.only_deprived,
    )
    distances = distances_from(args)
    xy = partners[["x", "y"]].to_numpy(float)
    p_area = [mapping.get(u, "") for u in partner_units(xy, units.load_layer(args.level))]
    report = planning.accessibility(
        partners, table, mapping, settings, types, capacity, distances, p_area, level=args.level
    )
    _warn(distances.warnings(("vraagpunten", table[["x", "y"]].to_numpy(float)), ("partners", xy)))
    print(f"Toegang per gebied en type (partners: {source}).")
    for note in report.notes:
        print(f"- {note}")
    a = report.areas
    # weighted or only the deprived: the threshold and "zonder bereik" count that weight, shown beside it
    counted = {} if a["geteld"].equals(a["jongeren"]) else {"geteld": a["geteld"].map(nl.number)}
    show(
        pd.DataFrame(
            {
                "gebied": a["gebied"],
                "type": a["type"],
                "jongeren": a["jongeren"].map(nl.number),
                **counted,
                f"toegang/{nl.number(acc.PER)}": a["toegang"].map(lambda v: nl.number(v, 2)),
                "mediaan": a["mediaan"].map(lambda v: nl.number(v, 2)),
                "p10-p90": [
                    f"{nl.number(lo, 2)} – {nl.number(hi, 2)}"
                    for lo, hi in zip(a["p10"], a["p90"], strict=True)
                ],
                "onder drempel": a["aandeel_onder"].map(lambda v: nl.percent(v * 100)),
                "zonder bereik": a["zonder_toegang"].map(nl.number),
            }
        )
    )
    frame, cols = planning.access_export(report)
    write_table(frame, args.out, cols, sheet="toegang per gebied")
    if args.units_out:
        frame, cols = planning.units_export(report)
        write_table(frame, args.units_out, cols, sheet="toegang per eenheid")
    return 0


# ---------------------------------------------------------------------------------------------- locate
def _locate(args: argparse.Namespace) -> int:
    from geo.partners import inputs
    from geo.partners.io import PlaceIndex

    partners, source, table, mapping = _inputs(args)
    if args.type not in PARTNER_TYPES:
        raise UserFacingError(f"Onbekend type '{args.type}'. Kies uit: {', '.join(PARTNER_TYPES)}.")
    if args.n < 0:
        raise UserFacingError("--n moet 0 of meer zijn.")
    if args.area and args.area not in set(mapping.values()):
        raise UserFacingError(f"Gebied '{args.area}' bestaat niet in deze indeling.")
    sites = None
    if args.sites:
        from geo.data import units

        check = inputs.read_sites(
            _read_file(args.sites), Path(args.sites).name, PlaceIndex.from_units(), units.load_table("wijk")
        )
        sites = _file_check(check, args.sites, "bestand met kandidaatlocaties")
        if sites.empty:
            raise UserFacingError(f"{args.sites}: geen kandidaatlocaties.")
    distances = distances_from(args)
    report = planning.locate(
        partners,
        table,
        mapping,
        args.type,
        args.n,
        args.distance,
        area=args.area,
        sites=sites,
        deprivation_weight=args.deprivation_weight,
        only_deprived=args.only_deprived,
        exact=args.exact,
        time_limit=args.time_limit,
        distances=distances,
        level=args.level,
    )
    _warn(distances.warnings(("vraagpunten", report.scope[["x", "y"]].to_numpy(float))))
    plan = report.best
    print(
        f"{args.type}: nu bereikt {nl.percent(plan.share_before * 100)} binnen {nl.number(args.distance)} m "
        f"({source}); na {len(plan.picks)} nieuwe locatie(s) {nl.percent(plan.share_after * 100)} "
        f"({loc.STATUS_LABELS[plan.status]}, {nl.number(plan.seconds, 2)} s)."
    )
    for note in report.notes:
        print(f"- {note}")
    if report.exact is not None:
        gap = report.gap
        g, e = report.greedy, report.exact
        print(
            f"Snelle benadering (gretig): {nl.number(g.gain)} extra; exact: {nl.number(e.gain)} extra; "
            f"verschil {nl.number(gap['verschil'])} ({nl.percent(gap['verschil_aandeel'] * 100, 2)} van de "
            "exacte winst)."
        )
        if e.status != "optimaal":
            print(
                f"Tijdslimiet bereikt: de beste gevonden keuze ligt hoogstens "
                f"{nl.percent(e.gap * 100, 2)} onder het optimum."
            )
    from geo.data import units

    table_out = planning.picks_table(report, plan, mapping, units.load_layer(args.level))
    show(
        pd.DataFrame(
            {
                "stap": table_out["stap"],
                "locatie": table_out["naam"],
                "gebied": table_out["gebied"],
                "extra": table_out["winst"].map(nl.number),
                "bereik na": table_out["aandeel_na"].map(lambda v: nl.percent(v * 100)),
            }
        )
    )
    if plan.stopped_early:
        print("Geen kandidaat voegt nog iets toe: minder locaties gekozen dan gevraagd.")
    write_table(table_out, args.out, planning.PICKS_COLUMNS, sheet="nieuwe locaties")
    return 0


# ---------------------------------------------------------------------------------------------- parsers
def add_commands(s: argparse._SubParsersAction, common) -> None:
    """Add `access` and `locate` to the `partners` sub-commands; ``common`` adds the shared options."""
    a = s.add_parser("access", help="toegang per gebied en type: capaciteit gedeeld over de jongeren (2SFCA)")
    common(a)
    a.add_argument("--type", action="append", choices=PARTNER_TYPES, help="partnertype (herhaalbaar)")
    a.add_argument("--decay", choices=list(acc.DECAYS), default="stap", help="afname met de afstand")
    a.add_argument("--capacity", help="CSV/XLSX met id of naam (+ type) en capaciteit per partner")
    a.add_argument(
        "--capacity-unit",
        choices=list(planning.CAPACITY_UNITS),
        help="eenheid van de capaciteit (standaard plaatsen met --capacity, anders elke partner 1)",
    )
    a.add_argument(
        "--default-capacity", type=non_negative, default=1.0, help="capaciteit van partners zonder opgave"
    )
    a.add_argument(
        "--threshold",
        type=non_negative,
        default=0.5,
        help="drempel: aandeel van het gemiddelde (0,5 = helft), of per 1.000 jongeren met --absolute",
    )
    a.add_argument("--absolute", action="store_true", help="--threshold is een waarde per 1.000 jongeren")
    a.add_argument("--units-out", help="toegang per eenheid als CSV of XLSX")
    a.set_defaults(func=_access)

    loc_p = s.add_parser("locate", help="waar nieuwe partners het meeste jongeren extra bereiken")
    common(loc_p)
    loc_p.add_argument("--type", required=True, help="partnertype")
    loc_p.add_argument("--n", type=int, default=5, help="aantal nieuwe locaties")
    loc_p.add_argument("--area", help="enkel binnen dit gebied")
    loc_p.add_argument("--exact", action="store_true", help="bewezen beste keuze (HiGHS) naast de snelle")
    loc_p.add_argument(
        "--time-limit", type=non_negative, default=None, help="tijdslimiet in seconden voor --exact"
    )
    loc_p.add_argument(
        "--sites",
        help="CSV/XLSX met kandidaatlocaties (naam + lat/lon, x/y, wijk of gemeente; optioneel "
        "capaciteit, vast); standaard de centra van de eenheden",
    )
    loc_p.set_defaults(func=_locate)
