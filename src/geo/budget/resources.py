"""Resources the formula can share: euros, FTE (VTE), places or hours, each counted in whole steps.

The allocation works in whole *steps* of a resource (1 euro, 0.1 FTE, 1 place, ...): amounts in the
resource's own unit are turned into a whole number of steps with `to_steps` (a value that is not a
multiple of the step is refused, never rounded silently), shared by largest remainder and turned back
with `from_steps`. `Resource.format` writes an amount the nl-BE way (`€ 1.234.567`, `0,4 VTE`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from geo import fmt
from geo.errors import UserFacingError


@dataclass(frozen=True)
class Resource:
    """One kind of resource: how it is called, written and counted."""

    key: str
    name: str  # Dutch name for choices, e.g. "Personeel (VTE)"
    unit: str  # unit in headers, e.g. "EUR", "VTE"
    default_step: float
    noun: str  # plural noun in sentences, e.g. "euro", "VTE", "plaatsen"
    singular: str  # one unit in "per ..." phrases, e.g. "VTE", "plaats", "uur"
    default_per_area: float | None = None  # a starting total per area when none is given

    @property
    def name_in_text(self) -> str:
        """The name inside a sentence: `personeel (VTE)`, `budget (euro)`."""
        return self.name[:1].lower() + self.name[1:]

    def decimals(self, step: float | None = None) -> int:
        """Decimals needed to write multiples of ``step`` exactly (0.1 -> 1, 0.25 -> 2, 1 -> 0)."""
        return step_decimals(self.default_step if step is None else step)

    def format(self, value: float | None, step: float | None = None) -> str:
        """``0.4`` -> ``0,4 VTE``; euros as ``€ 1.234``; missing -> ``–``."""
        if value is None or value != value:
            return "–"
        decimals = self.decimals(step)
        if self.key == "euro":
            return fmt.euro(value, decimals)
        text = fmt.number(value, decimals)
        return f"{text} {self.singular if text == '1' else self.unit}"  # 1 plaats, 2 plaatsen

    def header(self, what: str = "") -> str:
        """A column header with the unit, e.g. ``Volgens behoefte (VTE)``."""
        return f"{what} ({self.unit})".strip() if what else self.unit


RESOURCES: dict[str, Resource] = {
    "euro": Resource("euro", "Budget (euro)", "EUR", 1.0, "euro", "euro"),
    "vte": Resource("vte", "Personeel (VTE)", "VTE", 0.1, "VTE", "VTE", default_per_area=0.4),
    "plaatsen": Resource("plaatsen", "Plaatsen", "plaatsen", 1.0, "plaatsen", "plaats"),
    "uren": Resource("uren", "Uren", "uur", 1.0, "uren", "uur"),
}


def resource(key: str) -> Resource:
    """The resource called ``key``; a Dutch error for an unknown one."""
    if key not in RESOURCES:
        raise UserFacingError(f"Onbekend middel '{key}'. Kies uit: {', '.join(RESOURCES)}.")
    return RESOURCES[key]


def step_decimals(step: float) -> int:
    """Decimals of the step as written in decimal (0.1 -> 1, 0.05 -> 2, 2 -> 0)."""
    exponent = Decimal(repr(float(step))).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def check_step(step: float, res: Resource | None = None) -> float:
    """A usable step: positive, finite and with at most 4 decimals (so sums stay exact)."""
    try:
        ok = step is not None and float(step) > 0 and float(step) != float("inf")
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise UserFacingError("De stap moet groter zijn dan 0.")
    if step_decimals(step) > 4:
        raise UserFacingError("De stap mag hoogstens 4 cijfers na de komma hebben (bv. 0,1 of 0,05).")
    if res is not None and res.key == "euro" and float(step) < 1:
        raise UserFacingError("Euro's worden in hele euro's verdeeld: de stap is minstens € 1.")
    return float(step)


def to_steps(value: float, step: float, what: str = "Het bedrag", res: Resource | None = None) -> int:
    """``value`` as a whole number of steps; a Dutch error when it is not a multiple of ``step``.

    Works in decimal arithmetic, so ``2.8`` with step ``0.1`` gives exactly 28.
    """
    try:
        exact = Decimal(repr(float(value))) / Decimal(repr(float(step)))
    except (InvalidOperation, ValueError, TypeError, ZeroDivisionError) as exc:
        raise UserFacingError(f"{what} is geen geldig getal.") from exc
    whole = exact.to_integral_value()
    if abs(exact - whole) > Decimal("1e-9"):
        shown = _exact_text(float(value))
        step_text = _exact_text(float(step))
        if res is not None:
            shown, step_text = _with_unit(shown, res), _with_unit(step_text, res)
        raise UserFacingError(f"{what} ({shown}) is geen veelvoud van de stap ({step_text}).")
    return int(whole)


def from_steps(steps, step: float):
    """Whole steps back to the resource unit, without binary noise (28 x 0.1 -> 2.8, not 2.8000000000000003).

    Accepts a number or a NumPy array / pandas Series.
    """
    decimals = step_decimals(step)
    scaled = steps * float(step)
    try:
        return scaled.round(decimals)
    except AttributeError:
        return round(float(scaled), decimals)


def _exact_text(value: float) -> str:
    """A number with as many decimals as it has (up to 6), nl-BE: 2.85 -> `2,85`, 1000 -> `1.000`."""
    decimals = min(6, step_decimals(value)) if value == value else 0
    return fmt.number(value, decimals)


def _with_unit(text: str, res: Resource) -> str:
    return f"€ {text}" if res.key == "euro" else f"{text} {res.unit}"
