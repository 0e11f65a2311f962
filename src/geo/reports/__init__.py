"""Reports: several divisions side by side (scorecard) and the decision dossier of one division (PDF).

- `tables`: a report table (frame, column specs of `geo.exports`, notes) and its cells written nl-BE.
- `figures`: the figures of one division the way its own page shows them (metrics with the budget of
  the chosen formula, the validity gate, partner coverage, caseload per FTE).
- `scorecard`: 2 to 5 divisions on the same figures, the best value per row marked, XLSX.
- `static_map`: the areas of a division as vector paths in EPSG:31370 metres, with a scale bar length.
- `dossier`: the content of a decision dossier (sections with sentences and tables) and its XLSX.
- `pdf`: the dossier as a PDF (reportlab; an embedded TrueType font, real searchable text).

May import every domain package (`geo.data`, `geo.divisions`, `geo.budget`, `geo.partners`,
`geo.caseload`, `geo.maps`, `geo.store`) and shared helpers; only `geo.cli` and the app import it.
"""
