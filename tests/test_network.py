"""Distances along a hand-made road network, checked by hand and against networkx."""

import json

import networkx as nx
import numpy as np
import pytest

from geo.errors import UserFacingError
from geo.partners.access import two_step_fca
from geo.partners.location import site_problem, solve_exact
from geo.partners.network import RoadNetwork, StraightLine

# An L-shaped road: east 2 km along y = 0, then north 2 km along x = 2000; and a short loose piece far away.
L_ROAD = [np.array([[0.0, 0], [2000.0, 0]]), np.array([[2000.0, 0], [2000.0, 2000]])]
LOOSE = [np.array([[50_000.0, 0], [50_100.0, 0]])]


def _dense(m):
    out = np.full(m.shape, np.nan)
    for i in range(m.shape[0]):
        lo, hi = m.indptr[i], m.indptr[i + 1]
        out[i, m.indices[lo:hi]] = m.data[lo:hi]
    return out


def test_l_shaped_road_by_hand():
    net = RoadNetwork.from_lines(L_ROAD + LOOSE, name="L")
    assert net.length_m == pytest.approx(4100.0) and net.main_length_m == pytest.approx(4000.0)
    origins = np.array([[0.0, 10.0]])  # 10 m from the start of the road
    targets = np.array([[2005.0, 2000.0], [1000.0, 50.0], [50_050.0, 0.0]])
    d = _dense(net.within(origins, targets, 100_000.0))
    # along the road: 10 + 2000 + 2000 + 5; to the middle: 10 + 1000 + 50 (a vertex every 200 m)
    assert d[0, 0] == pytest.approx(4015.0)
    assert d[0, 1] == pytest.approx(1060.0)
    # the loose piece is not part of the main network: the far point joins the main road at its nearest
    # vertex (2000, 0), 48 km away
    assert d[0, 2] == pytest.approx(10 + 2000 + 48_050.0)
    straight = _dense(StraightLine().within(origins, targets, 10_000.0))
    assert straight[0, 0] == pytest.approx(np.hypot(2005, 1990))
    assert d[0, 0] > straight[0, 0]
    assert any("hangt niet samen" in w or "meer dan" in w for w in net.warnings(("punten", targets)))


def test_cutoff_is_inclusive_and_zero_distance_is_kept():
    net = RoadNetwork.from_lines(L_ROAD)
    pts = np.array([[0.0, 0.0], [2000.0, 0.0]])
    d = net.within(pts, pts, 2000.0)
    dense = _dense(d)
    assert dense[0, 0] == 0.0 and dense[0, 1] == pytest.approx(2000.0)
    assert d.nnz == 4  # explicit zeros on the diagonal are stored
    assert np.isnan(_dense(net.within(pts, pts, 1999.0))[0, 1])


def test_matches_networkx_on_a_random_grid():
    rng = np.random.default_rng(5)
    # a 6 x 6 grid of streets 400 m apart, with a third of the blocks' edges removed
    lines = []
    graph = nx.Graph()
    for i in range(6):
        for j in range(6):
            for di, dj in ((1, 0), (0, 1)):
                if i + di < 6 and j + dj < 6 and rng.random() > 0.33:
                    a, b = (i * 400.0, j * 400.0), ((i + di) * 400.0, (j + dj) * 400.0)
                    lines.append(np.array([a, b]))
                    graph.add_edge(a, b, weight=400.0)
    net = RoadNetwork.from_lines(lines)
    main = max(nx.connected_components(graph), key=len)
    nodes = sorted(main)
    origins = np.array(nodes[:8]) + [3.0, 4.0]  # 5 m off a junction
    targets = np.array(nodes[-10:])
    got = _dense(net.within(origins, targets, 3000.0))
    for a, o in enumerate(nodes[:8]):
        lengths = nx.single_source_dijkstra_path_length(graph, o, weight="weight")
        for b, t in enumerate(nodes[-10:]):
            expected = lengths.get(t, np.inf) + 5.0
            if expected <= 3000.0:
                assert got[a, b] == pytest.approx(expected)
            else:
                assert np.isnan(got[a, b])
    # symmetric: from targets to origins gives the transpose
    back = _dense(net.within(targets, origins, 3000.0))
    np.testing.assert_allclose(np.nan_to_num(back.T, nan=-1), np.nan_to_num(got, nan=-1))


def test_network_changes_coverage_and_access():
    # Two young-people clusters equally far in a straight line; only one is near the road.
    net = RoadNetwork.from_lines([np.array([[0.0, 0], [3000.0, 0]])])
    demand = np.array([[3000.0, 0.0], [0.0, 2900.0]])
    partner = np.array([[0.0, 0.0]])
    straight = two_step_fca([100.0, 100.0], [2.0], StraightLine().within(partner, demand, 3000.0), 3000.0)
    road = two_step_fca([100.0, 100.0], [2.0], net.within(partner, demand, 3000.0), 3000.0)
    assert straight.access == pytest.approx([0.01, 0.01])
    # by road the second cluster is 0 + 2900 (joins at the partner's own vertex): still in reach
    assert road.access == pytest.approx([0.01, 0.01])
    far = two_step_fca(
        [100.0, 100.0], [2.0], net.within(partner, demand + [[0, 0], [200, 0]], 3000.0), 3000.0
    )
    assert far.access == pytest.approx([0.02, 0.0])  # 200 + 2900 > 3000 along the road
    problem = site_problem(demand, [100.0, 100.0], partner, ["p"], np.empty((0, 2)), 3000.0, 1, distances=net)
    assert "wegennet" in problem.distance_label
    assert solve_exact(problem).weight_after == 200.0


def test_read_geojson_in_wgs84(tmp_path):
    from geo.partners.register import lambert_to_wgs84

    lat, lon = lambert_to_wgs84(np.array([150_000.0, 152_000.0]), np.array([200_000.0, 200_000.0]))
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"naam": "weg"},
                "geometry": {"type": "LineString", "coordinates": [[lon[0], lat[0]], [lon[1], lat[1]]]},
            },
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "Point", "coordinates": [lon[0], lat[0]]},
            },
        ],
    }
    path = tmp_path / "wegen.geojson"
    path.write_text(json.dumps(doc))
    net = RoadNetwork.read(path)
    assert net.main_length_m == pytest.approx(2000.0, abs=1.0)
    d = _dense(net.within(np.array([[150_000.0, 200_000.0]]), np.array([[152_000.0, 200_000.0]]), 5000.0))
    assert d[0, 0] == pytest.approx(2000.0, abs=1.0)


def test_bad_road_files_give_dutch_messages(tmp_path):
    with pytest.raises(UserFacingError, match="onbekend bestandstype"):
        RoadNetwork.read(b"x", "wegen.csv")
    with pytest.raises(UserFacingError, match="leeg"):
        RoadNetwork.read(b"", "wegen.gpkg")
    with pytest.raises(UserFacingError, match="kan niet gelezen worden"):
        RoadNetwork.read(b"dit is geen geopackage", "wegen.gpkg")
    points = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [4, 51]}}
        ],
    }
    with pytest.raises(UserFacingError, match="geen lijnen"):
        RoadNetwork.read(json.dumps(points).encode(), "punten.geojson")


def test_coverage_along_the_road():
    from geo.partners.coverage import Demand, coverage_by_area, covered, unit_coverage

    net = RoadNetwork.from_lines([np.array([[0.0, 0], [3000.0, 0]])])
    demand = np.array([[3000.0, 0.0], [200.0, 2900.0]])
    partner = np.array([[0.0, 0.0]])
    # straight line: both within 3 km; along the road the second is 200 + 2900 = 3100 m away
    assert covered(demand, partner, 3000.0).tolist() == [True, True]
    assert covered(demand, partner, 3000.0, net).tolist() == [True, False]
    d = Demand(
        np.array(["a", "b"], dtype=object), demand, np.array([10.0, 30.0]), np.array(["X", "X"], dtype=object)
    )
    table = coverage_by_area(d, partner, ["CLB"], 3000.0, ["CLB"], distances=net)
    assert table["gedekt"].tolist() == [10.0] and table["aandeel_gedekt"].tolist() == [0.25]
    per_unit = unit_coverage(d, partner, 3000.0, net)
    assert per_unit["afstand_m"].iloc[0] == pytest.approx(3000.0) and np.isinf(per_unit["afstand_m"].iloc[1])
