"""The division editor's state (no Streamlit): open, edit, undo/redo, selection, dirty flag, figures."""

from __future__ import annotations

import pandas as pd
import pytest
from gridgraph import grid_edges

from geo.divisions.division import Division
from geo.divisions.metrics import AreaMetrics, UnitData
from geo.errors import UserFacingError
from geo_app.editor_state import STATUS_DIRTY, STATUS_NEW, STATUS_SAVED, EditorState

CODES = [f"U{i}" for i in range(9)]  # a 3 x 3 grid, row-major


def grid_data() -> UnitData:
    table = pd.DataFrame({"code": CODES, "inwoners": [100.0 * (i + 1) for i in range(9)]})
    table["pop_0_24"] = table["inwoners"] / 4
    return UnitData.from_frames("gemeente", table, grid_edges(CODES, 3, 3))


def rows_division(**meta) -> Division:
    """Each grid row an area; U8 (bottom right) without area."""
    mapping = {c: f"Rij {i // 3}" for i, c in enumerate(CODES) if c != "U8"}
    return Division.from_mapping("rijen", "gemeente", CODES, mapping, **meta)


def opened(**meta) -> EditorState:
    state = EditorState()
    state.open(rows_division(**meta), "geopend")
    return state


def test_empty_state_is_not_open_and_refuses_to_edit():
    state = EditorState()
    assert not state.is_open
    assert not state.can_undo and not state.can_redo
    assert state.history_length == 0
    state.notify("verwijderd")  # messages work before anything is open (e.g. after deleting a stored one)
    assert state.take_message() == "verwijderd"
    with pytest.raises(RuntimeError):
        state.current  # noqa: B018
    with pytest.raises(RuntimeError):
        state.move(["U0"], "Rij 1")


def test_open_starts_clean_with_a_message_once():
    state = opened()
    assert state.is_open
    assert state.current.name == "rijen"
    assert state.saved is state.current
    assert not state.dirty
    assert state.take_message() == "geopend"
    assert state.take_message() is None
    assert not state.can_undo and not state.can_redo


def test_move_undo_redo_and_the_redo_branch_is_dropped_by_a_new_edit():
    state = opened()
    first = state.current
    state.select(["U0", "U1"])
    state.move(["U0", "U1"], "Rij 1")
    assert state.current.units_in("Rij 1") == ["U0", "U1", "U3", "U4", "U5"]
    assert state.selection == []  # a move clears the selection
    assert "2 eenheden naar Rij 1 verplaatst" in state.take_message()
    assert state.can_undo and not state.can_redo
    assert state.undo() is first
    assert state.can_redo
    state.redo()
    assert state.current.area_of("U0") == "Rij 1"
    state.undo()
    state.move(["U8"], None)  # a new edit after undo: the old redo step is gone
    assert not state.can_redo
    assert state.history_length == 2


def test_failed_edit_changes_nothing():
    state = opened()
    before = state.current
    state.select(["U0"])
    with pytest.raises(UserFacingError):
        state.move(["U0"], "  ")  # not a valid area name
    with pytest.raises(UserFacingError):
        state.move(["ZZ"], "Rij 1")  # not a unit of the division
    with pytest.raises(UserFacingError):
        state.edit(lambda d: d.rename_area("Rij 0", "Rij 1"), "hernoemd")  # name taken
    with pytest.raises(UserFacingError):
        state.move([], "Rij 1")
    assert state.current is before
    assert state.selection == ["U0"]
    assert state.history_length == 1
    assert state.take_message() == "geopend"  # no message of the failed edits


def test_edit_applies_a_function_of_the_current_division_as_one_undo_step():
    state = opened()
    state.edit(lambda d: d.merge_areas(["Rij 0", "Rij 1"], "Boven"), "samengevoegd")
    assert state.current.areas == ("Boven", "Rij 2")
    assert state.take_message() == "samengevoegd"
    state.undo()
    assert state.current.areas == ("Rij 0", "Rij 1", "Rij 2")


def test_dirty_flag_and_status_follow_edits_undo_and_save():
    state = opened()
    assert state.status == STATUS_NEW  # never stored
    stored = rows_division(db_id=7, version=3)
    state.open(stored)
    assert state.status == STATUS_SAVED
    assert state.opened_version == 3
    state.move(["U8"], "Rij 2")
    assert state.dirty and state.status == STATUS_DIRTY
    state.undo()
    assert not state.dirty and state.status == STATUS_SAVED
    state.redo()
    # the same assignment reached through other edits counts as unchanged
    state.move(["U8"], None)
    assert not state.dirty
    state.edit(lambda d: d.with_meta(description="nieuw"))
    assert state.dirty  # metadata counts too
    saved = state.current.with_meta(version=4)
    state.mark_saved(saved, "opgeslagen")
    assert state.current is saved and not state.dirty
    assert state.opened_version == 4
    assert state.history_length == 4  # saving adds no undo step
    state.undo()
    assert state.dirty  # an older state differs from what is stored now


def test_renamed_area_with_the_same_units_is_a_change():
    state = opened()
    state.edit(lambda d: d.rename_area("Rij 0", "Noord"))
    assert state.dirty


def test_selection_toggle_add_area_and_the_pending_value_for_the_widget():
    state = opened()
    assert state.take_pending_selection() == []  # opening asks the widget to clear
    assert state.take_pending_selection() is None
    state.toggle("U4")
    state.toggle("U0")
    assert state.selection == ["U4", "U0"]
    state.toggle("U4")
    assert state.selection == ["U0"]
    state.add_area("Rij 1")
    assert state.selection == ["U0", "U3", "U4", "U5"]
    assert state.take_pending_selection() == ["U0", "U3", "U4", "U5"]
    state.follow_widget(["U5", "U5", "U2"])  # the user edited the list: no pending change
    assert state.selection == ["U5", "U2"]
    assert state.take_pending_selection() is None
    with pytest.raises(UserFacingError):
        state.add_area("Nergens")


def test_opening_another_division_clears_the_selection_but_remembers_the_last_click():
    state = opened()
    click = {"lat": 51.2, "lng": 4.4}
    assert state.is_new_click(click)
    assert not state.is_new_click(click)  # reported again on the next rerun
    assert not state.is_new_click(None)
    state.toggle("U1")
    state.open(rows_division(), "opnieuw")
    assert state.selection == []
    assert not state.is_new_click(click)  # the map still reports the old click: not a new one
    assert state.is_new_click({"lat": 51.3, "lng": 4.4})


def test_metrics_follow_edits_incrementally_and_name_the_changed_areas():
    data = grid_data()
    state = opened()
    first = state.metrics(data)
    assert state.metrics(data) is first  # nothing changed: same object
    assert state.changed_areas(first.table()) == []
    state.move(["U0"], "Rij 1")
    after = state.metrics(data)
    table = after.table()
    expected = AreaMetrics(data, state.current).table()
    pd.testing.assert_frame_equal(table, expected)  # incremental equals full recomputation
    assert state.changed_areas(table) == ["Rij 0", "Rij 1"]
    totals = table.set_index("gebied")["inwoners"]
    assert totals["Rij 1"] == 100 + 400 + 500 + 600
    state.undo()
    back = state.metrics(data).table()
    assert state.changed_areas(back) == ["Rij 0", "Rij 1"]  # undo highlights what it changed back
    pd.testing.assert_frame_equal(back, first.table())


def test_metrics_recompute_fully_for_new_data_or_a_newly_opened_division():
    data = grid_data()
    state = opened()
    state.metrics(data)
    state.move(["U8"], "Rij 2")
    other = grid_data()  # e.g. a rebuilt data set: not the same object
    table = state.metrics(other).table()
    assert state.changed_areas(table) == []
    assert table.set_index("gebied")["eenheden"].to_dict() == {"Rij 0": 3, "Rij 1": 3, "Rij 2": 3}
    state.open(rows_division())
    table = state.metrics(other).table()
    assert state.changed_areas(table) == []
    assert table.set_index("gebied")["eenheden"]["Rij 2"] == 2
