"""Budget page wiring (AppTest): the 2021 total, the best-weight button, a setting without a map."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo import fmt as nl
from geo.data import facts

PAGE = str(Path(__file__).resolve().parents[1] / "views" / "budget.py")


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


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
    weight = at.number_input(key="budget_gewicht_relatief").value
    assert f"gewicht {nl.number(weight, 3)}," in hint  # the button takes over the weight it names
    assert euros(metrics(at)["Afwijking t.o.v. 2021 (RMSE)"]) <= rmse_default

    at.selectbox(key="budget_indeling").set_value("wcp").run()
    assert not at.exception
    assert any("geen kaart" in i.value for i in at.info)
    assert "Afwijking t.o.v. 2021 (RMSE)" not in metrics(at)  # nothing published per postcode area
    assert any(e.label == "Tabel per postcode" for e in at.expander)
