"""Import and export of divisions: CSV and XLSX (`unit_code,area`), GeoJSON of the dissolved areas.

Imports are validated row by row with Dutch messages ("Rij 4: ...", rows counted as in a spreadsheet,
header = row 1): blank codes, unknown codes, codes that lost their leading zeros or were turned into
numbers by Excel, codes of another unit level, duplicates (and units claimed by two areas). An invalid
file yields no division at all, so nothing is saved; `import_and_save` stores a valid one in a single
transaction. Codes are read as text throughout.

The GeoJSON export dissolves unit polygons per area and simplifies the result as one coverage (shared
borders stay shared); it is cached per assignment and never used for metrics.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from geo.divisions.division import Division
from geo.errors import UserFacingError

CODE_COLUMNS = ("unit_code", "code", "eenheid", "eenheidscode", "niscode", "nis", "postcode", "wijkcode")
AREA_COLUMNS = ("area", "gebied", "werkingsgebied", "zone", "wcp", "swv")
MAX_MESSAGES = 200
MAX_AREA_NAME = 200

LEVEL_NAMES = {
    "gemeente": "gemeente",
    "gemeente2024": "gemeente (2019-2024)",
    "elz": "eerstelijnszone (60)",
    "elz57": "eerstelijnszone (57)",
    "wijk": "wijk",
    "district": "district",
    "provincie": "provincie",
    "postcode_antwerpen": "postcode (Groot Antwerpen)",
}


@dataclass
class ImportResult:
    """Outcome of an import: a division only when there are no errors."""

    division: Division | None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return self.division is not None and not self.errors


# ---------------------------------------------------------------------- reading


def read_table(content: bytes, filename: str) -> tuple[pd.DataFrame, str]:
    """Raw rows of a CSV, XLSX or GeoJSON file as text, plus how rows are called in messages.

    Raises `UserFacingError` when the file cannot be read at all."""
    suffix = Path(filename).suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            frame = pd.read_excel(io.BytesIO(content), sheet_name=0, dtype=str, keep_default_na=False)
            return frame, "Rij"
        if suffix in (".geojson", ".json"):
            data = json.loads(content.decode("utf-8-sig"))
            features = data.get("features") if isinstance(data, dict) else None
            if not isinstance(features, list):
                raise UserFacingError("Dit GeoJSON-bestand heeft geen 'features'.")
            rows = [
                {k: ("" if v is None else str(v)) for k, v in (f.get("properties") or {}).items()}
                for f in features
            ]
            return pd.DataFrame(rows, dtype=str), "Object"
        if suffix in (".csv", ".txt", ""):
            text = _decode(content)
            sep = _sniff_separator(text)
            frame = pd.read_csv(
                io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skipinitialspace=True
            )
            return frame, "Rij"
    except UserFacingError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure becomes one clear message
        raise UserFacingError(f"Het bestand '{filename}' kon niet gelezen worden: {exc}") from exc
    raise UserFacingError(f"Bestandstype '{suffix}' wordt niet ondersteund: gebruik CSV, XLSX of GeoJSON.")


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UserFacingError("De tekencodering van het bestand is onbekend: bewaar het als CSV UTF-8.")


def _sniff_separator(text: str) -> str:
    header = text.splitlines()[0] if text else ""
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _pick_column(columns: Iterable[str], options: Sequence[str]) -> str | None:
    normalised = {str(c).strip().lower(): c for c in columns}
    for option in options:
        if option in normalised:
            return normalised[option]
    return None


# ---------------------------------------------------------------------- validation


def validate(
    frame: pd.DataFrame,
    level: str,
    level_codes: Sequence[str],
    other_levels: Mapping[str, Iterable[str]] | None = None,
    row_word: str = "Rij",
    first_row: int = 2,
) -> tuple[dict[str, str | None], list[str], list[str]]:
    """Check rows of `unit_code` / `area`; returns (assignment, errors, warnings)."""
    errors: list[str] = []
    warnings: list[str] = []
    code_col = _pick_column(frame.columns, CODE_COLUMNS)
    area_col = _pick_column(frame.columns, AREA_COLUMNS)
    if code_col is None or area_col is None:
        missing = [name for name, col in (("unit_code", code_col), ("area", area_col)) if col is None]
        found = ", ".join(str(c) for c in frame.columns) or "geen"
        errors.append(
            f"Kolom(men) {', '.join(missing)} ontbreken. Verwacht: een kolom 'unit_code' "
            f"(de code van de eenheid) en een kolom 'area' (de naam van het gebied). "
            f"Gevonden kolommen: {found}."
        )
        return {}, errors, warnings
    if frame.empty:
        errors.append("Het bestand bevat geen rijen.")
        return {}, errors, warnings

    known = set(level_codes)
    upper = {c.upper(): c for c in level_codes}
    unpadded = {c.lstrip("0"): c for c in level_codes if c.startswith("0")}
    others = {lvl: set(codes) for lvl, codes in (other_levels or {}).items() if lvl != level}
    level_name = LEVEL_NAMES.get(level, level)
    assignment: dict[str, str | None] = {}
    first_seen: dict[str, tuple[int, str | None]] = {}
    other_hits: dict[str, int] = {}

    for i, (raw_code, raw_area) in enumerate(zip(frame[code_col], frame[area_col], strict=True)):
        row = f"{row_word} {i + first_row}"
        code = "" if raw_code is None else str(raw_code).strip()
        area = "" if raw_area is None else str(raw_area).strip()
        if not code:
            if area:
                errors.append(f"{row}: de code ontbreekt (gebied '{area}').")
            continue  # fully blank rows are skipped silently
        if code not in known:
            fixed = _repair(code, known, upper, unpadded)
            if fixed is not None and fixed.kind == "case":
                warnings.append(f"{row}: code '{code}' gelezen als '{fixed.code}'.")
                code = fixed.code
            elif fixed is not None and fixed.kind == "zeros":
                errors.append(
                    f"{row}: code '{code}' bestaat niet; de voorloopnul is waarschijnlijk weggevallen "
                    f"(bedoeld: '{fixed.code}'). Lees de codes als tekst (in Excel: kolom als 'Tekst')."
                )
                continue
            elif fixed is not None and fixed.kind == "number":
                errors.append(
                    f"{row}: code '{code}' is als getal opgeslagen (bedoeld: '{fixed.code}'). "
                    "Zet de kolom met codes in Excel op 'Tekst'."
                )
                continue
            else:
                other = next((lvl for lvl, codes in others.items() if code in codes), None)
                if other is not None:
                    other_hits[other] = other_hits.get(other, 0) + 1
                    errors.append(
                        f"{row}: '{code}' is een code van niveau {LEVEL_NAMES.get(other, other)}, "
                        f"niet van niveau {level_name}."
                    )
                else:
                    errors.append(f"{row}: code '{code}' bestaat niet op niveau {level_name}.")
                continue
        if len(area) > MAX_AREA_NAME:
            errors.append(f"{row}: de gebiedsnaam is langer dan {MAX_AREA_NAME} tekens.")
            continue
        if code in first_seen:
            prev_row, prev_area = first_seen[code]
            if (prev_area or "") != area:
                errors.append(
                    f"{row}: code '{code}' is dubbel toegewezen: rij {prev_row} zegt "
                    f"'{prev_area or '(geen)'}', deze rij zegt '{area or '(geen)'}'."
                )
            else:
                errors.append(f"{row}: code '{code}' staat er dubbel in (ook in rij {prev_row}).")
            continue
        first_seen[code] = (i + first_row, area or None)
        if not area:
            warnings.append(f"{row}: geen gebied voor code '{code}'; de eenheid blijft zonder gebied.")
        assignment[code] = area or None

    if other_hits:
        best = max(other_hits, key=other_hits.get)
        if other_hits[best] >= max(1, len(frame) // 2):
            errors.insert(
                0,
                f"Dit bestand bevat vooral codes van niveau {LEVEL_NAMES.get(best, best)}: kies dat niveau "
                f"in plaats van {level_name}.",
            )
    return assignment, errors, warnings


@dataclass(frozen=True)
class _Fix:
    kind: str
    code: str


def _repair(code: str, known: set[str], upper: Mapping[str, str], unpadded: Mapping[str, str]) -> _Fix | None:
    if code.upper() in upper:
        return _Fix("case", upper[code.upper()])
    as_number = re.fullmatch(r"(\d+)[.,]0+", code) or re.fullmatch(r"(\d+(?:[.,]\d+)?)[eE]\+?(\d+)", code)
    if as_number:
        try:
            value = str(int(float(code.replace(",", "."))))
        except ValueError:
            value = ""
        for candidate in (value, value.zfill(len(code))):
            if candidate in known:
                return _Fix("number", candidate)
            if candidate in unpadded:
                return _Fix("zeros", unpadded[candidate])
    if code.isdigit() and code in unpadded:
        return _Fix("zeros", unpadded[code])
    return None


def import_division(
    content: bytes,
    filename: str,
    level: str,
    name: str,
    level_codes: Sequence[str] | None = None,
    other_levels: Mapping[str, Iterable[str]] | None = None,
    scope: str = "niveau",
    **meta,
) -> ImportResult:
    """Read and validate a file; the division covers all units of the level (`scope="niveau"`, units
    not in the file stay unassigned) or only the units in the file (`scope="bestand"`)."""
    if level_codes is None:
        level_codes = codes_of_level(level)
    if other_levels is None:
        other_levels = all_level_codes()
    try:
        frame, row_word = read_table(content, filename)
    except UserFacingError as exc:
        return ImportResult(None, [str(exc)])
    first_row = 1 if row_word == "Object" else 2
    assignment, errors, warnings = validate(frame, level, level_codes, other_levels, row_word, first_row)
    if errors:
        return ImportResult(None, _cap(errors), _cap(warnings), len(frame))
    if not any(assignment.values()):
        return ImportResult(
            None, ["Geen enkele eenheid heeft een gebied gekregen."], _cap(warnings), len(frame)
        )
    units = list(level_codes) if scope == "niveau" else [c for c in level_codes if c in assignment]
    division = Division.from_mapping(name, level, units, assignment, **meta)
    return ImportResult(division, [], _cap(warnings), len(frame))


def import_and_save(
    content: bytes, filename: str, level: str, name: str, engine=None, **kwargs
) -> ImportResult:
    """`import_division`, then store the division (one transaction) only when the file is valid."""
    from geo.divisions import store as division_store

    result = import_division(content, filename, level, name, **kwargs)
    if result.ok:
        result.division = division_store.save_new(result.division, engine)
    return result


def _cap(messages: list[str]) -> list[str]:
    if len(messages) <= MAX_MESSAGES:
        return messages
    return messages[:MAX_MESSAGES] + [f"... en nog {len(messages) - MAX_MESSAGES} meldingen."]


def codes_of_level(level: str) -> list[str]:
    from geo.data import units

    return units.load_table(level)["code"].astype(str).tolist()


@lru_cache(maxsize=2)
def _all_level_codes(stamp: str) -> dict[str, tuple[str, ...]]:
    from geo.data import units

    return {lvl: tuple(units.load_table(lvl)["code"].astype(str)) for lvl in units.LEVELS}


def all_level_codes() -> dict[str, tuple[str, ...]]:
    """Codes of every level (to recognise codes of the wrong level)."""
    from geo.data import units

    try:
        stamp = units.build_report().get("gebouwd", "")
    except Exception:  # noqa: BLE001 - without built data there is nothing to compare with
        return {}
    return _all_level_codes(str(stamp))


def detect_level(codes: Iterable[str], levels: Mapping[str, Iterable[str]] | None = None) -> str | None:
    """The level whose codes match most of `codes` (None when none matches half of them)."""
    codes = [str(c).strip() for c in codes if str(c).strip()]
    levels = levels if levels is not None else all_level_codes()
    best, hits = None, 0
    for lvl, known in levels.items():
        known = set(known)
        n = sum(c in known for c in codes)
        if n > hits:
            best, hits = lvl, n
    return best if codes and hits * 2 >= len(codes) else None


# ---------------------------------------------------------------------- export


def export_frame(division: Division, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """`unit_code`, (`naam`), `area` for every unit the division covers (area empty = unassigned)."""
    frame = division.to_frame()
    frame["area"] = frame["area"].astype(object).where(frame["area"].notna(), "")
    if names:
        frame.insert(1, "naam", frame["unit_code"].map(names).fillna(""))
    return frame


def to_csv_bytes(division: Division, names: Mapping[str, str] | None = None) -> bytes:
    """CSV (UTF-8 with BOM so Excel shows accents) with `unit_code,area` (+ `naam`)."""
    return export_frame(division, names).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(
    division: Division, names: Mapping[str, str] | None = None, metrics: pd.DataFrame | None = None
) -> bytes:
    """XLSX with sheets `indeling` (codes as text), optionally `gebieden` (metrics) and `info`."""
    buffer = io.BytesIO()
    meta = division.meta
    fields = {
        "naam": meta.name,
        "niveau": meta.level,
        "beschrijving": meta.description,
        "gegevensjaar": meta.vintage,
        "auteur": meta.author,
        "aangemaakt": meta.created.isoformat() if meta.created else "",
        "bijgewerkt": meta.updated.isoformat() if meta.updated else "",
        "versie": str(meta.version),
    }
    info = pd.DataFrame({"veld": list(fields), "waarde": list(fields.values())})
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        export_frame(division, names).to_excel(writer, sheet_name="indeling", index=False)
        sheet = writer.sheets["indeling"]
        for row in sheet.iter_rows(min_row=2, max_col=1):
            for cell in row:
                cell.number_format = "@"  # keep codes as text when edited in Excel
        if metrics is not None:
            metrics.to_excel(writer, sheet_name="gebieden", index=False)
        info.to_excel(writer, sheet_name="info", index=False)
    return buffer.getvalue()


@lru_cache(maxsize=16)
def _dissolved(level: str, units: tuple[str, ...], labels: bytes, areas: tuple[str, ...], tolerance: float):
    import geopandas as gpd
    import shapely

    from geo.data import units as unit_data

    layer = unit_data.load_layer(level)[["code", "geometry"]]
    lab = np.frombuffer(labels, dtype=np.int32)
    area_of = {u: areas[i] for u, i in zip(units, lab.tolist(), strict=True) if i >= 0}
    layer = layer[layer["code"].astype(str).isin(area_of)].copy()
    layer["gebied"] = layer["code"].astype(str).map(area_of)
    dissolved = layer.dissolve(by="gebied", as_index=False)[["gebied", "geometry"]]
    if tolerance > 0 and len(dissolved):
        simplified = shapely.coverage_simplify(shapely.make_valid(dissolved.geometry.to_numpy()), tolerance)
        dissolved = gpd.GeoDataFrame(dissolved[["gebied"]], geometry=list(simplified), crs=layer.crs)
    return dissolved.to_crs(4326)


def dissolve(division: Division, tolerance: float = 50.0):
    """GeoDataFrame (EPSG:4326) with one (multi)polygon per non-empty area, simplified as a coverage with
    `tolerance` metres (0 = exact). Cached per assignment."""
    from geo.data import units as unit_data

    if not unit_data.LEVELS[division.level].has_geometry:
        raise UserFacingError(
            f"Voor niveau {LEVEL_NAMES.get(division.level, division.level)} zijn geen kaartvlakken."
        )
    labels = np.ascontiguousarray(division.labels, dtype=np.int32).tobytes()
    return _dissolved(division.level, division.units, labels, division.areas, float(tolerance)).copy()


def to_geojson_bytes(
    division: Division, metrics: pd.DataFrame | None = None, tolerance: float = 50.0
) -> bytes:
    """GeoJSON of the dissolved areas, with the metric columns as properties when given."""
    gdf = dissolve(division, tolerance)
    if metrics is not None:
        props = metrics.rename(columns={"gebied": "gebied"}).copy()
        for col in props.columns:
            if props[col].dtype == bool or str(props[col].dtype) == "boolean":
                props[col] = props[col].astype(object)
        gdf = gdf.merge(props, on="gebied", how="left")
    gdf["geometry"] = gdf.geometry.set_precision(1e-6)
    text = gdf.to_json(drop_id=True, na="null")
    return text.encode("utf-8")
