"""Imports: one pipeline that turns a user's file into a checked table before anything is stored.

- `reading`: bytes -> sheets of text cells (CSV in UTF-8, UTF-8 with BOM, Windows-1252 or UTF-16 with the
  separator detected; XLSX/XLS/ODS with every sheet and merged cells filled; GeoJSON properties).
- `table`: the kind of file (`Kind`: its fields and their accepted column names), header-row detection,
  sheet choice, column matching -> `Table` (text cells, spreadsheet row numbers).
- `privacy`: the personal-data screen on column names and values of every sheet (`PrivacyError`).
- `values`: numbers (decimal comma or point, thousands), whole counts, months (`maart 2024`, `mrt-24`).
- `codes`: unit codes as text (Excel damage repaired, case, 2019-2024 municipality codes).
- `messages`: row-level Dutch messages; `preview`: what would be stored, and whether it needs a
  confirmation.
- `pipeline`: `open_table(content, filename, kind)`, the one entry point every kind uses.

Each kind (divisions, partners, caseload, capacity) adds only its own fields and rules in its own package.
May import: `geo.errors`, `geo.fmt`. Nothing here imports a concept package.
"""
