"""Partner model: vocabularies, coordinates, involvement, markers."""

import re

import numpy as np
import pandas as pd
import pytest

from geo.partners import register as P


def test_type_list_is_the_controlled_dutch_list():
    assert len(P.PARTNER_TYPES) == 13
    assert "Huis van het Kind" in P.PARTNER_TYPES and "andere" in P.PARTNER_TYPES
    assert set(P.TYPE_COLORS) == set(P.PARTNER_TYPES)
    assert P.FUNDED_BY_DEFAULT <= set(P.PARTNER_TYPES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("clb", "CLB"),
        ("Kind en Gezin", "Kind & Gezin"),
        ("K&G", "Kind & Gezin"),
        ("  huis van het kind ", "Huis van het Kind"),
        ("OCMW", "OCMW/sociaal huis"),
        ("Bijzondere Jeugdzorg", "bijzondere jeugdzorg"),
        ("huisartsen", "huisarts"),
        ("jeugdhuis", None),
        ("", None),
    ],
)
def test_normalise_type(text, expected):
    assert P.normalise_type(text) == expected


def test_involvement_round_trip_and_errors():
    parsed = P.parse_involvement("Noord: Structureel; Zuid: ad-hoc;  Centrum = stuurgroep")
    assert parsed == {"Noord": "structureel", "Zuid": "ad hoc", "Centrum": "stuurgroep"}
    assert P.parse_involvement(P.format_involvement(parsed)) == parsed
    assert P.parse_involvement("") == {}
    with pytest.raises(ValueError, match="onbekend betrokkenheidsniveau 'soms'"):
        P.parse_involvement("Noord: soms")
    with pytest.raises(ValueError, match="gebied: niveau"):
        P.parse_involvement("Noord structureel")


def test_lambert_central_meridian_and_round_trip():
    # Lambert 72 has its central meridian at 4°22'2.952" E (on the BD72 datum, ~100 m from WGS84)
    # with false easting 150000.013 m; y grows northwards by about 111 km per degree.
    x, y = P.wgs84_to_lambert(51.0, 4 + 22 / 60 + 2.952 / 3600)
    assert x == pytest.approx(150000.013, abs=150)
    _, y2 = P.wgs84_to_lambert(52.0, 4 + 22 / 60 + 2.952 / 3600)
    assert y2 - y == pytest.approx(111_250, rel=0.01)
    lat = np.array([51.2194, 50.8798, 49.6])
    lon = np.array([4.4025, 4.7005, 5.8])
    back_lat, back_lon = P.lambert_to_wgs84(*P.wgs84_to_lambert(lat, lon))
    np.testing.assert_allclose(back_lat, lat, atol=1e-7)
    np.testing.assert_allclose(back_lon, lon, atol=1e-7)


def test_in_belgium_rejects_swapped_and_far_points():
    got = P.in_belgium([51.2, 4.4, 48.8, 50.85], [4.4, 51.2, 2.35, 4.35])
    assert got.tolist() == [True, False, False, True]


def _two_partners():
    return P.conform(
        pd.DataFrame(
            {
                "partner_id": [1, 2],
                "naam": ["CLB <Noord>", "Buurtwerk"],
                "type": ["CLB", "burgerinitiatief"],
                "gefinancierd": [False, False],
                "lat": [51.2, 51.3],
                "lon": [4.4, 4.5],
                "benaderd": [False, True],
                "locatiebron": ["coördinaten", "gemeente"],
                "betrokkenheid": ["Noord: structureel", "Noord: ad hoc; Zuid: stuurgroep"],
            }
        )
    )


def test_conform_adds_missing_columns_with_types():
    p = _two_partners()
    assert list(p.columns) == list(P.PARTNER_COLUMNS)
    assert p["gefinancierd"].dtype == bool
    assert p["x"].isna().all()
    assert p["postcode"].tolist() == ["", ""]


def test_markers_frame_filters_and_describes():
    m = P.markers_frame(_two_partners(), types=["CLB"])
    assert len(m) == 1
    assert m.loc[0, "type"] == "CLB" and m.loc[0, "naam"] == "CLB <Noord>"
    assert m.loc[0, "status"] == "pluspartner" and m.loc[0, "locatie"] == "exact"
    assert set(P.MARKER_POPUP_FIELDS) <= set(m.columns)
    both = P.markers_frame(_two_partners())
    assert both.loc[1, "locatie"] == "benaderd (gemeente)"
    assert P.markers_frame(_two_partners(), funded=True).empty


def test_add_partner_markers_makes_one_layer_per_type_and_escapes():
    import folium

    m = P.add_partner_markers(folium.Map(tiles=None), _two_partners())
    rendered = m.get_root().render()
    assert "CLB (1)" in rendered and "burgerinitiatief (1)" in rendered
    assert "&lt;Noord&gt;" in rendered and "<Noord>" not in rendered
    assert "L.control.layers" in rendered
    assert '"maxZoom": 18' in rendered  # markercluster refuses maps without a maximum zoom
    # the layer control is declared after every layer it lists (else Leaflet meets undefined layers)
    control_at = rendered.index("L.control.layers")
    for name in re.findall(r"var (feature_group_\w+) = L.featureGroup", rendered):
        assert rendered.index(f"var {name} =") < control_at


def test_add_partner_markers_without_partners_still_adds_a_layer_control():
    import folium

    m = P.add_partner_markers(folium.Map(tiles=None), P.empty_partners())
    assert "L.control.layers" in m.get_root().render()


def test_involvement_matrix_counts_partners_per_level():
    m = P.involvement_matrix(_two_partners())
    assert list(m.columns) == list(P.INVOLVEMENT_LEVELS)
    assert m.loc["Noord", "structureel"] == 1 and m.loc["Noord", "ad hoc"] == 1
    assert m.loc["Zuid", "stuurgroep"] == 1 and m.loc["Zuid", "geen"] == 0


def test_within_bounds():
    p = _two_partners()
    assert P.within_bounds(p, [[51.15, 4.35], [51.25, 4.45]], margin=0.0)["naam"].tolist() == ["CLB <Noord>"]
    assert len(P.within_bounds(p, [[51.15, 4.35], [51.25, 4.45]], margin=0.1)) == 2
