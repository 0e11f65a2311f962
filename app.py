"""Gebiedsplanner 1G1P: entry point (`streamlit run app.py`)."""

import streamlit as st

from geo_app import auth, errors
from geo_app.dutch import dutch_ui

st.set_page_config(page_title="Gebiedsplanner 1G1P", page_icon="🗺️", layout="wide")
dutch_ui()  # Dutch for the texts Streamlit draws itself
auth.gate()  # local: the local user at once; team server: sign-in and choice of workspace

PAGES = {
    "Overzicht": [
        st.Page("views/home.py", title="Kaart en kerncijfers", icon=":material/map:", default=True),
    ],
    "Budget": [
        st.Page("views/budget.py", title="Budgetverdeling", icon=":material/euro:", url_path="budget")
    ],
    "Indelingen": [
        st.Page(
            "views/indelingen.py",
            title="Indelingen bewerken",
            icon=":material/edit_location_alt:",
            url_path="indelingen",
        ),
        st.Page(
            "views/vergelijken.py",
            title="Indelingen vergelijken",
            icon=":material/compare:",
            url_path="vergelijken",
        ),
        st.Page(
            "views/scorecard.py",
            title="Scorecard en dossier",
            icon=":material/leaderboard:",
            url_path="scorecard",
        ),
    ],
    "Partners en caseload": [
        st.Page(
            "views/partners.py", title="Partners en dekking", icon=":material/handshake:", url_path="partners"
        ),
        st.Page("views/caseload.py", title="Caseload", icon=":material/trending_up:", url_path="caseload"),
    ],
    "Info": [
        st.Page("views/bronnen.py", title="Bronnen en licenties", icon=":material/menu_book:"),
    ],
}

if auth.can("audit"):  # beheerders only (the page and the store check again)
    PAGES["Beheer"] = [
        st.Page(
            "views/beheer.py",
            title="Leden en auditlogboek",
            icon=":material/admin_panel_settings:",
            url_path="beheer",
        )
    ]

errors.run(st.navigation(PAGES))  # a failure on a page is a Dutch message, never a traceback
