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
    assert "Kalibratie op de budgetten 2021: beste gewicht 0." in out


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
