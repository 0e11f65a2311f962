"""Built-in reference divisions: eerstelijnszones, the 2021 SWVs and the Groot Antwerpen WCPs.

| key | units | areas | source |
|---|---|---|---|
| `elz57_gemeente` | 304 municipalities | 57 published eerstelijnszones | parent column `elz57` |
| `elz60_wijk` | 2767 wijken | 60 zones (Antwerpen split in 4) | parent column `elz` |
| `swv2021_elz57` | 57 eerstelijnszones | 16 SWVs | `geo.data.facts.swv_composition_2021` |
| `swv2021_gemeente` | 304 municipalities | 16 SWVs | same, via `elz57` (today's zones) |
| `swv2021_gemeente2024` | 319 municipalities 2019-2024 | 16 SWVs | same, via the zones of that time (2022) |
| `wcp_postcode` | 17 Antwerp postcodes | 7 WCPs | seed 000 Tabel 8 (`geo.data.facts`) |
| `wcp_wijk` | wijken of Groot Antwerpen | 7 WCPs | approximation, see `WCP_WIJK_NOTE` |

The SWV composition is partly a reconstruction (see the `evidence` column of the facts table).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from geo.data import facts, units
from geo.divisions.division import Division
from geo.errors import UserFacingError

#: Municipalities (2025 codes) of SWV Groot Antwerpen: Antwerpen (with Borsbeek since 2025), Schoten,
#: Stabroek, Wommelgem.
GROOT_ANTWERPEN = {"11002": "Antwerpen", "11040": "Schoten", "11044": "Stabroek", "11052": "Wommelgem"}

#: Postcode of each Antwerp district (wijk code letters 11002P..Z) and of the three municipalities.
DISTRICT_POSTCODE = {
    "11002P": "2180",  # Ekeren
    "11002Q": "2170",  # Merksem
    "11002R": "2100",  # Deurne
    "11002S": "2140",  # Borgerhout
    "11002T": "2600",  # Berchem
    "11002U": "2610",  # Wilrijk
    "11002V": "2660",  # Hoboken
    "11002Y": "2040",  # Berendrecht-Zandvliet-Lillo
    "11040": "2900",  # Schoten
    "11044": "2940",  # Stabroek
    "11052": "2160",  # Wommelgem
}

#: District Antwerpen (11002Z) spans six postcodes; each of its wijken goes to the postcode that
#: covers most of it (our reading of the street map, not an official table).
DISTRICT_ANTWERPEN_POSTCODE = {
    "11002Z01": "2060",  # Amandus - Atheneum
    "11002Z02": "2018",  # Brederode
    "11002Z03": "2018",  # Centraal Station
    "11002Z04": "2060",  # Dam
    "11002Z05": "2000",  # Eilandje
    "11002Z06": "2018",  # Haringrode
    "11002Z07": "2018",  # Harmonie
    "11002Z08": "2030",  # Haven Antwerpen
    "11002Z09": "2000",  # Historisch Centrum
    "11002Z10": "2020",  # Kiel
    "11002Z11": "2050",  # Linkeroever
    "11002Z12": "2030",  # Luchtbal
    "11002Z13": "2018",  # Markgrave
    "11002Z14": "2020",  # Middelheim
    "11002Z15": "2000",  # Nieuw - Zuid
    "11002Z16": "2020",  # Petroleum - Zuid
    "11002Z18": "2000",  # Sint-Andries
    "11002Z19": "2018",  # Stadspark
    "11002Z20": "2060",  # Stuivenberg
    "11002Z21": "2020",  # Tentoonstellingswijk
    "11002Z22": "2000",  # Theaterbuurt-Meir
    "11002Z23": "2000",  # Universiteitsbuurt
    "11002Z24": "2000",  # Zuid
    "11002Z25": "2018",  # Zurenborg
}

#: The Antwerp district that is not part of the 2020 WCP split (an Antwerp district since 2025).
BORSBEEK_DISTRICT = "11007A"

WCP_WIJK_NOTE = (
    "Benadering: de wijkcontactpunten zijn in 2020 per postcode vastgelegd; postcodes en wijken vallen "
    "niet samen. Elke wijk volgt de postcode van haar district (Antwerpen), gemeente (Schoten, Stabroek, "
    "Wommelgem) of, in het district Antwerpen, de postcode die het grootste deel van de wijk dekt. "
    "Borsbeek (district sinds 2025) zat niet in de indeling van 2020 en blijft zonder wijkcontactpunt. "
    "Met de bevolking per statistische sector (2019) wijkt het aantal inwoners per wijkcontactpunt zo af "
    "van Tabel 8: Antwerpen 2060 +3,1 %, Centrum/Linkeroever +3,0 %, Berchem/Borgerhout 0,0 %, "
    "Deurne/Wommelgem +0,1 %, Merksem/Schoten -0,2 %, Noordrand -8,9 % (Luchtbal en Ekeren volgen geen "
    "wijkgrenzen), Zuidrand -0,2 %."
)


@dataclass(frozen=True)
class Reference:
    key: str
    title: str
    level: str
    description: str
    vintage: str
    build: Callable[[], Division]


def _meta(key: str) -> dict:
    ref = REFERENCES[key]
    return {"description": ref.description, "vintage": ref.vintage, "author": "Gebiedsplanner (ingebouwd)"}


def _by_parent(key: str, column: str, mapping: dict[str, str] | None = None) -> Division:
    ref = REFERENCES[key]
    table = units.load_table(ref.level)
    parent = table[column].astype(str)
    area = parent.map(mapping) if mapping is not None else parent
    names = None
    if mapping is None and ref.level != column:
        names = _area_names(column)
    assignment = dict(zip(table["code"].astype(str), area, strict=True))
    if names:
        assignment = {u: names.get(a, a) for u, a in assignment.items()}
    ordered = sorted(set(assignment.values()), key=_natural)
    codes = table["code"].astype(str)
    return Division.from_mapping(ref.title, ref.level, codes, assignment, ordered, **_meta(key))


def _area_names(level: str) -> dict[str, str]:
    """`code -> "naam (code)"` for the areas of a parent level (readable and still unique)."""
    table = units.load_table(level)
    pairs = zip(table["code"].astype(str), table["naam"].astype(str), strict=True)
    return {c: f"{n} ({c})" for c, n in pairs}


def _natural(text: str) -> tuple:
    return tuple(int(t) if t.isdigit() else t.lower() for t in pd.Series([text]).str.split(r"(\d+)").iloc[0])


def elz57_gemeente() -> Division:
    return _by_parent("elz57_gemeente", "elz57")


def elz60_wijk() -> Division:
    return _by_parent("elz60_wijk", "elz")


def swv2021_elz57() -> Division:
    return _by_parent("swv2021_elz57", "code", facts.swv_of_elz57())


def swv2021_gemeente() -> Division:
    return _by_parent("swv2021_gemeente", "elz57", facts.swv_of_elz57())


def swv2021_gemeente2024() -> Division:
    return _by_parent("swv2021_gemeente2024", "elz57", facts.swv_of_elz57())


#: Municipalities (2019-2024 codes) whose eerstelijnszone then differs from today's zone table.
ZONE_CHANGES_SINCE_2021 = {
    "11007": ("Borsbeek", "ZORA"),
    "11035": ("Ranst", "Pallieterland"),
    "35011": ("Middelkerke", "Westkust & Polder"),
    "35029": ("De Haan", "Oostkust"),
    "73009": ("Borgloon", "Haspengouw"),
    "73040": ("Kortessem", "Haspengouw"),
}


def wcp_postcode() -> Division:
    pc = facts.wcp_postcodes()
    table = units.load_table("postcode_antwerpen")
    order = list(dict.fromkeys(pc["wcp"]))
    assignment = dict(zip(pc["postcode"], pc["wcp"], strict=True))
    return Division.from_mapping(
        REFERENCES["wcp_postcode"].title,
        "postcode_antwerpen",
        table["code"].astype(str),
        assignment,
        order,
        **_meta("wcp_postcode"),
    )


def wijk_postcodes(wijken: pd.DataFrame) -> dict[str, str | None]:
    """Postcode per wijk of Groot Antwerpen (None for Borsbeek), from `code`, `gemeente` and `district`:
    the district's postcode, the municipality's, or in district Antwerpen the postcode covering most of
    the wijk (`DISTRICT_ANTWERPEN_POSTCODE`)."""
    out: dict[str, str | None] = {}
    for code, gemeente, district in zip(wijken["code"], wijken["gemeente"], wijken["district"], strict=True):
        code, gemeente = str(code), str(gemeente)
        district = str(district) if isinstance(district, str) else None
        if gemeente not in GROOT_ANTWERPEN:
            continue
        if district == BORSBEEK_DISTRICT or code.startswith(BORSBEEK_DISTRICT):
            out[code] = None
            continue
        postcode = (
            DISTRICT_ANTWERPEN_POSTCODE.get(code)
            or DISTRICT_POSTCODE.get(district or "")
            or DISTRICT_POSTCODE.get(gemeente)
            or DISTRICT_POSTCODE.get(code[:6])
        )
        if postcode is None:
            raise ValueError(f"no WCP rule for wijk {code}")
        out[code] = postcode
    return out


def wcp_wijk_assignment(wijken: pd.DataFrame) -> dict[str, str | None]:
    """WCP per wijk of Groot Antwerpen (None for Borsbeek), through `wijk_postcodes`."""
    wcp_of_postcode = dict(zip(facts.wcp_postcodes()["postcode"], facts.wcp_postcodes()["wcp"], strict=True))
    return {code: wcp_of_postcode[pc] if pc else None for code, pc in wijk_postcodes(wijken).items()}


def wcp_wijk() -> Division:
    table = units.load_table("wijk")
    assignment = wcp_wijk_assignment(table)
    scope = [c for c in table["code"].astype(str) if c in assignment]
    order = list(dict.fromkeys(facts.wcp_postcodes()["wcp"]))
    title = REFERENCES["wcp_wijk"].title
    return Division.from_mapping(title, "wijk", scope, assignment, order, **_meta("wcp_wijk"))


REFERENCES: dict[str, Reference] = {
    r.key: r
    for r in [
        Reference(
            "elz57_gemeente",
            "Eerstelijnszones (57) per gemeente",
            "gemeente",
            "De 57 gepubliceerde eerstelijnszones als groepen van gemeenten (2025).",
            "gemeenten 2025",
            elz57_gemeente,
        ),
        Reference(
            "elz60_wijk",
            "Eerstelijnszones (60) per wijk",
            "wijk",
            "De 60 zones (Antwerpen en rand gesplitst in Centrum, Oost, Zuid en Noord) "
            "als groepen van wijken.",
            "wijken (ggw7) 2025",
            elz60_wijk,
        ),
        Reference(
            "swv2021_elz57",
            "Samenwerkingsverbanden 2021 per eerstelijnszone",
            "elz57",
            "De 16 samenwerkingsverbanden van 2021 als groepen van eerstelijnszones. Deels een reconstructie "
            "(geen publieke lijst); zie de kolom 'evidence' in de feitentabel.",
            "2021 (reconstructie)",
            swv2021_elz57,
        ),
        Reference(
            "swv2021_gemeente",
            "Samenwerkingsverbanden 2021 per gemeente",
            "gemeente",
            "De 16 samenwerkingsverbanden van 2021, via hun eerstelijnszones, als groepen van gemeenten. "
            "Deels een reconstructie.",
            "2021 (reconstructie), gemeenten 2025",
            swv2021_gemeente,
        ),
        Reference(
            "swv2021_gemeente2024",
            "Samenwerkingsverbanden 2021 per gemeente (gemeenten en zones van toen)",
            "gemeente2024",
            "De 16 samenwerkingsverbanden van 2021 op de 319 gemeenten van 2019-2024, met de "
            "eerstelijnszones van toen (Vaccinnet, 2022): zo zat Borsbeek in ZORA (Trawant), niet in "
            "Antwerpen. Deels een reconstructie.",
            "2021 (reconstructie), gemeenten 2019-2024",
            swv2021_gemeente2024,
        ),
        Reference(
            "wcp_postcode",
            "Wijkcontactpunten Groot Antwerpen per postcode",
            "postcode_antwerpen",
            "De 7 wijkcontactpunten van Groot Antwerpen als groepen van 17 postcodes "
            "(Tabel 8 van de studie).",
            "2019-2020",
            wcp_postcode,
        ),
        Reference(
            "wcp_wijk",
            "Wijkcontactpunten Groot Antwerpen per wijk (benadering)",
            "wijk",
            WCP_WIJK_NOTE,
            "2020 (benaderd op wijken 2025)",
            wcp_wijk,
        ),
    ]
}


class UnknownReferenceError(UserFacingError, KeyError):
    """A built-in division key that does not exist (a KeyError for callers, a clear message for users)."""

    def __str__(self) -> str:
        return str(self.args[0])


def reference_division(key: str) -> Division:
    """The built-in division `key` (see `REFERENCES`)."""
    if key not in REFERENCES:
        raise UnknownReferenceError(
            f"onbekende ingebouwde indeling {key!r}; kies uit {', '.join(REFERENCES)}"
        )
    return REFERENCES[key].build()
