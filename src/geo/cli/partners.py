"""`python -m geo partners check|import|export|coverage`.

`partners access` and `partners locate` live in ``geo.cli.partner_planning``; `caseload` in
``geo.cli.caseload``.

Areas are named like elsewhere: ``kolom:<parent>`` (e.g. ``kolom:elz``), ``ref:<key>`` (built-in division)
or ``db:<id or name>`` (stored division); see ``geo.partners.coverage.area_choices``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from geo import fmt as nl
from geo.cli.options import add_count_options, fraction, non_negative
from geo.cli.output import caller, print_messages, show, write_file, write_table
from geo.errors import UserFacingError
from geo.partners import coverage as cov
from geo.partners.register import OSM_EXAMPLE_LABEL, PARTNER_TYPES

DEMAND_LEVELS = ("wijk", "gemeente")


# ---------------------------------------------------------------------------------------------- helpers
def _partners_from(args: argparse.Namespace) -> tuple[pd.DataFrame, str]:
    """Partners from a file, the OSM example or the database register; plus a source label."""
    from geo.partners import io as partner_io

    if getattr(args, "osm_example", False):
        return partner_io.load_osm_example(), OSM_EXAMPLE_LABEL
    if getattr(args, "partners", None):
        result = partner_io.validate_partners(
            partner_io.read_table(Path(args.partners)), partner_io.PlaceIndex.from_units()
        )
        print_messages(result.messages)
        if not result.ok:
            raise UserFacingError(f"{args.partners}: {len(result.errors)} fout(en); er is niets berekend.")
        return result.partners, args.partners
    from geo.partners.store import load_partners
    from geo.store.access import cli_actor
    from geo.store.engine import get_engine

    partners = load_partners(get_engine(), cli_actor())
    if partners.empty:
        raise UserFacingError(
            "Het partnerregister is leeg: geef --partners <bestand> of --osm-example, of laad eerst partners "
            "met `python -m geo partners import <bestand>`."
        )
    return partners, "partnerregister"


# ---------------------------------------------------------------------------------------------- partners
def _check(args: argparse.Namespace) -> int:
    from geo.partners import io as partner_io

    result = partner_io.validate_partners(
        partner_io.read_table(Path(args.file)),
        partner_io.PlaceIndex.from_units(),
        fix_swapped=args.fix_swapped,
    )
    print_messages(result.messages)
    print(f"{result.n_rows} rij(en) gelezen, {len(result.partners)} geldig, {len(result.errors)} fout(en).")
    return 0 if result.ok else 1


def _import(args: argparse.Namespace) -> int:
    from geo.partners import io as partner_io
    from geo.partners import store as partner_store
    from geo.store.access import cli_actor
    from geo.store.engine import get_engine

    engine, actor = get_engine(), cli_actor()
    existing = None if args.replace else partner_store.load_partners(engine, actor)
    result = partner_io.validate_partners(
        partner_io.read_table(Path(args.file)),
        partner_io.PlaceIndex.from_units(),
        existing=existing,
        fix_swapped=args.fix_swapped,
    )
    print_messages(result.messages)
    if not result.ok:
        print(
            f"Niets opgeslagen: {len(result.errors)} fout(en). Het register is ongewijzigd.", file=sys.stderr
        )
        return 1
    if result.partners.empty:
        print(
            "Niets opgeslagen: het bestand bevat geen partners; het register is ongewijzigd.", file=sys.stderr
        )
        return 1
    now = partner_store.count_partners(engine, actor)
    for line in partner_io.preview(result, args.replace, now).lines():
        if not line.startswith("Let op:"):  # the confirmation is asked for below
            print(line)
    if args.replace:
        reason = partner_io.replacement_check(now, len(result.partners))
        if reason and not args.force:
            print(
                f"Niets opgeslagen: {reason} Herhaal met --force om het register toch te vervangen.",
                file=sys.stderr,
            )
            return 1
        n = partner_store.replace_partners(engine, result.partners, actor)
        print(f"Register vervangen: {n} partners (voordien {now}).")
    else:
        n = partner_store.append_partners(engine, result.partners, actor)
        print(f"{n} partners toegevoegd.")
    return 0


def _export(args: argparse.Namespace) -> int:
    from geo.partners import io as partner_io
    from geo.partners import store as partner_store
    from geo.store.access import cli_actor
    from geo.store.engine import get_engine

    partners = partner_store.load_partners(get_engine(), cli_actor())
    path = Path(args.file)
    data = (
        partner_io.export_xlsx(partners)
        if path.suffix.lower() == ".xlsx"
        else partner_io.export_csv(partners)
    )
    write_file(path, data)
    print(f"{len(partners)} partners.")
    return 0


def _coverage_inputs(args: argparse.Namespace):
    from geo.data import units

    partners, source = _partners_from(args)
    table = units.load_table(args.level, year=args.jaar, indicator=args.indicator)
    areas = args.areas or ("kolom:elz" if args.level == "wijk" else "kolom:elz57")
    mapping = cov.areas_for(areas, args.level, table, actor=caller())
    return partners, source, table, mapping


def _coverage(args: argparse.Namespace) -> int:
    from geo.cli.partner_planning import distances_from
    from geo.data import units

    partners, source, table, mapping = _coverage_inputs(args)
    types = args.type or sorted(partners["type"].unique())
    distances = distances_from(args)
    result = cov.partner_coverage(
        partners,
        table,
        mapping,
        args.distance,
        types,
        layer=units.load_layer(args.level),
        deprivation_weight=args.deprivation_weight,
        only_deprived=args.only_deprived,
        distances=distances,
    )
    result = pd.concat([result, cov.coverage_totals(result)], ignore_index=True)
    result["afstand"] = distances.describe()
    year, indicator = int(table["jaar"].iloc[0]), str(table["indicator"].iloc[0])
    result["bevolkingsjaar"] = year  # the export states the year of the young people, as the page's does
    shown = pd.DataFrame(
        {
            "gebied": result["gebied"],
            "type": result["type"],
            "partners": result["partners"],
            "doelgroep": result["doelgroep"].map(nl.number),
            "gedekt": result["aandeel_gedekt"].map(lambda v: nl.percent(v * 100)),
        }
    )
    print(
        f"Dekking binnen {nl.number(args.distance)} m ({distances.describe()}), vraagpunten: "
        f"{args.level}-centra, partners: {source}."
    )
    print(units.counts_note(year, indicator, args.level))
    show(shown)
    holes = cov.gaps(result[result["gebied"] != "Totaal"], args.min_share)
    print(f"\n{len(holes)} tekort(en) (dekking onder {nl.percent(args.min_share * 100, 0)} of geen partner).")
    write_table(result, args.out)
    return 0


# ---------------------------------------------------------------------------------------------- parsers
def _coverage_options(p: argparse.ArgumentParser) -> None:
    src = p.add_mutually_exclusive_group()
    src.add_argument("--partners", help="partnerbestand (CSV/XLSX); standaard het register in de databank")
    src.add_argument("--osm-example", action="store_true", help="OSM 2015-voorbeeldpunten (onvolledig)")
    p.add_argument(
        "--level",
        "--niveau",
        choices=DEMAND_LEVELS,
        default="wijk",
        help="vraagpunten: wijk- of gemeentecentra",
    )
    p.add_argument(
        "--areas",
        default=None,
        help="gebiedsindeling: kolom:<ouder>, ref:<sleutel>, db:<id> (standaard de eerstelijnszones)",
    )
    p.add_argument("--distance", "--afstand", type=non_negative, default=2000.0, help="afstand in meter")
    p.add_argument(
        "--roads", help="wegennet (GeoPackage, GeoJSON of gezipte shapefile): afstanden over de weg"
    )
    p.add_argument(
        "--deprivation-weight", type=non_negative, default=0.0, help="extra gewicht per kansarme jongere"
    )
    p.add_argument("--only-deprived", action="store_true", help="enkel kansarme -25-jarigen tellen")
    add_count_options(p)
    p.add_argument("--uit", "--out", dest="out", metavar="BESTAND", help="resultaat als CSV of XLSX")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("partners", help="partnerregister, dekking en waar partners ontbreken")
    s = p.add_subparsers(dest="partners_command", required=True)

    c = s.add_parser("check", help="een partnerbestand controleren (meldingen per rij)")
    c.add_argument("file", help="partnerbestand (CSV/XLSX)")
    c.add_argument("--fix-swapped", action="store_true", help="omgewisselde lat/lon of x/y verbeteren")
    c.set_defaults(func=_check)

    i = s.add_parser("import", help="partners uit een bestand in het register zetten (alles of niets)")
    i.add_argument("file", help="partnerbestand (CSV/XLSX)")
    i.add_argument("--replace", action="store_true", help="het register vervangen in plaats van aanvullen")
    i.add_argument(
        "--force", action="store_true", help="ook vervangen als het register daardoor minder partners telt"
    )
    i.add_argument("--fix-swapped", action="store_true", help="omgewisselde lat/lon of x/y verbeteren")
    i.set_defaults(func=_import)

    e = s.add_parser("export", help="het register naar CSV of XLSX")
    e.add_argument("file", help="uitvoerbestand .csv of .xlsx")
    e.set_defaults(func=_export)

    v = s.add_parser("coverage", help="dekking per gebied en partnertype")
    _coverage_options(v)
    v.add_argument("--type", action="append", choices=PARTNER_TYPES, help="partnertype (herhaalbaar)")
    v.add_argument("--min-share", type=fraction, default=0.8, help="drempel voor een tekort (0-1)")
    v.set_defaults(func=_coverage)

    from geo.cli.partner_planning import add_commands

    add_commands(s, _coverage_options)
