"""Maps: what the maps show, the geometry they are drawn from, and the offline map assets.

- `views`: a unit map's content as plain data (colours per unit, legend, tooltips, borders, points) for
  the browser map of `geo_app.unit_map`.
- `topology`, `published`: the map geometry of every level as compact TopoJSON, written once per build.
- `folium_maps`: base map, choropleth and categorical layers, legends, markers, compact GeoJSON.
- `assets`: Leaflet and plugins fetched from npm into `static/vendor/` (sha256-checked) so maps draw offline.

May import: shared helpers only. Maps never compute figures: they are given values per unit.
"""
