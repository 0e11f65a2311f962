"""Partners page wiring (AppTest): empty state, OSM example into the register, coverage table, location."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo.partners.io import load_osm_example
from geo.partners.register import OSM_EXAMPLE_LABEL, empty_partners
from geo.partners.store import count_partners, replace_partners
from geo.store.engine import get_engine

PAGE = str(Path(__file__).resolve().parents[1] / "views" / "partners.py")


def _metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label))


def _table(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _percent(text: str) -> float:
    return float(text.replace(" %", "").replace(".", "").replace(",", "."))


def test_example_register_coverage_and_location():
    engine = get_engine()
    replace_partners(engine, empty_partners())
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.run()
    assert not at.exception
    assert any("register is nog leeg" in i.value for i in at.info)

    at.button(key="partners_osm_add").click().run()
    assert not at.exception
    expected = len(load_osm_example())
    assert count_partners(engine) == expected
    assert _metric(at, "Partners in het register") == f"{expected:,}".replace(",", ".")
    assert any(OSM_EXAMPLE_LABEL in w.value for w in at.warning)

    # only the open tab runs: the register tab shows no coverage yet
    assert not any("Totaal" in d.value.index for d in at.dataframe)
    at.session_state["partners_tab"] = "Dekking per gebied"
    at.run()
    assert not at.exception
    wide = next(d.value for d in at.dataframe if "Totaal" in d.value.index)
    assert "school" in wide.columns and wide.loc["Totaal", "school"].endswith("%")
    assert len(wide) == 61  # 60 eerstelijnszones + Totaal

    # accessibility: one row per zone and a total, the measurement stated under it
    at.session_state["partners_tab"] = "Toegang per gebied"
    at.run()
    assert not at.exception
    access = _table(at, "Toegang (gemiddeld)")
    assert len(access) == 61 and access["Gebied"].iloc[-1] == "Totaal"
    assert any("rechte lijn" in c.value for c in at.caption)

    # where to add: the exact plan beside the greedy preview, proven optimal, never below it
    at.session_state["partners_tab"] = "Waar toevoegen?"
    at.run()
    assert not at.exception
    before = _percent(_metric(at, "Bereikt nu"))
    after = _percent(_metric(at, "Bereikt met"))
    assert after >= before
    assert any("bewezen optimaal" in c.value and "snelle benadering bereikt" in c.value for c in at.caption)
    at.text_input(key="partners_loc_n").input("3").run()
    assert not at.exception
    assert len(_table(at, "Bereikt na")) == 3
    # one capacity for every new site: the table shows what each serves, never more than that
    at.text_input(key="partners_loc_cap").input("1.000").run()
    assert not at.exception
    picks = _table(at, "Bediend")
    served = picks["Bediend"].map(lambda t: float(t.replace(".", "").replace(",", ".")))
    assert (served <= 1000).all() and len(picks) == 3

    at.session_state["partners_tab"] = "Register"
    at.run()
    at.button(key="partners_osm_remove").click().run()
    assert count_partners(engine) == 0


def _open_tab(at, name: str) -> None:
    """Open a tab as a link does (the open tab is bound to the address)."""
    at.query_params["partners_tab"] = name
    at.run()


def test_choices_in_a_tab_survive_switching_tabs():
    """Streamlit forgets widgets that a run does not draw: the types, the map type and the typed shortfall
    threshold of the coverage tab, and the number of new sites, come back after another tab was open."""
    engine = get_engine()
    replace_partners(engine, load_osm_example())
    try:
        at = AppTest.from_file(PAGE, default_timeout=180)
        _open_tab(at, "Dekking per gebied")
        assert not at.exception
        present = at.multiselect(key="partners_types").options
        assert len(present) >= 2
        chosen = present[:2]
        at.multiselect(key="partners_types").set_value(chosen).run()
        at.selectbox(key="partners_map_type").set_value(chosen[1]).run()
        at.text_input(key="partners_min_share").input("55,5").run()
        assert not at.exception
        _open_tab(at, "Waar toevoegen?")
        at.text_input(key="partners_loc_n").input("4").run()
        assert not at.exception

        _open_tab(at, "Register")
        _open_tab(at, "Dekking per gebied")
        assert not at.exception
        assert at.multiselect(key="partners_types").value == chosen
        assert at.selectbox(key="partners_map_type").value == chosen[1]
        assert at.text_input(key="partners_min_share").value == "55,5 %"
        wide = next(d.value for d in at.dataframe if "Totaal" in d.value.index)
        assert list(wide.columns) == chosen
        _open_tab(at, "Waar toevoegen?")
        assert at.text_input(key="partners_loc_n").value == "4"
        assert len(_table(at, "Bereikt na")) == 4
    finally:
        replace_partners(engine, empty_partners())
