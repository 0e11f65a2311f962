"""Decision dossier: the PDF's text holds every area and the totals of the XLSX exports; user text is
printed as written and never exported as a formula; the CLI writes a PDF."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from geo import exports
from geo import fmt as nl
from geo.budget.per_unit import unit_budget
from geo.cli.main import main
from geo.divisions import io as division_io
from geo.divisions import store
from geo.divisions.division import Division
from geo.divisions.metrics import AreaMetrics, UnitData
from geo.divisions.references import reference_division
from geo.exports import Col
from geo.reports import dossier, pdf, tables


def pdf_text(data: bytes) -> str:
    """All text of a PDF with every whitespace removed (table cells may wrap anywhere)."""
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def sheet_rows(data: bytes, sheet: str) -> list[dict]:
    ws = load_workbook(io.BytesIO(data))[sheet]
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, r, strict=False)) for r in rows[1:] if any(v is not None for v in r)]


@pytest.fixture(scope="module")
def swv():
    division = reference_division("swv2021_gemeente")
    built = dossier.build(
        division, dossier.DossierOptions(fte=True, transition_years=4, transition_start="2021")
    )
    return division, built, pdf.render(built), dossier.xlsx_bytes(built)


def test_pdf_has_every_area_and_the_xlsx_totals(swv):
    division, built, data, xlsx = swv
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    for area in division.areas:
        assert squeeze(area) in text, area
    metrics = sheet_rows(xlsx, "Cijfers per gebied")
    total = metrics[-1]
    assert total["Gebied"] == "Totaal"
    assert len(metrics) == len(division.areas) + 1
    for header in ("Inwoners (2022)", "Jongeren 0-24 (2022)", "Kansarme jongeren (2022, geschat)"):
        assert sum(r[header] for r in metrics[:-1]) == total[header]
        assert squeeze(nl.number(total[header])) in text, header
    assert total["Budget (€)"] == 23_999_998  # the 2021 total, exact to the euro
    assert squeeze(nl.euro(total["Budget (€)"])) in text
    budget = sheet_rows(xlsx, "Budget per gebied")
    assert budget[-1]["Budget (€)"] == total["Budget (€)"]
    assert {r["Gebied"]: r["Budget (€)"] for r in budget[:-1]} == {
        r["Gebied"]: r["Budget (€)"] for r in metrics[:-1]
    }
    path = sheet_rows(xlsx, "Overgang per jaar")
    assert path[-1]["Gebied"] == "Totaal"
    for header, value in path[-1].items():
        if header != "Gebied" and value:
            assert squeeze(nl.number(value)) in text, header


def test_dossier_totals_match_the_editor_export(swv):
    """The figures per area are the editor's: its XLSX (Indelingen page) has the same sums."""
    division, built, data, xlsx = swv
    data_page = UnitData.load("gemeente").with_counts(budget_eur=unit_budget("gemeente"))
    page_table = AreaMetrics(data_page, division).table()
    editor = sheet_rows(division_io.to_xlsx_bytes(division, metrics=page_table), "gebieden")
    mine = {r["Gebied"]: r for r in sheet_rows(xlsx, "Cijfers per gebied")}
    for row in editor:
        assert mine[row["Gebied"]]["Budget (€)"] == row["Budget (€)"]
        assert mine[row["Gebied"]]["Inwoners (2022)"] == row["Inwoners (aantal)"]
    assert mine["Totaal"]["Budget (€)"] == sum(r["Budget (€)"] for r in editor)


def test_dossier_parts_and_sources(swv):
    division, built, data, xlsx = swv
    titles = [p.title for p in built.parts]
    assert titles[0] == "Kaart van de gebieden" and built.parts[0].map is not None
    assert "Controle op de 1G1P-regels" in titles
    assert "Overgangspad naar de formule" in titles
    assert any(t.startswith("Personeel (VTE)") for t in titles)
    assert "Vergelijking met een referentie-indeling" in titles
    text = pdf_text(data)
    for words in ("Statbel", "Modellicentie Gratis Hergebruik", "Kind & Gezin", "50 km", "EPSG:31370"):
        assert squeeze(words) in text, words
    assert squeeze("0,20") in text  # the weight a, written nl-BE


def test_map_scale_bar_is_round_and_fits():
    from geo.reports.static_map import round_length, scale_text

    assert round_length(63_000) == 50_000
    assert round_length(1_900) == 1_000
    assert round_length(2_400) == 2_000
    assert scale_text(5_000) == "5 km" and scale_text(500) == "500 m" and scale_text(2_500) == "2,5 km"


def test_hostile_area_names_are_printed_as_text_and_not_formulas():
    hostile = ["<img src=x onerror=alert(1)>", '=HYPERLINK("http://x.invalid","klik")', "Ré & Zoë €"]
    division = Division.from_mapping(
        "Proef <b>vet</b>",
        "gemeente",
        ["11002", "11040", "11044", "11052"],
        {"11002": hostile[0], "11040": hostile[1], "11044": hostile[2], "11052": hostile[2]},
    )
    built = dossier.build(division)
    text = pdf_text(pdf.render(built))
    for name in hostile:
        assert squeeze(name) in text, name
    assert squeeze("Proef <b>vet</b>") in text
    wb = load_workbook(io.BytesIO(dossier.xlsx_bytes(built)))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    formula_like = [c for c in cells if c.value.startswith("=")]
    assert formula_like, "the hostile name is in the workbook"
    assert all(c.data_type == "s" for c in formula_like)


def test_stored_division_shows_status_and_version(stored_divisions):
    stored_divisions.append("Dossier proef")
    division = Division.from_mapping(
        "Dossier proef", "gemeente", ["11002", "11040", "11044", "11052"],
        {"11002": "Stad", "11040": "Rand", "11044": "Rand", "11052": "Rand"},
    )  # fmt: skip
    saved = store.save_new(division, who="Analist")
    saved = store.save(saved.move(["11044"], "Stad"), who="Analist")
    store.set_status(saved.meta.db_id, "voorstel", who="Analist")
    opened = store.open_division(saved.meta.db_id)
    built = dossier.build(opened)
    facts = dict(built.facts)
    assert facts["Status"].startswith("Voorstel")
    assert facts["Versie"] == str(opened.meta.version)
    text = pdf_text(pdf.render(built))
    assert squeeze("Voorstel") in text


def test_postcode_division_has_no_map_but_a_dossier():
    division = reference_division("wcp_postcode")
    built = dossier.build(division)
    assert built.parts[0].map is None
    text = pdf_text(pdf.render(built))
    for area in division.areas:
        assert squeeze(area) in text
    budget = sheet_rows(dossier.xlsx_bytes(built), "Budget per gebied")
    assert budget[-1]["Budget (€)"] == 2_837_590  # the 2021 budget of Groot Antwerpen


def test_cli_dossier_writes_a_pdf(tmp_path, capsys):
    out, xlsx = tmp_path / "dossier.pdf", tmp_path / "dossier.xlsx"
    code = main(["division", "dossier", "ref:wcp_wijk", "--uit", str(out), "--xlsx", str(xlsx), "--vte"])
    assert code == 0
    assert "Dossier van" in capsys.readouterr().out
    reader = PdfReader(str(out))
    assert len(reader.pages) >= 2
    text = pdf_text(out.read_bytes())
    for area in reference_division("wcp_wijk").areas:
        assert squeeze(area) in text
    assert xlsx.read_bytes()[:2] == b"PK"


def test_cli_dossier_refuses_a_wrong_file_name(tmp_path, capsys):
    code = main(["division", "dossier", "ref:wcp_postcode", "--uit", str(tmp_path / "d.docx")])
    assert code == 2
    err = capsys.readouterr().err
    assert "PDF" in err and "Traceback" not in err
    assert not (tmp_path / "d.docx").exists()


def test_budget_per_area_adds_up_to_the_division_share():
    division = reference_division("wcp_wijk")
    built = dossier.build(division)
    rows = sheet_rows(dossier.xlsx_bytes(built), "Budget per gebied")
    amounts = np.array([r["Budget (€)"] for r in rows[:-1]])
    assert (amounts == np.round(amounts)).all()
    assert amounts.sum() == rows[-1]["Budget (€)"]
    per_unit = unit_budget("wijk")
    assert amounts.sum() == int(round(per_unit.reindex(list(division.assignment)).sum()))


def test_caseload_on_another_level_is_left_out_with_a_reason():
    from geo.caseload.example import example_caseload
    from geo.data import units as unit_tables

    table = unit_tables.load_table("gemeente")
    cases = example_caseload(table[table["code"].isin(["11002", "11040", "11044", "11052"])], {}, seed=1)
    built = dossier.build(
        reference_division("wcp_wijk"), dossier.DossierOptions(cases=cases, cases_level="gemeente")
    )
    part = next(p for p in built.parts if p.title == "Caseload")
    assert not part.tables and "niet getoond" in part.paragraphs[0]


def test_partners_and_caseload_when_loaded():
    import pandas as pd

    from geo.caseload.example import example_caseload
    from geo.data import units as unit_tables

    four = ["11002", "11040", "11044", "11052"]
    division = Division.from_mapping(
        "Met partners", "gemeente", four, {"11002": "Stad", "11040": "Rand", "11044": "Rand", "11052": "Rand"}
    )
    table = unit_tables.load_table("gemeente").set_index("code")
    cases = example_caseload(table.loc[four].reset_index(), dict(division.assignment), seed=3)
    partners = pd.DataFrame({"x": [table.loc["11002", "x"]], "y": [table.loc["11002", "y"]], "type": ["CLB"]})
    options = dossier.DossierOptions(
        partners=partners, cases=cases, cases_level="gemeente", capacity={"Stad": 2.0, "Rand": 1.0}
    )
    built = dossier.build(division, options)
    titles = [p.title for p in built.parts]
    assert "Dekking door partners" in titles and "Caseload" in titles
    xlsx = dossier.xlsx_bytes(built)
    caseload = {r["Gebied"]: r for r in sheet_rows(xlsx, "Caseload")}
    handled = cases.assign(gebied=cases["eenheid"].map(dict(division.assignment)))
    for area in division.areas:
        expected = int(handled.loc[handled["gebied"] == area, "aanmeldingen"].sum())
        assert caseload[area]["Aanmeldingen"] == expected
    coverage = sheet_rows(xlsx, "Dekking partners")
    total = next(r for r in coverage if r["Gebied"] == "Totaal" and r["Type partner"] == "alle partners")
    assert total["Partners in het gebied"] == 1
    assert total["Binnen bereik"] <= total["Jongeren 0-24 (2022)"]  # the counts say their year
    text = pdf_text(pdf.render(built))
    assert squeeze("Dekking door partners") in text and squeeze(nl.number(expected)) in text


def test_target_band_of_the_rules_appears_in_the_figures():
    from geo.divisions.validity import GateSettings

    division = reference_division("swv2021_gemeente")
    settings = GateSettings("swv", band_low=200_000, band_high=250_000)
    built = dossier.build(division, dossier.DossierOptions(settings=settings))
    rows = sheet_rows(dossier.xlsx_bytes(built), "Cijfers per gebied")[:-1]
    for row in rows:
        expected = (
            "onder"
            if row["Inwoners (2022)"] < 200_000
            else ("boven" if row["Inwoners (2022)"] > 250_000 else "binnen")
        )
        assert row["Doelband"] == expected
    breaches = sheet_rows(dossier.xlsx_bytes(built), "Controle")
    assert any(r["Regel"] == "Binnen de doelband" and r["Ernst"] == "Fout" for r in breaches)


def test_reference_is_another_division_than_the_dossier_itself():
    assert dossier.default_reference(reference_division("wcp_wijk")) == "elz60_wijk"
    assert dossier.default_reference(reference_division("swv2021_gemeente")) == "elz57_gemeente"
    assert dossier.default_reference(reference_division("elz57_gemeente")) == "swv2021_gemeente"
    assert dossier.default_reference(reference_division("wcp_postcode")) is None


def test_fte_table_counts_are_whole_and_add_up():
    built = dossier.build(reference_division("wcp_wijk"), dossier.DossierOptions(fte=True))
    rows = sheet_rows(dossier.xlsx_bytes(built), "Gelijk of volgens behoefte")
    header = "Aantal 0-24-jarigen (2022, geschat)"  # per wijk the ages are estimates
    young = [r[header] for r in rows if r["Gebied"] != "Totaal"]
    assert all(float(v).is_integer() for v in young)
    budget = sheet_rows(dossier.xlsx_bytes(built), "Budget per gebied")
    assert sum(young) == budget[-1][header] == rows[-1][header]


def test_population_year_and_indicator_follow_the_choice():
    division = reference_division("swv2021_gemeente")
    built = dossier.build(division, dossier.DossierOptions(year=2019, indicator="bimd"))
    facts = dict(built.facts)
    assert facts["Bevolkingsjaar"] == "1 januari 2019"
    assert "BIMD" in facts["Kansarmoede-indicator"]
    page = UnitData.load("gemeente", 2019, "bimd").with_counts(
        budget_eur=unit_budget("gemeente", year=2019, indicator="bimd")
    )
    expected = AreaMetrics(page, division).table().set_index("gebied")
    mine = {r["Gebied"]: r for r in sheet_rows(dossier.xlsx_bytes(built), "Cijfers per gebied")}
    for area in division.areas:
        assert mine[area]["Inwoners (2019)"] == expected.loc[area, "inwoners"]
        assert mine[area]["Budget (€)"] == expected.loc[area, "budget_eur"]
    latest = {
        r["Gebied"]: r for r in sheet_rows(dossier.xlsx_bytes(dossier.build(division)), "Cijfers per gebied")
    }
    assert mine["Totaal"]["Inwoners (2019)"] != latest["Totaal"]["Inwoners (2022)"]
    assert squeeze("1 januari 2019") in pdf_text(pdf.render(built))


def test_swv_dossier_sets_the_budget_beside_the_published_2021_amounts(swv):
    from geo.data import facts

    division, built, data, xlsx = swv
    rows = sheet_rows(xlsx, "Budget per gebied")
    published = facts.swv_budgets_2021().set_index("swv")["budget_eur"]
    for row in rows[:-1]:
        assert row["Gepubliceerd 2021 (€)"] == published[row["Gebied"]]
        assert row["Verschil met 2021 (€)"] == row["Budget (€)"] - row["Gepubliceerd 2021 (€)"]
    assert rows[-1]["Gepubliceerd 2021 (€)"] == published.sum() == 23_999_998
    assert squeeze(nl.euro(23_999_998)) in pdf_text(data)


def test_formula_and_parameters_are_written_in_words_without_stand_ins(swv):
    """The font lacks the combining bar of p̄: the PDF writes p_gem, never a `?`; the indicator row names
    the index, not a column name."""
    _division, _built, data, xlsx = swv
    text = pdf_text(data)
    assert "p/p_gem-1" in text and "p?" not in text
    assert "kansarmoede_pct" not in text
    params = {r["Parameter"]: r["Waarde"] for r in sheet_rows(xlsx, "Parameters van de formule")}
    assert params["Indicator"] == "Kansarmoede-index (%) van de gekozen indicator"


def test_fte_table_has_a_total_row_that_adds_up(swv):
    _division, built, data, xlsx = swv
    rows = sheet_rows(xlsx, "Gelijk of volgens behoefte")
    total, areas = rows[-1], rows[:-1]
    assert total["Gebied"] == "Totaal"
    for header in ("Aantal 0-24-jarigen (2022)", "Kansarme 0-24-jarigen (2022, schatting)"):
        assert sum(r[header] for r in areas) == total[header]
    assert total["Gelijk (VTE)"] == pytest.approx(sum(r["Gelijk (VTE)"] for r in areas))
    assert total["Volgens behoefte (VTE)"] == pytest.approx(total["Gelijk (VTE)"])  # same total, other split
    assert total["Verschil (VTE)"] == 0 and str(total["Verschil (VTE)"]) == "0"  # not -1e-16 (shown -0,0)
    load = total["0-24-jarigen per VTE, gelijk"]
    assert load == pytest.approx(total["Aantal 0-24-jarigen (2022)"] / total["Gelijk (VTE)"])
    assert squeeze(nl.number(total["Aantal 0-24-jarigen (2022)"])) in pdf_text(data)


def test_fte_part_says_which_units_got_a_filled_in_index(swv):
    """Brussels has no K&G index: in the FTE part it takes the mean of all municipalities, and says so."""
    _division, built, _data, _xlsx = swv
    part = next(p for p in built.parts if p.title.startswith("Personeel"))
    text = " ".join(part.paragraphs)
    assert "ontbreekt de kansarmoede-index" in text
    assert "van de eerstelijnszone (3) of, waar die er geen heeft, van alle gemeenten (19)" in text


def test_budget_part_explains_why_its_deprived_count_differs_from_the_figures(swv):
    """The formula fills in the index of 3 municipalities; the figures per area leave them out. The
    dossier says by how much the two totals differ, and that number is the real difference."""
    _division, built, data, xlsx = swv
    metrics = sheet_rows(xlsx, "Cijfers per gebied")[-1]["Kansarme jongeren (2022, geschat)"]
    budget = sheet_rows(xlsx, "Budget per gebied")[-1]["Kansarme 0-24-jarigen (2022, schatting)"]
    assert budget > metrics
    sentence = f"Daardoor telt deze tabel {nl.number(budget - metrics)} kansarme jongeren meer"
    assert squeeze(sentence) in pdf_text(data)


def test_transition_has_a_small_chart_per_area_with_the_table_amounts(swv):
    _division, built, data, xlsx = swv
    part = next(p for p in built.parts if p.title.startswith("Overgangspad"))
    chart = part.chart
    table = {r["Gebied"]: r for r in sheet_rows(xlsx, "Overgang per jaar") if r["Gebied"] != "Totaal"}
    assert chart is not None and sorted(chart.areas) == sorted(table)
    for area, values, target in zip(chart.areas, chart.amounts, chart.targets, strict=True):
        row = list(table[area].values())
        assert values == [float(v) for v in row[1 : 1 + len(values)]]  # start, year 1..N
        assert target == float(table[area]["Formule (EUR)"])
    text = pdf_text(data)
    assert "Overgangpergebied" in text
    first = chart.areas[0]
    assert squeeze(nl.euro(chart.amounts[0][0])) in text and squeeze(first[:12]) in text


def test_dossier_of_the_swv_on_zones_says_zero_zone_splits():
    built = dossier.build(reference_division("swv2021_elz57"), dossier.DossierOptions(reference=""))
    part = next(p for p in built.parts if p.title.startswith("Controle"))
    assert "Gesplitst over meer dan één gebied: 0 eerstelijnszones (de eenheden zijn hele zones)." in (
        part.paragraphs
    )


@pytest.mark.parametrize("key", ["wcp_postcode", "swv2021_gemeente2024"])
def test_partners_that_cannot_be_counted_on_the_level_are_left_out_with_a_reason(key):
    """Coverage counts young people per municipality: on Antwerp postcodes or the municipalities of
    2019-2024 it cannot, so the dossier goes on without it and says why (it used to refuse the dossier)."""
    from geo.partners.io import load_osm_example

    built = dossier.build(reference_division(key), dossier.DossierOptions(partners=load_osm_example()))
    part = next(p for p in built.parts if p.title == "Dekking door partners")
    assert not part.tables and "niet getoond" in part.paragraphs[0]
    assert pdf.render(built).startswith(b"%PDF")


def test_scorecard_with_partners_on_a_postcode_division_says_why_coverage_is_missing():
    from geo.partners.io import load_osm_example
    from geo.reports import scorecard

    card = scorecard.build(
        [reference_division("wcp_postcode"), reference_division("wcp_wijk")],
        scorecard.ScorecardOptions(partners=load_osm_example()),
    )
    assert any("Dekking door partners niet getoond voor 'Wijkcontactpunten" in n for n in card.notes)


def test_transition_starts_from_2021_for_the_16_swvs_and_from_equal_otherwise():
    swv = dossier.build(reference_division("swv2021_gemeente"), dossier.DossierOptions(transition_years=3))
    part = next(p for p in swv.parts if p.title.startswith("Overgangspad"))
    assert part.chart.labels[0] == "Start 2021"
    from geo.budget.calibration import published_2021

    published = published_2021()
    assert {a: v[0] for a, v in zip(part.chart.areas, part.chart.amounts, strict=True)} == {
        a: float(published[a]) for a in part.chart.areas
    }
    wcp = dossier.build(reference_division("wcp_wijk"), dossier.DossierOptions(transition_years=3))
    part = next(p for p in wcp.parts if p.title.startswith("Overgangspad"))
    assert part.chart.labels[0] == "Start (gelijk)"
    starts = [v[0] for v in part.chart.amounts]
    assert max(starts) - min(starts) <= 1  # an equal split, to the euro


@pytest.mark.parametrize(
    "col",
    [
        Col("a", "a", "int"),
        Col("a", "a", "euro"),
        Col("a", "a", "number", 2),
        Col("a", "a", "percent", 1),
        Col("a", "a", "decimal", 2),
        Col("a", "a", "share", 1),
    ],
)
def test_pdf_cells_are_rounded_as_the_xlsx_and_csv_show_them(col):
    """Halves go up as in Excel (Python's own formatting writes 2,5 as 2 and 12,25 as 12,2)."""

    def digits(text: str) -> str:
        return text.replace("-€ ", "-").replace("€ ", "").replace(" %", "").replace(".", "")

    for value in (2.5, -2.5, 0.125, 12.25, 1234.5, 0.0045, -1e-16):
        shown = tables.cell_text(value, col)
        assert digits(shown) == exports.csv_cell(value, col), (value, shown)


@pytest.mark.parametrize(
    ("key", "when"), [("swv2021_gemeente", "2022"), ("wcp_wijk", "2022, geschat"), ("wcp_postcode", "2019")]
)
def test_every_count_header_names_its_year_and_whether_it_is_an_estimate(key, when):
    """As on the division's page and the Budget page; the XLSX sheets stand on their own."""
    built = dossier.build(reference_division(key), dossier.DossierOptions(fte=True, reference=""))
    xlsx = dossier.xlsx_bytes(built)
    year = when.split(",")[0]
    metrics = list(sheet_rows(xlsx, "Cijfers per gebied")[0])
    assert f"Jongeren 0-24 ({when})" in metrics and f"Kansarme jongeren ({year}, geschat)" in metrics
    if key != "wcp_postcode":  # no other built-in division on the postcodes to compare with
        people = "2022"  # inhabitants per sector are counted in 2022, their ages per wijk estimated
        compared = list(
            sheet_rows(dossier.xlsx_bytes(dossier.build(reference_division(key))), "Vergelijking")[0]
        )
        assert f"Inwoners ({people})" in compared and f"Verschil jongeren 0-24 ({when})" in compared
    for sheet in ("Budget per gebied", "Gelijk of volgens behoefte"):
        headers = list(sheet_rows(xlsx, sheet)[0])
        assert f"Aantal 0-24-jarigen ({when})" in headers, (sheet, headers)
        assert f"Kansarme 0-24-jarigen ({year}, schatting)" in headers, (sheet, headers)


def test_made_at_is_written_in_belgian_time():
    from datetime import UTC, datetime

    made = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)  # 12:00 in Brussels (summer time)
    built = dossier.build(reference_division("elz57_gemeente"), dossier.DossierOptions(reference=""), made)
    assert dict(built.facts)["Gemaakt op"] == "01/07/2026 12:00"
    assert built.footer().endswith("gemaakt op 01/07/2026 12:00")
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", dict(built.facts)["Gegevens opgebouwd"])  # not ISO


def test_long_user_text_splits_over_pages_instead_of_breaking_the_pdf():
    """A description or an area name taller than a page (reportlab's LayoutError before) still prints."""
    from dataclasses import replace

    four = ["11002", "11040", "11044", "11052"]
    long_name = "Gebied " + "met een heel lange naam " * 400 + "einde-naam"
    division = Division.from_mapping(
        "Lang", "gemeente", four, {"11002": long_name, "11040": "Rand", "11044": "Rand", "11052": "Rand"}
    )
    division = replace(division, meta=replace(division.meta, description="Woorden. " * 2500 + "slotwoord"))
    data = pdf.render(dossier.build(division, dossier.DossierOptions(reference="")))
    text = pdf_text(data)
    assert "slotwoord" in text and "einde-naam" in text


def test_parameter_values_are_written_as_set_not_cut_to_two_decimals():
    import pandas as pd

    table = pd.DataFrame(
        {"Parameter": ["Totaal", "Gewicht", "Coördinatie"], "Waarde": ["23999998", "0.125", "2.5"]}
    )
    assert dossier.nl_values(table)["Waarde"].tolist() == ["23.999.998", "0,125", "2,5"]


def test_the_formula_in_words_names_the_chosen_deprivation_index():
    """With the BIMD the explanation does not call the index Kind & Gezin's."""
    division = reference_division("elz57_gemeente")
    bimd = dossier.build(division, dossier.DossierOptions(indicator="bimd", reference="", fte=True))
    words = " ".join(p for part in bimd.parts for p in part.paragraphs)
    assert "index van Kind & Gezin" not in words and "kansarmoede-index volgens BIMD 2011" in words
    kg = dossier.build(division, dossier.DossierOptions(reference=""))
    assert "De kansarmoede-index van Kind & Gezin is gemiddeld" in " ".join(kg.parts[3].paragraphs)


def test_budget_table_index_header_names_the_indicator():
    """As the Budget page: which index, and per wijk that it is an estimate."""
    expected = {
        ("swv2021_gemeente", None): "Kansarmoede-index K&G per gemeente (%)",
        ("wcp_wijk", None): "Kansarmoede-index K&G, per wijk geschat (%)",
        ("elz57_gemeente", "bimd"): "Kansarmoede-index BIMD 2011, geschat (%)",
        ("wcp_postcode", None): "Kansarmoede-index (%)",  # Tabel 8: the K&G index of 2019
    }
    for (key, indicator), header in expected.items():
        options = dossier.DossierOptions(reference="", indicator=indicator)
        budget = next(
            t
            for t in dossier.build(reference_division(key), options).tables()
            if t.title == "Budget per gebied"
        )
        assert budget.columns[4].header == header, key
