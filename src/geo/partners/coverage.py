"""Partner coverage: which (weighted) under-25s live within a distance of a partner of each type.

Demand points are unit centroids (municipality or wijk) with their counts; distances are straight lines
in Lambert 72 metres (EPSG:31370), or along a road network when one is given (``geo.partners.network``).
A demand point is covered by a type when at least one partner of that type lies within ``distance_m``
(inclusive). Shares are aggregated from counts, never averaged.
Areas come from a plain mapping ``unit code -> area label`` (e.g. ``Division.assignment``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from geo.errors import UserFacingError
from geo.partners.network import Distances, StraightLine

#: Unit levels that can serve as demand points, with the parent columns they carry.
DEMAND_LEVELS = ("wijk", "gemeente")


@dataclass(frozen=True)
class Demand:
    """Demand points: unit ``codes``, centroids ``xy`` (n x 2, metres), ``weight`` and ``area`` labels.

    ``area`` is "" for units outside every area; they count in no area row but still exist as points.
    """

    codes: np.ndarray
    xy: np.ndarray
    weight: np.ndarray
    area: np.ndarray

    @classmethod
    def from_table(
        cls,
        table: pd.DataFrame,
        unit_to_area: Mapping[str, str] | None = None,
        deprivation_weight: float = 0.0,
        only_deprived: bool = False,
    ) -> Demand:
        """From a unit table (``code``, ``x``, ``y``, ``pop_0_24``, ``kansarmoede_n``); see demand_weights."""
        codes = table["code"].astype(str).to_numpy()
        mapping = unit_to_area or {}
        area = np.array([mapping.get(c) or "" for c in codes], dtype=object)
        return cls(
            codes=codes,
            xy=table[["x", "y"]].to_numpy(dtype=float),
            weight=demand_weights(table, deprivation_weight, only_deprived),
            area=area,
        )

    def __len__(self) -> int:
        return len(self.codes)


def demand_weights(
    table: pd.DataFrame, deprivation_weight: float = 0.0, only_deprived: bool = False
) -> np.ndarray:
    """Weight per unit: ``pop_0_24 + deprivation_weight * kansarmoede_n`` or, with ``only_deprived``,
    ``kansarmoede_n`` alone (the deprived under-25s proxy; 0 where the index is missing, e.g. Brussels).
    """
    pop = np.nan_to_num(table["pop_0_24"].to_numpy(dtype=float))
    deprived = (
        np.nan_to_num(table["kansarmoede_n"].to_numpy(dtype=float)) if "kansarmoede_n" in table else 0.0
    )
    if only_deprived:
        return np.asarray(deprived, dtype=float) * np.ones_like(pop)
    if deprivation_weight < 0:
        raise ValueError("deprivation_weight must be >= 0")
    return pop + deprivation_weight * deprived


def unit_areas(
    table: pd.DataFrame, level: str, division_level: str, assignment: Mapping[str, str]
) -> dict[str, str]:
    """``unit -> area`` for the units of ``table`` (at ``level``) from a division at ``division_level``.

    Works when both levels are equal or when ``table`` has a parent column named ``division_level``
    (e.g. wijken -> gemeente, gemeenten -> elz57). Raises UserFacingError otherwise.
    """
    codes = table["code"].astype(str)
    if division_level == level:
        keys = codes
    elif division_level in table.columns:
        keys = table[division_level].astype(str)
    else:
        raise UserFacingError(
            f"Een indeling op niveau '{division_level}' kan niet gebruikt worden met eenheden op niveau "
            f"'{level}': die eenheden liggen niet binnen één {division_level}. Kies een indeling op niveau "
            f"'{level}' of grover."
        )
    return {c: assignment[k] for c, k in zip(codes, keys, strict=True) if assignment.get(k)}


def nearest_distance(points_xy: np.ndarray, facilities_xy: np.ndarray) -> np.ndarray:
    """Straight-line distance (m) from each point to its nearest facility; inf when there are none."""
    points_xy = np.asarray(points_xy, dtype=float).reshape(-1, 2)
    facilities_xy = np.asarray(facilities_xy, dtype=float).reshape(-1, 2)
    facilities_xy = facilities_xy[np.isfinite(facilities_xy).all(axis=1)]
    if len(facilities_xy) == 0 or len(points_xy) == 0:
        return np.full(len(points_xy), np.inf)
    dist, _ = cKDTree(facilities_xy).query(points_xy, k=1)
    return np.asarray(dist, dtype=float)


def nearest_within(
    points_xy: np.ndarray, facilities_xy: np.ndarray, distance_m: float, distances: Distances | None = None
) -> np.ndarray:
    """Distance (m) to the nearest facility, measured by ``distances`` (default straight line); inf when
    none lies within ``distance_m`` along a road network (straight lines: the true nearest distance)."""
    if distances is None or isinstance(distances, StraightLine):
        return nearest_distance(points_xy, facilities_xy)
    points_xy = np.asarray(points_xy, dtype=float).reshape(-1, 2)
    facilities_xy = np.asarray(facilities_xy, dtype=float).reshape(-1, 2)
    facilities_xy = facilities_xy[np.isfinite(facilities_xy).all(axis=1)]
    out = np.full(len(points_xy), np.inf)
    if len(points_xy) == 0 or len(facilities_xy) == 0:
        return out
    within = distances.within(facilities_xy, points_xy, distance_m).tocsc()
    for j in np.flatnonzero(np.diff(within.indptr)):
        out[j] = within.data[within.indptr[j] : within.indptr[j + 1]].min()
    return out


def covered(
    points_xy: np.ndarray, facilities_xy: np.ndarray, distance_m: float, distances: Distances | None = None
) -> np.ndarray:
    """True where a facility lies within ``distance_m`` (inclusive) of the point."""
    if distance_m < 0:
        raise ValueError("distance_m must be >= 0")
    return nearest_within(points_xy, facilities_xy, distance_m, distances) <= distance_m


def covered_by_type(
    demand: Demand,
    partner_xy: np.ndarray,
    partner_type: Sequence[str],
    distance_m: float,
    types: Sequence[str],
    distances: Distances | None = None,
) -> dict[str, np.ndarray]:
    """Per partner type, the boolean coverage of every demand point."""
    partner_xy = np.asarray(partner_xy, dtype=float).reshape(-1, 2)
    partner_type = np.asarray(partner_type, dtype=object)
    return {t: covered(demand.xy, partner_xy[partner_type == t], distance_m, distances) for t in types}


def coverage_by_area(
    demand: Demand,
    partner_xy: np.ndarray,
    partner_type: Sequence[str],
    distance_m: float,
    types: Sequence[str],
    partner_area: Sequence[str] | None = None,
    distances: Distances | None = None,
) -> pd.DataFrame:
    """One row per area and type: ``gebied``, ``type``, ``partners`` (located in the area), ``doelgroep``,
    ``gedekt``, ``niet_gedekt`` (weights) and ``aandeel_gedekt`` (0..1, NaN when the area has no weight).

    ``partner_area`` gives the area of each partner (from ``partner_units`` + the division); without it
    the partner counts are 0. Coverage crosses area borders: a partner just outside still covers.
    """
    partner_type = np.asarray(partner_type, dtype=object)
    masks = covered_by_type(demand, partner_xy, partner_type, distance_m, types, distances)
    areas = sorted({a for a in demand.area if a})
    area_index = {a: i for i, a in enumerate(areas)}
    labels = np.array([area_index.get(a, -1) for a in demand.area], dtype=int)
    inside = labels >= 0
    total = np.bincount(labels[inside], weights=demand.weight[inside], minlength=len(areas))
    p_area = np.asarray(partner_area if partner_area is not None else [""] * len(partner_type), dtype=object)
    frames = []
    for t in types:
        cov = np.bincount(labels[inside], weights=(demand.weight * masks[t])[inside], minlength=len(areas))
        in_type = p_area[partner_type == t]
        counts = np.array([np.count_nonzero(in_type == a) for a in areas], dtype=int)
        frames.append(
            pd.DataFrame({"gebied": areas, "type": t, "partners": counts, "doelgroep": total, "gedekt": cov})
        )
    out = pd.concat(frames, ignore_index=True) if frames else _empty_coverage()
    out["niet_gedekt"] = out["doelgroep"] - out["gedekt"]
    with np.errstate(invalid="ignore", divide="ignore"):
        out["aandeel_gedekt"] = np.where(out["doelgroep"] > 0, out["gedekt"] / out["doelgroep"], np.nan)
    return out


def _empty_coverage() -> pd.DataFrame:
    return pd.DataFrame({"gebied": [], "type": [], "partners": [], "doelgroep": [], "gedekt": []})


def coverage_totals(table: pd.DataFrame) -> pd.DataFrame:
    """Per type over all areas: summed counts and the share recomputed from the sums."""
    if table.empty:
        return table.copy()
    tot = (
        table.groupby("type", sort=False)[["partners", "doelgroep", "gedekt", "niet_gedekt"]]
        .sum()
        .reset_index()
    )
    tot.insert(0, "gebied", "Totaal")
    tot["aandeel_gedekt"] = np.where(tot["doelgroep"] > 0, tot["gedekt"] / tot["doelgroep"], np.nan)
    return tot


def coverage_wide(table: pd.DataFrame) -> pd.DataFrame:
    """Areas as rows, one ``aandeel_gedekt`` column per type (for a compact overview)."""
    return table.pivot(index="gebied", columns="type", values="aandeel_gedekt")


def gaps(table: pd.DataFrame, min_share: float = 0.8) -> pd.DataFrame:
    """Area/type rows where coverage is below ``min_share`` or no partner of the type is in the area.

    Adds ``reden`` (Dutch) and sorts by uncovered weight, largest first.
    """
    low = table["aandeel_gedekt"].fillna(1.0) < min_share
    none = table["partners"] == 0
    out = table[(low | none) & (table["doelgroep"] > 0)].copy()
    reasons = []
    for is_low, is_none in zip(low[out.index], none[out.index], strict=True):
        parts = []
        if is_none:
            parts.append("geen partner van dit type in het gebied")
        if is_low:
            parts.append(f"dekking onder {min_share * 100:.0f} %".replace(".", ","))
        reasons.append("; ".join(parts))
    out["reden"] = reasons
    return out.sort_values(["niet_gedekt", "gebied"], ascending=[False, True]).reset_index(drop=True)


def unit_coverage(
    demand: Demand, partner_xy: np.ndarray, distance_m: float, distances: Distances | None = None
) -> pd.DataFrame:
    """Per demand point: ``code``, ``gebied``, ``gewicht``, ``afstand_m`` (nearest partner; inf beyond
    ``distance_m`` along a road network), ``gedekt``."""
    dist = nearest_within(demand.xy, partner_xy, distance_m, distances)
    return pd.DataFrame(
        {
            "code": demand.codes,
            "gebied": demand.area,
            "gewicht": demand.weight,
            "afstand_m": dist,
            "gedekt": dist <= distance_m,
        }
    )


def partner_units(partner_xy: np.ndarray, layer) -> np.ndarray:
    """Code of the unit polygon (``layer``, EPSG:31370) holding each partner; "" when outside all."""
    import geopandas as gpd

    partner_xy = np.asarray(partner_xy, dtype=float).reshape(-1, 2)
    out = np.full(len(partner_xy), "", dtype=object)
    if len(partner_xy) == 0:
        return out
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(partner_xy[:, 0], partner_xy[:, 1]), crs=layer.crs)
    joined = gpd.sjoin(pts, layer[["code", "geometry"]], how="left", predicate="within")
    joined = joined[~joined.index.duplicated(keep="first")]
    codes = joined["code"].reindex(range(len(partner_xy)))
    found = codes.notna().to_numpy()
    out[found] = codes[found].astype(str).to_numpy()
    return out


# ---------------------------------------------------------------------------------------------- area sources
#: Parent columns of unit tables that can serve as areas, with their Dutch names.
PARENT_AREAS: dict[str, str] = {
    "elz": "Eerstelijnszones (60, Antwerpen gesplitst)",
    "elz57": "Eerstelijnszones (57)",
    "wcp": "Wijkcontactpunten Groot Antwerpen",
    "district": "Districten van Antwerpen",
    "gemeente": "Gemeenten",
    "provincie": "Provincies",
}


def area_choices(level: str, table: pd.DataFrame | None = None, actor=None) -> dict[str, str]:
    """Area sources usable with units of ``level``: key -> Dutch label.

    Keys: ``kolom:<parent>`` (a parent column), ``ref:<key>`` (built-in division)
    and ``db:<id>`` (stored division). Only divisions at ``level`` or at a parent level are offered.
    """
    from geo.data import units
    from geo.divisions.references import REFERENCES

    table = units.load_table(level) if table is None else table
    usable = {level} | set(table.columns)
    # At municipality level the 60-zone column would put all of Antwerp in one sub-zone: leave it out.
    skip = {level} | ({"elz"} if level == "gemeente" else set())
    out = {f"kolom:{c}": label for c, label in PARENT_AREAS.items() if c in table.columns and c not in skip}
    for key, ref in REFERENCES.items():
        if ref.level in usable:
            out[f"ref:{key}"] = ref.title
    try:
        from geo.divisions import store as division_store

        stored = division_store.list_divisions(actor=actor)  # the caller's workspace (local: `lokaal`)
        for row in stored.itertuples(index=False):
            if row.level in usable:
                out[f"db:{row.id}"] = f"{row.name} (opgeslagen, {row.n_areas} gebieden)"
    except Exception:  # noqa: BLE001 - no database: built-in choices only
        pass
    return out


def areas_for(key: str, level: str, table: pd.DataFrame | None = None, actor=None) -> dict[str, str]:
    """``unit -> area`` for the units of ``level`` from an ``area_choices`` key. Raises UserFacingError."""
    from geo.data import units

    table = units.load_table(level) if table is None else table
    kind, _, name = key.partition(":")
    if kind == "kolom":
        if name not in table.columns:
            raise UserFacingError(f"Eenheden op niveau '{level}' hebben geen kolom '{name}'.")
        values = [str(v) if pd.notna(v) else "" for v in table[name]]
        labels: dict[str, str] = {}
        if name in units.LEVELS and name != "wcp":
            try:
                parent = units.load_table(name)
                labels = {str(c): f"{n} ({c})" for c, n in zip(parent["code"], parent["naam"], strict=True)}
            except Exception:  # noqa: BLE001 - codes as names
                labels = {}
        return {str(c): labels.get(v, v) for c, v in zip(table["code"].astype(str), values, strict=True) if v}
    if kind == "ref":
        from geo.divisions.references import reference_division

        division = reference_division(name)
    elif kind == "db":
        from geo.divisions import store as division_store

        division = division_store.open_division(name, actor=actor)
    else:
        raise UserFacingError(f"Onbekende gebiedsindeling '{key}' (gebruik kolom:, ref: of db:).")
    return unit_areas(table, level, division.level, division.assignment)


def partner_coverage(
    partners: pd.DataFrame,
    table: pd.DataFrame,
    unit_to_area: Mapping[str, str],
    distance_m: float,
    types: Sequence[str] | None = None,
    layer=None,
    deprivation_weight: float = 0.0,
    only_deprived: bool = False,
    distances: Distances | None = None,
) -> pd.DataFrame:
    """``coverage_by_area`` for a canonical partner table and a unit table (demand points).

    Partners are counted in the area of the unit polygon of ``layer`` they fall in (no layer: not counted).
    ``types`` defaults to the types present among the partners.
    """
    demand = Demand.from_table(table, unit_to_area, deprivation_weight, only_deprived)
    xy = partners[["x", "y"]].to_numpy(dtype=float)
    types = list(types) if types is not None else sorted(partners["type"].unique())
    p_area = None
    if layer is not None:
        p_units = partner_units(xy, layer)
        p_area = [unit_to_area.get(u, "") if u else "" for u in p_units]
    return coverage_by_area(
        demand, xy, partners["type"].to_numpy(object), distance_m, types, p_area, distances
    )
