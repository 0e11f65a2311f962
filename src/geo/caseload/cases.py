"""Caseload: aggregated registrations per unit and month, load per area, transfers, privacy rules.

Only aggregated counts are accepted. Files are read through `geo.caseload.io` (the personal-data screen of
`geo.imports.privacy` refuses a file whose columns or values look personal before anything else is read;
nothing of a refused file is kept). Small counts (1-4) are masked as ``"<5"`` in display and export unless
masking is turned off (``mask_small``).

A caseload table has the columns ``eenheid`` (unit code), ``maand`` (``"YYYY-MM"``), ``verwijzer``
("" when not given), ``behandelend_gebied`` ("" = handled in the home area) and ``aanmeldingen`` (int).
Areas come from a plain mapping ``unit code -> area``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo.caseload.io import CAPACITY_KIND, KIND, UNIT_COLUMNS, as_table
from geo.imports.codes import CodeIndex, fixes_summary
from geo.imports.messages import Message, sort_messages
from geo.imports.privacy import PrivacyError, looks_like_rrn, personal_column  # noqa: F401 - re-exported
from geo.imports.table import Table
from geo.imports.values import detect_decimal, parse_count, parse_month, parse_number
from geo.imports.values import month_label as month_label  # noqa: F401 - re-exported

CASE_COLUMNS = ("eenheid", "maand", "verwijzer", "behandelend_gebied", "aanmeldingen")

MASK_THRESHOLD = 5
MASK_LABEL = "<5"
EXAMPLE_LABEL = "voorbeelddata (gegenereerd, geen echte aanmeldingen)"
DEFAULT_REFERRERS: dict[str, float] = {
    "school/CLB": 0.30,
    "Kind & Gezin / Huis van het Kind": 0.20,
    "huisarts": 0.10,
    "CAW/OCMW": 0.15,
    "ouders zelf": 0.15,
    "andere": 0.10,
}


def check_privacy(raw: pd.DataFrame) -> None:
    """Raise PrivacyError when a frame of strings looks like it holds personal data (see
    `geo.imports.privacy`; the first of a month in the month column is not a birth date)."""
    as_table(raw, KIND)


# ---------------------------------------------------------------------------------------------- import
@dataclass
class CaseloadImport:
    """Validated caseload: ``cases`` (see module docstring), the unit ``level`` and the messages."""

    cases: pd.DataFrame
    level: str
    messages: list[Message] = field(default_factory=list)

    @property
    def errors(self) -> list[Message]:
        return [m for m in self.messages if m.level == "fout"]

    @property
    def ok(self) -> bool:
        return not self.errors


def validate_caseload(
    raw: Table | pd.DataFrame,
    unit_codes: Mapping[str, Iterable[str]],
    level: str | None = None,
    areas: Iterable[str] | None = None,
    first_row: int = 2,
    successors: Mapping[str, Mapping[str, str]] | None = None,
) -> CaseloadImport:
    """Check a caseload table (from ``geo.caseload.io.read_caseload``; a frame of strings is screened the
    same way first) and build the caseload table.

    ``unit_codes`` gives the valid codes per level. The unit column is ``postcode``, ``wijk`` or
    ``gemeente`` (or ``eenheid`` together with ``level``). ``areas`` lists the valid names for
    ``behandelend_gebied``. ``successors`` maps older codes per level to current ones (2019-2024
    municipalities); their counts are added to the current municipality. Raises PrivacyError for a
    personal-looking frame.
    """
    table = as_table(raw, KIND)
    frame = table.frame
    messages: list[Message] = list(table.messages)
    unit_cols = [c for c in ("postcode", "wijk", "gemeente", "eenheid") if c in frame.columns]
    missing = table.missing_message()
    if missing is not None:
        return CaseloadImport(_empty_cases(), level or "", [*messages, missing])
    if len(unit_cols) > 1:
        names = " en ".join(f"'{table.columns[c]}'" for c in unit_cols)
        messages.append(Message(None, "fout", f"Geef één eenheidskolom, niet {names} samen."))
        return CaseloadImport(_empty_cases(), level or "", messages)
    unit_col = unit_cols[0]
    if unit_col != "eenheid":
        level = UNIT_COLUMNS[unit_col]
    if not level or level not in unit_codes:
        messages.append(
            Message(None, "fout", "Kies het niveau van de eenheden (postcode, wijk of gemeente).")
        )
        return CaseloadImport(_empty_cases(), level or "", messages)
    if table.ignored:
        names = ", ".join(f"'{c}'" for c in table.ignored)
        messages.append(Message(None, "waarschuwing", f"Kolommen genegeerd: {names}."))
    if frame.empty:
        messages.append(Message(None, "fout", "Het bestand bevat geen rijen met aanmeldingen."))
        return CaseloadImport(_empty_cases(), level, messages)

    index = CodeIndex(unit_codes[level], (successors or {}).get(level))
    written = frame[unit_col].astype(str)
    months_in = frame["maand"].astype(str)
    counts_in = frame["aanmeldingen"].astype(str)
    referrer = frame["verwijzer"].astype(str) if "verwijzer" in frame else pd.Series("", index=frame.index)
    handler = (
        frame["behandelend_gebied"].astype(str)
        if "behandelend_gebied" in frame
        else pd.Series("", index=frame.index)
    )
    resolved = {w: index.resolve(w) for w in written.unique()}
    unit = written.map(lambda w: resolved[w].code)
    fix = written.map(lambda w: resolved[w].fix)
    month_of = {m: parse_month(m) for m in months_in.unique()}
    month = months_in.map(month_of)
    count_of = {c: parse_count(c) for c in counts_in.unique()}
    count = counts_in.map(count_of)
    valid_areas = set(areas) if areas is not None else None
    label = table.columns.get(unit_col, unit_col)

    problems: dict[int, list[str]] = {}

    def problem(mask: pd.Series, text) -> None:
        for row, w in zip(frame.index[mask.to_numpy()], written[mask], strict=True):
            problems.setdefault(int(row), []).append(text(row, w))

    blank = written == ""
    problem(blank, lambda r, w: f"{label} ontbreekt.")
    problem(~blank & unit.isna(), lambda r, w: f"onbekende {unit_col} '{w}' op niveau {level}.")
    bad_month = month.isna()
    for row in frame.index[bad_month.to_numpy()]:
        problems.setdefault(int(row), []).append(
            f"maand '{months_in[row]}' niet herkend (gebruik bv. 2024-03 of maart 2024)."
        )
    bad_count = count.isna()
    for row in frame.index[bad_count.to_numpy()]:
        text = counts_in[row]
        if text.strip().startswith("<"):
            problems.setdefault(int(row), []).append(
                f"gemaskeerd aantal '{text}': laad de niet-gemaskeerde aantallen."
            )
        else:
            problems.setdefault(int(row), []).append(f"aantal '{text}' is geen geheel getal van 0 of meer.")
    if valid_areas is not None:
        unknown = (handler != "") & ~handler.isin(valid_areas)
        for row in frame.index[unknown.to_numpy()]:
            problems.setdefault(int(row), []).append(f"onbekend behandelend gebied '{handler[row]}'.")

    ok = pd.Series(True, index=frame.index)
    ok.loc[list(problems)] = False
    good = pd.DataFrame(
        {
            "rij": frame.index[ok.to_numpy()],
            "eenheid": unit[ok].astype(str).to_numpy(),
            "maand": month[ok].astype(str).to_numpy(),
            "verwijzer": referrer[ok].to_numpy(),
            "behandelend_gebied": handler[ok].to_numpy(),
            "aanmeldingen": count[ok].astype("int64").to_numpy(),
            "geschreven": written[ok].to_numpy(),
            "fusie": (fix[ok] == "fusie").to_numpy(),
        }
    )
    key = ["eenheid", "maand", "verwijzer", "behandelend_gebied"]
    # The same key twice is a duplicate, unless the rows are different pre-2025 municipalities that merged.
    dup_written = good.duplicated(key + ["geschreven"], keep="first")
    first_row = good.groupby(key + ["geschreven"], sort=False)["rij"].transform("first")
    for row, prev in zip(good.loc[dup_written, "rij"], first_row[dup_written], strict=True):
        problems.setdefault(int(row), []).append(
            f"dubbel: dezelfde eenheid, maand en verwijzer als rij {int(prev)}."
        )
    good = good[~dup_written]
    merged_dup = good.duplicated(key, keep=False) & ~good.groupby(key)["fusie"].transform("any")
    first_key_row = good.groupby(key, sort=False)["rij"].transform("first")
    later = merged_dup & good.duplicated(key, keep="first")
    for row, prev in zip(good.loc[later, "rij"], first_key_row[later], strict=True):
        problems.setdefault(int(row), []).append(
            f"dubbel: dezelfde eenheid, maand en verwijzer als rij {int(prev)}."
        )
    good = good[~later]
    fixes = fix[ok & (fix != "")].value_counts().to_dict()
    for line in fixes_summary(fixes):
        messages.append(Message(None, "waarschuwing", line))
    for row, texts in problems.items():
        messages.extend(Message(row, "fout", t) for t in texts)
    if len(good):
        cases = good.groupby(key, sort=False, as_index=False)["aanmeldingen"].sum()
    else:
        cases = _empty_cases()
    cases = cases[list(CASE_COLUMNS)].reset_index(drop=True)
    cases["aanmeldingen"] = cases["aanmeldingen"].astype(int)
    return CaseloadImport(cases, level, sort_messages(messages))


def _empty_cases() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=int if c == "aanmeldingen" else object) for c in CASE_COLUMNS})


def read_capacity(
    raw: Table | pd.DataFrame, areas: Iterable[str] | None = None
) -> tuple[dict[str, float], list[Message]]:
    """Capacity per area from a table with ``gebied`` and ``vte`` (FTE; decimal comma or point)."""
    table = as_table(raw, CAPACITY_KIND)
    missing = table.missing_message()
    if missing is not None:
        return {}, [Message(None, "fout", "Capaciteit: " + missing.text)]
    known = set(areas) if areas is not None else None
    frame = table.frame
    decimal = detect_decimal((v for v in frame["vte"] if v), None)
    out: dict[str, float] = {}
    msgs: list[Message] = list(table.messages)
    for row, a, v in zip(frame.index, frame["gebied"], frame["vte"], strict=True):
        a, v = str(a).strip(), str(v).strip()
        if not a and not v:
            continue
        fte = parse_number(v, decimal)
        if fte is None:
            msgs.append(Message(int(row), "fout", f"vte '{v}' is geen getal."))
        elif fte < 0:
            msgs.append(Message(int(row), "fout", f"vte moet 0 of meer zijn, niet {v}."))
        elif known is not None and a not in known:
            msgs.append(Message(int(row), "fout", f"onbekend gebied '{a}'."))
        elif a in out:
            msgs.append(Message(int(row), "fout", f"gebied '{a}' komt twee keer voor."))
        else:
            out[a] = fte
    return out, msgs


def load_case_units(level: str, year: int | None = None, indicator: str | None = None) -> pd.DataFrame:
    """Units of a caseload level with ``code``, ``naam``, ``pop_0_24``, ``kansarmoede_n``, ``x``, ``y``,
    ``jaar``: the counts of population ``year`` and deprivation ``indicator`` (defaults: latest, default;
    Antwerp postcodes are always Tabel 8, 2019).

    Antwerp postcodes have no polygons: their ``x``/``y`` are the approximate centres of
    ``geo.partners.io.antwerp_postcode_centres``.
    """
    from geo.data import units

    table = units.load_table(level, year=year, indicator=indicator)
    if level == "postcode_antwerpen" and "x" not in table.columns:
        from geo.partners.io import antwerp_postcode_centres

        centres = antwerp_postcode_centres(
            units.load_table("wijk"), units.load_table("district"), units.load_table("gemeente")
        )
        table = table.merge(centres[["code", "x", "y"]], on="code", how="left")
    return table


# ---------------------------------------------------------------------------------------------- analysis
def _with_areas(cases: pd.DataFrame, unit_to_area: Mapping[str, str]) -> pd.DataFrame:
    out = cases.copy()
    out["herkomst"] = out["eenheid"].map(dict(unit_to_area)).fillna("").astype(str)
    handler = out["behandelend_gebied"].fillna("").astype(str)
    out["behandeld_door"] = np.where(handler != "", handler, out["herkomst"])
    return out


def months_of(cases: pd.DataFrame) -> list[str]:
    """Every month from the first to the last in the data (gaps included)."""
    if cases.empty:
        return []
    periods = pd.PeriodIndex(sorted(set(cases["maand"])), freq="M")
    return [str(p) for p in pd.period_range(periods.min(), periods.max(), freq="M")]


def caseload_summary(
    cases: pd.DataFrame,
    unit_to_area: Mapping[str, str],
    population: Mapping[str, float],
    capacity: Mapping[str, float] | None = None,
    threshold_per_fte: float | None = None,
    population_year: int | None = None,
) -> pd.DataFrame:
    """One row per area (home areas and handling areas).

    Columns: ``gebied``, ``doelgroep`` (under-25s of the area's units), ``aanmeldingen`` (of residents),
    ``per_1000`` (registrations of residents per 1,000 under-25s per year), ``behandeld`` (cases the area
    handled, incoming transfers included), ``uitgaand``/``inkomend`` (transfers), ``vte``,
    ``per_vte_per_maand`` (handled cases per FTE per month), ``overbelast`` (above ``threshold_per_fte``).
    Rates are computed from summed counts over the months of the data (``months_of``). With
    ``population_year`` a column ``bevolkingsjaar`` says the year of ``doelgroep`` (for exports).
    """
    c = _with_areas(cases, unit_to_area)
    n_months = max(len(months_of(cases)), 1)
    pop_by_area: dict[str, float] = {}
    for unit, area in unit_to_area.items():
        if area:
            pop_by_area[area] = pop_by_area.get(area, 0.0) + float(population.get(unit, 0.0) or 0.0)
    home = c.groupby("herkomst")["aanmeldingen"].sum()
    handled = c.groupby("behandeld_door")["aanmeldingen"].sum()
    moved = c[c["herkomst"] != c["behandeld_door"]]
    out_t = moved.groupby("herkomst")["aanmeldingen"].sum()
    in_t = moved.groupby("behandeld_door")["aanmeldingen"].sum()
    areas = sorted((set(pop_by_area) | set(home.index) | set(handled.index)) - {""})
    cap = dict(capacity or {})
    table = pd.DataFrame({"gebied": areas})
    table["doelgroep"] = [pop_by_area.get(a, 0.0) for a in areas]
    table["aanmeldingen"] = [int(home.get(a, 0)) for a in areas]
    table["per_1000"] = np.where(
        table["doelgroep"] > 0, table["aanmeldingen"] / n_months * 12 / table["doelgroep"] * 1000, np.nan
    )
    table["behandeld"] = [int(handled.get(a, 0)) for a in areas]
    table["uitgaand"] = [int(out_t.get(a, 0)) for a in areas]
    table["inkomend"] = [int(in_t.get(a, 0)) for a in areas]
    table["vte"] = [float(cap[a]) if a in cap else np.nan for a in areas]
    with np.errstate(divide="ignore", invalid="ignore"):
        table["per_vte_per_maand"] = np.where(
            table["vte"] > 0, table["behandeld"] / n_months / table["vte"], np.nan
        )
    if threshold_per_fte is None:
        table["overbelast"] = False
    else:
        table["overbelast"] = table["per_vte_per_maand"].fillna(-np.inf) > threshold_per_fte
    if population_year is not None:
        table.insert(2, "bevolkingsjaar", int(population_year))
    unknown = int(c.loc[c["herkomst"] == "", "aanmeldingen"].sum())
    table.attrs["zonder_gebied"] = unknown
    table.attrs["maanden"] = n_months
    return table


def monthly_by_area(
    cases: pd.DataFrame, unit_to_area: Mapping[str, str], handled: bool = False
) -> pd.DataFrame:
    """Months as rows, areas as columns, registrations (of residents, or handled with ``handled=True``).

    Every month between the first and last is present (0 where nothing was registered).
    """
    c = _with_areas(cases, unit_to_area)
    key = "behandeld_door" if handled else "herkomst"
    c = c[c[key] != ""]
    table = c.pivot_table(index="maand", columns=key, values="aanmeldingen", aggfunc="sum", fill_value=0)
    table = table.reindex(months_of(cases), fill_value=0)
    table.index.name = "maand"
    table.columns.name = None
    return table.astype(int)


def trend(monthly: pd.DataFrame) -> pd.DataFrame:
    """Per area: ``helling`` (least-squares change in registrations per month, per month) and
    ``verandering_3m`` (last 3 months vs the 3 before, as a fraction; NaN with < 6 months or 0 before).
    """
    t = np.arange(len(monthly), dtype=float)
    rows = []
    for area in monthly.columns:
        y = monthly[area].to_numpy(dtype=float)
        slope = float(np.polyfit(t, y, 1)[0]) if len(y) >= 2 else np.nan
        change = np.nan
        if len(y) >= 6 and y[-6:-3].sum() > 0:
            change = y[-3:].sum() / y[-6:-3].sum() - 1
        rows.append({"gebied": area, "helling": slope, "verandering_3m": change})
    return pd.DataFrame(rows, columns=["gebied", "helling", "verandering_3m"])


def by_referrer(cases: pd.DataFrame, unit_to_area: Mapping[str, str]) -> pd.DataFrame:
    """Rows: home area, columns: referrer type ("onbekend" where not given); cells: registrations."""
    c = _with_areas(cases, unit_to_area)
    c = c[c["herkomst"] != ""]
    referrer = c["verwijzer"].fillna("").astype(str).replace("", "onbekend")
    m = pd.crosstab(c["herkomst"], referrer, values=c["aanmeldingen"], aggfunc="sum").fillna(0).astype(int)
    m.index.name = "gebied"
    m.columns.name = "verwijzer"
    return m


def transfer_matrix(cases: pd.DataFrame, unit_to_area: Mapping[str, str]) -> pd.DataFrame:
    """Rows: home area (``herkomst``), columns: handling area; cells: registrations (diagonal = at home)."""
    c = _with_areas(cases, unit_to_area)
    c = c[c["herkomst"] != ""]
    areas = sorted(set(c["herkomst"]) | set(c["behandeld_door"]))
    m = pd.crosstab(c["herkomst"], c["behandeld_door"], values=c["aanmeldingen"], aggfunc="sum")
    m = m.reindex(index=areas, columns=areas).fillna(0).astype(int)
    m.index.name = "herkomst"
    m.columns.name = "behandeld door"
    return m


def transfers(cases: pd.DataFrame, unit_to_area: Mapping[str, str]) -> pd.DataFrame:
    """Off-diagonal cells of ``transfer_matrix``: ``van``, ``naar``, ``aanmeldingen`` (largest first)."""
    m = transfer_matrix(cases, unit_to_area)
    long = m.stack().rename("aanmeldingen").reset_index()
    long.columns = ["van", "naar", "aanmeldingen"]
    long = long[(long["van"] != long["naar"]) & (long["aanmeldingen"] > 0)]
    return long.sort_values(["aanmeldingen", "van"], ascending=[False, True]).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------- masking
def mask_small(
    frame: pd.DataFrame,
    count_columns: Iterable[str],
    derived: Mapping[str, Iterable[str]] | None = None,
    threshold: int = MASK_THRESHOLD,
    enabled: bool = True,
) -> pd.DataFrame:
    """Copy with counts 1..threshold-1 replaced by ``"<5"``; columns in ``derived[col]`` (rates computed
    from that count) become ``"–"`` on the same rows so they cannot reveal the masked count.

    With ``enabled=False`` the frame is returned unchanged (a copy).
    """
    out = frame.copy()
    if not enabled:
        return out
    label = f"<{threshold}"
    derived = derived or {}
    for col in count_columns:
        values = pd.to_numeric(frame[col], errors="coerce")
        small = (values > 0) & (values < threshold)
        if not small.any():
            continue
        out[col] = out[col].astype(object)
        out.loc[small, col] = label
        for dep in derived.get(col, ()):
            out[dep] = out[dep].astype(object)
            out.loc[small, dep] = "–"
    return out


def mask_matrix(matrix: pd.DataFrame, threshold: int = MASK_THRESHOLD, enabled: bool = True) -> pd.DataFrame:
    """Every cell of a count matrix masked like ``mask_small``."""
    return mask_small(matrix, list(matrix.columns), threshold=threshold, enabled=enabled)


SUMMARY_DERIVED = {"aanmeldingen": ["per_1000"], "behandeld": ["per_vte_per_maand"]}
SUMMARY_COUNTS = ("aanmeldingen", "behandeld", "uitgaand", "inkomend")


def masked_summary(summary: pd.DataFrame, enabled: bool = True) -> pd.DataFrame:
    """``caseload_summary`` with small counts (and the rates built on them) masked."""
    return mask_small(summary, SUMMARY_COUNTS, SUMMARY_DERIVED, enabled=enabled)


#: The count each mapped rate is built on (a rate on a masked count is not shown either).
RATE_BASIS = {"per_vte_per_maand": "behandeld", "per_1000": "aanmeldingen"}


def rate_per_area(summary: pd.DataFrame, rate: str, masked: bool = True) -> dict[str, float]:
    """``area -> rate`` from ``caseload_summary`` for a map; NaN where the rate's count is masked."""
    basis = summary[RATE_BASIS[rate]]
    hidden = basis.between(1, MASK_THRESHOLD - 1) if masked else pd.Series(False, index=summary.index)
    return dict(zip(summary["gebied"], summary[rate].where(~hidden), strict=True))


def masked_monthly(monthly: pd.DataFrame, masked: bool = True) -> pd.DataFrame:
    """``monthly_by_area`` as floats with the small counts (1-4) left out (NaN) for a chart."""
    chart = monthly.astype(float)
    return chart.mask((chart > 0) & (chart < MASK_THRESHOLD)) if masked else chart
