"""Streamlit pieces shared by the pages in `views/`: session state, cached loaders, maps, widgets, forms.

- `editor_state`: the division editor's state as a plain class (no Streamlit; unit-tested).
- `session`: the one accessor per object kept in `st.session_state` (e.g. the editor).
- `loaders`: cached loaders keyed by the data build stamp (unit data, tables, layers, references).
- `maps`: the one place a folium map goes on a page (`show_map`, clicks, outlines, asset check).
- `widgets`: the no-data guard, CSV/XLSX downloads, Dutch errors from `UserFacingError`.
- `editor_open`, `editor_tools`: the division editor's panels (open/new/import; areas, suggestions, save).
- `budget`, `budget_sections`, `charts`: the budget page's sidebar, downloads and sections (need against the
  equal split, transition path, FTE per area in the editor) and the plotly figures of the pages.

May import: `geo` (every package except `geo.cli`), streamlit, streamlit-folium, plotly. Domain logic
stays in `geo`; nothing in `geo` imports `geo_app`.
"""
