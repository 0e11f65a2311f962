"""Budget formula sandbox: spread a total budget over units (municipalities, postcodes, ...) and areas.

The published rule (seed 003 l.81-87) spreads the total over all municipalities by their number of
under-25s with a kansarmoede correction and sums per eerstelijnszone; the exact correction is unknown,
so every choice is a parameter (`Params`):

1. ``coordination_pct`` of the total is set aside first (a central top-slice, reported separately);
2. carve-outs (`CarveOut`: a fixed amount or a share of the total for a set of units, e.g. Brussels
   EUR 960,000) are taken next and spread over their own units by population;
3. the rest is spread over the remaining units by weight ``w``:
   - ``geen``: ``w = n``;
   - ``relatief``: ``w = n * (1 + a * (p / p_mean - 1))`` with ``p_mean = sum(n*p) / sum(n)`` over the
     units with a known index (so the weights add up to ``sum(n)`` when none is clipped);
   - ``per_kansarm``: ``w = n * (1 + b * p / 100)`` (``b`` = extra weight per deprived young person);
   ``n`` is the chosen population count, ``p`` the deprivation index in %.
   Negative weights (relative form with ``a > 1`` in areas far below the mean) are **clipped at 0** and
   reported in ``Allocation.warnings``; negative parameter weights are refused.
4. optional floor and cap per area: area amounts become ``clip(s * raw, floor, cap)`` with the single
   factor ``s`` that spends exactly the formula budget (what a floor costs is taken proportionally
   from the others);
5. whole steps by largest remainder: first per area, then per unit inside each area, so every level
   adds up exactly.

Any resource goes through the same formula (`geo.budget.resources`): ``Params.resource`` says what is
shared (euros, FTE, places, hours) and ``Params.step`` in which steps (1 euro, 0.1 FTE, ...). All amounts
in `Params` (total, carve-out amounts, floor, cap) are in the resource's unit and must be multiples of the
step. Internally everything is counted in whole steps: the integer fields and columns named ``eur``
(``Allocation.total_eur``, ``units["eur"]``, ...) hold whole steps, which are euros for the default
resource; ``hoeveelheid`` holds the same amounts in the resource's unit (``eur`` x step).

Missing index values follow ``Params.missing``: refuse, or impute the count-weighted mean of the
eerstelijnszone / province / all units (falling back to the next level when a group has no known
value); imputed units are flagged. Area deprivation is always recomputed from counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from geo import fmt
from geo.budget import resources
from geo.errors import UserFacingError

FORMS = {
    "geen": "Geen correctie (enkel aantal jongeren)",
    "relatief": "Relatief t.o.v. het gemiddelde: w = n × (1 + a × (p / p̄ − 1))",
    "per_kansarm": "Extra gewicht per kansarme jongere: w = n × (1 + b × p)",
}

#: Starting weights: round values near the best fit to the 2021 budgets (see `geo.budget.calibration`).
DEFAULT_WEIGHTS = {"geen": 0.0, "relatief": 0.2, "per_kansarm": 2.0}

MISSING_POLICIES = {
    "gemiddelde_elz": "Aanvullen met het gemiddelde van de eerstelijnszone",
    "gemiddelde_provincie": "Aanvullen met het gemiddelde van de provincie",
    "gemiddelde_alle": "Aanvullen met het gemiddelde van alle eenheden (Vlaanderen)",
    "mediaan_elz": "Aanvullen met de mediaan van de eerstelijnszone",
    "mediaan_provincie": "Aanvullen met de mediaan van de provincie",
    "mediaan_alle": "Aanvullen met de mediaan van alle eenheden (Vlaanderen)",
    "weigeren": "Weigeren: foutmelding bij ontbrekende waarden",
}
# Group columns tried in order for each impute policy (None = all units of the formula).
_IMPUTE_CHAIN = {
    "gemiddelde_elz": ("elz57", "provincie", None),
    "gemiddelde_provincie": ("provincie", None),
    "gemiddelde_alle": (None,),
    "mediaan_elz": ("elz57", "provincie", None),
    "mediaan_provincie": ("provincie", None),
    "mediaan_alle": (None,),
}
_GROUP_LABEL = {"elz57": "eerstelijnszone", "provincie": "provincie", None: "alle eenheden"}


@dataclass(frozen=True)
class PopulationSource:
    """A population count: the sum of one or more count columns."""

    label: str
    columns: tuple[str, ...]
    short: str  # plural, e.g. "0-24-jarigen"

    @property
    def singular(self) -> str:
        return self.short[:-1] if self.short.endswith("n") else self.short


POPULATIONS: dict[str, PopulationSource] = {
    "pop_0_24": PopulationSource("0-24 jaar (Statbel)", ("pop_0_24",), "0-24-jarigen"),
    "pop_0_17": PopulationSource("0-17 jaar (Statbel)", ("pop_0_17",), "0-17-jarigen"),
    "pop_18_24": PopulationSource("18-24 jaar (Statbel)", ("pop_18_24",), "18-24-jarigen"),
    "vacc_0_29": PopulationSource(
        "0-29 jaar (Vaccinnet, ±2021, enkel Vlaanderen)", ("vacc_0_17", "vacc_18_29"), "0-29-jarigen"
    ),
    "vacc_0_17": PopulationSource(
        "0-17 jaar (Vaccinnet, ±2021, enkel Vlaanderen)", ("vacc_0_17",), "0-17-jarigen"
    ),
    "inwoners": PopulationSource("Alle inwoners (Statbel)", ("inwoners",), "inwoners"),
}


@dataclass(frozen=True)
class CarveOut:
    """Units whose budget is set outside the formula: ``amount`` in EUR or ``share_pct`` of the total.

    The units are those where ``column`` has one of ``values`` (e.g. ``elz57 == "elz7"``: Brussels).
    """

    label: str
    column: str
    values: tuple[str, ...]
    amount: float | None = None
    share_pct: float | None = None


@dataclass(frozen=True)
class Params:
    """All choices of the formula; see the module docstring."""

    total: float
    population: str = "pop_0_24"
    indicator: str = "kansarmoede_pct"
    form: str = "relatief"
    weight: float = 0.2  # = DEFAULT_WEIGHTS["relatief"]
    missing: str = "gemiddelde_elz"
    carve_outs: tuple[CarveOut, ...] = ()
    coordination_pct: float = 0.0
    floor: float | None = None
    cap: float | None = None
    resource: str = "euro"  # a `geo.budget.resources.RESOURCES` key
    step: float | None = None  # None = the resource's default step (1 euro, 0.1 FTE, ...)

    def with_weight(self, weight: float) -> Params:
        return replace(self, weight=float(weight))

    @property
    def resource_info(self) -> resources.Resource:
        return resources.resource(self.resource)

    @property
    def step_size(self) -> float:
        """The step in the resource's unit (the resource's default when none is chosen)."""
        return float(self.step) if self.step is not None else self.resource_info.default_step

    def amount_text(self, value: float | None) -> str:
        """An amount in the resource's unit written the nl-BE way (`€ 1.234`, `0,4 VTE`)."""
        return self.resource_info.format(value, self.step_size)


def brussels_carve_out(amount: float = 960_000) -> CarveOut:
    """The 2021 practice: Brussels (ELZ Bruzel, SWV Sonja Erteejee) gets a flat amount."""
    return CarveOut("Brussel (vast bedrag)", "elz57", ("elz7",), amount=amount)


@dataclass
class Allocation:
    """Result of `allocate`: tables per unit and per area, the budget split and the warnings."""

    params: Params
    units: pd.DataFrame
    areas: pd.DataFrame | None
    total_eur: int
    coordination_eur: int
    carved_eur: dict[str, int]
    formula_eur: int
    p_mean: float
    imputed: list[str] = field(default_factory=list)
    clipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_division(self, areas: Mapping[str, str] | pd.Series) -> pd.DataFrame:
        """Per-area table for another division, summed from the unit amounts."""
        labels = _area_labels(self.units["code"].to_numpy(), areas)
        return aggregate(self.units, labels, self.params.step_size)

    @property
    def step(self) -> float:
        return self.params.step_size

    @property
    def resource(self) -> resources.Resource:
        return self.params.resource_info

    def quantity(self, steps: float) -> float:
        """Whole steps (the integer fields) in the resource's unit (28 steps of 0.1 FTE -> 2.8)."""
        return resources.from_steps(steps, self.step)


# ---------------------------------------------------------------------------------------------------
# Small pure building blocks


def largest_remainder(
    exact: Sequence[float] | np.ndarray, total: int, text: Callable[[float], str] = fmt.euro
) -> np.ndarray:
    """Whole numbers that add up to ``total``: floor each, then give the remaining units to the largest
    fractional parts (ties: first in order). ``exact`` must be >= 0 and sum to ``total``; ``text`` writes
    a number of whole units for messages."""
    x = np.asarray(exact, dtype=float)
    if x.size == 0:
        if total != 0:
            raise UserFacingError(f"Er zijn geen eenheden om {text(total)} over te verdelen.")
        return np.zeros(0, dtype=np.int64)
    if (x < -1e-9).any():
        raise UserFacingError("Afronden kan niet: er zijn negatieve bedragen.")
    x = np.clip(x, 0.0, None)
    base = np.floor(x + 1e-9)
    remainder = int(round(total - base.sum()))
    if remainder < 0 or remainder > x.size:
        raise UserFacingError(
            f"Afronden kan niet: de bedragen ({x.sum():.2f}) tellen niet op tot het totaal {total}."
        )
    frac = np.round(x - base, 9)  # equal shares tie exactly, whatever the binary noise
    order = np.lexsort((np.arange(x.size), -frac))
    base[order[:remainder]] += 1
    return base.astype(np.int64)


def unit_weights(n: np.ndarray, p: np.ndarray, form: str, weight: float, p_mean: float) -> np.ndarray:
    """Raw (unclipped) weights per unit for a correction form; ``p`` in %."""
    n = np.asarray(n, dtype=float)
    if form == "geen":
        return n.copy()
    p = np.asarray(p, dtype=float)
    if form == "relatief":
        if not p_mean > 0:
            raise UserFacingError("De gemiddelde kansarmoede is 0: een relatieve correctie is niet mogelijk.")
        return n * (1.0 + weight * (p / p_mean - 1.0))
    if form == "per_kansarm":
        return n * (1.0 + weight * p / 100.0)
    raise UserFacingError(f"Onbekende correctievorm '{form}'. Kies uit: {', '.join(FORMS)}.")


def count_weighted_mean(n: np.ndarray, p: np.ndarray) -> float:
    """``sum(n*p) / sum(n)`` over entries with a known ``p`` (NaN when there are none)."""
    known = ~np.isnan(p)
    den = float(np.sum(n[known]))
    return float(np.sum(n[known] * p[known]) / den) if den > 0 else float("nan")


def floor_cap(
    raw: np.ndarray,
    budget: float,
    floor: float | None,
    cap: float | None,
    text: Callable[[float], str] = fmt.euro,
) -> tuple[np.ndarray, np.ndarray]:
    """Area amounts ``clip(s * raw, floor, cap)`` with ``s`` such that they add up to ``budget``, and a
    flag per area (-1 held at the floor, 1 held at the cap, 0 free).

    ``raw`` are the unconstrained amounts (>= 0). Raises a Dutch error when the floor or the cap cannot
    be met for all areas; ``text`` writes an amount for those messages.
    """
    raw = np.asarray(raw, dtype=float)
    k = raw.size
    flags = np.zeros(k, dtype=np.int8)
    lo = 0.0 if floor is None else float(floor)
    hi = np.inf if cap is None else float(cap)
    if lo < 0 or hi <= 0:
        raise UserFacingError("Minimum en maximum per gebied moeten positief zijn.")
    if lo > hi:
        raise UserFacingError(f"Het minimum per gebied ({text(lo)}) is groter dan het maximum ({text(hi)}).")
    if k == 0 or (floor is None and cap is None):
        return raw.copy(), flags
    if k * lo > budget + 1e-6:
        raise UserFacingError(
            f"Het minimum van {text(lo)} voor {k} gebieden ({text(k * lo)}) is meer dan het "
            f"te verdelen totaal ({text(budget)})."
        )
    pos = raw > 0
    reachable = pos.sum() * hi + (~pos).sum() * lo if pos.any() else k * lo
    if reachable < budget - 1e-6:
        raise UserFacingError(
            f"Met een maximum van {text(hi)} per gebied raakt het totaal van {text(budget)} niet "
            f"verdeeld over {k} gebieden."
        )
    if not pos.any():
        return np.full(k, budget / k), flags

    def spent(s: float) -> float:
        return float(np.clip(s * raw, lo, hi).sum())

    # f(s) is continuous and non-decreasing: bracket, bisect, then solve exactly on the free areas.
    left, right = 0.0, 1.0
    while spent(right) < budget:
        right *= 2.0
    for _ in range(200):
        mid = (left + right) / 2
        if spent(mid) < budget:
            left = mid
        else:
            right = mid
    s = right
    scaled = s * raw
    low = scaled <= lo
    high = scaled >= hi
    free = ~(low | high)
    if free.any():
        s = (budget - lo * low.sum() - (hi * high.sum() if high.any() else 0.0)) / raw[free].sum()
    out = np.where(low, lo, np.where(high, hi, s * raw))
    if floor is not None:
        flags[low & (raw * s < lo)] = -1
    flags[high] = 1
    return out, flags


# ---------------------------------------------------------------------------------------------------
# Preparation: validate inputs once, then evaluate many weights fast (calibration, sensitivity)


@dataclass
class Prepared:
    """Validated arrays for one set of units, parameters (except the weight) and division."""

    params: Params
    codes: np.ndarray
    names: np.ndarray
    n: np.ndarray
    p: np.ndarray  # index used (after imputation), NaN only where not needed
    p_known: np.ndarray  # bool
    imputed_from: np.ndarray  # "" or a label of the group used
    carve: np.ndarray  # "" or carve-out label
    formula: np.ndarray  # bool: unit takes part in the formula
    area: np.ndarray | None  # area label per unit
    area_labels: np.ndarray | None
    area_index: np.ndarray | None  # int index into area_labels
    total_eur: int  # whole steps (euros for the euro resource), like the other integer amounts
    coordination_eur: int
    carved_eur: dict[str, int]
    formula_eur: int
    p_mean: float
    warnings: list[str]
    floor_steps: int | None = None
    cap_steps: int | None = None

    def text(self, steps: float) -> str:
        """A number of whole steps written in the resource's unit (for messages)."""
        return self.params.amount_text(resources.from_steps(steps, self.params.step_size))


def _unit_label(code: str, name: str) -> str:
    return f"{name} ({code})" if name and name != code else str(code)


def _units(k: int) -> str:
    return "1 eenheid" if k == 1 else f"{k} eenheden"


def _list(labels: Iterable[str], limit: int = 8) -> str:
    labels = list(labels)
    more = f" en {len(labels) - limit} andere" if len(labels) > limit else ""
    return ", ".join(labels[:limit]) + more


def population_counts(units: pd.DataFrame, population: str) -> np.ndarray:
    """The chosen population per unit (a `POPULATIONS` key or a plain column name)."""
    source = POPULATIONS.get(population)
    cols = source.columns if source else (population,)
    missing = [c for c in cols if c not in units.columns]
    if missing:
        raise UserFacingError(
            f"De bevolkingsbron '{population}' is niet beschikbaar: "
            f"kolom(men) {', '.join(missing)} ontbreken."
        )
    arr = np.zeros(len(units))
    for c in cols:
        arr = arr + pd.to_numeric(units[c], errors="coerce").to_numpy(dtype=float)
    return arr


def _area_labels(codes: np.ndarray, areas: Mapping[str, str] | pd.Series) -> np.ndarray:
    mapping = areas.to_dict() if isinstance(areas, pd.Series) else dict(areas)
    mapping = {str(k): v for k, v in mapping.items()}
    unknown = sorted(set(mapping) - set(codes))
    if unknown:
        raise UserFacingError(f"Onbekende code(s) in de indeling: {_list(unknown)}.")
    labels = np.array([mapping.get(c) for c in codes], dtype=object)
    absent = [c for c, lab in zip(codes, labels, strict=True) if lab is None or pd.isna(lab) or lab == ""]
    if absent:
        raise UserFacingError(f"{_units(len(absent))} zonder gebied in de indeling: {_list(absent)}.")
    return labels.astype(str)


def prepare(
    units: pd.DataFrame, params: Params, areas: Mapping[str, str] | pd.Series | None = None
) -> Prepared:
    """Validate units and parameters; raise `UserFacingError` with a Dutch message on bad input.

    ``units`` needs ``code`` and the population columns; ``naam`` and the indicator are optional
    (the indicator is required unless the form is ``geen``). ``areas`` maps unit code -> area label.
    """
    if "code" not in units.columns:
        raise UserFacingError("De eenheden hebben geen kolom 'code'.")
    codes = units["code"].astype(str).to_numpy()
    if len(codes) == 0:
        raise UserFacingError("Er zijn geen eenheden om het budget over te verdelen.")
    if pd.Series(codes).duplicated().any():
        dup = sorted(set(pd.Series(codes)[pd.Series(codes).duplicated()]))
        raise UserFacingError(f"Dubbele code(s): {_list(dup)}.")
    names = units["naam"].astype(str).to_numpy() if "naam" in units.columns else codes.copy()
    warnings: list[str] = []

    # Parameters -----------------------------------------------------------------------------------
    if params.form not in FORMS:
        raise UserFacingError(f"Onbekende correctievorm '{params.form}'. Kies uit: {', '.join(FORMS)}.")
    if params.missing not in MISSING_POLICIES:
        raise UserFacingError(
            f"Onbekende keuze voor ontbrekende waarden '{params.missing}'. Kies uit: "
            f"{', '.join(MISSING_POLICIES)}."
        )
    if not np.isfinite(params.weight) or params.weight < 0:
        raise UserFacingError("Het gewicht van de correctie moet 0 of positief zijn.")
    res = resources.resource(params.resource)
    step = resources.check_step(params.step_size, res)
    total = params.total
    if total is None or not np.isfinite(total) or total <= 0:
        if res.key == "euro":
            raise UserFacingError("Het totale budget moet groter zijn dan € 0.")
        raise UserFacingError(f"Het totaal moet groter zijn dan 0 {res.unit}.")
    total_eur = resources.to_steps(total, step, "Het totaal", res)
    floor_steps = cap_steps = None
    if params.floor is not None:
        if not np.isfinite(params.floor) or params.floor < 0:
            raise UserFacingError("Minimum en maximum per gebied moeten positief zijn.")
        floor_steps = resources.to_steps(params.floor, step, "Het minimum per gebied", res)
    if params.cap is not None:
        if not np.isfinite(params.cap) or params.cap <= 0:
            raise UserFacingError("Minimum en maximum per gebied moeten positief zijn.")
        cap_steps = resources.to_steps(params.cap, step, "Het maximum per gebied", res)
    if not 0 <= params.coordination_pct < 100:
        raise UserFacingError("Het aandeel voor coördinatie moet tussen 0 en 100 % liggen.")
    coordination_eur = int(round(total_eur * params.coordination_pct / 100.0))

    # Population ------------------------------------------------------------------------------------
    n = population_counts(units, params.population)

    # Carve-outs ------------------------------------------------------------------------------------
    carve = np.full(len(codes), "", dtype=object)
    carved_eur: dict[str, int] = {}
    for co in params.carve_outs:
        if co.column not in units.columns:
            raise UserFacingError(f"Vast bedrag '{co.label}': kolom '{co.column}' bestaat niet.")
        mask = units[co.column].astype(str).isin([str(v) for v in co.values]).to_numpy()
        if not mask.any():
            raise UserFacingError(f"Vast bedrag '{co.label}' selecteert geen enkele eenheid.")
        if (carve[mask] != "").any():
            raise UserFacingError(f"Vast bedrag '{co.label}' overlapt met een ander vast bedrag.")
        if co.label in carved_eur:
            raise UserFacingError(f"Twee vaste bedragen heten '{co.label}'.")
        if (co.amount is None) == (co.share_pct is None):
            raise UserFacingError(f"Vast bedrag '{co.label}': geef een bedrag of een percentage, niet beide.")
        amount = co.amount if co.amount is not None else co.share_pct
        if amount is None or not np.isfinite(amount) or amount < 0:
            raise UserFacingError(f"Vast bedrag '{co.label}' mag niet negatief zijn.")
        carve[mask] = co.label
        if co.amount is not None:
            carved_eur[co.label] = resources.to_steps(co.amount, step, f"Vast bedrag '{co.label}'", res)
        else:
            carved_eur[co.label] = int(round(total_eur * co.share_pct / 100.0))
        if np.isnan(n[mask]).any():
            warnings.append(
                f"De gekozen bevolking ontbreekt voor '{co.label}': het vaste bedrag is per eenheid in "
                "gelijke delen getoond."
            )
    formula_eur = total_eur - coordination_eur - sum(carved_eur.values())

    def text(steps: float) -> str:
        return res.format(resources.from_steps(steps, step), step)

    if formula_eur < 0:
        raise UserFacingError(
            f"De vaste bedragen ({text(sum(carved_eur.values()))}) en de coördinatie "
            f"({text(coordination_eur)}) zijn samen groter dan het totaal ({text(total_eur)})."
        )
    formula = carve == ""

    # Counts must be complete and non-negative where they are used.
    bad_missing = np.isnan(n) & formula
    if bad_missing.any():
        labs = [_unit_label(c, m) for c, m in zip(codes[bad_missing], names[bad_missing], strict=True)]
        src = POPULATIONS.get(params.population)
        what = src.short if src else params.population
        raise UserFacingError(f"Aantal {what} ontbreekt voor: {_list(labs)}.")
    negative = np.nan_to_num(n) < 0
    if negative.any():
        labs = [_unit_label(c, m) for c, m in zip(codes[negative], names[negative], strict=True)]
        raise UserFacingError(f"Negatief aantal voor: {_list(labs)}.")
    if formula.any() and n[formula].sum() <= 0 and formula_eur > 0:
        raise UserFacingError("De bevolking van de eenheden in de formule is 0: er valt niets te verdelen.")
    if not formula.any() and formula_eur > 0:
        raise UserFacingError(
            f"Alle eenheden hebben een vast bedrag, maar {text(formula_eur)} blijft onverdeeld."
        )

    # Indicator -------------------------------------------------------------------------------------
    needs_p = params.form != "geen"
    if params.indicator in units.columns:
        p = pd.to_numeric(units[params.indicator], errors="coerce").to_numpy(dtype=float)
    elif needs_p:
        raise UserFacingError(f"De indicator '{params.indicator}' ontbreekt in de gegevens.")
    else:
        p = np.full(len(codes), np.nan)
    p_known = ~np.isnan(p)
    bad_range = p_known & ((p < 0) | (p > 100))
    if needs_p and (bad_range & formula).any():
        labs = [_unit_label(c, m) for c, m in zip(codes[bad_range], names[bad_range], strict=True)]
        raise UserFacingError(f"De indicator moet tussen 0 en 100 % liggen; fout bij: {_list(labs)}.")
    imputed_from = np.full(len(codes), "", dtype=object)
    p_mean = count_weighted_mean(n[formula], p[formula]) if formula.any() else float("nan")
    todo = formula & ~p_known
    if needs_p and todo.any():
        labs = [_unit_label(c, m) for c, m in zip(codes[todo], names[todo], strict=True)]
        if params.missing == "weigeren":
            raise UserFacingError(
                f"De indicator ontbreekt voor {_units(len(labs))}: {_list(labs)}. Kies een manier "
                "om aan te vullen of geef deze eenheden een vast bedrag."
            )
        p = p.copy()
        used_text: list[str] = []
        for group in _IMPUTE_CHAIN[params.missing]:
            if not todo.any():
                break
            if group is not None and group not in units.columns:
                continue
            keys = units[group].astype(str).to_numpy() if group is not None else np.full(len(codes), "*")
            known = formula & p_known
            median = params.missing.startswith("mediaan")
            for key in np.unique(keys[todo]):
                donors = known & (keys == key)
                if median:
                    value = float(np.median(p[donors])) if donors.any() else float("nan")
                else:
                    value = count_weighted_mean(n[donors], p[donors])
                if np.isnan(value):
                    continue
                hit = todo & (keys == key)
                p[hit] = value
                what = "mediaan" if median else "gemiddelde"
                imputed_from[hit] = _GROUP_LABEL[group]
                used_text.extend(
                    f"{_unit_label(c, m)}: {fmt.percent(value)} ({what} {_GROUP_LABEL[group]})"
                    for c, m in zip(codes[hit], names[hit], strict=True)
                )
                todo = todo & ~hit
        if todo.any():
            raise UserFacingError("Ontbrekende indicatorwaarden konden niet aangevuld worden: geen gegevens.")
        warnings.append(
            f"Kansarmoede-index ontbreekt voor {_units(len(labs))}, aangevuld met "
            f"{MISSING_POLICIES[params.missing].split('met ')[-1]}; gebruikte waarde: {_list(used_text)}."
        )

    # Division --------------------------------------------------------------------------------------
    area = area_labels = area_index = None
    if areas is not None:
        area = _area_labels(codes, areas)
        area_labels, area_index = np.unique(area, return_inverse=True)
    elif params.floor is not None or params.cap is not None:
        raise UserFacingError("Een minimum of maximum per gebied vraagt een indeling in gebieden.")

    return Prepared(
        params=params,
        codes=codes,
        names=names,
        n=n,
        p=p,
        p_known=p_known,
        imputed_from=imputed_from,
        carve=carve,
        formula=formula,
        area=area,
        area_labels=area_labels,
        area_index=area_index,
        total_eur=total_eur,
        coordination_eur=coordination_eur,
        carved_eur=carved_eur,
        formula_eur=formula_eur,
        p_mean=p_mean,
        warnings=warnings,
        floor_steps=floor_steps,
        cap_steps=cap_steps,
    )


def weights(prep: Prepared, weight: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Clipped weights per unit (0 outside the formula) and the mask of units clipped at 0."""
    w_par = prep.params.weight if weight is None else weight
    w = np.zeros(prep.n.size)
    f = prep.formula
    raw = unit_weights(prep.n[f], prep.p[f], prep.params.form, w_par, prep.p_mean)
    w[f] = raw
    clipped = np.zeros(prep.n.size, dtype=bool)
    clipped[f] = raw < 0
    w[clipped] = 0.0
    return w, clipped


def _spread(total: float, w: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    """``total`` in proportion to ``w`` (or ``fallback`` when all ``w`` are 0, else equally)."""
    if w.size == 0:
        return w.astype(float)
    if w.sum() > 0:
        return total * w / w.sum()
    if fallback.sum() > 0:
        return total * fallback / fallback.sum()
    return np.full(w.size, total / w.size)


def exact_amounts(prep: Prepared, weight: float | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unrounded EUR per unit, the clipped mask and the area amount bounds flag (-1 floor, 1 cap, 0)."""
    w, clipped = weights(prep, weight)
    eur = np.zeros(prep.n.size)
    f = prep.formula
    bound = np.zeros(0 if prep.area_labels is None else prep.area_labels.size, dtype=np.int8)
    if f.any():
        if prep.area_index is not None and (prep.floor_steps is not None or prep.cap_steps is not None):
            k = prep.area_labels.size
            has_f = np.bincount(prep.area_index[f], minlength=k) > 0
            area_w = np.bincount(prep.area_index[f], weights=w[f], minlength=k)
            raw = _spread(prep.formula_eur, area_w[has_f], np.ones(int(has_f.sum())))
            fixed, flags = floor_cap(raw, prep.formula_eur, prep.floor_steps, prep.cap_steps, prep.text)
            area_amount = np.zeros(k)
            area_amount[has_f] = fixed
            bound[has_f] = flags
            for a in np.flatnonzero(has_f):
                sel = f & (prep.area_index == a)
                eur[sel] = _spread(area_amount[a], w[sel], prep.n[sel])
        else:
            eur[f] = _spread(prep.formula_eur, w[f], prep.n[f])
    for label, amount in prep.carved_eur.items():
        sel = prep.carve == label
        n_sel = prep.n[sel]
        if np.isnan(n_sel).any():  # population unknown (e.g. Vaccinnet in Brussels): equal parts
            n_sel = np.ones(n_sel.size)
        eur[sel] = _spread(amount, n_sel, np.ones(int(sel.sum())))
    return eur, clipped, bound


def area_amounts(prep: Prepared, weight: float | None = None) -> pd.Series:
    """Unrounded EUR per area for one weight (fast path for calibration and sensitivity charts)."""
    if prep.area_index is None:
        raise UserFacingError("Geen indeling in gebieden gekozen.")
    eur, _, _ = exact_amounts(prep, weight)
    sums = np.bincount(prep.area_index, weights=eur, minlength=prep.area_labels.size)
    return pd.Series(sums, index=pd.Index(prep.area_labels, name="gebied"))


def _round(prep: Prepared, eur: np.ndarray) -> np.ndarray:
    """Whole euros: per carve-out, then per area and per unit within the area (formula part)."""
    out = np.zeros(eur.size, dtype=np.int64)
    for label, amount in prep.carved_eur.items():
        sel = prep.carve == label
        out[sel] = largest_remainder(eur[sel], amount, prep.text)
    f = prep.formula
    if not f.any():
        return out
    if prep.area_index is None:
        out[f] = largest_remainder(eur[f], prep.formula_eur, prep.text)
        return out
    k = prep.area_labels.size
    area_exact = np.bincount(prep.area_index[f], weights=eur[f], minlength=k)
    area_int = largest_remainder(area_exact, prep.formula_eur, prep.text)
    for a in np.flatnonzero(np.bincount(prep.area_index[f], minlength=k)):
        sel = f & (prep.area_index == a)
        out[sel] = largest_remainder(eur[sel], int(area_int[a]), prep.text)
    return out


# ---------------------------------------------------------------------------------------------------
# Public entry points


def allocate(
    units: pd.DataFrame, params: Params, areas: Mapping[str, str] | pd.Series | None = None
) -> Allocation:
    """Spread ``params.total`` over ``units`` (and aggregate to ``areas`` when given)."""
    prep = prepare(units, params, areas)
    return allocate_prepared(prep)


def allocate_prepared(prep: Prepared, weight: float | None = None) -> Allocation:
    """`allocate` on already validated input (optionally with another weight)."""
    params = prep.params if weight is None else prep.params.with_weight(weight)
    if weight is not None and (not np.isfinite(weight) or weight < 0):
        raise UserFacingError("Het gewicht van de correctie moet 0 of positief zijn.")
    prep_w = prep if weight is None else replace(prep, params=params)
    eur_exact, clipped, bound = exact_amounts(prep_w)
    eur = _round(prep_w, eur_exact)
    w, _ = weights(prep_w)
    distributed = int(eur.sum())
    p_used = np.where(prep.formula | prep.p_known, prep.p, np.nan)
    unit_table = pd.DataFrame(
        {
            "code": prep.codes,
            "naam": prep.names,
            "gebied": prep.area if prep.area is not None else np.full(prep.codes.size, None, dtype=object),
            "n": prep.n,
            "kansarmoede_pct": p_used,
            "geimputeerd": prep.imputed_from != "",
            "aangevuld_met": prep.imputed_from,
            "kansarm_n": np.where(np.isnan(p_used), 0.0, prep.n * np.nan_to_num(p_used) / 100.0),
            "vast_bedrag": prep.carve,
            "gewicht": np.where(prep.formula, w, np.nan),
            "op_nul_gezet": clipped,
            "eur_exact": eur_exact,
            "eur": eur,
            "hoeveelheid": resources.from_steps(eur, params.step_size),
        }
    )
    unit_table["aandeel_pct"] = 100.0 * unit_table["eur"] / distributed if distributed else 0.0
    # Per young person in the resource's unit (EUR, FTE, ...).
    unit_table["eur_per_jongere"] = unit_table["hoeveelheid"] / unit_table["n"].where(unit_table["n"] > 0)
    warnings = list(prep.warnings)
    clipped_labels = [
        _unit_label(c, m) for c, m in zip(prep.codes[clipped], prep.names[clipped], strict=True)
    ]
    if clipped_labels:
        warnings.append(
            f"Bij dit gewicht wordt het gewicht van {_units(len(clipped_labels))} negatief; "
            f"het is op 0 gezet (zij krijgen € 0): {_list(clipped_labels)}."
        )
    area_table = None
    if prep.area is not None:
        area_table = aggregate(unit_table, prep.area, params.step_size)
        flags = pd.Series(bound, index=prep.area_labels).map({-1: "minimum", 1: "maximum", 0: ""})
        area_table["begrensd"] = area_table["gebied"].map(flags).fillna("")
    return Allocation(
        params=params,
        units=unit_table,
        areas=area_table,
        total_eur=prep.total_eur,
        coordination_eur=prep.coordination_eur,
        carved_eur=dict(prep.carved_eur),
        formula_eur=prep.formula_eur,
        p_mean=prep.p_mean,
        imputed=list(prep.codes[prep.imputed_from != ""]),
        clipped=list(prep.codes[clipped]),
        warnings=warnings,
    )


def aggregate(
    unit_table: pd.DataFrame, labels: Sequence[str] | np.ndarray | pd.Series, step: float = 1.0
) -> pd.DataFrame:
    """Per-area sums of a unit table from `allocate` (amounts in whole steps of ``step``); the index is
    recomputed from counts."""
    df = unit_table.assign(gebied=np.asarray(labels))
    g = df.groupby("gebied", sort=True)
    out = pd.DataFrame(
        {
            "eenheden": g.size(),
            "n": g["n"].sum(),
            "kansarm_n": g["kansarm_n"].sum(),
            "gewicht": g["gewicht"].sum(min_count=1),
            "eur": g["eur"].sum().astype("int64"),
            "eur_exact": g["eur_exact"].sum(),
            "geimputeerd": g["geimputeerd"].sum().astype("int64"),
            "vast_bedrag": g["vast_bedrag"].agg(lambda s: ", ".join(sorted(set(s) - {""}))),
        }
    )
    # Index from counts over the units whose index is known or imputed (never an average of rates).
    known_n = df["n"].where(df["kansarmoede_pct"].notna(), 0.0).groupby(df["gebied"]).sum()
    out["kansarmoede_pct"] = 100.0 * out["kansarm_n"] / known_n.where(known_n > 0)
    total = out["eur"].sum()
    out["hoeveelheid"] = resources.from_steps(out["eur"], step)
    out["aandeel_pct"] = 100.0 * out["eur"] / total if total else 0.0
    out["eur_per_jongere"] = out["hoeveelheid"] / out["n"].where(out["n"] > 0)
    return out.reset_index()


def sensitivity(prep: Prepared, weights_grid: Sequence[float]) -> pd.DataFrame:
    """Long table ``gewicht_param, gebied, eur`` (unrounded) for each weight in the grid."""
    frames = []
    for value in weights_grid:
        s = area_amounts(prep, float(value))
        frames.append(pd.DataFrame({"gewicht_param": float(value), "gebied": s.index, "eur": s.to_numpy()}))
    return pd.concat(frames, ignore_index=True)


def division_by_parent(
    units: pd.DataFrame, column: str, mapping: Mapping[str, str] | None = None
) -> pd.Series:
    """Unit code -> area from a parent column (e.g. ``elz57``), optionally mapped (e.g. ELZ -> SWV).

    Raises a Dutch error naming parent codes that the mapping does not know.
    """
    if column not in units.columns:
        raise UserFacingError(f"Kolom '{column}' ontbreekt: deze indeling kan niet gemaakt worden.")
    parent = units[column].astype(str)
    if mapping is None:
        return pd.Series(parent.to_numpy(), index=units["code"].astype(str).to_numpy(), name="gebied")
    unknown = sorted(set(parent) - set(mapping))
    if unknown:
        raise UserFacingError(f"Onbekende code(s) voor '{column}' in de indeling: {_list(unknown)}.")
    return pd.Series(
        parent.map(mapping).to_numpy(), index=units["code"].astype(str).to_numpy(), name="gebied"
    )


def correction_shift(prep: Prepared, weight: float | None = None) -> pd.DataFrame:
    """Per area: share without correction (weight 0) vs with the weight, in % points and EUR (unrounded)."""
    base = area_amounts(prep, 0.0)
    with_w = area_amounts(prep, prep.params.weight if weight is None else weight)
    total = float(base.sum()) or 1.0
    out = pd.DataFrame(
        {
            "gebied": base.index,
            "eur_zonder": base.to_numpy(),
            "eur_met": with_w.to_numpy(),
            "aandeel_zonder_pct": 100.0 * base.to_numpy() / total,
            "aandeel_met_pct": 100.0 * with_w.to_numpy() / total,
        }
    )
    out["verschil_eur"] = out["eur_met"] - out["eur_zonder"]
    out["verschil_pp"] = out["aandeel_met_pct"] - out["aandeel_zonder_pct"]
    return out


def equivalent_weight(form: str, weight: float, p_mean: float) -> float:
    """The weight of the other form that gives the same shares (without clipping).

    ``n(1 + a(p/p̄ - 1))`` is proportional to ``n(1 + b p/100)`` with ``b = 100 a / ((1 - a) p̄)``
    (for ``a < 1``); so ``a = b p̄ / (100 + b p̄)``. Returns NaN when there is no equivalent.
    """
    if not p_mean > 0:
        return float("nan")
    if form == "relatief":
        return 100.0 * weight / ((1.0 - weight) * p_mean) if weight < 1 else float("nan")
    if form == "per_kansarm":
        return weight * p_mean / (100.0 + weight * p_mean)
    return float("nan")
