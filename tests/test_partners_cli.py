"""CLI: `python -m geo partners ...` and `python -m geo caseload ...` (in-process, isolated database)."""

import pandas as pd
import pytest

from geo.cli.main import main
from geo.partners.io import read_table


@pytest.fixture
def partner_file(tmp_path):
    path = tmp_path / "partners.csv"
    path.write_text(
        "naam;type;lat;lon;gemeente\n"
        "CLB Antwerpen;CLB;51,2194;4,4025;\n"
        "CLB Gent;CLB;51,0543;3,7174;\n"
        "Huis van het Kind Leuven;Huis van het Kind;;;Leuven\n",
        encoding="utf-8",
    )
    return path


def test_check_reports_rows(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("naam,type,lat,lon\nA,CLB,4.40,51.22\nB,jeugdhuis,51.0,4.0\n", encoding="utf-8")
    assert main(["partners", "check", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "Rij 2: lat en lon lijken omgewisseld" in err and "Rij 3: onbekend type 'jeugdhuis'" in err


def test_import_export_round_trip(partner_file, tmp_path, capsys):
    assert main(["partners", "import", str(partner_file), "--replace"]) == 0
    assert "3 partners" in capsys.readouterr().out
    # importing the same file again is refused as duplicates and leaves the register as it was
    assert main(["partners", "import", str(partner_file)]) == 1
    out = tmp_path / "export.xlsx"
    assert main(["partners", "export", str(out)]) == 0
    exported = read_table(out).frame
    assert exported["naam"].tolist() == ["CLB Antwerpen", "CLB Gent", "Huis van het Kind Leuven"]
    assert exported["benaderd"].tolist() == ["nee", "nee", "ja"]


def test_replacing_with_fewer_partners_needs_force(partner_file, tmp_path, capsys):
    assert main(["partners", "import", str(partner_file), "--replace"]) == 0
    smaller = tmp_path / "een.csv"
    smaller.write_text("naam;type;gemeente\nCAW Leuven;CAW;Leuven\n", encoding="utf-8")
    assert main(["partners", "import", str(smaller), "--replace"]) == 1
    printed = capsys.readouterr()
    assert "--force" in printed.err
    # the preview before anything is stored: how the file was read and what it would do
    assert "Kolommen: 'naam' -> naam; 'type' -> type; 'gemeente' -> gemeente." in printed.out
    assert "Vervangt het register van 3 partner(s) door deze 1." in printed.out
    header_only = tmp_path / "leeg.csv"
    header_only.write_text("naam;type;gemeente\n", encoding="utf-8")
    assert main(["partners", "import", str(header_only), "--replace", "--force"]) == 1
    from geo.partners.store import count_partners
    from geo.store.engine import get_engine

    assert count_partners(get_engine()) == 3
    assert main(["partners", "import", str(smaller), "--replace", "--force"]) == 0
    assert count_partners(get_engine()) == 1


def test_coverage_writes_areas_and_total(partner_file, tmp_path, capsys):
    out = tmp_path / "dekking.csv"
    code = main(
        ["partners", "coverage", "--partners", str(partner_file), "--level", "wijk", "--areas",
         "ref:swv2021_gemeente", "--distance", "3000", "--type", "CLB", "--out", str(out)]
    )  # fmt: skip
    assert code == 0
    table = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig")
    assert len(table) == 17  # 16 SWVs + Totaal
    total = table[table["Gebied"] == "Totaal"].iloc[0]
    assert total["Partners (aantal)"] == 2
    areas = table.loc[table["Gebied"] != "Totaal", "Gedekte doelgroep (aantal)"]
    assert total["Gedekte doelgroep (aantal)"] == pytest.approx(areas.sum(), abs=len(areas))  # rounded each
    ga = table[table["Gebied"] == "Groot Antwerpen"].iloc[0]
    assert ga["Partners (aantal)"] == 1 and 0 < ga["Aandeel gedekt (%)"] < 100


def test_locate_prints_gains(partner_file, capsys):
    code = main(
        ["partners", "locate", "--partners", str(partner_file), "--type", "CLB", "--n", "2", "--areas",
         "ref:wcp_wijk", "--distance", "1500"]
    )  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert "CLB: nu bereikt" in out and "stap" in out and "snelle benadering (gretig)" in out


def test_caseload_refuses_personal_files(tmp_path, capsys):
    path = tmp_path / "dossiers.csv"
    path.write_text(
        "gemeente;maand;aanmeldingen;geboortedatum\n11002;2024-01;1;03/04/2012\n", encoding="utf-8"
    )
    assert main(["caseload", "summary", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Bestand geweigerd" in err and "03/04/2012" not in err


def test_caseload_summary_masks_by_default(tmp_path, capsys):
    path = tmp_path / "aanmeldingen.csv"
    path.write_text("gemeente;maand;aanmeldingen\n11001;2024-01;3\n11002;2024-01;40\n", encoding="utf-8")
    out = tmp_path / "samenvatting.csv"
    assert main(["caseload", "summary", str(path), "--areas", "kolom:elz57", "--out", str(out)]) == 0
    table = pd.read_csv(out, sep=";", dtype=str, encoding="utf-8-sig")
    row = table[table["Gebied"].str.contains("elz43")].iloc[0]  # Aartselaar (11001) is in elz43
    assert row["Aanmeldingen (aantal)"] == "<5" and row["Aanmeldingen per 1.000 jongeren per jaar"] == "x"
    assert (
        main(["caseload", "summary", str(path), "--areas", "kolom:elz57", "--no-mask", "--out", str(out)])
        == 0
    )
    table = pd.read_csv(out, sep=";", dtype=str, encoding="utf-8-sig")
    assert table[table["Gebied"].str.contains("elz43")].iloc[0]["Aanmeldingen (aantal)"] == "3"


def test_caseload_threshold_is_read_the_flemish_way(tmp_path, capsys):
    path = tmp_path / "aanmeldingen.csv"
    path.write_text("gemeente;maand;aanmeldingen\n11002;2024-01;400\n", encoding="utf-8")
    argv = ["caseload", "summary", str(path), "--areas", "kolom:elz57", "--no-mask"]
    assert main([*argv, "--threshold", "2,5"]) == 0
    assert main([*argv, "--threshold", "2.5"]) == 0  # script notation stays valid
    capsys.readouterr()
    with pytest.raises(SystemExit) as refused:  # 2500 or 2,5? refused, not guessed
        main([*argv, "--threshold", "2.500"])
    assert refused.value.code == 2 and "'2.500' is dubbelzinnig" in capsys.readouterr().err


def test_coverage_states_the_population_year(partner_file, tmp_path, capsys):
    out = tmp_path / "dekking.csv"
    argv = ["partners", "coverage", "--partners", str(partner_file), "--level", "gemeente", "--jaar", "2019"]
    assert main(argv + ["--type", "CLB", "--out", str(out)]) == 0
    table = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig")
    assert set(table["Bevolkingsjaar (1 januari)"]) == {2019}
    from geo.data import units

    expected = units.load_table("gemeente", year=2019)["pop_0_24"].sum()
    assert table.loc[table["Gebied"] == "Totaal", "Jongeren 0-24 (aantal)"].iloc[0] == expected
    assert "Bevolking op 1 januari 2019 (Statbel)" in capsys.readouterr().out
