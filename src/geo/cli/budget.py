"""`python -m geo allocate`: the budget formula without the UI (same parameters as the Budget page).

Examples::

    python -m geo allocate --gewicht 0.2 --uit budget.xlsx
    python -m geo allocate --indeling wcp --correctie per_kansarm --gewicht 2 --uit wcp.csv
    python -m geo allocate --kalibreer --bevolking vacc_0_17
    python -m geo allocate --indeling-csv mijn_indeling.csv --niveau gemeente --uit eigen.xlsx
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from geo import fmt as nl
from geo.budget import allocation as al
from geo.budget import calibration as cal
from geo.budget import report
from geo.data import facts
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


def read_division_file(path: Path, level: str) -> cal.Setting:
    """A setting from a CSV/XLSX file with `code` and `gebied` on `level`."""
    from geo.data import units
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
    return cal.setting_from_division(division, "eigen", f"Eigen indeling ({path.name})")


def build_params(args: argparse.Namespace, setting: cal.Setting) -> al.Params:
    changes: dict = {
        "population": args.bevolking,
        "form": args.correctie,
        "weight": al.DEFAULT_WEIGHTS[args.correctie] if args.gewicht is None else args.gewicht,
        "missing": args.ontbrekend,
        "coordination_pct": args.coordinatie,
        "floor": args.minimum,
        "cap": args.maximum,
    }
    if args.totaal is not None:
        changes["total"] = args.totaal
    if setting.brussels:
        if args.brussel_in_formule:
            carve = ()
        elif args.brussel_aandeel is not None:
            share = args.brussel_aandeel
            carve = (al.CarveOut("Brussel (aandeel)", "elz57", (facts.BRUSSELS_ELZ,), share_pct=share),)
        else:
            carve = (al.brussels_carve_out(args.brussel_vast),)
        changes["carve_outs"] = carve
    return cal.default_params(setting, **changes)


def calibrated_weight(params: al.Params) -> cal.Calibration:
    """Fit the weight on the 2021 SWV table with these parameters (except total, floor and cap)."""
    swv = cal.load_setting("swv2021")
    fit_params = cal.default_params(
        swv,
        population=params.population,
        form=params.form,
        missing=params.missing,
        carve_outs=params.carve_outs or (al.brussels_carve_out(facts.BRUSSELS_FIXED_EUR),),
    )
    prep = al.prepare(swv.units, fit_params, swv.areas)
    return cal.calibrate(prep, swv.published, exclude=[facts.BRUSSELS_SWV])


def _print_table(table: pd.DataFrame) -> None:
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
        elif col == "Gewicht":
            shown[col] = shown[col].map(lambda v: nl.number(v, 0))
        elif pd.api.types.is_numeric_dtype(shown[col]):
            shown[col] = shown[col].map(nl.number)
    print(shown.to_string(index=False))


def _run(args: argparse.Namespace) -> int:
    if args.indeling_csv:
        setting = read_division_file(Path(args.indeling_csv), args.niveau)
    elif args.opgeslagen:
        from geo.divisions import store as division_store

        division = division_store.open_division(args.opgeslagen)
        setting = cal.setting_from_division(division, "eigen", f"Opgeslagen: {division.name}")
    else:
        setting = cal.load_setting(args.indeling)
    params = build_params(args, setting)
    lines: list[str] = []
    calibration = None
    if args.kalibreer:
        if params.form == "geen":
            raise UserFacingError("Kalibreren vraagt een correctievorm (relatief of per_kansarm).")
        calibration = calibrated_weight(params)
        params = params.with_weight(calibration.weight)
        lines.append(
            f"Kalibratie op de budgetten 2021: beste gewicht {calibration.weight:.4f} "
            f"(RMSE {nl.euro(calibration.rmse)} per samenwerkingsverband; zonder correctie "
            f"{nl.euro(calibration.rmse_without_correction)})."
        )
    alloc = al.allocate(setting.units, params, setting.areas)
    comparison = None
    if setting.published is not None:
        area_eur = alloc.areas.set_index("gebied")["eur"]
        comparison = cal.compare(
            area_eur, setting.published, exclude=[facts.BRUSSELS_SWV] if alloc.carved_eur else []
        )
        lines.append(
            f"Vergelijking met 2021: RMSE {nl.euro(comparison.rmse)}, gemiddelde afwijking "
            f"{nl.euro(comparison.mae)}, som absolute afwijkingen {nl.euro(comparison.total_abs)}."
        )
    area_table = report.area_table_nl(
        alloc, comparison=comparison.table if comparison else None, evidence=setting.evidence
    )
    unit_table = report.unit_table_nl(alloc, UNIT_LABEL.get(setting.level, "Eenheid"))
    extra = {"Indeling": setting.title, "Eenheden": f"{len(setting.units)} ({setting.level})"}
    if calibration is not None:
        extra["Gewicht gekalibreerd op 2021"] = f"{calibration.weight:.4f}"
    if alloc.coordination_eur:
        extra["Coördinatie (EUR)"] = alloc.coordination_eur
    for i, w in enumerate(alloc.warnings + setting.notes, start=1):
        extra[f"Opmerking {i}"] = w

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
                    columns={"gewicht_param": "Gewicht", "rmse": "RMSE (EUR)", "mae": "Gem. afwijking (EUR)"}
                )
            data = report.xlsx_bytes(sheets)
        elif out.suffix.lower() == ".csv":
            data = report.csv_bytes(unit_table if args.per == "eenheid" else area_table)
        else:
            raise UserFacingError("Het uitvoerbestand moet eindigen op .csv of .xlsx.")
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(out)
        lines.append(f"Geschreven: {out}")
    else:
        _print_table(area_table)
    for w in alloc.warnings:
        print(f"Let op: {w}", file=sys.stderr)
    total_line = f"Totaal {nl.euro(alloc.total_eur)}: verdeeld {nl.euro(int(alloc.units['eur'].sum()))}"
    if alloc.coordination_eur:
        total_line += f", coördinatie {nl.euro(alloc.coordination_eur)}"
    print(total_line + ".")
    for line in lines:
        print(line)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "allocate",
        help="budget verdelen met de formule (jongeren + kansarmoede) en vergelijken met 2021",
        description="Verdeel een budget over gemeenten en gebieden; zie de pagina Budget voor uitleg.",
    )
    p.add_argument("--totaal", type=float, default=None, help="totaal budget in EUR (standaard: 2021)")
    p.add_argument(
        "--bevolking", default="pop_0_24", choices=list(al.POPULATIONS), help="leeftijdsgroep en bron"
    )
    p.add_argument("--correctie", default="relatief", choices=list(al.FORMS), help="vorm van de correctie")
    p.add_argument(
        "--gewicht", type=float, default=None, help="a (relatief) of b (per_kansarm); standaard 0,2 of 2"
    )
    p.add_argument("--kalibreer", action="store_true", help="gewicht kiezen dat best past bij 2021")
    p.add_argument("--indeling", default="swv2021", choices=list(cal.SETTINGS), help="indeling in gebieden")
    p.add_argument("--indeling-csv", default=None, help="eigen indeling: CSV/XLSX met kolommen code, gebied")
    p.add_argument(
        "--niveau", default="gemeente", choices=list(UNIT_LABEL), help="niveau van de codes in --indeling-csv"
    )
    p.add_argument(
        "--ontbrekend", default="gemiddelde_elz", choices=list(al.MISSING_POLICIES), help="ontbrekende index"
    )
    p.add_argument("--brussel-vast", type=float, default=facts.BRUSSELS_FIXED_EUR, help="vast bedrag Brussel")
    p.add_argument("--brussel-aandeel", type=float, default=None, help="Brussel als %% van het totaal")
    p.add_argument("--opgeslagen", default=None, help="naam of id van een opgeslagen indeling")
    p.add_argument(
        "--brussel-in-formule", action="store_true", help="Brussel via de formule (geen vast bedrag)"
    )
    p.add_argument("--coordinatie", type=float, default=0.0, help="percentage vooraf voor coördinatie")
    p.add_argument("--minimum", type=float, default=None, help="minimum per gebied (EUR)")
    p.add_argument("--maximum", type=float, default=None, help="maximum per gebied (EUR)")
    p.add_argument("--uit", default=None, help="uitvoerbestand .csv of .xlsx (anders: tabel op het scherm)")
    p.add_argument("--per", default="gebied", choices=["gebied", "eenheid"], help="inhoud van de CSV")
    p.set_defaults(func=_run)
