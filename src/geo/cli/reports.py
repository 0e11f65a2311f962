"""`python -m geo division dossier ...` and `python -m geo division scorecard ...`: the decision dossier of
one division as a PDF (and its tables as XLSX), and several divisions side by side on one scorecard."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from geo import fmt as nl
from geo.cli.options import add_count_options, add_division_level, count_line, non_negative, number
from geo.cli.output import write_file
from geo.errors import UserFacingError


def _partners(args: argparse.Namespace):
    """Partners from `--partners FILE`, `--osm-example`, or the caller's register when it has any (else
    None; a register that cannot be read is named and left out, as the caseload is)."""
    if args.partners or args.osm_example:
        from geo.cli.partners import _partners_from

        return _partners_from(args)[0]
    import sqlalchemy as sa

    from geo import faults
    from geo.partners.store import load_partners
    from geo.store.access import cli_actor
    from geo.store.engine import get_engine

    try:
        partners = load_partners(get_engine(), cli_actor())
    except (UserFacingError, sa.exc.SQLAlchemyError) as exc:
        print(f"Let op: partnerregister niet gelezen ({faults.message(exc)}).")
        return None
    return partners if len(partners) else None


def _caseload():
    """The stored caseload of the caller's workspace: (cases, level), or (None, None)."""
    from geo.caseload.store import load_caseload
    from geo.store.access import cli_actor

    try:
        stored = load_caseload(cli_actor())
    except UserFacingError as exc:
        print(f"Let op: caseload niet gelezen ({exc}).")
        return None, None
    return (stored.cases, stored.level) if stored is not None else (None, None)


#: `--vte` without a number: the staff per area without a total (argparse converts a text const, not this)
_FTE_WITHOUT_TOTAL = object()


def dossier_options(args: argparse.Namespace, division):
    from geo.budget import transition
    from geo.cli.division import gate_settings
    from geo.divisions.metrics import UnitData
    from geo.reports.dossier import DossierOptions

    args.file = args.division
    settings = gate_settings(args, division, UnitData.load(division.level, args.jaar, args.indicator))
    reference = None if args.referentie is None else ("" if args.referentie == "geen" else args.referentie)
    cases, cases_level = _caseload()
    params = None
    if args.gewicht is not None or args.totaal is not None:
        from geo.reports.figures import default_params

        params = default_params(division.level, args.gewicht, args.totaal)
    return DossierOptions(
        params=params,
        settings=settings,
        reference=reference,
        fte=args.vte is not None,
        fte_total=None if args.vte in (None, _FTE_WITHOUT_TOTAL) else args.vte,
        transition_years=args.overgang,
        transition_start=args.start,
        floor_pct=args.min_verandering if args.min_verandering is not None else transition.DEFAULT_FLOOR_PCT,
        cap_pct=args.max_verandering if args.max_verandering is not None else transition.DEFAULT_CAP_PCT,
        first_year=args.eerste_jaar,
        partners=_partners(args),
        distance_m=args.afstand,
        cases=cases,
        cases_level=cases_level,
        year=args.jaar,
        indicator=args.indicator,
    )


def _check_suffix(path: Path, suffix: str, what: str) -> Path:
    """``path`` when it ends in ``suffix``; else a Dutch error before anything is built."""
    if path.suffix.lower() != suffix:
        raise UserFacingError(f"{what}: geef een bestandsnaam die eindigt op {suffix} ({path.name}).")
    return path


def _dossier(args: argparse.Namespace) -> int:
    from geo.cli.division import InvalidFile, load_division
    from geo.reports import dossier, pdf

    started = time.perf_counter()
    try:
        division = load_division(args.division, args.level)
    except InvalidFile as exc:
        print(str(exc))
        return 1
    actor = None
    if division.meta.db_id is not None:
        from geo.store.access import cli_actor

        actor = cli_actor()
    out = _check_suffix(
        Path(args.uit or dossier.file_name(division, "pdf")), ".pdf", "Het dossier is een PDF"
    )
    tables = (
        _check_suffix(Path(args.xlsx), ".xlsx", "--xlsx schrijft een Excel-bestand") if args.xlsx else None
    )
    options = dossier_options(args, division)
    print(count_line(args, division.level))
    built = dossier.build(division, options, actor=actor)
    write_file(out, pdf.render(built))
    if tables is not None:
        write_file(tables, dossier.xlsx_bytes(built))
    seconds = nl.number(time.perf_counter() - started, 1)
    print(
        f"Dossier van '{division.name}': {len(built.parts)} delen, {len(division.areas)} gebieden "
        f"({seconds} s)."
    )
    return 0


def _scorecard(args: argparse.Namespace) -> int:
    from geo.cli.division import InvalidFile, load_division
    from geo.reports import scorecard

    out = _check_suffix(Path(args.uit), ".xlsx", "De scorecard is een Excel-bestand") if args.uit else None
    try:
        divisions = [load_division(spec, args.level) for spec in args.divisions]
    except InvalidFile as exc:
        print(str(exc))
        return 1
    cases, cases_level = _caseload()
    from geo.reports.figures import params_by_level

    params = params_by_level({d.level for d in divisions}, args.gewicht, args.totaal)
    card = scorecard.build(
        divisions, scorecard.ScorecardOptions(params_by_level=params, partners=_partners(args),
                                              distance_m=args.afstand, cases=cases, cases_level=cases_level,
                                              year=args.jaar, indicator=args.indicator),
    )  # fmt: skip
    levels = {d.level for d in divisions}
    print(count_line(args, levels.pop() if len(levels) == 1 else None))  # one level: its own note
    print(card.text_table().to_string(index=False))
    print("* = beste waarde van de rij.")
    if out is not None:
        write_file(out, scorecard.xlsx_bytes(card))
    return 0


def _partner_options(c: argparse.ArgumentParser) -> None:
    c.add_argument(
        "--gewicht", type=non_negative, help="gewicht a van de kansarmoedecorrectie (standaard 0,2)"
    )
    c.add_argument("--totaal", type=non_negative, help="totaal budget in euro (standaard € 23.999.998)")
    c.add_argument(
        "--partners", help="partnerbestand (CSV/XLSX); standaard het partnerregister als er een is"
    )
    c.add_argument("--osm-example", action="store_true", help="de OpenStreetMap-voorbeeldpartners (2015)")
    c.add_argument(
        "--afstand",
        "--distance",
        type=non_negative,
        default=2000.0,
        help="bereik van een partner in meter (2000)",
    )
    add_count_options(c)


def register(s: argparse._SubParsersAction) -> None:
    """Add `dossier` and `scorecard` to the `division` command group."""
    from geo.budget import transition
    from geo.cli.division import _add_gate_options
    from geo.divisions.references import REFERENCES

    d = s.add_parser("dossier", help="beslissingsdossier als PDF (kaart, cijfers, controle, budget, bronnen)")
    d.add_argument(
        "division",
        help="CSV/XLSX/GeoJSON met unit_code,area; of ref:<sleutel>, db:<naam>, db:<naam>@<versie>",
    )
    d.add_argument(
        "--uit",
        "--out",
        dest="uit",
        metavar="BESTAND",
        help="PDF-bestand (standaard dossier_<naam>_<datum>.pdf)",
    )
    d.add_argument("--xlsx", help="schrijf dezelfde tabellen ook naar dit XLSX-bestand")
    add_division_level(d, "niveau van de codes")
    d.add_argument(
        "--referentie",
        help=f"ingebouwde indeling om mee te vergelijken ({', '.join(REFERENCES)}) of 'geen'",
    )
    d.add_argument(
        "--vte",
        nargs="?",
        const=_FTE_WITHOUT_TOTAL,
        type=non_negative,
        help="personeel per gebied volgens behoefte; optioneel totaal",
    )
    d.add_argument(
        "--overgang", type=int, metavar="JAREN", help="overgangspad naar de formule in zoveel jaar"
    )
    d.add_argument(
        "--start",
        choices=[transition.START_2021, transition.START_EQUAL],
        help="vertrekpunt van het overgangspad (standaard 2021 voor de 16 SWV's, anders gelijk)",
    )
    d.add_argument("--min-verandering", type=number, help="grootste daling per jaar in %% (standaard -5)")
    d.add_argument("--max-verandering", type=number, help="grootste stijging per jaar in %% (standaard 5)")
    d.add_argument("--eerste-jaar", type=int, help="kalenderjaar van het eerste overgangsjaar")
    _partner_options(d)
    _add_gate_options(d)
    d.set_defaults(func=_dossier)
    k = s.add_parser("scorecard", help="2 tot 5 indelingen naast elkaar op dezelfde cijfers")
    k.add_argument(
        "divisions",
        nargs="+",
        help="2 tot 5 indelingen (bestand, ref:<sleutel>, db:<naam>, db:<naam>@<versie>)",
    )
    add_division_level(k, "niveau van de codes in bestanden")
    k.add_argument(
        "--uit", "--out", dest="uit", metavar="BESTAND", help="schrijf de scorecard naar dit XLSX-bestand"
    )
    _partner_options(k)
    k.set_defaults(func=_scorecard)
