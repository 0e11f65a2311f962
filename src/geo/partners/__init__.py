"""Partners: the partner register, its files and storage, coverage of young people, new sites.

- `register`: vocabularies, coordinates and the canonical partner table.
- `io`: reading partner files with row-level messages, exports, the OSM 2015 example set.
- `store`: the register in the database, each write one transaction.
- `coverage`: who lives within reach of a partner of each type, per area.
- `access`: accessibility per unit (two-step floating catchment, capacity shared over the young people).
- `location`: where new sites add most coverage: greedy preview and exact plan (HiGHS MILP).
- `network`: distances in a straight line or along a road network that the user supplies.
- `inputs`: capacity and candidate-site files with row-level messages.
- `planning`: accessibility and location as one call each, with their notes and export tables.

May import: `geo.data`, `geo.divisions`, `geo.store`, `geo.maps` (partner markers), shared helpers.
"""
