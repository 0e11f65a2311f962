"""Data: from raw open data to the analysis-ready tables and layers every other package reads.

- `catalog`: the manifest of raw sources, fetching from a mirror or upstream, checksums, provenance.
- `readers`: one reader per raw file, each validating its columns with a clear Dutch error.
- `layers`, `stats`, `build`: `python -m geo data build` (geometry per level; counts per unit).
- `sectors`: statistical sectors of each year -> wijken, and the small-area estimate of the K&G index.
- `verify`: the checksums of the built files (`data status`) and `read_built`, which names a missing or
  damaged built file in Dutch.
- `units`: the only way domain code reads built data (tables, layers, display GeoJSON, adjacency).
- `facts`: the small published 1G1P tables in `data/1g1p/` (Tabel 8, budgets 2021, SWV composition).

May import: `geo.errors`, `geo.fmt`, `geo.paths`. Nothing else in `geo` imports back into the build.
"""
