"""Partner register in the database: replace, append, edit; nothing half-written."""

import pandas as pd
import pytest

from geo.errors import UserFacingError
from geo.partners.register import conform, wgs84_to_lambert
from geo.partners.store import (
    append_partners,
    count_partners,
    delete_partners,
    load_partners,
    replace_partners,
    save_edits,
)
from geo.store.engine import make_engine


@pytest.fixture
def engine(tmp_path):
    return make_engine(f"sqlite:///{tmp_path / 'p.sqlite'}")


def _partners(names, lat=51.2, betrokkenheid=""):
    n = len(names)
    return conform(
        pd.DataFrame(
            {
                "naam": names,
                "type": ["CLB"] * n,
                "gefinancierd": [False] * n,
                "lat": [lat + i * 0.01 for i in range(n)],
                "lon": [4.4] * n,
                "betrokkenheid": [betrokkenheid] * n,
            }
        )
    )


def test_replace_then_load_round_trip(engine):
    stored = replace_partners(engine, _partners(["A", "B"], betrokkenheid="Noord: structureel; Zuid: ad hoc"))
    assert stored == 2
    p = load_partners(engine)
    assert p["naam"].tolist() == ["A", "B"]
    assert p["betrokkenheid"].tolist() == ["Noord: structureel; Zuid: ad hoc"] * 2
    x, y = wgs84_to_lambert(51.2, 4.4)
    assert p.loc[0, "x"] == pytest.approx(float(x)) and p.loc[0, "y"] == pytest.approx(float(y))
    assert p["partner_id"].notna().all()
    replace_partners(engine, _partners(["C"]))
    assert load_partners(engine)["naam"].tolist() == ["C"]


def test_append_adds(engine):
    replace_partners(engine, _partners(["A"]))
    append_partners(engine, _partners(["B", "C"]))
    assert count_partners(engine) == 3


def test_invalid_rows_write_nothing(engine):
    replace_partners(engine, _partners(["A", "B"]))
    bad = _partners(["X", "Y"])
    bad.loc[1, "type"] = "jeugdhuis"
    with pytest.raises(UserFacingError, match="Rij 2: onbekend type 'jeugdhuis'"):
        replace_partners(engine, bad)
    assert load_partners(engine)["naam"].tolist() == ["A", "B"]


def test_database_failure_mid_write_rolls_back(engine):
    replace_partners(engine, _partners(["A", "B"]))
    bad = _partners(["X", "Y", "Z"])
    bad.loc[2, "lat"] = 95.0  # passes the python check, refused by the database constraint
    with pytest.raises(UserFacingError, match="Niets opgeslagen"):
        replace_partners(engine, bad)
    assert load_partners(engine)["naam"].tolist() == ["A", "B"]
    with pytest.raises(UserFacingError):
        append_partners(engine, bad)
    assert count_partners(engine) == 2


def test_save_edits_adds_changes_and_deletes(engine):
    replace_partners(engine, _partners(["A", "B", "C"]))
    p = load_partners(engine)
    p.loc[0, "naam"] = "A2"
    p.loc[0, "betrokkenheid"] = "Oost: stuurgroep"
    p.loc[1, "lat"] = 51.0  # moved: x/y follow, no longer approximate
    p.loc[1, "benaderd"] = True
    p = p.drop(index=2)
    new = _partners(["D"])
    edited = pd.concat([p, new], ignore_index=True)
    counts = save_edits(engine, edited)
    assert counts == {"toegevoegd": 1, "gewijzigd": 2, "verwijderd": 1}
    after = load_partners(engine)
    assert after["naam"].tolist() == ["A2", "B", "D"]
    assert after.loc[0, "betrokkenheid"] == "Oost: stuurgroep"
    _, y = wgs84_to_lambert(51.0, 4.4)
    assert after.loc[1, "y"] == pytest.approx(float(y))
    assert not after.loc[1, "benaderd"]


def test_points_outside_belgium_are_refused(engine):
    bad = _partners(["Parijs"], lat=48.85)
    with pytest.raises(UserFacingError, match="Rij 1: locatie .* ligt buiten België"):
        append_partners(engine, bad)
    assert count_partners(engine) == 0


def test_save_edits_with_error_keeps_register(engine):
    replace_partners(engine, _partners(["A", "B"]))
    p = load_partners(engine)
    p.loc[1, "betrokkenheid"] = "Noord: misschien"
    p = p.drop(index=0)
    with pytest.raises(UserFacingError, match="Rij 1: betrokkenheid"):
        save_edits(engine, p)
    assert load_partners(engine)["naam"].tolist() == ["A", "B"]


def test_delete(engine):
    replace_partners(engine, _partners(["A", "B"], betrokkenheid="Noord: geen"))
    ids = load_partners(engine)["partner_id"].tolist()
    assert delete_partners(engine, [ids[0]]) == 1
    assert load_partners(engine)["naam"].tolist() == ["B"]


def test_batch_insert_links_every_partner_to_its_own_involvement(engine):
    # ids after a deletion in the middle and at the end, then a batch append: every row keeps its own
    # involvement (the ids of a batch are assigned in order)
    replace_partners(engine, _partners(["A", "B", "C"]))
    ids = load_partners(engine).set_index("naam")["partner_id"]
    delete_partners(engine, [int(ids["B"]), int(ids["C"])])
    new = pd.concat(
        [_partners([f"N{i}"], betrokkenheid=f"Gebied {i}: structureel") for i in range(300)],
        ignore_index=True,
    )
    assert append_partners(engine, new) == 300
    p = load_partners(engine)
    assert p["partner_id"].is_unique and len(p) == 301
    for name, involvement in zip(p["naam"], p["betrokkenheid"], strict=True):
        expected = "" if name == "A" else f"Gebied {name[1:]}: structureel"
        assert involvement == expected, name
