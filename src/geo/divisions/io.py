"""Import and export of divisions: CSV and XLSX (`unit_code,area` or the product's own Dutch export),
GeoJSON of the dissolved areas.

Files go through `geo.imports` (encoding, separator, header row, sheet, personal-data screen on every
sheet) and are then validated row by row with Dutch messages ("Rij 4: ...", rows numbered as in the
spreadsheet): blank or unknown codes, codes of another unit level, duplicates and units claimed by two
areas, over-long area names, rows that do not fit the columns. Codes that Excel damaged unambiguously
(`11002.0`, lost leading zeros, lower case) and 2019-2024 municipality codes are read as the right code,
with a warning. A file in which most rows have no area (merged cells saved as CSV, a shifted column) is
refused with that reason. An invalid file yields no division at all, so nothing is saved;
`import_and_save` stores a valid one in a single transaction. Codes are read as text throughout.

A `naam` column is taken as the name of the unit; when its values are not the units' names the file is
refused (it might hold names of people).

The GeoJSON export dissolves unit polygons per area and simplifies the result as one coverage (shared
borders stay shared); it is cached per assignment and never used for metrics.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from geo import exports
from geo.divisions.division import Division
from geo.errors import UserFacingError
from geo.fmt import fold_text
from geo.imports import privacy
from geo.imports.codes import CodeIndex, fixes_summary
from geo.imports.messages import ERROR, WARNING, Message, capped, sort_messages
from geo.imports.pipeline import open_table
from geo.imports.preview import Preview, column_list
from geo.imports.table import Field, Kind, Table

MAX_MESSAGES = 200
MAX_AREA_NAME = 200
#: Refuse a file in which more than this share of the rows with a code has no area.
MAX_EMPTY_AREA_SHARE = 0.5

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

KIND = Kind(
    key="indeling",
    label="indelingsbestand",
    fields=(
        Field(
            "code",
            "code eenheid",
            (
                "unit_code",
                "unit code",
                "code",
                "eenheid",
                "eenheidscode",
                "code eenheid",
                "niscode",
                "nis",
                "nis code",
                "postcode",
                "wijkcode",
                "gemeentecode",
                "code gemeente",
                "code wijk",
            ),
            required=True,
        ),
        Field(
            "area",
            "gebied",
            ("area", "gebied", "werkingsgebied", "zone", "wcp", "swv", "gebiedsnaam", "naam gebied"),
            required=True,
        ),
        Field(
            "unit_name",
            "naam eenheid",
            ("naam", "name", "naam eenheid", "eenheidsnaam", "gemeentenaam", "wijknaam"),
        ),
    ),
    personal_ok=frozenset({"unit_name"}),
    hint="Verwacht: een kolom met de code van de eenheid ('unit_code' of 'Code eenheid') en een kolom met "
    "het gebied ('area' of 'Gebied').",
)

EXPORT_COLUMNS = (
    exports.Col("unit_code", "Code eenheid", "code"),
    exports.Col("naam", "Naam eenheid"),
    exports.Col("area", "Gebied"),
)


@dataclass
class ImportResult:
    """Outcome of an import: a division only when there are no errors; ``preview`` says what it holds."""

    division: Division | None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows: int = 0
    preview: Preview | None = None

    @property
    def ok(self) -> bool:
        return self.division is not None and not self.errors


# ---------------------------------------------------------------------------------------------- reading
def read_table(content: bytes, filename: str) -> Table:
    """The division table of a file (personal-data screen included); UserFacingError when unreadable."""
    return open_table(content, filename, KIND)


# ---------------------------------------------------------------------------------------------- validation
def validate(
    table: Table,
    level: str,
    codes: CodeIndex,
    other_levels: Mapping[str, Iterable[str]] | None = None,
    unit_names: Mapping[str, str] | None = None,
) -> tuple[dict[str, str | None], list[Message]]:
    """Check the rows of a division table; returns (assignment, messages)."""
    messages = list(table.messages)
    missing = table.missing_message()
    if missing is not None:
        return {}, [*messages, missing]
    frame = table.frame
    if frame.empty:
        return {}, [*messages, Message(None, ERROR, "Het bestand bevat geen rijen met gegevens.")]
    word = table.row_word
    others = {lvl: CodeIndex(c) for lvl, c in (other_levels or {}).items() if lvl != level}
    level_name = LEVEL_NAMES.get(level, level)
    assignment: dict[str, str | None] = {}
    first_seen: dict[str, tuple[int, str | None, str]] = {}
    other_hits: dict[str, int] = {}
    fixes: dict[str, int] = {}
    with_code = 0
    empty_at: list[int] = []  # positions (rows with a code) of rows without an area
    last_with_area = -1
    names_checked = names_matching = 0

    def err(row: int | None, text: str) -> None:
        messages.append(Message(row, ERROR, text, word))

    areas = frame["area"].tolist()
    names = frame["unit_name"].tolist() if "unit_name" in frame else None
    for i, (row, raw_code) in enumerate(zip(frame.index, frame["code"], strict=True)):
        written = str(raw_code)
        area = str(areas[i])
        if not written:
            if area:
                err(row, f"de code ontbreekt (gebied '{area}').")
            continue
        with_code += 1
        resolved = codes.resolve(written)
        if resolved.code is None:
            other = next((lvl for lvl, idx in others.items() if idx.resolve(written).code is not None), None)
            if other is not None:
                other_hits[other] = other_hits.get(other, 0) + 1
                err(
                    row,
                    f"'{written}' is een code van niveau {LEVEL_NAMES.get(other, other)}, "
                    f"niet van niveau {level_name}.",
                )
            else:
                err(row, f"code '{written}' bestaat niet op niveau {level_name}.")
            continue
        code = resolved.code
        if resolved.fix:
            fixes[resolved.fix] = fixes.get(resolved.fix, 0) + 1
        if len(area) > MAX_AREA_NAME:
            err(
                row,
                f"de gebiedsnaam is {len(area)} tekens lang; het maximum is {MAX_AREA_NAME}. "
                "Kort de naam in (er wordt niets afgekapt).",
            )
            continue
        if names is not None and unit_names is not None and names[i]:
            names_checked += 1
            names_matching += _same_name(names[i], unit_names.get(code, ""))
        if code in first_seen:
            prev_row, prev_area, prev_written = first_seen[code]
            via = "" if prev_written == written else f" (als '{prev_written}' en '{written}')"
            if (prev_area or "") != area:
                err(
                    row,
                    f"code '{code}'{via} is dubbel toegewezen: rij {prev_row} zegt "
                    f"'{prev_area or '(geen)'}', deze rij zegt '{area or '(geen)'}'.",
                )
            elif resolved.fix != "fusie":
                err(row, f"code '{code}' staat er dubbel in (ook in rij {prev_row}).")
            continue
        first_seen[code] = (row, area or None, written)
        if area:
            last_with_area = with_code
        else:
            empty_at.append(with_code)
            messages.append(
                Message(
                    row, WARNING, f"geen gebied voor code '{code}'; de eenheid blijft zonder gebied.", word
                )
            )
        assignment[code] = area or None

    if names_checked and names_matching * 2 < names_checked:
        column = table.columns.get("unit_name", "naam")
        raise privacy.PrivacyError(
            privacy.refusal(
                [
                    privacy.Finding(
                        table.sheet,
                        column,
                        "de waarden zijn geen namen van eenheden (mogelijk namen van personen)",
                    )
                ],
                KIND,
            )
        )
    for line in fixes_summary(fixes):
        messages.append(Message(None, WARNING, line))
    if other_hits:
        best = max(other_hits, key=other_hits.get)
        if other_hits[best] >= max(1, len(frame) // 2):
            messages.insert(
                0,
                Message(
                    None,
                    ERROR,
                    f"Dit bestand bevat vooral codes van niveau "
                    f"{LEVEL_NAMES.get(best, best)}: kies dat niveau in plaats van "
                    f"{level_name}.",
                ),
            )
    gaps = sum(p < last_with_area for p in empty_at)  # blanks between assigned rows, not a tail of them
    if with_code and gaps / with_code > MAX_EMPTY_AREA_SHARE and gaps > 1:
        messages.insert(
            0,
            Message(
                None,
                ERROR,
                f"{gaps} van de {with_code} rijen hebben geen gebied terwijl "
                "rijen eronder er wel een hebben: zo blijven de meeste eenheden zonder "
                "gebied. Waren de gebieden samengevoegde cellen (bewaar dan als XLSX, niet "
                "als CSV) of staat het gebied in een andere kolom? Er is niets ingelezen.",
            ),
        )
    return assignment, sort_messages(messages)


def _same_name(written: str, official: str) -> bool:
    a, b = fold_text(written), fold_text(official)
    return bool(a) and bool(b) and (a == b or a in b or b in a)


def import_division(
    content: bytes,
    filename: str,
    level: str,
    name: str,
    level_codes: Sequence[str] | None = None,
    other_levels: Mapping[str, Iterable[str]] | None = None,
    scope: str = "niveau",
    unit_names: Mapping[str, str] | None = None,
    successors: Mapping[str, str] | None = None,
    **meta,
) -> ImportResult:
    """Read and validate a file; the division covers all units of the level (`scope="niveau"`, units
    not in the file stay unassigned) or only the units in the file (`scope="bestand"`).

    A file that cannot be read or looks like it holds personal data gives a result with that one error
    (nothing of it is kept)."""
    if level_codes is None:
        level_codes = codes_of_level(level)
        if unit_names is None:
            unit_names = names_of_level(level)
        if successors is None:
            successors = successors_of_level(level)
    if other_levels is None:
        other_levels = all_level_codes()
    try:
        table = read_table(content, filename)
        codes = CodeIndex(level_codes, successors)
        assignment, messages = validate(table, level, codes, other_levels, unit_names)
    except UserFacingError as exc:  # unreadable, or personal data (PrivacyError)
        return ImportResult(None, [str(exc)], preview=Preview(KIND.key, filename, refused=str(exc)))
    errors = [str(m) for m in messages if m.level == ERROR]
    warnings = [str(m) for m in messages if m.level == WARNING]
    preview = Preview(
        kind=KIND.key,
        source=table.source_text(),
        columns=column_list(table.columns, {f.key: f.label for f in KIND.fields}, table.ignored),
        rows=table.n_rows,
        valid=len(assignment),
        messages=messages,
    )
    if errors:
        preview.refused = f"{len(errors)} fout(en) in het bestand."
        return ImportResult(None, capped(errors), capped(warnings), table.n_rows, preview)
    if not any(assignment.values()):
        preview.refused = "Geen enkele eenheid heeft een gebied gekregen."
        return ImportResult(None, [preview.refused], capped(warnings), table.n_rows, preview)
    units = list(level_codes) if scope == "niveau" else [c for c in level_codes if c in assignment]
    division = Division.from_mapping(name, level, units, assignment, **meta)
    n_assigned = len(division.units) - len(division.unassigned())
    preview.effect = (
        f"{len(division.areas)} gebieden, {n_assigned} van {len(division.units)} eenheden toegewezen."
    )
    preview.sample = export_frame(division).head(20).rename(columns={c.key: c.header for c in EXPORT_COLUMNS})
    return ImportResult(division, [], capped(warnings), table.n_rows, preview)


def replacement_check(old: Division, new: Division) -> str | None:
    """Why replacing ``old`` by ``new`` needs a confirmation (fewer units assigned), else None."""
    n_old = len(old.units) - len(old.unassigned())
    n_new = len(new.units) - len(new.unassigned())
    if n_new < n_old:
        return (
            f"'{old.name}' heeft nu {n_old} toegewezen eenheden; na vervangen zijn dat er {n_new} "
            f"({n_old - n_new} minder)."
        )
    return None


def import_and_save(
    content: bytes, filename: str, level: str, name: str, engine=None, actor=None, **kwargs
) -> ImportResult:
    """`import_division`, then store the division (one transaction) only when the file is valid; `actor`
    is the caller (see `geo.store.access`; the local user when omitted)."""
    from geo.divisions import store as division_store

    result = import_division(content, filename, level, name, **kwargs)
    if result.ok:
        result.division = division_store.save_new(result.division, engine, actor=actor)
    return result


def codes_of_level(level: str) -> list[str]:
    from geo.data import units

    return units.load_table(level)["code"].astype(str).tolist()


def names_of_level(level: str) -> dict[str, str]:
    from geo.data import units

    table = units.load_table(level)
    if "naam" not in table:
        return {}
    return dict(zip(table["code"].astype(str), table["naam"].astype(str), strict=True))


def successors_of_level(level: str) -> dict[str, str]:
    """Older codes that map to a code of ``level``: the 2019-2024 municipality codes for `gemeente`."""
    if level != "gemeente":
        return {}
    from geo.data import units

    try:
        old = units.load_table("gemeente2024")
    except (KeyError, OSError, UserFacingError):
        return {}
    if "gemeente" not in old:
        return {}
    return dict(zip(old["code"].astype(str), old["gemeente"].astype(str), strict=True))


@lru_cache(maxsize=2)
def _all_level_codes(stamp: str) -> dict[str, tuple[str, ...]]:
    from geo.data import units

    return {lvl: tuple(units.load_table(lvl)["code"].astype(str)) for lvl in units.LEVELS}


def all_level_codes() -> dict[str, tuple[str, ...]]:
    """Codes of every level (to recognise codes of the wrong level)."""
    from geo.data import units

    stamp = units.build_stamp()
    if stamp is None:
        return {}
    return _all_level_codes(str(stamp))


def detect_level(codes: Iterable[str], levels: Mapping[str, Iterable[str]] | None = None) -> str | None:
    """The level whose codes match most of `codes`, repaired codes included (None when none matches half)."""
    written = [str(c).strip() for c in codes if str(c).strip()]
    levels = levels if levels is not None else all_level_codes()
    best, hits = None, 0
    for lvl, known in levels.items():
        index = CodeIndex(known)
        n = sum(index.resolve(c).code is not None for c in written)
        if n > hits:
            best, hits = lvl, n
    return best if written and hits * 2 >= len(written) else None


# ---------------------------------------------------------------------------------------------- export
def export_frame(division: Division, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """`unit_code`, `naam`, `area` for every unit the division covers: assigned units first (in unit
    order), then the unassigned ones with an empty area."""
    frame = division.to_frame()
    assigned = frame["area"].notna()
    frame = pd.concat([frame[assigned], frame[~assigned]], ignore_index=True)
    frame["area"] = frame["area"].astype(object).where(frame["area"].notna(), "")
    frame.insert(1, "naam", frame["unit_code"].map(names or {}).fillna("") if names else "")
    return frame


def _export_columns(names: Mapping[str, str] | None) -> list[exports.Col]:
    return [c for c in EXPORT_COLUMNS if names or c.key != "naam"]


def to_csv_bytes(division: Division, names: Mapping[str, str] | None = None) -> bytes:
    """CSV for Excel in Belgium (`;`, UTF-8 with BOM): `Code eenheid`, (`Naam eenheid`), `Gebied`."""
    frame = export_frame(division, names)
    cols = _export_columns(names)
    return exports.csv_bytes(frame[[c.key for c in cols]], cols)


def info_fields(division: Division) -> dict[str, str]:
    meta = division.meta
    return {
        "Naam": meta.name,
        "Niveau": LEVEL_NAMES.get(meta.level, meta.level),
        "Beschrijving": meta.description,
        "Gegevensjaar": meta.vintage,
        "Auteur": meta.author,
        "Aangemaakt": meta.created.isoformat(sep=" ", timespec="seconds") if meta.created else "",
        "Bijgewerkt": meta.updated.isoformat(sep=" ", timespec="seconds") if meta.updated else "",
        "Versie": str(meta.version),
    }


def to_xlsx_bytes(
    division: Division, names: Mapping[str, str] | None = None, metrics: pd.DataFrame | None = None
) -> bytes:
    """XLSX with sheets `indeling` (codes as text), optionally `gebieden` (metrics) and `info`."""
    frame = export_frame(division, names)
    cols = _export_columns(names)
    sheets = [exports.Sheet("indeling", frame[[c.key for c in cols]], cols)]
    if metrics is not None:
        sheets.append(exports.Sheet("gebieden", metrics))
    sheets.append(exports.Sheet("info", exports.info_frame(info_fields(division)), exports.INFO_COLUMNS))
    return exports.xlsx_bytes(sheets)


def export_name(division: Division, what: str, ext: str) -> str:
    """`indeling_<name>_<date>.<ext>` and the like."""
    return exports.file_name(what, division.name, ext=ext)


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


def _split_unit(header: str) -> tuple[str, str]:
    """`Inwoners (aantal)` -> (`Inwoners`, ` (aantal)`)."""
    head, sep, unit = header.partition(" (")
    return head, (f" ({unit}" if sep else "")


def compare_columns(frame: pd.DataFrame) -> list[exports.Col]:
    """Dutch export columns for the tables of `geo.divisions.compare` (matched areas, moved units)."""
    fixed = {
        "gebied_a": exports.Col("gebied_a", "Gebied in A"),
        "gebied_b": exports.Col("gebied_b", "Gebied in B"),
        "overlap": exports.Col("overlap", "Gedeelde inwoners (aantal)", "int"),
        "overlap_pct": exports.Col("overlap_pct", "Gedeelde inwoners (% van A)", "percent", 1),
        "code": exports.Col("code", "Code eenheid", "code"),
        "naam": exports.Col("naam", "Naam eenheid"),
        "zelfde_gebied": exports.Col("zelfde_gebied", "Zelfde gebied (ja/nee)", "bool"),
        "gewijzigd": exports.Col("gewijzigd", "Verschoven (ja/nee)", "bool"),
        "jaar": exports.Col("jaar", "Bevolkingsjaar (1 januari)", "int"),
        "aantallen_geschat": exports.Col("aantallen_geschat", "Aantallen geschat (ja/nee)", "bool"),
    }
    out = []
    for col in frame.columns:
        key = str(col)
        if key in fixed:
            out.append(fixed[key])
            continue
        base = key[6:] if key.startswith("delta_") else key[:-2] if key.endswith(("_a", "_b")) else None
        known = exports.KNOWN.get(base) if base else None
        if known is None:
            continue
        head, unit = _split_unit(known.header)
        if key.startswith("delta_"):
            out.append(exports.Col(key, f"Verschil {head.lower()} B - A{unit}", known.kind, known.decimals))
        else:
            out.append(exports.Col(key, f"{head} in {key[-1].upper()}{unit}", known.kind, known.decimals))
    return out
