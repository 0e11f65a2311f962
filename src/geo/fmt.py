"""Dutch (nl-BE) number formatting (`€ 1.234.567`, `12,5 %`, `1.234`), times in Belgian local time and text
folding for matching."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pandas as pd

LOCAL_TZ = ZoneInfo("Europe/Brussels")


def fold_text(text: str) -> str:
    """Lower case, accents removed, runs of non-alphanumerics collapsed to one space (`&` is kept)."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9&]+", " ", text).strip()


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


def to_local(value: datetime | pd.Timestamp | str | None) -> datetime | None:
    """A stored time (naive = UTC, as the database keeps it) as an aware time in Europe/Brussels."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    ts = pd.Timestamp(value)
    if pd.isna(ts):
        return None
    ts = ts.tz_localize(UTC) if ts.tzinfo is None else ts
    return ts.tz_convert(LOCAL_TZ).to_pydatetime()


def local_time(value: datetime | pd.Timestamp | str | None, seconds: bool = False) -> str:
    """`2026-07-01 10:00` (UTC) -> `01/07/2026 12:00` (Belgian summer time); missing -> `–`."""
    local = to_local(value)
    if local is None:
        return "–"
    return local.strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")


# ----------------------------------------------------------------------------------------------- input

KINDS = ("number", "euro", "percent")
_SPACES = "\u00a0\u202f\u2009 \t"


class NumberInputError(ValueError):
    """A typed number that cannot be read unambiguously or is out of range; the message is Dutch."""


def _strip_unit(text: str, kind: str) -> str:
    t = text.strip()
    for ch in _SPACES:
        t = t.replace(ch, "")
    t = t.replace("\u2212", "-")  # typographic minus
    low = t.lower()
    if kind == "euro":
        for unit in ("€", "eur", "euro"):
            if low.startswith(unit):
                t, low = t[len(unit) :], low[len(unit) :]
            elif low.startswith("-" + unit):
                t, low = "-" + t[len(unit) + 1 :], "-" + low[len(unit) + 1 :]
            if low.endswith(unit):
                t, low = t[: -len(unit)], low[: -len(unit)]
    if kind == "percent" and t.endswith("%"):
        t = t[:-1]
    return t


def _grouped(int_part: str) -> bool:
    """True when `int_part` (digits with dots) is a valid thousands grouping: 1.234 / 12.345.678."""
    groups = int_part.split(".")
    return (
        1 <= len(groups[0]) <= 3
        and groups[0].isdigit()
        and not (groups[0] == "0")
        and all(len(g) == 3 and g.isdigit() for g in groups[1:])
    )


def parse_number(
    text: str,
    *,
    kind: str = "number",
    integer: bool = False,
    minimum: float | None = None,
    maximum: float | None = None,
    decimals: int | None = None,
) -> float | None:
    """Read a number typed the Flemish way; empty text gives None.

    `0,3` -> 0.3, `24.000.000` -> 24000000, `€ 960.000` (kind="euro") -> 960000, `12,5 %` (kind="percent")
    -> 12.5. The comma is the decimal mark and the dot only groups thousands: `1.5` or `0.300` are
    refused as ambiguous (an English decimal point?), as are `1,234.5`, letters and several commas.
    Values outside [`minimum`, `maximum`] are refused, never clamped. Raises `NumberInputError` with a
    Dutch message.
    """
    if kind not in KINDS:
        raise ValueError(f"onbekende soort {kind!r}")
    body = _strip_unit(text or "", kind)
    if body == "":
        return None
    sign = -1.0 if body.startswith("-") else 1.0
    body = body[1:] if body[:1] in "+-" else body
    if body.count(",") > 1:
        raise NumberInputError(f"'{text.strip()}' heeft meer dan één komma; de komma is het decimaalteken.")
    int_part, _, frac = body.partition(",")
    if "." in frac:
        raise NumberInputError(
            f"'{text.strip()}' is dubbelzinnig: een punt na de komma. Schrijf bv. 1.234,5 (punt voor "
            "duizendtallen, komma voor decimalen)."
        )
    if int_part == "" and frac:
        int_part = "0"
    if "." in int_part:
        if not _grouped(int_part):
            hint = int_part.replace(".", ",") + (f",{frac}" if frac else "")
            raise NumberInputError(
                f"'{text.strip()}' is dubbelzinnig: de punt groepeert in het Nederlands duizendtallen. "
                f"Bedoelt u {hint}? Gebruik de komma als decimaalteken."
            )
        int_part = int_part.replace(".", "")
    if not int_part.isdigit() or (frac and not frac.isdigit()):
        what = {"euro": "bedrag", "percent": "percentage"}.get(kind, "getal")
        raise NumberInputError(f"'{text.strip()}' is geen {what}; typ bv. {_example(kind)}.")
    value = sign * float(f"{int_part}.{frac or '0'}")
    if integer and frac.strip("0"):
        raise NumberInputError(f"'{text.strip()}' is geen geheel getal; hier zijn geen decimalen mogelijk.")
    if decimals is not None and len(frac.rstrip("0")) > decimals:
        raise NumberInputError(
            f"'{text.strip()}' heeft meer dan {decimals} decimalen; rond zelf af zodat er niets "
            "ongemerkt verandert."
        )
    too_low = minimum is not None and value < minimum
    too_high = maximum is not None and value > maximum
    if too_low or too_high:
        shown = format_input(value, kind=kind, decimals=_shown_decimals(value, decimals))
        if minimum is not None and maximum is not None:
            rng = (
                f"tussen {format_input(minimum, kind=kind, decimals=decimals)} en "
                f"{format_input(maximum, kind=kind, decimals=decimals)}"
            )
        elif minimum is not None:
            rng = f"minstens {format_input(minimum, kind=kind, decimals=decimals)}"
        else:
            rng = f"hoogstens {format_input(maximum, kind=kind, decimals=decimals)}"
        raise NumberInputError(f"{shown} ligt buiten het toegelaten bereik: de waarde moet {rng} zijn.")
    return value


def _example(kind: str) -> str:
    return {"euro": "€ 960.000", "percent": "12,5 %"}.get(kind, "0,3 of 24.000.000")


def _shown_decimals(value: float, decimals: int | None) -> int:
    if decimals is not None:
        return decimals
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return len(text.partition(".")[2])


def format_input(value: float | int | None, *, kind: str = "number", decimals: int | None = None) -> str:
    """How an input shows `value`: `24.000.000`, `0,3`, `€ 960.000`, `12,5 %` (empty for None).

    `decimals=None` shows as many decimals as the value needs (up to 6), so nothing typed is hidden.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    d = _shown_decimals(float(value), decimals)
    if kind == "euro":
        return euro(value, d)
    if kind == "percent":
        return percent(value, d)
    return number(value, d)
