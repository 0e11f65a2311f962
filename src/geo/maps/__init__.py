"""Maps: folium builders for display and the offline map assets.

- `folium_maps`: base map, choropleth and categorical layers, legends, markers, compact GeoJSON.
- `assets`: Leaflet and plugins fetched from npm into `static/vendor/` (sha256-checked) so maps draw offline.

May import: shared helpers only. Maps never compute figures: they are given values per unit.
"""
