"""User files for partner planning: capacity per partner and candidate sites, with row-level Dutch messages.

Capacity file: one row per partner, identified by ``id`` (the register id) or by ``naam`` (optionally with
``type`` when names repeat), and ``capaciteit`` (places, FTE, ...: one unit per file, >= 0). Partners
without a row get the default capacity (1).

Candidate sites file: ``naam`` (or ``code``) and a location: ``lat`` + ``lon``, ``x`` + ``y`` (Lambert 72),
a ``wijk`` code or a ``gemeente`` (NIS code or name; the centre is used). Optional: ``capaciteit`` (how
many young people the site can serve; empty = no limit) and ``vast`` (ja/nee: a site that is kept anyway).

Rows are numbered as in the spreadsheet (row 1 holds the column names). A file with errors stores nothing;
the caller decides whether to continue with the valid rows. Personal data are refused by column name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo.errors import UserFacingError
from geo.imports.messages import Message
from geo.imports.pipeline import read_frame
from geo.imports.table import Field, Kind
from geo.imports.values import parse_any as _number
from geo.partners.io import PlaceIndex, _clean_code
from geo.partners.register import (
    fold_text,
    in_belgium,
    normalise_type,
    parse_yes_no,
    wgs84_to_lambert,
)

#: Folded column names that hold personal data: a planning file never needs them.
PERSONAL_COLUMNS = (
    "rijksregisternummer",
    "rijksregister",
    "insz",
    "geboortedatum",
    "geboorte datum",
    "e mail",
    "email",
    "telefoon",
    "gsm",
    "client",
    "clientnaam",
    "voornaam",
    "achternaam",
    "familienaam",
)

_CAPACITY_ALIASES = {
    "id": "partner_id",
    "partner id": "partner_id",
    "naam": "naam",
    "partner": "naam",
    "organisatie": "naam",
    "type": "type",
    "capaciteit": "capaciteit",
    "capacity": "capaciteit",
    "plaatsen": "capaciteit",
    "vte": "capaciteit",
    "fte": "capaciteit",
}

_SITE_ALIASES = {
    "naam": "naam",
    "name": "naam",
    "locatie": "naam",
    "code": "code",
    "lat": "lat",
    "latitude": "lat",
    "breedtegraad": "lat",
    "lon": "lon",
    "lng": "lon",
    "longitude": "lon",
    "lengtegraad": "lon",
    "x": "x",
    "lambert x": "x",
    "y": "y",
    "lambert y": "y",
    "wijk": "wijk",
    "wijkcode": "wijk",
    "gemeente": "gemeente",
    "nis": "gemeente",
    "niscode": "gemeente",
    "capaciteit": "capaciteit",
    "capacity": "capaciteit",
    "vast": "vast",
    "behouden": "vast",
    "bestaand": "vast",
}

SITE_COLUMNS = ["code", "naam", "x", "y", "capaciteit", "vast", "locatiebron"]


def _kind(key: str, label: str, aliases: Mapping[str, str]) -> Kind:
    """A kind for `geo.imports` (header row, sheet, personal-data screen) from an alias table."""
    by_field: dict[str, list[str]] = {}
    for alias, canon in aliases.items():
        by_field.setdefault(canon, []).append(alias)
    return Kind(
        key,
        label,
        tuple(Field(k, k, tuple(v)) for k, v in by_field.items()),
        personal_ok=frozenset({"naam"}),  # the name of an organisation or a site
        address_ok=frozenset({"naam"}),
    )


CAPACITY_KIND = _kind("capaciteit_partners", "capaciteitsbestand", _CAPACITY_ALIASES)
SITES_KIND = _kind("kandidaatlocaties", "bestand met kandidaatlocaties", _SITE_ALIASES)


@dataclass
class FileCheck:
    """Result of checking a planning file: the valid rows, the messages and the number of rows read."""

    rows: pd.DataFrame
    messages: list[Message] = field(default_factory=list)
    n_rows: int = 0

    @property
    def errors(self) -> list[Message]:
        return [m for m in self.messages if m.level == "fout"]

    @property
    def ok(self) -> bool:
        return not self.errors


def _columns(raw: pd.DataFrame, aliases: Mapping[str, str], what: str) -> tuple[pd.DataFrame, list[Message]]:
    personal = [str(c) for c in raw.columns if fold_text(c) in PERSONAL_COLUMNS]
    if personal:
        raise UserFacingError(
            f"Dit {what} lijkt persoonsgegevens te bevatten (kolom {', '.join(repr(c) for c in personal)}). "
            "Er is niets ingelezen: verwijder die kolommen; de planning heeft enkel gegevens over "
            "organisaties en plaatsen nodig."
        )
    mapping, ignored = {}, []
    for col in raw.columns:
        canon = aliases.get(fold_text(col))
        if canon and canon not in mapping.values():
            mapping[col] = canon
        else:
            ignored.append(str(col))
    messages = (
        [Message(None, "waarschuwing", f"Kolommen genegeerd: {', '.join(ignored)}.")] if ignored else []
    )
    return raw.rename(columns=mapping)[list(mapping.values())], messages


def _fmt_row(values: Mapping[str, str]) -> bool:
    return any(str(v).strip() for v in values.values())


# ---------------------------------------------------------------------------------------------- capacity
def check_capacity(raw: pd.DataFrame, partners: pd.DataFrame, first_row: int = 2) -> FileCheck:
    """Capacity per partner from a table of strings.

    ``rows``: ``partner`` (the index label of the partner in ``partners``), ``capaciteit``. Partners
    are found by register id (when ``partners`` has ids) or by name (and type).
    """
    frame, messages = _columns(raw, _CAPACITY_ALIASES, "capaciteitsbestand")
    empty = pd.DataFrame({"partner": pd.Series(dtype=object), "capaciteit": pd.Series(dtype=float)})
    if "capaciteit" not in frame or not ({"partner_id", "naam"} & set(frame.columns)):
        found = ", ".join(map(str, raw.columns)) or "geen"
        messages.append(
            Message(
                None,
                "fout",
                "Verwacht de kolommen 'capaciteit' en 'id' of 'naam' (eventueel met 'type'). "
                f"Gevonden kolommen: {found}.",
            )
        )
        return FileCheck(empty, messages, len(raw))
    ids = {int(pid): label for label, pid in partners["partner_id"].items() if pd.notna(pid)}
    by_name: dict[str, list[tuple[object, str]]] = {}
    for label, naam, typ in zip(partners.index, partners["naam"], partners["type"], strict=True):
        by_name.setdefault(fold_text(naam), []).append((label, typ))
    seen: dict[object, int] = {}
    out: list[tuple[object, float]] = []
    for i, row in enumerate(frame.to_dict("records")):
        rownum = first_row + i
        if not _fmt_row(row):
            continue
        value = _number(str(row.get("capaciteit", "")))
        if value is None or value < 0:
            messages.append(
                Message(
                    rownum, "fout", f"capaciteit '{row.get('capaciteit', '')}' is geen getal van 0 of meer."
                )
            )
            continue
        pid = None
        text_id = _clean_code(row.get("partner_id", ""))
        if text_id:
            if not text_id.isdigit() or int(text_id) not in ids:
                messages.append(Message(rownum, "fout", f"geen partner met id {text_id} in het register."))
                continue
            pid = ids[int(text_id)]
        else:
            naam = str(row.get("naam", "")).strip()
            hits = by_name.get(fold_text(naam), [])
            typ_text = str(row.get("type", "")).strip()
            if typ_text:
                typ = normalise_type(typ_text)
                hits = [h for h in hits if h[1] == typ]
            if not naam:
                messages.append(Message(rownum, "fout", "id en naam ontbreken."))
                continue
            if not hits:
                messages.append(Message(rownum, "fout", f"geen partner '{naam}' in het register."))
                continue
            if len(hits) > 1:
                messages.append(
                    Message(
                        rownum,
                        "fout",
                        f"{len(hits)} partners heten '{naam}': geef het id of het type om te kiezen.",
                    )
                )
                continue
            pid = hits[0][0]
        if pid in seen:
            messages.append(Message(rownum, "fout", f"dezelfde partner staat al op rij {seen[pid]}."))
            continue
        seen[pid] = rownum
        out.append((pid, value))
    rows = pd.DataFrame(out, columns=["partner", "capaciteit"]) if out else empty
    return FileCheck(rows, messages, len(raw))


def read_capacity(content: bytes, filename: str, partners: pd.DataFrame) -> FileCheck:
    """``check_capacity`` on a CSV/XLSX file's bytes."""
    return check_capacity(read_frame(content, filename, CAPACITY_KIND), partners)


def capacity_mapping(check: FileCheck) -> dict[object, float]:
    """``partner index label -> capacity`` from a checked capacity file."""
    return dict(zip(check.rows["partner"], check.rows["capaciteit"].astype(float), strict=True))


def partner_capacity(
    partners: pd.DataFrame, capacity: Mapping[object, float] | None = None, default: float = 1.0
) -> tuple[np.ndarray, int]:
    """Capacity per partner (in table order; ``capacity`` keyed by index label) and how many got
    ``default`` because none was given."""
    capacity = capacity or {}
    values = np.array([capacity.get(label, np.nan) for label in partners.index], dtype=float)
    missing = np.isnan(values)
    values[missing] = default
    return values, int(missing.sum())


# ---------------------------------------------------------------------------------------------- sites
def check_sites(
    raw: pd.DataFrame,
    places: PlaceIndex | None = None,
    wijken: pd.DataFrame | None = None,
    first_row: int = 2,
) -> FileCheck:
    """Candidate sites from a table of strings. ``rows``: ``SITE_COLUMNS`` (``capaciteit`` NaN = no limit)."""
    frame, messages = _columns(raw, _SITE_ALIASES, "bestand met kandidaatlocaties")
    cols = set(frame.columns)
    has_location = {"lat", "lon"} <= cols or {"x", "y"} <= cols or "wijk" in cols or "gemeente" in cols
    if not ({"naam", "code"} & cols) or not has_location:
        found = ", ".join(map(str, raw.columns)) or "geen"
        messages.append(
            Message(
                None,
                "fout",
                "Verwacht een kolom 'naam' (of 'code') en een locatie: lat + lon, x + y (Lambert 72), 'wijk' "
                f"(wijkcode) of 'gemeente'. Gevonden kolommen: {found}.",
            )
        )
        return FileCheck(pd.DataFrame(columns=SITE_COLUMNS), messages, len(raw))
    centres = {}
    if wijken is not None:
        centres = {
            str(c).upper(): (float(x), float(y), str(n))
            for c, x, y, n in zip(wijken["code"], wijken["x"], wijken["y"], wijken["naam"], strict=True)
        }
    records, codes_seen = [], {}
    for i, row in enumerate(frame.to_dict("records")):
        rownum = first_row + i
        row = {k: str(v).strip() for k, v in row.items()}
        if not _fmt_row(row):
            continue
        rec, problems = _site_row(row, places, centres)
        for level, text in problems:
            messages.append(Message(rownum, level, text))
        if rec is None:
            continue
        if rec["code"] in codes_seen:
            messages.append(
                Message(rownum, "fout", f"code '{rec['code']}' staat al op rij {codes_seen[rec['code']]}.")
            )
            continue
        codes_seen[rec["code"]] = rownum
        records.append(rec)
    rows = pd.DataFrame(records, columns=SITE_COLUMNS)
    return FileCheck(rows, messages, len(raw))


def _site_row(
    row: dict, places: PlaceIndex | None, centres: dict
) -> tuple[dict | None, list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []
    naam = row.get("naam", "") or row.get("code", "")
    x = y = None
    source = ""
    lat, lon = _number(row.get("lat", "")), _number(row.get("lon", ""))
    if lat is not None and lon is not None:
        if not in_belgium(lat, lon):
            if in_belgium(lon, lat):
                return None, [("fout", f"lat {lat} en lon {lon} lijken omgewisseld.")]
            return None, [("fout", f"locatie (lat {lat}, lon {lon}) ligt buiten België.")]
        xx, yy = wgs84_to_lambert(lat, lon)
        x, y, source = float(xx), float(yy), "coördinaten"
    elif _number(row.get("x", "")) is not None and _number(row.get("y", "")) is not None:
        x, y, source = _number(row["x"]), _number(row["y"]), "lambert"
        if not (0 <= x <= 300_000 and 0 <= y <= 300_000):
            return None, [("fout", f"x {x} en y {y} zijn geen Lambert 72-coördinaten in België.")]
    elif row.get("wijk"):
        hit = centres.get(row["wijk"].upper())
        if hit is None:
            return None, [("fout", f"onbekende wijkcode '{row['wijk']}'.")]
        x, y, source = hit[0], hit[1], "wijkcentrum"
        naam = naam or hit[2]
    elif row.get("gemeente") and places is not None:
        place = places.municipality(row["gemeente"])
        if place is None:
            hint = places.suggest(row["gemeente"])
            extra = f" Bedoelde u '{hint}'?" if hint else ""
            return None, [("fout", f"onbekende gemeente '{row['gemeente']}'.{extra}")]
        x, y, source = place.x, place.y, "gemeentecentrum"
        naam = naam or place.naam
    else:
        unread = [f"{col} '{row[col]}'" for col in ("lat", "lon", "x", "y")
                  if str(row.get(col) or "").strip() and _number(row[col]) is None]  # fmt: skip
        if unread:
            return None, [("fout", f"{', '.join(unread)} is geen getal (typ bv. 51,2 of 51.2).")]
        return None, [("fout", "locatie ontbreekt (lat + lon, x + y, wijk of gemeente).")]
    if not naam:
        return None, [("fout", "naam ontbreekt.")]
    capacity = np.nan
    if row.get("capaciteit"):
        value = _number(row["capaciteit"])
        if value is None or value < 0:
            return None, [("fout", f"capaciteit '{row['capaciteit']}' is geen getal van 0 of meer.")]
        capacity = value
    fixed = False
    if row.get("vast"):
        parsed = parse_yes_no(row["vast"])
        if parsed is None:
            problems.append(
                ("waarschuwing", f"vast '{row['vast']}' niet begrepen (ja/nee): als 'nee' gelezen.")
            )
        fixed = bool(parsed)
    code = row.get("code") or naam
    return {
        "code": code,
        "naam": naam,
        "x": float(x),
        "y": float(y),
        "capaciteit": capacity,
        "vast": fixed,
        "locatiebron": source,
    }, problems


def read_sites(
    content: bytes, filename: str, places: PlaceIndex | None = None, wijken: pd.DataFrame | None = None
) -> FileCheck:
    """``check_sites`` on a CSV/XLSX file's bytes."""
    return check_sites(read_frame(content, filename, SITES_KIND), places, wijken)


def wijk_sites(table: pd.DataFrame) -> pd.DataFrame:
    """Candidate sites at the centres of the units of ``table`` (no capacity, none fixed)."""
    return pd.DataFrame(
        {
            "code": table["code"].astype(str).to_numpy(),
            "naam": table["naam"].astype(str).to_numpy(),
            "x": table["x"].to_numpy(float),
            "y": table["y"].to_numpy(float),
            "capaciteit": np.nan,
            "vast": False,
            "locatiebron": "centrum",
        }
    )
