"""`python -m geo division ...`: check a division against the 1G1P rules, compare two divisions, and the
version history of stored divisions (history, status, restore, comments, rules).

A division is named by a file path (CSV, XLSX or GeoJSON with `unit_code,area`), `ref:<key>` for a
built-in reference division (see `list`) or `db:<name or id>` for a stored one. `check` prints the
figures per area and the findings of the validity gate (`geo.divisions.validity`), the same list as the
editor's check panel, and exits with 1 when a rule is broken. Commands that change a stored division
record who made the change (`geo.store.access.cli_actor`: the login name, or GEO_USER on a team server)
and accept `--expect VERSIE` as a check that nobody changed it in between. `import` stores a file as a
new division, or with `--vervang` replaces a stored division's assignment (fewer units assigned than
before needs `--force`).
"""

from __future__ import annotations

import argparse
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd

from geo import fmt as nl
from geo.cli.options import add_count_options, add_division_level, count_line, number
from geo.cli.output import write_file
from geo.divisions import io as division_io
from geo.divisions import store as division_store
from geo.divisions import validity
from geo.divisions.compare import compare
from geo.divisions.division import Division
from geo.divisions.metrics import LABELS, AreaMetrics, Band, UnitData, display_table
from geo.divisions.references import REFERENCES, reference_division
from geo.divisions.validity import GateSettings
from geo.errors import UserFacingError
from geo.store.access import cli_actor


class InvalidFile(UserFacingError):
    """The file has row errors (already printed)."""


_VERSION_SUFFIX = re.compile(r"^(?P<key>.+)@(?P<version>\d+)$")


def load_division(spec: str, level: str | None = None, scope: str = "niveau") -> Division:
    """A division from a path, `ref:<key>`, `db:<name or id>` or one stored version `db:<name>@<n>` (e.g.
    the vastgesteld one); prints import messages."""
    if spec.startswith("ref:"):
        return reference_division(spec[4:])
    if spec.startswith("db:"):
        key = spec[3:]
        found = _VERSION_SUFFIX.match(key)
        try:
            return division_store.open_division(key, actor=cli_actor())
        except UserFacingError:
            if not found:  # a name that itself ends in @<n> is still found first
                raise
        return division_store.open_version(found["key"], int(found["version"]), actor=cli_actor())
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
    table = division_io.read_table(content, filename)
    if "code" not in table.frame:
        message = table.missing_message()
        raise InvalidFile(f"{filename}: {message.text if message else 'geen kolom met codes'}")
    level = division_io.detect_level(table.frame["code"])
    if level is None:
        raise UserFacingError(
            "Het niveau van de codes is niet te herkennen (minder dan de helft van de codes bestaat op één "
            f"niveau): geef het op met --level ({', '.join(division_io.LEVEL_NAMES)})."
        )
    print(f"Niveau herkend: {division_io.LEVEL_NAMES.get(level, level)}")
    return level


def gate_settings(args: argparse.Namespace, division: Division, data: UnitData) -> GateSettings:
    """Gate settings from the stored ones (`db:`) or the default for the division, with the options given."""
    base = None
    if args.file.startswith("db:") and division.meta.db_id is not None:
        stored = division_store.rules_of(division.meta.db_id, actor=cli_actor())
        base = GateSettings.from_dict(stored) if stored else None
    base = base or validity.default_settings(division, data)
    changes = {}
    if args.type:
        changes["kind"] = args.type
    if args.balance:
        changes["band_column"] = args.balance
    for option, name in (("min", "band_low"), ("max", "band_high"), ("band_pct", "band_pct")):
        if getattr(args, option) is not None:
            changes[name] = getattr(args, option)
    if args.parent:
        changes["parent_level"] = args.parent
    if args.allow_split:
        changes["allowed_splits"] = tuple(args.allow_split)
    if args.skip:
        changes["skip"] = tuple(args.skip)
    return replace(base, **changes) if changes else base


def print_findings(result: validity.CheckResult, level: str | None = None) -> None:
    """The gate's findings, one per line (the same list as the check panel in the editor); `level` (of
    the division's units) says when the units are zones themselves, so no zone can be split."""
    print(f"\nControle: {result.summary()}")
    for line in result.settings.describe():
        print(f"  {line}")
    for f in result.findings:
        codes = f" [{_short_codes(f.units)}]" if f.units else ""
        print(f"{validity.SEVERITY_LABELS[f.severity].upper()} ({f.rule}): {f.message}{codes}")
    counts = result.split_counts
    if counts:
        parts = [f"{n} {validity.PARENT_LEVELS[level][0 if n == 1 else 1]}" for level, n in counts.items()]
        print(f"Gesplitst: {', '.join(parts)}.")
    elif level in ("elz", "elz57"):
        print("Gesplitst: 0 eerstelijnszones (de eenheden zijn zelf hele eerstelijnszones).")


def _short_codes(codes: tuple[str, ...], n: int = 12) -> str:
    return " ".join(codes[:n]) + (f" … (+{len(codes) - n})" if len(codes) > n else "")


def _check(args: argparse.Namespace) -> int:
    try:
        division = load_division(args.file, args.level, args.scope)
    except InvalidFile as exc:
        print(str(exc))
        return 1
    data = UnitData.load(division.level, args.jaar, args.indicator)
    settings = gate_settings(args, division, data)
    if settings.band_column == "budget_eur":
        from geo.budget.per_unit import unit_budget

        budget = unit_budget(division.level, year=args.jaar, indicator=args.indicator)
        if budget is not None:
            data = data.with_counts(budget_eur=budget)
    band = Band(settings.band_column, settings.band_low, settings.band_high) if settings.has_band else None
    balance = settings.band_column
    metrics = AreaMetrics(data, division)
    table = metrics.table(band, balance=balance if balance in metrics.count_names else None)
    summary = metrics.summary(balance if balance in metrics.count_names else None)
    print(
        f"Indeling '{division.name}': {summary.n_areas} gebieden, {summary.n_assigned} van "
        f"{summary.n_units} eenheden toegewezen (niveau {division.level})."
    )
    print(count_line(args, division.level))
    if data.estimated:
        print("Let op: de cijfers per eenheid zijn schattingen op dit niveau.")
    print(display_table(table).drop(columns=[LABELS["uitzondering"]]).to_string(index=False))
    ratio = nl.number(summary.max_min_ratio, 2) if summary.max_min_ratio else "–"
    cv = nl.percent(100 * summary.cv) if summary.cv is not None else "–"
    title = LABELS.get(summary.balance_column, summary.balance_column)
    print(f"\n{title}: verhouding grootste/kleinste {ratio}, variatiecoëfficiënt {cv}.")
    result = validity.check(division, data, settings)
    print_findings(result, division.level)
    if args.csv:
        from geo import exports

        write_file(Path(args.csv), exports.csv_bytes(table))
    if args.findings_csv:
        from geo import exports

        write_file(Path(args.findings_csv), exports.csv_bytes(result.table()))
    return 0 if result.ok else 1


def _compare(args: argparse.Namespace) -> int:
    try:
        a = load_division(args.a, args.level)
        b = load_division(args.b, args.level or a.level)
    except InvalidFile as exc:
        print(str(exc))
        return 1
    result = compare(UnitData.load(a.level, args.jaar, args.indicator), a, b)
    print(
        f"A = '{a.name}' ({len(a.areas)} gebieden), B = '{b.name}' ({len(b.areas)} gebieden), "
        f"niveau {a.level}."
    )
    print(count_line(args, a.level))
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


def _import(args: argparse.Namespace) -> int:
    old = None
    if args.vervang:
        key = args.vervang[3:] if args.vervang.startswith("db:") else args.vervang
        old = division_store.open_division(key, actor=cli_actor())
    if args.file.startswith("ref:"):  # a built-in division as the start of a stored, versioned one
        incoming = reference_division(args.file[4:])
        incoming = incoming.with_meta(name=args.naam or (old.name if old is not None else incoming.name))
    else:
        incoming = _import_file(args, old)
        if incoming is None:
            return 1
    if old is None:
        saved = division_store.save_new(incoming, actor=cli_actor())
        print(f"Opgeslagen als nieuwe indeling '{saved.name}' (id {saved.meta.db_id}).")
        return 0
    reason = division_io.replacement_check(old, incoming)
    if reason and not args.force:
        print(f"Niets opgeslagen: {reason} Herhaal met --force om toch te vervangen.")
        return 1
    meta = old.meta
    new = incoming.with_meta(
        name=meta.name,
        description=meta.description,
        vintage=meta.vintage,
        author=meta.author,
        created=meta.created,
        db_id=meta.db_id,
        version=meta.version,
    )
    saved = division_store.save(new, actor=cli_actor())
    if saved.meta.version == meta.version:  # the store writes no version when nothing changes
        print(
            f"'{saved.name}' is ongewijzigd: het bestand is gelijk aan versie {meta.version}; "
            "niets opgeslagen."
        )
    else:
        print(f"'{saved.name}' vervangen (versie {saved.meta.version}).")
    return 0


def _import_file(args: argparse.Namespace, old: Division | None) -> Division | None:
    """The division in the file `args.file` after its preview and messages (None when it has errors)."""
    path = Path(args.file)
    if not path.is_file():
        raise UserFacingError(f"Bestand niet gevonden: {args.file} (of gebruik ref:<sleutel>).")
    level = args.level or (old.level if old is not None else None)
    content = path.read_bytes()
    if level is None:
        level = _guess_level(content, path.name)
    name = args.naam or (old.name if old is not None else path.stem)
    result = division_io.import_division(content, path.name, level, name, scope=args.scope)
    preview = result.preview
    if preview is not None:
        for line in preview.lines():
            print(line)
    for w in result.warnings:
        print(f"Let op: {w}")
    if not result.ok:
        for e in result.errors:
            print(f"Fout: {e}")
        print(f"Niets opgeslagen: {len(result.errors)} fout(en).")
        return None
    return result.division


def _tabel8(args: argparse.Namespace) -> int:
    """Our wijk counts per Antwerp postcode and WCP next to Tabel 8 (the check of the estimate)."""
    from geo import exports
    from geo.divisions import tabel8

    result = tabel8.agreement(args.jaar)
    names = {"kg_schatting": "K&G kleinschalig", "kg_gemeente": "K&G gemeente", "bimd": "BIMD d1-2"}
    print(
        f"Groot Antwerpen: wijken (bevolking 1 januari {result.year}) per postcode en wijkcontactpunt "
        "tegenover Tabel 8 (2019). Tabel 8 is geen invoer van de schatting."
    )
    for frame, key in ((result.postcodes, "postcode"), (result.wcps, "wcp")):
        shown = pd.DataFrame({key: frame[key]})
        for col, title in (("inwoners", "inwoners"), ("inwoners_tabel8", "Tabel 8")):
            shown[title] = frame[col].map(nl.number)
        shown["verschil"] = (100 * (frame["inwoners"] / frame["inwoners_tabel8"] - 1)).map(
            lambda v: ("+" if v > 0 else "") + nl.percent(v)
        )
        for ind, title in names.items():
            shown[title] = frame[ind].map(lambda v: nl.number(v, 1))
        shown["Tabel 8 index"] = frame["index_tabel8"].map(lambda v: nl.number(v, 1))
        print(shown.to_string(index=False))
    for ind, row in result.scores.iterrows():
        print(
            f"{names[ind]}: per postcode r = {nl.number(row.r_postcode, 2)}, gemiddeld verschil "
            f"{nl.number(row.mae_postcode, 1)} procentpunt; per wijkcontactpunt "
            f"r = {nl.number(row.r_wcp, 2)}, {nl.number(row.mae_wcp, 1)} procentpunt."
        )
    if args.csv:
        write_file(Path(args.csv), exports.csv_bytes(result.postcodes, tabel8.export_columns(result.year)))
    return 0


def _list(args: argparse.Namespace) -> int:
    print("Ingebouwde indelingen (ref:<sleutel>):")
    for key, ref in REFERENCES.items():
        print(f"  ref:{key:18} {ref.title} [{ref.level}]")
    stored = division_store.list_divisions(actor=cli_actor())
    print("Opgeslagen indelingen (db:<naam>):" if len(stored) else "Geen opgeslagen indelingen.")
    for row in stored.itertuples():
        print(f"  db:{row.name}  [{row.level}, {row.n_areas} gebieden, versie {row.version}]")
    return 0


def _stored(spec: str) -> Division:
    """A stored division from `db:<name or id>` or a plain name/id."""
    if spec.startswith("ref:"):
        raise UserFacingError(
            f"{spec} is een ingebouwde indeling: die heeft geen versies, status of opmerkingen. Sla ze eerst "
            f"op met: python -m geo division import {spec} --naam <naam>, en gebruik dan db:<naam>."
        )
    return division_store.open_division(spec[3:] if spec.startswith("db:") else spec, actor=cli_actor())


def _when(ts) -> str:
    """A stored (UTC) time in Belgian local time."""
    return nl.local_time(ts)


def _history(args: argparse.Namespace) -> int:
    if args.out and args.version is None:
        raise UserFacingError(
            "--uit schrijft de indeling van één versie: geef ook --version <nummer> (de geschiedenis zelf "
            "schrijft u met --csv)."
        )
    if args.csv and args.version is not None:
        raise UserFacingError(
            "--csv schrijft de geschiedenis van alle versies: laat --version weg (de indeling van één versie "
            "schrijft u met --uit)."
        )
    division = _stored(args.division)
    key = division.meta.db_id
    if args.version is None:
        hist = division_store.history(key, actor=cli_actor())
        info = division_store.status_of(key, actor=cli_actor())
        decided = f"; vastgesteld: versie {', '.join(map(str, info.vastgesteld))}" if info.vastgesteld else ""
        print(f"Indeling '{division.name}': versie {info.version}, {info.label.lower()}{decided}.")
        out = pd.DataFrame(
            {
                "Versie": hist["versie"],
                "Tijd": hist["tijd"].map(_when),
                "Wie": hist["wie"].replace("", "onbekend"),
                "Actie": hist["actie"],
                "Status": hist["status"],
                "Verplaatst": hist["verplaatst"],
                "Opm.": hist["opmerkingen"],
                "Wat": hist["samenvatting"],
            }
        )
        print(out.to_string(index=False))
        if args.csv:
            from geo import exports

            write_file(Path(args.csv), exports.csv_bytes(out))
        return 0
    v = division_store.version_info(key, args.version, actor=cli_actor())
    print(
        f"Versie {v.version} van '{division.name}' ({v.status}): {v.action.lower()} door "
        f"{v.who or 'onbekend'} op {_when(v.created)}."
    )
    print(v.summary)
    moved = v.changes.moved_frame()
    if len(moved):
        moved = moved.fillna("–")
        print(
            moved.rename(columns={"eenheid": "Eenheid", "van": "Van", "naar": "Naar"}).to_string(index=False)
        )
    notes = division_store.comments(key, version=v.version, actor=cli_actor())
    for row in notes.itertuples():
        about = f" over '{row.gebied}'" if row.gebied else ""
        print(f"Opmerking van {row.wie or 'onbekend'}{about} ({_when(row.tijd)}): {row.tekst}")
    if args.out:
        version = division_store.open_version(key, v.version, actor=cli_actor())
        write_file(Path(args.out), division_io.to_csv_bytes(version))
    return 0


def _status(args: argparse.Namespace) -> int:
    division = _stored(args.division)
    key = division.meta.db_id
    if args.new_status:
        version = division_store.set_status(
            key, args.new_status, expected_version=args.expect, actor=cli_actor()
        )
        label = division_store.STATUS_LABELS[args.new_status].lower()
        print(f"'{division.name}' is nu {label} (versie {version}).")
        return 0
    info = division_store.status_of(key, actor=cli_actor())
    decided = f" Vastgestelde versies: {', '.join(map(str, info.vastgesteld))}." if info.vastgesteld else ""
    print(f"'{division.name}': {info.label.lower()}, versie {info.version}.{decided}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    division = _stored(args.division)
    restored = division_store.restore(
        division.meta.db_id, args.version, expected_version=args.expect, actor=cli_actor()
    )
    assigned = len(restored.units) - len(restored.unassigned())
    print(
        f"Versie {args.version} van '{division.name}' is hersteld als versie {restored.meta.version} "
        f"(concept): {len(restored.areas)} gebieden, {assigned} eenheden toegewezen."
    )
    return 0


def _comment(args: argparse.Namespace) -> int:
    division = _stored(args.division)
    division_store.add_comment(
        division.meta.db_id,
        args.text,
        version=args.version,
        area=args.area,
        actor=cli_actor(),
    )
    where = f" over '{args.area}'" if args.area else ""
    print(f"Opmerking bewaard bij versie {args.version or division.meta.version}{where}.")
    return 0


def _comments(args: argparse.Namespace) -> int:
    division = _stored(args.division)
    notes = division_store.comments(
        division.meta.db_id, version=args.version, area=args.area, actor=cli_actor()
    )
    if not len(notes):
        print("Geen opmerkingen.")
        return 0
    for row in notes.itertuples():
        about = f", over '{row.gebied}'" if row.gebied else ""
        print(f"Versie {row.versie}{about} — {row.wie or 'onbekend'}, {_when(row.tijd)}: {row.tekst}")
    return 0


def _rules(args: argparse.Namespace) -> int:
    division = _stored(args.division)
    data = UnitData.load(division.level)
    args.file = f"db:{division.meta.db_id}"
    settings = gate_settings(args, division, data)
    changed = any(
        getattr(args, o) is not None and getattr(args, o) != []
        for o in ("type", "balance", "min", "max", "band_pct", "parent", "allow_split", "skip")
    )
    if changed:
        version = division_store.set_rules(
            division.meta.db_id,
            settings.to_dict(),
            expected_version=args.expect,
            actor=cli_actor(),
        )
        print(f"Regels bewaard bij '{division.name}' (versie {version}).")
    for line in settings.describe():
        print(line)
    return 0


def _add_gate_options(c: argparse.ArgumentParser) -> None:
    c.add_argument("--type", choices=list(validity.KINDS), help="type indeling: swv, wcp of vrij (regelset)")
    c.add_argument("--balance", help="kolom voor afwijking en doelband (standaard inwoners)")
    c.add_argument("--min", type=number, help="ondergrens van de doelband")
    c.add_argument("--max", type=number, help="bovengrens van de doelband")
    c.add_argument("--band-pct", type=number, help="doelband: hoogstens dit %% boven of onder het gemiddelde")
    c.add_argument(
        "--parent", choices=list(validity.PARENT_LEVELS), help="wcp: niveau dat niet gesplitst mag worden"
    )
    c.add_argument("--allow-split", nargs="*", metavar="CODE", help="codes die wel gesplitst mogen worden")
    c.add_argument("--skip", nargs="*", choices=list(validity.RULES), help="regels die niet meetellen")


def _add_expect(c: argparse.ArgumentParser) -> None:
    c.add_argument("--expect", type=int, metavar="VERSIE", help="alleen als de huidige versie deze is")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("division", help="indelingen controleren en vergelijken")
    s = p.add_subparsers(dest="division_command", required=True)
    c = s.add_parser("check", help="cijfers per gebied en de 1G1P-regels; exitcode 1 bij een overtreding")
    c.add_argument(
        "file", help="CSV/XLSX/GeoJSON met unit_code,area; of ref:<sleutel>, db:<naam>, db:<naam>@<versie>"
    )
    add_division_level(c)
    c.add_argument("--scope", choices=["niveau", "bestand"], default="niveau",
                   help="alle eenheden van het niveau (standaard) of enkel die in het bestand")  # fmt: skip
    _add_gate_options(c)
    c.add_argument("--csv", help="schrijf de tabel per gebied naar dit CSV-bestand")
    c.add_argument("--findings-csv", help="schrijf de meldingen van de controle naar dit CSV-bestand")
    add_count_options(c)
    c.set_defaults(func=_check)
    v = s.add_parser("compare", help="twee indelingen vergelijken (gebieden gekoppeld op overlap)")
    v.add_argument("a", help="indeling A: bestand, ref:<sleutel>, db:<naam> of db:<naam>@<versie>")
    v.add_argument("b", help="indeling B, op hetzelfde niveau als A")
    add_division_level(v)
    v.add_argument("--show-units", action="store_true", help="toon de verschoven eenheden")
    add_count_options(v)
    v.set_defaults(func=_compare)
    s.add_parser("list", help="ingebouwde en opgeslagen indelingen").set_defaults(func=_list)
    t8 = s.add_parser(
        "tabel8", help="wijkcijfers van Groot Antwerpen tegenover Tabel 8 (controle van de schatting)"
    )
    t8.add_argument(
        "--jaar", type=int, default=2019, help="bevolkingsjaar (standaard 2019, het jaar van Tabel 8)"
    )
    t8.add_argument("--csv", help="schrijf de tabel per postcode naar dit CSV-bestand")
    t8.set_defaults(func=_tabel8)
    h = s.add_parser("history", help="versies van een opgeslagen indeling (wie, wanneer, wat)")
    h.add_argument("division", help="db:<naam of nummer>")
    h.add_argument("--version", type=int, help="details van één versie (verplaatste eenheden, opmerkingen)")
    h.add_argument(
        "--uit",
        "--out",
        dest="out",
        help="met --version: schrijf de indeling van die versie naar dit CSV-bestand",
    )
    h.add_argument("--csv", help="schrijf de geschiedenis naar dit CSV-bestand")
    h.set_defaults(func=_history)
    t = s.add_parser("status", help="status tonen of wijzigen: concept, voorstel, vastgesteld")
    t.add_argument("division", help="db:<naam of nummer>")
    t.add_argument(
        "new_status", nargs="?", choices=list(division_store.STATUSES), help="nieuwe status (anders: tonen)"
    )
    _add_expect(t)
    t.set_defaults(func=_status)
    r = s.add_parser("restore", help="een eerdere versie terugzetten (als nieuwe versie, concept)")
    r.add_argument("division", help="db:<naam of nummer>")
    r.add_argument("version", type=int, help="nummer van de versie die terugkomt")
    _add_expect(r)
    r.set_defaults(func=_restore)
    m = s.add_parser("comment", help="opmerking bij een versie of een gebied")
    m.add_argument("division", help="db:<naam of nummer>")
    m.add_argument("text", help="de opmerking")
    m.add_argument("--version", type=int, help="versie (standaard de huidige)")
    m.add_argument("--area", help="gebied waarover de opmerking gaat")
    m.set_defaults(func=_comment)
    o = s.add_parser("comments", help="opmerkingen bij een indeling")
    o.add_argument("division", help="db:<naam of nummer>")
    o.add_argument("--version", type=int, help="enkel opmerkingen bij deze versie")
    o.add_argument("--area", help="enkel opmerkingen over dit gebied")
    o.set_defaults(func=_comments)
    g = s.add_parser("rules", help="regels van de controle tonen of (met opties) bewaren bij de indeling")
    g.add_argument("division", help="db:<naam of nummer>")
    _add_gate_options(g)
    _add_expect(g)
    g.set_defaults(func=_rules)
    i = s.add_parser("import", help="een bestand als indeling opslaan (of een opgeslagen indeling vervangen)")
    i.add_argument(
        "file", help="CSV/XLSX/GeoJSON met unit_code,area (of Code eenheid;Gebied), of ref:<sleutel>"
    )
    add_division_level(i)
    i.add_argument("--naam", help="naam van de nieuwe indeling (standaard de bestandsnaam)")
    i.add_argument("--vervang", help="db:<naam of id> van een opgeslagen indeling om te vervangen")
    i.add_argument(
        "--force", action="store_true", help="ook vervangen als er minder eenheden toegewezen zijn"
    )
    i.add_argument("--scope", choices=["niveau", "bestand"], default="niveau",
                   help="alle eenheden van het niveau (standaard) of enkel die in het bestand")  # fmt: skip
    i.set_defaults(func=_import)
    from geo.cli import reports

    reports.register(s)
