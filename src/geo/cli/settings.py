"""`python -m geo instelling …`: the workspace's saved budget settings, to list and inspect them.

Examples::

    python -m geo instelling lijst
    python -m geo instelling toon "Voorstel stuurgroep"
    python -m geo allocate --instelling "Voorstel stuurgroep" --uit voorstel.xlsx

On a team server `GEO_USER` says who asks and `--werkruimte` (or `GEO_WERKRUIMTE`) which workspace; the role
lezer is enough.
"""

from __future__ import annotations

import argparse
import json

from geo import fmt
from geo.settings import formula
from geo.settings import store as settings_store
from geo.store.access import cli_actor


def _list(args: argparse.Namespace) -> int:
    actor = cli_actor(args.werkruimte)
    table = settings_store.list_formulas(actor)
    if table.empty:
        print(f"Werkruimte {actor.workspace} heeft nog geen bewaarde budgetinstellingen.")
        return 0
    for row in table.itertuples(index=False):
        mark = " (standaard)" if row.standaard else ""
        when = fmt.local_time(row.bewaard)  # stored in UTC, shown in Belgian time as everywhere
        state = "" if row.bruikbaar else "NIET BRUIKBAAR: "
        print(f"{row.naam}{mark} — bewaard {when} door {row.door}\n    {state}{row.samenvatting}")
    print(f"{len(table)} instelling(en). Rekenen: python -m geo allocate --instelling <naam>")
    return 0


def _show(args: argparse.Namespace) -> int:
    actor = cli_actor(args.werkruimte)
    saved = settings_store.open_formula(actor, args.naam)
    print(formula.summary(saved))
    print(json.dumps(saved.payload(), ensure_ascii=False, indent=2))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "instelling",
        help="bewaarde budgetinstellingen van de werkruimte bekijken",
        description="De budgetinstellingen die op de pagina Budget bewaard zijn. Rekenen met een instelling: "
        "python -m geo allocate --instelling <naam>.",
    )
    commands = p.add_subparsers(dest="instelling_command", required=True)
    lst = commands.add_parser("lijst", help="alle bewaarde budgetinstellingen")
    lst.add_argument("--werkruimte", default=None, help="werkruimte (teamserver)")
    lst.set_defaults(func=_list)
    show = commands.add_parser("toon", help="de keuzes van één instelling")
    show.add_argument("naam", help="naam van de instelling")
    show.add_argument("--werkruimte", default=None, help="werkruimte (teamserver)")
    show.set_defaults(func=_show)
