"""Budget: the allocation formula, its calibration against 2021, and how it is told to people.

- `allocation`: `Params` -> `Allocation` (population x deprivation correction, carve-outs, floor/cap,
  whole euros by largest remainder).
- `calibration`: comparison with the published 2021 SWV budgets, fitting the weight, ready-made settings.
- `report`: Dutch tables, the worked explanation, what the map shows, CSV/XLSX files.
- `per_unit`: the formula's euros per unit of any level (the budget column of division metrics).

May import: `geo.data`, `geo.divisions` (reference divisions), shared helpers.
"""
