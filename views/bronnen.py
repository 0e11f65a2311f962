"""Bronnen en licenties: every dataset with vintage, licence and the attribution it requires, the years the
build holds, and what to know about the figures."""

from datetime import datetime

import pandas as pd
import streamlit as st

from geo import exports
from geo import fmt as nl
from geo.data import catalog, units
from geo.data.layers import PORT_RULE

st.title("Bronnen en licenties")
st.write(
    "De Gebiedsplanner gebruikt uitsluitend open data en gepubliceerde cijfers. Hieronder staat per "
    "bron de jaargang, de licentie en de bronvermelding die de licentie vraagt."
)

overview = pd.DataFrame(catalog.sources_overview())
st.dataframe(
    overview,
    hide_index=True,
    width="stretch",
    column_config={"Website": st.column_config.LinkColumn("Website")},
    key="bronnen_tabel",
)
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
    years = checks.get("jaren", [checks.get("bevolkingsjaar")])
    built = nl.local_time(datetime.fromisoformat(report["gebouwd"]).astimezone())  # written in local time
    st.write(
        f"Opgebouwd op {built}. Bevolking op 1 januari van "
        f"{', '.join(map(str, years))} (standaard {units.DEFAULT_YEAR}; kies het jaar in de zijbalk van "
        "elke pagina)."
    )
    totals = checks.get("statbel_totalen", {})
    if totals:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Jaar (1 januari)": str(year),
                        "België": nl.number(t["belgie"]),
                        "Vlaams Gewest": nl.number(t["vlaams_gewest"]),
                        "Vlaanderen en Brussel": nl.number(t["vlaanderen_brussel"]),
                    }
                    for year, t in totals.items()
                ]
            ),
            hide_index=True,
            key="bronnen_totalen",
        )
    rules = units.sector_rules(report)
    if not rules.empty:
        st.caption(
            "Van statistische sector naar wijk: inwoners per koppelregel en jaar. Per gemeente is de som van "
            "de sectoren gelijk aan het Statbel-totaal en de som van de wijken gelijk aan de gemeente."
        )
        st.dataframe(
            rules.style.format(nl.number, subset=[c for c in rules.columns if c not in ("Regel", "Uitleg")]),
            hide_index=True,
            key="bronnen_sectorregels",
        )
    counts = pd.DataFrame(
        [
            {"Niveau": units.LEVELS[k].plural, "Aantal eenheden": nl.number(v)}
            for k, v in report["aantallen"].items()
        ]
    )
    st.dataframe(counts, hide_index=True)
else:
    st.warning(units.NOT_BUILT)

st.subheader("Wat u moet weten over de cijfers")
st.markdown(
    f"""
- **Bevolking per leeftijd** (Statbel, TF_SOC_POP_STRUCT) voor 1 januari 2015 en 2019 tot en met 2022,
  per leeftijdsjaar en gemeente; omgezet naar de gemeenten van 2025 (en bewaard op de 319 gemeenten van
  2019-2024). Per gemeente zijn inwoners en leeftijdsgroepen exact. Vaccinnet geeft een bevolking van ca.
  2021 in leeftijdsklassen (0-17, 18-29), alleen voor Vlaamse gemeenten.
- **Wijken, districten en de Antwerpse deelzones**: de inwoners komen uit de bevolking per statistische
  sector van hetzelfde jaar (Statbel, 2019-2022), gekoppeld aan de sectoren van de wijkindeling; de
  leeftijdsgroepen zijn een **schatting** (sectorbevolking × leeftijdsverdeling van de gemeente). Voor 2015
  bestaat geen sectortabel: de verdeling van 2019 wordt herschaald naar 2015.
- **Kansarmoede-index** (Kind & Gezin): het aandeel geboorten in een kansarm gezin, per gemeente (ca.
  2022-2023). Voor Brussel en voor Bever, Herstappe en Horebeke ontbreekt de index. Voor een groep
  gemeenten wordt de index berekend uit aantallen (jongeren × index), nooit als gemiddelde.
- **Kleinschalige schatting** (standaard): per gemeente blijft het aantal kansarme jongeren van Kind &
  Gezin; binnen de gemeente wordt het verdeeld over de statistische sectoren met de BIMD 2011. Een
  **schatting**, onafhankelijk getoetst aan de postcodecijfers van Antwerpen (Tabel 8 van de studie).
- **BIMD 2011** (Belgian Index of Multiple Deprivation, Sciensano): achterstelling per statistische sector
  van 2011 (inkomen, werk, opleiding, huisvesting, criminaliteit, gezondheid), deciel 1 = meest
  achtergesteld. Als indicator: het aandeel jongeren in een sector van deciel 1-2. Bron: Otavova M. e.a.
  (2023), *Measuring small-area level deprivation in Belgium: the Belgian Index of Multiple Deprivation*,
  Spatial and Spatio-temporal Epidemiology 45, 100587,
  [doi:10.1016/j.sste.2023.100587](https://doi.org/10.1016/j.sste.2023.100587).
- **Eerstelijnszones**: 57 gepubliceerde zones; "Antwerpen en rand" wordt gesplitst in Antwerpen Centrum,
  Oost, Zuid en Noord. {PORT_RULE} De vergelijking met de budgetten 2021 gebruikt de gemeenten van
  2019-2024 met de zones van toen.
- **Samenstelling van de samenwerkingsverbanden 2021** is een reconstructie: niet elke toewijzing is
  publiek gedocumenteerd (zie de kolom 'evidence' in de tabel).
"""
)
