"""`python -m geo division check|compare|list` on real data."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.cli.main import main
from geo.data import units

pytestmark = pytest.mark.usefixtures("built")  # the built data, or a clear failure


def test_check_file_prints_metrics_and_the_rule_breaches_and_fails(tmp_path, capsys):
    path = tmp_path / "groot_antwerpen.csv"
    path.write_text("unit_code,area\n11002,Stad\n11040,Rand\n11044,Rand\n11052,Rand\n", encoding="utf-8")
    code = main(["division", "check", str(path), "--scope", "bestand", "--csv", str(tmp_path / "out.csv")])
    out = capsys.readouterr().out
    assert code == 1  # a rule is broken
    assert "Niveau herkend: gemeente" in out
    assert "2 gebieden, 4 van 4 eenheden toegewezen" in out
    antwerpen = units.load_table("gemeente").set_index("code").loc["11002", "inwoners"]
    assert f"{int(antwerpen):,}".replace(",", ".") in out  # Antwerpen, nl-BE thousands separator
    # Schoten, Stabroek and Wommelgem do not touch each other without Antwerpen
    assert "FOUT (samenhangend): Gebied 'Rand' bestaat uit 3 losse delen" in out
    assert (tmp_path / "out.csv").read_text(encoding="utf-8-sig").startswith("Gebied;Eenheden (aantal);")
    path.write_text("unit_code,area\n11002,Stad\n11040,Stad\n11044,Stad\n11052,Stad\n", encoding="utf-8")
    assert main(["division", "check", str(path), "--scope", "bestand"]) == 0
    assert "Alle regels zijn voldaan." in capsys.readouterr().out


def test_check_bad_file_lists_rows_and_fails(tmp_path, capsys):
    path = tmp_path / "fout.csv"
    path.write_text("unit_code,area\n11002,A\n11002,B\n99999,A\n", encoding="utf-8")
    assert main(["division", "check", str(path), "--level", "gemeente"]) == 1
    out = capsys.readouterr().out
    assert "Fout: Rij 3: code '11002' is dubbel toegewezen" in out
    assert "Fout: Rij 4: code '99999' bestaat niet op niveau gemeente." in out
    assert "er is niets ingelezen" in out


def test_check_reference_with_target_band(capsys):
    assert main(["division", "check", "ref:swv2021_elz57", "--min", "200000", "--max", "250000"]) == 1
    out = capsys.readouterr().out
    assert "16 gebieden, 57 van 57 eenheden" in out
    brussels = units.load_table("elz57").set_index("code").loc["elz7", "inwoners"]  # Bruzel, one zone
    shown = f"{int(round(brussels)):,}".replace(",", ".")
    assert f"FOUT (doelband): Gebied 'Sonja Erteejee': {shown} inwoners, boven de doelband" in out
    assert main(["division", "check", "ref:swv2021_elz57"]) == 0
    # the 2021 SWVs are built from whole zones: zero zone splits, on zones and on municipalities
    assert "Gesplitst: 0 eerstelijnszones (de eenheden zijn zelf hele eerstelijnszones)." in (
        capsys.readouterr().out
    )
    assert main(["division", "check", "ref:swv2021_gemeente", "--type", "swv"]) == 0
    assert "Gesplitst: 0 eerstelijnszones (57)." in capsys.readouterr().out


def test_check_prints_the_same_list_as_the_gate(tmp_path, capsys):
    from geo.divisions import validity
    from geo.divisions.metrics import UnitData
    from geo.divisions.references import reference_division

    findings = tmp_path / "meldingen.csv"
    assert main(["division", "check", "ref:wcp_wijk", "--findings-csv", str(findings)]) == 1
    out = capsys.readouterr().out
    division = reference_division("wcp_wijk")
    data = UnitData.load("wijk")
    result = validity.check(division, data, validity.default_settings(division, data))
    lines = [line for line in out.splitlines() if line.startswith(("FOUT", "GEKENDE", "TER INFO"))]
    assert len(lines) == len(result.findings) > 0
    for line, f in zip(lines, result.findings, strict=True):
        assert f"({f.rule}): {f.message}" in line
    text = findings.read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0] == "Regel;Ernst;Gebied(en);Eenheden;Melding;Codes"
    assert len(pd.read_csv(findings, sep=";", encoding="utf-8-sig")) == len(result.findings)
    # allowing the split of district Antwerpen removes that breach
    main(["division", "check", "ref:wcp_wijk", "--allow-split", "11002Z"])
    assert "FOUT (ouder_niet_gesplitst)" not in capsys.readouterr().out


def test_compare_two_references(capsys):
    assert main(["division", "compare", "ref:elz57_gemeente", "ref:swv2021_gemeente"]) == 0
    out = capsys.readouterr().out
    assert "A = 'Eerstelijnszones (57) per gemeente' (57 gebieden)" in out
    assert "Aandeel jongeren 0-24 dat in het overeenkomende gebied blijft:" in out


def test_compare_other_levels_is_a_clear_error(capsys):
    assert main(["division", "compare", "ref:swv2021_elz57", "ref:swv2021_gemeente"]) == 2
    assert "ander niveau" in capsys.readouterr().err


def test_list(capsys):
    assert main(["division", "list"]) == 0
    assert "ref:wcp_wijk" in capsys.readouterr().out


def test_unknown_reference_gives_a_clear_message_not_a_traceback(capsys):
    from geo.cli.main import main

    assert main(["division", "check", "ref:bestaat_niet"]) == 2
    err = capsys.readouterr().err
    assert "onbekende ingebouwde indeling" in err
    assert "swv2021_elz57" in err
    assert "Traceback" not in err


def test_level_is_recognised_from_damaged_codes(tmp_path, capsys):
    path = tmp_path / "excel.csv"
    path.write_text("unit_code;area\n11002.0;Stad\n11040.0;Rand\n11044;Rand\n", encoding="utf-8")
    main(["division", "check", str(path), "--scope", "bestand"])
    out = capsys.readouterr().out
    assert "Niveau herkend: gemeente" in out and "2 code(s) als getal opgeslagen" in out
    assert "2 gebieden, 3 van 3 eenheden toegewezen" in out


def test_import_and_replace_needs_force_when_fewer_units(tmp_path, capsys, stored_divisions):
    from geo.divisions import store

    stored_divisions.append("CLI-vervang")
    big = tmp_path / "groot.csv"
    big.write_text("unit_code,area\n11002,Stad\n11040,Rand\n11044,Rand\n", encoding="utf-8")
    assert main(["division", "import", str(big), "--naam", "CLI-vervang"]) == 0
    small = tmp_path / "klein.csv"
    small.write_text("Code eenheid;Gebied\n11002;Stad\n", encoding="utf-8")
    assert main(["division", "import", str(small), "--vervang", "db:CLI-vervang"]) == 1
    out = capsys.readouterr().out
    assert "--force" in out and "3 toegewezen eenheden; na vervangen zijn dat er 1" in out
    kept = store.open_division("CLI-vervang")
    assert kept.area_of("11040") == "Rand" and kept.meta.version == 1
    assert main(["division", "import", str(small), "--vervang", "db:CLI-vervang", "--force"]) == 0
    replaced = store.open_division("CLI-vervang")
    assert replaced.area_of("11040") is None and replaced.area_of("11002") == "Stad"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["division", "check", "ref:swv2021_gemeente", "--type", "foo"], "--type: ongeldige keuze 'foo'"),
        (["division", "check", "ref:swv2021_gemeente", "--band-pct", "abc"], "--band-pct: 'abc' is geen"),
        (["division", "restore", "db:x", "abc"], "version: 'abc' is geen geldig getal"),
        (["division", "check"], "ontbreekt: file"),
        (["division", "chek"], "opdracht: ongeldige keuze 'chek'"),
        (["division"], "kies een opdracht"),
        (["division", "list", "--foo"], "onbekende opties of waarden: --foo"),
        (["division", "dossier", "ref:swv2021_gemeente", "--gewicht", "x"], "'x' is geen getal"),
    ],
)
def test_wrong_arguments_give_a_dutch_one_liner(argv, expected, capsys):
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse stops the parse itself
        code = exit_.code
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("Fout: ") and expected in err
    assert err.count("\n") == 1 and "usage" not in err and "Traceback" not in err


def test_band_and_limits_are_read_the_flemish_way(capsys, tmp_path):
    """`--min 200.000` is ambiguous (refused, not read as 200); `1.250.000` and `-2,5` are numbers."""
    try:
        code = main(["division", "check", "ref:swv2021_elz57", "--min", "200.000"])
    except SystemExit as exit_:
        code = exit_.code
    assert code == 2 and "'200.000' is dubbelzinnig" in capsys.readouterr().err
    assert main(["division", "check", "ref:swv2021_elz57", "--min", "250000", "--max", "1.250.000"]) == 1
    out = capsys.readouterr().out
    assert "onder de doelband (250.000 tot 1.250.000)" in out  # 1sGEZINd, 224.617 inhabitants
    assert main(["division", "check", "ref:swv2021_elz57", "--band-pct", "12,5"]) == 1
    assert "12,5 %" in capsys.readouterr().out
    pdf = tmp_path / "d.pdf"
    args = ["division", "dossier", "ref:swv2021_gemeente", "--overgang", "3", "--uit", str(pdf)]
    xlsx = tmp_path / "d.xlsx"
    assert main([*args, "--min-verandering", "-2,5", "--max-verandering", "2,5", "--xlsx", str(xlsx)]) == 0
    assert pdf.exists()
    changes = pd.read_excel(xlsx, sheet_name="Verandering per jaar").set_index("Gebied")
    assert changes.min().min() >= -0.025 - 1e-9 and changes.max().max() <= 0.025 + 1e-9
    assert changes.min().min() < -0.02  # the limit is used, not a default of 5 %


def test_a_built_in_division_is_stored_with_import_and_then_has_versions(capsys, stored_divisions):
    from geo.divisions import store
    from geo.divisions.references import reference_division

    name = "CLI WCP uit referentie"
    stored_divisions.append(name)
    assert main(["division", "import", "ref:wcp_postcode", "--naam", name]) == 0
    saved = store.open_division(name)
    assert saved.same_assignment(reference_division("wcp_postcode")) and saved.meta.version == 1
    assert main(["division", "history", f"db:{name}"]) == 0
    assert "versie 1, concept" in capsys.readouterr().out
    # versions, status and comments of a built-in division: a clear pointer to import
    assert main(["division", "history", "ref:wcp_postcode"]) == 2
    err = capsys.readouterr().err
    assert "ingebouwde indeling" in err and "division import ref:wcp_postcode --naam" in err
