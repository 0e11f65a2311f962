"""A table of a report: a frame with the column specs of `geo.exports` (so the XLSX and the PDF show the
same numbers), optional notes, and its cells written the nl-BE way for the PDF."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo import exports
from geo import fmt as nl
from geo.exports import Col


@dataclass
class Table:
    """A titled table: `frame` with one `Col` per shown column; `total` marks a last row `Totaal`."""

    title: str
    frame: pd.DataFrame
    columns: list[Col]
    notes: list[str] = field(default_factory=list)
    total: bool = False

    def sheet(self) -> exports.Sheet:
        """The same table as an XLSX sheet of `geo.exports` (notes under it)."""
        return exports.Sheet(self.title, self.frame[[c.key for c in self.columns]], self.columns, self.notes)

    def text_rows(self) -> list[list[str]]:
        """Header and rows as nl-BE text (what the PDF prints)."""
        rows = [[c.header for c in self.columns]]
        for values in zip(*(self.frame[c.key].tolist() for c in self.columns), strict=True):
            rows.append([cell_text(v, c) for v, c in zip(values, self.columns, strict=True)])
        return rows


def _missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and math.isnan(value)


def cell_text(value, col: Col) -> str:
    """One value as the PDF prints it: `1.234`, `€ 1.234.567`, `12,5 %`, `0,4`, `ja`; missing `–`."""
    if _missing(value):
        return "–"
    if isinstance(value, str):
        return value
    kind = col.kind
    if kind == "bool":
        return "ja" if bool(value) else "nee"
    if kind in exports.NUMERIC_KINDS:  # rounded as the XLSX shows it (halves up), so both print the same
        v = float(value) * (100.0 if kind == "share" else 1.0)
        if not math.isfinite(v):
            return "–"
        decimals = {"int": 0, "decimal": col.decimals or 2}.get(kind, col.decimals)
        v = exports.half_up(v, decimals)
    if kind == "int":
        return nl.number(v)
    if kind == "euro":
        return nl.euro(v, col.decimals)
    if kind in ("percent", "share"):
        return nl.percent(v, col.decimals)
    if kind == "number":
        return nl.number(v, col.decimals)
    if kind == "decimal":
        text = nl.number(v, decimals)
        return text.rstrip("0").rstrip(",") if "," in text else text
    if kind == "date":
        return value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else str(value)
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def with_total(
    frame: pd.DataFrame, label_col: str, sums: Sequence[str], label: str = "Totaal"
) -> pd.DataFrame:
    """`frame` with a last row `label` holding the sums of `sums` (other columns empty)."""
    row = {c: np.nan for c in frame.columns}
    row[label_col] = label
    for c in sums:
        row[c] = float(pd.to_numeric(frame[c], errors="coerce").sum())
    return pd.concat([frame, pd.DataFrame([row], columns=frame.columns)], ignore_index=True)


def whole_counts(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """`frame` with the (estimated, fractional) counts of `columns` as whole numbers that add up to their
    rounded total (largest remainder; ties to the first rows), so a total row equals the sum of the rows."""
    out = frame.copy()
    for col in columns:
        if col not in out:
            continue
        values = pd.to_numeric(out[col], errors="coerce")
        known = values.notna().to_numpy()
        v = values.to_numpy(dtype=float)[known]
        if len(v) == 0 or np.allclose(v, np.round(v)):
            continue
        target = int(round(v.sum()))
        floors = np.floor(v)
        rest = target - int(floors.sum())
        order = np.argsort(-(v - floors), kind="stable")
        floors[order[: max(rest, 0)]] += 1
        whole = values.copy()
        whole[known] = floors
        out[col] = whole
    return out
