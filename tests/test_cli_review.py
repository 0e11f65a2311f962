"""CLI details: the caller's workspace in reports, numbers read alike in every command, honest messages."""

from __future__ import annotations

import argparse
import os

import pandas as pd
import pytest

from geo.partners.register import conform


def _partners(names) -> pd.DataFrame:
    n = len(names)
    frame = pd.DataFrame(
        {"naam": names, "type": ["CLB"] * n, "gefinancierd": [False] * n, "lat": [51.2] * n, "lon": [4.4] * n}
    )
    return conform(frame)


def test_dossier_partners_come_from_the_callers_workspace(engine, who, monkeypatch, capsys):
    from geo.cli import reports
    from geo.partners import store
    from geo.store import engine as engine_mod

    store.append_partners(engine, _partners(["Een A", "Een B"]), who[("een", "planner")])
    store.append_partners(engine, _partners(["Twee A"]), who[("twee", "planner")])
    monkeypatch.setattr(engine_mod, "get_engine", lambda url=None: engine)
    monkeypatch.setenv("GEO_USER", who[("twee", "lezer")].user)
    monkeypatch.setenv("GEO_WERKRUIMTE", who[("twee", "lezer")].workspace)
    args = argparse.Namespace(partners=None, osm_example=False)
    assert reports._partners(args)["naam"].tolist() == ["Twee A"]
    monkeypatch.setenv("GEO_USER", "vreemde@elders.test")  # no member: named, left out
    assert reports._partners(args) is None
    assert "Let op: partnerregister niet gelezen (Niet toegestaan" in capsys.readouterr().out


def test_report_numbers_are_read_like_every_other_number_argument():
    """`--gewicht 0.2` (script notation) works for the dossier as for allocate; Flemish too; no negatives."""
    from geo.cli.division import load_division
    from geo.cli.main import build_parser
    from geo.cli.reports import dossier_options

    parser = build_parser()
    args = parser.parse_args(
        ["division", "dossier", "ref:swv2021_gemeente", "--gewicht", "0.2", "--totaal", "€ 24.000.000",
         "--vte", "2,5"]
    )  # fmt: skip
    assert (args.gewicht, args.totaal, args.vte) == (0.2, 24_000_000, 2.5)
    options = dossier_options(args, load_division(args.division))
    assert options.params.weight == pytest.approx(0.2) and options.params.total == 24_000_000
    assert options.fte and options.fte_total == 2.5
    alone = parser.parse_args(["division", "scorecard", "ref:swv2021_gemeente", "ref:elz57_gemeente"])
    assert alone.gewicht is None and alone.totaal is None
    bare = parser.parse_args(["division", "dossier", "ref:swv2021_gemeente", "--vte"])
    assert dossier_options(bare, load_division(bare.division)).fte_total is None


@pytest.mark.parametrize("argv", [["--gewicht", "-0,2"], ["--totaal", "x"], ["--vte", "1.500"]])
def test_report_numbers_refused_in_dutch(argv, capsys):
    from geo.cli.main import main

    with pytest.raises(SystemExit) as stop:
        main(["division", "dossier", "ref:swv2021_gemeente", *argv])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and err.startswith(f"Fout: {argv[0]}: ") and err.count("\n") == 1


def test_replacing_a_division_with_the_same_content_says_it_is_unchanged(tmp_path, capsys, stored_divisions):
    from geo.cli.main import main
    from geo.divisions import store

    path = tmp_path / "indeling.csv"
    path.write_text("unit_code,area\n11002,Stad\n11040,Rand\n", encoding="utf-8")
    stored_divisions.append("CLI-zelfde")
    assert main(["division", "import", str(path), "--naam", "CLI-zelfde"]) == 0
    capsys.readouterr()
    assert main(["division", "import", str(path), "--vervang", "db:CLI-zelfde"]) == 0
    out = capsys.readouterr().out
    assert "'CLI-zelfde' is ongewijzigd" in out and "vervangen" not in out
    assert store.open_division("CLI-zelfde").meta.version == 1
    path.write_text("unit_code,area\n11002,Stad\n11040,Stad\n", encoding="utf-8")
    assert main(["division", "import", str(path), "--vervang", "db:CLI-zelfde"]) == 0
    assert "'CLI-zelfde' vervangen (versie 2)" in capsys.readouterr().out


def test_setting_list_shows_the_saved_time_in_belgian_time(monkeypatch, capsys):
    from datetime import datetime

    from geo.cli.main import main
    from geo.settings import store as settings_store

    table = pd.DataFrame(
        [("Voorstel", True, datetime(2026, 7, 1, 10, 0), "an@net.test", "samenvatting", True)],
        columns=["naam", "standaard", "bewaard", "door", "samenvatting", "bruikbaar"],
    )  # stored times are UTC without a zone
    monkeypatch.setattr(settings_store, "list_formulas", lambda actor, engine=None: table)
    assert main(["instelling", "lijst"]) == 0
    out = capsys.readouterr().out
    assert "bewaard 01/07/2026 12:00 door an@net.test" in out and "UTC" not in out


def test_tabel8_csv_has_dutch_headers_with_the_year_and_says_written_once(tmp_path, capsys):
    from geo.cli.main import main

    path = tmp_path / "tabel8.csv"
    assert main(["division", "tabel8", "--jaar", "2015", "--csv", str(path)]) == 0
    assert capsys.readouterr().out.count(str(path)) == 1
    table = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig", dtype={"Postcode": str})
    assert list(table.columns) == [
        "Postcode", "Wijkcontactpunt", "Inwoners (2015, geschat)", "Jongeren 0-24 (2015, geschat)",
        "Kansarmoede (%, K&G, per wijk geschat)", "Kansarmoede (%, K&G per gemeente)",
        "Kansarmoede (%, BIMD 2011, geschat)", "Inwoners Tabel 8 (2019)", "Jongeren 0-24 Tabel 8 (2019)",
        "Kansarmoede-index Tabel 8 (%, 2019)",
    ]  # fmt: skip
    assert table["Postcode"].str.fullmatch(r"2\d{3}").all()


def test_history_refuses_a_file_option_it_would_ignore(tmp_path, capsys, stored_divisions):
    """`--uit` writes one version, `--csv` the list of versions: the other combination wrote nothing."""
    from geo.cli.main import main
    from geo.divisions import store
    from geo.divisions.division import Division

    stored_divisions.append("CLI-geschiedenis")
    division = Division.from_mapping("CLI-geschiedenis", "gemeente", ["11002", "11040"], {"11002": "Stad"})
    store.save_new(division)
    key = "db:CLI-geschiedenis"
    assert main(["division", "history", key, "--uit", str(tmp_path / "versie.csv")]) == 2
    assert "geef ook --version" in capsys.readouterr().err
    assert main(["division", "history", key, "--version", "1", "--csv", str(tmp_path / "lijst.csv")]) == 2
    assert "laat --version weg" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())
    assert main(["division", "history", key, "--version", "1", "--uit", str(tmp_path / "versie.csv")]) == 0
    assert "11002;Stad" in (tmp_path / "versie.csv").read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["partners", "coverage", "--osm-example", "--distance", "-5"], "--afstand: '-5' is negatief"),
        (["partners", "coverage", "--osm-example", "--deprivation-weight", "-1"], "'-1' is negatief"),
        (["partners", "coverage", "--osm-example", "--min-share", "5"], "'5' ligt niet tussen 0 en 1"),
        (["partners", "access", "--osm-example", "--default-capacity", "-1"], "'-1' is negatief"),
        (["partners", "access", "--osm-example", "--threshold", "-0,5"], "'-0,5' is negatief"),
        (["caseload", "summary", "--example", "--threshold", "-3"], "'-3' is negatief"),
        (["division", "dossier", "ref:swv2021_gemeente", "--afstand", "-1"], "'-1' is negatief"),
    ],
)
def test_distances_weights_and_thresholds_below_zero_are_refused_in_dutch(argv, expected, capsys):
    """They gave a ValueError as 'Onverwachte fout' (exit 3) or silently meaningless results."""
    from geo.cli.main import main

    with pytest.raises(SystemExit) as stop:
        main(argv)
    err = capsys.readouterr().err
    assert stop.value.code == 2 and err.startswith("Fout: ") and expected in err and err.count("\n") == 1


def test_shares_and_distances_still_read_the_flemish_way():
    from geo.cli.main import build_parser

    args = build_parser().parse_args(
        ["partners", "coverage", "--distance", "2500,0", "--min-share", "0,75", "--deprivation-weight", "1,5"]
    )
    assert (args.distance, args.min_share, args.deprivation_weight) == (2500, 0.75, 1.5)


def _parsers(parser, path=()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, (*path, name))
    yield path, parser


def test_every_argument_has_a_dutch_help_and_the_help_has_no_english_headings(capsys):
    from geo.cli.main import build_parser, main

    without = [
        f"{' '.join(path)} {a.option_strings or a.dest}"
        for path, parser in _parsers(build_parser())
        for a in parser._actions
        if a.help is None and not isinstance(a, argparse._SubParsersAction)
    ]
    assert without == []
    with pytest.raises(SystemExit) as stop:
        main(["caseload", "summary", "--help"])
    text = capsys.readouterr().out
    assert stop.value.code == 0
    assert text.startswith("gebruik: python -m geo caseload summary")
    assert "\nargumenten:\n" in text and "\nopties:\n" in text and "toon deze hulp en stop" in text
    for english in ("usage:", "positional arguments", "options:", "show this help"):
        assert english not in text
    lines = text.split("\n\n")[0].splitlines()  # wrapped usage lines stay under the first option
    assert all(line.startswith(" " * len("gebruik: python -m geo caseload summary ")) for line in lines[1:])


def test_replacing_a_division_by_one_of_another_level_is_refused(tmp_path, capsys, stored_divisions):
    from geo.cli.main import main
    from geo.divisions import store

    path = tmp_path / "indeling.csv"
    path.write_text("unit_code,area\n11002,Stad\n11040,Rand\n", encoding="utf-8")
    stored_divisions.append("CLI-niveau")
    assert main(["division", "import", str(path), "--naam", "CLI-niveau", "--level", "gemeente"]) == 0
    capsys.readouterr()
    assert main(["division", "import", "ref:elz60_wijk", "--vervang", "db:CLI-niveau"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fout: Niets opgeslagen: 'CLI-niveau' is een indeling op niveau gemeente")
    kept = store.open_division("CLI-niveau")
    assert kept.level == "gemeente" and kept.meta.version == 1 and kept.area_of("11040") == "Rand"


def test_caseload_summary_on_postcodes_runs_with_its_default_areas_and_says_where_the_young_come_from(capsys):
    """The default `kolom:elz57` does not exist for Antwerp postcodes (a Dutch error instead of a table); the
    2015 wijk counts are the 2019 sector distribution rescaled, not 2015 sector populations."""
    from geo.cli.main import main
    from geo.data import units

    assert main(["caseload", "summary", "--example", "--level", "postcode"]) == 0
    out = capsys.readouterr().out
    assert units.TABEL8_NOTE in out and "Antwerpen 2060" in out
    assert main(["caseload", "summary", "--example", "--level", "wijk", "--jaar", "2015"]) == 0
    assert "sectorverdeling van 2019 herschaald naar 2015" in capsys.readouterr().out
    assert main(["caseload", "summary", "--example", "--level", "wijk", "--jaar", "2022"]) == 0
    assert "per wijk: sectorbevolking x leeftijdsverdeling" in capsys.readouterr().out


def test_access_and_new_site_exports_state_the_population_year(tmp_path):
    """Their young-people counts follow --jaar; the files said 'Jongeren 0-24 (aantal)' without a year."""
    from geo.cli.main import main

    access, sites = tmp_path / "toegang.csv", tmp_path / "locaties.csv"
    assert main(["partners", "access", "--osm-example", "--jaar", "2015", "--uit", str(access)]) == 0
    argv = ["partners", "locate", "--osm-example", "--type", "CLB", "--n", "1", "--jaar", "2015"]
    assert main([*argv, "--uit", str(sites)]) == 0
    for path in (access, sites):
        table = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")
        assert set(table["Bevolkingsjaar (1 januari)"]) == {2015}


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["dossier", "ref:wcp_postcode", "--uit", "d.docx"], "Het dossier is een PDF"),
        (["dossier", "ref:wcp_postcode", "--uit", "d.pdf", "--xlsx", "d.csv"], "--xlsx schrijft een Excel"),
        (["scorecard", "ref:swv2021_gemeente", "ref:elz57_gemeente", "--uit", "s.csv"], "Excel-bestand"),
    ],
)
def test_report_file_names_are_checked_before_anything_is_built(
    argv, expected, tmp_path, monkeypatch, capsys
):
    """The scorecard wrote XLSX bytes into a .csv file; a wrong name came after the slow build."""
    from geo.cli.main import main
    from geo.reports import dossier, scorecard

    def not_now(*_args, **_kwargs):
        raise AssertionError("built before the file name was checked")

    monkeypatch.setattr(dossier, "build", not_now)
    monkeypatch.setattr(scorecard, "build", not_now)
    monkeypatch.chdir(tmp_path)
    assert main(["division", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fout: ") and expected in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_werkruimte_is_an_option_of_every_command_that_reads_a_workspace(engine, who, monkeypatch, tmp_path):
    """allocate, instelling and team took --werkruimte; division, partners and caseload refused it."""
    from geo.cli.main import build_parser, main
    from geo.partners import store
    from geo.store import engine as engine_mod

    missing = [
        " ".join(path)
        for path, parser in _parsers(build_parser())
        if len(path) == 2 and path[0] in ("division", "partners", "caseload")
        and "--werkruimte" not in parser._option_string_actions
    ]  # fmt: skip
    assert missing == []
    store.append_partners(engine, _partners(["Een A"]), who[("een", "planner")])
    store.append_partners(engine, _partners(["Twee A", "Twee B"]), who[("twee", "planner")])
    monkeypatch.setattr(engine_mod, "get_engine", lambda url=None: engine)
    monkeypatch.setenv("GEO_USER", who[("twee", "lezer")].user)
    monkeypatch.delenv("GEO_WERKRUIMTE", raising=False)
    out = tmp_path / "register.csv"
    assert main(["partners", "export", str(out), "--werkruimte", who[("twee", "lezer")].workspace]) == 0
    text = out.read_text(encoding="utf-8-sig")
    assert "Twee A" in text and "Twee B" in text and "Een A" not in text
    assert "GEO_WERKRUIMTE" not in os.environ  # only while the command ran


def test_level_and_distance_have_one_name_in_both_languages_everywhere():
    """allocate said --niveau, the other commands --level; partners --distance, the dossier --afstand."""
    from geo.cli.main import build_parser

    parse = build_parser().parse_args
    assert parse(["division", "check", "f.csv", "--niveau", "wijk"]).level == "wijk"
    assert parse(["caseload", "summary", "--niveau", "postcode"]).level == "postcode"
    assert parse(["allocate", "--level", "wijk"]).niveau == "wijk"
    assert parse(["partners", "coverage", "--afstand", "1500"]).distance == 1500
    assert parse(["division", "dossier", "ref:elz57_gemeente", "--distance", "1500"]).afstand == 1500
