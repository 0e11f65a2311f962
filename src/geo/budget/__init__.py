"""Budget: the allocation formula, its calibration against 2021, and how it is told to people.

- `allocation`: `Params` -> `Allocation` (population x deprivation correction, carve-outs, floor/cap,
  whole steps by largest remainder) for any resource.
- `resources`: what can be shared (euros, FTE, places, hours), in which steps, written the nl-BE way.
- `equal`: the need-based share against the equal split per area (and young people per unit of resource).
- `transition`: the path from today's amounts to the formula's over N years within a pace limit.
- `calibration`: comparison with the published 2021 SWV budgets, fitting the weight, ready-made settings.
- `report`: Dutch tables, the worked explanation, what the map shows, CSV/XLSX files, report sections
  (e.g. for a dossier).
- `per_unit`: the formula's euros per unit of any level (the budget column of division metrics) and any
  resource per area of an open division.

May import: `geo.data`, `geo.divisions` (reference divisions), shared helpers.
"""
