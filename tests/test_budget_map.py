"""What the budget map shows per setting: municipalities by area or own amount, zones for wijken, none for
postcodes (real data)."""

from __future__ import annotations

import math

import pytest

from geo.budget import allocation as al
from geo.budget import calibration as cal
from geo.budget.report import amount_map
from geo.data import units


def allocated(key: str):
    setting = cal.load_setting(key)
    params = cal.default_params(setting, form="relatief", weight=0.5)
    return setting, al.allocate(setting.units, params, setting.areas)


def test_municipalities_take_their_area_amount_or_their_own(built):
    setting, alloc = allocated("swv2021")
    by_area = amount_map(alloc, setting.level, setting.units, setting.areas, by_area=True)
    own = amount_map(alloc, setting.level, setting.units, setting.areas, by_area=False)
    assert by_area.level == own.level == "gemeente2024" and by_area.borders is None  # 2021 geography
    assert len(by_area.values) == len(setting.units)
    per_area = alloc.areas.set_index("gebied")
    units_ = alloc.units.set_index("code")
    antwerpen = "11002"
    area = setting.areas[antwerpen]
    assert by_area.values[antwerpen] == pytest.approx(per_area.loc[area, "eur_per_jongere"])
    assert own.values[antwerpen] == pytest.approx(units_.loc[antwerpen, "eur_per_jongere"])
    # every municipality of one area shares one colour value when coloured by area
    members = [c for c, a in setting.areas.items() if a == area]
    assert len({by_area.values[c] for c in members}) == 1
    assert len({own.values[c] for c in members}) > 1
    assert by_area.tooltip["Gebied"][antwerpen] == area
    assert by_area.tooltip["Bedrag gebied"][antwerpen].startswith("€ ")
    assert len(by_area.area_values) == 16 and own.area_values is None


def test_wijken_are_drawn_as_their_zone(built):
    setting, alloc = allocated("elz60")
    shown = amount_map(alloc, setting.level, setting.units, setting.areas)
    assert shown.level == "elz" and shown.borders is None
    zones = set(units.load_table("elz")["code"])
    assert set(shown.values) <= zones and len(shown.values) == alloc.areas["gebied"].nunique()
    finite = [v for v in shown.values.values() if not math.isnan(v)]
    assert finite and all(v > 0 for v in finite)


def test_postcodes_have_no_map(built):
    setting, alloc = allocated("wcp")
    assert amount_map(alloc, setting.level, setting.units, setting.areas) is None
