"""Command line `python -m geo ...`: one module per command group, each with `register(subparsers)`.

- `main`: the parser and the error handling (a Dutch message and exit code 2, never a traceback).
- `data`, `budget`, `division`, `partners` (with `partner_planning`), `caseload`, `team`: the command
  groups; `reports` adds `division dossier` and `division scorecard`.

May import every other package; nothing imports `geo.cli`.
"""
