"""`python -m geo caseload summary|example`: load per area from aggregated registrations (a file or the
generated example), masked like the page; example data for demos.

Areas are named like elsewhere: ``kolom:<parent>``, ``ref:<key>`` or ``db:<id or name>``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from geo import fmt as nl
from geo.cli.options import non_negative
from geo.cli.output import caller, print_messages, show, write_table
from geo.data import units
from geo.errors import UserFacingError
from geo.partners import coverage as cov

CASE_LEVELS = {"postcode": "postcode_antwerpen", "wijk": "wijk", "gemeente": "gemeente"}


def _cases(
    args: argparse.Namespace, table: pd.DataFrame, level: str, mapping: dict[str, str]
) -> pd.DataFrame:
    from geo.caseload import cases as cl
    from geo.caseload.example import example_caseload
    from geo.caseload.io import read_caseload
    from geo.divisions.io import successors_of_level

    if args.example:
        print(f"Let op: {cl.EXAMPLE_LABEL} (seed {args.seed}).")
        return example_caseload(table, mapping, months=args.months, seed=args.seed)
    if not args.file:
        raise UserFacingError("Geef een bestand met aanmeldingen of --example.")
    path = Path(args.file)
    if not path.is_file():
        raise UserFacingError(f"Bestand niet gevonden: {args.file}.")
    result = cl.validate_caseload(
        read_caseload(path),
        {level: table["code"].astype(str)},
        level=level,
        areas=set(mapping.values()),
        successors={level: successors_of_level(level)},
    )
    if result.level and result.level != level:
        flag = {v: k for k, v in CASE_LEVELS.items()}.get(result.level, result.level)
        raise UserFacingError(f"Het bestand heeft eenheden op niveau {result.level}; geef --level {flag}.")
    print_messages(result.messages)
    if not result.ok:
        raise UserFacingError(f"{args.file}: {len(result.errors)} fout(en); er is niets berekend.")
    return result.cases


def _population_line(level: str, year: int) -> str:
    """Where the young people of the rates come from (year, source, what is estimated on ``level``)."""
    if level == "postcode_antwerpen":
        return units.TABEL8_NOTE
    if not units.ages_estimated(level):
        return f"Jongeren onder 25 op 1 januari {year} (Statbel)."
    sectors = (
        "sectorbevolking"
        if year in units.SECTOR_YEARS
        else f"sectorverdeling van 2019 herschaald naar {year}"
    )
    return (
        f"Jongeren onder 25 op 1 januari {year} (Statbel; per wijk: {sectors} x leeftijdsverdeling van de "
        "gemeente, schatting)."
    )


def _summary(args: argparse.Namespace) -> int:
    from geo.caseload import cases as cl
    from geo.caseload.example import example_capacity
    from geo.caseload.io import read_capacity_file
    from geo.caseload.published import publish, summary_columns
    from geo.exports import MASK_HIDDEN, MASK_SMALL

    level = CASE_LEVELS[args.level]
    table = cl.load_case_units(level, args.jaar)
    areas = args.areas or ("ref:wcp_postcode" if level == "postcode_antwerpen" else "kolom:elz57")
    mapping = cov.areas_for(areas, level, units.load_table(level), actor=caller())
    cases = _cases(args, table, level, mapping)
    capacity: dict[str, float] = {}
    if args.capacity:
        capacity, msgs = cl.read_capacity(read_capacity_file(Path(args.capacity)), set(mapping.values()))
        print_messages(msgs)
        if any(m.level == "fout" for m in msgs):
            raise UserFacingError(f"{args.capacity}: fouten in de capaciteit; er is niets berekend.")
    elif args.example:
        capacity = example_capacity(table, mapping, seed=args.seed)
    population = dict(zip(table["code"].astype(str), table["pop_0_24"].astype(float), strict=True))
    year = int(table["jaar"].iloc[0])  # Antwerp postcodes: always 2019 (Tabel 8)
    print(_population_line(level, year))
    pub = publish(
        cases, mapping, population, capacity, args.threshold, mask=not args.no_mask, population_year=year
    )
    masked = pub.summary

    def num(v, d=0):
        return v if isinstance(v, str) else nl.number(v, d)

    show(
        pd.DataFrame(
            {
                "gebied": masked["gebied"],
                "aanmeldingen": masked["aanmeldingen"].map(num),
                f"per 1.000 -25 ({year}) per jaar": masked["per_1000"].map(lambda v: num(v, 1)),
                "behandeld": masked["behandeld"].map(num),
                "vte": masked["vte"].map(lambda v: num(v, 1)),
                "per vte per maand": masked["per_vte_per_maand"].map(lambda v: num(v, 1)),
                "overbelast": masked["overbelast"].map(
                    lambda v: v if isinstance(v, str) else ("JA" if v else "")
                ),
            }
        )
    )
    print(f"\nTotaal: {num(pub.total)} aanmeldingen in {pub.months} maand(en).")
    if args.no_mask:
        print("Masker uit: ook aantallen van 1 tot 4 staan er.")
    else:
        print(
            f"Aantallen 1-4 gemaskeerd als '{MASK_SMALL}'; '{MASK_HIDDEN}' = verborgen zodat een gemaskeerd "
            "aantal niet terug te rekenen is."
        )
    if pub.without_area != 0:
        print(f"{num(pub.without_area)} aanmeldingen uit eenheden zonder gebied.")
    write_table(masked, args.out, summary_columns(year), sheet="caseload per gebied")
    return 0


def _example(args: argparse.Namespace) -> int:
    from geo.caseload.cases import load_case_units
    from geo.caseload.example import example_caseload

    level = CASE_LEVELS[args.level]
    table = load_case_units(level)
    mapping = cov.areas_for(args.areas, level, units.load_table(level), actor=caller()) if args.areas else {}
    from geo.caseload.io import CASE_EXPORT_COLUMNS

    cases = example_caseload(table, mapping, months=args.months, seed=args.seed)
    cases = cases.rename(columns={"eenheid": args.level})
    columns = [CASE_EXPORT_COLUMNS[c] for c in cases.columns if c in CASE_EXPORT_COLUMNS]
    write_table(cases[[c.key for c in columns]], args.out, columns, sheet="aanmeldingen")
    print(f"{len(cases)} rijen voorbeelddata ({nl.number(cases['aanmeldingen'].sum())} aanmeldingen).")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    q = sub.add_parser("caseload", help="aanmeldingen per gebied (enkel geaggregeerde aantallen)")
    qs = q.add_subparsers(dest="caseload_command", required=True)
    m = qs.add_parser("summary", help="belasting per gebied: per 1.000 jongeren, per VTE, overbelasting")
    m.add_argument("file", nargs="?", help="CSV/XLSX met eenheid, maand, aanmeldingen")
    m.add_argument("--example", action="store_true", help="voorbeelddata gebruiken")
    m.add_argument(
        "--level",
        "--niveau",
        choices=list(CASE_LEVELS),
        default="gemeente",
        help="niveau van de eenheden (standaard gemeente)",
    )
    m.add_argument(
        "--areas",
        default=None,
        help="gebiedsindeling: kolom:<ouder>, ref:<sleutel>, db:<id> (standaard kolom:elz57; voor postcodes "
        "ref:wcp_postcode)",
    )
    m.add_argument("--capacity", help="CSV/XLSX met gebied, vte")
    m.add_argument(
        "--threshold", type=non_negative, default=None, help="overbelast boven zoveel per VTE per maand"
    )
    m.add_argument("--no-mask", action="store_true", help="aantallen onder 5 niet maskeren")
    m.add_argument("--months", type=int, default=12, help="maanden voorbeelddata")
    m.add_argument("--seed", type=int, default=1, help="seed voor de voorbeelddata")
    m.add_argument(
        "--jaar",
        type=int,
        default=None,
        help=f"bevolkingsjaar van de jongeren (1 januari): {', '.join(map(str, units.YEARS))}; standaard het "
        f"laatste ({units.DEFAULT_YEAR}); postcodes Groot Antwerpen altijd 2019 (Tabel 8)",
    )
    m.add_argument("--uit", "--out", dest="out", metavar="BESTAND", help="resultaat als CSV of XLSX")
    m.set_defaults(func=_summary)
    x = qs.add_parser("example", help="voorbeelddata schrijven (geen echte aanmeldingen)")
    x.add_argument("out", help="uitvoerbestand .csv of .xlsx")
    x.add_argument(
        "--level",
        "--niveau",
        choices=list(CASE_LEVELS),
        default="gemeente",
        help="niveau van de eenheden (standaard gemeente)",
    )
    x.add_argument("--areas", default=None, help="gebiedsindeling voor doorverwijzingen")
    x.add_argument("--months", type=int, default=12, help="aantal maanden (standaard 12)")
    x.add_argument("--seed", type=int, default=1, help="seed: dezelfde seed geeft dezelfde data")
    x.set_defaults(func=_example)
