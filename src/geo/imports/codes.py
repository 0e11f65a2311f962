"""Unit codes as text, repaired where Excel or a hand-made file changed them unambiguously.

`CodeIndex(codes, successors)` knows the codes of one level and, optionally, older codes that map to
them (the 2019-2024 municipality codes -> 2025). `resolve` gives for a written code the level's code and
what was repaired:

| written | read as | fix |
|---|---|---|
| `11002` | `11002` | (exact) |
| ` 11002 `, `'11002` | `11002` | (exact) |
| `11002.0`, `11002,0`, `1.1002E+04` | `11002` | `getal` (stored as a number) |
| `1001` (known: `01001`) | `01001` | `nullen` (leading zeros lost) |
| `11002p01`, `ELZ13` | `11002P01`, `elz13` | `hoofdletters` |
| `44021` (Gent before 2025, in a 2025 level) | `44021` -> successor | `fusie` |
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

FIX_LABELS = {
    "getal": "als getal opgeslagen (bv. 11002.0)",
    "nullen": "voorloopnullen weggevallen",
    "hoofdletters": "andere hoofd-/kleine letters",
    "fusie": "code van vóór een gemeentefusie, omgezet naar de huidige gemeente",
}

_NUMBER = re.compile(r"^(\d+)[.,]0+$")
_SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?[eE]\+?\d+$")


@dataclass(frozen=True)
class Resolved:
    code: str | None  # the level's code, None when unknown
    fix: str = ""  # "", or a key of FIX_LABELS


class CodeIndex:
    """The codes of one level and how to read damaged or old codes (see the module docstring)."""

    def __init__(self, codes: Iterable[str], successors: Mapping[str, str] | None = None) -> None:
        self.codes = [str(c) for c in codes]
        self.known = set(self.codes)
        self.by_upper = {c.upper(): c for c in self.codes}
        self.unpadded = {c.lstrip("0"): c for c in self.codes if c.startswith("0")}
        self.successors = {str(k): str(v) for k, v in (successors or {}).items() if str(v) in self.known}
        self._cache: dict[str, Resolved] = {}

    def resolve(self, written: str) -> Resolved:
        text = str(written).strip().strip("'\"").strip()
        hit = self._cache.get(text)
        if hit is None:
            hit = self._resolve(text)
            if len(self._cache) < 500_000:
                self._cache[text] = hit
        return hit

    def _resolve(self, text: str) -> Resolved:
        if not text:
            return Resolved(None)
        if text in self.known:
            return Resolved(text)
        number = None
        m = _NUMBER.match(text)
        if m:
            number = m.group(1)
        elif _SCIENTIFIC.match(text):
            try:
                number = str(int(float(text.replace(",", "."))))
            except (ValueError, OverflowError):
                number = None
        if number is not None:
            inner = self._plain(number)
            if inner.code is not None:
                return Resolved(inner.code, inner.fix if inner.fix == "fusie" else "getal")
            return Resolved(None)
        return self._plain(text)

    def _plain(self, text: str) -> Resolved:
        if text in self.known:
            return Resolved(text)
        if text.upper() in self.by_upper:
            return Resolved(self.by_upper[text.upper()], "hoofdletters")
        if text.isdigit() and text in self.unpadded:
            return Resolved(self.unpadded[text], "nullen")
        if text in self.successors:
            return Resolved(self.successors[text], "fusie")
        if text.upper() in {k.upper() for k in self.successors}:
            key = next(k for k in self.successors if k.upper() == text.upper())
            return Resolved(self.successors[key], "fusie")
        return Resolved(None)


def fixes_summary(counts: Mapping[str, int]) -> list[str]:
    """Dutch lines like "12 codes als getal opgeslagen (bv. 11002.0): als tekst gelezen."."""
    out = []
    for fix, n in counts.items():
        if n and fix in FIX_LABELS:
            out.append(f"{n} code(s) {FIX_LABELS[fix]}: gelezen als de juiste code.")
    return out
