"""Command line `python -m geo ...`: one module per command group, each with `register(subparsers)`.

- `main`: the parser (Dutch errors and help) and the error handling: a Dutch one-liner, exit code 2 for a
  problem the user can fix and 3 for anything unexpected, never a traceback.
- `options`: what several commands share: `--jaar`/`--indicator` with the line that states them, and the
  number types (`number`, `non_negative`, `fraction`) that read `0,3` and `0.3` alike.
- `output`: the caller, import messages, tables on screen and written as CSV or XLSX.
- `data`, `budget` (`allocate`), `settings` (`instelling`), `division`, `partners` (with
  `partner_planning`), `caseload`, `team`: the command groups; `reports` adds `division dossier` and
  `division scorecard`.

May import every other package; nothing imports `geo.cli`.
"""
