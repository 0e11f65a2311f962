"""The division editor's state as a plain object (no Streamlit), kept as one instance in the session.

`EditorState` holds what the Indelingen page remembers between reruns:

- the division being edited with its undo/redo `History`, and the state it was opened or last saved as
  (the baseline of the "unsaved changes" flag and the version the store will check on save);
- the units the user selected (on the map or in the list) and a pending change of that selection for the
  list widget, which may only be written before the widget is drawn;
- the last map click already handled (a map keeps reporting its last click on every rerun);
- the figures per area of the current state, updated incrementally after an edit, and the table before
  the last edit (to highlight the areas it changed);
- a one-off message for the user after an action ("3 eenheden verplaatst").

Edits that fail raise `UserFacingError` and leave the state as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import pandas as pd

from geo.divisions.division import Division, History
from geo.divisions.metrics import AreaMetrics, UnitData, changed_areas
from geo.errors import UserFacingError

STATUS_NEW = "nog niet opgeslagen"
STATUS_DIRTY = "niet opgeslagen wijzigingen"
STATUS_SAVED = "opgeslagen"


class EditorState:
    """The editor of one division at a time; empty (`is_open` False) until a division is opened."""

    def __init__(self) -> None:
        self._history: History | None = None
        self._saved: Division | None = None
        self._selection: list[str] = []
        self._pending_selection: list[str] | None = None
        self._last_click: object | None = None
        self._metrics: AreaMetrics | None = None
        self._metrics_data: UnitData | None = None
        self._previous_table: pd.DataFrame | None = None
        self._message: str | None = None

    # ------------------------------------------------------------------ opening and saving
    @property
    def is_open(self) -> bool:
        return self._history is not None

    def open(self, division: Division, message: str | None = None) -> None:
        """Edit `division` from now on: fresh undo history, empty selection, it counts as the saved state.

        The last handled map click is kept: the map still reports it after the new division is drawn.
        """
        self._history = History(division)
        self._saved = division
        self._metrics = self._metrics_data = self._previous_table = None
        self.select([])
        if message:
            self._message = message

    def mark_saved(self, saved: Division, message: str | None = None) -> None:
        """After a save: `saved` (with its new id and version) replaces the current state, no undo step."""
        self._require_open().replace_current(saved)
        self._saved = saved
        if message:
            self._message = message

    @property
    def current(self) -> Division:
        return self._require_open().current

    @property
    def saved(self) -> Division:
        """The division as opened or last saved."""
        self._require_open()
        return self._saved  # type: ignore[return-value]

    @property
    def opened_version(self) -> int | None:
        """Store version the division was opened from or last saved as (None: not in the store)."""
        saved = self.saved
        return saved.meta.version if saved.meta.db_id is not None else None

    @property
    def dirty(self) -> bool:
        """True when the current state differs from the saved one in metadata, areas or assignment."""
        current, saved = self.current, self.saved
        if current is saved:
            return False
        return (
            saved.meta != current.meta or saved.areas != current.areas or not saved.same_assignment(current)
        )

    @property
    def status(self) -> str:
        """Dutch save status: never stored, stored with changes, or stored as shown."""
        if self.current.meta.db_id is None:
            return STATUS_NEW
        return STATUS_DIRTY if self.dirty else STATUS_SAVED

    # ------------------------------------------------------------------ edits and undo/redo
    def apply(self, division: Division, message: str | None = None) -> Division:
        """Make `division` (an edit of the current one) the current state, as one undo step."""
        self._require_open().push(division)
        if message:
            self._message = message
        return division

    def edit(self, change: Callable[[Division], Division], message: str | None = None) -> Division:
        """Apply `change(current)`; a `UserFacingError` from it leaves everything as it was."""
        return self.apply(change(self.current), message)

    def move(self, codes: Sequence[str], target: str | None) -> Division:
        """Move `codes` to `target` (None = no area, a new name creates the area); clears the selection."""
        codes = list(codes)
        if not codes:
            raise UserFacingError("Kies eerst de eenheden die u wilt verplaatsen.")
        moved = self.current.move(codes, target)
        self.select([])
        what = "1 eenheid" if len(codes) == 1 else f"{len(codes)} eenheden"
        return self.apply(moved, f"{what} naar {target or 'geen gebied'} verplaatst.")

    @property
    def can_undo(self) -> bool:
        return self.is_open and self._require_open().can_undo

    @property
    def can_redo(self) -> bool:
        return self.is_open and self._require_open().can_redo

    def undo(self) -> Division:
        return self._require_open().undo()

    def redo(self) -> Division:
        return self._require_open().redo()

    @property
    def history_length(self) -> int:
        return len(self._require_open()) if self.is_open else 0

    # ------------------------------------------------------------------ selection
    @property
    def selection(self) -> list[str]:
        return list(self._selection)

    def select(self, codes: Iterable[str]) -> None:
        """Replace the selection (duplicates dropped, order kept) and ask the list widget to follow."""
        self._selection = list(dict.fromkeys(codes))
        self._pending_selection = list(self._selection)

    def toggle(self, code: str) -> None:
        """Add `code` to the selection, or remove it when it was selected."""
        if code in self._selection:
            self.select(c for c in self._selection if c != code)
        else:
            self.select([*self._selection, code])

    def add_area(self, area: str) -> None:
        """Add every unit of `area` to the selection (sorted by code, as the list shows them)."""
        self.select(sorted(set(self._selection) | set(self.current.units_in(area))))

    def take_pending_selection(self) -> list[str] | None:
        """The selection the list widget must show, once, when an action changed it; else None."""
        pending, self._pending_selection = self._pending_selection, None
        return pending

    def follow_widget(self, codes: Iterable[str]) -> None:
        """The user changed the selection in the list widget: adopt it (no pending change)."""
        self._selection = list(dict.fromkeys(codes))

    def is_new_click(self, click: object | None) -> bool:
        """True (and remembered) when the map reports a click that was not handled yet."""
        if not click or click == self._last_click:
            return False
        self._last_click = click
        return True

    # ------------------------------------------------------------------ figures
    def metrics(self, data: UnitData) -> AreaMetrics:
        """Figures per area of the current state, updated incrementally from the previous state.

        After an incremental update the table before it is kept, so `changed_areas` can name the areas
        the edit changed; a full recomputation (new data, other units) forgets it.
        """
        division = self.current
        cached, same_data = self._metrics, self._metrics_data is data
        if cached is not None and same_data and cached.division is division:
            return cached
        if cached is not None and same_data and cached.division.units == division.units:
            self._previous_table = cached.table()
            metrics = cached.update(division)
        else:
            self._previous_table = None
            metrics = AreaMetrics(data, division)
        self._metrics, self._metrics_data = metrics, data
        return metrics

    def changed_areas(self, table: pd.DataFrame) -> list[str]:
        """Areas whose tallies in `table` (of the current state) differ from before the last edit."""
        if self._previous_table is None:
            return []
        return changed_areas(self._previous_table, table)

    # ------------------------------------------------------------------ messages
    def notify(self, message: str) -> None:
        """Remember `message` for the user (shown once after the next rerun)."""
        self._message = message

    def take_message(self) -> str | None:
        """The message of the last action, once."""
        message, self._message = self._message, None
        return message

    def _require_open(self) -> History:
        if self._history is None:
            raise RuntimeError("er is nog geen indeling geopend")
        return self._history
