"""Folium map builders for the dashboard (display only; no Streamlit, no geometry work per interaction).

Every map built here loads Leaflet and its plugins from the app's own static folder (see
`use_local_assets` and `geo.maps.assets`), draws no background tiles unless asked, and embeds only the
properties its tooltips need, with coordinates rounded, so the payload stays small.

Importing this module already points folium at the local assets (default base `/app/static/vendor`).
Do not add branca colormaps (`folium.Choropleth`, `branca.colormap.*`) to a map shown with `st_folium`:
streamlit-folium then loads d3 from a CDN. Use `Legend` instead. Folium plugins other than MarkerCluster,
FastMarkerCluster and Fullscreen still point at CDNs; `external_urls(html)` finds them.
"""

from __future__ import annotations

import html
import math
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
import folium.plugins
import pandas as pd
from branca.element import Element, MacroElement
from jinja2 import Template

from geo import fmt as nlfmt

DEFAULT_ASSET_BASE = "/app/static/vendor"
COORD_PRECISION = 4  # ~11 m N-S, ~7 m E-W at 51° N: well below the display layers' 120-150 m simplification
MISSING_COLOR = "#d9d9d9"
BORDER_COLOR = "#1f1f1f"
BACKGROUND_COLOR = "#f4f4f1"
# ColorBrewer YlGnBu, light to dark (6 classes).
SEQUENTIAL = ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")
# Well separated hues for areas of a division; more labels than colours get generated hues.
QUALITATIVE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#bcbd22",
    "#17becf",
    "#aec7e8",
    "#ffbb78",
    "#98df8a",
    "#ff9896",
    "#c5b0d5",
    "#c49c94",
    "#f7b6d2",
    "#dbdb8d",
    "#9edae5",
    "#393b79",
    "#637939",
)

Formatter = Callable[[float], str]


def escape_html(text: object) -> str:
    """User text for a map, escaped exactly once: HTML special characters as entities, and the backtick,
    `$` and backslash too, because folium puts tooltip and popup HTML inside JavaScript template literals
    (where `${...}` would run). Leaflet shows the entities as the characters themselves."""
    return (
        html.escape(str(text), quote=True).replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")
    )


# ----------------------------------------------------------------------------------------- indicators


@dataclass(frozen=True)
class Indicator:
    """A figure per unit to colour a map by: a count column, or a ratio of two count columns."""

    key: str
    label: str
    column: str
    per: str | None = None  # denominator column (e.g. area_km2 for a density)
    scale: float = 1.0
    decimals: int = 0
    unit: str = ""  # "%" formats as a percentage

    def values(self, table: pd.DataFrame) -> dict[str, float]:
        """code -> value (NaN where unknown or the denominator is 0)."""
        num = pd.to_numeric(table[self.column], errors="coerce").astype(float)
        if self.per is not None:
            den = pd.to_numeric(table[self.per], errors="coerce").astype(float)
            num = (num / den.where(den != 0)) * self.scale
        return dict(zip(table["code"].astype(str), num.tolist(), strict=True))

    def format(self, value: float) -> str:
        if self.unit == "%":
            return nlfmt.percent(value, self.decimals)
        return nlfmt.number(value, self.decimals)


MUNICIPAL_INDICATORS: tuple[Indicator, ...] = (
    Indicator("inwoners", "Inwoners", "inwoners"),
    Indicator("pop_0_24", "Jongeren onder 25", "pop_0_24"),
    Indicator("kansarmoede_pct", "Kansarmoede-index (% geboorten)", "kansarmoede_pct", decimals=1, unit="%"),
    Indicator("pop_0_24_km2", "Jongeren onder 25 per km²", "pop_0_24", per="area_km2"),
)


def indicator_texts(
    table: pd.DataFrame, indicators: Iterable[Indicator], exclude: str | None = None
) -> dict[str, dict[str, str]]:
    """Tooltip figures: indicator label -> (code -> formatted value), leaving out indicator `exclude`."""
    return {
        ind.label: format_values(ind.values(table), ind.format) for ind in indicators if ind.key != exclude
    }


# --------------------------------------------------------------------------------------------- assets

_asset_base: str | None = None


def local_assets(base_url: str = DEFAULT_ASSET_BASE) -> dict[type, tuple[list, list]]:
    """(default_js, default_css) per folium class, pointing at the files `geo.maps.assets` installs."""
    b = base_url.rstrip("/")
    cluster = (
        [("markerclusterjs", f"{b}/markercluster/leaflet.markercluster.js")],
        [
            ("markerclustercss", f"{b}/markercluster/MarkerCluster.css"),
            ("markerclusterdefaultcss", f"{b}/markercluster/MarkerCluster.Default.css"),
        ],
    )
    return {
        folium.Map: (
            [
                ("leaflet", f"{b}/leaflet/leaflet.js"),
                ("jquery", f"{b}/jquery/jquery.min.js"),
                ("bootstrap", f"{b}/bootstrap/bootstrap.bundle.min.js"),
                ("awesome_markers", f"{b}/awesome-markers/leaflet.awesome-markers.min.js"),
            ],
            # Bootstrap 3 glyphicons and folium's icon-rotation CSS are not served: use prefix="fa" icons.
            [
                ("leaflet_css", f"{b}/leaflet/leaflet.css"),
                ("bootstrap_css", f"{b}/bootstrap/bootstrap.min.css"),
                ("awesome_markers_font_css", f"{b}/fontawesome/css/all.min.css"),
                ("awesome_markers_css", f"{b}/awesome-markers/leaflet.awesome-markers.css"),
            ],
        ),
        folium.plugins.MarkerCluster: cluster,
        folium.plugins.FastMarkerCluster: cluster,
        folium.plugins.Fullscreen: (
            [("Control.Fullscreen.js", f"{b}/fullscreen/Control.FullScreen.js")],
            [("Control.FullScreen.css", f"{b}/fullscreen/Control.FullScreen.css")],
        ),
    }


def asset_base_url(base_url_path: str = "") -> str:
    """URL path of `static/vendor` for a Streamlit app served under `server.baseUrlPath`."""
    prefix = base_url_path.strip("/")
    return f"/{prefix}{DEFAULT_ASSET_BASE}" if prefix else DEFAULT_ASSET_BASE


def use_local_assets(base_url: str = DEFAULT_ASSET_BASE) -> None:
    """Point folium (and so streamlit-folium) at the local copies of Leaflet & co. under `base_url`.

    Idempotent; affects every map built afterwards in this process. `base_url` is the URL path where
    Streamlit serves `static/vendor` (`/app/static/vendor`, prefixed with `server.baseUrlPath` if set).
    """
    global _asset_base
    for cls, (js, css) in local_assets(base_url).items():
        cls.default_js = js
        cls.default_css = css
    _asset_base = base_url


def compact_folium_json() -> None:
    """Make folium write JSON without spaces after `,` and `:` (about 10 % less map payload)."""
    env = folium.GeoJson._template.environment
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":")}


use_local_assets()
compact_folium_json()


def external_urls(rendered_html: str) -> list[str]:
    """Absolute http(s) URLs a browser would fetch for this HTML (script src, link href, CSS url())."""
    pattern = r"""(?:src|href)\s*=\s*["'](https?://[^"']+)["']|url\(\s*["']?(https?://[^)"']+)"""
    found = [a or b for a, b in re.findall(pattern, rendered_html)]
    return list(dict.fromkeys(found))


# ------------------------------------------------------------------------------------------- geojson


def _round_positions(positions: Sequence, precision: int, closed: bool = False) -> list[list[float]]:
    """Rounded positions without consecutive duplicates (a ring keeps at least 4 positions)."""
    rounded = [[round(float(p[0]), precision), round(float(p[1]), precision)] for p in positions]
    out = [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]
    if closed and len(out) < 4:
        return rounded
    return out


def round_geometry(geometry: Mapping, precision: int = COORD_PRECISION) -> dict:
    """Copy of a GeoJSON geometry with coordinates rounded to `precision` decimals (repeats dropped)."""
    kind = geometry["type"]
    c = geometry.get("coordinates")
    if kind == "GeometryCollection":
        return {"type": kind, "geometries": [round_geometry(g, precision) for g in geometry["geometries"]]}
    if kind == "Point":
        coords: Any = [round(float(c[0]), precision), round(float(c[1]), precision)]
    elif kind in ("LineString", "MultiPoint"):
        coords = _round_positions(c, precision)
    elif kind in ("Polygon", "MultiLineString"):
        coords = [_round_positions(r, precision, closed=kind == "Polygon") for r in c]
    elif kind == "MultiPolygon":
        coords = [[_round_positions(r, precision, closed=True) for r in poly] for poly in c]
    else:
        raise ValueError(f"onbekend geometrietype {kind!r}")
    return {"type": kind, "coordinates": coords}


def slim_features(
    geojson: Mapping,
    properties: Mapping[str, Mapping[str, Any]],
    precision: int = COORD_PRECISION,
) -> dict:
    """FeatureCollection with `id` = code and only the given `properties[code]` (rounded coordinates)."""
    features = []
    for feature in geojson["features"]:
        code = str(feature["properties"]["code"])
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": dict(properties.get(code, {})),
                "geometry": round_geometry(feature["geometry"], precision),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _rings(geometry: Mapping) -> Iterable[list]:
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon


def border_lines(geojson: Mapping, precision: int = COORD_PRECISION) -> dict:
    """Outlines of a polygon coverage as one MultiLineString, every shared border drawn once.

    Neighbours in a coverage-simplified layer share exact vertices, so each shared segment appears twice
    (once per side); keeping one copy roughly halves the overlay's payload.
    """
    seen: set[tuple] = set()
    lines: list[list[list[float]]] = []
    for feature in geojson["features"]:
        for ring in _rings(feature["geometry"]):
            pts = [tuple(round(float(c), precision) for c in p[:2]) for p in ring]
            current: list[tuple] = []
            for a, b in zip(pts, pts[1:], strict=False):
                if a == b:
                    continue
                key = (a, b) if a < b else (b, a)
                if key in seen:
                    if len(current) > 1:
                        lines.append([list(p) for p in current])
                    current = []
                    continue
                seen.add(key)
                if not current:
                    current = [a]
                current.append(b)
            if len(current) > 1:
                lines.append([list(p) for p in current])
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "MultiLineString", "coordinates": lines},
            }
        ],
    }


def bounds(geojson: Mapping) -> list[list[float]]:
    """[[south, west], [north, east]] of all features."""
    xs: list[float] = []
    ys: list[float] = []

    def walk(c: Any) -> None:
        if c and isinstance(c[0], (int, float)):
            xs.append(float(c[0]))
            ys.append(float(c[1]))
        else:
            for item in c:
                walk(item)

    for feature in geojson["features"]:
        walk(feature["geometry"]["coordinates"])
    return [[min(ys), min(xs)], [max(ys), max(xs)]]


# --------------------------------------------------------------------------------------------- scale


def _nice(value: float, digits: int = 2) -> float:
    """Round to `digits` significant digits (0 stays 0)."""
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, -int(math.floor(math.log10(abs(value)))) + digits - 1)


def class_breaks(values: Iterable[float], n_classes: int = len(SEQUENTIAL)) -> list[float]:
    """Class edges [min, b1, ..., max] from quantiles, inner edges rounded to 2 significant digits.

    Fewer classes come out when the data has fewer distinct values. NaN values are ignored.
    """
    data = sorted(float(v) for v in values if v is not None and not math.isnan(float(v)))
    if not data:
        return []
    lo, hi = data[0], data[-1]
    if lo == hi:
        return [lo, hi]
    inner = []
    for i in range(1, n_classes):
        pos = (len(data) - 1) * i / n_classes
        q = data[int(pos)] + (data[min(int(pos) + 1, len(data) - 1)] - data[int(pos)]) * (pos - int(pos))
        edge = _nice(q)
        if lo < edge < hi and (not inner or edge > inner[-1]):
            inner.append(edge)
    return [lo, *inner, hi]


def class_index(value: float, edges: Sequence[float]) -> int | None:
    """Class of `value` for `edges` from `class_breaks` (None for missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or len(edges) < 2:
        return None
    return min(bisect_right(edges[1:-1], value), len(edges) - 2)


def palette(n: int, colors: Sequence[str] = SEQUENTIAL) -> list[str]:
    """`n` colours spread over a light-to-dark ramp."""
    if n <= 1:
        return [colors[len(colors) // 2]]
    return [colors[round(i * (len(colors) - 1) / (n - 1))] for i in range(n)]


def distinct_colors(labels: Iterable[str]) -> dict[str, str]:
    """A distinct colour per label (sorted labels; after the fixed palette, golden-angle hues)."""
    out: dict[str, str] = {}
    for i, label in enumerate(sorted(dict.fromkeys(labels))):
        if i < len(QUALITATIVE):
            out[label] = QUALITATIVE[i]
        else:
            hue = (i * 137.508) % 360
            out[label] = _hsl_to_hex(hue, 0.55, 0.55 if i % 2 else 0.4)
    return out


def _hsl_to_hex(h: float, s: float, lightness: float) -> str:
    c = (1 - abs(2 * lightness - 1)) * s
    x = c * (1 - abs((h / 60) % 2 - 1))
    m = lightness - c / 2
    r, g, b = [(c, x, 0), (x, c, 0), (0, c, x), (0, x, c), (x, 0, c), (c, 0, x)][int(h // 60) % 6]
    return "#" + "".join(f"{round((v + m) * 255):02x}" for v in (r, g, b))


# ------------------------------------------------------------------------------------------- legend


class Legend(MacroElement):
    """A map legend: by default only data (title, rows) that the page shows *under* the map, so it never
    covers the units (`legends(m)`); with `inside=True` a Leaflet control box on the map itself.

    `kind` "area" draws square swatches, "point" round ones (marker colours).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {% if this.inside %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function (map) {
            var div = L.DomUtil.create('div', 'geo-legend');
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endif %}
        {% endmacro %}
        """
    )

    def __init__(
        self,
        title: str,
        rows: Sequence[tuple[str, str]],
        position: str = "bottomleft",
        *,
        inside: bool = False,
        kind: str = "area",
    ):
        super().__init__()
        self._name = "Legend"
        self.title = title
        self.rows = list(rows)
        self.position = position
        self.inside = inside
        self.kind = kind
        self.html = legend_html(title, self.rows)


def legends(m: folium.Map) -> list[Legend]:
    """The legends of a map, in the order they were added (areas first, then point layers)."""
    return [c for c in m._children.values() if isinstance(c, Legend)]


def attribution_of(m: folium.Map) -> str:
    """The source line given to `base_map` (shown under the map, not on it)."""
    return " ".join(c.text for c in m._children.values() if isinstance(c, _Attribution))


def legend_html(title: str, rows: Sequence[tuple[str, str]]) -> str:
    """HTML of a legend: a title and one colour swatch + text per row."""
    box = (
        "background:rgba(255,255,255,.92);padding:6px 8px;border-radius:4px;font:12px/1.35 sans-serif;"
        "box-shadow:0 1px 4px rgba(0,0,0,.3);max-height:320px;overflow-y:auto"
    )
    swatch = "display:inline-block;width:14px;height:12px;margin-right:6px;vertical-align:middle;"
    lines = [f'<div style="{box}"><b>{escape_html(title)}</b>']
    for color, text in rows:
        lines.append(
            f'<div><span style="{swatch}background:{escape_html(color)};border:1px solid #777"></span>'
            f"{escape_html(text)}</div>"
        )
    lines.append("</div>")
    return "".join(lines)


def choropleth_legend_rows(
    edges: Sequence[float], colors: Sequence[str], fmt: Formatter, has_missing: bool
) -> list[tuple[str, str]]:
    """Legend rows `(colour, "a – b")` for class edges, plus a grey row for missing values."""
    rows = [(colors[i], f"{fmt(edges[i])} – {fmt(edges[i + 1])}") for i in range(len(edges) - 1)]
    if len(edges) == 2 and edges[0] == edges[1]:
        rows = [(colors[0], fmt(edges[0]))]
    if has_missing:
        rows.append((MISSING_COLOR, "geen gegevens"))
    return rows


class _Attribution(MacroElement):
    """The sources of a map. Kept as data for the page to show under the map (Leaflet's own attribution
    box is switched off: on a small map it covered the legend and the units)."""

    _template = Template("")

    def __init__(self, text: str):
        super().__init__()
        self._name = "Attribution"
        self.text = text


class _FitAndScale(MacroElement):
    """Metric scale bar, and re-fit to the data whenever the frame is resized until the user pans/zooms.

    streamlit-folium sizes its iframe after Leaflet's first fitBounds, which otherwise leaves the data
    small in a corner of the map.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map, bounds) {
            L.control.scale({imperial: false}).addTo(map);
            var touched = false;
            map.getContainer().addEventListener('pointerdown', function () { touched = true; });
            map.getContainer().addEventListener('wheel', function () { touched = true; });
            function refit() {
                map.invalidateSize();
                if (!touched) { map.fitBounds(bounds); }
            }
            window.addEventListener('resize', refit);
            setTimeout(refit, 150);
        })({{ this._parent.get_name() }}, {{ this.bounds|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: Sequence[Sequence[float]]):
        super().__init__()
        self._name = "FitAndScale"
        self.bounds = [list(bounds[0]), list(bounds[1])]


# ---------------------------------------------------------------------------------------------- maps


def base_map(
    extent: Sequence[Sequence[float]] | None = None,
    *,
    tiles: str | None = None,
    tiles_attr: str | None = None,
    attribution: str | None = None,
    fullscreen: bool = False,
) -> folium.Map:
    """Empty map fitted to `extent` ([[south, west], [north, east]]; default Flanders + Brussels).

    No background tiles unless `tiles` is a tile URL template (then `tiles_attr` is required by Leaflet's
    licence terms of most tile servers); assets come from the local static folder.
    """
    if _asset_base is None:
        use_local_assets()
    compact_folium_json()
    extent = extent or [[50.68, 2.54], [51.51, 5.92]]
    center = [(extent[0][0] + extent[1][0]) / 2, (extent[0][1] + extent[1][1]) / 2]
    m = folium.Map(
        location=center,
        zoom_start=8,
        tiles=tiles,
        attr=tiles_attr if tiles else None,
        zoom_snap=0.25,
    )
    m.options["maxZoom"] = 18  # without tiles Leaflet has no maxZoom, and marker clustering needs one
    m.options["attributionControl"] = False  # sources go under the map (`attribution_of`)
    m.get_root().header.add_child(
        Element(f"<style>.leaflet-container{{background:{BACKGROUND_COLOR}}}</style>"), name="geo_background"
    )
    m.fit_bounds([list(extent[0]), list(extent[1])])
    m.add_child(_FitAndScale(extent))
    if attribution:
        m.add_child(_Attribution(attribution))
    if fullscreen:
        folium.plugins.Fullscreen(position="topleft").add_to(m)
    return m


def _add_borders(m: folium.Map, borders_geojson: Mapping, name: str, precision: int) -> None:
    folium.GeoJson(
        border_lines(borders_geojson, precision),
        name=escape_html(name),
        style_function=lambda _f: {"color": BORDER_COLOR, "weight": 2, "opacity": 0.9, "fill": False},
        interactive=False,
    ).add_to(m)


def _tooltip_properties(
    geojson: Mapping,
    name_field: str,
    main: tuple[str, Mapping[str, str]] | None,
    tooltip_fields: Mapping[str, Mapping[str, str]] | None,
) -> tuple[dict[str, dict[str, str]], list[str], list[str]]:
    """Per-code properties for the tooltip plus its field keys and Dutch labels."""
    columns: list[tuple[str, Mapping[str, str]]] = []
    if main is not None:
        columns.append(main)
    columns.extend((tooltip_fields or {}).items())
    props: dict[str, dict[str, str]] = {}
    for feature in geojson["features"]:
        code = str(feature["properties"]["code"])
        row = {"n": escape_html(feature["properties"].get(name_field, code))}
        for i, (_label, texts) in enumerate(columns):
            row[f"t{i}"] = escape_html(texts.get(code, "–"))
        props[code] = row
    keys = ["n"] + [f"t{i}" for i in range(len(columns))]
    labels = ["Naam"] + [escape_html(label) for label, _ in columns]
    return props, keys, labels


def format_values(values: Mapping[str, float], fmt: Formatter = nlfmt.number) -> dict[str, str]:
    """code -> formatted text (missing/NaN -> `–`, via the formatter)."""
    return {str(k): fmt(v) if v is not None and not _isnan(v) else "–" for k, v in values.items()}


def _isnan(v: Any) -> bool:
    try:
        return math.isnan(float(v))
    except (TypeError, ValueError):
        return False


def choropleth_map(
    geojson: Mapping,
    values: Mapping[str, float],
    *,
    label: str,
    fmt: Formatter = nlfmt.number,
    tooltip_fields: Mapping[str, Mapping[str, str]] | None = None,
    borders_geojson: Mapping | None = None,
    borders_name: str = "Eerstelijnszones",
    layer_name: str = "Gemeenten",
    n_classes: int = len(SEQUENTIAL),
    breaks: Sequence[float] | None = None,
    name_field: str = "naam",
    precision: int = COORD_PRECISION,
    tiles: str | None = None,
    tiles_attr: str | None = None,
    attribution: str | None = None,
    fill_opacity: float = 0.8,
    legend_inside: bool = False,
) -> folium.Map:
    """Units coloured by `values` (code -> number) in quantile classes, with legend and tooltips.

    `tooltip_fields` adds figures to the tooltip: Dutch label -> (code -> already formatted text).
    `borders_geojson` (e.g. eerstelijnszones) is drawn on top as non-interactive outlines.
    """
    values = {str(k): v for k, v in values.items()}
    edges = list(breaks) if breaks is not None else class_breaks(values.values(), n_classes)
    colors = palette(max(len(edges) - 1, 1))
    codes = [str(f["properties"]["code"]) for f in geojson["features"]]
    color_of: dict[str, str] = {}
    for code in codes:
        idx = class_index(values.get(code, float("nan")), edges)
        color_of[code] = MISSING_COLOR if idx is None else colors[idx]
    has_missing = any(c == MISSING_COLOR for c in color_of.values())

    props, keys, labels = _tooltip_properties(
        geojson, name_field, (label, format_values(values, fmt)), tooltip_fields
    )
    m = base_map(bounds(geojson), tiles=tiles, tiles_attr=tiles_attr, attribution=attribution)
    _add_filled_layer(
        m, slim_features(geojson, props, precision), layer_name, color_of, fill_opacity, keys, labels
    )
    if borders_geojson is not None:
        _add_borders(m, borders_geojson, borders_name, precision)
    if edges:
        m.add_child(
            Legend(label, choropleth_legend_rows(edges, colors, fmt, has_missing), inside=legend_inside)
        )
    return m


def _add_filled_layer(
    m: folium.Map,
    features: Mapping,
    name: str,
    color_of: Mapping[str, str],
    fill_opacity: float,
    tooltip_keys: Sequence[str],
    tooltip_labels: Sequence[str],
) -> None:
    """Polygons filled by `color_of[feature id]`, thin white borders, hover highlight and tooltip (the
    tooltip texts come escaped from `_tooltip_properties`)."""
    folium.GeoJson(
        features,
        name=escape_html(name),
        style_function=lambda f: {
            "fillColor": color_of.get(f["id"], MISSING_COLOR),
            "color": "#ffffff",
            "weight": 0.6,
            "fillOpacity": fill_opacity,
        },
        highlight_function=lambda _f: {"weight": 2.5, "color": "#333333"},
        tooltip=folium.GeoJsonTooltip(fields=tooltip_keys, aliases=tooltip_labels, sticky=True),
    ).add_to(m)


def categorical_map(
    geojson: Mapping,
    labels: Mapping[str, str | None],
    *,
    title: str = "Gebieden",
    colors: Mapping[str, str] | None = None,
    unassigned: str = "Niet toegewezen",
    tooltip_fields: Mapping[str, Mapping[str, str]] | None = None,
    borders_geojson: Mapping | None = None,
    borders_name: str = "Grenzen",
    layer_name: str = "Gebieden",
    name_field: str = "naam",
    precision: int = COORD_PRECISION,
    tiles: str | None = None,
    tiles_attr: str | None = None,
    attribution: str | None = None,
    area_label: str = "Gebied",
    legend_inside: bool = False,
) -> folium.Map:
    """Units coloured by their area label (code -> label; missing/None = unassigned, grey)."""
    labels = {str(k): v for k, v in labels.items() if v is not None and not _isnan(v)}
    used = sorted(set(labels.values()))
    color_of_label = dict(colors) if colors else distinct_colors(used)
    for lab, col in distinct_colors(used).items():
        color_of_label.setdefault(lab, col)
    codes = [str(f["properties"]["code"]) for f in geojson["features"]]
    color_of = {c: color_of_label[labels[c]] if c in labels else MISSING_COLOR for c in codes}
    area_text = {c: labels.get(c, unassigned) for c in codes}

    props, keys, tip_labels = _tooltip_properties(
        geojson, name_field, (area_label, area_text), tooltip_fields
    )
    m = base_map(bounds(geojson), tiles=tiles, tiles_attr=tiles_attr, attribution=attribution)
    _add_filled_layer(
        m, slim_features(geojson, props, precision), layer_name, color_of, 0.8, keys, tip_labels
    )
    if borders_geojson is not None:
        _add_borders(m, borders_geojson, borders_name, precision)
    rows = [(color_of_label[lab], lab) for lab in used]
    if len(labels) < len(codes):
        rows.append((MISSING_COLOR, unassigned))
    m.add_child(Legend(title, rows, inside=legend_inside))
    return m


def add_point_markers(
    m: folium.Map,
    points: pd.DataFrame,
    group_by: str,
    clustered: bool = True,
    *,
    lat: str = "lat",
    lon: str = "lon",
    name: str = "naam",
    popup_fields: Mapping[str, str] | None = None,
    colors: Mapping[str, str] | None = None,
    layer_control: bool = True,
    legend_title: str | None = None,
) -> folium.Map:
    """Circle markers per group (e.g. partner type), one switchable layer per group.

    `popup_fields` maps column -> Dutch label for a small popup table. Rows without coordinates are
    skipped. Adds a collapsed LayerControl (once) so groups can be switched on and off, and a point legend
    (`legend_title`, default `group_by`) for under the map.
    """
    groups = sorted(points[group_by].dropna().astype(str).unique())
    color_of = dict(colors) if colors else distinct_colors(groups)
    for group in groups:
        rows = points[(points[group_by].astype(str) == group) & points[lat].notna() & points[lon].notna()]
        layer = folium.FeatureGroup(name=escape_html(f"{group} ({len(rows)})"))
        target: folium.map.Layer | folium.FeatureGroup = layer
        if clustered:
            target = folium.plugins.MarkerCluster(control=False).add_to(layer)
        for row in rows.itertuples(index=False):
            rec = row._asdict()
            popup = None
            if popup_fields:
                cells = "".join(
                    f"<tr><th>{escape_html(lab)}</th><td>{escape_html(_cell(rec.get(col)))}</td></tr>"
                    for col, lab in popup_fields.items()
                )
                popup = folium.Popup(f"<table>{cells}</table>", max_width=320)
            folium.CircleMarker(
                location=[round(float(rec[lat]), 6), round(float(rec[lon]), 6)],
                radius=6,
                color="#ffffff",
                weight=1,
                fill=True,
                fill_color=color_of.get(group, QUALITATIVE[0]),
                fill_opacity=0.95,
                tooltip=escape_html(_cell(rec.get(name))),
                popup=popup,
            ).add_to(target)
        layer.add_to(m)
    if groups:
        rows = [(color_of.get(g, QUALITATIVE[0]), g) for g in groups]
        m.add_child(Legend(legend_title or group_by, rows, kind="point"))
    if layer_control and not any(isinstance(c, folium.LayerControl) for c in m._children.values()):
        folium.LayerControl(collapsed=True).add_to(m)
    return m


def _cell(value: Any) -> str:
    if value is None or _isnan(value):
        return "–"
    if isinstance(value, float):
        return nlfmt.number(value, 0 if value.is_integer() else 2)
    return str(value)
