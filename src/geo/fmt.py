"""Dutch (nl-BE) number formatting: `€ 1.234.567`, `12,5 %`, `1.234`."""

from __future__ import annotations

import math


def _group(int_part: str) -> str:
    sign = "-" if int_part.startswith("-") else ""
    digits = int_part.lstrip("-")
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return sign + ".".join(groups)


def number(value: float | int | None, decimals: int = 0) -> str:
    """`1234567.8` -> `1.234.568` (decimals=0) or `1.234.567,8` (decimals=1); missing -> `–`."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:.{decimals}f}"
    if decimals:
        int_part, frac = text.split(".")
        return f"{_group(int_part)},{frac}"
    return _group(text)


def euro(value: float | int | None, decimals: int = 0) -> str:
    """`1234567` -> `€ 1.234.567`; negative -> `-€ 1.234`."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    body = number(abs(value), decimals)
    return f"-€ {body}" if value < 0 else f"€ {body}"


def percent(value: float | None, decimals: int = 1) -> str:
    """`12.5` (already in %) -> `12,5 %`."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{number(value, decimals)} %"
