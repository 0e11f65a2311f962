"""Values as people type them in Flanders: numbers with a decimal comma or point, whole counts with
thousands separators, months in Dutch (`maart 2024`, `mrt-24`, `03/2024`), yes/no."""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

from geo.fmt import fold_text

MONTHS_NL = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
_MONTH_WORDS: dict[str, int] = {}
for _i, _names in enumerate(
    (
        ("januari", "jan", "janv", "janvier", "january"),
        ("februari", "feb", "febr", "fev", "fevrier", "february"),
        ("maart", "mrt", "maa", "mar", "mars", "march"),
        ("april", "apr", "avr", "avril"),
        ("mei", "mai", "may"),
        ("juni", "jun", "juin", "june"),
        ("juli", "jul", "juil", "juillet", "july"),
        ("augustus", "aug", "aout", "august"),
        ("september", "sep", "sept", "septembre"),
        ("oktober", "okt", "oct", "octobre", "october"),
        ("november", "nov", "novembre"),
        ("december", "dec", "decembre"),
    ),
    start=1,
):
    for _n in _names:
        _MONTH_WORDS[_n] = _i

_SPACES = re.compile(r"[\s\u00a0\u202f']")


def detect_decimal(values: Iterable[str], separator: str | None = None) -> str:
    """`,` or `.`: the decimal mark of a column of numbers as text.

    A value with both marks settles it (the last one is the decimal mark); otherwise a mark followed by
    other than exactly three digits is a decimal mark; a `;`-separated file means a decimal comma."""
    comma = point = 0
    seen: set[str] = set()
    for v in values:
        if v in seen:
            continue
        seen.add(v)
        if len(seen) > 5000:  # enough to judge a column
            break
        t = _SPACES.sub("", str(v))
        if "," in t and "." in t:
            return "," if t.rfind(",") > t.rfind(".") else "."
        m = re.search(r"[.,](\d*)$", t)
        if m and t.count(m.group(0)[0]) == 1 and len(m.group(1)) != 3:
            if m.group(0)[0] == ",":
                comma += 1
            else:
                point += 1
    if comma or point:
        return "," if comma >= point else "."
    return "," if separator == ";" else "."


def parse_number(text: str, decimal: str = ",") -> float | None:
    """`"1.234,5"` (decimal `,`) or `"1,234.5"` / `"51.2"` (decimal `.`) -> float; None if not a number."""
    t = _SPACES.sub("", str(text)).replace("−", "-")
    if not t:
        return None
    thousands = "." if decimal == "," else ","
    if t.count(decimal) > 1:
        return None
    if thousands in t:
        whole = t.split(decimal)[0].lstrip("+-")
        if not re.fullmatch(r"\d{1,3}(" + re.escape(thousands) + r"\d{3})+", whole):
            return None
        t = t.replace(thousands, "")
    t = t.replace(decimal, ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", t):
        return None
    value = float(t)
    return value if np.isfinite(value) else None


def parse_count(text: str) -> int | None:
    """A whole count of 0 or more: `12`, `1.234`, `1 234`, `12,0`, `12.0` -> int; None otherwise."""
    t = _SPACES.sub("", str(text))
    if re.fullmatch(r"\d+", t):
        return int(t)
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", t) and len(set(re.findall(r"[.,]", t))) == 1:
        return int(re.sub(r"[.,]", "", t))
    m = re.fullmatch(r"(\d+)[.,]0+", t)
    if m:
        return int(m.group(1))
    return None


def parse_month(text: str) -> str | None:
    """A month as `YYYY-MM`: `2024-03`, `2024/3`, `03/2024`, `3-2024`, `2024-03-01` (first of a month,
    also with time 00:00), `maart 2024`, `mrt 2024`, `mrt-24`, `Mar 2024`, `2024M03`; None otherwise."""
    t = str(text).strip()
    if not t:
        return None
    t = re.sub(r"[ T]00:00(:00)?$", "", t)
    m = re.fullmatch(r"(\d{4})\s*[-/.M]\s*(\d{1,2})", t) or re.fullmatch(r"(\d{1,2})\s*[-/.]\s*(\d{4})", t)
    if m:
        a, b = m.groups()
        year, month = (int(a), int(b)) if len(a) == 4 else (int(b), int(a))
        return _month(year, month)
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", t) or re.fullmatch(
        r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", t
    )
    if m:
        if len(m.group(1)) == 4:
            year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        else:
            day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        return _month(year, month) if day == 1 else None
    folded = fold_text(t)
    m = re.fullmatch(r"([a-z]+)\s*(\d{4}|\d{2})", folded) or re.fullmatch(r"(\d{4})\s*([a-z]+)", folded)
    if m:
        a, b = m.groups()
        word, year_text = (a, b) if a.isalpha() else (b, a)
        month = _MONTH_WORDS.get(word)
        if month is None:
            return None
        year = int(year_text)
        if len(year_text) == 2:
            year += 2000
        return _month(year, month)
    return None


def _month(year: int, month: int) -> str | None:
    if 1 <= month <= 12 and 1900 <= year <= 2100:
        return f"{year:04d}-{month:02d}"
    return None


def month_label(month: str) -> str:
    """`2024-03` -> `mrt 2024`."""
    year, m = month.split("-")
    return f"{MONTHS_NL[int(m) - 1]} {year}"


def unquote(text: str) -> str:
    """A cell as text without the `'` that an export put before a formula character (`'=x` -> `=x`)."""
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def parse_any(text: str) -> float | None:
    """A number whose decimal mark is decided by the value alone: `51,2` and `51.2` -> 51.2,
    `1.234,5` -> 1234.5, `1,234.5` -> 1234.5 (for single values without a column to judge from)."""
    t = _SPACES.sub("", str(text))
    if "," in t and "." in t:
        return parse_number(t, "," if t.rfind(",") > t.rfind(".") else ".")
    if t.count(",") == 1:
        return parse_number(t, ",")
    return parse_number(t, ".")
