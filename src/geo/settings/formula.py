"""One budget setting: every choice of the formula, as a JSON payload that a workspace can keep by name.

The payload uses the names of `python -m geo allocate`'s options (``indeling``, ``middel``, ``totaal``,
``gewicht``, …) plus ``versie``. `check` reads a payload: a key it does not know, or a value of the wrong
kind or out of range, is refused with one Dutch message listing every problem; a key that a payload of an
older version did not have gets its default. `params` turns a setting into `Params` for a loaded division,
the same way the Budget page does, so the page and the command line compute the same table.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from geo import fmt as nl
from geo.budget import allocation as al
from geo.budget import calibration as cal
from geo.budget import resources
from geo.data import facts, units
from geo.errors import UserFacingError

#: Version of the payload written now; a payload of a later version is refused (update the app).
VERSION = 1
STORED_PREFIX = "opgeslagen:"
_STORED = re.compile(r"^opgeslagen:(\d{1,12})$")

#: How Brussels is treated when the division includes it.
BRUSSELS_MODES = {
    "vast": "vast bedrag (alleen in euro)",
    "aandeel": "aandeel zoals 2021",
    "formule": "via de formule",
}
#: Brussels' share of the 2021 total (EUR 960,000 of EUR 23,999,998: 4 %), for resources other than euros.
BRUSSELS_SHARE_PCT = 100.0 * facts.BRUSSELS_FIXED_EUR / facts.BUDGET_TOTAL_2021
#: Highest weight per correction form (as on the Budget page).
WEIGHT_MAX = {"geen": 0.0, "relatief": 3.0, "per_kansarm": 20.0}
COORDINATION_MAX = 50.0


@dataclass(frozen=True)
class FormulaSetting:
    """The choices of the formula; None means "the default" (see each field)."""

    indeling: str = "swv2021"  # a key of `calibration.SETTINGS`, or ``opgeslagen:<id>``
    indeling_versie: int | None = None  # the stored division's version when the setting was saved
    middel: str = "euro"  # a key of `resources.RESOURCES`
    totaal: float | None = None  # None: the division's budget (euros) or the resource's default per area
    stap: float | None = None  # None: the resource's default step (always 1 for euros)
    bevolking: str = "pop_0_24"  # a key of `allocation.POPULATIONS`
    jaar: int | None = None  # population year (None: the latest)
    indicator: str | None = None  # deprivation indicator (None: the default)
    jaar_2021: int | None = None  # population year of the 2021 comparison (None: 2020)
    correctie: str = "relatief"  # a key of `allocation.FORMS`
    gewicht: float | None = None  # None: the form's default weight
    ontbrekend: str = "gemiddelde_elz"  # a key of `allocation.MISSING_POLICIES`
    brussel: str | None = None  # a key of `BRUSSELS_MODES`; None: vast for euros, aandeel otherwise
    brussel_bedrag: float | None = None  # the flat amount (euros); None: EUR 960,000
    coordinatie: float = 0.0  # % of the total set aside first
    minimum: float | None = None  # per area, in the resource's unit
    maximum: float | None = None

    @property
    def stored_division(self) -> int | None:
        """The id of the stored division this setting uses (None: a built-in division)."""
        match = _STORED.match(self.indeling)
        return int(match.group(1)) if match else None

    @property
    def count_year(self) -> int | None:
        """The population year of the division's counts (the 2021 SWVs use the reference year)."""
        return self.jaar_2021 if self.indeling == "swv2021" else self.jaar

    @property
    def weight(self) -> float:
        if self.correctie == "geen":
            return 0.0
        return al.DEFAULT_WEIGHTS[self.correctie] if self.gewicht is None else float(self.gewicht)

    def payload(self) -> dict[str, Any]:
        """The JSON payload (with ``versie``)."""
        return {"versie": VERSION} | asdict(self)


FIELD_NAMES = tuple(f.name for f in fields(FormulaSetting))


# ------------------------------------------------------------------------------------------- checking
def _text(value: float) -> str:
    """A number the nl-BE way with at most 3 decimals and no trailing zeros (`0,35`, `50`)."""
    return nl.number(value, 3).rstrip("0").rstrip(",")


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _problems(data: Mapping[str, Any]) -> list[str]:
    """Every problem of a payload whose keys are known (values of the wrong kind or out of range)."""
    out: list[str] = []

    def choice(key: str, options, optional: bool = False) -> None:
        value = data.get(key)
        if value is None and optional:
            return
        if not isinstance(value, str) or value not in options:
            out.append(f"{key} '{value}' is geen geldige keuze (kies uit: {', '.join(map(str, options))})")

    def amount(key: str, low: float = 0.0, high: float | None = None, positive: bool = False) -> None:
        value = data.get(key)
        if value is None:
            return
        if not _number(value):
            out.append(f"{key} moet een getal zijn, niet '{value}'")
        elif value < low or (positive and value <= low) or (high is not None and value > high):
            limit = f"tussen {nl.number(low)} en {nl.number(high)}" if high is not None else "positief"
            out.append(f"{key} ({_text(value)}) moet {limit} zijn")

    indeling = data.get("indeling")
    if not isinstance(indeling, str) or not (indeling in cal.SETTINGS or _STORED.match(indeling)):
        out.append(
            f"indeling '{indeling}' bestaat niet (kies uit: {', '.join(cal.SETTINGS)} of een opgeslagen "
            "indeling)"
        )
    version = data.get("indeling_versie")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool) or version < 1):
        out.append(f"indeling_versie '{version}' moet een versienummer (1, 2, …) zijn")
    choice("middel", list(resources.RESOURCES))
    choice("bevolking", list(al.POPULATIONS))
    choice("correctie", list(al.FORMS))
    choice("ontbrekend", list(al.MISSING_POLICIES))
    choice("brussel", list(BRUSSELS_MODES), optional=True)
    choice("indicator", list(units.INDICATORS), optional=True)
    for key in ("jaar", "jaar_2021"):
        value = data.get(key)
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or value not in units.YEARS
        ):
            years = ", ".join(map(str, units.YEARS))
            out.append(f"{key} '{value}' is geen bevolkingsjaar (kies uit: {years})")
    amount("totaal", positive=True)
    amount("stap", positive=True)
    amount("brussel_bedrag")
    amount("coordinatie", 0.0, COORDINATION_MAX)
    amount("minimum")
    amount("maximum")
    form = data.get("correctie")
    if form in WEIGHT_MAX:
        amount("gewicht", 0.0, WEIGHT_MAX[form])
    resource = data.get("middel")
    if resource == "euro" and data.get("stap") not in (None, 1, 1.0):
        out.append("een budget in euro wordt per euro verdeeld: stap moet leeg of 1 zijn")
    if resource in resources.RESOURCES and resource != "euro" and data.get("brussel") == "vast":
        out.append("een vast bedrag voor Brussel kan alleen bij een budget in euro (kies aandeel of formule)")
    low, high = data.get("minimum"), data.get("maximum")
    if _number(low) and _number(high) and low and high and low > high:
        out.append(f"minimum ({_text(low)}) is groter dan maximum ({_text(high)})")
    return out


def check(payload: Any) -> FormulaSetting:
    """A setting from a stored or given payload; a Dutch `UserFacingError` naming every problem.

    Keys of an older version that are missing get their default; an unknown key or a payload of a newer
    version is refused (nothing is guessed)."""
    if not isinstance(payload, Mapping):
        raise UserFacingError("Deze budgetinstelling is onleesbaar (geen lijst van keuzes).")
    data = dict(payload)
    version = data.pop("versie", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise UserFacingError(f"Deze budgetinstelling heeft een ongeldig versienummer '{version}'.")
    if version > VERSION:
        raise UserFacingError(
            f"Deze budgetinstelling is bewaard door een nieuwere versie van de Gebiedsplanner (versie "
            f"{version}, deze app kent tot {VERSION}); werk de app bij om ze te openen."
        )
    unknown = sorted(set(data) - set(FIELD_NAMES))
    if unknown:
        raise UserFacingError(
            f"Onbekend onderdeel in de budgetinstelling: {', '.join(map(str, unknown))}. Bekend zijn: "
            f"{', '.join(FIELD_NAMES)}."
        )
    defaults = asdict(FormulaSetting())
    full = defaults | data
    problems = _problems(full)
    if problems:
        raise UserFacingError("De budgetinstelling is ongeldig: " + "; ".join(problems) + ".")
    for key in ("totaal", "stap", "gewicht", "brussel_bedrag", "coordinatie", "minimum", "maximum"):
        if full[key] is not None:
            full[key] = float(full[key])
    return FormulaSetting(**full)


# ------------------------------------------------------------------------------------------- to and from
def carve_outs(setting: FormulaSetting, division: cal.Setting) -> tuple[al.CarveOut, ...]:
    """Brussels outside the formula, as the setting says (nothing when the division has no Brussels)."""
    if not division.brussels:
        return ()
    mode = setting.brussel or ("vast" if setting.middel == "euro" else "aandeel")
    if mode == "formule":
        return ()
    if mode == "aandeel":
        share = al.CarveOut(
            "Brussel (aandeel zoals 2021)", "elz57", (facts.BRUSSELS_ELZ,), share_pct=BRUSSELS_SHARE_PCT
        )
        return (share,)
    amount = facts.BRUSSELS_FIXED_EUR if setting.brussel_bedrag is None else setting.brussel_bedrag
    return (al.brussels_carve_out(float(amount)),)


def params(setting: FormulaSetting, division: cal.Setting) -> al.Params:
    """The formula's parameters for ``division`` (loaded with the setting's year and indicator)."""
    res = resources.resource(setting.middel)
    available = cal.available_populations(division.units)
    if setting.bevolking not in available:
        label = al.POPULATIONS[setting.bevolking].label
        raise UserFacingError(f"De bevolking '{label}' is er niet voor de indeling {division.title}.")
    step = None if res.key == "euro" else (setting.stap or res.default_step)
    total = setting.totaal
    if total is None and res.key == "euro":
        total = float(division.total)
    elif total is None:
        if res.default_per_area is None:
            raise UserFacingError(f"De budgetinstelling noemt geen totaal aan {res.noun}.")
        k = len(set(division.areas.values()))
        total = resources.from_steps(resources.to_steps(res.default_per_area, step, res=res) * k, step)
    return al.Params(
        total=float(total),
        population=setting.bevolking,
        form=setting.correctie,
        weight=setting.weight,
        missing=setting.ontbrekend,
        carve_outs=carve_outs(setting, division),
        coordination_pct=float(setting.coordinatie),
        floor=setting.minimum or None,
        cap=setting.maximum or None,
        resource=res.key,
        step=step,
    )


def from_params(
    p: al.Params,
    division: cal.Setting,
    indeling: str,
    *,
    indeling_versie: int | None = None,
    jaar: int | None = None,
    indicator: str | None = None,
    jaar_2021: int | None = None,
) -> FormulaSetting:
    """The setting that gives ``p`` again on ``division`` (checked, so it can be stored)."""
    brussel, bedrag = None, None
    if division.brussels:
        if not p.carve_outs:
            brussel = "formule"
        elif p.carve_outs[0].amount is not None:
            brussel, bedrag = "vast", float(p.carve_outs[0].amount)
        else:
            brussel = "aandeel"
    setting = FormulaSetting(
        indeling=indeling,
        indeling_versie=indeling_versie,
        middel=p.resource,
        totaal=float(p.total),
        stap=None if p.resource == "euro" else float(p.step_size),
        bevolking=p.population,
        jaar=jaar,
        indicator=indicator,
        jaar_2021=jaar_2021,
        correctie=p.form,
        gewicht=None if p.form == "geen" else float(p.weight),
        ontbrekend=p.missing,
        brussel=brussel,
        brussel_bedrag=bedrag,
        coordinatie=float(p.coordination_pct),
        minimum=p.floor,
        maximum=p.cap,
    )
    return check(setting.payload())


def load_division(setting: FormulaSetting, actor=None) -> cal.Setting:
    """The division of the setting with its counts (a stored one with the caller's identity; when it has
    changed since the setting was saved, a note says so)."""
    stored = setting.stored_division
    if stored is None:
        return cal.load_setting(setting.indeling, setting.count_year, setting.indicator)
    from geo.divisions import store as division_store

    division = division_store.open_division(stored, actor=actor)
    loaded = cal.setting_from_division(
        division, setting.indeling, f"Opgeslagen: {division.name}", setting.jaar, setting.indicator
    )
    saved, now = setting.indeling_versie, division.meta.version
    if saved is not None and now is not None and saved != now:
        loaded.notes.insert(
            0,
            f"De indeling '{division.name}' is gewijzigd sinds deze instelling bewaard is (toen versie "
            f"{saved}, nu {now}); er wordt met de huidige versie gerekend.",
        )
    return loaded


def summary(setting: FormulaSetting, title: str | None = None) -> str:
    """One Dutch line: division, resource and total, population, correction, Brussels, bounds."""
    res = resources.resource(setting.middel)
    step = setting.stap if res.key != "euro" else None
    parts = [title or cal.SETTINGS.get(setting.indeling, (None, setting.indeling))[1]]
    total = res.format(setting.totaal, step) if setting.totaal is not None else "standaardtotaal"
    parts.append(f"{res.name}: {total}")
    population = al.POPULATIONS[setting.bevolking].label
    if setting.indeling == "wcp":  # the Tabel 8 postcodes: one year whatever the setting says
        population += ", postcodes 2019 (Tabel 8)"
    elif "Vaccinnet" not in population:  # the Vaccinnet label says its year (±2021)
        year = setting.count_year
        if year is None:  # the year `load_division` takes
            year = units.REFERENCE_YEAR_2021 if setting.indeling == "swv2021" else units.DEFAULT_YEAR
        population += f", bevolking 1 januari {year}"
    parts.append(population)
    form = setting.correctie
    if form == "geen":
        parts.append("geen correctie")
    else:
        word = "relatief" if form == "relatief" else "per kansarme jongere"
        parts.append(f"correctie {word}, gewicht {_text(setting.weight)}")
    if setting.indicator:
        parts.append(units.INDICATORS[setting.indicator].label)
    if setting.brussel:
        parts.append(f"Brussel: {BRUSSELS_MODES[setting.brussel].split(' (')[0]}")
    if setting.coordinatie:
        parts.append(f"coördinatie {nl.percent(setting.coordinatie)}")
    if setting.minimum:
        parts.append(f"minimum {res.format(setting.minimum, step)}")
    if setting.maximum:
        parts.append(f"maximum {res.format(setting.maximum, step)}")
    return " · ".join(parts)
