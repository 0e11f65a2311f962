"""Validity gate: the 1G1P rules a division must meet, configurable per division type.

Shaped like a districting validity module: every rule is a small named function over a `CheckInput`
(the division, the cached `UnitData` of its units and the `GateSettings`) that returns its `Finding`s; a
`Gate` is the list of rules for one division type (`GATES`); `check` runs a gate. Everything is computed
from the cached count arrays, parent codes and adjacency in `UnitData` (no geometry), so a full check of
2767 wijken takes milliseconds.

A finding is a breach (`fout`: a rule is broken), a known exception (`uitzondering`: listed, not an
error, e.g. Voeren or the Oostkust zone that Zeebrugge cuts in two) or a note (`info`: splits that no rule
forbids, a rule that cannot be checked). Each names its rule, the areas and the unit codes to select
("ga naar"), and says in Dutch what is wrong.

The rules (keys):
- `toegewezen`: every unit of the division is in exactly one area (a `Division` cannot hold a unit
  twice; files that do are refused on import by `geo.divisions.io`).
- `niet_leeg`: no area without units.
- `samenhangend`: every area is one connected piece, apart from the known exceptions of
  `geo.divisions.metrics` (`KNOWN_EXCEPTIONS`, `KNOWN_LINKS`).
- `hele_zones` (SWV type): an SWV is a union of *whole* eerstelijnszones (call 2 of 16 June 2020).
- `ouder_niet_gesplitst` (WCP type): the chosen parent (Antwerp district or municipality) is not divided
  over several areas, unless it is in `allowed_splits`.
- `doelband`: the chosen count per area lies within the target band (absolute or +/- % of the mean).
- `splitsingen`: which municipalities, eerstelijnszones and Antwerp districts are divided over several
  areas (a figure, `info`; the parent a rule above guards is reported there as `fout`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from functools import cached_property

import numpy as np
import pandas as pd

from geo import fmt as nl
from geo.divisions.division import Division
from geo.divisions.metrics import LABELS, UnitData, components, used_links
from geo.errors import UserFacingError

FOUT, UITZONDERING, INFO = "fout", "uitzondering", "info"
SEVERITY_LABELS = {FOUT: "Fout", UITZONDERING: "Gekende uitzondering", INFO: "Ter info"}

#: Parent levels whose splits are reported, with Dutch names (singular, plural).
PARENT_LEVELS: dict[str, tuple[str, str]] = {
    "gemeente": ("gemeente", "gemeenten"),
    "district": ("Antwerps district", "Antwerpse districten"),
    "elz": ("eerstelijnszone", "eerstelijnszones"),
    "elz57": ("eerstelijnszone (57)", "eerstelijnszones (57)"),
}

#: Division types and their Dutch names.
KINDS: dict[str, str] = {
    "swv": "Samenwerkingsverbanden (unie van hele eerstelijnszones)",
    "wcp": "Wijkcontactpunten (binnen één samenwerkingsverband)",
    "vrij": "Vrije indeling (basisregels)",
}


@dataclass(frozen=True)
class Finding:
    """One result of a rule: a breach, a known exception or a note."""

    rule: str
    severity: str
    message: str
    areas: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    parent: str = ""  # code of the split zone, municipality or district, if any

    @property
    def is_breach(self) -> bool:
        return self.severity == FOUT


# ---------------------------------------------------------------------- settings


@dataclass(frozen=True)
class GateSettings:
    """What the gate checks for one division. Stored with a division (`to_dict`/`from_dict`)."""

    kind: str = "swv"
    band_column: str = "inwoners"
    band_low: float | None = None
    band_high: float | None = None
    band_pct: float | None = None  # +/- % around the mean of the non-empty areas
    zone_level: str | None = None  # swv: parent kept whole; None = `elz` for wijken, `elz57` for gemeenten
    parent_level: str = "district"  # wcp: parent not to split (`district` falls back to the municipality)
    allowed_splits: tuple[str, ...] = ()  # parent codes that may be split
    skip: tuple[str, ...] = ()  # rule keys switched off

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise UserFacingError(f"Onbekend type indeling '{self.kind}'; kies uit {', '.join(KINDS)}.")
        for name in ("band_low", "band_high", "band_pct"):
            value = getattr(self, name)
            if value is not None and (not np.isfinite(value) or value < 0):
                raise UserFacingError("De grenzen van de doelband zijn positieve getallen.")
        if self.band_low is not None and self.band_high is not None and self.band_low > self.band_high:
            raise UserFacingError("De ondergrens van de doelband ligt boven de bovengrens.")
        for name in ("zone_level", "parent_level"):
            value = getattr(self, name)
            if value is not None and value not in PARENT_LEVELS:
                raise UserFacingError(f"Onbekend niveau '{value}'; kies uit {', '.join(PARENT_LEVELS)}.")
        object.__setattr__(self, "allowed_splits", tuple(str(c) for c in self.allowed_splits))
        object.__setattr__(self, "skip", tuple(self.skip))

    @property
    def has_band(self) -> bool:
        return self.band_low is not None or self.band_high is not None or self.band_pct is not None

    def to_dict(self) -> dict:
        out = asdict(self)
        out["allowed_splits"] = list(self.allowed_splits)
        out["skip"] = list(self.skip)
        return out

    @classmethod
    def from_dict(cls, values: Mapping | None) -> GateSettings:
        """From stored values; unknown keys are ignored (older or newer versions of the program)."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in (values or {}).items() if k in known}
        for key in ("allowed_splits", "skip"):
            if key in values:
                values[key] = tuple(values[key] or ())
        return cls(**values)

    def describe(self) -> list[str]:
        """The settings in Dutch, one line per rule parameter (for panels, the CLI and reports)."""
        lines = [f"Type: {KINDS[self.kind]}."]
        column = LABELS.get(self.band_column, self.band_column)
        if self.has_band:
            parts = []
            if self.band_low is not None:
                parts.append(f"minstens {nl.number(self.band_low)}")
            if self.band_high is not None:
                parts.append(f"hoogstens {nl.number(self.band_high)}")
            if self.band_pct is not None:
                parts.append(f"binnen ± {nl.percent(self.band_pct)} van het gemiddelde")
            lines.append(f"Doelband ({column.lower()}): {', '.join(parts)}.")
        else:
            lines.append("Geen doelband ingesteld.")
        if self.kind == "wcp":
            lines.append(f"Niet te splitsen: {PARENT_LEVELS[self.parent_level][1]}.")
        if self.allowed_splits:
            lines.append(f"Splitsing toegestaan voor: {', '.join(self.allowed_splits)}.")
        if self.skip:
            lines.append(f"Uitgeschakelde regels: {', '.join(self.skip)}.")
        return lines


def default_settings(division: Division, data: UnitData | None = None) -> GateSettings:
    """A sensible first guess: divisions of part of a level (e.g. the wijken of Groot Antwerpen) or of
    Antwerp postcodes are wijkcontactpunten; others are samenwerkingsverbanden."""
    partial = data is not None and len(division.units) < data.n
    kind = "wcp" if partial or division.level == "postcode_antwerpen" else "swv"
    return GateSettings(kind=kind)


# ---------------------------------------------------------------------- input


class CheckInput:
    """A division with the `UnitData` of its units and the settings; derived arrays are cached."""

    def __init__(self, division: Division, data: UnitData, settings: GateSettings) -> None:
        self.division = division
        self.data = data.for_division(division)
        self.settings = settings
        self.labels = division.labels
        self.k = len(division.areas)
        self.split_cache: dict[tuple[str, str | None], list[Split]] = {}

    def name(self, i: int) -> str:
        """Display name of the unit at position `i`."""
        d = self.data
        return d.names[i] if d.names is not None else d.codes[i]

    def codes(self, positions: np.ndarray) -> tuple[str, ...]:
        return tuple(self.data.codes[int(i)] for i in positions)

    def names(self, positions: np.ndarray, n: int = 8) -> str:
        shown = ", ".join(self.name(int(i)) for i in positions[:n])
        return shown + (f" en {len(positions) - n} andere" if len(positions) > n else "")

    @cached_property
    def sizes(self) -> np.ndarray:
        return np.bincount(self.labels[self.labels >= 0], minlength=self.k)

    @cached_property
    def components(self) -> np.ndarray:
        return components(self.data, self.labels)

    def parent_codes(self, level: str, fallback: str | None = None) -> np.ndarray | None:
        """Parent code per unit ("" = none), or None when the units carry no such parent."""
        parents = self.data.parents
        if level not in parents:
            return None
        codes = parents[level]
        if fallback and fallback in parents:
            codes = np.where(codes == "", parents[fallback], codes)
        return codes

    def parent_name(self, level: str, code: str) -> str:
        for lv in (level, "gemeente"):
            name = self.data.parent_names.get(lv, {}).get(code)
            if name:
                return f"{name} ({code})"
        return code


# ---------------------------------------------------------------------- splits


@dataclass(frozen=True)
class Split:
    """A parent (zone, municipality, district) whose units lie in more than one area."""

    level: str
    code: str
    name: str
    areas: tuple[str, ...]  # largest share first
    units_per_area: tuple[int, ...]
    minority: tuple[str, ...]  # unit codes outside the parent's largest area


def splits(inp: CheckInput, level: str, fallback: str | None = None) -> list[Split]:
    """Parents of `level` divided over several areas (unassigned units do not count as an area)."""
    key = (level, fallback)
    if key not in inp.split_cache:
        inp.split_cache[key] = _splits(inp, level, fallback)
    return inp.split_cache[key]


def parent_index(data: UnitData, level: str, fallback: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(parent codes, parent position per unit; -1 = none) for `level`, cached on `data` (the string
    codes are turned into integers once, so that a check only counts integers)."""
    cache = data.__dict__.setdefault("_parent_index", {})
    key = (level, fallback)
    if key not in cache:
        codes = data.parents[level]
        if fallback and fallback in data.parents:
            codes = np.where(codes == "", data.parents[fallback], codes)
        names, inverse = np.unique(codes.astype(str), return_inverse=True)
        inverse = inverse.astype(np.int64)
        if len(names) and names[0] == "":
            names, inverse = names[1:], inverse - 1
        cache[key] = (names, inverse)
    return cache[key]


def _splits(inp: CheckInput, level: str, fallback: str | None) -> list[Split]:
    if inp.parent_codes(level, fallback) is None:
        return []
    codes, parent = parent_index(inp.data, level, fallback)
    lab = inp.labels
    keep = (lab >= 0) & (parent >= 0)
    if not keep.any():
        return []
    key = parent[keep] * (inp.k + 1) + lab[keep]
    pairs, counts = np.unique(key, return_counts=True)
    pair_parent, pair_label = pairs // (inp.k + 1), pairs % (inp.k + 1)
    n_areas = np.bincount(pair_parent, minlength=len(codes))
    out = []
    for p in np.flatnonzero(n_areas > 1):
        rows = pair_parent == p
        order = np.argsort(-counts[rows], kind="stable")
        labs, cnt = pair_label[rows][order], counts[rows][order]
        members = np.flatnonzero(keep & (parent == p))
        minority = members[lab[members] != labs[0]]
        out.append(
            Split(
                level,
                str(codes[p]),
                inp.parent_name(level, str(codes[p])),
                tuple(inp.division.areas[int(a)] for a in labs),
                tuple(int(c) for c in cnt),
                inp.codes(minority),
            )
        )
    return out


def split_table(found: Sequence[Split]) -> pd.DataFrame:
    """Splits as a table (Dutch column names)."""
    return pd.DataFrame(
        {
            "Niveau": [PARENT_LEVELS[s.level][0] for s in found],
            "Code": [s.code for s in found],
            "Naam": [s.name for s in found],
            "Aantal gebieden": [len(s.areas) for s in found],
            "Gebieden (eenheden)": [
                "; ".join(f"{a} ({n})" for a, n in zip(s.areas, s.units_per_area, strict=True)) for s in found
            ],
        }
    )


def _split_message(s: Split, what: str) -> str:
    shares = ", ".join(f"{a} ({n})" for a, n in zip(s.areas, s.units_per_area, strict=True))
    return f"{what[0].upper()}{what[1:]} {s.name} is verdeeld over {len(s.areas)} gebieden: {shares}."


# ---------------------------------------------------------------------- rules


def every_unit_assigned(inp: CheckInput) -> list[Finding]:
    """`toegewezen`: every unit is in an area."""
    missing = np.flatnonzero(inp.labels < 0)
    if not len(missing):
        return []
    return [
        Finding(
            "toegewezen",
            FOUT,
            f"{len(missing)} {_unit_word(len(missing))} zonder gebied: {inp.names(missing)}.",
            (),
            inp.codes(missing),
        )
    ]


def no_empty_areas(inp: CheckInput) -> list[Finding]:
    """`niet_leeg`: every area has units."""
    return [
        Finding(
            "niet_leeg",
            FOUT,
            f"Gebied '{inp.division.areas[a]}' heeft geen eenheden.",
            (inp.division.areas[a],),
        )
        for a in np.flatnonzero(inp.sizes == 0)
    ]


def contiguous(inp: CheckInput) -> list[Finding]:
    """`samenhangend`: each area is one piece; the parts apart from the largest are the units to select.
    Parts made only of known exception units (Voeren, Baarle-Hertog) and known links are listed as
    exceptions."""
    d, lab = inp.data, inp.labels
    if not d.has_adjacency:
        return [
            Finding(
                "samenhangend", INFO, "Samenhang niet te controleren: voor dit niveau is er geen burenlijst."
            )
        ]
    comp = inp.components
    assigned = np.flatnonzero(lab >= 0)
    if not len(assigned):
        return []
    weight = d.counts.get("inwoners", np.ones(d.n))
    exc_comp = np.bincount(comp, weights=~d.exception_mask, minlength=comp.max() + 1) == 0
    out: list[Finding] = []
    pairs = np.unique(np.column_stack([lab[assigned], comp[assigned]]), axis=0)
    by_area: dict[int, list[int]] = {}
    for a, c in pairs:
        by_area.setdefault(int(a), []).append(int(c))
    pop = np.bincount(comp, weights=weight, minlength=comp.max() + 1)
    size = np.bincount(comp, minlength=comp.max() + 1)
    for a, comps in by_area.items():
        area = inp.division.areas[a]
        normal = [c for c in comps if not exc_comp[c]]
        exceptional = [c for c in comps if exc_comp[c]]
        if len(exceptional) and (normal or len(exceptional) > 1):
            units = np.flatnonzero(np.isin(comp, exceptional))
            reasons = sorted({d.exceptions[int(i)] for i in units})
            out.append(
                Finding(
                    "samenhangend",
                    UITZONDERING,
                    f"Gebied '{area}': {'; '.join(reasons)}.",
                    (area,),
                    inp.codes(units),
                )
            )
        if len(normal) > 1:
            main = max(normal, key=lambda c: (pop[c], size[c]))
            loose = np.flatnonzero(np.isin(comp, [c for c in normal if c != main]))
            out.append(
                Finding(
                    "samenhangend",
                    FOUT,
                    f"Gebied '{area}' bestaat uit {len(normal)} losse delen; los van het grootste deel "
                    f"{_units_phrase(len(loose))}: {inp.names(loose)}.",
                    (area,),
                    inp.codes(loose),
                )
            )
    for a, reason in used_links(d, lab):
        area = inp.division.areas[a]
        ends = [i for i, r in enumerate(d.link_reasons) if r == reason]
        units = np.unique(d.links[ends].ravel())
        units = units[lab[units] == a]
        out.append(
            Finding("samenhangend", UITZONDERING, f"Gebied '{area}': {reason}.", (area,), inp.codes(units))
        )
    return _dedupe(out)


def _unit_word(n: int) -> str:
    return "eenheid" if n == 1 else "eenheden"


def _units_phrase(n: int) -> str:
    return "ligt 1 eenheid" if n == 1 else f"liggen {n} eenheden"


def _dedupe(found: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in found:
        key = (f.rule, f.severity, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def split_levels(inp: CheckInput) -> list[str]:
    """The parent levels whose splits are reported: municipality, Antwerp district, zone."""
    levels = [lv for lv in ("gemeente", "district") if inp.parent_codes(lv) is not None]
    zone = _zone_level(inp)
    return levels + ([zone] if zone else [])


def _zone_level(inp: CheckInput) -> str | None:
    level = inp.settings.zone_level
    if level is None:
        level = "elz" if inp.division.level == "wijk" else "elz57"
    if inp.division.level in ("elz", "elz57"):  # the units are zones themselves
        return None
    return level if inp.parent_codes(level) is not None else None


def whole_zones(inp: CheckInput) -> list[Finding]:
    """`hele_zones`: no eerstelijnszone is divided over several areas (SWV = union of whole zones)."""
    level = _zone_level(inp)
    if level is None:
        if inp.division.level in ("elz", "elz57"):
            return []
        return [
            Finding(
                "hele_zones", INFO, "Hele eerstelijnszones niet te controleren: de eenheden hebben geen zone."
            )
        ]
    allowed = set(inp.settings.allowed_splits)
    out = []
    for s in splits(inp, level):
        severity = INFO if s.code in allowed else FOUT
        note = " (toegestaan)" if s.code in allowed else ""
        out.append(
            Finding(
                "hele_zones",
                severity,
                _split_message(s, "eerstelijnszone") + note,
                s.areas,
                s.minority,
                s.code,
            )
        )
    return out


def unsplit_parent(inp: CheckInput) -> list[Finding]:
    """`ouder_niet_gesplitst`: the chosen parent level (Antwerp district, else municipality) stays whole
    unless allowed."""
    level = inp.settings.parent_level
    fallback = "gemeente" if level == "district" else None
    if inp.parent_codes(level, fallback) is None:
        if inp.division.level in (level, "postcode_antwerpen"):
            return []
        return [
            Finding(
                "ouder_niet_gesplitst",
                INFO,
                f"Niet te controleren: de eenheden hebben geen {PARENT_LEVELS[level][0]}.",
            )
        ]
    allowed = set(inp.settings.allowed_splits)
    own = set(parent_index(inp.data, level)[0])
    out = []
    for s in splits(inp, level, fallback):
        what = PARENT_LEVELS[level][0] if s.code in own else PARENT_LEVELS[fallback or level][0]
        if s.code in allowed:
            out.append(
                Finding(
                    "ouder_niet_gesplitst",
                    INFO,
                    _split_message(s, what) + " (toegestaan)",
                    s.areas,
                    s.minority,
                    s.code,
                )
            )
        else:
            out.append(
                Finding("ouder_niet_gesplitst", FOUT, _split_message(s, what), s.areas, s.minority, s.code)
            )
    return out


def band_limits(inp: CheckInput) -> tuple[float | None, float | None, np.ndarray] | None:
    """(low, high, value per area) of the target band, or None when no band is set or the count is
    missing. A relative band narrows an absolute one."""
    st = inp.settings
    if not st.has_band or st.band_column not in inp.data.counts:
        return None
    lab = inp.labels
    values = np.bincount(lab[lab >= 0], weights=inp.data.counts[st.band_column][lab >= 0], minlength=inp.k)
    low, high = st.band_low, st.band_high
    if st.band_pct is not None:
        nonempty = values[inp.sizes > 0]
        mean = float(nonempty.mean()) if len(nonempty) else 0.0
        rel_low, rel_high = mean * (1 - st.band_pct / 100), mean * (1 + st.band_pct / 100)
        low = rel_low if low is None else max(low, rel_low)
        high = rel_high if high is None else min(high, rel_high)
    return low, high, values


def within_band(inp: CheckInput) -> list[Finding]:
    """`doelband`: the band count of every non-empty area lies within the band."""
    st = inp.settings
    if not st.has_band:
        return []
    column = LABELS.get(st.band_column, st.band_column).lower()
    limits = band_limits(inp)
    if limits is None:
        return [
            Finding("doelband", INFO, f"Doelband niet te controleren: geen cijfer '{column}' op dit niveau.")
        ]
    low, high, values = limits
    band = f"{nl.number(low) if low is not None else '–'} tot {nl.number(high) if high is not None else '–'}"
    out = []
    for a in np.flatnonzero(inp.sizes > 0):
        v = float(values[a])
        where = "onder" if low is not None and v < low else "boven" if high is not None and v > high else None
        if where:
            area = inp.division.areas[a]
            members = np.flatnonzero(inp.labels == a)
            out.append(
                Finding(
                    "doelband",
                    FOUT,
                    f"Gebied '{area}': {nl.number(v)} {column}, {where} de doelband ({band}).",
                    (area,),
                    inp.codes(members),
                )
            )
    return out


def split_figures(inp: CheckInput) -> list[Finding]:
    """`splitsingen`: municipalities, zones and Antwerp districts divided over several areas (notes; the
    level a rule guards is reported by that rule)."""
    guarded = set()
    if inp.settings.kind == "swv" and "hele_zones" not in inp.settings.skip:
        guarded.add(_zone_level(inp))
    if inp.settings.kind == "wcp" and "ouder_niet_gesplitst" not in inp.settings.skip:
        guarded.add(inp.settings.parent_level)
    out = []
    for level in split_levels(inp):
        if level in guarded:
            continue
        what = PARENT_LEVELS[level][0]
        if level == "gemeente" and inp.division.level == "gemeente2024":
            what = "gemeente (2025)"  # the municipality the 2019-2024 one belongs to today
        for s in splits(inp, level):
            out.append(
                Finding(
                    "splitsingen",
                    INFO,
                    _split_message(s, what),
                    s.areas,
                    s.minority,
                    s.code,
                )
            )
    return out


# ---------------------------------------------------------------------- gates


@dataclass(frozen=True)
class Rule:
    key: str
    title: str
    check: Callable[[CheckInput], list[Finding]]


RULES: dict[str, Rule] = {
    r.key: r
    for r in [
        Rule("toegewezen", "Elke eenheid in precies één gebied", every_unit_assigned),
        Rule("niet_leeg", "Geen lege gebieden", no_empty_areas),
        Rule("samenhangend", "Elk gebied uit één stuk", contiguous),
        Rule("hele_zones", "Unie van hele eerstelijnszones", whole_zones),
        Rule("ouder_niet_gesplitst", "Districten en gemeenten niet gesplitst", unsplit_parent),
        Rule("doelband", "Binnen de doelband", within_band),
        Rule("splitsingen", "Gesplitste gemeenten, zones en districten", split_figures),
    ]
}


@dataclass(frozen=True)
class Gate:
    """The rules for one division type, in the order they are reported."""

    kind: str
    rules: tuple[Rule, ...]

    @property
    def title(self) -> str:
        return KINDS[self.kind]


def _gate(kind: str, keys: Sequence[str]) -> Gate:
    return Gate(kind, tuple(RULES[k] for k in keys))


GATES: dict[str, Gate] = {
    "swv": _gate("swv", ["toegewezen", "niet_leeg", "samenhangend", "hele_zones", "doelband", "splitsingen"]),
    "wcp": _gate(
        "wcp", ["toegewezen", "niet_leeg", "samenhangend", "ouder_niet_gesplitst", "doelband", "splitsingen"]
    ),
    "vrij": _gate("vrij", ["toegewezen", "niet_leeg", "samenhangend", "doelband", "splitsingen"]),
}


@dataclass(frozen=True)
class CheckResult:
    """The findings of one gate run, in rule order."""

    settings: GateSettings
    findings: tuple[Finding, ...]
    rules: tuple[str, ...]  # the rule keys that ran
    splits: Mapping[str, tuple[Split, ...]] = field(default_factory=dict)  # parent level -> split parents

    @property
    def split_counts(self) -> dict[str, int]:
        """Number of split parents per level (`gemeente`, `district`, `elz` or `elz57`)."""
        return {level: len(found) for level, found in self.splits.items()}

    @property
    def breaches(self) -> list[Finding]:
        return [f for f in self.findings if f.is_breach]

    @property
    def ok(self) -> bool:
        return not self.breaches

    def broken_rules(self) -> list[str]:
        return list(dict.fromkeys(f.rule for f in self.breaches))

    def table(self) -> pd.DataFrame:
        """One row per finding with Dutch column names (for screens and downloads)."""
        return pd.DataFrame(
            {
                "Regel": [RULES[f.rule].title for f in self.findings],
                "Ernst": [SEVERITY_LABELS[f.severity] for f in self.findings],
                "Gebied(en)": ["; ".join(f.areas) for f in self.findings],
                "Eenheden": [len(f.units) for f in self.findings],
                "Melding": [f.message for f in self.findings],
                "Codes": [" ".join(f.units) for f in self.findings],
            }
        )

    def summary(self) -> str:
        """One Dutch sentence."""
        n = len(self.breaches)
        exc = sum(f.severity == UITZONDERING for f in self.findings)
        head = "Alle regels zijn voldaan" if n == 0 else f"{n} {'overtreding' if n == 1 else 'overtredingen'}"
        if n:
            head += (
                f" van {len(self.broken_rules())} {'regel' if len(self.broken_rules()) == 1 else 'regels'}"
            )
        tail = f"; {exc} gekende {'uitzondering' if exc == 1 else 'uitzonderingen'}" if exc else ""
        return f"{head}{tail}."


def check(division: Division, data: UnitData, settings: GateSettings | None = None) -> CheckResult:
    """Run the gate of `settings.kind` (default: `default_settings`) over `division`."""
    settings = settings or default_settings(division, data)
    inp = CheckInput(division, data, settings)
    gate = GATES[settings.kind]
    findings: list[Finding] = []
    ran = []
    for rule in gate.rules:
        if rule.key in settings.skip:
            continue
        ran.append(rule.key)
        findings.extend(rule.check(inp))
    found = {level: tuple(splits(inp, level)) for level in split_levels(inp)}
    return CheckResult(settings, tuple(findings), tuple(ran), found)


def with_kind(settings: GateSettings, kind: str) -> GateSettings:
    """The same settings for another division type."""
    return replace(settings, kind=kind)
