"""Streamlit pieces shared by the pages in `views/`: session state, cached loaders, maps, widgets, forms.

- `errors`: the last line of defence (a failure on a page is a Dutch message, never a traceback); `text`:
  `md()`, user text escaped for Streamlit's markdown.
- `session`: the one accessor per object kept in `st.session_state` (e.g. the division editor).
- `editor_state`: the division editor's state as a plain class (no Streamlit; unit-tested).
- `loaders`: cached loaders keyed by the data build stamp (unit data, tables, layers, references,
  area mappings, attribution lines).
- `unit_map`: the map of every page (geometry sent once, recoloured in the browser, points on top,
  legend and sources under it); `maps`: where a folium map would go on a page (`show_map`, asset check).
- `widgets`: the no-data guard, CSV/XLSX downloads, Dutch errors from `UserFacingError`; `numbers`:
  number fields the Flemish way; `dutch`: Dutch texts for Streamlit's own widgets; `charts`: Vega-Lite
  charts (Altair) with nl-BE numbers.
- `counts`: the one sidebar choice of population year and deprivation indicator used by every page that
  shows counts (`choose_counts()`; the choice follows the user from page to page).
- `auth`: who is using the app (local user, or sign-in and workspace on a team server, the user's default
  workspace); `workspace_defaults`: the workspace's page defaults (editor level and band, partner distance).
- Per page: `editor_open`, `editor_tools`, `editor_workspace`, `division_check` (the 1G1P rules, "Ga
  naar"), `division_versions` (status, history, restore, comments) (Indelingen); `budget`, `budget_tabs`,
  `budget_sections`, `budget_settings` (named settings of the workspace) (Budgetverdeling); `compare`
  (Indelingen vergelijken); `reports` (dossier downloads, scorecard table, small maps) (Scorecard and
  Indelingen); `partners`, `partner_planning` (access and where to add partners) (Partners); `caseload`.

May import: `geo` (every package except `geo.cli`), streamlit, streamlit-folium, altair. Domain logic
stays in `geo`; nothing in `geo` imports `geo_app`.
"""
