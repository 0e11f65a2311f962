"""`python -m geo team check|init|workspaces|members|member|remove|audit`: run and administer a team server.

On a team server the command line says who is calling with ``GEO_USER`` (an e-mail address) and in which
workspace with ``--werkruimte`` (or ``GEO_WERKRUIMTE``); every change is checked against that user's role
and written to the audit trail, exactly as in the app. Locally the single local user acts in ``lokaal``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import sqlalchemy as sa

from geo.cli.output import write_file
from geo.errors import UserFacingError
from geo.store import access, audit, config, workspaces
from geo.store.engine import get_engine


def _check(args: argparse.Namespace) -> int:
    settings = config.active()
    config.check_startup(settings)
    if not settings.team:
        print("Modus: lokaal (één gebruiker, SQLite, geen aanmelding). Niets in te stellen.")
        return 0
    try:
        engine = get_engine()
        with engine.connect():
            pass
    except sa.exc.SQLAlchemyError as exc:
        raise UserFacingError(
            f"De databank is niet bereikbaar: {str(getattr(exc, 'orig', exc))[:200]}"
        ) from exc
    print(f"Modus: teamserver ({settings.source}).")
    print(f"Aanmelding: {settings.auth.get('server_metadata_url')}")
    print(f"Databank: {engine.url.render_as_string(hide_password=True)} (bereikbaar)")
    print(f"Beheerders uit het instellingenbestand: {', '.join(settings.admins) or 'geen'}")
    return 0


def _init(args: argparse.Namespace) -> int:
    config.check_startup(config.active())
    created = workspaces.ensure_workspaces()
    print(f"{created} werkruimte(n) aangemaakt; {len(workspaces.workspace_names())} in totaal.")
    return 0


def _workspaces(args: argparse.Namespace) -> int:
    names = workspaces.workspace_names()
    if not names:
        print("Nog geen werkruimten: voer `python -m geo team init` uit.")
    for wid, name in names.items():
        print(f"{wid};{name}")
    return 0


def _members(args: argparse.Namespace) -> int:
    frame = workspaces.list_members(access.cli_actor(args.werkruimte))
    if frame.empty:
        print("Geen leden.")
    for row in frame.itertuples(index=False):
        print(f"{row.email};{row.role}")
    return 0


def _member(args: argparse.Namespace) -> int:
    result = workspaces.set_member(access.cli_actor(args.werkruimte), args.email, args.rol)
    print(f"{access.normalise_email(args.email)}: {result} ({args.rol}).")
    return 0


def _remove(args: argparse.Namespace) -> int:
    workspaces.remove_member(access.cli_actor(args.werkruimte), args.email)
    print(f"{access.normalise_email(args.email)} verwijderd.")
    return 0


def _audit(args: argparse.Namespace) -> int:
    frame = audit.read(access.cli_actor(args.werkruimte), all_workspaces=args.alle)
    table = audit.export_table(frame)
    if args.uit:
        from geo import exports

        out = Path(args.uit)
        if out.suffix.lower() == ".xlsx":
            write_file(out, exports.xlsx_bytes([exports.Sheet("auditlogboek", table)]))
        else:
            write_file(out, exports.csv_bytes(table))
        print(f"{len(table)} regels.")
    else:
        table.to_csv(sys.stdout, sep=";", index=False)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("team", help="teamserver: instellingen, werkruimten, leden, auditlogboek")
    s = p.add_subparsers(dest="team_command", required=True)
    s.add_parser("check", help="controleer modus, aanmelding en databank").set_defaults(func=_check)
    s.add_parser("init", help="maak de werkruimten aan (16 netwerken en nationaal)").set_defaults(func=_init)
    s.add_parser("workspaces", help="alle werkruimten (id;naam)").set_defaults(func=_workspaces)

    def with_workspace(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
        parser.add_argument("--werkruimte", help="id van de werkruimte (of GEO_WERKRUIMTE)")
        return parser

    with_workspace(s.add_parser("members", help="leden van een werkruimte")).set_defaults(func=_members)
    m = with_workspace(s.add_parser("member", help="voeg een lid toe of wijzig de rol (beheerder)"))
    m.add_argument("email", help="e-mailadres van het lid")
    m.add_argument("rol", choices=access.ROLES, help="rol in de werkruimte")
    m.set_defaults(func=_member)
    r = with_workspace(s.add_parser("remove", help="verwijder een lid (beheerder)"))
    r.add_argument("email", help="e-mailadres van het lid")
    r.set_defaults(func=_remove)
    a = with_workspace(s.add_parser("audit", help="het auditlogboek (beheerder) als CSV of XLSX"))
    a.add_argument("--alle", action="store_true", help="alle werkruimten (beheerders van de nationale)")
    a.add_argument(
        "--uit",
        "--out",
        dest="uit",
        metavar="BESTAND",
        help="bestand (.csv of .xlsx); anders naar het scherm",
    )
    a.set_defaults(func=_audit)
