"""Budget page wiring (AppTest): the 2021 total, best-weight button, a setting without a map, lazy tabs."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
from streamlit.testing.v1 import AppTest

from geo import fmt as nl
from geo.data import facts, units
from geo.fmt import parse_number
from geo_app.text import md

PAGE = str(Path(__file__).resolve().parents[1] / "views" / "budget.py")


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def weight_lines(at) -> dict[str, float]:
    """Text -> weight of the vertical marker lines in the page's Vega-Lite charts (data sent as Arrow)."""
    lines: dict[str, float] = {}
    for chart in at.get("vega_lite_chart"):
        for dataset in chart.proto.datasets:
            table = pa.ipc.open_stream(dataset.data.data).read_all().to_pandas()
            if list(table.columns) == ["gewicht", "tekst"]:
                lines.update(zip(table["tekst"], table["gewicht"], strict=True))
    return lines


def open_tab(at, label: str):
    """Open a tab of the page (what a click on it does: the tab's label in the session, then a rerun)."""
    at.session_state["budget_tab"] = label
    return at.run()


def euros(text: str) -> int:
    return int(text.replace("€", "").replace(".", "").strip())


def test_total_best_weight_and_postcodes_without_map():
    at = AppTest.from_file(PAGE, default_timeout=180).run()
    assert not at.exception
    assert metrics(at)["Totaal budget"] == nl.euro(facts.BUDGET_TOTAL_2021)
    rmse_default = euros(metrics(at)["Afwijking t.o.v. 2021 (RMSE)"])
    hint = next(c.value for c in at.sidebar.caption if c.value.startswith("Best passend"))

    at.button(key="budget_kalibreer").click().run()
    assert not at.exception
    weight = parse_number(at.text_input(key="budget_gewicht_relatief").value)  # typed the Flemish way
    assert f"gewicht {nl.number(weight, 3)}," in hint  # the button takes over the weight it names
    assert euros(metrics(at)["Afwijking t.o.v. 2021 (RMSE)"]) <= rmse_default
    # the charts mark the chosen weight, now the best one, with its Dutch label
    open_tab(at, "Vergelijking 2021")
    assert not at.exception
    marks = weight_lines(at)
    assert round(marks["huidige keuze"], 3) == round(weight, 3)
    assert round(marks[f"best: {nl.number(weight, 3)}"], 3) == round(weight, 3)

    at.selectbox(key="budget_indeling").set_value("wcp").run()
    assert not at.exception
    assert any("geen gepubliceerde budgetten van 2021" in i.value for i in at.info)
    open_tab(at, "Verdeling")
    assert any("geen kaart" in i.value for i in at.info)
    assert "Afwijking t.o.v. 2021 (RMSE)" not in metrics(at)  # nothing published per postcode area
    open_tab(at, "Per eenheid")
    assert "Tabel per postcode" in [s.value for s in at.subheader]
    assert len(dataframes_with(at, "Postcode")) == 1


def dataframes_with(at, column: str):
    return [d.value for d in at.dataframe if column in d.value.columns]


def test_staff_by_need_for_the_seven_wcps():
    at = AppTest.from_file(PAGE, default_timeout=180).run()
    at.selectbox(key="budget_indeling").set_value("wcp").run()
    at.radio(key="budget_middel").set_value("vte").run()
    assert not at.exception
    assert metrics(at)["Totaal"] == "2,8 VTE"  # 7 WCPs x 0,4 VTE, today's 2 x 0,2
    text = " ".join(m.value for m in at.markdown)
    assert "Gelijk verdeeld krijgt elk van de 7 gebieden 0,4 VTE (samen 2,8 VTE)" in text
    assert "Meeste erbij: Zuidrand (Hoboken/Kiel/Wilrijk)" in text
    table = dataframes_with(at, "Volgens behoefte (VTE)")[0].set_index("Gebied")
    assert round(table["Volgens behoefte (VTE)"].sum(), 9) == 2.8
    assert table.loc["Zuidrand (Hoboken/Kiel/Wilrijk)", "Volgens behoefte (VTE)"] > 0.4
    assert table.loc["Antwerpen 2060", "Volgens behoefte (VTE)"] < 0.4
    assert not any("RMSE" in k for k in metrics(at))
    # A minimum of 0,3 VTE per WCP is a floor like any other.
    at.text_input(key="budget_minimum_vte").set_value("0,3").run()
    assert not at.exception
    table = dataframes_with(at, "Volgens behoefte (VTE)")[0]
    assert table["Volgens behoefte (VTE)"].min() == 0.3
    # A total that is no multiple of the step is refused with a Dutch message, nothing shown half.
    at.text_input(key="budget_totaal_wcp_vte").set_value("2,85").run()
    assert any(md("geen veelvoud van de stap (0,1 VTE)") in e.value for e in at.error)


def test_transition_path_from_the_2021_budgets():
    at = AppTest.from_file(PAGE, default_timeout=180).run()
    open_tab(at, "Overgangspad")
    assert any("Nog geen overgangspad" in i.value for i in at.info)  # the empty tab says where to ask
    at.checkbox(key="budget_overgang").check().run()
    assert not at.exception
    table = dataframes_with(at, "Start 2021 (EUR)")[0].set_index("Gebied")
    years = [c for c in table.columns if c.startswith("Jaar")]
    assert len(years) == 4
    assert table.loc["Totaal", ["Start 2021 (EUR)", *years]].tolist() == [facts.BUDGET_TOTAL_2021] * 5
    assert table.loc["Groot Antwerpen", "Start 2021 (EUR)"] == 2_837_590
    body = table.drop(index="Totaal")
    for before, after in zip(["Start 2021 (EUR)", *years], years, strict=False):
        assert ((body[after] - body[before]).abs() <= body[before] * 0.05 + 1e-6).all()
    # One year at 1 % is too short: the page says so and how long it would take.
    at.text_input(key="budget_jaren").set_value("1").run()
    at.text_input(key="budget_daling").set_value("1 %").run()
    at.text_input(key="budget_stijging").set_value("1,0").run()
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "Binnen 1 jaar lukt het niet" in warnings
    assert "Met dezelfde grenzen zijn" in " ".join(m.value for m in at.markdown)


def test_both_calibration_objectives_side_by_side():
    """Least euro error and least relative error, each explained, with its weight and a button for it."""
    from geo.budget import calibration as cal

    at = AppTest.from_file(PAGE, default_timeout=180)
    at.session_state["budget_tab"] = "Vergelijking 2021"
    at.run()
    assert not at.exception
    texts = [m.value for m in at.markdown]
    captions = [c.value for c in at.caption]
    for label, explanation in cal.OBJECTIVES.values():
        assert any(label in t for t in texts)
        assert explanation in captions
    assert any("Twee kalibratiedoelen naast elkaar" in t and "1 januari 2020" in t for t in texts)
    at.button(key="budget_kalibreer_relatief").click().run()
    relative = parse_number(at.text_input(key="budget_gewicht_relatief").value)
    at.button(key="budget_kalibreer_eur").click().run()
    euro = parse_number(at.text_input(key="budget_gewicht_relatief").value)
    assert relative != euro  # two objectives, two different best weights
    shown = [t for t in [m.value for m in at.markdown] if t.startswith("Gewicht **")]
    assert any(f"Gewicht **{nl.number(relative, 3)}**" in t for t in shown)
    assert any(f"Gewicht **{nl.number(euro, 3)}**" in t for t in shown)


def test_budget_tables_state_the_population_year():
    at = AppTest.from_file(PAGE, default_timeout=180).run()
    assert not at.exception
    assert dataframes_with(at, "Aantal 0-24-jarigen (2020)")  # the 2021 SWVs: population of 2020
    assert dataframes_with(at, "Kansarme 0-24-jarigen (2020, schatting)")
    assert dataframes_with(at, "Kansarmoede-index K&G per gemeente (%)")  # the indicator, by name
    at.selectbox(key="budget_indeling").set_value("elz57").run()
    assert dataframes_with(at, f"Aantal 0-24-jarigen ({units.DEFAULT_YEAR})")


def test_only_the_open_tab_runs_and_a_link_opens_a_tab():
    """The first tab draws the key figures, the map and the table but no chart; a link with
    ``?budget_tab=…`` opens another tab, which draws its charts and nothing of the first tab."""
    at = AppTest.from_file(PAGE, default_timeout=180).run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 0
    headers = [s.value for s in at.subheader]
    assert "Bedrag per 0-24-jarige" in headers and "Bedrag per gebied" in headers  # the map and the table
    assert {b.label for b in at.get("download_button")} >= {"Download XLSX", "Download CSV per gebied"}
    assert "Zo werkt deze verdeling" not in headers

    linked = AppTest.from_file(PAGE, default_timeout=180)
    linked.query_params["budget_tab"] = "Correctie en gevoeligheid"
    linked.run()
    assert not linked.exception
    assert linked.session_state["budget_tab"] == "Correctie en gevoeligheid"
    assert len(linked.get("vega_lite_chart")) == 2  # what the correction shifts, and the sensitivity
    headers = [s.value for s in linked.subheader]
    assert "Wat verschuift de correctie?" in headers and "Bedrag per gebied" not in headers
    assert not linked.metric  # the key figures belong to the first tab

    # without a correction the tab says why it is empty and where to choose one
    linked.radio(key="budget_vorm").set_value("geen").run()
    assert not linked.exception and len(linked.get("vega_lite_chart")) == 0
    assert any("geen correctie voor kansarmoede gekozen" in i.value for i in linked.info)


def test_a_choice_in_a_tab_survives_switching_tabs():
    at = AppTest.from_file(PAGE, default_timeout=180).run()
    at.selectbox(key="budget_indeling").set_value("elz57").run()
    at.radio(key="budget_kaart_kleur").set_value("gemeente").run()
    open_tab(at, "Toelichting")
    example = at.selectbox(key="budget_voorbeeld_elz57")
    other = example.options[-1]
    assert other != example.value
    example.set_value(other).run()
    assert other in " ".join(m.value for m in at.markdown)
    open_tab(at, "Verdeling")
    assert not at.exception
    assert at.radio(key="budget_kaart_kleur").value == "gemeente"
    open_tab(at, "Toelichting")
    assert at.selectbox(key="budget_voorbeeld_elz57").value == other
