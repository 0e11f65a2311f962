"""Caseload: aggregated registrations per unit and month, load per area, transfers, privacy rules.

Only aggregated counts are accepted. ``check_privacy`` refuses a file whose columns or values look
personal (names, national register numbers, birth dates, addresses, e-mail) before anything else is read;
nothing of a refused file is kept. Small counts (1-4) are masked as ``"<5"`` in display and export unless
masking is turned off (``mask_small``).

A caseload table has the columns ``eenheid`` (unit code), ``maand`` (``"YYYY-MM"``), ``verwijzer``
("" when not given), ``behandelend_gebied`` ("" = handled in the home area) and ``aanmeldingen`` (int).
Areas come from a plain mapping ``unit code -> area``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo.errors import UserFacingError
from geo.partners.io import Message
from geo.partners.register import fold_text

#: Unit column in a caseload file -> unit level (``geo.data.units.LEVELS``).
UNIT_COLUMNS: dict[str, str] = {"postcode": "postcode_antwerpen", "wijk": "wijk", "gemeente": "gemeente"}

CASE_COLUMNS = ("eenheid", "maand", "verwijzer", "behandelend_gebied", "aanmeldingen")

_ALIASES: dict[str, str] = {
    "postcode": "postcode",
    "wijk": "wijk",
    "wijkcode": "wijk",
    "gemeente": "gemeente",
    "nis": "gemeente",
    "niscode": "gemeente",
    "nis code": "gemeente",
    "eenheid": "eenheid",
    "code": "eenheid",
    "maand": "maand",
    "periode": "maand",
    "aanmeldingen": "aanmeldingen",
    "aantal": "aanmeldingen",
    "aantal aanmeldingen": "aanmeldingen",
    "registraties": "aanmeldingen",
    "verwijzer": "verwijzer",
    "verwijzer type": "verwijzer",
    "aanmelder": "verwijzer",
    "type verwijzer": "verwijzer",
    "behandelend gebied": "behandelend_gebied",
    "behandeld in": "behandelend_gebied",
    "behandelend wcp": "behandelend_gebied",
}

#: Column-name fragments that mark personal data (checked on the folded name).
PERSONAL_FRAGMENTS = (
    "voornaam",
    "achternaam",
    "familienaam",
    "rijksregister",
    "insz",
    "geboorte",
    "adres",
    "straat",
    "huisnummer",
    "email",
    "e mail",
    "telefoon",
    "gsm",
    "iban",
    "rekeningnummer",
)
#: Whole words in a column name that mark personal data (``naam`` unless it names a place or an organisation).
PERSONAL_WORDS = frozenset({"naam", "name", "rrn", "nrn", "birthdate", "dob"})
_NEUTRAL_WORDS = frozenset(
    {
        "gemeente",
        "wijk",
        "gebied",
        "postcode",
        "verwijzer",
        "organisatie",
        "dienst",
        "partner",
        "wcp",
        "district",
    }
)

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


class PrivacyError(UserFacingError):
    """The file looks like it holds personal data; it was refused and nothing of it was kept."""


# ---------------------------------------------------------------------------------------------- privacy
_RRN_FORMATTED = re.compile(r"^\d{2}[.\s]?\d{2}[.\s]?\d{2}[-\s]?\d{3}[.\s]?\d{2}$")
_FULL_DATE = re.compile(
    r"^(?:(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})|(\d{4})[/.-](\d{1,2})[/.-](\d{1,2}))"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)


def looks_like_rrn(text: str) -> bool:
    """True for a Belgian national register number (11 digits with a valid check number)."""
    text = str(text).strip()
    if not _RRN_FORMATTED.match(text):
        return False
    digits = re.sub(r"\D", "", text)
    if len(digits) != 11:
        return False
    month, day = int(digits[2:4]), int(digits[4:6])
    if month > 12 + 40 or day > 31:  # bis numbers add 20 or 40 to the month
        return False
    base, check = int(digits[:9]), int(digits[9:])
    return check in (97 - base % 97, 97 - int("2" + digits[:9]) % 97)


def _full_date(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) for a date written to the day, else None."""
    m = _FULL_DATE.match(str(text).strip())
    if not m:
        return None
    if m.group(1):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        year, month, day = int(m.group(4)), int(m.group(5)), int(m.group(6))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return year, month, day


def personal_column(name: str) -> bool:
    """True when a column name suggests personal data (``voornaam``, ``geboortedatum``, ``naam kind``...)."""
    folded = fold_text(name)
    if any(frag in folded or frag.replace(" ", "") in folded.replace(" ", "") for frag in PERSONAL_FRAGMENTS):
        return True
    words = set(folded.split())
    return bool(words & PERSONAL_WORDS) and not (words & _NEUTRAL_WORDS)


def privacy_problems(raw: pd.DataFrame, month_column: str | None = None) -> list[str]:
    """Reasons (Dutch, without repeating any value) why a table looks personal; empty when it does not.

    Checks column names, values that look like national register numbers or e-mail addresses, and dates
    written to the day (possible birth dates) in any column except the month column, where only the first
    of a month is allowed (Excel turns "2024-03" into 2024-03-01).
    """
    problems: list[str] = []
    for col in raw.columns:
        if personal_column(str(col)):
            problems.append(f"kolom '{col}' lijkt persoonsgegevens te bevatten")
    for col in raw.columns:
        values = raw[col].astype(str).str.strip()
        values = values[values != ""]
        if values.empty:
            continue
        sample = values.drop_duplicates()
        if sample.map(looks_like_rrn).any():
            problems.append(f"kolom '{col}' bevat waarden die op rijksregisternummers lijken")
        if sample.map(lambda v: bool(_EMAIL.match(v))).any():
            problems.append(f"kolom '{col}' bevat e-mailadressen")
        dates = [d for d in sample.map(_full_date) if d is not None]
        is_month_col = month_column is not None and str(col) == month_column
        if dates and (not is_month_col or any(day != 1 for _, _, day in dates)):
            problems.append(f"kolom '{col}' bevat datums tot op de dag (mogelijk geboortedata)")
    return problems


def check_privacy(raw: pd.DataFrame, month_column: str | None = None) -> None:
    """Raise PrivacyError with a clear Dutch message when ``privacy_problems`` finds anything."""
    problems = privacy_problems(raw, month_column)
    if problems:
        raise PrivacyError(
            "Bestand geweigerd: het lijkt persoonsgegevens te bevatten ("
            + "; ".join(problems)
            + "). Deze toepassing aanvaardt enkel geaggregeerde aantallen: één rij per eenheid (postcode, "
            "wijk of gemeente) en maand met het aantal aanmeldingen, eventueel per type verwijzer. "
            "Verwijder de persoonsgegevens en tel de dossiers op vóór u het bestand opnieuw laadt. "
            "Er is niets van dit bestand opgeslagen of bewaard."
        )


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


def parse_month(text: str) -> str | None:
    """``"2024-03"``, ``"2024/3"``, ``"03/2024"``, ``"2024-03-01"`` (first of month) -> ``"2024-03"``."""
    text = str(text).strip()
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})", text) or re.fullmatch(r"(\d{1,2})[-/.](\d{4})", text)
    if m:
        a, b = m.groups()
        year, month = (int(a), int(b)) if len(a) == 4 else (int(b), int(a))
    else:
        d = _full_date(text)
        if d is None or d[2] != 1:
            return None
        year, month = d[0], d[1]
    if not (1 <= month <= 12 and 1900 <= year <= 2100):
        return None
    return f"{year:04d}-{month:02d}"


def _count(text: str) -> int | None:
    text = str(text).strip().replace(" ", "")
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"\d+[.,]0+", text):
        return int(re.split(r"[.,]", text)[0])
    return None


def validate_caseload(
    raw: pd.DataFrame,
    unit_codes: Mapping[str, Iterable[str]],
    level: str | None = None,
    areas: Iterable[str] | None = None,
    first_row: int = 2,
) -> CaseloadImport:
    """Check a caseload file (privacy first, then every row) and build the caseload table.

    ``unit_codes`` gives the valid codes per level (keys of ``UNIT_COLUMNS`` values). The unit column is
    ``postcode``, ``wijk`` or ``gemeente`` (or ``eenheid`` together with ``level``). ``areas`` lists the
    valid names for ``behandelend_gebied``. Raises PrivacyError for personal-looking files.
    """
    mapping = {c: _ALIASES[fold_text(c)] for c in raw.columns if fold_text(c) in _ALIASES}
    month_col = next((c for c, canon in mapping.items() if canon == "maand"), None)
    check_privacy(raw, month_col)
    frame = raw.rename(columns=mapping)
    frame = frame.loc[:, ~frame.columns.duplicated()]
    messages: list[Message] = []
    unit_cols = [c for c in ("postcode", "wijk", "gemeente", "eenheid") if c in frame.columns]
    missing = [c for c in ("maand", "aanmeldingen") if c not in frame.columns]
    if not unit_cols:
        missing.insert(0, "postcode, wijk of gemeente")
    if missing:
        found = ", ".join(map(str, raw.columns)) or "geen"
        messages.append(
            Message(None, "fout", f"Kolom(men) ontbreken: {', '.join(missing)}. Gevonden kolommen: {found}.")
        )
        return CaseloadImport(_empty_cases(), level or "", messages)
    if len(unit_cols) > 1:
        messages.append(
            Message(None, "fout", f"Geef één eenheidskolom, niet {' en '.join(unit_cols)} samen.")
        )
        return CaseloadImport(_empty_cases(), level or "", messages)
    unit_col = unit_cols[0]
    if unit_col != "eenheid":
        level = UNIT_COLUMNS[unit_col]
    if not level or level not in unit_codes:
        messages.append(
            Message(None, "fout", "Kies het niveau van de eenheden (postcode, wijk of gemeente).")
        )
        return CaseloadImport(_empty_cases(), level or "", messages)
    valid_units = {str(c) for c in unit_codes[level]}
    valid_areas = set(areas) if areas is not None else None
    ignored = [str(c) for c in raw.columns if c not in mapping]
    if ignored:
        messages.append(Message(None, "waarschuwing", f"Kolommen genegeerd: {', '.join(ignored)}."))

    rows = []
    seen: dict[tuple, int] = {}
    for i, rec in enumerate(frame.to_dict("records")):
        rownum = first_row + i
        vals = {k: str(v).strip() for k, v in rec.items()}
        if not any(vals.get(k) for k in (unit_col, "maand", "aanmeldingen")):
            continue
        errs = []
        unit = vals.get(unit_col, "")
        unit = unit[:-2] if re.fullmatch(r"\d+\.0", unit) else unit
        if not unit:
            errs.append(f"{unit_col} ontbreekt.")
        elif unit not in valid_units:
            errs.append(f"onbekende {unit_col} '{unit}' op niveau {level}.")
        month = parse_month(vals.get("maand", ""))
        if month is None:
            errs.append(f"maand '{vals.get('maand', '')}' niet herkend (gebruik JJJJ-MM, bv. 2024-03).")
        count_text = vals.get("aanmeldingen", "")
        count = _count(count_text)
        if count is None:
            if count_text.startswith("<"):
                errs.append(f"gemaskeerd aantal '{count_text}': laad de niet-gemaskeerde aantallen.")
            else:
                errs.append(f"aantal '{count_text}' is geen geheel getal van 0 of meer.")
        handler = vals.get("behandelend_gebied", "")
        if handler and valid_areas is not None and handler not in valid_areas:
            errs.append(f"onbekend behandelend gebied '{handler}'.")
        referrer = vals.get("verwijzer", "")
        key = (unit, month, referrer, handler)
        if not errs and key in seen:
            errs.append(f"dubbel: dezelfde eenheid, maand en verwijzer als rij {seen[key]}.")
        if errs:
            messages.extend(Message(rownum, "fout", e) for e in errs)
            continue
        seen[key] = rownum
        rows.append((unit, month, referrer, handler, count))
    cases = pd.DataFrame(rows, columns=list(CASE_COLUMNS)) if rows else _empty_cases()
    cases["aanmeldingen"] = cases["aanmeldingen"].astype(int)
    return CaseloadImport(cases, level, messages)


def _empty_cases() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=int if c == "aanmeldingen" else object) for c in CASE_COLUMNS})


def read_capacity(
    raw: pd.DataFrame, areas: Iterable[str] | None = None
) -> tuple[dict[str, float], list[Message]]:
    """Capacity per area from a table with ``gebied`` and ``vte`` (FTE; decimal comma allowed)."""
    cols = {fold_text(c): c for c in raw.columns}
    area_col = cols.get("gebied") or cols.get("wcp") or cols.get("werkingsgebied")
    fte_col = cols.get("vte") or cols.get("fte") or cols.get("capaciteit")
    if area_col is None or fte_col is None:
        return {}, [Message(None, "fout", "Capaciteit: kolommen 'gebied' en 'vte' zijn nodig.")]
    known = set(areas) if areas is not None else None
    out: dict[str, float] = {}
    msgs: list[Message] = []
    for i, (a, v) in enumerate(
        zip(raw[area_col].astype(str), raw[fte_col].astype(str), strict=True), start=2
    ):
        a, v = a.strip(), v.strip().replace(",", ".")
        if not a and not v:
            continue
        try:
            fte = float(v)
        except ValueError:
            msgs.append(Message(i, "fout", f"vte '{v}' is geen getal."))
            continue
        if not np.isfinite(fte) or fte < 0:
            msgs.append(Message(i, "fout", f"vte moet 0 of meer zijn, niet {v}."))
        elif known is not None and a not in known:
            msgs.append(Message(i, "fout", f"onbekend gebied '{a}'."))
        elif a in out:
            msgs.append(Message(i, "fout", f"gebied '{a}' komt twee keer voor."))
        else:
            out[a] = fte
    return out, msgs


def load_case_units(level: str) -> pd.DataFrame:
    """Units of a caseload level with ``code``, ``naam``, ``pop_0_24``, ``kansarmoede_n``, ``x``, ``y``.

    Antwerp postcodes have no polygons: their ``x``/``y`` are the approximate centres of
    ``geo.partners.io.antwerp_postcode_centres``.
    """
    from geo.data import units

    table = units.load_table(level)
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
    periods = pd.PeriodIndex(cases["maand"], freq="M")
    return [str(p) for p in pd.period_range(periods.min(), periods.max(), freq="M")]


def caseload_summary(
    cases: pd.DataFrame,
    unit_to_area: Mapping[str, str],
    population: Mapping[str, float],
    capacity: Mapping[str, float] | None = None,
    threshold_per_fte: float | None = None,
) -> pd.DataFrame:
    """One row per area (home areas and handling areas).

    Columns: ``gebied``, ``doelgroep`` (under-25s of the area's units), ``aanmeldingen`` (of residents),
    ``per_1000`` (registrations of residents per 1,000 under-25s per year), ``behandeld`` (cases the area
    handled, incoming transfers included), ``uitgaand``/``inkomend`` (transfers), ``vte``,
    ``per_vte_per_maand`` (handled cases per FTE per month), ``overbelast`` (above ``threshold_per_fte``).
    Rates are computed from summed counts over the months of the data (``months_of``).
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


def month_label(month: str) -> str:
    """``"2024-03"`` -> ``"mrt 2024"``."""
    names = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    year, m = month.split("-")
    return f"{names[int(m) - 1]} {year}"
