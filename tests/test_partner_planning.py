"""Partner planning end to end: capacity and site files, accessibility and location on real wijken, CLI."""

import json

import numpy as np
import pandas as pd
import pytest

from geo.cli.main import main
from geo.data import units
from geo.errors import UserFacingError
from geo.partners import inputs, planning
from geo.partners.coverage import areas_for
from geo.partners.io import PlaceIndex, read_table
from geo.partners.register import conform, lambert_to_wgs84

PARTNERS_CSV = (
    "naam;type;lat;lon;gemeente\n"
    "CLB Antwerpen;CLB;51,2194;4,4025;\n"
    "CLB Gent;CLB;51,0543;3,7174;\n"
    "CLB Berchem;CLB;51,1950;4,4300;\n"
    "Huis van het Kind Leuven;Huis van het Kind;;;Leuven\n"
)


@pytest.fixture
def partner_file(tmp_path):
    path = tmp_path / "partners.csv"
    path.write_text(PARTNERS_CSV, encoding="utf-8")
    return path


def _register():
    frame = read_table(PARTNERS_CSV.encode(), "p.csv")
    from geo.partners.io import validate_partners

    result = validate_partners(frame, PlaceIndex.from_units())
    partners = result.partners.copy()
    partners["partner_id"] = np.arange(1, len(partners) + 1)
    return conform(partners)


# ---------------------------------------------------------------------------------------------- files
def test_capacity_file_by_id_and_name_with_row_messages():
    partners = _register()
    raw = pd.DataFrame(
        {
            "id": ["1", "", "", "99", "2", ""],
            "naam": ["", "CLB Gent", "Onbekend", "", "", "Huis van het Kind Leuven"],
            "capaciteit": ["12,5", "3", "4", "5", "2", "-1"],
        }
    )
    check = inputs.check_capacity(raw, partners)
    # index labels 0 and 1 are the partners with ids 1 and 2
    assert inputs.capacity_mapping(check) == {0: 12.5, 1: 3.0}
    texts = [str(m) for m in check.errors]
    assert "Rij 4: geen partner 'Onbekend' in het register." in texts
    assert "Rij 5: geen partner met id 99 in het register." in texts
    assert any(t.startswith("Rij 6: dezelfde partner staat al op rij 3") for t in texts)
    assert any(t.startswith("Rij 7: capaciteit '-1'") for t in texts)
    values, n_default = inputs.partner_capacity(partners, inputs.capacity_mapping(check))
    assert values.tolist() == [12.5, 3.0, 1.0, 1.0] and n_default == 2


def test_planning_files_refuse_personal_data():
    with pytest.raises(UserFacingError, match="persoonsgegevens") as err:
        inputs.check_capacity(
            pd.DataFrame({"naam": ["x"], "capaciteit": ["1"], "Geboortedatum": ["1/2/2010"]}), _register()
        )
    assert "1/2/2010" not in str(err.value)
    with pytest.raises(UserFacingError, match="persoonsgegevens"):
        inputs.check_sites(pd.DataFrame({"naam": ["x"], "wijk": ["11002A"], "e-mail": ["a@b.be"]}))


def test_site_file_locations_capacity_and_fixed():
    wijken = units.load_table("wijk")
    first = wijken.iloc[0]
    raw = pd.DataFrame(
        {
            "naam": [
                "Op coördinaten",
                "In een wijk",
                "In een gemeente",
                "Omgewisseld",
                "Nergens",
                "Lambert",
                "Getypt",
            ],
            "lat": ["51,05", "", "", "4,40", "", "", "51,2x"],
            "lon": ["3,72", "", "", "51,2", "", "", "4,4"],
            "wijk": ["", str(first["code"]), "", "", "", "", ""],
            "gemeente": ["", "", "Leuven", "", "", "", ""],
            "x": ["", "", "", "", "", "152000", ""],
            "y": ["", "", "", "", "", "212000", ""],
            "capaciteit": ["500", "", "", "", "", "abc", ""],
            "vast": ["nee", "ja", "", "", "", "", ""],
        }
    )
    check = inputs.check_sites(raw, PlaceIndex.from_units(), wijken)
    rows = check.rows.set_index("naam")
    assert list(rows.index) == ["Op coördinaten", "In een wijk", "In een gemeente"]
    assert rows.loc["Op coördinaten", "capaciteit"] == 500 and np.isnan(rows.loc["In een wijk", "capaciteit"])
    assert rows.loc["In een wijk", "vast"] and not rows.loc["In een gemeente", "vast"]
    assert rows.loc["In een wijk", "x"] == pytest.approx(first["x"])
    texts = [str(m) for m in check.errors]
    assert "Rij 5: lat 4.4 en lon 51.2 lijken omgewisseld." in texts
    assert any(t.startswith("Rij 6: locatie ontbreekt") for t in texts)
    assert any(t.startswith("Rij 7: capaciteit 'abc'") for t in texts)
    assert "Rij 8: lat '51,2x' is geen getal (typ bv. 51,2 of 51.2)." in texts  # not "locatie ontbreekt"


# ---------------------------------------------------------------------------------------------- planning
def test_accessibility_on_wijken_conserves_capacity():
    partners = _register()
    wijken = units.load_table("wijk")
    mapping = areas_for("kolom:elz", "wijk", wijken)
    settings = planning.AccessSettings(distance_m=3000, decay="lineair", capacity_unit="plaatsen")
    report = planning.accessibility(partners, wijken, mapping, settings, capacity={0: 10.0, 2: 4.0})
    total = report.areas[(report.areas["gebied"] == "Totaal") & (report.areas["type"] == "CLB")].iloc[0]
    # CLB capacity 10 + 1 (default for Gent) + 4 is handed out completely to the young people in reach
    pop = wijken["pop_0_24"].to_numpy(float)
    in_area = np.array([bool(mapping.get(c)) for c in wijken["code"]])
    by_unit = report.units["toegang_CLB"].to_numpy() / 1000
    assert (pop * by_unit).sum() == pytest.approx(15.0)
    assert total["capaciteit_bereikt"] == pytest.approx((pop * by_unit)[in_area].sum())
    assert report.n_default == 2  # Gent and the Huis van het Kind
    assert any("rechte lijn" in n for n in report.notes) and any("lineair" in n for n in report.notes)
    export, _ = planning.access_export(report)
    assert (export["afstand"] == "afstand in rechte lijn (vogelvlucht)").all()
    assert export["afname"].str.startswith("lineair").all()
    # the threshold is half the average over all areas, per type
    assert total["drempel"] == pytest.approx(0.5 * total["toegang"])


def test_locate_exact_on_wijken_with_capacity():
    partners = _register()
    wijken = units.load_table("wijk")
    mapping = areas_for("ref:wcp_wijk", "wijk", wijken)
    report = planning.locate(partners, wijken, mapping, "CLB", 3, 1500.0)
    assert report.exact.status == "optimaal"
    assert report.exact.weight_after >= report.greedy.weight_after - 1e-6
    assert set(report.exact.picks["code"]) <= set(report.scope["code"])
    sites = inputs.wijk_sites(report.scope)
    sites["capaciteit"] = 1000.0
    capped = planning.locate(partners, wijken, mapping, "CLB", 3, 1500.0, sites=sites)
    assert (capped.exact.picks["bediend"] <= 1000.0 + 1e-6).all()
    assert capped.exact.gain <= 3000.0 + 1e-6 and capped.exact.gain > 0
    table = planning.picks_table(capped, capped.exact, mapping)
    assert (table["afstand"] == "afstand in rechte lijn (vogelvlucht)").all()
    assert table["gebied"].ne("").all()


# ---------------------------------------------------------------------------------------------- CLI
def test_cli_access_writes_areas_and_units(partner_file, tmp_path, capsys):
    cap = tmp_path / "capaciteit.csv"
    cap.write_text("naam;type;capaciteit\nCLB Antwerpen;CLB;6\nCLB Gent;CLB;2,5\n", encoding="utf-8")
    out, per_unit = tmp_path / "toegang.csv", tmp_path / "wijken.xlsx"
    code = main(
        ["partners", "access", "--partners", str(partner_file), "--areas", "ref:swv2021_gemeente",
         "--type", "CLB", "--capacity", str(cap), "--decay", "gauss", "--distance", "4000",
         "--threshold", "0,25", "--out", str(out), "--units-out", str(per_unit)]
    )  # fmt: skip
    assert code == 0
    printed = capsys.readouterr().out
    assert "rechte lijn" in printed and "Gaussisch" in printed and "1 partner(s) zonder opgegeven" in printed
    header = next(line for line in printed.splitlines() if "zonder bereik" in line)
    assert "geteld" not in header  # everyone counted once: no separate column
    table = pd.read_csv(out, sep=";", decimal=",")
    assert len(table) == 17  # 16 SWVs + Totaal
    total = table[table["Gebied"] == "Totaal"].iloc[0]
    assert total["Capaciteit bij deze jongeren"] == pytest.approx(6 + 2.5 + 1, abs=1e-3)
    # the threshold typed as 0,25 is a quarter of the average access
    assert total["Drempel (per 1.000 jongeren)"] == pytest.approx(
        0.25 * total["Toegang per 1.000 jongeren (gemiddeld)"], rel=1e-3
    )
    assert (table["Afstand"] == "afstand in rechte lijn (vogelvlucht)").all()
    units_table = pd.read_excel(per_unit, dtype=str, engine="calamine")
    assert len(units_table) == 2767 and "Toegang CLB (per 1.000 jongeren)" in units_table.columns


def test_cli_locate_exact_prints_gap(partner_file, tmp_path, capsys):
    out = tmp_path / "voorstel.csv"
    code = main(
        ["partners", "locate", "--partners", str(partner_file), "--type", "CLB", "--n", "4", "--areas",
         "ref:wcp_wijk", "--distance", "1000", "--exact", "--out", str(out)]
    )  # fmt: skip
    assert code == 0
    printed = capsys.readouterr().out
    assert "bewezen optimaal" in printed and "Snelle benadering (gretig)" in printed
    picks = pd.read_csv(out, sep=";", decimal=",")
    assert len(picks) == 4 and (picks["Methode"] == "bewezen optimaal").all()


def test_cli_locate_with_site_file_and_roads(partner_file, tmp_path, capsys):
    sites = tmp_path / "kandidaten.csv"
    sites.write_text(
        "naam;gemeente;capaciteit\nLocatie Mortsel;Mortsel;800\nLocatie Schoten;Schoten;\n", "utf-8"
    )
    # a straight road between Mortsel and Schoten through Antwerp (Lambert 72), as GeoJSON in WGS84
    lat, lon = lambert_to_wgs84(np.array([155_000.0, 156_000.0]), np.array([205_000.0, 218_000.0]))
    roads = tmp_path / "wegen.geojson"
    roads.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {},
                        "geometry": {
                            "type": "LineString",
                            "coordinates": [[lon[0], lat[0]], [lon[1], lat[1]]],
                        },
                    }
                ],
            }
        )
    )
    cov_args = ["partners", "coverage", "--partners", str(partner_file), "--areas", "ref:wcp_wijk",
                "--roads", str(roads), "--min-share", "0,5",
                "--out", str(tmp_path / "dekking.csv")]  # fmt: skip
    assert main(cov_args) == 0
    assert (
        pd.read_csv(tmp_path / "dekking.csv", sep=";", decimal=",")["afstand"].str.contains("wegennet")
    ).all()
    args = ["partners", "locate", "--partners", str(partner_file), "--type", "Huis van het Kind", "--n", "1",
            "--areas", "ref:wcp_wijk", "--distance", "3000", "--exact", "--sites", str(sites)]  # fmt: skip
    assert main([*args, "--out", str(tmp_path / "recht.csv")]) == 0
    assert main([*args, "--roads", str(roads), "--out", str(tmp_path / "weg.csv")]) == 0
    printed = capsys.readouterr().out
    assert "over het wegennet 'wegen.geojson'" in printed and "meer dan 500 m van het wegennet" in printed
    straight = pd.read_csv(tmp_path / "recht.csv", sep=";", decimal=",")
    road = pd.read_csv(tmp_path / "weg.csv", sep=";", decimal=",")
    # in a straight line Schoten (no capacity limit) reaches most; along the one road only Mortsel reaches
    # young people, and no more than its 800 places
    assert (
        straight["Naam"].tolist() == ["Locatie Schoten"]
        and straight["Afstand"].str.contains("rechte lijn").all()
    )
    assert road["Naam"].tolist() == ["Locatie Mortsel"] and road["Afstand"].str.contains("wegennet").all()
    assert road["Bediende jongeren (aantal)"].iloc[0] == pytest.approx(800.0)
    # a file site gets the area of the wijk it lies in: Schoten is in WCP Merksem/Schoten, Mortsel in none
    assert straight["Gebied"].tolist() == ["Merksem/Schoten"] and road["Gebied"].isna().all()


def test_cli_errors_are_dutch_one_liners(partner_file, tmp_path, capsys):
    bad_roads = tmp_path / "wegen.gpkg"
    bad_roads.write_bytes(b"geen geopackage")
    code = main(["partners", "access", "--partners", str(partner_file), "--roads", str(bad_roads)])
    assert code == 2 and "Fout: wegen.gpkg: het wegennet kan niet gelezen worden" in capsys.readouterr().err
    bad_cap = tmp_path / "cap.csv"
    bad_cap.write_text("naam;capaciteit\nNiemand;3\n", encoding="utf-8")
    code = main(["partners", "access", "--partners", str(partner_file), "--capacity", str(bad_cap)])
    err = capsys.readouterr().err
    assert code == 2 and "Rij 2: geen partner 'Niemand'" in err and "Traceback" not in err
    code = main(
        ["partners", "locate", "--partners", str(partner_file), "--type", "CLB", "--area", "Atlantis"]
    )
    assert code == 2 and "Gebied 'Atlantis' bestaat niet" in capsys.readouterr().err


def test_cli_year_and_indicator_are_stated_and_used(partner_file, capsys):
    from geo.data import units

    args = ["partners", "access", "--partners", str(partner_file), "--type", "CLB", "--only-deprived",
            "--areas", "ref:wcp_wijk"]  # fmt: skip
    assert main([*args, "--jaar", "2019", "--indicator", "bimd"]) == 0
    printed = capsys.readouterr().out
    assert "1 januari 2019" in printed and units.INDICATORS["bimd"].label in printed
    # only the deprived are counted: the table shows that count beside all young people
    header = next(line for line in printed.splitlines() if "zonder bereik" in line)
    assert header.split()[:4] == ["gebied", "type", "jongeren", "geteld"]
    assert main([*args, "--jaar", "1999"]) == 2
    assert "Geen bevolkingscijfers voor het jaar 1999" in capsys.readouterr().err
    # the counted young people follow the indicator: BIMD and the K&G estimate give different totals
    wijken_bimd = units.load_table("wijk", indicator="bimd")
    wijken_kg = units.load_table("wijk", indicator="kg_schatting")
    mapping = areas_for("ref:wcp_wijk", "wijk", wijken_bimd)
    settings = planning.AccessSettings(only_deprived=True)
    a = planning.accessibility(_register(), wijken_bimd, mapping, settings, ["CLB"]).areas
    b = planning.accessibility(_register(), wijken_kg, mapping, settings, ["CLB"]).areas
    total_a = a.loc[a["gebied"] == "Totaal", "geteld"].iloc[0]
    total_b = b.loc[b["gebied"] == "Totaal", "geteld"].iloc[0]
    codes = [c for c in wijken_bimd["code"] if mapping.get(c)]
    assert total_a == pytest.approx(wijken_bimd.set_index("code").loc[codes, "kansarmoede_n"].sum())
    assert total_b == pytest.approx(wijken_kg.set_index("code").loc[codes, "kansarmoede_n"].sum())
    assert total_a != pytest.approx(total_b)
