"""Partner files: reading through `geo.imports`, row-level validation in Dutch, export, the OSM 2015 example.

``read_table(content, filename)`` reads a file (every sheet screened for personal data) into a `Table`;
``validate_partners(table, places)`` turns it into a canonical partner table (``geo.partners.register``)
plus messages "Rij 4: ..." with the row numbers of the spreadsheet.

What a partner register may hold (`KIND`): data about organisations only. Name, type, funding, location
(lat/lon, Lambert x/y, postcode, municipality), involvement per area, source. The address of a site
(`adres`, `straat`, `huisnummer`) is public information about an organisation and is accepted, but not
stored: the location comes from the coordinates or the municipality. Contact persons, e-mail addresses,
phone numbers, national register numbers and birth dates are refused (`geo.imports.privacy`), also when
they hide in another column or on another sheet. Text longer than the database keeps (name 300, source 200,
area in the involvement 200 characters) is refused, never cut.
"""

from __future__ import annotations

import difflib
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from geo import exports
from geo.errors import UserFacingError
from geo.imports.messages import Message, messages_frame, sort_messages
from geo.imports.pipeline import open_table
from geo.imports.preview import Preview, column_list
from geo.imports.table import Field, Kind, Table, match_columns
from geo.imports.values import detect_decimal, parse_number
from geo.partners.register import (
    FUNDED_BY_DEFAULT,
    OSM_EXAMPLE_LABEL,
    PARTNER_TYPES,
    conform,
    empty_partners,
    fold_text,
    format_involvement,
    in_belgium,
    lambert_to_wgs84,
    normalise_type,
    parse_involvement,
    parse_yes_no,
    wgs84_to_lambert,
)

OSM_FILE = "osm/osm2015_social_points_belgium.geojson"

#: OSM ``osm_type`` -> partner type; types mapped to None are left out of the example set.
OSM_TYPE_MAP: dict[str, str | None] = {
    "school": "school",
    "kindergarten": "school",
    "childcare": "andere",
    "doctors": "huisarts",
    "clinic": "andere",
    "social_facility": "OCMW/sociaal huis",
    "social_centre": "OCMW/sociaal huis",
    "townhall": "OCMW/sociaal huis",
    "community_centre": "burgerinitiatief",
    "youth_centre": "burgerinitiatief",
    "library": None,
    "hospital": None,
}

REQUIRED_COLUMNS = ("naam", "type")
LOCATION_HINT = "lat + lon, of x + y (Lambert 72), of gemeente (eventueel met postcode)"
#: Two partners with the same name and type closer than this (metres) are duplicates.
DUPLICATE_DISTANCE_M = 100.0

#: Columns of the register export (Dutch headers with units; `read_table` accepts them back).
EXPORT_COLUMNS = (
    exports.Col("id", "ID", "int"),
    exports.Col("naam", "Naam"),
    exports.Col("type", "Type"),
    exports.Col("gefinancierd", "Gefinancierd (ja/nee)", "bool"),
    exports.Col("lat", "Breedtegraad (WGS84)", "number", 6),
    exports.Col("lon", "Lengtegraad (WGS84)", "number", 6),
    exports.Col("x", "X (Lambert 72, m)", "number", 1),
    exports.Col("y", "Y (Lambert 72, m)", "number", 1),
    exports.Col("locatie_benaderd", "Locatie benaderd (ja/nee)", "bool"),
    exports.Col("locatiebron", "Locatiebron"),
    exports.Col("postcode", "Postcode", "code"),
    exports.Col("gemeente", "Gemeente (NIS-code)", "code"),
    exports.Col("betrokkenheid", "Betrokkenheid"),
    exports.Col("bron", "Bron"),
)


@dataclass
class PartnerImport:
    """Result of validating a partner file: the valid partners and the messages."""

    partners: pd.DataFrame
    messages: list[Message] = field(default_factory=list)
    n_rows: int = 0
    source: str = ""  # how the file was read (sheet, header row, encoding)
    columns: list[tuple[str, str]] = field(default_factory=list)  # (column in the file, meaning)

    @property
    def errors(self) -> list[Message]:
        return [m for m in self.messages if m.level == "fout"]

    @property
    def warnings(self) -> list[Message]:
        return [m for m in self.messages if m.level == "waarschuwing"]

    @property
    def ok(self) -> bool:
        """True when no message is an error (then every row is in ``partners``)."""
        return not self.errors

    def messages_frame(self) -> pd.DataFrame:
        """Messages as a table: ``Rij``, ``Soort``, ``Melding``."""
        return messages_frame(self.messages)


# ---------------------------------------------------------------------------------------------- places
@dataclass(frozen=True)
class Place:
    code: str
    naam: str
    x: float
    y: float
    gemeente: str = ""  # municipality code of a postcode place


class PlaceIndex:
    """Municipalities (by NIS code or name) and the Antwerp postcodes with a known centre."""

    def __init__(
        self,
        municipalities: Iterable[Place],
        postcodes: Iterable[Place] = (),
        aliases: dict[str, str] | None = None,
    ) -> None:
        self.municipalities = {p.code: p for p in municipalities}
        self.postcodes = {p.code: p for p in postcodes}
        self.by_name: dict[str, str] = {}
        for p in self.municipalities.values():
            self.by_name[fold_text(p.naam)] = p.code
            for part in re.split(r"\s*/\s*|\s+-\s+", p.naam):  # "Brussel / Bruxelles"
                self.by_name.setdefault(fold_text(part), p.code)
        for name, code in (aliases or {}).items():
            if code in self.municipalities:
                self.by_name.setdefault(fold_text(name), code)

    @classmethod
    def from_tables(
        cls,
        gemeente: pd.DataFrame,
        postcodes: pd.DataFrame | None = None,
        aliases: dict[str, str] | None = None,
    ) -> PlaceIndex:
        """From unit tables with ``code``, ``naam``, ``x``, ``y`` (postcodes without x/y are skipped)."""
        munis = [
            Place(str(r.code), str(r.naam), float(r.x), float(r.y)) for r in gemeente.itertuples(index=False)
        ]
        pcs: list[Place] = []
        if postcodes is not None and {"x", "y"} <= set(postcodes.columns):
            for r in postcodes.itertuples(index=False):
                if np.isfinite(float(r.x)) and np.isfinite(float(r.y)):
                    muni = str(getattr(r, "gemeente", ""))
                    pcs.append(
                        Place(str(r.code), str(getattr(r, "naam", r.code)), float(r.x), float(r.y), muni)
                    )
        return cls(munis, pcs, aliases)

    @classmethod
    def from_units(cls) -> PlaceIndex:
        """From ``geo.data.units``: 2025 municipalities, 2019-2024 names as aliases, Antwerp postcodes."""
        from geo.data import units

        gemeente = units.load_table("gemeente")
        aliases: dict[str, str] = {}
        try:
            old = units.load_table("gemeente2024")
            if {"naam", "gemeente"} <= set(old.columns):
                aliases.update(dict(zip(old["naam"].astype(str), old["gemeente"].astype(str), strict=True)))
                aliases.update(dict(zip(old["code"].astype(str), old["gemeente"].astype(str), strict=True)))
        except Exception:  # noqa: BLE001 - old names are a convenience only
            pass
        try:
            postcodes = antwerp_postcode_centres(
                units.load_table("wijk"), units.load_table("district"), gemeente
            )
        except Exception:  # noqa: BLE001 - without it Antwerp postcodes need a municipality too
            postcodes = None
        return cls.from_tables(gemeente, postcodes, aliases)

    def municipality(self, value: str) -> Place | None:
        """A municipality by NIS code (also 2019-2024 codes via aliases) or by name."""
        text = _clean_code(value)
        if text in self.municipalities:
            return self.municipalities[text]
        code = self.by_name.get(fold_text(value))
        return self.municipalities.get(code) if code else None

    def suggest(self, value: str) -> str | None:
        """The closest municipality name, for a "bedoelde u ...?" hint."""
        names = {fold_text(p.naam): p.naam for p in self.municipalities.values()}
        hits = difflib.get_close_matches(fold_text(value), list(names), n=1, cutoff=0.75)
        return names[hits[0]] if hits else None


def antwerp_postcode_centres(
    wijken: pd.DataFrame, districts: pd.DataFrame, gemeenten: pd.DataFrame
) -> pd.DataFrame:
    """Approximate centres of the 17 Groot Antwerpen postcodes (there are no postcode polygons).

    A postcode that is a whole district or municipality (``geo.divisions.references.DISTRICT_POSTCODE``) sits
    at that unit's centroid; the six postcodes of district Antwerpen sit at the mean centroid of the wijken
    assigned to them (``DISTRICT_ANTWERPEN_POSTCODE``). Columns: code, naam, x, y, gemeente.
    """
    from geo.divisions.references import DISTRICT_ANTWERPEN_POSTCODE, DISTRICT_POSTCODE

    rows = []
    units = pd.concat([districts[["code", "x", "y"]], gemeenten[["code", "x", "y"]]], ignore_index=True)
    xy = {str(c): (float(x), float(y)) for c, x, y in units.itertuples(index=False)}
    for unit, pc in DISTRICT_POSTCODE.items():
        if unit in xy:
            rows.append((pc, *xy[unit], unit[:5]))
    w = wijken[wijken["code"].astype(str).isin(DISTRICT_ANTWERPEN_POSTCODE)]
    pcs = w["code"].astype(str).map(DISTRICT_ANTWERPEN_POSTCODE)
    for pc, grp in w.groupby(pcs):
        rows.append((pc, float(grp["x"].mean()), float(grp["y"].mean()), "11002"))
    out = pd.DataFrame(rows, columns=["code", "x", "y", "gemeente"]).sort_values("code", ignore_index=True)
    out.insert(1, "naam", out["code"])
    return out


# ---------------------------------------------------------------------------------------------- reading
def _field(key: str, label: str, *aliases: str, required: bool = False) -> Field:
    return Field(key, label, aliases, required)


#: The fields of a partner file; column names are compared folded and without a unit in brackets.
KIND = Kind(
    key="partners",
    label="partnerbestand",
    fields=(
        _field(
            "naam",
            "naam",
            "name",
            "organisatie",
            "partner",
            "naam organisatie",
            "organisatienaam",
            required=True,
        ),
        _field("type", "type", "soort", "categorie", "type partner", "partnertype", required=True),
        _field("gefinancierd", "gefinancierd", "financiering", "1g1p middelen"),
        _field("pluspartner", "pluspartner", "plus partner"),
        _field("lat", "lat", "latitude", "breedtegraad", "breedte"),
        _field("lon", "lon", "lng", "long", "longitude", "lengtegraad", "lengte"),
        _field("x", "x", "lambert x", "x lambert"),
        _field("y", "y", "lambert y", "y lambert"),
        _field("postcode", "postcode", "post code"),
        _field("gemeente", "gemeente", "gemeentenaam", "nis", "niscode", "nis code"),
        _field("betrokkenheid", "betrokkenheid"),
        _field("benaderd", "locatie benaderd", "benaderd"),
        _field("locatiebron", "locatiebron"),
        _field("bron", "bron"),
        _field("partner_id", "id", "partner id"),
        _field("adres", "adres", "address", "vestigingsadres", "adres vestiging", "straat en nummer"),
        _field("straat", "straat", "straatnaam", "street"),
        _field("huisnummer", "huisnummer", "nummer", "nr", "busnummer"),
    ),
    personal_ok=frozenset({"naam", "adres", "straat", "huisnummer"}),
    address_ok=frozenset({"naam", "adres", "straat", "huisnummer"}),
    hint=f"Verwacht: naam, type en een locatie ({LOCATION_HINT}).",
)
ADDRESS_FIELDS = ("adres", "straat", "huisnummer")
#: Longest texts the database keeps; longer ones are refused, never cut.
MAX_LENGTH = {"naam": 300, "bron": 200}
MAX_AREA_LENGTH = 200


def read_table(source: bytes | str | Path | io.IOBase, filename: str | None = None) -> Table:
    """A partner file (CSV, XLSX, ...) as a `Table` of text cells; every sheet is screened for personal
    data first. Raises UserFacingError (PrivacyError) when the file cannot be read or is refused."""
    if isinstance(source, str | Path):
        filename = filename or Path(source).name
        data = Path(source).read_bytes()
    elif isinstance(source, bytes):
        data = source
    else:
        data = source.read()
        filename = filename or getattr(source, "name", None)
    return open_table(data, filename or "bestand.csv", KIND)


def table_from_frame(raw: pd.DataFrame) -> Table:
    """A `Table` from a frame of strings with the file's column names (rows numbered from 2)."""
    headers = [str(c).strip() for c in raw.columns]
    mapping, ignored = match_columns(headers, KIND)
    frame = pd.DataFrame(
        {mapping[i]: raw.iloc[:, i].fillna("").astype(str).str.strip().tolist() for i in sorted(mapping)},
        index=pd.Index(range(2, len(raw) + 2), name="rij"),
        dtype=object,
    )
    return Table(
        filename="",
        kind=KIND,
        sheet="",
        sheet_names=[""],
        header_row=1,
        headers=headers,
        frame=frame,
        columns={mapping[i]: headers[i] for i in sorted(mapping)},
        ignored=[headers[i] for i in ignored],
        n_rows=len(raw),
    )


def _clean_code(value: object) -> str:
    """``"2000.0"`` (Excel) -> ``"2000"``; whitespace stripped."""
    text = str(value).strip()
    return text[:-2] if re.fullmatch(r"\d+\.0", text) else text


# ---------------------------------------------------------------------------------------------- validation
def validate_partners(
    raw: Table | pd.DataFrame,
    places: PlaceIndex,
    existing: pd.DataFrame | None = None,
    fix_swapped: bool = False,
    first_row: int = 2,
    source: str = "eigen register",
) -> PartnerImport:
    """Check every row of a partner file and build the canonical partner table of the valid rows.

    ``raw`` is a `Table` from ``read_table`` or a frame of strings with the file's column names.
    ``existing`` (a canonical partner table) makes partners already in the register count as duplicates.
    With ``fix_swapped`` swapped lat/lon or x/y are corrected (a warning) instead of refused (an error).
    """
    table = raw if isinstance(raw, Table) else table_from_frame(raw)
    frame = table.frame
    messages: list[Message] = list(table.messages)
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    has_location = (
        {"lat", "lon"} <= set(frame.columns)
        or {"x", "y"} <= set(frame.columns)
        or "gemeente" in frame.columns
        or "postcode" in frame.columns
    )
    if missing or not has_location:
        parts = [f"kolom '{c}' ontbreekt" for c in missing]
        if not has_location:
            parts.append(f"geen locatiekolommen gevonden (verwacht: {LOCATION_HINT})")
        found = ", ".join(h for h in table.headers if h) or "geen"
        messages.append(
            Message(None, "fout", f"{'; '.join(parts).capitalize()}. Gevonden kolommen: {found}.")
        )
        return PartnerImport(empty_partners(), messages, table.n_rows)
    if table.ignored:
        messages.append(Message(None, "waarschuwing", f"Kolommen genegeerd: {', '.join(table.ignored)}."))
    address = [table.columns[k] for k in ADDRESS_FIELDS if k in table.columns]
    if address:
        messages.append(
            Message(
                None,
                "waarschuwing",
                f"Kolom(men) {', '.join(address)} (adres van de vestiging) worden niet bewaard: de locatie "
                "komt uit de coördinaten, de postcode of de gemeente.",
            )
        )
    if frame.empty:
        messages.append(Message(None, "fout", "Het bestand bevat geen partners (enkel kolomkoppen)."))
        return PartnerImport(empty_partners(), messages, 0)
    decimals = {
        k: detect_decimal((v for v in frame[k] if v), None) for k in ("lat", "lon", "x", "y") if k in frame
    }

    records: list[dict] = []
    record_rows: list[int] = []
    columns = [c for c in frame.columns if c not in ADDRESS_FIELDS]
    for rownum, *cells in frame[columns].itertuples(name=None):
        values = {
            k: _clean_code(v) if k in ("postcode", "gemeente") else str(v).strip()
            for k, v in zip(columns, cells, strict=True)
        }
        if not any(values.values()):
            continue  # blank line
        rec, row_msgs = _validate_row(values, places, fix_swapped, source, decimals)
        messages.extend(Message(int(rownum), lvl, txt) for lvl, txt in row_msgs)
        if rec is not None:
            records.append(rec)
            record_rows.append(int(rownum))

    if records:
        frame_out = pd.DataFrame(records)
        todo = frame_out["x"].isna().to_numpy()
        if todo.any():
            lat, lon = frame_out.loc[todo, "lat"].to_numpy(), frame_out.loc[todo, "lon"].to_numpy()
            x, y = wgs84_to_lambert(lat, lon)
            frame_out.loc[todo, "x"], frame_out.loc[todo, "y"] = np.asarray(x, float), np.asarray(y, float)
        partners = conform(frame_out)
    else:
        partners = empty_partners()
    keep, dup_msgs = _duplicates(partners, record_rows, existing)
    messages.extend(dup_msgs)
    partners = partners.loc[keep].reset_index(drop=True)
    labels = {f.key: f.label for f in KIND.fields} | {k: f"{k} (niet bewaard)" for k in ADDRESS_FIELDS}
    return PartnerImport(
        partners,
        sort_messages(messages),
        table.n_rows,
        source=table.source_text(),
        columns=column_list(table.columns, labels, table.ignored),
    )


def _validate_row(
    v: dict[str, str],
    places: PlaceIndex,
    fix_swapped: bool,
    source: str,
    decimals: dict[str, str] | None = None,
) -> tuple[dict | None, list[tuple[str, str]]]:
    msgs: list[tuple[str, str]] = []
    errors = 0

    def err(text: str) -> None:
        nonlocal errors
        errors += 1
        msgs.append(("fout", text))

    name = v.get("naam", "")
    if not name:
        err("naam ontbreekt.")
    for key, limit in MAX_LENGTH.items():
        if len(v.get(key, "")) > limit:
            err(
                f"{key} is {len(v[key])} tekens lang; het maximum is {limit}. Kort in (er wordt niets "
                "afgekapt)."
            )
    ptype = normalise_type(v.get("type", ""))
    if ptype is None:
        given = v.get("type", "")
        if not given:
            err(f"type ontbreekt (kies uit: {', '.join(PARTNER_TYPES)}).")
        else:
            close = difflib.get_close_matches(given, PARTNER_TYPES, n=1, cutoff=0.6)
            hint = f" Bedoelt u '{close[0]}'?" if close else ""
            err(f"onbekend type '{given}'.{hint} Kies uit: {', '.join(PARTNER_TYPES)}.")

    funded: bool | None = None
    if v.get("gefinancierd"):
        funded = parse_yes_no(v["gefinancierd"])
        if funded is None:
            err(f"'gefinancierd' moet ja of nee zijn, niet '{v['gefinancierd']}'.")
    elif v.get("pluspartner"):
        plus = parse_yes_no(v["pluspartner"])
        if plus is None:
            err(f"'pluspartner' moet ja of nee zijn, niet '{v['pluspartner']}'.")
        else:
            funded = not plus
    if funded is None:
        funded = ptype in FUNDED_BY_DEFAULT

    try:
        involvement = parse_involvement(v.get("betrokkenheid", ""))
    except ValueError as exc:
        err(f"betrokkenheid: {exc}.")
        involvement = {}
    if any(len(a) > MAX_AREA_LENGTH for a in involvement):
        err(f"betrokkenheid: een gebiedsnaam is langer dan {MAX_AREA_LENGTH} tekens.")

    loc, loc_msgs = _locate(v, places, fix_swapped, decimals or {})
    for lvl, txt in loc_msgs:
        if lvl == "fout":
            err(txt)
        else:
            msgs.append((lvl, txt))
    if errors or loc is None:
        return None, msgs
    approx_flag = parse_yes_no(v.get("benaderd", "")) if v.get("benaderd") else None
    benaderd = loc["benaderd"] or bool(approx_flag)
    bron_loc = loc["locatiebron"]
    if approx_flag and v.get("locatiebron") in ("postcode", "gemeente"):
        bron_loc = v["locatiebron"]
    return (
        {
            "partner_id": pd.NA,
            "naam": name,
            "type": ptype,
            "gefinancierd": funded,
            "lat": loc["lat"],
            "lon": loc["lon"],
            "x": loc["x"],
            "y": loc["y"],
            "benaderd": benaderd,
            "locatiebron": bron_loc,
            "postcode": loc["postcode"],
            "gemeente": loc["gemeente"],
            "betrokkenheid": format_involvement(involvement),
            "bron": v.get("bron") or source,
        },
        msgs,
    )


def _fmt(value: float) -> str:
    return f"{value:.4f}".replace(".", ",") if abs(value) < 1000 else f"{value:.0f}"


def _locate(
    v: dict[str, str], places: PlaceIndex, fix_swapped: bool, decimals: dict[str, str]
) -> tuple[dict | None, list[tuple[str, str]]]:
    """Where a row's partner is: coordinates first, then Lambert x/y, then postcode/municipality."""
    msgs: list[tuple[str, str]] = []
    postcode = v.get("postcode", "")
    muni_text = v.get("gemeente", "")
    muni = places.municipality(muni_text) if muni_text else None
    if muni_text and muni is None:
        guess = places.suggest(muni_text)
        hint = f" Bedoelt u '{guess}'?" if guess else ""
        msgs.append(
            ("fout", f"onbekende gemeente '{muni_text}' (geef een NIS-code of de gemeentenaam).{hint}")
        )
    if postcode and not re.fullmatch(r"[1-9]\d{3}", postcode):
        msgs.append(("fout", f"postcode '{postcode}' is geen Belgische postcode (vier cijfers, 1000-9999)."))
        postcode_ok = False
    else:
        postcode_ok = bool(postcode)
    base = {"postcode": postcode if postcode_ok else "", "gemeente": muni.code if muni else ""}

    lat_t, lon_t, x_t, y_t = (v.get(k, "") for k in ("lat", "lon", "x", "y"))
    if lat_t or lon_t:
        if not (lat_t and lon_t):
            return None, [*msgs, ("fout", "geef zowel lat als lon (of laat beide leeg).")]
        lat = parse_number(lat_t, decimals.get("lat", "."))
        lon = parse_number(lon_t, decimals.get("lon", "."))
        if lat is None or lon is None:
            bad = lat_t if lat is None else lon_t
            return None, [*msgs, ("fout", f"coördinaat '{bad}' is geen getal.")]
        if not in_belgium(lat, lon):
            if in_belgium(lon, lat):
                text = (
                    f"lat en lon lijken omgewisseld (lat {_fmt(lat)}, lon {_fmt(lon)}; in België is lat "
                    "ongeveer 49,5-51,5 en lon 2,5-6,4)."
                )
                if not fix_swapped:
                    return None, [*msgs, ("fout", text + " Wissel de kolommen om.")]
                msgs.append(("waarschuwing", text + " Automatisch omgewisseld."))
                lat, lon = lon, lat
            elif abs(lat) > 1000 or abs(lon) > 1000:
                return None, [
                    *msgs,
                    ("fout", "lat/lon lijken Lambert 72-meters: zet ze in de kolommen x en y."),
                ]
            else:
                return None, [
                    *msgs,
                    ("fout", f"locatie (lat {_fmt(lat)}, lon {_fmt(lon)}) ligt buiten België."),
                ]
        return {
            **base,
            "lat": lat,
            "lon": lon,
            "x": np.nan,  # Lambert 72 for all such rows at once in `validate_partners`
            "y": np.nan,
            "benaderd": False,
            "locatiebron": "coördinaten",
        }, msgs
    if x_t or y_t:
        if not (x_t and y_t):
            return None, [*msgs, ("fout", "geef zowel x als y (of laat beide leeg).")]
        x = parse_number(x_t, decimals.get("x", "."))
        y = parse_number(y_t, decimals.get("y", "."))
        if x is None or y is None:
            bad = x_t if x is None else y_t
            return None, [*msgs, ("fout", f"coördinaat '{bad}' is geen getal.")]
        if abs(x) <= 180 and abs(y) <= 180:
            return None, [*msgs, ("fout", "x/y lijken graden (lat/lon): zet ze in de kolommen lat en lon.")]
        lat, lon = lambert_to_wgs84(x, y)
        if not in_belgium(lat, lon):
            lat2, lon2 = lambert_to_wgs84(y, x)
            if in_belgium(lat2, lon2):
                text = f"x en y lijken omgewisseld (x {_fmt(x)}, y {_fmt(y)})."
                if not fix_swapped:
                    return None, [*msgs, ("fout", text + " Wissel de kolommen om.")]
                msgs.append(("waarschuwing", text + " Automatisch omgewisseld."))
                x, y, lat, lon = y, x, lat2, lon2
            else:
                return None, [
                    *msgs,
                    ("fout", f"Lambert 72-locatie (x {_fmt(x)}, y {_fmt(y)}) ligt buiten België."),
                ]
        return {
            **base,
            "lat": float(lat),
            "lon": float(lon),
            "x": x,
            "y": y,
            "benaderd": False,
            "locatiebron": "lambert",
        }, msgs
    if any(lvl == "fout" for lvl, _ in msgs):
        return None, msgs
    if postcode_ok and postcode in places.postcodes:
        p = places.postcodes[postcode]
        return _at_centre({**base, "gemeente": base["gemeente"] or p.gemeente}, p, "postcode"), msgs
    if muni is not None:
        if postcode_ok:
            msgs.append(
                (
                    "waarschuwing",
                    f"geplaatst in het centrum van {muni.naam} (postcode {postcode} heeft geen "
                    "grenzen in de data); locatie benaderd.",
                )
            )
        return _at_centre(base, muni, "gemeente"), msgs
    if postcode_ok:
        where = ", ".join(sorted(places.postcodes)) if places.postcodes else "geen"
        return None, [
            *msgs,
            (
                "fout",
                f"postcode {postcode} kan niet geplaatst worden: er bestaan geen postcodegrenzen, enkel de "
                f"Antwerpse postcodes ({where}) zijn gekend. Vul ook de gemeente in (dan komt de partner "
                "benaderd in het gemeentecentrum).",
            ),
        ]
    return None, [*msgs, ("fout", f"locatie ontbreekt ({LOCATION_HINT}).")]


def _at_centre(base: dict, place: Place, how: str) -> dict:
    lat, lon = lambert_to_wgs84(place.x, place.y)
    return {
        **base,
        "lat": float(lat),
        "lon": float(lon),
        "x": place.x,
        "y": place.y,
        "benaderd": True,
        "locatiebron": how,
    }


def _duplicates(
    partners: pd.DataFrame, rows: list[int], existing: pd.DataFrame | None
) -> tuple[np.ndarray, list[Message]]:
    """Rows repeating an earlier row (or a partner in ``existing``): same name and type within 100 m."""
    keep = np.ones(len(partners), dtype=bool)
    msgs: list[Message] = []
    seen: dict[tuple[str, str], list[tuple[float, float, str]]] = {}
    if existing is not None:
        for r in existing.itertuples(index=False):
            seen.setdefault((fold_text(r.naam), r.type), []).append((r.x, r.y, "het register"))
    for i, r in enumerate(partners.itertuples(index=False)):
        key = (fold_text(r.naam), r.type)
        for x, y, where in seen.get(key, []):
            if np.hypot(r.x - x, r.y - y) <= DUPLICATE_DISTANCE_M:
                keep[i] = False
                place = where if where == "het register" else f"rij {where}"
                msgs.append(
                    Message(
                        rows[i],
                        "fout",
                        f"dubbel: '{r.naam}' ({r.type}) staat al in {place} op dezelfde plaats.",
                    )
                )
                break
        if keep[i]:
            seen.setdefault(key, []).append((r.x, r.y, str(rows[i])))
    return keep, msgs


# ---------------------------------------------------------------------------------------------- export
def export_frame(partners: pd.DataFrame) -> pd.DataFrame:
    """The register as a file table (re-importable; written with `EXPORT_COLUMNS`)."""
    p = conform(partners)
    return pd.DataFrame(
        {
            "id": p["partner_id"],
            "naam": p["naam"],
            "type": p["type"],
            "gefinancierd": p["gefinancierd"].astype(bool),
            "lat": p["lat"],
            "lon": p["lon"],
            "x": p["x"],
            "y": p["y"],
            "locatie_benaderd": p["benaderd"].astype(bool),
            "locatiebron": p["locatiebron"],
            "postcode": p["postcode"],
            "gemeente": p["gemeente"],
            "betrokkenheid": p["betrokkenheid"],
            "bron": p["bron"],
        },
        columns=[c.key for c in EXPORT_COLUMNS],
    )


def export_csv(partners: pd.DataFrame) -> bytes:
    """The register as CSV (`;`, decimal comma, UTF-8 with BOM, Dutch headers)."""
    return exports.csv_bytes(export_frame(partners), EXPORT_COLUMNS)


def export_xlsx(partners: pd.DataFrame) -> bytes:
    """The register as XLSX (sheet `partners`, real numbers, codes as text)."""
    return exports.xlsx_bytes([exports.Sheet("partners", export_frame(partners), EXPORT_COLUMNS)])


def template_csv() -> bytes:
    """The example file as CSV."""
    return exports.csv_bytes(template_frame())


def template_frame() -> pd.DataFrame:
    """An example file showing the three ways to give a location."""
    return pd.DataFrame(
        {
            "naam": ["CLB Voorbeeld", "Huis van het Kind Voorbeeld", "CAW Voorbeeld"],
            "type": ["CLB", "Huis van het Kind", "CAW"],
            "gefinancierd": ["nee", "nee", "ja"],
            "lat": ["51,2194", "", ""],
            "lon": ["4,4025", "", ""],
            "x": ["", "104000", ""],
            "y": ["", "194000", ""],
            "postcode": ["", "", "3000"],
            "gemeente": ["", "", "Leuven"],
            "betrokkenheid": ["Gebied A: structureel", "Gebied B: ad hoc", "Gebied A: stuurgroep"],
        }
    )


# ---------------------------------------------------------------------------------------------- OSM example
def load_osm_example(path: str | Path | None = None) -> pd.DataFrame:
    """The OSM 2015 points mapped to partner types (see ``OSM_TYPE_MAP``), as plus-partners.

    Labelled ``OSM_EXAMPLE_LABEL``: an incomplete, dated example, not a register. Without ``path`` the file
    comes from the raw cache via ``geo.data.catalog.raw_path``.
    """
    if path is None:
        from geo.data.catalog import raw_path

        path = raw_path(OSM_FILE)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        features = data["features"]
    except (OSError, ValueError, KeyError) as exc:
        raise UserFacingError(f"Het OSM-voorbeeldbestand kan niet gelezen worden ({exc}).") from exc
    rows = []
    for f in features:
        props = f.get("properties") or {}
        geom = f.get("geometry") or {}
        ptype = OSM_TYPE_MAP.get(str(props.get("osm_type")))
        if ptype is None or geom.get("type") != "Point":
            continue
        lon, lat = (float(c) for c in geom["coordinates"][:2])
        name = (props.get("name") or "").strip() or f"(naamloos, OSM {props.get('osm_id', '?')})"
        rows.append({"naam": name, "type": ptype, "lat": lat, "lon": lon, "osm_type": props.get("osm_type")})
    if not rows:
        return empty_partners()
    frame = pd.DataFrame(rows)
    frame = frame[in_belgium(frame["lat"], frame["lon"])].reset_index(drop=True)
    x, y = wgs84_to_lambert(frame["lat"], frame["lon"])
    return conform(
        frame.assign(
            x=x,
            y=y,
            gefinancierd=False,
            benaderd=False,
            locatiebron="coördinaten",
            bron=OSM_EXAMPLE_LABEL + " (" + frame["osm_type"].astype(str) + ")",
        )
    )


def replacement_check(stored: int, incoming: int) -> str | None:
    """Why replacing a register of ``stored`` partners by ``incoming`` ones needs a confirmation."""
    if incoming < stored:
        return (
            f"het register telt nu {stored} partners; na vervangen zijn dat er {incoming} "
            f"({stored - incoming} minder)."
        )
    return None


def preview(result: PartnerImport, replace: bool, stored: int) -> Preview:
    """What saving ``result`` would do to a register of ``stored`` partners, before anything is saved:
    the columns as read, the first partners as they would be stored, the effect, and a reason to confirm
    when a replacement leaves fewer partners (`replacement_check`)."""
    n = len(result.partners)
    headers = {c.key: c.header for c in EXPORT_COLUMNS}
    out = Preview(
        kind=KIND.key,
        source=result.source,
        columns=result.columns,
        rows=result.n_rows,
        valid=n,
        messages=list(result.messages),
        sample=export_frame(result.partners.head(20)).rename(columns=headers),
    )
    if replace:
        out.effect = f"Vervangt het register van {stored} partner(s) door deze {n}."
        out.confirm = replacement_check(stored, n)
    else:
        out.effect = f"Voegt {n} partner(s) toe aan het register ({stored} nu; {stored + n} daarna)."
    if n == 0:
        out.refused = "Het bestand bevat geen geldige partners: er wordt niets opgeslagen."
    return out
