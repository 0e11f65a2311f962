"""Caseload: aggregated registrations per unit and month, load per area, privacy rules, example data.

- `cases`: validation (aggregated data only), load per area, trends, transfers, masking of small counts.
- `example`: a reproducible example caseload for demos and tests.

May import: `geo.data`, `geo.partners` (messages, text folding), shared helpers.
"""
