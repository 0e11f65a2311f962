"""Bronnen en licenties: every dataset with vintage, licence and the attribution it requires."""

import pandas as pd
import streamlit as st

from geo import exports
from geo.data import catalog, units
from geo.data.layers import PORT_RULE

st.title("Bronnen en licenties")
st.write(
    "De Gebiedsplanner gebruikt uitsluitend open data en gepubliceerde cijfers. Hieronder staat per "
    "bron de jaargang, de licentie en de bronvermelding die de licentie vraagt."
)

overview = pd.DataFrame(catalog.sources_overview())
st.dataframe(overview, hide_index=True, width="stretch")
st.download_button(
    "Download bronnenlijst (CSV)",
    exports.csv_bytes(overview),
    file_name=exports.file_name("bronnen_gebiedsplanner", ext="csv"),
    mime="text/csv",
)

st.subheader("Stand van de gegevens")
if units.is_built():
    report = units.build_report()
    checks = report["controles"]
    st.write(
        f"Opgebouwd op {report['gebouwd'].replace('T', ' om ')}. Bevolking naar leeftijd: Statbel, "
        f"1 januari {checks['bevolkingsjaar']}."
    )
    counts = pd.DataFrame(
        [{"Niveau": units.LEVELS[k].plural, "Aantal eenheden": v} for k, v in report["aantallen"].items()]
    )
    st.dataframe(counts, hide_index=True)
else:
    st.warning(units.NOT_BUILT)

st.subheader("Wat u moet weten over de cijfers")
st.markdown(
    f"""
- **Bevolking per leeftijd** komt uit de Statbel-tabel van 1 januari 2015 (de enige tabel per
  leeftijdsjaar in de spiegel), omgezet naar de gemeenten van 2025 via de statistische sectoren; geen
  inwoner gaat daarbij verloren. Vaccinnet geeft een recentere bevolking (ca. 2021) in leeftijdsklassen
  (0-17, 18-29), alleen voor Vlaamse gemeenten.
- **Kansarmoede-index** (Kind & Gezin): het aandeel geboorten in een kansarm gezin. Voor Brussel en voor
  Bever, Herstappe en Horebeke ontbreekt de index; die gemeenten worden gemarkeerd, niet ingevuld.
  Voor een groep gemeenten wordt de index berekend uit aantallen (jongeren × index), nooit als gemiddelde.
- **Wijken**: er bestaan geen open bevolkingscijfers per wijk. De cijfers per wijk zijn een schatting:
  de gemeentecijfers verdeeld naar het aantal statistische sectoren in de wijk.
- **Eerstelijnszones**: 57 gepubliceerde zones; "Antwerpen en rand" wordt gesplitst in Antwerpen Centrum,
  Oost, Zuid en Noord. {PORT_RULE}
- **Samenstelling van de samenwerkingsverbanden 2021** is een reconstructie: niet elke toewijzing is
  publiek gedocumenteerd (zie de kolom 'evidence' in de tabel).
"""
)
