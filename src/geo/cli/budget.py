"""`python -m geo allocate`: the budget formula without the UI (same parameters as the Budget page).

Examples::

    python -m geo allocate --gewicht 0.2 --uit budget.xlsx
    python -m geo allocate --indeling wcp --correctie per_kansarm --gewicht 2 --uit wcp.csv
    python -m geo allocate --kalibreer --bevolking vacc_0_17
    python -m geo allocate --indeling-csv mijn_indeling.csv --niveau gemeente --uit eigen.xlsx
    python -m geo allocate --indeling wcp --middel vte --totaal 2,8 --stap 0,1 --minimum 0,2
    python -m geo allocate --overgang 4 --min-verandering -5 --max-verandering 5 --uit overgang.xlsx
    python -m geo allocate --instelling "Voorstel stuurgroep" --uit voorstel.xlsx

Numbers may be written the Flemish way (`0,3`, `24.000.000`) or with a decimal point (`0.3`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from geo import fmt as nl
from geo.budget import allocation as al
from geo.budget import calibration as cal
from geo.budget import report, resources
from geo.budget import transition as tr
from geo.cli import options
from geo.cli.options import number
from geo.data import facts, units
from geo.errors import UserFacingError

UNIT_LABEL = {"gemeente": "Gemeente", "wijk": "Wijk", "postcode_antwerpen": "Postcode"}


def parse_division_table(table: pd.DataFrame, valid_codes: set[str], level: str) -> dict[str, str]:
    """`code -> gebied` from a table with columns `code` and `gebied` (strings); Dutch row-level errors.

    Row numbers are spreadsheet rows (the header is row 1).
    """
    cols = {str(c).strip().lower(): c for c in table.columns}
    missing = [c for c in ("code", "gebied") if c not in cols]
    if missing:
        raise UserFacingError(
            f"De indeling mist de kolom(men) {', '.join(missing)} (verwacht: code, gebied)."
        )
    errors: list[str] = []
    out: dict[str, str] = {}
    first_row: dict[str, int] = {}
    for i, (code, area) in enumerate(zip(table[cols["code"]], table[cols["gebied"]], strict=True), start=2):
        code = "" if pd.isna(code) else str(code).strip()
        area = "" if pd.isna(area) else str(area).strip()
        if not code:
            errors.append(f"Rij {i}: code ontbreekt.")
        elif code not in valid_codes:
            errors.append(f"Rij {i}: code {code} bestaat niet op niveau {level}.")
        elif code in first_row:
            errors.append(f"Rij {i}: code {code} staat al op rij {first_row[code]}.")
        elif not area:
            errors.append(f"Rij {i}: gebied ontbreekt voor code {code}.")
        else:
            first_row[code] = i
            out[code] = area
    if errors:
        more = f" (en {len(errors) - 20} andere fouten)" if len(errors) > 20 else ""
        raise UserFacingError("De indeling is niet ingelezen:\n" + "\n".join(errors[:20]) + more)
    if not out:
        raise UserFacingError("De indeling bevat geen rijen.")
    return out


def read_division_file(
    path: Path, level: str, year: int | None = None, indicator: str | None = None
) -> cal.Setting:
    """A setting from a CSV/XLSX file with `code` and `gebied` on `level`."""
    from geo.divisions.division import Division

    if not path.exists():
        raise UserFacingError(f"Het bestand {path} bestaat niet.")
    if path.suffix.lower() in (".xlsx", ".xls"):
        table = pd.read_excel(path, dtype=str)
    else:
        table = pd.read_csv(path, dtype=str, sep=None, engine="python", encoding="utf-8-sig")
    codes = units.load_table(level)["code"].astype(str)
    assignment = parse_division_table(table, set(codes), level)
    division = Division.from_mapping(path.stem, level, codes, assignment)
    return cal.setting_from_division(division, "eigen", f"Eigen indeling ({path.name})", year, indicator)


def build_params(args: argparse.Namespace, setting: cal.Setting) -> al.Params:
    res = resources.resource(args.middel)
    changes: dict = {
        "population": args.bevolking,
        "form": args.correctie,
        "weight": al.DEFAULT_WEIGHTS[args.correctie] if args.gewicht is None else args.gewicht,
        "missing": args.ontbrekend,
        "coordination_pct": args.coordinatie,
        "floor": args.minimum,
        "cap": args.maximum,
        "resource": res.key,
        "step": args.stap,
    }
    if args.totaal is not None:
        changes["total"] = args.totaal
    elif res.key != "euro":
        if res.default_per_area is None:
            raise UserFacingError(f"Geef het totaal aan {res.noun} met --totaal.")
        k = len(set(setting.areas.values()))
        changes["total"] = resources.from_steps(
            resources.to_steps(res.default_per_area, args.stap or res.default_step, res=res) * k,
            args.stap or res.default_step,
        )
    if setting.brussels:
        if args.brussel_in_formule:
            carve = ()
        elif args.brussel_aandeel is not None:
            share = args.brussel_aandeel
            carve = (al.CarveOut("Brussel (aandeel)", "elz57", (facts.BRUSSELS_ELZ,), share_pct=share),)
        elif args.brussel_vast is None and res.key != "euro":
            share = 100.0 * facts.BRUSSELS_FIXED_EUR / facts.BUDGET_TOTAL_2021
            carve = (
                al.CarveOut("Brussel (aandeel zoals 2021)", "elz57", (facts.BRUSSELS_ELZ,), share_pct=share),
            )
        else:
            amount = facts.BRUSSELS_FIXED_EUR if args.brussel_vast is None else args.brussel_vast
            carve = (al.brussels_carve_out(amount),)
        changes["carve_outs"] = carve
    return cal.default_params(setting, **changes)


def calibrated_weights(
    params: al.Params, year: int | None = None, indicator: str | None = None
) -> dict[str, cal.Calibration]:
    """Fit the weight on the 2021 SWV table (2021 geography, population ``year``, default 2020) with these
    parameters (except total, floor and cap), under every objective."""
    swv = cal.load_setting("swv2021", year=year, indicator=indicator)
    fit_params = cal.default_params(
        swv,
        population=params.population,
        form=params.form,
        missing=params.missing,
        carve_outs=params.carve_outs or (al.brussels_carve_out(facts.BRUSSELS_FIXED_EUR),),
    )
    prep = al.prepare(swv.units, fit_params, swv.areas)
    return cal.calibrate_both(prep, swv.published, exclude=[facts.BRUSSELS_SWV])


def _print_table(table: pd.DataFrame, params: al.Params | None = None) -> None:
    unit = f"({params.resource_info.unit})" if params is not None and params.resource != "euro" else None
    shown = table.copy()
    for col in shown.columns:
        if col in ("Gebied", "Samenstelling 2021", "Begrensd", "Vast bedrag"):
            continue
        if "EUR per" in col:
            shown[col] = shown[col].map(lambda v: nl.euro(v, 2))
        elif "(EUR)" in col:
            shown[col] = shown[col].map(nl.euro)
        elif "(%)" in col:
            shown[col] = shown[col].map(nl.percent)
        elif unit is not None and unit in col:
            shown[col] = shown[col].map(params.amount_text)
        elif col == "Gewicht":
            shown[col] = shown[col].map(lambda v: nl.number(v, 0))
        elif pd.api.types.is_numeric_dtype(shown[col]):
            shown[col] = shown[col].map(nl.number)
    print(shown.to_string(index=False))


def start_amounts(args: argparse.Namespace, setting: cal.Setting, target: pd.Series) -> tuple[pd.Series, str]:
    """Starting euros per area for the transition path, and how the start is called in tables."""
    if args.start == tr.START_2021 and setting.published is None:
        raise UserFacingError(
            "Voor deze indeling zijn er geen gepubliceerde bedragen 2021: gebruik --start gelijk of "
            "--start <bestand.csv|xlsx> met de kolommen gebied en bedrag."
        )
    if args.start in (tr.START_2021, tr.START_EQUAL):
        return tr.start_amounts(args.start, target, setting.published), tr.START_LABELS[args.start]
    path = Path(args.start)
    if not path.exists():
        raise UserFacingError(f"Het startbestand {path} bestaat niet.")
    start = tr.start_amounts(tr.START_FILE, target, content=path.read_bytes(), filename=path.name)
    return start, tr.START_LABELS[tr.START_FILE]


def _transition(args, setting: cal.Setting, alloc: al.Allocation):
    if args.overgang is None:
        return None, None
    if alloc.params.resource != "euro":
        raise UserFacingError("Een overgangspad kan (nog) alleen voor euro's, niet voor andere middelen.")
    target = alloc.areas.set_index("gebied")["eur"]
    start, label = start_amounts(args, setting, target)
    path = tr.transition_path(start, target, args.overgang, args.min_verandering, args.max_verandering)
    return path, label


def _saved(args: argparse.Namespace) -> tuple[cal.Setting, al.Params, str]:
    """Division and parameters of the workspace's budget setting ``--instelling`` and a line naming it."""
    from geo.settings import formula
    from geo.settings import store as settings_store
    from geo.store.access import cli_actor

    actor = cli_actor(args.werkruimte)
    saved = settings_store.open_formula(actor, args.instelling)
    setting = formula.load_division(saved, actor)
    args.jaar_2021, args.indicator = saved.jaar_2021, saved.indicator  # the calibration follows the setting
    line = f"Instelling '{args.instelling}' van werkruimte {actor.workspace}: {formula.summary(saved)}."
    return setting, formula.params(saved, setting), line


def _run(args: argparse.Namespace) -> int:
    saved_line = None
    if args.instelling:
        setting, params, saved_line = _saved(args)
    elif args.indeling_csv:
        setting = read_division_file(Path(args.indeling_csv), args.niveau, args.jaar, args.indicator)
    elif args.opgeslagen:
        from geo.divisions import store as division_store
        from geo.store.access import cli_actor

        division = division_store.open_division(args.opgeslagen, actor=cli_actor(args.werkruimte))
        setting = cal.setting_from_division(
            division, "eigen", f"Opgeslagen: {division.name}", args.jaar, args.indicator
        )
    else:
        setting = cal.load_setting(args.indeling, args.jaar, args.indicator)
    if saved_line is None:
        params = build_params(args, setting)
    res = params.resource_info
    lines: list[str] = [saved_line] if saved_line else []
    calibration = None
    if args.kalibreer:
        if params.form == "geen":
            raise UserFacingError("Kalibreren vraagt een correctievorm (relatief of per_kansarm).")
        fits = calibrated_weights(params, args.jaar_2021, args.indicator)
        calibration = fits[args.doel]
        params = params.with_weight(calibration.weight)
        for key, fit in fits.items():
            chosen = " (gebruikt)" if key == args.doel else ""
            lines.append(
                f"Kalibratie 2021, {cal.OBJECTIVES[key][0].lower()}{chosen}: gewicht {fit.weight:.4f}, "
                f"RMSE {nl.euro(fit.rmse)} per samenwerkingsverband, relatieve fout (RMS) "
                f"{nl.percent(fit.rms_pct)}; zonder correctie RMSE {nl.euro(fit.rmse_without_correction)}."
            )
        lines.append(
            "Kalibratie op de gemeenten en zones van 2021, bevolking 1 januari "
            f"{args.jaar_2021 or units.REFERENCE_YEAR_2021}."
        )
    alloc = al.allocate(setting.units, params, setting.areas)
    comparison = setting.compare_2021(alloc)
    if comparison is not None:
        lines.append(
            f"Vergelijking met 2021: RMSE {nl.euro(comparison.rmse)}, gemiddelde afwijking "
            f"{nl.euro(comparison.mae)}, som absolute afwijkingen {nl.euro(comparison.total_abs)}."
        )
    area_table = setting.area_table(alloc, comparison)
    unit_table = setting.unit_table(alloc)
    extra = {"Indeling": setting.title, "Eenheden": f"{len(setting.units)} ({setting.level})"}
    if setting.year is not None:
        extra["Bevolkingsjaar"] = f"1 januari {setting.year}"
        extra["Kansarmoede-indicator"] = units.INDICATORS[setting.indicator].label
    else:
        extra["Bevolkingsjaar"] = "2019 (Tabel 8 van de studie)"
    if calibration is not None:
        extra["Gewicht gekalibreerd op 2021"] = (
            f"{calibration.weight:.4f} ({cal.OBJECTIVES[args.doel][0].lower()})"
        )
    if alloc.coordination_eur:
        extra["Coördinatie (EUR)"] = alloc.coordination_eur
    for i, w in enumerate(alloc.warnings + setting.notes, start=1):
        extra[f"Opmerking {i}"] = w
    show_equal = res.key != "euro" or args.gelijk
    equal_table = setting.equal_table(alloc) if show_equal else None
    path, start_label = _transition(args, setting, alloc)
    if path is not None:
        extra["Overgang"] = (
            f"{path.years} jaar, verandering per jaar van {nl.percent(path.floor_pct)} tot "
            f"{nl.percent(path.cap_pct)}; vertrek: {start_label.lower()}"
        )

    if args.uit:
        out = Path(args.uit)
        if out.suffix.lower() == ".xlsx":
            sheets = {
                "Parameters": report.parameter_table(
                    params, extra, setting.population_texts.get(params.population)
                ),
                f"Per {UNIT_LABEL.get(setting.level, 'eenheid').lower()}": unit_table,
                "Per gebied": area_table,
            }
            if calibration is not None:
                sheets["Kalibratie"] = calibration.curve.rename(
                    columns={
                        "gewicht_param": "Gewicht",
                        "rmse": "RMSE (EUR)",
                        "mae": "Gem. afwijking (EUR)",
                        "rms_pct": "Relatieve fout RMS (%)",
                    }
                )
            if equal_table is not None:
                sheets["Gelijk of volgens behoefte"] = equal_table
            if path is not None:
                sheets.update(report.transition_section(path, start_label=start_label).tables)
            data = report.xlsx_bytes(sheets)
        elif out.suffix.lower() == ".csv":
            if args.per == "eenheid":
                table = unit_table
            elif args.per == "gelijk":
                table = equal_table if equal_table is not None else setting.equal_table(alloc)
            elif args.per == "overgang":
                if path is None:
                    raise UserFacingError("--per overgang vraagt --overgang <jaren>.")
                table = report.transition_table_nl(path, start_label=start_label)
            else:
                table = area_table
            data = report.csv_bytes(table)
        else:
            raise UserFacingError("Het uitvoerbestand moet eindigen op .csv of .xlsx.")
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(out)
        lines.append(f"Geschreven: {out}")
    else:
        _print_table(equal_table if equal_table is not None else area_table, params)
        if path is not None:
            print()
            _print_table(report.transition_table_nl(path, start_label=start_label), params)
    for w in alloc.warnings:
        print(f"Let op: {w}", file=sys.stderr)

    def amount(steps: int) -> str:
        return params.amount_text(alloc.quantity(steps))

    total_line = f"Totaal {amount(alloc.total_eur)}: verdeeld {amount(int(alloc.units['eur'].sum()))}"
    if alloc.coordination_eur:
        total_line += f", coördinatie {amount(alloc.coordination_eur)}"
    print(total_line + ".")
    population = setting.population_texts.get(params.population, al.POPULATIONS[params.population].label)
    indicator = f"; kansarmoede: {units.INDICATORS[setting.indicator].label}" if setting.indicator else ""
    print(f"Bevolking: {population}{indicator}.")
    if equal_table is not None:
        lines.extend(report.equal_summary(alloc))
    if path is not None:
        lines.extend(report.transition_summary(path))
    for line in lines:
        print(line)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "allocate",
        help="budget verdelen met de formule (jongeren + kansarmoede) en vergelijken met 2021",
        description="Verdeel een budget over gemeenten en gebieden; zie de pagina Budget voor uitleg.",
    )
    p.add_argument(
        "--middel",
        default="euro",
        choices=list(resources.RESOURCES),
        help="wat verdeeld wordt: euro, vte (personeel), plaatsen of uren",
    )
    p.add_argument(
        "--totaal",
        type=number,
        default=None,
        help="totaal in de eenheid van het middel (standaard: budget 2021; voor vte 0,4 per gebied)",
    )
    p.add_argument(
        "--stap",
        type=number,
        default=None,
        help="afronden op deze stap (standaard 1 euro, 0,1 VTE, 1 plaats)",
    )
    p.add_argument(
        "--gelijk", action="store_true", help="vergelijk met een gelijke verdeling over de gebieden"
    )
    p.add_argument(
        "--bevolking", default="pop_0_24", choices=list(al.POPULATIONS), help="leeftijdsgroep en bron"
    )
    p.add_argument("--correctie", default="relatief", choices=list(al.FORMS), help="vorm van de correctie")
    p.add_argument(
        "--gewicht", type=number, default=None, help="a (relatief) of b (per_kansarm); standaard 0,2 of 2"
    )
    p.add_argument("--kalibreer", action="store_true", help="gewicht kiezen dat best past bij 2021")
    p.add_argument(
        "--doel",
        default=cal.DEFAULT_OBJECTIVE,
        choices=list(cal.OBJECTIVES),
        help="kalibratiedoel: eur = kleinste fout in euro (grote SWV wegen zwaarder), relatief = kleinste "
        "relatieve fout (elk SWV even zwaar); beide worden getoond",
    )
    options.add_count_options(p, f", voor --indeling swv2021 {units.REFERENCE_YEAR_2021}")
    p.add_argument(
        "--jaar-2021",
        type=int,
        default=None,
        help=f"bevolkingsjaar voor de kalibratie op 2021 (standaard {units.REFERENCE_YEAR_2021})",
    )
    p.add_argument("--indeling", default="swv2021", choices=list(cal.SETTINGS), help="indeling in gebieden")
    p.add_argument("--indeling-csv", default=None, help="eigen indeling: CSV/XLSX met kolommen code, gebied")
    p.add_argument(
        "--niveau",
        "--level",
        default="gemeente",
        choices=list(UNIT_LABEL),
        help="niveau van de codes in --indeling-csv",
    )
    p.add_argument(
        "--ontbrekend", default="gemiddelde_elz", choices=list(al.MISSING_POLICIES), help="ontbrekende index"
    )
    p.add_argument(
        "--brussel-vast",
        type=number,
        default=None,
        help="vast deel voor Brussel in de eenheid van het middel (standaard € 960.000; anders 4 %%)",
    )
    p.add_argument("--brussel-aandeel", type=number, default=None, help="Brussel als %% van het totaal")
    p.add_argument("--opgeslagen", default=None, help="naam of id van een opgeslagen indeling")
    p.add_argument(
        "--instelling",
        default=None,
        metavar="NAAM",
        help="een bewaarde budgetinstelling van de werkruimte (pagina Budget): indeling, middel, totaal, "
        "bevolking, jaar, indicator, correctie, gewicht, Brussel, coördinatie, minimum en maximum komen "
        "uit de instelling; de andere opties voor de formule tellen dan niet (lijst: python -m geo "
        "instelling lijst)",
    )
    p.add_argument(
        "--werkruimte", default=None, help="werkruimte van --instelling of --opgeslagen (teamserver)"
    )
    p.add_argument(
        "--brussel-in-formule", action="store_true", help="Brussel via de formule (geen vast bedrag)"
    )
    p.add_argument("--coordinatie", type=number, default=0.0, help="percentage vooraf voor coördinatie")
    p.add_argument(
        "--minimum", type=number, default=None, help="minimum per gebied (in de eenheid van het middel)"
    )
    p.add_argument(
        "--maximum", type=number, default=None, help="maximum per gebied (in de eenheid van het middel)"
    )
    p.add_argument("--overgang", type=int, default=None, metavar="JAREN", help="overgangspad naar de formule")
    p.add_argument(
        "--start",
        default="2021",
        help="vertrek van het overgangspad: 2021 (gepubliceerd), gelijk, of CSV/XLSX met gebied en bedrag",
    )
    p.add_argument(
        "--min-verandering",
        type=number,
        default=tr.DEFAULT_FLOOR_PCT,
        help="laagste verandering per gebied per jaar in %% (standaard -5)",
    )
    p.add_argument(
        "--max-verandering",
        type=number,
        default=tr.DEFAULT_CAP_PCT,
        help="hoogste verandering per gebied per jaar in %% (standaard 5)",
    )
    p.add_argument(
        "--uit",
        "--out",
        dest="uit",
        default=None,
        help="uitvoerbestand .csv of .xlsx (anders: tabel op het scherm)",
    )
    p.add_argument(
        "--per",
        default="gebied",
        choices=["gebied", "eenheid", "gelijk", "overgang"],
        help="inhoud van de CSV: per gebied, per eenheid, gelijk of volgens behoefte, overgangspad",
    )
    p.set_defaults(func=_run)
