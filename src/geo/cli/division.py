"""`python -m geo division check|compare|list`: check a division file, compare two divisions.

A division is named by a file path (CSV, XLSX or GeoJSON with `unit_code,area`), `ref:<key>` for a
built-in reference division (see `list`) or `db:<name or id>` for a stored one.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from geo import fmt as nl
from geo.divisions import io as division_io
from geo.divisions import store as division_store
from geo.divisions.compare import compare
from geo.divisions.division import Division
from geo.divisions.metrics import LABELS, AreaMetrics, Band, UnitData, display_table
from geo.divisions.references import REFERENCES, reference_division
from geo.errors import UserFacingError


class InvalidFile(UserFacingError):
    """The file has row errors (already printed)."""


def load_division(spec: str, level: str | None = None, scope: str = "niveau") -> Division:
    """A division from a path, `ref:<key>` or `db:<name or id>`; prints import messages."""
    if spec.startswith("ref:"):
        return reference_division(spec[4:])
    if spec.startswith("db:"):
        return division_store.open_division(spec[3:])
    path = Path(spec)
    if not path.is_file():
        raise UserFacingError(f"Bestand niet gevonden: {spec} (of gebruik ref:<sleutel> of db:<naam>).")
    content = path.read_bytes()
    if level is None:
        level = _guess_level(content, path.name)
    result = division_io.import_division(content, path.name, level, path.stem, scope=scope)
    for w in result.warnings:
        print(f"Let op: {w}")
    if not result.ok:
        for e in result.errors:
            print(f"Fout: {e}")
        raise InvalidFile(f"{path.name}: {len(result.errors)} fout(en); er is niets ingelezen.")
    return result.division


def _guess_level(content: bytes, filename: str) -> str:
    frame, _ = division_io.read_table(content, filename)
    col = division_io._pick_column(frame.columns, division_io.CODE_COLUMNS)
    level = division_io.detect_level(frame[col]) if col is not None else None
    if level is None:
        raise UserFacingError("Het niveau van de codes is niet te herkennen: geef het op met --level.")
    print(f"Niveau herkend: {division_io.LEVEL_NAMES.get(level, level)}")
    return level


def _check(args: argparse.Namespace) -> int:
    try:
        division = load_division(args.file, args.level, args.scope)
    except InvalidFile as exc:
        print(str(exc))
        return 1
    data = UnitData.load(division.level)
    band = Band(args.balance, args.min, args.max) if args.min is not None or args.max is not None else None
    metrics = AreaMetrics(data, division)
    table = metrics.table(band, balance=args.balance)
    summary = metrics.summary(args.balance)
    print(
        f"Indeling '{division.name}': {summary.n_areas} gebieden, {summary.n_assigned} van "
        f"{summary.n_units} eenheden toegewezen (niveau {division.level})."
    )
    if data.estimated:
        print("Let op: de cijfers per eenheid zijn schattingen op dit niveau.")
    print(display_table(table).drop(columns=[LABELS["uitzondering"]]).to_string(index=False))
    ratio = nl.number(summary.max_min_ratio, 2) if summary.max_min_ratio else "–"
    cv = nl.percent(100 * summary.cv) if summary.cv is not None else "–"
    print(
        f"\n{LABELS.get(args.balance, args.balance)}: verhouding grootste/kleinste {ratio}, "
        f"variatiecoëfficiënt {cv}."
    )
    for note in summary.exceptions:
        print(f"Gekende uitzondering: {note}.")
    problems = summary.problems
    if band is not None:
        outside = table.loc[table["band"] != "binnen", "gebied"].tolist()
        if outside:
            problems.append(f"Buiten de doelband: {', '.join(outside)}.")
    for p in problems:
        print(f"Aandachtspunt: {p}")
    if not problems:
        print("Geen aandachtspunten.")
    if args.csv:
        table.to_csv(args.csv, index=False)
        print(f"Tabel geschreven naar {args.csv}")
    return 1 if args.strict and problems else 0


def _compare(args: argparse.Namespace) -> int:
    try:
        a = load_division(args.a, args.level)
        b = load_division(args.b, args.level or a.level)
    except InvalidFile as exc:
        print(str(exc))
        return 1
    result = compare(UnitData.load(a.level), a, b)
    print(
        f"A = '{a.name}' ({len(a.areas)} gebieden), B = '{b.name}' ({len(b.areas)} gebieden), "
        f"niveau {a.level}."
    )
    m = result.matches
    out = pd.DataFrame(
        {
            "Gebied A": m["gebied_a"].fillna("–"),
            "Gebied B": m["gebied_b"].fillna("–"),
            "Inwoners A": m["inwoners_a"].map(nl.number),
            "Inwoners B": m["inwoners_b"].map(nl.number),
            "Δ inwoners": m["delta_inwoners"].map(nl.number),
        }
    )
    if "delta_pop_0_24" in m:
        out["Δ jongeren 0-24"] = m["delta_pop_0_24"].map(nl.number)
    if "delta_budget_eur" in m:
        out["Δ budget"] = m["delta_budget_eur"].map(nl.euro)
    print(out.to_string(index=False))
    moved = result.moved
    print(f"\n{len(moved)} eenheden van gebied veranderd.")
    if moved and args.show_units:
        print(result.units[result.units["gewijzigd"]].to_string(index=False))
    print(
        "Aandeel jongeren 0-24 dat in het overeenkomende gebied blijft: "
        f"{nl.percent(100 * result.kept_share)}."
    )
    return 0


def _list(args: argparse.Namespace) -> int:
    print("Ingebouwde indelingen (ref:<sleutel>):")
    for key, ref in REFERENCES.items():
        print(f"  ref:{key:18} {ref.title} [{ref.level}]")
    stored = division_store.list_divisions()
    print("Opgeslagen indelingen (db:<naam>):" if len(stored) else "Geen opgeslagen indelingen.")
    for row in stored.itertuples():
        print(f"  db:{row.name}  [{row.level}, {row.n_areas} gebieden, versie {row.version}]")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("division", help="indelingen controleren en vergelijken")
    s = p.add_subparsers(dest="division_command", required=True)
    c = s.add_parser("check", help="cijfers per gebied en aandachtspunten van een indeling")
    c.add_argument("file", help="CSV/XLSX/GeoJSON met unit_code,area; of ref:<sleutel>, db:<naam>")
    c.add_argument(
        "--level", choices=list(division_io.LEVEL_NAMES), help="niveau van de codes (anders herkend)"
    )
    c.add_argument("--scope", choices=["niveau", "bestand"], default="niveau",
                   help="alle eenheden van het niveau (standaard) of enkel die in het bestand")  # fmt: skip
    c.add_argument(
        "--balance", default="inwoners", help="kolom voor afwijking en doelband (standaard inwoners)"
    )
    c.add_argument("--min", type=float, help="ondergrens van de doelband")
    c.add_argument("--max", type=float, help="bovengrens van de doelband")
    c.add_argument("--csv", help="schrijf de tabel per gebied naar dit CSV-bestand")
    c.add_argument("--strict", action="store_true", help="exitcode 1 bij aandachtspunten")
    c.set_defaults(func=_check)
    v = s.add_parser("compare", help="twee indelingen vergelijken (gebieden gekoppeld op overlap)")
    v.add_argument("a")
    v.add_argument("b")
    v.add_argument("--level", choices=list(division_io.LEVEL_NAMES))
    v.add_argument("--show-units", action="store_true", help="toon de verschoven eenheden")
    v.set_defaults(func=_compare)
    s.add_parser("list", help="ingebouwde en opgeslagen indelingen").set_defaults(func=_list)
