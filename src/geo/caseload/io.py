"""Caseload and capacity files: the fields each accepts, reading through `geo.imports`, export columns.

A caseload file holds aggregated counts only: one row per unit (`postcode`, `wijk` or `gemeente`, or
`eenheid` with a chosen level), month and optionally referrer type and handling area, with the number of
registrations. A capacity file holds `gebied` and `vte`. Both go through the personal-data screen of
`geo.imports.privacy` (every sheet, column names and values; the month column may hold the first of a
month); the product's own exports (`Aanmeldingen (aantal)`, `Capaciteit (VTE)`) read back in.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo import exports
from geo.imports.pipeline import open_table, table_from_frame
from geo.imports.table import Field, Kind, Table

#: Unit column in a caseload file -> unit level (``geo.data.units.LEVELS``).
UNIT_COLUMNS: dict[str, str] = {"postcode": "postcode_antwerpen", "wijk": "wijk", "gemeente": "gemeente"}

KIND = Kind(
    key="caseload",
    label="caseloadbestand",
    fields=(
        Field("postcode", "postcode", ("post code",)),
        Field("wijk", "wijk", ("wijkcode", "code wijk")),
        Field("gemeente", "gemeente", ("nis", "niscode", "nis code", "gemeentecode", "code gemeente")),
        Field("eenheid", "eenheid", ("code", "code eenheid", "unit_code", "eenheidscode")),
        Field("maand", "maand", ("periode", "month", "jaar maand", "maand jaar"), required=True),
        Field(
            "aanmeldingen",
            "aanmeldingen",
            ("aantal", "aantal aanmeldingen", "registraties", "aanmeldingen aantal"),
            required=True,
        ),
        Field("verwijzer", "verwijzer", ("verwijzer type", "aanmelder", "type verwijzer", "verwijzend")),
        Field("behandelend_gebied", "behandelend gebied", ("behandeld in", "behandelend wcp")),
    ),
    month_field="maand",
    name_screened=frozenset({"verwijzer"}),
    any_of=(("postcode", "wijk", "gemeente", "eenheid"),),
    hint="Verwacht: een eenheid (postcode, wijk of gemeente), maand en aanmeldingen; optioneel verwijzer en "
    "behandelend gebied.",
)

CAPACITY_KIND = Kind(
    key="capaciteit",
    label="capaciteitsbestand",
    fields=(
        Field("gebied", "gebied", ("wcp", "werkingsgebied", "area"), required=True),
        Field("vte", "vte", ("fte", "capaciteit", "capaciteit vte"), required=True),
    ),
    hint="Verwacht: de kolommen 'gebied' en 'vte'.",
)


def read_caseload(source: bytes | str | Path, filename: str | None = None) -> Table:
    """A caseload file as a `Table`; every sheet screened first (PrivacyError), UserFacingError when
    unreadable."""
    if isinstance(source, str | Path):
        filename = filename or Path(source).name
        source = Path(source).read_bytes()
    return open_table(source, filename or "aanmeldingen.csv", KIND)


def read_capacity_file(source: bytes | str | Path, filename: str | None = None) -> Table:
    """A capacity file (`gebied`, `vte`) as a `Table`."""
    if isinstance(source, str | Path):
        filename = filename or Path(source).name
        source = Path(source).read_bytes()
    return open_table(source, filename or "capaciteit.csv", CAPACITY_KIND)


def as_table(raw: Table | pd.DataFrame, kind: Kind = KIND) -> Table:
    """A `Table` as is, or a frame of strings put through the same screen and column matching."""
    return raw if isinstance(raw, Table) else table_from_frame(raw, kind)


#: Columns of a caseload file as written by the product (the example data, `caseload example`).
CASE_EXPORT_COLUMNS = {
    "postcode": exports.Col("postcode", "Postcode", "code"),
    "wijk": exports.Col("wijk", "Wijk (code)", "code"),
    "gemeente": exports.Col("gemeente", "Gemeente (NIS-code)", "code"),
    "eenheid": exports.Col("eenheid", "Eenheid (code)", "code"),
    "maand": exports.Col("maand", "Maand"),
    "verwijzer": exports.Col("verwijzer", "Verwijzer"),
    "behandelend_gebied": exports.Col("behandelend_gebied", "Behandelend gebied"),
    "aanmeldingen": exports.Col("aanmeldingen", "Aanmeldingen (aantal)", "int"),
    "bron": exports.Col("bron", "Bron"),
}
