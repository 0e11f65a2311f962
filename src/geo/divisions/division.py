"""A division: a named assignment of the units of one level to areas, and its edits.

A `Division` is immutable data. `units` are the units it covers: all units of its level, or only
those of a parent area (e.g. the wijken of Groot Antwerpen). The assignment is an integer label per
unit (in the fixed order of `units`), where the label indexes `areas` and -1 means "not assigned".
Every edit (move units, create, rename, merge, split or delete an area) returns a new `Division`;
`History` keeps the states for undo and redo. A unit can never be in two areas of a `Division`: units
claimed twice are caught when a file is imported (`geo.divisions.io`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from types import MappingProxyType

import numpy as np
import pandas as pd

from geo.errors import UserFacingError

UNASSIGNED = -1


def now_utc() -> datetime:
    """The current time in UTC, to the second (what the store records)."""
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class DivisionMeta:
    """Descriptive data of a division; `db_id` and `version` are set by the store."""

    name: str
    level: str
    description: str = ""
    vintage: str = ""
    author: str = ""
    created: datetime | None = None
    updated: datetime | None = None
    db_id: int | None = None
    version: int = 0


@dataclass(frozen=True, eq=False)
class Division:
    """Assignment of the units of one level to named areas (see module docstring)."""

    meta: DivisionMeta
    units: tuple[str, ...]
    areas: tuple[str, ...]
    labels: np.ndarray
    _index: Mapping[str, int] = field(repr=False, default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        labels = np.asarray(self.labels, dtype=np.int32)
        if labels.shape != (len(self.units),):
            raise ValueError("labels must have one entry per unit")
        if len(labels) and (labels.min() < UNASSIGNED or labels.max() >= len(self.areas)):
            raise ValueError("label out of range")
        if len(set(self.areas)) != len(self.areas):
            raise ValueError("area names must be unique")
        labels = labels.copy()
        labels.flags.writeable = False
        object.__setattr__(self, "labels", labels)
        if self._index is None:
            object.__setattr__(self, "_index", _unit_index(self.units))

    def __reduce__(self):
        """Pickle without the derived unit index (rebuilt on load)."""
        return (Division, (self.meta, self.units, self.areas, np.array(self.labels)))

    # ------------------------------------------------------------------ construction
    @classmethod
    def empty(
        cls, name: str, level: str, units: Sequence[str], areas: Sequence[str] = (), **meta
    ) -> Division:
        """A division with the given areas and every unit unassigned."""
        units = tuple(str(u) for u in units)
        return cls(
            DivisionMeta(name=name, level=level, **meta),
            units,
            tuple(areas),
            np.full(len(units), UNASSIGNED, dtype=np.int32),
        )

    @classmethod
    def from_mapping(
        cls,
        name: str,
        level: str,
        units: Sequence[str],
        assignment: Mapping[str, str | None],
        areas: Sequence[str] | None = None,
        **meta,
    ) -> Division:
        """Build from `unit -> area` (None or "" = unassigned). Areas keep `areas` order, then first use.

        Raises `UserFacingError` for codes that are not units of the level.
        """
        units = tuple(str(u) for u in units)
        index = _unit_index(units)
        unknown = [u for u in assignment if u not in index]
        if unknown:
            shown = ", ".join(sorted(unknown)[:10])
            raise UserFacingError(f"{len(unknown)} code(s) bestaan niet op niveau {level}: {shown}.")
        order = list(areas or [])
        seen = set(order)
        for area in assignment.values():
            if area and area not in seen:
                seen.add(area)
                order.append(area)
        pos = {a: i for i, a in enumerate(order)}
        labels = np.full(len(units), UNASSIGNED, dtype=np.int32)
        for unit, area in assignment.items():
            if area:
                labels[index[unit]] = pos[area]
        return cls(DivisionMeta(name=name, level=level, **meta), units, tuple(order), labels, index)

    # ------------------------------------------------------------------ reading
    @property
    def name(self) -> str:
        return self.meta.name

    @property
    def level(self) -> str:
        return self.meta.level

    @property
    def assignment(self) -> Mapping[str, str]:
        """Read-only `unit -> area` for the assigned units."""
        return MappingProxyType(
            {u: self.areas[lab] for u, lab in zip(self.units, self.labels.tolist(), strict=True) if lab >= 0}
        )

    def index_of(self, unit: str) -> int:
        try:
            return self._index[unit]
        except KeyError:
            raise UserFacingError(f"Eenheid {unit} bestaat niet op niveau {self.level}.") from None

    def area_of(self, unit: str) -> str | None:
        lab = int(self.labels[self.index_of(unit)])
        return self.areas[lab] if lab >= 0 else None

    def units_in(self, area: str) -> list[str]:
        lab = self._area_label(area)
        return [self.units[i] for i in np.flatnonzero(self.labels == lab)]

    def unassigned(self) -> list[str]:
        return [self.units[i] for i in np.flatnonzero(self.labels == UNASSIGNED)]

    def area_sizes(self) -> dict[str, int]:
        """Number of units per area (empty areas included)."""
        counts = np.bincount(self.labels[self.labels >= 0], minlength=len(self.areas))
        return dict(zip(self.areas, counts.tolist(), strict=True))

    def to_frame(self) -> pd.DataFrame:
        """One row per unit: `unit_code`, `area` (None where unassigned)."""
        names = np.array(list(self.areas) + [None], dtype=object)
        return pd.DataFrame({"unit_code": list(self.units), "area": names[self.labels]})

    def same_assignment(self, other: Division) -> bool:
        """True when both assign every unit to an area of the same name."""
        if self.units != other.units:
            return False
        a = np.array(list(self.areas) + [None], dtype=object)[self.labels]
        b = np.array(list(other.areas) + [None], dtype=object)[other.labels]
        return bool((a == b).all())

    def _area_label(self, area: str) -> int:
        try:
            return self.areas.index(area)
        except ValueError:
            raise UserFacingError(f"Het gebied '{area}' bestaat niet in deze indeling.") from None

    def _unit_positions(self, units: Iterable[str]) -> np.ndarray:
        return np.fromiter((self.index_of(u) for u in units), dtype=np.int64)

    def _with(self, areas: tuple[str, ...] | None = None, labels: np.ndarray | None = None) -> Division:
        return Division(
            self.meta,
            self.units,
            self.areas if areas is None else areas,
            self.labels if labels is None else labels,
            self._index,
        )

    # ------------------------------------------------------------------ edits (each returns a new Division)
    def with_meta(self, **changes) -> Division:
        """A copy with changed metadata (name, description, vintage, author, ...)."""
        return Division(replace(self.meta, **changes), self.units, self.areas, self.labels, self._index)

    def move(self, units: Iterable[str], area: str | None, create: bool = True) -> Division:
        """Move `units` to `area` (None = unassign); a new area name is created when `create`."""
        positions = self._unit_positions(units)
        areas = self.areas
        if area is None:
            target = UNASSIGNED
        elif area in areas:
            target = areas.index(area)
        elif create:
            _check_name(area)
            areas = areas + (area,)
            target = len(areas) - 1
        else:
            raise UserFacingError(f"Het gebied '{area}' bestaat niet in deze indeling.")
        labels = self.labels.copy()
        labels[positions] = target
        return self._with(areas, labels)

    def apply_moves(self, moves: Mapping[str, str | None]) -> Division:
        """Apply a batch `unit -> area` at once (new area names are created)."""
        by_target: dict[str | None, list[str]] = {}
        for unit, area in moves.items():
            by_target.setdefault(area or None, []).append(unit)
        result = self
        for area, units in by_target.items():
            result = result.move(units, area)
        return result

    def create_area(self, name: str) -> Division:
        _check_name(name)
        if name in self.areas:
            raise UserFacingError(f"Er bestaat al een gebied '{name}'.")
        return self._with(self.areas + (name,))

    def rename_area(self, old: str, new: str) -> Division:
        lab = self._area_label(old)
        _check_name(new)
        if new != old and new in self.areas:
            raise UserFacingError(f"Er bestaat al een gebied '{new}'.")
        areas = list(self.areas)
        areas[lab] = new
        return self._with(tuple(areas))

    def merge_areas(self, areas: Sequence[str], into: str | None = None) -> Division:
        """Merge `areas` into one; it keeps the name `into` (default: the first of `areas`)."""
        if len(areas) < 2:
            raise UserFacingError("Kies minstens twee gebieden om samen te voegen.")
        labs = [self._area_label(a) for a in areas]
        keep = labs[0]
        result = self._with(labels=np.where(np.isin(self.labels, labs), keep, self.labels))
        result = result._drop_areas([a for a in areas[1:]])
        if into and into != areas[0]:
            result = result.rename_area(areas[0], into)
        return result

    def split_area(self, area: str, units: Iterable[str], new_name: str) -> Division:
        """Move `units` (which must lie in `area`) to a new area `new_name`."""
        lab = self._area_label(area)
        units = list(units)
        if not units:
            raise UserFacingError("Kies de eenheden die naar het nieuwe gebied gaan.")
        outside = [u for u in units if int(self.labels[self.index_of(u)]) != lab]
        if outside:
            raise UserFacingError(f"Deze eenheden liggen niet in '{area}': {', '.join(outside[:10])}.")
        return self.create_area(new_name).move(units, new_name)

    def delete_area(self, area: str, move_to: str | None = None) -> Division:
        """Delete `area`; its units go to `move_to` or become unassigned."""
        lab = self._area_label(area)
        target = UNASSIGNED if move_to is None else self._area_label(move_to)
        if target == lab:
            raise UserFacingError("Een gebied kan niet naar zichzelf verplaatst worden.")
        result = self._with(labels=np.where(self.labels == lab, target, self.labels))
        return result._drop_areas([area])

    def _drop_areas(self, names: Sequence[str]) -> Division:
        drop = {self._area_label(n) for n in names}
        keep = [i for i in range(len(self.areas)) if i not in drop]
        remap = np.full(len(self.areas) + 1, UNASSIGNED, dtype=np.int32)  # last slot maps -1
        remap[keep] = np.arange(len(keep), dtype=np.int32)
        if (np.isin(self.labels, list(drop))).any():
            raise ValueError("cannot drop an area that still has units")
        return self._with(tuple(self.areas[i] for i in keep), remap[self.labels])


def _unit_index(units: Sequence[str]) -> Mapping[str, int]:
    index = {u: i for i, u in enumerate(units)}
    if len(index) != len(units):
        raise ValueError("unit codes must be unique")
    return MappingProxyType(index)


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not name.strip():
        raise UserFacingError("Geef het gebied een naam.")
    if name != name.strip():
        raise UserFacingError("Een gebiedsnaam begint of eindigt niet met een spatie.")


class History:
    """Undo/redo over divisions: `push` a new state, `undo`/`redo` move through them."""

    def __init__(self, initial: Division, limit: int = 200) -> None:
        self._states: list[Division] = [initial]
        self._pos = 0
        self._limit = limit

    @property
    def current(self) -> Division:
        return self._states[self._pos]

    @property
    def can_undo(self) -> bool:
        return self._pos > 0

    @property
    def can_redo(self) -> bool:
        return self._pos < len(self._states) - 1

    def __len__(self) -> int:
        return len(self._states)

    def push(self, division: Division) -> Division:
        """Make `division` the current state; drops the redo branch. Returns it."""
        del self._states[self._pos + 1 :]
        self._states.append(division)
        if len(self._states) > self._limit:
            del self._states[0]
        self._pos = len(self._states) - 1
        return division

    def replace_current(self, division: Division) -> Division:
        """Swap the current state without a new undo step (e.g. after saving set a new version)."""
        self._states[self._pos] = division
        return division

    def undo(self) -> Division:
        if self.can_undo:
            self._pos -= 1
        return self.current

    def redo(self) -> Division:
        if self.can_redo:
            self._pos += 1
        return self.current
