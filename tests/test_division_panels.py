"""The editor's check panel and versions panel, wired through AppTest on real data: "Ga naar" selects a
finding's units, the rules' settings change the findings, status changes and restore work from the page,
and a vastgesteld version stays as it was when the page saves changes."""

from __future__ import annotations

import re
from pathlib import Path

from geo.divisions import store as division_store
from geo.divisions import validity
from geo.divisions.metrics import UnitData
from geo.divisions.references import reference_division
from geo_app import division_check, division_versions
from geo_app.text import md

PAGE = Path(__file__).resolve().parents[1] / "views" / "indelingen.py"


def open_reference(key: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(PAGE), default_timeout=180).run()
    at.selectbox(key="ind_ref").set_value(key)
    at.button(key="ind_open_ref").click().run()
    assert not at.exception
    return at


def form(at, form_id: str):
    return next(f for f in at.get("form") if f.proto.form.form_id.startswith(form_id))


def texts(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_check_panel_lists_the_gate_and_go_to_selects_the_units(built):
    at = open_reference("wcp_wijk")
    division = reference_division("wcp_wijk")
    data = UnitData.load("wijk")
    expected = validity.check(division, data, validity.default_settings(division, data))
    # the same findings as the gate (and the CLI), in the same order
    shown = [m.value for m in at.markdown if m.value.startswith(("🚫", "ℹ️", "·"))]
    assert len(shown) == len(expected.findings)
    for line, f in zip(shown, expected.findings, strict=True):
        assert line.startswith(division_check.ICONS[f.severity])
        assert division_check.md(f.message) in line
    assert any(e.value == expected.summary() for e in at.error)
    first = expected.findings[0]
    assert first.rule == "toegewezen"
    at.button(key="ind_goto_0").click().run()
    assert not at.exception
    assert at.multiselect(key="ind_sel").value == list(first.units)
    # the breach about district Antwerpen selects its wijken outside the largest WCP
    index = next(i for i, f in enumerate(expected.findings) if f.rule == "ouder_niet_gesplitst")
    at.button(key=f"ind_goto_{index}").click().run()
    assert at.multiselect(key="ind_sel").value == list(expected.findings[index].units)


def band_field(at, label: str):
    return next(t for t in at.text_input if t.label == label)


def test_band_beside_the_figures_is_the_rules_band_and_the_form_changes_the_findings(built):
    at = open_reference("swv2021_gemeente")
    assert any("Alle regels zijn voldaan" in s.value for s in at.success)
    band_field(at, "Ondergrens doelband").set_value("200.000").run()  # typed the Flemish way
    band_field(at, "Bovengrens doelband").set_value("1.000.000").run()
    assert not at.exception
    assert any(e.value.startswith("1 overtreding van 1 regel") for e in at.error)
    assert "Sonja Erteejee" in texts(at) and "boven de doelband" in texts(at)
    # the metrics table's band column shows the same band
    table = next(d.value for d in at.dataframe if "Doelband" in d.value.columns).set_index("Gebied")
    assert table.loc["Sonja Erteejee", "Doelband"] == "boven"
    assert table.loc["Trawant", "Doelband"] == "binnen"
    # an ambiguous number in the rules form is refused with a Dutch message; the rules stay as they were
    gate = form(at, "ind_gate_form")
    gate.text_input[0].set_value("1.5")
    gate.button[0].click().run()
    assert any("De regels zijn niet aangepast" in e.value and "1,5" in e.value for e in at.error)
    assert any(e.value.startswith("1 overtreding van 1 regel") for e in at.error)
    # a relative band of 10 % around the mean narrows it: more SWVs outside
    gate = form(at, "ind_gate_form")
    gate.text_input[0].set_value("10")
    gate.button[0].click().run()
    assert not at.exception
    assert any(re.match(r"\d+ overtredingen van 1 regel", e.value) for e in at.error)
    # switching a rule off through the form removes its breaches
    gate = form(at, "ind_gate_form")
    gate.multiselect[1].set_value(["doelband"])
    gate.button[0].click().run()
    assert any("Alle regels zijn voldaan" in s.value for s in at.success)


def test_status_changes_restore_and_a_vastgesteld_version_stays_as_it_was(built, stored_divisions):
    at = open_reference("wcp_wijk")
    name = "Paneeltest WCP"
    stored_divisions.append(name)
    meta = form(at, "ind_meta")
    meta.text_input[0].set_value(name)
    meta.button[0].click().run()
    assert not at.exception
    key = int(division_store.list_divisions().set_index("name").loc[name, "id"])
    original = division_store.open_division(key)
    # the panel runs only when opened
    assert any(e.label == "Versies, status en opmerkingen" for e in at.expander)
    assert not [b for b in at.button if b.key == "ind_status_voorstel"]
    at.session_state[division_versions.PANEL_KEY] = True  # what a click on it does
    at.run()
    # concept -> voorstel -> vastgesteld through the versions panel
    at.button(key="ind_status_voorstel").click().run()
    assert not at.exception
    assert division_store.status_of(key).status == "voorstel"
    at.button(key="ind_status_vastgesteld").click().run()
    assert division_store.status_of(key).status == "vastgesteld"
    assert any("vastgesteld" in i.value and "alleen-lezen" in i.value for i in at.info)
    # a change saved on the page is a new concept; version 3 stays vastgesteld and unchanged
    at.multiselect(key="ind_sel").set_value(["11007A01"]).run()
    at.selectbox(key="ind_target").set_value("Deurne/Wommelgem").run()
    at.button(key="ind_move").click().run()
    meta = form(at, "ind_meta")
    assert meta.button[0].label == "Opslaan als nieuw concept"
    meta.button[0].click().run()
    assert not at.exception
    info = division_store.status_of(key)
    assert (info.status, info.version, info.vastgesteld) == ("concept", 4, (3,))
    assert division_store.open_version(key, 3).same_assignment(original)
    assert division_store.open_division(key).area_of("11007A01") == "Deurne/Wommelgem"
    # restore version 1 from the panel: exactly the first assignment again, as version 5
    at.selectbox(key=f"ind_version_pick_{key}").set_value(1).run()
    at.button(key="ind_restore_1").click().run()
    assert not at.exception
    restored = division_store.open_division(key)
    assert restored.meta.version == 5 and restored.same_assignment(original)
    assert at.multiselect(key="ind_sel").value == []
    assert division_store.version_info(key, 5).changes.restored_from == 1
    # a comment on an area of the current version
    comment = form(at, "ind_comment_form")
    comment.selectbox[0].set_value("Deurne/Wommelgem")
    comment.text_area[0].set_value("Borsbeek hoort bij Deurne, zegt de werkgroep.")
    comment.button[0].click().run()
    notes = division_store.comments(key)
    assert notes["tekst"].tolist() == ["Borsbeek hoort bij Deurne, zegt de werkgroep."]
    assert notes["gebied"].tolist() == ["Deurne/Wommelgem"] and notes["versie"].tolist() == [5]


def test_stored_rules_are_read_once_per_version(built, stored_divisions, monkeypatch):
    at = open_reference("wcp_wijk")
    name = "Paneeltest regels"
    stored_divisions.append(name)
    meta = form(at, "ind_meta")
    meta.text_input[0].set_value(name)
    description = "**Vet** [klik](https://voorbeeld.be)"
    meta.text_area[0].set_value(description)
    meta.button[0].click().run()
    assert not at.exception
    # the typed description is shown as typed, never as markup
    assert any(c.value == md(description) for c in at.caption)
    assert not any(description in c.value for c in at.caption)
    reads = []
    real = division_store.rules_of
    monkeypatch.setattr(division_store, "rules_of", lambda *a, **k: reads.append(a) or real(*a, **k))
    for _ in range(3):
        at.run()
        assert not at.exception
    # a stored version's rules never change: at most the first of these runs reads them
    assert len(reads) <= 1
    assert not any("Gewijzigde regels" in c.value for c in at.caption)  # nothing changed since the save
