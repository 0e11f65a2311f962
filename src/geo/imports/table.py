"""Kinds of files, their fields, and finding the table in a file: header row, sheet, columns.

A `Kind` lists its `Field`s with the column names each accepts (compared folded: lower case, no accents,
and also without a unit in brackets, so the product's own Dutch export headers such as
`Aanmeldingen (aantal)` are recognised). The header is the row, among the first `HEADER_SEARCH` rows of a
sheet, that names most fields (a title above it is skipped). In a workbook the sheet whose header names
the required fields is read; a workbook with several such sheets reads the first and says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from geo.fmt import fold_text
from geo.imports.messages import ERROR, WARNING, Message
from geo.imports.reading import RawFile, Sheet
from geo.imports.values import unquote

HEADER_SEARCH = 30
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_cell(text: str) -> str:
    """A cell as stored: stripped, control characters removed, an export's formula guard `'` undone."""
    return unquote(_CONTROL.sub("", str(text)).strip())


@dataclass(frozen=True)
class Field:
    """A column a kind of file can hold: canonical `key`, Dutch `label`, accepted names (any spelling)."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False

    @property
    def folded_aliases(self) -> frozenset[str]:
        return frozenset({fold_text(self.key), fold_text(self.label), *(fold_text(a) for a in self.aliases)})


@dataclass(frozen=True)
class Kind:
    """A kind of file: its fields and the rules the personal-data screen applies to it.

    ``personal_ok`` are field keys whose column names the screen lets through (a partner's `naam` is an
    organisation's name); ``address_ok`` fields may hold street addresses (an organisation's site);
    ``month_field`` may hold first-of-month dates; ``name_screened`` fields are checked for person names.
    ``any_of`` lists groups of which at least one field must be present.
    """

    key: str
    label: str  # "indelingsbestand", ...
    fields: tuple[Field, ...]
    personal_ok: frozenset[str] = frozenset()
    address_ok: frozenset[str] = frozenset()
    month_field: str | None = None
    name_screened: frozenset[str] = frozenset()
    any_of: tuple[tuple[str, ...], ...] = ()
    hint: str = ""  # what the file should look like, for the missing-columns message

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)

    @property
    def required(self) -> list[str]:
        return [f.key for f in self.fields if f.required]


def header_keys(name: str) -> list[str]:
    """Folded forms of a header: as is, and without bracketed parts (`Gemeente (NIS-code)` -> `gemeente`)."""
    text = str(name)
    forms = [fold_text(text)]
    stripped = fold_text(re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text))
    if stripped and stripped not in forms:
        forms.append(stripped)
    return forms


def match_columns(headers: Sequence[str], kind: Kind) -> tuple[dict[int, str], list[int]]:
    """Column index -> field key for recognised headers (first column wins per field); ignored indices."""
    lookup: dict[str, str] = {}
    for f in kind.fields:
        for alias in f.folded_aliases:
            lookup.setdefault(alias, f.key)
    mapping: dict[int, str] = {}
    ignored: list[int] = []
    taken: set[str] = set()
    for i, h in enumerate(headers):
        key = next((lookup[k] for k in header_keys(h) if k in lookup), None)
        if key is not None and key not in taken:
            mapping[i] = key
            taken.add(key)
        elif str(h).strip():
            ignored.append(i)
    return mapping, ignored


def find_header(sheet: Sheet, kind: Kind) -> tuple[int | None, int]:
    """(row index of the header, number of fields it names); (first non-empty row, 0) when none names any;
    (None, 0) for an empty sheet."""
    first = None
    best, best_n = None, 0
    for i, row in enumerate(sheet.rows[:HEADER_SEARCH]):
        if not any(str(c).strip() for c in row):
            continue
        if first is None:
            first = i
        mapping, _ = match_columns(row, kind)
        n = len(mapping)
        if n > best_n:
            best, best_n = i, n
    if best is None:
        return first, 0
    return best, best_n


@dataclass
class Table:
    """The table found in a file: text cells under field keys, indexed by spreadsheet row number."""

    filename: str
    kind: Kind
    sheet: str
    sheet_names: list[str]
    header_row: int | None  # 1-based spreadsheet row of the header
    headers: list[str]
    frame: pd.DataFrame  # columns: field keys found; index: spreadsheet row numbers; empty rows dropped
    columns: dict[str, str]  # field key -> header as written in the file
    ignored: list[str]
    row_word: str = "Rij"
    messages: list[Message] = field(default_factory=list)
    read_as: str = ""
    n_rows: int = 0  # non-empty data rows

    @property
    def missing(self) -> list[str]:
        """Required fields the file does not have, and unmet `any_of` groups (as 'a of b')."""
        present = set(self.columns)
        out = [f.label for f in self.kind.fields if f.required and f.key not in present]
        for group in self.kind.any_of:
            if not present & set(group):
                out.append(" of ".join(self.kind.field(k).label for k in group))
        return out

    def missing_message(self) -> Message | None:
        missing = self.missing
        if not missing:
            return None
        found = ", ".join(f"'{h}'" for h in self.headers if str(h).strip()) or "geen"
        where = f" (blad '{self.sheet}')" if self.sheet else ""
        hint = f" {self.kind.hint}" if self.kind.hint else ""
        return Message(
            None,
            ERROR,
            f"Kolom(men) ontbreken: {', '.join(missing)}.{hint} Gevonden kolommen{where}: {found}.",
        )

    def source_text(self) -> str:
        parts = [self.filename]
        if self.sheet:
            parts.append(f"blad '{self.sheet}'")
        if self.header_row and self.header_row > 1:
            parts.append(f"kolomkoppen op rij {self.header_row}")
        if self.read_as:
            parts.append(self.read_as)
        return ", ".join(parts)


def choose_sheet(raw: RawFile, kind: Kind) -> tuple[Sheet, int | None, list[Message]]:
    """The sheet to read and its header row index, plus notes about the choice."""
    notes: list[Message] = []
    scored = []
    for idx, sheet in enumerate(raw.sheets):
        h, n = find_header(sheet, kind)
        if h is None:
            continue
        mapping, _ = match_columns(sheet.rows[h], kind)
        present = set(mapping.values())
        complete = all(k in present for k in kind.required) and all(present & set(g) for g in kind.any_of)
        scored.append((complete, n, -idx, sheet, h))
    if not scored:
        raise_empty(raw)
    scored.sort(key=lambda s: (s[0], s[1], s[2]), reverse=True)
    complete, _n, _i, sheet, h = scored[0]
    if raw.format == "spreadsheet" and len(raw.sheets) > 1:
        if sheet is not raw.sheets[0]:
            notes.append(Message(None, WARNING, f"Gegevens gelezen van blad '{sheet.name}'."))
        others = [s[3].name for s in scored[1:] if s[0] and complete]
        if others:
            listed = ", ".join(f"'{o}'" for o in others)
            notes.append(
                Message(
                    None,
                    WARNING,
                    f"Ook blad {listed} heeft de nodige kolommen maar is niet gelezen: enkel blad "
                    f"'{sheet.name}' telt. Zet alles op één blad als het samen hoort.",
                )
            )
    return sheet, h, notes


def raise_empty(raw: RawFile):
    from geo.errors import UserFacingError

    raise UserFacingError(f"Het bestand '{raw.filename}' bevat geen gegevens (alle bladen zijn leeg).")


def build_table(raw: RawFile, kind: Kind) -> Table:
    """Find the sheet, header and columns of ``kind`` in ``raw``; rows that do not fit are reported."""
    sheet, h, notes = choose_sheet(raw, kind)
    header = [str(c).strip() for c in sheet.rows[h]] if h is not None else []
    while header and header[-1] == "":
        header.pop()
    mapping, ignored_idx = match_columns(header, kind)
    messages = list(notes)
    width = len(header)
    keep = sorted(mapping)
    data: dict[str, list[str]] = {mapping[i]: [] for i in keep}
    index: list[int] = []
    row_word = raw.row_word
    first_data = (h or 0) + 1
    for r in range(first_data, len(sheet.rows)):
        row = sheet.rows[r]
        if not any(str(c).strip() for c in row):
            continue
        rownum = r + 1 if raw.format != "geojson" else r
        if len(row) > width and any(str(c).strip() for c in row[width:]):
            sep = raw.separator or ""
            hint = (
                f" Staat er een scheidingsteken ({'tab' if sep == chr(9) else sep}) in een waarde zonder "
                "aanhalingstekens? Zet zo'n waarde tussen aanhalingstekens of bewaar het bestand als XLSX."
                if raw.format == "csv"
                else ""
            )
            messages.append(
                Message(
                    rownum,
                    ERROR,
                    f"deze rij heeft {len(row)} waarden maar er zijn maar {width} kolommen.{hint}",
                    row_word,
                )
            )
            continue
        index.append(rownum)
        for i in keep:
            data[mapping[i]].append(clean_cell(row[i]) if i < len(row) else "")
    frame = pd.DataFrame(data, index=pd.Index(index, name="rij"), dtype=object)
    if not len(frame.columns):
        frame = pd.DataFrame(index=pd.Index(index, name="rij"))
    if sheet.merged_filled:
        messages.append(
            Message(
                None,
                WARNING,
                f"{sheet.merged_filled} cel(len) van samengevoegde cellen kregen de waarde van hun "
                "samengevoegde cel.",
            )
        )
    return Table(
        filename=raw.filename,
        kind=kind,
        sheet=sheet.name,
        sheet_names=[s.name for s in raw.sheets],
        header_row=(h + 1 if raw.format != "geojson" else None) if h is not None else None,
        headers=header,
        frame=frame,
        columns={mapping[i]: header[i] for i in keep},
        ignored=[header[i] for i in ignored_idx],
        row_word=row_word,
        messages=messages,
        read_as=raw.describe() if raw.format == "csv" else "",
        n_rows=len(index),
    )


def ignored_warning(table: Table) -> Message | None:
    if not table.ignored:
        return None
    names = ", ".join(f"'{c}'" for c in table.ignored)
    return Message(None, WARNING, f"Kolom(men) niet gebruikt: {names}.")


def fold_all(values: Iterable[str]) -> list[str]:
    return [fold_text(v) for v in values]
