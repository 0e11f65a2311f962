"""User text on folium maps is escaped exactly once: tooltips, popups, legends, layer names."""

from __future__ import annotations

import re

import pandas as pd

from geo.maps import folium_maps as maps

XSS = '<img src=x onerror="window.__xss=1">'
SQUARE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"code": c, "naam": n},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[x, 51], [x + 0.1, 51], [x + 0.1, 51.1], [x, 51]]],
            },
        }
        for c, n, x in (("A", "Kind & Gezin", 4.0), ("B", "gewoon", 4.2))
    ],
}


def _decoded(page: str) -> str:
    """The page with JSON unicode escapes turned back into characters (as the browser sees the data)."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), page)


def test_area_names_in_tooltips_and_legend_are_text_not_html():
    m = maps.categorical_map(
        SQUARE, {"A": XSS, "B": "Noord & Zuid"}, tooltip_fields={"Opmerking": {"B": "a`b${c}"}}
    )
    page = _decoded(m.get_root().render())
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;" in page  # once, in tooltip and legend
    assert "&amp;lt;" not in page and "&amp;amp;" not in page  # never twice
    assert "Noord &amp; Zuid" in page and "Kind &amp; Gezin" in page
    assert "${c}" not in page and "a&#96;b&#36;{c}" in page


def test_marker_tooltip_and_popup_cannot_break_out_of_the_template_literal():
    pts = pd.DataFrame(
        {"naam": ["`;window.__xss=1;`", "${window.__xss=1}", XSS], "type": "CLB", "lat": 51.2, "lon": 4.4}
    )
    m = maps.add_point_markers(maps.base_map(), pts, "type", popup_fields={"naam": "Naam"})
    page = m.get_root().render()
    literals = re.findall(r"`(.*?)`", page, flags=re.S)  # every JavaScript template literal in the page
    joined = "\n".join(literals)
    assert "window.__xss" not in joined.replace("&#36;{window.__xss=1}", "").replace(
        "&#96;;window.__xss=1;&#96;", ""
    ).replace("onerror=&quot;window.__xss=1&quot;", "")
    assert "<img src=x" not in page and "${window" not in page


def test_layer_names_are_escaped_once():
    pts = pd.DataFrame({"naam": ["a"], "type": ["<b>CLB & co</b>"], "lat": [51.2], "lon": [4.4]})
    page = _decoded(maps.add_point_markers(maps.base_map(), pts, "type").get_root().render())
    assert "&lt;b&gt;CLB &amp; co&lt;/b&gt; (1)" in page and "<b>CLB" not in page


def test_partner_markers_escape_names_once():
    from geo.partners.register import add_partner_markers, conform

    partners = conform(
        pd.DataFrame(
            {
                "naam": ["Huis van het Kind & CLB"],
                "type": ["CLB"],
                "gefinancierd": [False],
                "lat": [51.2],
                "lon": [4.4],
                "x": [152000.0],
                "y": [212000.0],
                "benaderd": [False],
                "locatiebron": ["coördinaten"],
            }
        )
    )
    page = _decoded(add_partner_markers(maps.base_map(), partners).get_root().render())
    assert "Huis van het Kind &amp; CLB" in page and "&amp;amp;" not in page
