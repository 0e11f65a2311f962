"""The workspace's defaults for other pages: the editor's unit level and target band, the partners' distance.

Stored as one payload per workspace (see `geo.settings.store`); `check` refuses unknown keys and bad values
with a Dutch message and gives missing keys (a payload of an older version) their default.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from geo import fmt as nl
from geo.divisions.io import LEVEL_NAMES
from geo.errors import UserFacingError

#: Levels a new division can be made on (as in the editor).
EDIT_LEVELS = ("gemeente", "elz57", "elz", "wijk", "district", "postcode_antwerpen")
#: Counts the editor's target band can be set on.
BAND_COUNTS = ("inwoners", "pop_0_24", "kansarmoede_n", "budget_eur")
DISTANCE_RANGE = (100, 20_000)  # whole metres (as the partners page accepts)


@dataclass(frozen=True)
class WorkspaceDefaults:
    """What a page starts with in this workspace (the user can change it there for the session)."""

    editor_niveau: str = "gemeente"
    doelband_op: str = "inwoners"
    doelband_onder: float | None = None  # None: no lower bound
    doelband_boven: float | None = None
    partner_afstand_m: float = 2_000.0

    def payload(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def has_band(self) -> bool:
        return self.doelband_onder is not None or self.doelband_boven is not None


FIELD_NAMES = tuple(f.name for f in fields(WorkspaceDefaults))


def check(payload: Any) -> WorkspaceDefaults:
    """Defaults from a payload; a Dutch `UserFacingError` naming every problem."""
    if not isinstance(payload, Mapping):
        raise UserFacingError("De standaardwaarden van de werkruimte zijn onleesbaar.")
    unknown = sorted(set(payload) - set(FIELD_NAMES))
    if unknown:
        raise UserFacingError(
            f"Onbekend onderdeel in de standaardwaarden: {', '.join(map(str, unknown))}. Bekend zijn: "
            f"{', '.join(FIELD_NAMES)}."
        )
    data = asdict(WorkspaceDefaults()) | dict(payload)
    problems: list[str] = []
    if data["editor_niveau"] not in EDIT_LEVELS:
        names = ", ".join(LEVEL_NAMES.get(k, k) for k in EDIT_LEVELS)
        problems.append(f"niveau '{data['editor_niveau']}' kan niet (kies uit: {names})")
    if data["doelband_op"] not in BAND_COUNTS:
        problems.append(f"de doelband kan niet op '{data['doelband_op']}' liggen")
    for key in ("doelband_onder", "doelband_boven", "partner_afstand_m"):
        value = data[key]
        if value is None and key != "partner_afstand_m":
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            problems.append(f"{key} moet een getal zijn, niet '{value}'")
        elif value < 0:
            problems.append(f"{key} mag niet negatief zijn")
        else:
            data[key] = float(value)
    low, high = data["doelband_onder"], data["doelband_boven"]
    if isinstance(low, float) and isinstance(high, float) and low > high:
        problems.append(f"de ondergrens ({nl.number(low)}) ligt boven de bovengrens ({nl.number(high)})")
    distance = data["partner_afstand_m"]
    lo, hi = DISTANCE_RANGE
    if isinstance(distance, float) and not (lo <= distance <= hi and distance.is_integer()):
        problems.append(
            f"de afstand ({nl.number(distance, 1)} m) moet een geheel aantal meter tussen {nl.number(lo)} en "
            f"{nl.number(hi)} zijn"
        )
    if problems:
        raise UserFacingError("De standaardwaarden zijn ongeldig: " + "; ".join(problems) + ".")
    return WorkspaceDefaults(**data)
