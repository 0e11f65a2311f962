"""Partners: the partner register, its files and storage, coverage of young people, new sites.

- `register`: vocabularies, coordinates and the canonical partner table.
- `io`: reading partner files with row-level messages, exports, the OSM 2015 example set.
- `store`: the register in the database, each write one transaction.
- `coverage`: who lives within reach of a partner of each type, per area.
- `location`: where new sites add most coverage.

May import: `geo.data`, `geo.divisions`, `geo.store`, `geo.maps` (partner markers), shared helpers.
"""
