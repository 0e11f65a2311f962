"""The budget allocation told to people: Dutch tables, the worked explanation, CSV and XLSX files.

Amount columns follow the resource (`geo.budget.resources`): ``Bedrag (EUR)`` for euros, ``Toegekend (VTE)``
for staff and so on; per young person it is ``EUR per 0-24-jarige`` for euros and ``0-24-jarigen per VTE``
for the other resources. `equal_table_nl` compares with the equal split, `transition_table_nl` tells a
transition path, and `resource_section` / `transition_section` hand both to a report (e.g. a dossier) as
titled tables with their sentences. For example::

    alloc = allocate(setting.units, Params(total=2.8, resource="vte"), setting.areas)
    fte = resource_section(alloc)                       # .title, .paragraphs, .tables (Dutch headers)
    euros = allocate(setting.units, default_params(setting), setting.areas)
    target = euros.areas.set_index("gebied")["eur"]
    start = transition.start_amounts(transition.START_2021, target, setting.published)
    path = transition_section(transition.transition_path(start, target, 4, -5, 5), start_label="Start 2021")
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo import exports, fmt
from geo.budget.allocation import FORMS, MISSING_POLICIES, POPULATIONS, Allocation, Params, equivalent_weight
from geo.budget.equal import compare_equal, spread_summary
from geo.budget.transition import TransitionPath
from geo.data.units import INDICATORS


def population_label(population: str, singular: bool = False) -> str:
    """Short Dutch name of the population count (e.g. `0-24-jarigen`, singular `0-24-jarige`)."""
    source = POPULATIONS.get(population)
    if source is None:
        return population
    return source.singular if singular else source.short


INDEX_HEADER = "Kansarmoede-index (%)"


def count_headers(who: str, when: str | None = None) -> tuple[str, str]:
    """Headers of the count and the estimated deprived count, with the year of the counts when known:
    ``Aantal 0-24-jarigen (2020)`` and ``Kansarme 0-24-jarigen (2020, schatting)``."""
    if not when:
        return f"Aantal {who}", f"Kansarme {who} (schatting)"
    return f"Aantal {who} ({when})", f"Kansarme {who} ({when.replace(', geschat', '')}, schatting)"


def amount_header(params: Params) -> str:
    """Header of the amount column: ``Bedrag (EUR)`` or ``Toegekend (VTE)``."""
    res = params.resource_info
    return "Bedrag (EUR)" if res.key == "euro" else f"Toegekend ({res.unit})"


def _per_head(
    params: Params, n: pd.Series, quantity: pd.Series, per_head_eur: pd.Series
) -> tuple[str, pd.Series]:
    """``EUR per 0-24-jarige`` for euros; ``0-24-jarigen per VTE`` (n / amount) for other resources."""
    res = params.resource_info
    if res.key == "euro":
        return f"EUR per {population_label(params.population, True)}", per_head_eur
    return f"{population_label(params.population)} per {res.singular}", n / quantity.where(quantity > 0)


#: the formula's indicator column in words (the chosen indicator itself is named with the population year)
INDICATOR_COLUMNS = {"kansarmoede_pct": "Kansarmoede-index (%) van de gekozen indicator"}


def parameter_table(
    params: Params, extra: Mapping[str, object] | None = None, population_text: str | None = None
) -> pd.DataFrame:
    """The parameters as `Parameter`/`Waarde` rows (for the XLSX parameters sheet and the page)."""
    source = POPULATIONS.get(params.population)
    res = params.resource_info
    unit = res.unit
    if res.key == "euro":
        rows: list[tuple[str, object]] = [("Totaal budget (EUR)", int(round(params.total)))]
    else:
        rows = [
            ("Middel", res.name),
            (f"Totaal ({unit})", params.amount_text(params.total)),
            ("Stap", params.amount_text(params.step_size)),
        ]
    rows += [
        ("Bevolking", population_text or (source.label if source else params.population)),
        ("Indicator", INDICATOR_COLUMNS.get(params.indicator, params.indicator)),
        ("Correctievorm", FORMS.get(params.form, params.form)),
        ("Gewicht (a of b)", params.weight if params.form != "geen" else "–"),
        ("Ontbrekende index", MISSING_POLICIES.get(params.missing, params.missing)),
        ("Coördinatie vooraf (%)", params.coordination_pct),
        (
            f"Minimum per gebied ({unit})",
            params.amount_text(params.floor) if params.floor is not None else "geen",
        ),
        (
            f"Maximum per gebied ({unit})",
            params.amount_text(params.cap) if params.cap is not None else "geen",
        ),
    ]
    for co in params.carve_outs:
        what = (
            params.amount_text(co.amount)
            if co.amount is not None
            else fmt.percent(co.share_pct) + " van het totaal"
        )
        rows.append((f"Vast bedrag: {co.label}", f"{what} ({co.column} = {', '.join(co.values)})"))
    for key, value in (extra or {}).items():
        rows.append((key, value))
    return pd.DataFrame(rows, columns=["Parameter", "Waarde"]).astype({"Waarde": str})


def unit_table_nl(
    alloc: Allocation, unit_label: str = "Gemeente", when: str | None = None, index: str | None = None
) -> pd.DataFrame:
    """Per unit with Dutch headers (``when``: the year of the counts, e.g. `2020` or `2020, geschat`,
    `geo.budget.calibration.Setting.count_year`; ``index``: the header of the deprivation index that names
    the indicator, `Setting.index_header`)."""
    u = alloc.units
    params = alloc.params
    who = population_label(params.population)
    count, deprived = count_headers(who, when)
    per_head, per_head_values = _per_head(params, u["n"], u["hoeveelheid"], u["eur_per_jongere"])
    return pd.DataFrame(
        {
            "Code": u["code"],
            unit_label: u["naam"],
            "Gebied": u["gebied"],
            count: u["n"],
            index or INDEX_HEADER: u["kansarmoede_pct"],
            "Index aangevuld met": u["aangevuld_met"].replace("", "–"),
            deprived: u["kansarm_n"],
            "Vast bedrag": u["vast_bedrag"].replace("", "–"),
            "Gewicht": u["gewicht"],
            amount_header(params): u["eur"] if params.resource == "euro" else u["hoeveelheid"],
            per_head: per_head_values,
            "Aandeel (%)": u["aandeel_pct"],
        }
    )


def area_table_nl(
    alloc: Allocation,
    areas: pd.DataFrame | None = None,
    comparison: pd.DataFrame | None = None,
    evidence: pd.DataFrame | None = None,
    when: str | None = None,
    index: str | None = None,
) -> pd.DataFrame:
    """Per area with Dutch headers; adds the published amounts and the composition when given.

    ``comparison`` is `geo.budget.calibration.Comparison.table`; ``evidence`` has `gebied`, `samenstelling`;
    ``when`` and ``index`` name the year of the counts and the indicator in their headers (`unit_table_nl`).
    """
    a = (alloc.areas if areas is None else areas).copy()
    params = alloc.params
    who = population_label(params.population)
    count, deprived = count_headers(who, when)
    per_head, per_head_values = _per_head(params, a["n"], a["hoeveelheid"], a["eur_per_jongere"])
    out = pd.DataFrame(
        {
            "Gebied": a["gebied"],
            "Eenheden": a["eenheden"],
            count: a["n"],
            deprived: a["kansarm_n"],
            index or INDEX_HEADER: a["kansarmoede_pct"],
            "Gewicht": a["gewicht"],
            amount_header(params): a["eur"] if params.resource == "euro" else a["hoeveelheid"],
            per_head: per_head_values,
            "Aandeel (%)": a["aandeel_pct"],
        }
    )
    if "begrensd" in a.columns and (a["begrensd"] != "").any():
        out["Begrensd"] = a["begrensd"].replace("", "–").to_numpy()
    if a["geimputeerd"].any():
        out["Eenheden met aangevulde index"] = a["geimputeerd"].to_numpy()
    if a["vast_bedrag"].ne("").any():
        out["Vast bedrag"] = a["vast_bedrag"].replace("", "–").to_numpy()
    if comparison is not None and params.resource == "euro":
        c = comparison.set_index("gebied")
        out["Gepubliceerd 2021 (EUR)"] = out["Gebied"].map(c["gepubliceerd"])
        out["Verschil (EUR)"] = out["Bedrag (EUR)"] - out["Gepubliceerd 2021 (EUR)"]
        out["Verschil (%)"] = 100.0 * out["Verschil (EUR)"] / out["Gepubliceerd 2021 (EUR)"]
    if evidence is not None:
        out["Samenstelling 2021"] = out["Gebied"].map(evidence.set_index("gebied")["samenstelling"])
    return out


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """An XLSX workbook with one sheet per table, written by `geo.exports` (real number, euro and
    percentage formats from the Dutch headers, texts never as formulas)."""
    return exports.xlsx_bytes(sheets)


def csv_bytes(table: pd.DataFrame) -> bytes:
    """CSV for Excel in Belgium (`geo.exports`): `;` separator, decimal comma, UTF-8 with BOM."""
    return exports.csv_bytes(table)


def _imputed_from(units: pd.DataFrame, missing: str, unit_plural: str) -> str:
    """Which value the units without an index got, per group actually used (the zone's, else the
    province's, else all units')."""
    what = "de mediaan" if missing.startswith("mediaan") else "het gemiddelde"
    groups = units.loc[units["geimputeerd"], "aangevuld_met"].value_counts(sort=False)
    order = {"eerstelijnszone": 0, "provincie": 1, "alle eenheden": 2}
    parts = []
    for group in sorted(groups.index, key=lambda g: order.get(g, 3)):
        where = f"alle {unit_plural}" if group == "alle eenheden" else f"de {group}"
        parts.append((where, int(groups[group])))
    if len(parts) == 1:
        return f"zij kregen {what} van {parts[0][0]}"
    listed = ", ".join(f"van {where} ({fmt.number(n)})" for where, n in parts[:-1])
    last_where, last_n = parts[-1]
    return f"zij kregen {what} {listed} of, waar die er geen heeft, van {last_where} ({fmt.number(last_n)})"


def explanation(
    alloc: Allocation,
    example: str | None = None,
    published: Mapping[str, float] | None = None,
    unit_names: tuple[str, str] = ("gemeente", "gemeenten"),
    population_text: str | None = None,
    indicator: str | None = None,
) -> list[str]:
    """Plain-language Dutch paragraphs that explain this allocation with its own numbers filled in.

    ``example`` is an area label (from ``alloc.areas``) worked out in the last paragraph;
    ``unit_names`` is the singular and plural name of the units; ``population_text`` overrides the
    description of the population source; ``indicator`` (`geo.data.units.INDICATORS`; None: Kind & Gezin)
    names the deprivation index.
    """
    unit_one, unit_plural = unit_names
    p = alloc.params
    res = p.resource_info
    euro = res.key == "euro"

    def amount(steps: float) -> str:
        return p.amount_text(alloc.quantity(steps))

    who = population_label(p.population)
    one = population_label(p.population, singular=True)
    source = POPULATIONS.get(p.population)
    u = alloc.units
    in_formula = u["vast_bedrag"] == ""
    n_formula = float(u.loc[in_formula, "n"].sum())
    paras: list[str] = []

    if euro:
        split = [f"Het totale budget is {amount(alloc.total_eur)}."]
    else:
        split = [
            f"Te verdelen: {amount(alloc.total_eur)} ({res.name_in_text}), in stappen van "
            f"{p.amount_text(p.step_size)}."
        ]
    if alloc.coordination_eur:
        split.append(
            f"Eerst gaat {fmt.percent(p.coordination_pct)} ({amount(alloc.coordination_eur)}) "
            "naar coördinatie."
        )
    for label, carved in alloc.carved_eur.items():
        n_units = int((u["vast_bedrag"] == label).sum())
        split.append(
            f"{label}: een vast deel van {amount(carved)} voor {n_units} "
            f"{unit_plural if n_units != 1 else unit_one}, buiten de formule."
        )
    split.append(
        f"De overige {amount(alloc.formula_eur)} {'wordt' if euro else 'worden'} verdeeld over "
        f"{int(in_formula.sum())} {unit_plural} volgens hun aantal {who}. Bevolking: "
        f"{population_text or (source.label if source else p.population)}."
    )
    paras.append(" ".join(split))

    w = p.weight
    pm = alloc.p_mean
    formula_quantity = alloc.quantity(alloc.formula_eur)
    if euro:
        per_head_text = (
            f"{fmt.euro(formula_quantity / n_formula if n_formula else float('nan'), 2)} per {one}"
        )
    else:
        per_head_text = (
            f"{fmt.number(n_formula / formula_quantity if formula_quantity else float('nan'))} {who} "
            f"per {res.singular}"
        )
    if p.form == "geen":
        paras.append(f"Er is geen correctie voor kansarmoede: elke {one} telt even zwaar ({per_head_text}).")
    elif p.form == "relatief":
        text = (
            f"Elke {unit_one} krijgt een gewicht: aantal {who} × "
            f"(1 + a × (kansarmoede-index ÷ gemiddelde index − 1)). {_index_name(indicator)} is "
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
        paras.append(text + f" Gemiddeld is dat {per_head_text}.")
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
        paras.append(text + f" Gemiddeld is dat {per_head_text}.")

    if alloc.imputed:
        names = u.loc[u["geimputeerd"], "naam"].tolist()
        paras.append(
            f"Voor {len(names)} {unit_plural if len(names) != 1 else unit_one} ontbreekt de "
            f"kansarmoede-index ({', '.join(names[:8])}{' …' if len(names) > 8 else ''}); "
            f"{_imputed_from(u, p.missing, unit_plural)}."
        )
    if alloc.areas is not None and "begrensd" in alloc.areas.columns:
        low = int((alloc.areas["begrensd"] == "minimum").sum())
        high = int((alloc.areas["begrensd"] == "maximum").sum())
        if low:
            paras.append(
                f"{_areas(low)} opgetrokken tot het minimum van {p.amount_text(p.floor)}; "
                "dat gaat in verhouding af van de andere gebieden."
            )
        if high:
            paras.append(
                f"{_areas(high)} begrensd op het maximum van {p.amount_text(p.cap)}; het overschot gaat in "
                "verhouding naar de andere gebieden."
            )
    if euro:
        paras.append(
            "Alle bedragen zijn afgerond op hele euro's met de grootste-restmethode, zodat ze exact optellen "
            "tot het totaal."
        )
    else:
        paras.append(
            f"Alles is afgerond op stappen van {p.amount_text(p.step_size)} met de grootste-restmethode, "
            "zodat de delen exact optellen tot het totaal."
        )
    if example is not None and alloc.areas is not None:
        row = alloc.areas.set_index("gebied").loc[example]
        text = f"Voorbeeld: {example} telt {fmt.number(row['n'])} {who}"
        if row["vast_bedrag"]:
            text += f" en krijgt een vast deel: {amount(row['eur'])}"
        else:
            if euro:
                head = f"{fmt.euro(row['eur_per_jongere'], 2)} per {one}"
            else:
                q = alloc.quantity(row["eur"])
                head = f"{fmt.number(row['n'] / q) if q else '–'} {who} per {res.singular}"
            text += (
                f", van wie naar schatting {fmt.number(row['kansarm_n'])} in kansarmoede "
                f"(index {fmt.percent(row['kansarmoede_pct'])}). "
                f"Het gewicht is {fmt.number(row['gewicht'])}; "
                f"dat geeft {amount(row['eur'])} ({fmt.percent(row['aandeel_pct'])} van het verdeelde "
                f"{'budget' if euro else 'totaal'}, {head})"
            )
        if published is not None and example in published and euro:
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
    if level in ("gemeente", "gemeente2024"):
        u = alloc.units
        codes = u["code"].astype(str)
        own = u["gebied"].map(per_area["eur_per_jongere"]) if by_area else u["eur_per_jongere"]
        tooltip = {
            "Gebied": dict(zip(codes, u["gebied"], strict=True)),
            "Bedrag gebied": dict(zip(codes, u["gebied"].map(per_area["eur"]).map(fmt.euro), strict=True)),
            "Bedrag gemeente": dict(zip(codes, u["eur"].map(fmt.euro), strict=True)),
        }
        area_values = per_area["eur_per_jongere"].dropna() if by_area else None
        if level == "gemeente2024":  # the 2021 geography: today's zone borders would not match
            return AmountMap(
                level, dict(zip(codes, own, strict=True)), tooltip, area_values, None, "Gemeenten (2019-2024)"
            )
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


# ---------------------------------------------------------------------------------------------------
# Need-based against equal split


def equal_table_nl(
    alloc: Allocation, table: pd.DataFrame | None = None, when: str | None = None, index: str | None = None
) -> pd.DataFrame:
    """Per area the equal share, the need-based share, the difference and the load under both.

    ``table`` is `geo.budget.equal.compare_equal` (computed when not given). For euros the load is the
    amount per young person; for other resources the number of young people per unit (per VTE, ...).
    ``when`` and ``index`` name the year of the counts and the indicator in their headers (`unit_table_nl`).
    """
    t = compare_equal(alloc) if table is None else table
    p = alloc.params
    res = p.resource_info
    who = population_label(p.population)
    unit = res.unit
    count, deprived = count_headers(who, when)
    out = pd.DataFrame(
        {
            "Gebied": t["gebied"],
            count: t["n"],
            deprived: t["kansarm_n"],
            index or INDEX_HEADER: t["kansarmoede_pct"],
            f"Gelijk ({unit})": t["gelijk_stappen"] if res.key == "euro" else t["gelijk"],
            f"Volgens behoefte ({unit})": t["behoefte_stappen"] if res.key == "euro" else t["behoefte"],
            f"Verschil ({unit})": (
                t["behoefte_stappen"] - t["gelijk_stappen"] if res.key == "euro" else t["verschil"]
            ),
            "Verschil (%)": t["verschil_pct"],
        }
    )
    if res.key == "euro":
        one = population_label(p.population, True)
        out[f"EUR per {one}, gelijk"] = t["gelijk"] / t["n"].where(t["n"] > 0)
        out[f"EUR per {one}, volgens behoefte"] = t["behoefte"] / t["n"].where(t["n"] > 0)
        out[f"EUR per kansarme {one}, gelijk"] = t["gelijk"] / t["kansarm_n"].where(t["kansarm_n"] > 0)
        out[f"EUR per kansarme {one}, volgens behoefte"] = t["behoefte"] / t["kansarm_n"].where(
            t["kansarm_n"] > 0
        )
    else:
        per = res.singular
        out[f"{who} per {per}, gelijk"] = t["n_per_gelijk"]
        out[f"{who} per {per}, volgens behoefte"] = t["n_per_behoefte"]
        out[f"Kansarme {who} per {per}, gelijk"] = t["kansarm_per_gelijk"]
        out[f"Kansarme {who} per {per}, volgens behoefte"] = t["kansarm_per_behoefte"]
    if (t["begrensd"] != "").any():
        out["Begrensd"] = t["begrensd"].replace("", "–").to_numpy()
    return out


def _areas_text(n: int) -> str:
    return "1 gebied" if n == 1 else f"{fmt.number(n)} gebieden"


def equal_summary(alloc: Allocation, table: pd.DataFrame | None = None) -> list[str]:
    """Dutch sentences: who gains and loses most against the equal split, and the spread of the load."""
    t = compare_equal(alloc) if table is None else table
    p = alloc.params
    res = p.resource_info
    who = population_label(p.population)
    k = len(t)
    total = alloc.quantity(int(t["behoefte_stappen"].sum()))
    equal_values = sorted(set(t["gelijk"]))
    equal_text = " of ".join(p.amount_text(v) for v in equal_values)
    lines = [
        f"Gelijk verdeeld krijgt elk van de {k} gebieden {equal_text} (samen {p.amount_text(total)}); "
        f"volgens behoefte (dezelfde formule als het budget) gaat het van "
        f"{p.amount_text(t['behoefte'].min())} tot {p.amount_text(t['behoefte'].max())}."
    ]
    gain = t.sort_values("verschil", ascending=False).iloc[0]
    loss = t.sort_values("verschil").iloc[0]
    if gain["verschil"] > 0:
        lines.append(
            f"Meeste erbij: {gain['gebied']} (+{p.amount_text(gain['verschil'])}); meeste eraf: "
            f"{loss['gebied']} ({p.amount_text(loss['verschil'])})."
        )
    else:
        lines.append("Volgens behoefte krijgt elk gebied hetzelfde als bij een gelijke verdeling.")
    if res.key != "euro":
        spread = spread_summary(t)
        without = spread["kansarm_zonder"]
        left_out = (
            f" (zonder {_areas_text(without)} zonder gekende kansarme {who})" if 0 < without < k else ""
        )
        lines.append(
            f"Het drukste gebied heeft {fmt.number(spread['n_per_gelijk'], 1)} keer zoveel {who} per "
            f"{res.singular} als het rustigste bij een gelijke verdeling, en "
            f"{fmt.number(spread['n_per_behoefte'], 1)} keer zoveel volgens behoefte; voor kansarme {who}"
            f"{left_out}: {fmt.number(spread['kansarm_per_gelijk'], 1)} tegenover "
            f"{fmt.number(spread['kansarm_per_behoefte'], 1)}."
        )
    return lines


# ---------------------------------------------------------------------------------------------------
# Transition path


def year_label(year: int, first_year: int | None = None) -> str:
    """``Jaar 2`` or, with a first calendar year, ``2027``; year 0 is ``Start``."""
    if year == 0:
        return "Start"
    return str(first_year + year - 1) if first_year else f"Jaar {year}"


def transition_table_nl(
    path: TransitionPath, unit: str = "EUR", first_year: int | None = None, start_label: str = "Start"
) -> pd.DataFrame:
    """Per area the amount of each year, the formula's amount and what is left; a last row `Totaal`."""
    cols = {0: f"{start_label} ({unit})"} | {
        y: f"{year_label(y, first_year)} ({unit})" for y in path.amounts.columns[1:]
    }
    out = path.amounts.rename(columns=cols).reset_index().rename(columns={"gebied": "Gebied"})
    out[f"Formule ({unit})"] = path.targets.iloc[:, -1].to_numpy()
    out[f"Nog te gaan ({unit})"] = path.gap.to_numpy()
    total = {"Gebied": "Totaal"} | {c: int(out[c].sum()) for c in out.columns[1:]}
    table = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    years = list(cols.values())
    table.attrs[exports.CHART] = exports.RowLines(  # a line per area (not the total) in the XLSX
        "Overgangspad per gebied", "Gebied", years, rows=len(out), y_title=unit
    )
    return table


def transition_changes_nl(path: TransitionPath, first_year: int | None = None) -> pd.DataFrame:
    """Change per area and year in % of the year before."""
    ch = path.changes_pct()
    ch.columns = [f"{year_label(y, first_year)} (%)" for y in ch.columns]
    return ch.reset_index().rename(columns={"gebied": "Gebied"})


def transition_summary(path: TransitionPath, text=fmt.euro, first_year: int | None = None) -> list[str]:
    """Dutch sentences: the limits, whether the formula is reached, and when or what is left."""
    limits = []
    if path.floor_pct is not None:
        limits.append(
            f"hoogstens {fmt.percent(-path.floor_pct)} minder"
            if path.floor_pct <= 0
            else f"minstens {fmt.percent(path.floor_pct)} meer"
        )
    if path.cap_pct is not None:
        limits.append(f"hoogstens {fmt.percent(path.cap_pct)} meer")
    limit_text = " en ".join(limits) if limits else "zonder grenzen"
    lines = [
        f"Van het startbedrag naar de formule in {path.years} jaar; elk gebied krijgt per jaar {limit_text} "
        f"dan het jaar ervoor. Het totaal gaat van {text(path.totals[0])} naar {text(path.totals[-1])} en "
        "klopt elk jaar tot op de euro."
    ]
    if path.reached:
        when = year_label(path.reached_year or path.years, first_year).lower()
        lines.append(f"Elk gebied heeft zijn bedrag volgens de formule vanaf {when}.")
    else:
        behind = path.gap[path.gap != 0]
        worst = behind.abs().idxmax()
        lines.append(
            f"Binnen {path.years} jaar lukt het niet: "
            + ("1 gebied heeft" if len(behind) == 1 else f"{len(behind)} gebieden hebben")
            + " na het laatste jaar nog niet hun bedrag volgens de formule; het verst af is "
            f"{worst} "
            f"({text(int(behind[worst]))} te gaan)."
        )
        if path.years_needed is not None:
            lines.append(f"Met dezelfde grenzen zijn {path.years_needed} jaar nodig.")
        else:
            lines.append("Met dezelfde grenzen wordt de formule nooit bereikt: verruim de grenzen.")
    lines.extend(path.notes)
    return lines


# ---------------------------------------------------------------------------------------------------
# Sections for a report (e.g. the decision dossier)


@dataclass
class Section:
    """A titled part of a report: sentences and tables with Dutch headers (numbers stay numbers)."""

    title: str
    paragraphs: list[str]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def _index_name(indicator: str | None) -> str:
    """`De kansarmoede-index van Kind & Gezin`, or the index named after the chosen indicator (BIMD)."""
    if indicator is None or indicator.startswith("kg_"):
        return "De kansarmoede-index van Kind & Gezin"
    return f"De kansarmoede-index volgens {INDICATORS[indicator].label}"


def _resource_explanation(
    alloc: Allocation, population_text: str | None, indicator: str | None = None
) -> list[str]:
    """What is shared and the formula in words, and which units got a filled-in index."""
    paras = explanation(alloc, population_text=population_text, indicator=indicator)
    return paras[:2] + [t for t in paras[2:] if "ontbreekt de kansarmoede-index" in t]


def resource_section(
    alloc: Allocation,
    area_word: str = "gebied",
    population_text: str | None = None,
    when: str | None = None,
    indicator: str | None = None,
) -> Section:
    """The need-based share of a resource against the equal split, for a report (``population_text``
    names the population and its year, as in `explanation`; ``when`` the year of the counts in the
    table's headers, as in `equal_table_nl`; ``indicator`` names the index, as in `explanation`)."""
    p = alloc.params
    res = p.resource_info
    table = compare_equal(alloc)
    return Section(
        title=f"{res.name}: volgens behoefte of gelijk per {area_word}",
        paragraphs=equal_summary(alloc, table) + _resource_explanation(alloc, population_text, indicator),
        tables={
            "Parameters": parameter_table(p, population_text=population_text),
            "Gelijk of volgens behoefte": equal_table_nl(alloc, table, when=when),
        },
    )


def transition_section(
    path: TransitionPath, first_year: int | None = None, start_label: str = "Start"
) -> Section:
    """The transition path for a report: its sentences, the amounts per year and the changes in %."""
    return Section(
        title="Overgangspad naar de formule",
        paragraphs=transition_summary(path, first_year=first_year),
        tables={
            "Overgang per jaar": transition_table_nl(path, first_year=first_year, start_label=start_label),
            "Verandering per jaar": transition_changes_nl(path, first_year),
        },
    )
