"""`python -m geo allocate`: outputs, parameters and Dutch errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from geo.cli.budget import parse_division_table
from geo.cli.main import main
from geo.data import units
from geo.errors import UserFacingError


def read_csv(path) -> pd.DataFrame:
    return pd.read_csv(path, sep=";", decimal=",", dtype={"Gebied": str, "Code": str}, encoding="utf-8-sig")


def test_csv_per_area_adds_up_and_compares_with_2021(tmp_path, capsys):
    out = tmp_path / "swv.csv"
    assert main(["allocate", "--gewicht", "0.3", "--uit", str(out)]) == 0
    table = read_csv(out)
    assert len(table) == 16
    assert table["Bedrag (EUR)"].sum() == 23_999_998
    brussels = table.set_index("Gebied").loc["Sonja Erteejee"]
    assert brussels["Bedrag (EUR)"] == 960_000 and brussels["Gepubliceerd 2021 (EUR)"] == 960_000
    assert "Samenstelling 2021" in table.columns
    printed = capsys.readouterr().out
    assert "Vergelijking met 2021: RMSE" in printed


def test_xlsx_has_parameter_unit_and_area_sheets(tmp_path):
    out = tmp_path / "elz.xlsx"
    argv = ["allocate", "--indeling", "elz57", "--correctie", "per_kansarm", "--gewicht", "2.5"]
    assert main(argv + ["--coordinatie", "5", "--uit", str(out)]) == 0
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == ["Parameters", "Per gemeente", "Per gebied"]
    params = pd.read_excel(out, sheet_name="Parameters", dtype=str).set_index("Parameter")["Waarde"]
    assert params["Gewicht (a of b)"] == "2.5"
    assert params["Coördinatie vooraf (%)"] == "5.0"
    per_unit = pd.read_excel(out, sheet_name="Per gemeente", dtype={"Code": str})
    per_area = pd.read_excel(out, sheet_name="Per gebied")
    assert len(per_unit) == 304 and len(per_area) == 57
    assert per_unit["Code"].str.len().eq(5).all()
    # 5 % of 23,999,998 = 1,199,999.9 -> 1,200,000 set aside; the rest is distributed exactly.
    assert per_unit["Bedrag (EUR)"].sum() == 23_999_998 - 1_200_000
    assert per_area["Bedrag (EUR)"].sum() == per_unit["Bedrag (EUR)"].sum()


def test_wcp_weight_changes_amounts(tmp_path):
    plain, corrected = tmp_path / "a.csv", tmp_path / "b.csv"
    assert main(["allocate", "--indeling", "wcp", "--correctie", "geen", "--uit", str(plain)]) == 0
    assert main(["allocate", "--indeling", "wcp", "--gewicht", "0.5", "--uit", str(corrected)]) == 0
    a = read_csv(plain).set_index("Gebied")["Bedrag (EUR)"]
    b = read_csv(corrected).set_index("Gebied")["Bedrag (EUR)"]
    assert a.sum() == b.sum() == 2_837_590
    assert b["Antwerpen 2060"] > a["Antwerpen 2060"]


def test_calibrate_flag_reports_the_fit(capsys):
    assert main(["allocate", "--kalibreer"]) == 0
    out = capsys.readouterr().out
    assert "Kalibratie 2021, kleinste fout in euro (gebruikt): gewicht 0." in out
    assert "Kalibratie 2021, kleinste relatieve fout: gewicht 0." in out
    assert "bevolking 1 januari 2020" in out
    assert main(["allocate", "--kalibreer", "--doel", "relatief", "--jaar-2021", "2019"]) == 0
    out = capsys.readouterr().out
    assert "kleinste relatieve fout (gebruikt)" in out and "1 januari 2019" in out
    assert main(["allocate", "--jaar", "2018"]) != 0
    assert "2018" in capsys.readouterr().err


def test_own_division_file(tmp_path):
    g = units.load_table("gemeente")
    flemish = g[g["gewest"] == "2000"]
    rows = pd.DataFrame({"code": flemish["code"], "gebied": flemish["provincie_naam"]})
    src = tmp_path / "indeling.csv"
    rows.to_csv(src, sep=";", index=False)
    out = tmp_path / "prov.csv"
    assert main(["allocate", "--indeling-csv", str(src), "--totaal", "1000000", "--uit", str(out)]) == 0
    table = read_csv(out)
    assert len(table) == 5
    assert table["Bedrag (EUR)"].sum() == 1_000_000


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--totaal", "0"], "groter zijn dan € 0"),
        (["--brussel-vast", "30000000"], "groter dan het totaal"),
        (["--minimum", "2000000", "--indeling", "elz57"], "minimum"),
        (["--uit", "x.txt"], ".csv of .xlsx"),
        (["--correctie", "geen", "--kalibreer"], "Kalibreren vraagt"),
        (["--indeling-csv", "/nonexistent/file.csv"], "bestaat niet"),
    ],
)
def test_errors_are_dutch_and_exit_2(argv, message, capsys):
    assert main(["allocate", *argv]) == 2
    assert message in capsys.readouterr().err


def test_parse_division_table_row_errors():
    table = pd.DataFrame(
        {"Code": ["11001", "", "99999", "11001", "11002"], "gebied": ["A", "B", "C", "D", ""]}
    )
    with pytest.raises(UserFacingError) as err:
        parse_division_table(table, {"11001", "11002"}, "gemeente")
    text = str(err.value)
    assert "Rij 3: code ontbreekt." in text
    assert "Rij 4: code 99999 bestaat niet op niveau gemeente." in text
    assert "Rij 5: code 11001 staat al op rij 2." in text
    assert "Rij 6: gebied ontbreekt voor code 11002." in text
    with pytest.raises(UserFacingError, match="mist de kolom"):
        parse_division_table(pd.DataFrame({"code": ["1"]}), {"1"}, "gemeente")


def test_module_entry_point_runs():
    res = subprocess.run(
        [sys.executable, "-m", "geo", "allocate", "--help"],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": "src", "PATH": "/usr/bin:/bin"},
        cwd=Path(__file__).resolve().parents[1],
    )
    assert res.returncode == 0
    assert "--gewicht" in res.stdout and "--indeling" in res.stdout


def test_brussels_as_a_share(tmp_path):
    out = tmp_path / "share.csv"
    assert main(["allocate", "--totaal", "24000000", "--brussel-aandeel", "4", "--uit", str(out)]) == 0
    table = read_csv(out).set_index("Gebied")
    # 4 % of 24,000,000 = 960,000.
    assert table.loc["Sonja Erteejee", "Bedrag (EUR)"] == 960_000
    assert table["Bedrag (EUR)"].sum() == 24_000_000


def test_stored_division_by_name(tmp_path):
    from geo.divisions import store as division_store
    from geo.divisions.references import reference_division

    division = reference_division("swv2021_gemeente").with_meta(name="CLI-test SWV")
    division = division.move(["11040"], "Voor- en Noorderkempen")  # Schoten out of Groot Antwerpen
    division_store.save_new(division)
    out = tmp_path / "stored.csv"
    assert main(["allocate", "--opgeslagen", "CLI-test SWV", "--uit", str(out)]) == 0
    table = read_csv(out).set_index("Gebied")
    assert table["Bedrag (EUR)"].sum() == 23_999_998
    # Area names equal the 2021 SWVs, so the published amounts are compared.
    assert table.loc["Groot Antwerpen", "Gepubliceerd 2021 (EUR)"] == 2_837_590
    assert table.loc["Groot Antwerpen", "Eenheden"] == 3
    assert main(["allocate", "--opgeslagen", "bestaat-niet"]) == 2


# --- Resources other than euros, and the transition path ---------------------------------------------


def test_fte_for_the_seven_wcps(tmp_path, capsys):
    out = tmp_path / "vte.csv"
    argv = [
        "allocate",
        "--indeling",
        "wcp",
        "--middel",
        "vte",
        "--stap",
        "0,1",
        "--uit",
        str(out),
        "--per",
        "gelijk",
    ]
    assert main(argv) == 0
    table = read_csv(out).set_index("Gebied")
    assert len(table) == 7
    # Default total for FTE: 0,4 per area (2 x 0,2 VTE, today's practice) = 2,8 VTE.
    assert table["Gelijk (VTE)"].tolist() == [0.4] * 7
    assert round(table["Volgens behoefte (VTE)"].sum(), 9) == 2.8
    assert table.loc["Zuidrand (Hoboken/Kiel/Wilrijk)", "Volgens behoefte (VTE)"] > 0.4
    assert table.loc["Antwerpen 2060", "Volgens behoefte (VTE)"] < 0.4
    assert table.loc["Antwerpen 2060", "0-24-jarigen per VTE, gelijk"] == 15_162 / 0.4
    printed = capsys.readouterr().out
    assert "Totaal 2,8 VTE: verdeeld 2,8 VTE." in printed


def test_fte_on_screen_with_a_minimum(capsys):
    assert (
        main(["allocate", "--indeling", "wcp", "--middel", "vte", "--totaal", "2,8", "--minimum", "0,3"]) == 0
    )
    printed = capsys.readouterr().out
    assert "0,3 VTE" in printed and "minimum" in printed
    assert "€" not in printed.split("Totaal")[0]


def test_fte_xlsx_has_the_equal_split_sheet(tmp_path):
    out = tmp_path / "vte.xlsx"
    assert main(["allocate", "--indeling", "wcp", "--middel", "vte", "--uit", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Parameters", "Per postcode", "Per gebied", "Gelijk of volgens behoefte"]
    params = {r[0].value: r[1].value for r in book["Parameters"].iter_rows(min_row=2)}
    assert params["Totaal (VTE)"] == "2,8 VTE" and params["Stap"] == "0,1 VTE"
    area = pd.read_excel(out, sheet_name="Per gebied", engine="openpyxl")
    assert round(area["Toegekend (VTE)"].sum(), 9) == 2.8
    assert "0-24-jarigen per VTE" in area.columns


def test_transition_path_from_2021(tmp_path, capsys):
    out = tmp_path / "overgang.xlsx"
    argv = [
        "allocate",
        "--overgang",
        "4",
        "--min-verandering",
        "-5",
        "--max-verandering",
        "5",
        "--uit",
        str(out),
    ]
    assert main(argv) == 0
    path = pd.read_excel(out, sheet_name="Overgang per jaar", engine="openpyxl").set_index("Gebied")
    assert (
        path.loc["Totaal", ["Start 2021 (EUR)", "Jaar 1 (EUR)", "Jaar 4 (EUR)"]].tolist() == [23_999_998] * 3
    )
    assert path.loc["Groot Antwerpen", "Start 2021 (EUR)"] == 2_837_590
    body = path.drop(index="Totaal")
    years = ["Start 2021 (EUR)", "Jaar 1 (EUR)", "Jaar 2 (EUR)", "Jaar 3 (EUR)", "Jaar 4 (EUR)"]
    for before, after in zip(years, years[1:], strict=False):
        assert (body[after] <= body[before] * 1.05 + 1e-6).all() and (
            body[after] >= body[before] * 0.95 - 1e-6
        ).all()
    printed = capsys.readouterr().out
    assert "klopt elk jaar tot op de euro" in printed
    (chart,) = openpyxl.load_workbook(out)["Overgang per jaar"]._charts  # a line per SWV, not the total
    assert len(chart.series) == len(body) == 16


def test_transition_too_short_says_how_long_it_takes(capsys):
    assert main(["allocate", "--overgang", "1", "--min-verandering", "-2", "--max-verandering", "2"]) == 0
    printed = capsys.readouterr().out
    assert "Binnen 1 jaar lukt het niet" in printed
    assert "Met dezelfde grenzen zijn" in printed and "jaar nodig" in printed


def test_transition_from_a_file_and_csv(tmp_path):
    start = tmp_path / "start.csv"
    rows = ["gebied;bedrag"] + [f"{name};{amount}" for name, amount in zip(*_wcp_equal_start(), strict=True)]
    start.write_text("\n".join(rows), encoding="utf-8")
    out = tmp_path / "pad.csv"
    argv = ["allocate", "--indeling", "wcp", "--overgang", "3", "--start", str(start), "--per", "overgang"]
    assert main(argv + ["--uit", str(out)]) == 0
    table = read_csv(out).set_index("Gebied")
    assert table.loc["Totaal", "Start (EUR)"] == 2_837_590 == table.loc["Totaal", "Jaar 3 (EUR)"]


def _wcp_equal_start() -> tuple[list[str], list[int]]:
    from geo.data import facts

    names = sorted(facts.wcp_totals()["wcp"])
    # 2,837,590 over 7: 405,370 each with 0 left over (7 x 405,370 = 2,837,590).
    return names, [405_370] * 7


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--indeling", "wcp", "--middel", "vte", "--totaal", "2,85"], "geen veelvoud van de stap (0,1 VTE)"),
        (["--indeling", "wcp", "--middel", "plaatsen"], "Geef het totaal aan plaatsen"),
        (["--indeling", "wcp", "--overgang", "3"], "geen gepubliceerde bedragen 2021"),
        (["--middel", "vte", "--overgang", "3"], "alleen voor euro"),
        (["--overgang", "2", "--start", "/nonexistent/start.csv"], "bestaat niet"),
        (["--per", "overgang", "--uit", "x.csv"], "vraagt --overgang"),
    ],
)
def test_resource_and_transition_errors(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["allocate", *argv]) == 2
    assert message in capsys.readouterr().err


def test_numbers_the_flemish_way():
    from geo.cli.options import number

    assert number("0,3") == 0.3 and number("0.3") == 0.3
    assert number("24.000.000") == 24_000_000 and number("€ 960.000") == 960_000
    assert number("1.234,5") == 1234.5 and number("-5") == -5
    for bad in ("1.500", "1,2,3", "abc", "1.23.4"):
        with pytest.raises(Exception, match="getal|dubbelzinnig|komma"):
            number(bad)


def test_tables_and_output_state_the_population_year(tmp_path, capsys):
    """Every budget table names the year of its counts (exact per municipality, estimated per wijk)."""
    out = tmp_path / "swv.csv"
    assert main(["allocate", "--indeling", "swv2021", "--jaar", "2019", "--uit", str(out)]) == 0
    table = read_csv(out)
    assert "Aantal 0-24-jarigen (2019)" in table.columns
    assert "Kansarme 0-24-jarigen (2019, schatting)" in table.columns
    assert "Kansarmoede-index K&G per gemeente (%)" in table.columns  # the estimate is the municipal figure
    expected = units.load_table("gemeente2024", year=2019)["pop_0_24"].sum()
    assert table["Aantal 0-24-jarigen (2019)"].sum() == expected
    assert "Bevolking: 0-24 jaar (Statbel, 1 januari 2019)" in capsys.readouterr().out
    # the 2021 reference defaults to 2020; wijken of 2015: estimated counts
    assert main(["allocate", "--indeling", "swv2021", "--uit", str(out)]) == 0
    assert "Aantal 0-24-jarigen (2020)" in read_csv(out).columns
    units_out = tmp_path / "wijk.csv"
    argv = ["allocate", "--indeling", "elz60", "--jaar", "2015", "--per", "eenheid", "--uit", str(units_out)]
    assert main(argv) == 0
    assert "Aantal 0-24-jarigen (2015, geschat)" in read_csv(units_out).columns
    assert "Kansarmoede-index K&G, per wijk geschat (%)" in read_csv(units_out).columns
    assert main(["allocate", "--indeling", "swv2021", "--indicator", "bimd", "--uit", str(out)]) == 0
    bimd = read_csv(out)["Kansarmoede-index BIMD 2011, geschat (%)"]
    assert 0 <= bimd.min() and bimd.max() <= 100  # written in % like the other indicators
    # Tabel 8 postcodes: 2019 whatever the year chosen; Vaccinnet says its own vintage in the label
    assert main(["allocate", "--indeling", "wcp", "--jaar", "2022", "--uit", str(out)]) == 0
    assert "Aantal 0-24-jarigen (2019)" in read_csv(out).columns
    assert "Kansarmoede-index (%)" in read_csv(out).columns  # Tabel 8's own index
    assert main(["allocate", "--indeling", "elz57", "--bevolking", "vacc_0_29", "--uit", str(out)]) == 0
    assert "Aantal 0-29-jarigen" in read_csv(out).columns
    assert "Vaccinnet, ±2021" in capsys.readouterr().out


def test_output_file_option_in_dutch_or_english(tmp_path):
    """`--uit` and `--out` are one option (allocate, partners; also caseload, dossier, scorecard, audit)."""
    dutch, english = tmp_path / "uit.csv", tmp_path / "out.csv"
    assert main(["allocate", "--indeling", "wcp", "--uit", str(dutch)]) == 0
    assert main(["allocate", "--indeling", "wcp", "--out", str(english)]) == 0
    assert dutch.read_bytes() == english.read_bytes()
    cover = tmp_path / "dekking.csv"
    argv = ["partners", "coverage", "--osm-example", "--areas", "ref:swv2021_gemeente", "--uit", str(cover)]
    assert main(argv) == 0
    assert read_csv(cover)["Gebied"].nunique() >= 16
