"""Cached loaders shared by several pages (one cache per server, keyed by the data build stamp)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import streamlit as st

from geo.budget.per_unit import unit_budget
from geo.data import catalog, units
from geo.divisions import io as division_io
from geo.divisions.division import Division
from geo.divisions.metrics import UnitData
from geo.divisions.references import reference_division
from geo.partners.coverage import areas_for


@st.cache_resource(show_spinner="Cijfers per eenheid laden…", max_entries=24)
def unit_data(level: str, stamp: str, year: int | None = None, indicator: str | None = None) -> UnitData:
    """Count arrays and adjacency of a level for population ``year`` and deprivation ``indicator``
    (defaults: latest, default; see `geo_app.counts`), with the budget per unit when the formula can run."""
    data = UnitData.load(level, year, indicator)
    budget = unit_budget(level, year=year, indicator=indicator)
    return data.with_counts(budget_eur=budget) if budget is not None else data


@st.cache_data(show_spinner="Eenheden laden…", max_entries=24)
def unit_table(level: str, stamp: str, year: int | None = None, indicator: str | None = None) -> pd.DataFrame:
    """The built table of a level for population ``year`` and deprivation ``indicator`` (a copy per call)."""
    return units.load_table(level, year, indicator)


@st.cache_resource(show_spinner="Kaartlaag laden…")
def display_layer(level: str, stamp: str) -> dict:
    """The display GeoJSON of a level (shared read-only dict)."""
    return units.display_geojson(level)


@st.cache_data(show_spinner=False)
def layer_subset(level: str, codes: tuple[str, ...], stamp: str) -> dict:
    """The display layer limited to `codes`."""
    wanted = set(codes)
    layer = display_layer(level, stamp)
    return {
        "type": "FeatureCollection",
        "features": [f for f in layer["features"] if f["properties"]["code"] in wanted],
    }


@st.cache_data(show_spinner="Gebiedsindeling laden…")
def area_mapping(key: str, level: str, stamp: str, workspace: str) -> dict[str, str]:
    """`unit -> area` for the units of `level` under the division `key` (see `coverage.areas_for`); the
    workspace is part of the cache key (stored divisions belong to a workspace)."""
    from geo_app import auth

    return areas_for(key, level, unit_table(level, stamp), actor=auth.actor())


@st.cache_data(show_spinner="Bestand controleren…", max_entries=8)
def _imported(
    content: bytes, filename: str, level: str, name: str, scope: str, stamp: str | None
) -> division_io.ImportResult:
    return division_io.import_division(content, filename, level, name, scope=scope)


def imported_division(
    content: bytes, filename: str, level: str, name: str, scope: str = "niveau"
) -> division_io.ImportResult:
    """`geo.divisions.io.import_division` of an uploaded file, read and checked once per file and choice
    (not again on every rerun of the page; the data build stamp is part of the key)."""
    return _imported(content, filename, level, name, scope, units.build_stamp())


@st.cache_resource(show_spinner="Ingebouwde indeling opbouwen…")
def reference(key: str, stamp: str) -> Division:
    """A built-in division (immutable, shared)."""
    return reference_division(key)


@st.cache_data
def attribution(sources: tuple[str, ...]) -> str:
    """The attribution line the licences of `sources` ask for."""
    return catalog.attribution_line(sources)


@st.cache_data(show_spinner=False)
def code_to(level: str, column: str, stamp: str) -> dict[str, str]:
    """`unit code -> value of column` for a level (e.g. the zone of each municipality, for map borders)."""
    table = units.load_table(level)
    if column not in table:
        return {}
    return dict(zip(table["code"].astype(str), table[column].astype(str), strict=True))


def extent(level: str, codes: Iterable[str], stamp: str, margin: float = 0.03) -> list[list[float]]:
    """`[[south, west], [north, east]]` around the centres of these units (plus `margin` degrees): to keep
    points near the units a map shows (the map itself fits the unit outlines)."""
    table = unit_table(level, stamp).set_index("code")
    pos = table.loc[table.index.intersection(list(codes)), ["lat", "lon"]].astype(float)
    if pos.empty:
        pos = table[["lat", "lon"]].astype(float)
    return [
        [pos["lat"].min() - margin, pos["lon"].min() - margin],
        [pos["lat"].max() + margin, pos["lon"].max() + margin],
    ]
