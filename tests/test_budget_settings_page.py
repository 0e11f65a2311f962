"""Budget page with named settings (AppTest): saving and opening restores the same table, the workspace
default opens in a new session, a lezer only opens, and the command line computes the same table."""

from __future__ import annotations

import uuid
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from geo.cli.main import main
from geo.fmt import parse_number
from geo.settings import store as settings_store
from geo.store import audit
from geo.store.access import local_actor
from geo_app.text import md

PAGE = str(Path(__file__).resolve().parents[1] / "views" / "budget.py")
AMOUNT = "Bedrag (EUR)"


def area_table(at) -> pd.Series:
    frame = next(d.value for d in at.dataframe if AMOUNT in d.value.columns and "Gebied" in d.value.columns)
    return frame.set_index("Gebied")[AMOUNT]


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def choose_elz57_per_deprived_young_person(at) -> None:
    at.selectbox(key="budget_indeling").set_value("elz57").run()
    at.selectbox(key="cijfers_jaar").set_value(2019).run()
    at.selectbox(key="cijfers_indicator").set_value("kg_gemeente").run()
    at.radio(key="budget_vorm").set_value("per_kansarm").run()
    at.text_input(key="budget_gewicht_per_kansarm").set_value("3,5").run()
    at.text_input(key="budget_coord").set_value("4").run()
    at.text_input(key="budget_minimum_euro").set_value("€ 250.000").run()
    at.selectbox(key="budget_ontbrekend").set_value("mediaan_provincie").run()
    at.text_input(key="budget_brussel_eur").set_value("800.000").run()


def save_as(at, name: str) -> None:
    at.text_input(key="budget_inst_naam").input(name)
    button(at, "Opslaan").click().run()


def test_save_change_and_open_again_restores_the_table(tmp_path, capsys):
    name = f"Stuurgroep {uuid.uuid4().hex[:6]}"
    at = AppTest.from_file(PAGE, default_timeout=240).run()
    assert not at.exception
    choose_elz57_per_deprived_young_person(at)
    assert not at.exception and not at.error
    saved = area_table(at)
    assert len(saved) == 57
    save_as(at, name)
    assert not at.exception
    assert any(f"Instelling '{name}' bewaard" in s.value for s in at.success)

    # change almost everything, then open the setting again
    at.selectbox(key="budget_indeling").set_value("swv2021").run()
    at.radio(key="budget_vorm").set_value("relatief").run()
    at.text_input(key="budget_coord").set_value("0").run()
    at.selectbox(key="cijfers_jaar").set_value(2022).run()
    at.selectbox(key="cijfers_indicator").set_value("bimd").run()
    assert len(area_table(at)) == 16
    at.selectbox(key="budget_inst_keuze").set_value(name).run()
    button(at, "Openen").click().run()
    assert not at.exception
    assert any(f"Instelling '{name}' geopend" in s.value for s in at.success)
    assert any(f"De pagina toont instelling '{name}'" in c.value for c in at.caption)
    pd.testing.assert_series_equal(area_table(at), saved)
    assert parse_number(at.text_input(key="budget_gewicht_per_kansarm").value) == 3.5
    assert (at.selectbox(key="cijfers_jaar").value, at.selectbox(key="cijfers_indicator").value) == (
        2019,
        "kg_gemeente",
    )

    # a change is noticed
    at.text_input(key="budget_gewicht_per_kansarm").set_value("1").run()
    assert any(md(f"Gewijzigd sinds '{name}' geopend werd: gewicht") in c.value for c in at.caption)

    # the command line computes the same table from the saved setting
    out = tmp_path / "instelling.csv"
    assert main(["allocate", "--instelling", name, "--uit", str(out)]) == 0
    cli = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig").set_index("Gebied")[AMOUNT]
    pd.testing.assert_series_equal(cli.sort_index(), saved.sort_index(), check_dtype=False)

    # the save is in the audit trail
    trail = audit.read(local_actor())
    rows = trail[(trail["action"] == "instelling.wijzigen") & (trail["target"] == f"budget/{name}")]
    assert len(rows) == 1 and '"gewicht": 3.5' in rows["detail"].iloc[0]
    assert '"jaar": 2019' in rows["detail"].iloc[0] and '"indicator": "kg_gemeente"' in rows["detail"].iloc[0]


def test_the_workspace_default_opens_in_a_new_session_and_a_lezer_cannot_save():
    name = f"Standaard {uuid.uuid4().hex[:6]}"
    at = AppTest.from_file(PAGE, default_timeout=240).run()
    choose_elz57_per_deprived_young_person(at)
    expected = area_table(at)
    save_as(at, name)
    at.selectbox(key="budget_inst_keuze").set_value(name).run()
    button(at, "Standaard maken").click().run()
    assert not at.exception
    assert settings_store.default_formula(local_actor()) == name
    try:
        fresh = AppTest.from_file(PAGE, default_timeout=240)
        fresh.session_state["geo_actor"] = local_actor()
        fresh.session_state["geo_role"] = "lezer"  # what the page shows a lezer
        fresh.run()
        assert not fresh.exception
        assert fresh.selectbox(key="budget_indeling").value == "elz57"
        pd.testing.assert_series_equal(area_table(fresh), expected)
        assert not [b for b in fresh.button if b.label in ("Opslaan", "Standaard maken", "Verwijderen")]
        assert any("vanaf de rol planner" in c.value for c in fresh.caption)
    finally:
        settings_store.set_default_formula(local_actor(), None)


def test_a_setting_name_with_markup_is_shown_as_typed():
    name = f"**Vet** [klik](https://voorbeeld.be) {uuid.uuid4().hex[:6]}"
    at = AppTest.from_file(PAGE, default_timeout=240).run()
    save_as(at, name)
    assert not at.exception
    saved = next(s.value for s in at.success if "bewaard in deze werkruimte" in s.value)
    # every markdown character escaped: no bold text, no link
    assert r"\*\*Vet\*\* \[klik\]\(https\:" in saved and "**Vet**" not in saved
    shown = next(c.value for c in at.sidebar.caption if "De pagina toont instelling" in c.value)
    assert r"\*\*Vet\*\*" in shown
