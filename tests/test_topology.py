"""Compact map geometry (geo.maps.topology) and map views (geo.maps.views)."""

from __future__ import annotations

import json

import pytest

from geo.maps import published, views
from geo.maps import topology as topo


def square(code: str, x: float, y: float, size: float = 1.0, name: str | None = None) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {
        "type": "Feature",
        "properties": {"code": code, "naam": name or f"Eenheid {code}"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def grid(n: int) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            square(f"{r}{c}", 4 + c * 0.01, 51 + r * 0.01, 0.01) for r in range(n) for c in range(n)
        ],
    }


def points(ring: list) -> set[tuple[float, float]]:
    return {(round(p[0], 6), round(p[1], 6)) for p in ring}


def test_round_trip_keeps_every_ring():
    source = grid(3)
    decoded = topo.decode(topo.build_topology(source, precision=5))
    assert [f["id"] for f in decoded["features"]] == [f["properties"]["code"] for f in source["features"]]
    for src, out in zip(source["features"], decoded["features"], strict=True):
        ring = out["geometry"]["coordinates"][0]
        assert ring[0] == ring[-1]
        assert points(ring) == points(src["geometry"]["coordinates"][0])
        assert out["properties"]["n"] == src["properties"]["naam"]


def test_shared_borders_are_stored_once():
    t = topo.build_topology(grid(3), precision=5)
    # a 3x3 grid of squares has 12 + 12 unit edges; every one stored once, none twice
    segments = set()
    total = 0
    for arc in t["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x, y))
        for a, b in zip(pts, pts[1:], strict=False):
            segments.add(tuple(sorted([a, b])))
            total += 1
    assert total == len(segments) == 24
    uses: dict[int, int] = {}
    for g in t["objects"][topo.OBJECT]["geometries"]:
        for ring in g["arcs"]:
            for ref in ring:
                i = ref if ref >= 0 else ~ref
                uses[i] = uses.get(i, 0) + 1
    assert max(uses.values()) == 2  # an inner border serves both neighbours


def test_enclave_ring_shared_with_surrounding_hole():
    outer = [[0, 0], [3, 0], [3, 3], [0, 3], [0, 0]]
    hole = [[1, 1], [1, 2], [2, 2], [2, 1], [1, 1]]
    fc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": "A"},
                "geometry": {"type": "Polygon", "coordinates": [outer, hole]},
            },
            {
                "type": "Feature",
                "properties": {"code": "B"},
                "geometry": {"type": "Polygon", "coordinates": [hole[::-1]]},
            },
        ],
    }
    t = topo.build_topology(fc, precision=0)
    assert len(t["arcs"]) == 2  # the outline of A, and the ring shared by A's hole and B
    decoded = topo.decode(t)
    assert points(decoded["features"][1]["geometry"]["coordinates"][0]) == points(hole)


def test_multipolygon_and_quantisation():
    fc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": "M"},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [
                        [[[4.0, 51.0], [4.00004, 51.0], [4.1, 51.0], [4.1, 51.1], [4.0, 51.1], [4.0, 51.0]]],
                        [[[4.2, 51.0], [4.3, 51.0], [4.3, 51.1], [4.2, 51.0]]],
                    ],
                },
            }
        ],
    }
    t = topo.build_topology(fc, precision=4)
    g = t["objects"][topo.OBJECT]["geometries"][0]
    assert g["type"] == "MultiPolygon" and len(g["arcs"]) == 2
    ring = topo.decode(t)["features"][0]["geometry"]["coordinates"][0][0]
    assert [4.0, 51.0] in [[round(x, 4), round(y, 4)] for x, y in ring]
    assert len(ring) == 5  # 4.00004 snapped onto 4.0 and dropped as a repeat


def test_real_wijk_layer_fits_the_payload_budget():
    from geo.data import units

    if not units.is_built():
        pytest.fail("Gegevens niet opgebouwd: voer `make data` uit.")
    layer = units.display_geojson("wijk")
    t = topo.build_topology(layer)
    payload = topo.dumps(t)
    assert len(topo.codes(t)) == len(layer["features"]) >= 2700
    assert len(payload) <= 1.5 * 1024 * 1024  # all wijken of Flanders and Brussels in one editable map
    assert len(payload) < len(json.dumps(layer, separators=(",", ":"))) / 2
    # every unit keeps its outline: the decoded ring of a unit spans the source ring's bounding box
    decoded = topo.decode(t)
    for src, out in list(zip(layer["features"], decoded["features"], strict=True))[::97]:
        src_ring = (
            src["geometry"]["coordinates"][0]
            if src["geometry"]["type"] == "Polygon"
            else src["geometry"]["coordinates"][0][0]
        )
        out_ring = (
            out["geometry"]["coordinates"][0]
            if out["geometry"]["type"] == "Polygon"
            else out["geometry"]["coordinates"][0][0]
        )
        for axis in (0, 1):
            assert min(p[axis] for p in out_ring) == pytest.approx(min(p[axis] for p in src_ring), abs=1e-4)
            assert max(p[axis] for p in out_ring) == pytest.approx(max(p[axis] for p in src_ring), abs=1e-4)


def test_write_file_is_content_addressed(tmp_path):
    t = topo.build_topology(grid(2), precision=5)
    name = topo.write_file(t, tmp_path, "wijk")
    assert name.startswith("wijk-") and (tmp_path / name).read_bytes() == topo.dumps(t)
    other = topo.build_topology(grid(3), precision=5)
    name2 = topo.write_file(other, tmp_path, "wijk")
    assert name2 != name
    assert [p.name for p in tmp_path.iterdir()] == [name2]  # the old version of the level is gone


def test_publish_writes_every_level_and_an_index(tmp_path):
    layers = {"gemeente": grid(2), "wijk": grid(3)}
    (tmp_path / "wijk-oud.json").write_text("{}")  # a file of an older build
    index = published.publish(layers, layers.__getitem__, tmp_path, "2026-01-01T10:00")
    assert index["stamp"] == "2026-01-01T10:00"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [published.INDEX, index["levels"]["gemeente"]["file"], index["levels"]["wijk"]["file"]]
    )
    e = published.entry(tmp_path, "wijk", "2026-01-01T10:00")
    t = json.loads((tmp_path / e.file).read_text())
    assert list(e.codes) == topo.codes(t) == [f["properties"]["code"] for f in grid(3)["features"]]
    assert published.is_current(tmp_path, "2026-01-01T10:00", ["gemeente", "wijk"])
    assert not published.is_current(tmp_path, "2026-02-01T10:00", ["gemeente"])
    assert not published.is_current(tmp_path, "2026-01-01T10:00", ["gemeente", "elz"])


def test_entry_says_what_to_run_when_geometry_is_missing_or_stale(tmp_path):
    with pytest.raises(published.GeometryMissing, match="python -m geo data maps"):
        published.entry(tmp_path, "wijk", "s1")
    published.publish(["wijk"], lambda _l: grid(2), tmp_path, "s1")
    with pytest.raises(published.GeometryMissing, match="andere opbouw"):
        published.entry(tmp_path, "wijk", "s2")
    with pytest.raises(published.GeometryMissing, match="niveau gemeente"):
        published.entry(tmp_path, "gemeente", "s1")
    (tmp_path / published.entry(tmp_path, "wijk", "s1").file).unlink()
    with pytest.raises(published.GeometryMissing, match="niveau wijk"):
        published.entry(tmp_path, "wijk", "s1")


# --------------------------------------------------------------------------------------------- views


def test_categorical_view_follows_the_topology_order():
    order = ["a", "b", "c", "d"]
    view = views.categorical(order, {"a": "Noord", "b": "Zuid", "c": None}, areas=["Zuid", "Noord"])
    assert view["labels"] == ["Zuid", "Noord"]
    assert view["fill"] == [1, 0, -1, None]  # d is not part of the division: not drawn
    assert view["colors"][0] != view["colors"][1]
    rows = view["legend"]["rows"]
    assert [r[1] for r in rows] == ["Zuid", "Noord", "Niet toegewezen"]
    assert view["tips"][0] == ["Gebied", None]


def test_categorical_colours_stay_when_an_area_is_added():
    order = ["a", "b"]
    before = views.categorical(order, {"a": "Zuid", "b": "Noord"}, areas=["Zuid", "Noord"])
    after = views.categorical(order, {"a": "Zuid", "b": "Aaa"}, areas=["Zuid", "Noord", "Aaa"])
    assert after["colors"][:2] == before["colors"]


def test_hostile_names_travel_as_plain_text():
    name = "<img src=x onerror=alert(1)>"
    view = views.categorical(["a"], {"a": name})
    assert view["labels"] == [name]  # not escaped here: the browser sets it with textContent
    assert view["legend"]["rows"][0][1] == name


def test_choropleth_view_classes_and_missing():
    order = ["a", "b", "c", "d"]
    view = views.choropleth(order, {"a": 1.0, "b": 2.0, "c": 3.0}, label="Inwoners", n_classes=2)
    assert view["fill"][3] == -1 and view["missing_label"] == "geen gegevens"
    assert view["fill"][0] < view["fill"][2]
    assert view["tips"][0][0] == "Inwoners"
    assert view["tips"][0][1][1] == "2"


def test_borders_view_groups_per_unit():
    view = views.with_borders(
        views.categorical(["a", "b"], {"a": "X", "b": "X"}), ["a", "b"], {"a": "1", "b": "2"}
    )
    assert view["borders"]["groups"] == ["1", "2"]


def test_missing_labels_and_groups_become_null_not_nan():
    nan = float("nan")
    view = views.with_borders(
        views.categorical(["a", "b"], {"a": "X", "b": nan}, tooltip_fields={"Zone": {"a": nan}}),
        ["a", "b"],
        {"a": "elz1", "b": nan},
    )
    assert view["fill"] == [0, -1]  # b has no area: grey, listed as unassigned
    assert view["borders"]["groups"] == ["elz1", None]
    assert view["tips"][1] == ["Zone", ["–", "–"]]
    json.dumps(view, allow_nan=False)  # the browser gets valid JSON
