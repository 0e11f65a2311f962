"""Gebiedsplanner 1G1P: entry point (`streamlit run app.py`)."""

import streamlit as st

st.set_page_config(page_title="Gebiedsplanner 1G1P", page_icon="🗺️", layout="wide")

PAGES = {
    "Overzicht": [
        st.Page("pages/home.py", title="Kaart en kerncijfers", icon="🗺️", default=True),
    ],
    "Budget": [st.Page("pages/budget.py", title="Budgetverdeling", icon="💶", url_path="budget")],
    "Indelingen": [
        st.Page("pages/indelingen.py", title="Indelingen bewerken", icon="🧩", url_path="indelingen"),
        st.Page("pages/vergelijken.py", title="Indelingen vergelijken", icon="⚖️", url_path="vergelijken"),
    ],
    "Partners en caseload": [
        st.Page("pages/partners.py", title="Partners en dekking", icon="🤝", url_path="partners"),
        st.Page("pages/caseload.py", title="Caseload", icon="📈", url_path="caseload"),
    ],
    "Info": [
        st.Page("pages/bronnen.py", title="Bronnen en licenties", icon="📚"),
    ],
}

st.navigation(PAGES).run()
