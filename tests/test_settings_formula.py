"""Budget settings as payloads: checking (Dutch messages, older versions), the way back to `Params`, and
`python -m geo allocate --instelling` reproducing the table of the same choices."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from geo.budget import allocation as al
from geo.budget import calibration as cal
from geo.budget import report
from geo.cli.main import main
from geo.data import facts, units
from geo.errors import UserFacingError
from geo.settings import defaults, formula
from geo.settings import store as settings_store
from geo.store.access import local_actor

pytestmark = pytest.mark.usefixtures("built")  # the built data, or a clear failure


def share() -> al.CarveOut:
    pct = 100.0 * facts.BRUSSELS_FIXED_EUR / facts.BUDGET_TOTAL_2021
    return al.CarveOut("Brussel (aandeel zoals 2021)", "elz57", (facts.BRUSSELS_ELZ,), share_pct=pct)


CASES = [
    ("swv2021", {"weight": 0.35, "carve_outs": (al.brussels_carve_out(800_000),), "coordination_pct": 2.5}),
    ("elz57", {"form": "per_kansarm", "weight": 3.0, "missing": "mediaan_provincie", "floor": 300_000.0}),
    ("elz57", {"form": "geen", "weight": 0.0, "carve_outs": (), "population": "pop_0_17", "cap": 900_000.0}),
    ("wcp", {"total": 2_000_000.0, "population": "inwoners"}),
    ("elz57", {"resource": "vte", "step": 0.1, "total": 24.0, "carve_outs": (share(),), "floor": 0.2}),
]


@pytest.mark.parametrize(("key", "changes"), CASES)
def test_a_setting_gives_the_same_params_and_table_back(key, changes):
    division = cal.load_setting(key)
    original = cal.default_params(division, **changes)
    saved = formula.from_params(original, division, key)
    reread = formula.check(json.loads(json.dumps(saved.payload())))  # as stored in the database
    assert reread == saved
    again = formula.params(reread, formula.load_division(reread))
    assert again == original
    a = al.allocate(division.units, original, division.areas).areas
    b = al.allocate(division.units, again, division.areas).areas
    pd.testing.assert_frame_equal(a, b)


def test_missing_keys_get_defaults_and_unknown_keys_are_refused():
    old = formula.check({"indeling": "wcp"})
    assert old == formula.FormulaSetting(indeling="wcp")
    assert old.weight == al.DEFAULT_WEIGHTS["relatief"]
    with pytest.raises(UserFacingError, match="Onbekend onderdeel in de budgetinstelling: kleur"):
        formula.check({"indeling": "wcp", "kleur": "rood"})
    with pytest.raises(UserFacingError, match="nieuwere versie"):
        formula.check({"versie": formula.VERSION + 1})
    with pytest.raises(UserFacingError, match="onleesbaar"):
        formula.check(["indeling", "wcp"])


def test_bad_values_are_all_named_in_one_dutch_message():
    bad = {
        "indeling": "nergens",
        "middel": "goud",
        "gewicht": 50,
        "correctie": "relatief",
        "coordinatie": 80,
        "jaar": 1999,
        "totaal": "veel",
        "minimum": 5.0,
        "maximum": 2.0,
    }
    with pytest.raises(UserFacingError) as err:
        formula.check(bad)
    text = str(err.value)
    for part in ("indeling 'nergens'", "middel 'goud'", "gewicht (50)", "coordinatie (80)", "jaar '1999'",
                 "totaal moet een getal zijn", "minimum (5) is groter dan maximum (2)"):  # fmt: skip
        assert part in text
    with pytest.raises(UserFacingError, match="alleen bij een budget in euro"):
        formula.check({"middel": "vte", "brussel": "vast"})
    with pytest.raises(UserFacingError, match="stap moet leeg of 1"):
        formula.check({"stap": 0.5})
    fine = {"middel": "vte", "stap": 0.25, "jaar": 2019, "indicator": "kg_gemeente"}
    assert formula.check(fine).stap == 0.25


def test_a_population_the_division_lacks_is_refused():
    wcp = formula.FormulaSetting(indeling="wcp", bevolking="vacc_0_17")
    with pytest.raises(UserFacingError, match="niet voor de indeling"):
        formula.params(wcp, formula.load_division(wcp))


def test_page_defaults_check():
    assert defaults.check({}) == defaults.WorkspaceDefaults()
    assert defaults.check({"editor_niveau": "wijk"}).editor_niveau == "wijk"
    with pytest.raises(UserFacingError) as err:
        defaults.check(
            {"editor_niveau": "land", "doelband_onder": 9, "doelband_boven": 3, "partner_afstand_m": -1}
        )
    text = str(err.value)
    assert "niveau 'land'" in text and "ondergrens" in text and "negatief" in text
    with pytest.raises(UserFacingError, match="Onbekend onderdeel"):
        defaults.check({"kleur": 1})


def test_cli_allocate_with_a_saved_setting_gives_the_table_of_the_same_options(tmp_path, capsys):
    me = local_actor()
    chosen = formula.FormulaSetting(
        indeling="elz57", correctie="per_kansarm", gewicht=2.5, coordinatie=5.0, brussel_bedrag=700_000.0
    )
    settings_store.save_formula(me, "Voorstel stuurgroep", chosen, overwrite=True)
    saved_csv, plain_csv = tmp_path / "instelling.csv", tmp_path / "opties.csv"
    assert main(["allocate", "--instelling", "Voorstel stuurgroep", "--uit", str(saved_csv)]) == 0
    printed = capsys.readouterr().out
    assert "Instelling 'Voorstel stuurgroep'" in printed and "gewicht 2,5" in printed
    argv = ["allocate", "--indeling", "elz57", "--correctie", "per_kansarm", "--gewicht", "2,5"]
    assert main(argv + ["--coordinatie", "5", "--brussel-vast", "700000", "--uit", str(plain_csv)]) == 0
    assert saved_csv.read_bytes() == plain_csv.read_bytes()
    table = pd.read_csv(saved_csv, sep=";", decimal=",", encoding="utf-8-sig")
    assert table["Bedrag (EUR)"].sum() == round(facts.BUDGET_TOTAL_2021 * 0.95)
    assert main(["instelling", "lijst"]) == 0
    assert "Voorstel stuurgroep" in capsys.readouterr().out
    assert main(["instelling", "toon", "Voorstel stuurgroep"]) == 0
    assert '"gewicht": 2.5' in capsys.readouterr().out
    assert main(["allocate", "--instelling", "Bestaat niet"]) == 2
    assert "Fout: Er is geen budgetinstelling 'Bestaat niet'" in capsys.readouterr().err


def test_report_states_the_same_parameters_for_a_setting_and_its_params():
    division = cal.load_setting("swv2021")
    saved = formula.check({"indeling": "swv2021", "gewicht": 0.4})
    p = formula.params(saved, formula.load_division(saved))
    assert p == cal.default_params(division, weight=0.4)
    assert not report.parameter_table(p, {}).empty


def test_a_year_must_be_a_whole_number_not_a_float_or_text():
    for bad in (2020.0, "2020", 2020.5):
        with pytest.raises(UserFacingError, match="geen bevolkingsjaar"):
            formula.check({"indeling": "elz57", "jaar": bad})
    assert formula.check({"indeling": "elz57", "jaar": 2020}).jaar == 2020


def test_summary_names_the_population_year_also_when_it_is_the_default():
    assert "bevolking 1 januari 2020" in formula.summary(formula.check({"indeling": "swv2021"}))
    latest = f"bevolking 1 januari {units.DEFAULT_YEAR}"
    assert latest in formula.summary(formula.check({"indeling": "elz57"}))
    assert "bevolking 1 januari 2019" in formula.summary(formula.check({"indeling": "elz57", "jaar": 2019}))
    wcp = formula.summary(formula.check({"indeling": "wcp", "jaar": 2022}))
    assert "2019 (Tabel 8)" in wcp and "2022" not in wcp
