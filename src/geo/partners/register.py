"""Partner model: controlled vocabularies, coordinate handling and the canonical partner table.

A partner register is a DataFrame with the columns of ``PARTNER_COLUMNS``. Every partner has both
WGS84 (``lat``/``lon``) and Lambert 72 (``x``/``y``, EPSG:31370, metres) coordinates; partners known only by
postcode or municipality sit at the centre of that unit and carry ``benaderd = True``.
Involvement per area is a mapping ``{area: level}``, written in files as ``"A: structureel; B: ad hoc"``.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd
from pyproj import Transformer

from geo.fmt import fold_text

#: Controlled list of partner types (Dutch labels as shown in the app and written in exports).
PARTNER_TYPES: tuple[str, ...] = (
    "CLB",
    "Huis van het Kind",
    "Kind & Gezin",
    "CAW",
    "CGG",
    "OCMW/sociaal huis",
    "school",
    "bijzondere jeugdzorg",
    "VAPH",
    "CKG",
    "burgerinitiatief",
    "huisarts",
    "andere",
)

#: Types that receive 1G1P funds by default (domain brief); a file can override this per partner.
FUNDED_BY_DEFAULT: frozenset[str] = frozenset({"bijzondere jeugdzorg", "CKG", "VAPH", "CGG", "CAW"})

#: Involvement levels of a partner in an area, from weakest to strongest.
INVOLVEMENT_LEVELS: tuple[str, ...] = ("geen", "ad hoc", "structureel", "stuurgroep")

#: How a partner's location was given.
LOCATION_SOURCES: tuple[str, ...] = ("coördinaten", "lambert", "postcode", "gemeente")

#: One colour per type, for markers and legends.
TYPE_COLORS: dict[str, str] = {
    "CLB": "#1f77b4",
    "Huis van het Kind": "#ff7f0e",
    "Kind & Gezin": "#2ca02c",
    "CAW": "#d62728",
    "CGG": "#9467bd",
    "OCMW/sociaal huis": "#8c564b",
    "school": "#e377c2",
    "bijzondere jeugdzorg": "#7f7f7f",
    "VAPH": "#bcbd22",
    "CKG": "#17becf",
    "burgerinitiatief": "#393b79",
    "huisarts": "#637939",
    "andere": "#9c9ede",
}

#: Columns of a canonical partner table, in order.
PARTNER_COLUMNS: tuple[str, ...] = (
    "partner_id",
    "naam",
    "type",
    "gefinancierd",
    "lat",
    "lon",
    "x",
    "y",
    "benaderd",
    "locatiebron",
    "postcode",
    "gemeente",
    "betrokkenheid",
    "bron",
)

#: Source label for the OpenStreetMap example set.
OSM_EXAMPLE_LABEL = "voorbeeld, OSM 2015, onvolledig"

_NUMERIC = ("lat", "lon", "x", "y")

# Belgium with a small margin (WGS84 degrees).
BELGIUM_LAT = (49.45, 51.55)
BELGIUM_LON = (2.50, 6.45)


_TYPE_ALIASES: dict[str, str] = {
    **{fold_text(t): t for t in PARTNER_TYPES},
    "centrum voor leerlingenbegeleiding": "CLB",
    "huis v h kind": "Huis van het Kind",
    "hvhk": "Huis van het Kind",
    "huizen van het kind": "Huis van het Kind",
    "kind en gezin": "Kind & Gezin",
    "k&g": "Kind & Gezin",
    "k & g": "Kind & Gezin",
    "kg": "Kind & Gezin",
    "opgroeien": "Kind & Gezin",
    "centrum algemeen welzijnswerk": "CAW",
    "centrum geestelijke gezondheidszorg": "CGG",
    "geestelijke gezondheidszorg": "CGG",
    "ggz": "CGG",
    "ocmw": "OCMW/sociaal huis",
    "sociaal huis": "OCMW/sociaal huis",
    "ocmw sociaal huis": "OCMW/sociaal huis",
    "lokaal bestuur": "OCMW/sociaal huis",
    "scholen": "school",
    "onderwijs": "school",
    "stedelijk onderwijs": "school",
    "kleuterschool": "school",
    "bjz": "bijzondere jeugdzorg",
    "jeugdhulp": "bijzondere jeugdzorg",
    "centrum voor kinderzorg en gezinsondersteuning": "CKG",
    "burgerinitiatieven": "burgerinitiatief",
    "huisartsen": "huisarts",
    "huisartsenpraktijk": "huisarts",
    "anders": "andere",
    "overig": "andere",
    "overige": "andere",
}

_LEVEL_ALIASES: dict[str, str] = {
    "geen": "geen",
    "nee": "geen",
    "ad hoc": "ad hoc",
    "adhoc": "ad hoc",
    "structureel": "structureel",
    "structurele": "structureel",
    "aanmeldtafel": "structureel",
    "stuurgroep": "stuurgroep",
}

_YES = {"ja", "j", "yes", "y", "1", "true", "waar", "x", "gefinancierd"}
_NO = {"nee", "n", "no", "0", "false", "onwaar", "plus", "pluspartner", "niet gefinancierd"}


def normalise_type(value: object) -> str | None:
    """The controlled type for a free-text value ("kind en gezin" -> "Kind & Gezin"), None if unknown."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return _TYPE_ALIASES.get(fold_text(str(value)))


def normalise_level(value: object) -> str | None:
    """The controlled involvement level for a free-text value ("Ad-hoc" -> "ad hoc"), None if unknown."""
    if value is None:
        return None
    return _LEVEL_ALIASES.get(fold_text(str(value)))


def parse_yes_no(value: object) -> bool | None:
    """ "ja"/"nee"/"1"/"0"/True... -> bool; None when empty or not recognised."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = fold_text(str(value))
    if text in _YES:
        return True
    if text in _NO:
        return False
    return None


def parse_involvement(text: object) -> dict[str, str]:
    """``"Gebied A: structureel; Gebied B: ad hoc"`` -> ``{"Gebied A": "structureel", ...}``.

    Raises ValueError with a Dutch message naming the part that cannot be read.
    """
    if text is None or (isinstance(text, float) and np.isnan(text)) or not str(text).strip():
        return {}
    result: dict[str, str] = {}
    for part in re.split(r"[;\n|]", str(text)):
        part = part.strip()
        if not part:
            continue
        area, sep, level_text = part.rpartition(":")
        if not sep:
            area, sep, level_text = part.rpartition("=")
        area = area.strip()
        if not sep or not area:
            raise ValueError(f"'{part}' is niet van de vorm 'gebied: niveau'")
        level = normalise_level(level_text)
        if level is None:
            raise ValueError(
                f"onbekend betrokkenheidsniveau '{level_text.strip()}' voor '{area}' "
                f"(kies uit: {', '.join(INVOLVEMENT_LEVELS)})"
            )
        result[area] = level
    return result


def format_involvement(mapping: dict[str, str]) -> str:
    """Inverse of ``parse_involvement`` (areas sorted)."""
    return "; ".join(f"{area}: {mapping[area]}" for area in sorted(mapping))


@lru_cache(maxsize=2)
def _transformer(to_lambert: bool) -> Transformer:
    if to_lambert:
        return Transformer.from_crs("EPSG:4326", "EPSG:31370", always_xy=True)
    return Transformer.from_crs("EPSG:31370", "EPSG:4326", always_xy=True)


def wgs84_to_lambert(lat, lon) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 degrees -> Lambert 72 metres (EPSG:31370); vectorised."""
    x, y = _transformer(True).transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def lambert_to_wgs84(x, y) -> tuple[np.ndarray, np.ndarray]:
    """Lambert 72 metres -> (lat, lon) WGS84 degrees; vectorised."""
    lon, lat = _transformer(False).transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    return np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)


def in_belgium(lat, lon) -> np.ndarray:
    """True where a WGS84 point lies in a box around Belgium (a plausibility check, not a border test)."""
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    return (
        (lat >= BELGIUM_LAT[0]) & (lat <= BELGIUM_LAT[1]) & (lon >= BELGIUM_LON[0]) & (lon <= BELGIUM_LON[1])
    )


def empty_partners() -> pd.DataFrame:
    """A partner table with no rows and the canonical columns and dtypes."""
    return conform(pd.DataFrame({c: [] for c in PARTNER_COLUMNS}))


def conform(frame: pd.DataFrame) -> pd.DataFrame:
    """Canonical column order and dtypes (missing optional columns are added empty)."""
    out = frame.copy()
    for col in PARTNER_COLUMNS:
        if col not in out.columns:
            out[col] = pd.NA if col == "partner_id" else ("" if col not in _NUMERIC else np.nan)
    out = out.loc[:, list(PARTNER_COLUMNS)].reset_index(drop=True)
    out["partner_id"] = pd.array(out["partner_id"], dtype="Int64")
    for col in _NUMERIC:
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    for col in ("gefinancierd", "benaderd"):
        out[col] = out[col].fillna(False).astype(bool)
    for col in ("naam", "type", "locatiebron", "postcode", "gemeente", "betrokkenheid", "bron"):
        out[col] = out[col].fillna("").astype(str)
    return out


def filter_partners(
    partners: pd.DataFrame,
    types: list[str] | tuple[str, ...] | None = None,
    funded: bool | None = None,
) -> pd.DataFrame:
    """Partners of the given types (None = all) and funding status (None = both)."""
    keep = np.ones(len(partners), dtype=bool)
    if types is not None:
        keep &= partners["type"].isin(list(types)).to_numpy()
    if funded is not None:
        keep &= (partners["gefinancierd"].astype(bool) == funded).to_numpy()
    return partners.loc[keep]


def within_bounds(partners: pd.DataFrame, bounds, margin: float = 0.05) -> pd.DataFrame:
    """Partners inside ``[[south, west], [north, east]]`` (degrees) widened by ``margin`` degrees."""
    (s, w), (n, e) = bounds
    lat, lon = partners["lat"].to_numpy(float), partners["lon"].to_numpy(float)
    keep = (lat >= s - margin) & (lat <= n + margin) & (lon >= w - margin) & (lon <= e + margin)
    return partners.loc[keep]


#: Maximum zoom set on maps that get clustered partner markers.
MAX_ZOOM = 18

#: Popup fields for partner markers (column -> Dutch label), for ``geo.maps.folium_maps.add_point_markers``.
MARKER_POPUP_FIELDS: dict[str, str] = {
    "naam": "Naam",
    "type": "Type",
    "status": "Status",
    "locatie": "Locatie",
    "betrokkenheid": "Betrokkenheid",
    "bron": "Bron",
}


def markers_frame(
    partners: pd.DataFrame,
    types: list[str] | tuple[str, ...] | None = None,
    funded: bool | None = None,
) -> pd.DataFrame:
    """Partners as map points: ``lat``, ``lon``, ``type`` (one layer per type) and the plain-text popup
    columns of ``MARKER_POPUP_FIELDS`` (``status`` = gefinancierd/pluspartner, ``locatie`` = exact/benaderd).
    """
    sel = filter_partners(partners, types, funded)
    sel = sel[np.isfinite(sel["lat"].to_numpy(float)) & np.isfinite(sel["lon"].to_numpy(float))]
    status = np.where(sel["gefinancierd"].to_numpy(bool), "gefinancierde partner", "pluspartner")
    location = [
        f"benaderd ({src or 'centrum'})" if approx else "exact"
        for approx, src in zip(sel["benaderd"], sel["locatiebron"], strict=True)
    ]
    return pd.DataFrame(
        {
            "lat": sel["lat"].to_numpy(float),
            "lon": sel["lon"].to_numpy(float),
            "type": sel["type"].to_numpy(object),
            "naam": sel["naam"].to_numpy(object),
            "status": status,
            "locatie": location,
            "betrokkenheid": sel["betrokkenheid"].replace("", "–").to_numpy(object),
            "bron": sel["bron"].replace("", "–").to_numpy(object),
        }
    )


def add_partner_markers(
    m,
    partners: pd.DataFrame,
    types: list[str] | tuple[str, ...] | None = None,
    funded: bool | None = None,
    clustered: bool = True,
    layer_control: bool = True,
):
    """Add partner markers to a folium map: one switchable, clustered layer per type (LayerControl).

    The one call other pages need to show partners on any map; returns the map. Add other overlays *before*
    this call: Leaflet's layer control only knows layers created before it.
    """
    import folium

    from geo.maps.folium_maps import add_point_markers

    points = markers_frame(partners, types, funded)
    if points.empty:
        if layer_control and not any(isinstance(c, folium.LayerControl) for c in m._children.values()):
            folium.LayerControl(collapsed=True).add_to(m)
        return m
    # Leaflet.markercluster needs a maximum zoom; a map without tile layer has none ("Map has no maxZoom").
    if clustered and not any(k in m.options for k in ("max_zoom", "maxZoom")):
        m.options["max_zoom"] = MAX_ZOOM
    # add_point_markers escapes the names (once) for the tooltip and popup.
    return add_point_markers(
        m,
        points,
        group_by="type",
        name="naam",
        clustered=clustered,
        popup_fields=MARKER_POPUP_FIELDS,
        colors=TYPE_COLORS,
        layer_control=layer_control,
        legend_title="Partners per type",
    )


def partner_points(
    partners: pd.DataFrame,
    types: list[str] | tuple[str, ...] | None = None,
    funded: bool | None = None,
) -> dict | None:
    """Partners as points for a unit map (`geo.maps.views.points`): one switchable group per type, in the
    order of `PARTNER_TYPES`, the popup fields in the tooltip; None when there are none."""
    from geo.maps import views

    frame = markers_frame(partners, types, funded)
    if frame.empty:
        return None
    tips = {k: v for k, v in MARKER_POPUP_FIELDS.items() if k not in ("naam", "type")}
    return views.points(
        frame,
        group_by="type",
        title="Partners per type",
        colors=TYPE_COLORS,
        tips=tips,
        order=list(PARTNER_TYPES),
    )


def involvement_long(partners: pd.DataFrame) -> pd.DataFrame:
    """One row per partner and area: ``partner_id``, ``naam``, ``gebied``, ``niveau``."""
    rows = []
    for rec in partners.itertuples(index=False):
        for area, level in parse_involvement(rec.betrokkenheid).items():
            rows.append({"partner_id": rec.partner_id, "naam": rec.naam, "gebied": area, "niveau": level})
    return pd.DataFrame(rows, columns=["partner_id", "naam", "gebied", "niveau"])


def involvement_matrix(partners: pd.DataFrame) -> pd.DataFrame:
    """Per area and involvement level, the number of partners (rows: area, columns: levels in order)."""
    long = involvement_long(partners)
    table = pd.crosstab(long["gebied"], long["niveau"]) if len(long) else pd.DataFrame()
    return table.reindex(columns=list(INVOLVEMENT_LEVELS), fill_value=0)
