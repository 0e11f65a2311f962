"""Cached loaders shared by several pages (one cache per server, keyed by the data build stamp)."""

from __future__ import annotations

import streamlit as st

from geo.budget.per_unit import unit_budget
from geo.data import units
from geo.divisions.metrics import UnitData


@st.cache_resource(show_spinner="Cijfers per eenheid laden…")
def unit_data(level: str, stamp: str) -> UnitData:
    """Count arrays and adjacency of a level, with the budget per unit when the formula can run."""
    data = UnitData.load(level)
    budget = unit_budget(level)
    return data.with_counts(budget_eur=budget) if budget is not None else data


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
