"""The budget allocation told to people: Dutch tables, the worked explanation, CSV and XLSX files."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo import fmt
from geo.budget.allocation import FORMS, MISSING_POLICIES, POPULATIONS, Allocation, Params, equivalent_weight


def population_label(population: str, singular: bool = False) -> str:
    """Short Dutch name of the population count (e.g. `0-24-jarigen`, singular `0-24-jarige`)."""
    source = POPULATIONS.get(population)
    if source is None:
        return population
    return source.singular if singular else source.short


def parameter_table(
    params: Params, extra: Mapping[str, object] | None = None, population_text: str | None = None
) -> pd.DataFrame:
    """The parameters as `Parameter`/`Waarde` rows (for the XLSX parameters sheet and the page)."""
    source = POPULATIONS.get(params.population)
    rows: list[tuple[str, object]] = [
        ("Totaal budget (EUR)", int(round(params.total))),
        ("Bevolking", population_text or (source.label if source else params.population)),
        ("Indicator", params.indicator),
        ("Correctievorm", FORMS.get(params.form, params.form)),
        ("Gewicht (a of b)", params.weight if params.form != "geen" else "–"),
        ("Ontbrekende index", MISSING_POLICIES.get(params.missing, params.missing)),
        ("Coördinatie vooraf (%)", params.coordination_pct),
        ("Minimum per gebied (EUR)", params.floor if params.floor is not None else "geen"),
        ("Maximum per gebied (EUR)", params.cap if params.cap is not None else "geen"),
    ]
    for co in params.carve_outs:
        what = fmt.euro(co.amount) if co.amount is not None else fmt.percent(co.share_pct) + " van het totaal"
        rows.append((f"Vast bedrag: {co.label}", f"{what} ({co.column} = {', '.join(co.values)})"))
    for key, value in (extra or {}).items():
        rows.append((key, value))
    return pd.DataFrame(rows, columns=["Parameter", "Waarde"]).astype({"Waarde": str})


def unit_table_nl(alloc: Allocation, unit_label: str = "Gemeente") -> pd.DataFrame:
    """Per unit with Dutch headers."""
    u = alloc.units
    who = population_label(alloc.params.population)
    return pd.DataFrame(
        {
            "Code": u["code"],
            unit_label: u["naam"],
            "Gebied": u["gebied"],
            f"Aantal {who}": u["n"],
            "Kansarmoede-index (%)": u["kansarmoede_pct"],
            "Index aangevuld met": u["aangevuld_met"].replace("", "–"),
            f"Kansarme {who} (schatting)": u["kansarm_n"],
            "Vast bedrag": u["vast_bedrag"].replace("", "–"),
            "Gewicht": u["gewicht"],
            "Bedrag (EUR)": u["eur"],
            f"EUR per {population_label(alloc.params.population, True)}": u["eur_per_jongere"],
            "Aandeel (%)": u["aandeel_pct"],
        }
    )


def area_table_nl(
    alloc: Allocation,
    areas: pd.DataFrame | None = None,
    comparison: pd.DataFrame | None = None,
    evidence: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per area with Dutch headers; adds the published amounts and the composition when given.

    ``comparison`` is `geo.budget.calibration.Comparison.table`; ``evidence`` has `gebied`, `samenstelling`.
    """
    a = (alloc.areas if areas is None else areas).copy()
    who = population_label(alloc.params.population)
    out = pd.DataFrame(
        {
            "Gebied": a["gebied"],
            "Eenheden": a["eenheden"],
            f"Aantal {who}": a["n"],
            f"Kansarme {who} (schatting)": a["kansarm_n"],
            "Kansarmoede-index (%)": a["kansarmoede_pct"],
            "Gewicht": a["gewicht"],
            "Bedrag (EUR)": a["eur"],
            f"EUR per {population_label(alloc.params.population, True)}": a["eur_per_jongere"],
            "Aandeel (%)": a["aandeel_pct"],
        }
    )
    if "begrensd" in a.columns and (a["begrensd"] != "").any():
        out["Begrensd"] = a["begrensd"].replace("", "–").to_numpy()
    if a["geimputeerd"].any():
        out["Eenheden met aangevulde index"] = a["geimputeerd"].to_numpy()
    if a["vast_bedrag"].ne("").any():
        out["Vast bedrag"] = a["vast_bedrag"].replace("", "–").to_numpy()
    if comparison is not None:
        c = comparison.set_index("gebied")
        out["Gepubliceerd 2021 (EUR)"] = out["Gebied"].map(c["gepubliceerd"])
        out["Verschil (EUR)"] = out["Bedrag (EUR)"] - out["Gepubliceerd 2021 (EUR)"]
        out["Verschil (%)"] = 100.0 * out["Verschil (EUR)"] / out["Gepubliceerd 2021 (EUR)"]
    if evidence is not None:
        out["Samenstelling 2021"] = out["Gebied"].map(evidence.set_index("gebied")["samenstelling"])
    return out


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """An XLSX workbook with one sheet per table (sheet names cut to 31 characters)."""
    import io

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, table in sheets.items():
            table.to_excel(writer, sheet_name=name[:31], index=False)
            sheet = writer.sheets[name[:31]]
            for i, col in enumerate(table.columns, start=1):
                width = min(60, max(10, len(str(col)) + 2))
                sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = width
    return buffer.getvalue()


def csv_bytes(table: pd.DataFrame) -> bytes:
    """CSV for Excel in Belgium: `;` separator, decimal comma, UTF-8 with BOM."""
    return table.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


def explanation(
    alloc: Allocation,
    example: str | None = None,
    published: Mapping[str, float] | None = None,
    unit_names: tuple[str, str] = ("gemeente", "gemeenten"),
    population_text: str | None = None,
) -> list[str]:
    """Plain-language Dutch paragraphs that explain this allocation with its own numbers filled in.

    ``example`` is an area label (from ``alloc.areas``) worked out in the last paragraph;
    ``unit_names`` is the singular and plural name of the units; ``population_text`` overrides the
    description of the population source.
    """
    unit_one, unit_plural = unit_names
    p = alloc.params
    who = population_label(p.population)
    one = population_label(p.population, singular=True)
    source = POPULATIONS.get(p.population)
    u = alloc.units
    in_formula = u["vast_bedrag"] == ""
    n_formula = float(u.loc[in_formula, "n"].sum())
    paras: list[str] = []

    split = [f"Het totale budget is {fmt.euro(alloc.total_eur)}."]
    if alloc.coordination_eur:
        split.append(
            f"Eerst gaat {fmt.percent(p.coordination_pct)} ({fmt.euro(alloc.coordination_eur)}) "
            "naar coördinatie."
        )
    for label, amount in alloc.carved_eur.items():
        n_units = int((u["vast_bedrag"] == label).sum())
        split.append(
            f"{label}: een vast bedrag van {fmt.euro(amount)} voor {n_units} "
            f"{unit_plural if n_units != 1 else unit_one}, buiten de formule."
        )
    split.append(
        f"De overige {fmt.euro(alloc.formula_eur)} wordt verdeeld over {int(in_formula.sum())} {unit_plural} "
        f"volgens hun aantal {who}. Bevolking: "
        f"{population_text or (source.label if source else p.population)}."
    )
    paras.append(" ".join(split))

    w = p.weight
    pm = alloc.p_mean
    per_head = alloc.formula_eur / n_formula if n_formula else float("nan")
    if p.form == "geen":
        paras.append(
            f"Er is geen correctie voor kansarmoede: elke {one} telt even zwaar, goed voor "
            f"{fmt.euro(per_head, 2)} per {one}."
        )
    elif p.form == "relatief":
        text = (
            f"Elke {unit_one} krijgt een gewicht: aantal {who} × "
            f"(1 + a × (kansarmoede-index ÷ gemiddelde index − 1)). De kansarmoede-index van Kind & Gezin is "
            f"gemiddeld {fmt.percent(pm)} (gewogen naar het aantal {who}). Met a = {fmt.number(w, 2)} krijgt "
            f"een gebied met tweemaal de gemiddelde index ({fmt.percent(2 * pm)}) {fmt.percent(100 * w, 0)} "
            f"meer per {one} dan een gebied met de gemiddelde index, en een gebied zonder kansarmoede "
            f"{fmt.percent(100 * w, 0)} minder."
        )
        b = equivalent_weight("relatief", w, pm)
        if w > 1:
            text += " Met a boven 1 kan een gewicht negatief worden; het wordt dan op 0 gezet."
        elif np.isfinite(b) and w > 0:
            text += f" Hetzelfde resultaat geeft de vorm ‘per kansarme jongere’ met b = {fmt.number(b, 2)}."
        paras.append(text + f" Gemiddeld is dat {fmt.euro(per_head, 2)} per {one}.")
    else:
        a = equivalent_weight("per_kansarm", w, pm)
        text = (
            f"Elke {unit_one} krijgt een gewicht: aantal {who} × "
            f"(1 + b × kansarmoede-index). Met b = {fmt.number(w, 2)} telt elke kansarme {one} "
            f"{fmt.number(w, 2)} keer extra mee (als {fmt.number(1 + w, 2)} {who}). Bij de gemiddelde index "
            f"van {fmt.percent(pm)} is het gewicht {fmt.percent(w * pm, 0)} hoger dan zonder correctie."
        )
        if np.isfinite(a) and w > 0:
            text += f" Hetzelfde resultaat geeft de relatieve vorm met a = {fmt.number(a, 2)}."
        paras.append(text + f" Gemiddeld is dat {fmt.euro(per_head, 2)} per {one}.")

    if alloc.imputed:
        names = u.loc[u["geimputeerd"], "naam"].tolist()
        paras.append(
            f"Voor {len(names)} {unit_plural if len(names) != 1 else unit_one} ontbreekt de "
            f"kansarmoede-index ({', '.join(names[:8])}{' …' if len(names) > 8 else ''}); zij kregen "
            f"{MISSING_POLICIES.get(p.missing, p.missing).split('met ')[-1]}."
        )
    if alloc.areas is not None and "begrensd" in alloc.areas.columns:
        low = int((alloc.areas["begrensd"] == "minimum").sum())
        high = int((alloc.areas["begrensd"] == "maximum").sum())
        if low:
            paras.append(
                f"{_areas(low)} opgetrokken tot het minimum van {fmt.euro(p.floor)}; "
                "dat geld gaat in verhouding af van de andere gebieden."
            )
        if high:
            paras.append(
                f"{_areas(high)} begrensd op het maximum van {fmt.euro(p.cap)}; het overschot gaat in "
                "verhouding naar de andere gebieden."
            )
    paras.append(
        "Alle bedragen zijn afgerond op hele euro's met de grootste-restmethode, zodat ze exact optellen tot "
        "het totaal."
    )
    if example is not None and alloc.areas is not None:
        row = alloc.areas.set_index("gebied").loc[example]
        text = f"Voorbeeld: {example} telt {fmt.number(row['n'])} {who}"
        if row["vast_bedrag"]:
            text += f" en krijgt een vast bedrag: {fmt.euro(row['eur'])}"
        else:
            text += (
                f", van wie naar schatting {fmt.number(row['kansarm_n'])} in kansarmoede "
                f"(index {fmt.percent(row['kansarmoede_pct'])}). "
                f"Het gewicht is {fmt.number(row['gewicht'])}; "
                f"dat geeft {fmt.euro(row['eur'])} ({fmt.percent(row['aandeel_pct'])} van het verdeelde "
                f"budget, {fmt.euro(row['eur_per_jongere'], 2)} per {one})"
            )
        if published is not None and example in published:
            pub = float(published[example])
            diff = 100.0 * (row["eur"] - pub) / pub if pub else float("nan")
            text += f". In 2021 was dat {fmt.euro(pub)} ({'+' if diff >= 0 else ''}{fmt.percent(diff)})"
        paras.append(text + ".")
    return paras


def _areas(k: int) -> str:
    return "1 gebied werd" if k == 1 else f"{k} gebieden werden"


@dataclass(frozen=True)
class AmountMap:
    """What the budget map shows: the amount per young person per map unit, with tooltip texts.

    `area_values` (the areas' amounts per young person) is set when every unit takes its area's colour,
    so the colour classes are cut over areas rather than units.
    """

    level: str
    values: dict[str, float]
    tooltip: dict[str, dict[str, str]]
    area_values: pd.Series | None
    borders: str | None
    layer_name: str


def amount_map(
    alloc: Allocation, level: str, units: pd.DataFrame, areas: Mapping[str, str], by_area: bool = True
) -> AmountMap | None:
    """The map of an allocation over `units` of `level` divided into `areas`; None when there is none.

    Municipalities are drawn as themselves, coloured by their area's or their own amount per young person,
    with the 57 zones as borders. Wijken are drawn as eerstelijnszones when every area lies in one zone.
    Postcodes have no open boundaries: no map.
    """
    per_area = alloc.areas.set_index("gebied")
    if level == "gemeente":
        u = alloc.units
        codes = u["code"].astype(str)
        own = u["gebied"].map(per_area["eur_per_jongere"]) if by_area else u["eur_per_jongere"]
        tooltip = {
            "Gebied": dict(zip(codes, u["gebied"], strict=True)),
            "Bedrag gebied": dict(zip(codes, u["gebied"].map(per_area["eur"]).map(fmt.euro), strict=True)),
            "Bedrag gemeente": dict(zip(codes, u["eur"].map(fmt.euro), strict=True)),
        }
        area_values = per_area["eur_per_jongere"].dropna() if by_area else None
        return AmountMap(
            "gemeente", dict(zip(codes, own, strict=True)), tooltip, area_values, "elz57", "Gemeenten"
        )
    if level == "wijk" and "elz" in units.columns:
        zone_of_area = units.assign(gebied=units["code"].map(areas)).groupby("gebied")["elz"]
        if len(zone_of_area) and zone_of_area.nunique().max() == 1:
            zone = zone_of_area.first()
            values = {zone[a]: v for a, v in per_area["eur_per_jongere"].items()}
            tooltip = {"Bedrag": {zone[a]: fmt.euro(v) for a, v in per_area["eur"].items()}}
            area_values = per_area["eur_per_jongere"].dropna()
            return AmountMap("elz", values, tooltip, area_values, None, "Eerstelijnszones")
    return None
