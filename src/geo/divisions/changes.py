"""What changed between two versions of a division: units moved, areas renamed, added or removed,
metadata, status and gate settings (`Changes`, computed by `diff`, stored with every version by
`geo.divisions.store`)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.divisions.division import Division


@dataclass(frozen=True)
class Changes:
    """What changed from one version to the next."""

    moved: tuple[tuple[str, str | None, str | None], ...] = ()  # unit, old area, new area (None = none)
    renamed: tuple[tuple[str, str], ...] = ()  # old name, new name
    added: tuple[str, ...] = ()  # new areas
    removed: tuple[str, ...] = ()  # areas that are gone
    meta: tuple[tuple[str, str, str], ...] = ()  # field, old, new (name, description, vintage, author)
    status: tuple[str, str] | None = None  # old, new
    rules: bool = False  # the gate settings changed
    restored_from: int | None = None

    @property
    def content_changed(self) -> bool:
        return bool(self.moved or self.renamed or self.added or self.removed)

    @property
    def empty(self) -> bool:
        return not (self.content_changed or self.meta or self.status or self.rules or self.restored_from)

    def summary(self) -> str:
        """One Dutch line."""
        parts = []
        if self.restored_from is not None:
            parts.append(f"hersteld naar versie {self.restored_from}")
        if self.moved:
            parts.append(f"{len(self.moved)} {'eenheid' if len(self.moved) == 1 else 'eenheden'} verplaatst")
        for old, new in self.renamed[:3]:
            parts.append(f"'{old}' hernoemd tot '{new}'")
        if len(self.renamed) > 3:
            parts.append(f"nog {len(self.renamed) - 3} gebieden hernoemd")
        if self.added:
            parts.append(f"nieuw: {', '.join(self.added[:5])}" + (" …" if len(self.added) > 5 else ""))
        if self.removed:
            parts.append(
                f"verwijderd: {', '.join(self.removed[:5])}" + (" …" if len(self.removed) > 5 else "")
            )
        titles = {"name": "naam", "description": "beschrijving", "vintage": "jaargang", "author": "auteur"}
        for key, old, new in self.meta:
            parts.append(f"naam '{old}' → '{new}'" if key == "name" else f"{titles.get(key, key)} gewijzigd")
        if self.status:
            parts.append(f"status {self.status[0]} → {self.status[1]}")
        if self.rules:
            parts.append("regels van de controle gewijzigd")
        text = "; ".join(parts) or "geen wijzigingen"
        return text[0].upper() + text[1:] + "."

    def to_json(self) -> str:
        return json.dumps(
            {
                "moved": [list(m) for m in self.moved],
                "renamed": [list(r) for r in self.renamed],
                "added": list(self.added),
                "removed": list(self.removed),
                "meta": [list(m) for m in self.meta],
                "status": list(self.status) if self.status else None,
                "rules": self.rules,
                "restored_from": self.restored_from,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str | None) -> Changes:
        d = json.loads(text or "{}")
        return cls(
            moved=tuple(tuple(m) for m in d.get("moved", [])),
            renamed=tuple(tuple(r) for r in d.get("renamed", [])),
            added=tuple(d.get("added", [])),
            removed=tuple(d.get("removed", [])),
            meta=tuple(tuple(m) for m in d.get("meta", [])),
            status=tuple(d["status"]) if d.get("status") else None,
            rules=bool(d.get("rules", False)),
            restored_from=d.get("restored_from"),
        )

    def moved_frame(self) -> pd.DataFrame:
        """Moved units as a table: `eenheid`, `van`, `naar`."""
        return pd.DataFrame(list(self.moved), columns=["eenheid", "van", "naar"])


def diff(old: Division | None, new: Division) -> Changes:
    """Units moved and areas renamed, added or removed between two divisions (areas matched by name;
    a vanished and a new area that hold mostly each other's units count as a rename)."""
    if old is None:
        return Changes(added=new.areas)
    old_area = dict(zip(old.units, _names(old), strict=True))
    new_area = dict(zip(new.units, _names(new), strict=True))
    vanished = [a for a in old.areas if a not in new.areas]
    appeared = [a for a in new.areas if a not in old.areas]
    renamed = _renames(old, new, vanished, appeared, old_area, new_area)
    mapping = {a: a for a in old.areas} | dict(renamed)
    moved = []
    for unit in dict.fromkeys([*old.units, *new.units]):
        before, after = old_area.get(unit), new_area.get(unit)
        if (mapping.get(before) if before is not None else None) != after:
            moved.append((unit, before, after))
    done_old, done_new = {o for o, _ in renamed}, {n for _, n in renamed}
    return Changes(
        moved=tuple(moved),
        renamed=tuple(renamed),
        added=tuple(a for a in appeared if a not in done_new),
        removed=tuple(a for a in vanished if a not in done_old),
        meta=tuple(
            (key, getattr(old.meta, key) or "", getattr(new.meta, key) or "")
            for key in ("name", "description", "vintage", "author")
            if (getattr(old.meta, key) or "") != (getattr(new.meta, key) or "")
        ),
    )


def _names(division: Division) -> list[str | None]:
    names = np.array([*division.areas, None], dtype=object)
    return names[division.labels].tolist()


def _renames(old, new, vanished, appeared, old_area, new_area) -> list[tuple[str, str]]:
    if not vanished or not appeared:
        return []
    overlap: dict[tuple[str, str], int] = {}
    for unit, before in old_area.items():
        after = new_area.get(unit)
        if before in vanished and after in appeared:
            overlap[(before, after)] = overlap.get((before, after), 0) + 1
    best_new = {}
    best_old = {}
    for (o, n), count in sorted(overlap.items(), key=lambda kv: -kv[1]):
        best_new.setdefault(o, (n, count))
        best_old.setdefault(n, (o, count))
    pairs = [(o, n) for o, (n, _) in best_new.items() if best_old.get(n, (None,))[0] == o]
    # empty areas: a vanished and a new empty area at the same position
    sizes_old, sizes_new = old.area_sizes(), new.area_sizes()
    taken_o, taken_n = {o for o, _ in pairs}, {n for _, n in pairs}
    for o in vanished:
        if o in taken_o or sizes_old[o]:
            continue
        pos = old.areas.index(o)
        if pos < len(new.areas):
            n = new.areas[pos]
            if n in appeared and n not in taken_n and not sizes_new[n]:
                pairs.append((o, n))
                taken_n.add(n)
    return pairs
