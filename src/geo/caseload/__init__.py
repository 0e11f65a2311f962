"""Caseload: aggregated registrations per unit and month, load per area, privacy rules, example data.

- `cases`: validation (aggregated data only), load per area, trends, transfers, masking of small counts.
- `io`: caseload and capacity files through `geo.imports` (personal data refused), export columns.
- `protect`, `published`: every table of a page or export computed and masked together, so that no masked
  count can be recomputed.
- `example`: a reproducible example caseload for demos and tests.
- `store`: a workspace's last imported caseload (aggregated rows only) in the database, role-checked.

May import: `geo.data`, `geo.partners` (messages, text folding), `geo.store`, shared helpers.
"""
