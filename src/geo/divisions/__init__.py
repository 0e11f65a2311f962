"""Divisions: assignments of units to areas, their figures, edits, comparison, suggestions and storage.

- `division`: the immutable `Division` (labels over units) whose edits return a new one; `History`.
- `metrics`: per-area tallies from cached count arrays, contiguity from adjacency (with known exceptions
  and links), compactness; parent codes per unit.
- `validity`: the 1G1P validity gate: rules per division type returning their breaches, splits.
- `compare`: matched areas and moved units between two divisions.
- `suggest`: balanced contiguous proposals and few-move improvements.
- `references`: the built-in divisions (eerstelijnszones, SWV 2021, Groot Antwerpen WCPs).
- `tabel8`: the wijk counts of Groot Antwerpen per postcode and WCP against Tabel 8 (the independent
  check of the small-area deprivation estimate).
- `io`: CSV/XLSX/GeoJSON import with row-level messages, and export.
- `store`: divisions in the database: versions (who, when, what), status, gate settings, comments, with a
  version check; every write in one transaction.
- `changes`: what changed between two versions (units moved, areas renamed, added, removed).

May import: `geo.data`, `geo.store`, shared helpers. Never `geo.budget`, `geo.partners`, `geo.caseload`.
"""
