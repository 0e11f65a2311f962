"""Transition path: from today's amount per area to the formula's amount over N years, at a capped pace.

Each year every area may change by at least ``floor_pct`` and at most ``cap_pct`` of its amount of the
year before (e.g. -5 % and +5 %), and the areas together get exactly that year's total (by default the
totals move in equal steps from the starting total to the formula's total). Within those limits each
year's amounts are the ones closest to that year's formula amounts: they minimise
``sum((x - target)² / previous)`` (each area's distance counted relative to its own budget), whose
solution is ``x = clip(target + μ · previous, low, high)`` with the one ``μ`` that spends the total.
Where the total allows it, each amount also stays between last year's amount and its target, so no area
passes its target and comes back.
Limits are whole euros (the lower limit rounded up, the upper one down) and the amounts are rounded by
largest remainder, so every year adds up to the euro and no area ever moves beyond its limits.

When the limits do not let every area reach its formula amount within N years, the path says so:
`TransitionPath.reached` is false, ``gap`` is what is left per area, and ``years_needed`` how many years
the same limits would take (None when they never get there). A year whose total cannot be met within
the limits at all (e.g. the total falls faster than the maximum decrease) is refused with a Dutch message.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo import fmt
from geo.budget.allocation import largest_remainder
from geo.errors import UserFacingError

#: Extra years tried after N to say how long the same limits would take.
MAX_EXTRA_YEARS = 100
DEFAULT_FLOOR_PCT = -5.0
DEFAULT_CAP_PCT = 5.0


@dataclass
class TransitionPath:
    """The amounts per area and year (whole steps, e.g. euros), with what is left at the end."""

    areas: list[str]
    amounts: pd.DataFrame  # index gebied; columns 0 (start), 1, ..., N; ints
    targets: pd.DataFrame  # index gebied; columns 1, ..., N: the formula amount at that year's total
    totals: list[int]  # per year 0..N
    floor_pct: float | None
    cap_pct: float | None
    reached: bool  # every area has its formula amount in year N
    reached_year: int | None  # first year from which every area keeps its formula amount
    years_needed: int | None  # years the same limits need (None: never, within MAX_EXTRA_YEARS more)
    gap: pd.Series  # formula amount minus amount in year N, per area
    notes: list[str] = field(default_factory=list)

    @property
    def years(self) -> int:
        return len(self.totals) - 1

    def changes_pct(self) -> pd.DataFrame:
        """Change per area and year in % of the year before (columns 1..N; NaN where the start is 0)."""
        a = self.amounts.astype(float)
        prev = a.iloc[:, :-1].to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            pct = 100.0 * (a.iloc[:, 1:].to_numpy() - prev) / np.where(prev > 0, prev, np.nan)
        return pd.DataFrame(pct, index=a.index, columns=a.columns[1:])


def year_totals(start_total: int, target_total: int, years: int) -> list[int]:
    """Totals for years 0..N moving in equal whole steps from the start to the target total."""
    return [start_total + round((target_total - start_total) * t / years) for t in range(years + 1)]


def bounds(
    previous: np.ndarray, floor_pct: float | None, cap_pct: float | None
) -> tuple[np.ndarray, np.ndarray]:
    """Whole-step limits for next year: ``ceil(prev·(1+floor))`` and ``floor(prev·(1+cap))``."""
    prev = previous.astype(float)
    lo = np.zeros_like(prev) if floor_pct is None else np.ceil(prev * (1 + floor_pct / 100.0) - 1e-6)
    hi = np.full_like(prev, np.inf) if cap_pct is None else np.floor(prev * (1 + cap_pct / 100.0) + 1e-6)
    return np.maximum(lo, 0.0), hi


def step_year(
    previous: np.ndarray, target: np.ndarray, total: int, floor_pct: float | None, cap_pct: float | None
) -> np.ndarray:
    """Next year's whole amounts: closest to ``target`` within the limits, adding up to ``total``.

    Raises `UserFacingError` when ``total`` lies outside what the limits allow.
    """
    lo, hi = bounds(previous, floor_pct, cap_pct)
    if lo.sum() > total:
        raise _InfeasibleYear("low", float(lo.sum()))
    if hi.sum() < total:
        raise _InfeasibleYear("high", float(hi.sum()))
    # Prefer amounts between last year's and the target (nobody passes its target and comes back).
    prev, tgt = previous.astype(float), target.astype(float)
    lo_m = np.maximum(lo, np.minimum(prev, tgt))
    hi_m = np.minimum(hi, np.maximum(prev, tgt))
    if lo_m.sum() <= total <= hi_m.sum():
        lo, hi = lo_m, hi_m
    return _closest(previous, target, total, lo, hi)


def _closest(
    previous: np.ndarray, target: np.ndarray, total: int, lo: np.ndarray, hi: np.ndarray
) -> np.ndarray:
    """``clip(target + μ · previous, lo, hi)`` adding up to ``total``, in whole units."""
    first = np.clip(target.astype(float), lo, hi)
    if first.sum() == total:
        return first.astype(np.int64)
    weight = np.maximum(previous.astype(float), 1.0)

    def spent(mu: float) -> float:
        return float(np.clip(target + mu * weight, lo, hi).sum())

    span = (float(np.max(np.where(np.isfinite(hi), hi, 0.0))) + float(np.max(target)) + 1.0) / weight.min()
    left, right = -span, span
    while spent(right) < total:  # only when some area has no upper limit
        right *= 2.0
    for _ in range(200):
        if right - left <= 1e-12 * max(1.0, abs(right)):
            break
        mid = (left + right) / 2
        if spent(mid) < total:
            left = mid
        else:
            right = mid
    x = np.clip(target + right * weight, lo, hi)
    free = (x > lo) & (x < hi)
    if free.any():  # solve exactly on the areas that are not at a limit
        fixed = float(x[~free].sum())
        mu = (total - fixed - float(target[free].sum())) / float(weight[free].sum())
        x[free] = np.clip(target[free] + mu * weight[free], lo[free], hi[free])
    return largest_remainder(x, int(total))


class _InfeasibleYear(Exception):
    def __init__(self, side: str, limit: float):
        super().__init__(side)
        self.side, self.limit = side, limit


def transition_path(
    start: pd.Series | Mapping[str, int],
    target: pd.Series | Mapping[str, int],
    years: int,
    floor_pct: float | None = DEFAULT_FLOOR_PCT,
    cap_pct: float | None = DEFAULT_CAP_PCT,
    totals: Sequence[int] | None = None,
    text=fmt.euro,
) -> TransitionPath:
    """The path from ``start`` to ``target`` (whole amounts per area) over ``years`` years.

    ``floor_pct``/``cap_pct`` are the lowest and highest change per year in % (None = no limit);
    ``totals`` the totals of years 0..N (default: equal steps from the start to the target total);
    ``text`` writes an amount in messages.
    """
    start_s = _whole_series(start, "startbedrag")
    target_s = _whole_series(target, "doelbedrag")
    missing = sorted(set(target_s.index) - set(start_s.index))
    extra = sorted(set(start_s.index) - set(target_s.index))
    if missing:
        raise UserFacingError(f"Geen startbedrag voor: {', '.join(map(str, missing))}.")
    if extra:
        raise UserFacingError(f"Startbedrag voor onbekende gebieden: {', '.join(map(str, extra))}.")
    if not isinstance(years, int | np.integer) or years < 1:
        raise UserFacingError("Het aantal jaren moet een geheel getal van minstens 1 zijn.")
    if years > 50:
        raise UserFacingError("Kies hoogstens 50 jaar.")
    for value, name in ((floor_pct, "De minimale verandering"), (cap_pct, "De maximale verandering")):
        if value is not None and not math.isfinite(value):
            raise UserFacingError(f"{name} per jaar is geen getal.")
    if floor_pct is not None and floor_pct < -100:
        raise UserFacingError("Een gebied kan per jaar niet meer dan 100 % dalen.")
    if floor_pct is not None and cap_pct is not None and floor_pct > cap_pct:
        raise UserFacingError(
            f"De minimale verandering per jaar ({fmt.percent(floor_pct)}) is groter dan de maximale "
            f"({fmt.percent(cap_pct)})."
        )
    areas = list(target_s.index)
    start_arr = start_s.reindex(areas).to_numpy(dtype=np.int64)
    target_arr = target_s.to_numpy(dtype=np.int64)
    target_total = int(target_arr.sum())
    if totals is None:
        totals = year_totals(int(start_arr.sum()), target_total, years)
    totals = [int(t) for t in totals]
    if len(totals) != years + 1:
        raise UserFacingError(f"Geef {years + 1} totalen (startjaar en {years} jaren), niet {len(totals)}.")
    if totals[0] != int(start_arr.sum()):
        raise UserFacingError("Het totaal van jaar 0 moet de som van de startbedragen zijn.")
    if target_total <= 0:
        raise UserFacingError("Het doel (de formule) verdeelt niets.")
    notes: list[str] = []
    if cap_pct is not None:
        zero = [a for a, v in zip(areas, start_arr, strict=True) if v == 0]
        if zero:
            notes.append(
                f"{', '.join(zero)} begint op {text(0)}: een stijging in % van 0 blijft 0, dus dat gebied "
                "kan met een maximale stijging niet groeien."
            )

    amounts = [start_arr]
    targets = []
    for t in range(1, years + 1):
        tgt = _target_at(target_arr, totals[t])
        targets.append(tgt)
        amounts.append(_year(amounts[-1], tgt, totals[t], floor_pct, cap_pct, t, text))

    final = amounts[-1]
    reached = bool(np.array_equal(final, targets[-1]))
    reached_year = None
    if reached:
        reached_year = years
        while reached_year > 1 and np.array_equal(amounts[reached_year - 1], targets[reached_year - 2]):
            reached_year -= 1
    years_needed: int | None = years if reached else None
    if not reached:
        current, last_target = final, targets[-1]
        for extra_year in range(1, MAX_EXTRA_YEARS + 1):
            nxt = _year(current, last_target, totals[-1], floor_pct, cap_pct, years + extra_year, text)
            if np.array_equal(nxt, last_target):
                years_needed = years + extra_year
                break
            if np.array_equal(nxt, current):
                break  # stuck: the limits keep it where it is
            current = nxt
    index = pd.Index(areas, name="gebied")
    return TransitionPath(
        areas=areas,
        amounts=pd.DataFrame(np.column_stack(amounts), index=index, columns=list(range(years + 1))),
        targets=pd.DataFrame(np.column_stack(targets), index=index, columns=list(range(1, years + 1))),
        totals=totals,
        floor_pct=floor_pct,
        cap_pct=cap_pct,
        reached=reached,
        reached_year=reached_year,
        years_needed=years_needed,
        gap=pd.Series(targets[-1] - final, index=index, name="verschil"),
        notes=notes,
    )


def _target_at(target: np.ndarray, total: int) -> np.ndarray:
    """The formula's shares at another total, in whole units (largest remainder)."""
    base = int(target.sum())
    if total == base:
        return target.copy()
    return largest_remainder(target * (total / base), total)


def _year(prev, tgt, total, floor_pct, cap_pct, year: int, text) -> np.ndarray:
    try:
        return step_year(prev, tgt, total, floor_pct, cap_pct)
    except _InfeasibleYear as exc:
        if exc.side == "low":
            raise UserFacingError(
                f"Jaar {year}: het totaal is {text(total)}, maar met een daling van hoogstens "
                f"{fmt.percent(-floor_pct)} per gebied kan het niet lager dan {text(exc.limit)}. "
                "Kies meer jaren of laat een grotere daling toe."
            ) from None
        raise UserFacingError(
            f"Jaar {year}: het totaal is {text(total)}, maar met een stijging van hoogstens "
            f"{fmt.percent(cap_pct)} per gebied kan het niet hoger dan {text(exc.limit)}. "
            "Kies meer jaren of laat een grotere stijging toe."
        ) from None


def _whole_series(values: pd.Series | Mapping[str, int], what: str) -> pd.Series:
    s = pd.Series(values, dtype=float) if not isinstance(values, pd.Series) else values.astype(float)
    s.index = s.index.map(str)
    if s.empty:
        raise UserFacingError(f"Er zijn geen gebieden met een {what}.")
    if s.index.duplicated().any():
        raise UserFacingError(f"Dubbel gebied in de {what}en: {', '.join(s.index[s.index.duplicated()])}.")
    bad = s[~np.isfinite(s.to_numpy()) | (s.to_numpy() < 0)]
    if len(bad):
        raise UserFacingError(f"Ongeldig {what} (leeg of negatief) voor: {', '.join(bad.index)}.")
    frac = s[np.abs(s - np.round(s)) > 1e-9]
    if len(frac):
        raise UserFacingError(f"Het {what} moet een geheel getal zijn voor: {', '.join(frac.index)}.")
    return s.round().astype(np.int64)


# ---------------------------------------------------------------------------------------------------
# Starting amounts from a file

_AREA_COLUMNS = ("gebied", "samenwerkingsverband", "swv", "wijkcontactpunt", "wcp", "naam")
_AMOUNT_COLUMNS = ("bedrag", "bedrag (eur)", "startbedrag", "budget", "budget_eur", "eur", "budget (eur)")
_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_MACHINE = re.compile(r"^-?\d+(\.\d+)?$")


def parse_amount(text: object) -> float | None:
    """An amount from a file cell: the Flemish way (`€ 1.234.567`, `1.234.567,50`, `1.500` = 1500, through
    `geo.fmt.parse_number`) or as a spreadsheet writes a number (`2837590`, `2837590.0`).
    Returns None for text that is not a number."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    if isinstance(text, int | float | np.integer | np.floating):
        return float(text)
    s = str(text).strip()
    if _MACHINE.match(s) and not _THOUSANDS.match(s.lstrip("-")):
        return float(s)
    try:
        return fmt.parse_number(s, kind="euro")
    except fmt.NumberInputError:
        return None


def read_start_table(table: pd.DataFrame, areas: Sequence[str]) -> pd.Series:
    """Whole euros per area from a table with an area column (`gebied`) and an amount column
    (`bedrag`); Dutch row-level errors (spreadsheet rows, the header is row 1), nothing half-read."""
    cols = {str(c).strip().lower(): c for c in table.columns}
    area_col = next((cols[c] for c in _AREA_COLUMNS if c in cols), None)
    amount_col = next((cols[c] for c in _AMOUNT_COLUMNS if c in cols), None)
    if area_col is None or amount_col is None:
        raise UserFacingError(
            "Het startbestand heeft de kolommen 'gebied' en 'bedrag' nodig "
            f"(gevonden: {', '.join(map(str, table.columns)) or 'geen'})."
        )
    known = set(areas)
    errors: list[str] = []
    out: dict[str, int] = {}
    first: dict[str, int] = {}
    for row, (area, raw) in enumerate(zip(table[area_col], table[amount_col], strict=True), start=2):
        name = "" if area is None or (isinstance(area, float) and math.isnan(area)) else str(area).strip()
        value = parse_amount(raw)
        if not name and value is None:
            continue
        if not name:
            errors.append(f"Rij {row}: het gebied ontbreekt.")
        elif name not in known:
            errors.append(f"Rij {row}: gebied '{name}' bestaat niet in deze indeling.")
        elif name in first:
            errors.append(f"Rij {row}: gebied '{name}' staat al op rij {first[name]}.")
        elif value is None:
            errors.append(f"Rij {row}: '{raw}' is geen bedrag.")
        elif value < 0:
            errors.append(f"Rij {row}: het bedrag mag niet negatief zijn.")
        elif abs(value - round(value)) > 1e-9:
            errors.append(f"Rij {row}: gebruik hele euro's ({fmt.euro(value, 2)}).")
        else:
            first[name] = row
            out[name] = int(round(value))
    absent = [a for a in areas if a not in out]
    if absent and not errors:
        errors.append(f"Geen startbedrag voor: {', '.join(absent)}.")
    if errors:
        more = f" (en {len(errors) - 20} andere fouten)" if len(errors) > 20 else ""
        raise UserFacingError("Het startbestand is niet ingelezen:\n" + "\n".join(errors[:20]) + more)
    return pd.Series(out, name="start").reindex(list(areas))


def read_start_file(content: bytes, filename: str, areas: Sequence[str]) -> pd.Series:
    """`read_start_table` on a CSV or XLSX file (bytes), read through `geo.imports` (encoding, separator,
    header row, sheet, personal-data screen)."""
    from geo.imports.pipeline import open_table
    from geo.imports.table import Field, Kind

    kind = Kind(
        "startbedragen",
        "startbestand",
        (
            Field("gebied", "gebied", tuple(_AREA_COLUMNS), required=True),
            Field("bedrag", "bedrag", tuple(_AMOUNT_COLUMNS), required=True),
        ),
        personal_ok=frozenset({"gebied"}),  # `naam` here is the name of an area
    )
    table = open_table(content, filename, kind)
    frame = table.frame if len(table.frame.columns) else pd.DataFrame({h: [] for h in table.headers})
    return read_start_table(frame.reset_index(drop=True), areas)


#: Where a transition path can start: the published 2021 amounts, the equal split, or a file.
START_2021, START_EQUAL, START_FILE = "2021", "gelijk", "bestand"
START_LABELS = {START_2021: "Start 2021", START_EQUAL: "Start (gelijk)", START_FILE: "Start"}


def start_amounts(
    kind: str,
    target: pd.Series,
    published: pd.Series | None = None,
    content: bytes | None = None,
    filename: str = "start.csv",
) -> pd.Series:
    """Starting whole euros per area (index and order of ``target``): the ``published`` 2021 amounts
    (`START_2021`), the equal split of the target's total (`START_EQUAL`) or a file (`START_FILE`)."""
    from geo.budget.equal import equal_steps

    if kind == START_2021:
        if published is None:
            raise UserFacingError(
                "Voor deze indeling zijn er geen gepubliceerde bedragen 2021: vertrek van een gelijke "
                "verdeling of van een bestand met de kolommen gebied en bedrag."
            )
        missing = sorted(set(target.index) - set(published.index))
        if missing:
            raise UserFacingError(f"Geen gepubliceerd bedrag 2021 voor: {', '.join(map(str, missing))}.")
        return published.reindex(target.index).astype("int64")
    if kind == START_EQUAL:
        return pd.Series(equal_steps(int(target.sum()), len(target)), index=target.index)
    if kind == START_FILE:
        if content is None:
            raise UserFacingError("Kies een bestand met het startbedrag per gebied.")
        return read_start_file(content, filename, list(target.index))
    raise UserFacingError(f"Onbekend vertrekpunt '{kind}'. Kies uit: {', '.join(START_LABELS)}.")
