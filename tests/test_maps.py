"""geo.maps.folium_maps builders and geo.maps.assets, on small hand-made GeoJSON."""

from __future__ import annotations

import hashlib
import io
import json
import math
import re
import tarfile

import folium
import folium.plugins
import pandas as pd
import pytest

from geo import fmt as nl
from geo.errors import UserFacingError
from geo.maps import assets as assets_fetch
from geo.maps import folium_maps as maps

CDN_HINTS = ("jsdelivr", "cdnjs", "unpkg", "code.jquery.com", "bootstrapcdn", "d3js.org", "googleapis")


def square(x: float, y: float, d: float = 0.1) -> dict:
    return {"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]}


def grid(n: int = 12) -> dict:
    """n unit squares in rows of 4, codes 10000.., with an extra property that must not be shipped."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": f"{10000 + i}", "naam": f"Gemeente {i}", "extra": "x" * 40},
                "geometry": square(3.0 + 0.1 * (i % 4), 50.9 + 0.1 * (i // 4)),
            }
            for i in range(n)
        ],
    }


def geojson_layers(m: folium.Map) -> list[folium.GeoJson]:
    return [c for c in m._children.values() if isinstance(c, folium.GeoJson)]


def legend_of(m: folium.Map) -> maps.Legend:
    (legend,) = [c for c in m._children.values() if isinstance(c, maps.Legend)]
    return legend


# ------------------------------------------------------------------------------------------ assets


def test_rendered_map_uses_only_local_assets():
    html = maps.choropleth_map(grid(), {"10000": 1.0}, label="Inwoners").get_root().render()
    assert "/app/static/vendor/leaflet/leaflet.js" in html
    assert "/app/static/vendor/leaflet/leaflet.css" in html
    assert maps.external_urls(html) == []
    assert not any(hint in html for hint in CDN_HINTS)


def test_marker_plugins_use_local_assets_too():
    m = maps.base_map()
    points = pd.DataFrame(
        {"lat": [51.0, 51.1], "lon": [4.0, 4.1], "naam": ["A", "B"], "type": ["CAW", "OCMW"]}
    )
    maps.add_point_markers(m, points, "type", clustered=True)
    folium.plugins.Fullscreen().add_to(m)
    html = m.get_root().render()
    assert "/app/static/vendor/markercluster/leaflet.markercluster.js" in html
    assert "/app/static/vendor/fullscreen/Control.FullScreen.js" in html
    assert maps.external_urls(html) == []
    assert not any(hint in html for hint in CDN_HINTS)


def test_plain_folium_map_is_local_once_geo_maps_is_imported():
    html = folium.Map(tiles=None).get_root().render()
    assert maps.external_urls(html) == []
    assert "/app/static/vendor/leaflet/leaflet.js" in html


def test_every_local_asset_url_is_a_fetched_file():
    targets = {f.target for f in assets_fetch.FILES}
    for js, css in maps.local_assets("/x").values():
        for _name, url in [*js, *css]:
            assert url.startswith("/x/")
            assert url[len("/x/") :] in targets, url


def test_asset_base_url_follows_streamlit_base_path():
    assert maps.asset_base_url("") == "/app/static/vendor"
    assert maps.asset_base_url("/planner/") == "/planner/app/static/vendor"


def test_use_local_assets_with_other_base_changes_rendered_urls():
    try:
        maps.use_local_assets("/sub/app/static/vendor")
        html = maps.base_map().get_root().render()
        assert "/sub/app/static/vendor/leaflet/leaflet.js" in html
    finally:
        maps.use_local_assets()


def test_external_urls_finds_scripts_links_and_css_urls():
    html = (
        '<script src="https://example.org/a.js"></script><link href="http://example.org/b.css"/>'
        '<style>x{background:url("https://example.org/c.png")}</style>'
        '<script src="/app/static/d.js"></script>'
    )
    assert maps.external_urls(html) == [
        "https://example.org/a.js",
        "http://example.org/b.css",
        "https://example.org/c.png",
    ]


def test_no_tiles_by_default_and_tiles_on_request():
    assert "L.tileLayer" not in maps.base_map().get_root().render()
    html = maps.base_map(tiles="/tiles/{z}/{x}/{y}.png", tiles_attr="Eigen tegels").get_root().render()
    assert "L.tileLayer" in html and "/tiles/{z}/{x}/{y}.png" in html


# ------------------------------------------------------------------------------------------ payload


def test_payload_keeps_only_tooltip_properties_and_rounds_coordinates():
    gj = grid(4)
    gj["features"][0]["geometry"] = square(3.123456789, 50.987654321)
    m = maps.choropleth_map(gj, {"10000": 5.0}, label="Inwoners")
    (layer,) = geojson_layers(m)
    feature = layer.data["features"][0]
    assert feature["id"] == "10000"
    assert set(feature["properties"]) == {"n", "t0"}
    ring = feature["geometry"]["coordinates"][0]
    assert ring[0] == [3.1235, 50.9877]
    html = m.get_root().render()
    assert "extra" not in html and "x" * 40 not in html
    assert "3.123456789" not in html


def test_round_geometry_drops_repeated_points_but_keeps_rings_closed():
    geom = {"type": "Polygon", "coordinates": [[[0, 0], [0.00001, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    out = maps.round_geometry(geom, 4)
    assert out["coordinates"][0] == [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    tiny = {"type": "Polygon", "coordinates": [[[0, 0], [0.00001, 0], [0.00001, 0.00001], [0, 0]]]}
    assert len(maps.round_geometry(tiny, 4)["coordinates"][0]) == 4


def test_border_lines_draw_each_shared_edge_once():
    two = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"code": "a"}, "geometry": square(0, 0, 1)},
            {"type": "Feature", "properties": {"code": "b"}, "geometry": square(1, 0, 1)},
        ],
    }
    (feature,) = maps.border_lines(two)["features"]
    segments = []
    for line in feature["geometry"]["coordinates"]:
        segments += [tuple(sorted((tuple(p), tuple(q)))) for p, q in zip(line, line[1:], strict=False)]
    # 2 squares sharing one edge: 4 + 4 - 1 distinct unit edges, none twice.
    assert len(segments) == 7
    assert len(set(segments)) == 7
    assert ((1.0, 0.0), (1.0, 1.0)) in set(segments)


def test_borders_overlay_is_not_interactive():
    m = maps.choropleth_map(grid(), {"10000": 1.0}, label="Inwoners", borders_geojson=grid())
    layers = geojson_layers(m)
    assert len(layers) == 2
    assert layers[1].options.get("interactive") is False
    assert layers[1].layer_name == "Eerstelijnszones"


# ------------------------------------------------------------------------------------------- scales


def test_class_breaks_are_quantiles():
    values = [float(v) for v in range(0, 101, 10)]
    assert maps.class_breaks(values, 4) == [0.0, 25.0, 50.0, 75.0, 100.0]


def test_class_breaks_ignore_missing_and_round_inner_edges():
    values = [1.0, float("nan"), 2.0, 1234.0, 98765.0, None]
    edges = maps.class_breaks(values, 2)
    assert edges[0] == 1.0 and edges[-1] == 98765.0
    assert edges[1] == 620.0  # median of 1, 2, 1234, 98765 = 618 -> 2 significant digits
    assert maps.class_breaks([7.0, 7.0], 5) == [7.0, 7.0]
    assert maps.class_breaks([]) == []


def test_class_index_bounds():
    edges = [0.0, 25.0, 50.0, 100.0]
    assert maps.class_index(0.0, edges) == 0
    assert maps.class_index(24.9, edges) == 0
    assert maps.class_index(25.0, edges) == 1
    assert maps.class_index(100.0, edges) == 2
    assert maps.class_index(float("nan"), edges) is None


def test_distinct_colors_are_distinct_and_stable():
    labels = [f"Gebied {i}" for i in range(30)]
    colors = maps.distinct_colors(labels)
    assert len(set(colors.values())) == 30
    assert maps.distinct_colors(reversed(labels)) == colors
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colors.values())


# --------------------------------------------------------------------------------------- choropleth


def test_choropleth_legend_in_dutch_with_nl_be_numbers():
    gj = grid(11)
    values = {f"{10000 + i}": 1000.0 * i for i in range(10)} | {"10010": 1_500_000.0}
    m = maps.choropleth_map(gj, values, label="Inwoners", breaks=[0, 5000, 25000, 1_500_000])
    legend = legend_of(m)
    assert legend.title == "Inwoners"
    assert [text for _c, text in legend.rows] == ["0 – 5.000", "5.000 – 25.000", "25.000 – 1.500.000"]
    assert "1.500.000" in m.get_root().render()


def test_choropleth_missing_values_are_grey_and_in_legend():
    gj = grid(4)
    m = maps.choropleth_map(gj, {"10000": 1.0, "10001": 2.0, "10002": float("nan")}, label="Index")
    (layer,) = geojson_layers(m)
    fills = {f["id"]: layer.style_function(f)["fillColor"] for f in layer.data["features"]}
    assert fills["10002"] == maps.MISSING_COLOR
    assert fills["10003"] == maps.MISSING_COLOR  # no value at all
    assert fills["10000"] != maps.MISSING_COLOR and fills["10001"] != maps.MISSING_COLOR
    assert legend_of(m).rows[-1] == (maps.MISSING_COLOR, "geen gegevens")


def test_choropleth_darker_class_for_higher_values():
    gj = grid(4)
    values = {"10000": 1.0, "10001": 10.0, "10002": 100.0, "10003": 1000.0}
    m = maps.choropleth_map(gj, values, label="x", breaks=[1, 10, 100, 1000])
    (layer,) = geojson_layers(m)
    fills = [layer.style_function(f)["fillColor"] for f in layer.data["features"]]
    ramp = list(maps.SEQUENTIAL)
    assert [ramp.index(c) for c in fills] == sorted(ramp.index(c) for c in fills)
    assert fills[0] != fills[-1]


def test_choropleth_tooltip_has_name_and_figures_in_nl_be():
    gj = grid(2)
    m = maps.choropleth_map(
        gj,
        {"10000": 12345.0, "10001": 7.0},
        label="Inwoners",
        tooltip_fields={"Kansarmoede-index": {"10000": nl.percent(12.5)}},
    )
    (layer,) = geojson_layers(m)
    props = {f["id"]: f["properties"] for f in layer.data["features"]}
    assert props["10000"] == {"n": "Gemeente 0", "t0": "12.345", "t1": "12,5 %"}
    assert props["10001"]["t1"] == "–"
    tooltip = next(c for c in layer._children.values() if isinstance(c, folium.GeoJsonTooltip))
    assert tooltip.fields == ["n", "t0", "t1"]
    assert tooltip.aliases == ["Naam", "Inwoners", "Kansarmoede-index"]


def test_map_is_fitted_to_the_data():
    m = maps.choropleth_map(grid(8), {}, label="x")
    html = m.get_root().render()
    bounds = json.loads(re.search(r"fitBounds\(\s*(\[\[.*?\]\])", html, re.S).group(1))
    assert bounds[0] == pytest.approx([50.9, 3.0])
    assert bounds[1] == pytest.approx([51.1, 3.4])


# -------------------------------------------------------------------------------------- categorical


def test_categorical_map_colours_areas_and_greys_unassigned():
    gj = grid(6)
    labels = {"10000": "Noord", "10001": "Noord", "10002": "Zuid", "10003": "West", "10004": None}
    m = maps.categorical_map(gj, labels, title="Werkingsgebieden")
    (layer,) = geojson_layers(m)
    fills = {f["id"]: layer.style_function(f)["fillColor"] for f in layer.data["features"]}
    assert fills["10000"] == fills["10001"]
    assert len({fills["10000"], fills["10002"], fills["10003"]}) == 3
    assert fills["10004"] == fills["10005"] == maps.MISSING_COLOR
    props = {f["id"]: f["properties"] for f in layer.data["features"]}
    assert props["10002"]["t0"] == "Zuid" and props["10005"]["t0"] == "Niet toegewezen"
    legend = legend_of(m)
    assert legend.title == "Werkingsgebieden"
    assert [t for _c, t in legend.rows] == ["Noord", "West", "Zuid", "Niet toegewezen"]


def test_categorical_map_accepts_fixed_colours():
    m = maps.categorical_map(grid(2), {"10000": "A", "10001": "B"}, colors={"A": "#000000"})
    (layer,) = geojson_layers(m)
    fills = [layer.style_function(f)["fillColor"] for f in layer.data["features"]]
    assert fills[0] == "#000000" and fills[1] not in ("#000000", maps.MISSING_COLOR)


# ------------------------------------------------------------------------------------------ markers


def test_point_markers_one_switchable_layer_per_group():
    points = pd.DataFrame(
        {
            "lat": [51.0, 51.1, math.nan, 50.9],
            "lon": [4.0, 4.1, 4.2, 3.9],
            "naam": ["CAW Noord", "OCMW X", "Zonder plaats", "CAW Zuid"],
            "type": ["CAW", "OCMW", "CAW", "CAW"],
        }
    )
    m = maps.base_map()
    maps.add_point_markers(m, points, "type", popup_fields={"naam": "Naam"})
    maps.add_point_markers(m, points, "type", clustered=False)  # second call: no second LayerControl
    groups = [c for c in m._children.values() if isinstance(c, folium.FeatureGroup)]
    assert [g.layer_name for g in groups] == ["CAW (2)", "OCMW (1)", "CAW (2)", "OCMW (1)"]
    clustered = groups[0]
    (cluster,) = clustered._children.values()
    assert isinstance(cluster, folium.plugins.MarkerCluster)
    assert len(cluster._children) == 2
    assert all(isinstance(c, folium.CircleMarker) for c in groups[2]._children.values())
    assert sum(isinstance(c, folium.LayerControl) for c in m._children.values()) == 1
    html = m.get_root().render()
    assert "CAW Noord" in html and "Zonder plaats" not in html


# --------------------------------------------------------------------------------------- indicators


def test_indicator_density_and_percent_format():
    table = pd.DataFrame(
        {
            "code": ["1", "2", "3"],
            "pop_0_24": [500, 300, 10],
            "area_km2": [10.0, 0.0, 2.0],
            "k": [12.5, None, 3],
        }
    )
    dens = maps.Indicator("d", "Jongeren per km²", "pop_0_24", per="area_km2").values(table)
    assert dens["1"] == 50.0 and math.isnan(dens["2"]) and dens["3"] == 5.0
    pct = maps.Indicator("k", "Index", "k", decimals=1, unit="%")
    assert pct.format(12.5) == "12,5 %"
    assert maps.format_values(pct.values(table), pct.format) == {"1": "12,5 %", "2": "–", "3": "3,0 %"}
    keys = [i.key for i in maps.MUNICIPAL_INDICATORS]
    assert keys == ["inwoners", "pop_0_24", "kansarmoede_pct", "pop_0_24_km2"]


# ------------------------------------------------------------------------------------- assets_fetch


def _fake_package(tmp_path, name: str, version: str, files: dict[str, bytes]):
    mirror = tmp_path / "mirror"
    mirror.mkdir(exist_ok=True)
    with tarfile.open(mirror / f"{name}-{version}.tgz", "w:gz") as tar:
        for path, data in files.items():
            info = tarfile.TarInfo(f"package/{path}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return mirror


def test_fetch_from_mirror_writes_checked_files_once(tmp_path, monkeypatch):
    data = b"console.log('leaflet');"
    spec = assets_fetch.VendorFile("leaflet", "9.9.9", "dist/leaflet.js", "leaflet/leaflet.js", "")
    spec = assets_fetch.VendorFile(
        spec.package, spec.version, spec.source, spec.target, hashlib.sha256(data).hexdigest()
    )
    monkeypatch.setattr(assets_fetch, "FILES", (spec,))
    mirror = _fake_package(tmp_path, "leaflet", "9.9.9", {"dist/leaflet.js": data})
    target = tmp_path / "vendor"
    assert assets_fetch.missing(target) == [spec]
    assert assets_fetch.fetch(target, mirror) == ["leaflet/leaflet.js"]
    assert (target / "leaflet/leaflet.js").read_bytes() == data
    assert assets_fetch.is_installed(target)
    assert assets_fetch.fetch(target, mirror) == []
    (target / "leaflet/leaflet.js").write_bytes(b"tampered")
    assert assets_fetch.missing(target) == [spec]


def test_fetch_rejects_wrong_checksum_and_leaves_nothing(tmp_path, monkeypatch):
    spec = assets_fetch.VendorFile("leaflet", "9.9.9", "dist/leaflet.js", "leaflet/leaflet.js", "0" * 64)
    monkeypatch.setattr(assets_fetch, "FILES", (spec,))
    mirror = _fake_package(tmp_path, "leaflet", "9.9.9", {"dist/leaflet.js": b"evil"})
    target = tmp_path / "vendor"
    with pytest.raises(UserFacingError, match="Controlesom"):
        assets_fetch.fetch(target, mirror)
    assert not (target / "leaflet/leaflet.js").exists()


def test_scoped_package_tarball_name():
    f = assets_fetch.VendorFile("@fortawesome/fontawesome-free", "6.2.0", "a", "b", "c")
    assert f.tarball_name == "fortawesome-fontawesome-free-6.2.0.tgz"
    assert f.spec == "@fortawesome/fontawesome-free@6.2.0"


def test_point_marker_names_are_escaped_and_clusters_have_a_max_zoom():
    import pandas as pd

    from geo.maps import folium_maps as maps

    pts = pd.DataFrame({"naam": ["<script>alert(1)</script>"], "type": ["CLB"], "lat": [51.2], "lon": [4.4]})
    m = maps.add_point_markers(maps.base_map(), pts, "type")
    page = m.get_root().render()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert '"maxZoom": 18' in page or "maxZoom: 18" in page or '"maxZoom":18' in page
