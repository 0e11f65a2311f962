"""The personal-data screen: every sheet of a file, its column names and its values, before anything else.

The product works with aggregated figures and organisations only. A file is refused as a whole, with a
message that names the sheet and column (never a value), when

- a column name points at a person: first or last name, a person's name (`naam`, `cliënt`, `kind`, ...
  unless the kind of file gives `naam` another meaning), national register number (rijksregisternummer,
  INSZ), birth date, address, e-mail, phone, bank account, case file number;
- a value looks like a Belgian national register number with a valid check number, an e-mail address, a
  Belgian mobile number or IBAN, a street address (`Kerkstraat 12`), or a date to the day (a possible birth
  date; a month column may hold the first of a month, which is how Excel stores `2024-03`);
- a column that should hold a type or a label (`Kind.name_screened`, and every column the kind does not
  use) holds values shaped like person names (`Jan Peeters`, `Peeters, Jan`).

Nothing of a refused file is kept: the caller gets `PrivacyError` before any table is built.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from geo.errors import UserFacingError
from geo.fmt import fold_text
from geo.imports.reading import RawFile, Sheet
from geo.imports.table import Kind, find_header, match_columns

#: Fragments of a folded column name (spaces ignored) that point at personal data.
NAME_FRAGMENTS = (
    "voornaam",
    "achternaam",
    "familienaam",
    "meisjesnaam",
    "roepnaam",
    "rijksregister",
    "insz",
    "inss",
    "ssin",
    "geboorte",
    "birth",
    "adres",
    "address",
    "straat",
    "street",
    "huisnummer",
    "housenumber",
    "email",
    "mail",
    "telefoon",
    "phone",
    "gsm",
    "mobiel",
    "iban",
    "rekeningnummer",
    "bankrekening",
    "client",
    "patient",
    "contactpersoon",
    "dossiernummer",
    "dossiernr",
    "firstname",
    "lastname",
    "surname",
)
#: Whole words of a folded column name that point at personal data.
NAME_WORDS = frozenset(
    {
        "naam",
        "name",
        "nom",
        "prenom",
        "rrn",
        "nrn",
        "dob",
        "ssn",
        "bsn",
        "tel",
        "kind",
        "jongere",
        "ouder",
        "moeder",
        "vader",
        "persoon",
        "dossier",
    }
)
#: Words that make `naam`/`name` the name of a place, an area or an organisation.
NEUTRAL_WORDS = frozenset(
    {
        "gemeente",
        "gemeentenaam",
        "wijk",
        "gebied",
        "postcode",
        "verwijzer",
        "organisatie",
        "dienst",
        "partner",
        "wcp",
        "district",
        "eenheid",
        "zone",
        "provincie",
        "swv",
        "indeling",
        "blad",
        "veld",
        "voorziening",
        "school",
        "type",
    }
)

_RRN = re.compile(r"^\d{2}[.\s]?\d{2}[.\s]?\d{2}[-\s.]?\d{3}[.\s]?\d{2}$")
_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$|^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})$")
_MOBILE = re.compile(r"^(\+32|0032|0)\s?4\d{2}([\s./]?\d{2}){3}$")
_IBAN = re.compile(r"^BE\d{2}(\s?\d{4}){3}$", re.IGNORECASE)
_STREET = re.compile(
    r"\b[\w'-]*(straat|laan|lei|weg|plein|steenweg|dreef|kaai|markt|baan|dijk|singel|vest|hof|pad|"
    r"wegel|berg|rue|avenue|chaussee|chaussée|boulevard)\b,?\s+\d{1,4}\s?[a-zA-Z]?(\s*(bus|b)\s*\d+)?\b",
    re.IGNORECASE,
)
_NAME_TOKEN = re.compile(r"^[A-ZÀ-Ý][a-zà-ÿ'-]+$")
_PARTICLES = frozenset({"van", "de", "der", "den", "du", "le", "la", "vanden", "vander", "ter", "ten", "d'"})

#: Common first names in Flanders and Brussels (from public first-name statistics), folded.
FIRST_NAMES = frozenset(
    """
    aaron adam ahmed alexander ali alice amelie amina anna anne annelies arthur astrid axel bart ben bert
    bram camille charlotte chloe daan david dirk elena eline elias elise ella emma eva evi fatima femke
    finn frank gert geert greet hanne hannah hans helena hilde ilse ines inge jan jana jasper jef jelle
    jens joke jonas joris jozef julie julien karel katrien kevin kim koen kris lars laura lea lena leen
    lien liam lies lisa lotte louis lucas luc maarten marc marie maria mario mark marleen martine maxime
    mehmet mila mohamed nathalie nina noah noor olivia patrick paul peter pieter rik rita robbe ruben sam
    sara sander sarah sofie sophie stefan stijn thomas tim tom tine tuur vincent ward wim wout yasmine
    yusuf zoe mustafa youssef ayoub imane sanne lore fien nore lowie vic mathis mats nora amber jules
    els an ann anja veerle wendy nancy sandra kristof dries bjorn wouter steven filip johan guido eddy willy
    rudi ria karin ingrid heidi sabine tinne eline jolien lieve brecht seppe warre kobe siebe jente lukas
    emiel victor lotte marthe roos amelia omar hamza aya salma nour ilias adam rayan eden jeanne louise
    """.split()
)


class PrivacyError(UserFacingError):
    """The file looks like it holds personal data; it was refused and nothing of it was kept."""


@dataclass(frozen=True)
class Finding:
    sheet: str
    column: str
    reason: str
    row: int | None = None

    def text(self) -> str:
        where = f"kolom '{self.column}'"
        if self.sheet:
            where += f" (blad '{self.sheet}')"
        at = f", eerst op rij {self.row}" if self.row is not None else ""
        return f"{where}: {self.reason}{at}"


# ---------------------------------------------------------------------------------------------- names
def personal_column(name: str) -> bool:
    """True when a column name suggests personal data (`voornaam`, `geboortedatum`, `naam kind`, `cliënt`)."""
    folded = fold_text(name)
    squeezed = folded.replace(" ", "")
    if any(frag in squeezed for frag in NAME_FRAGMENTS):
        return True
    words = set(folded.split())
    return bool(words & NAME_WORDS) and not (words & NEUTRAL_WORDS)


# ---------------------------------------------------------------------------------------------- values
def looks_like_rrn(text: str) -> bool:
    """A Belgian national register number (11 digits, valid check number, plausible month and day)."""
    text = str(text).strip()
    if not _RRN.match(text):
        return False
    digits = re.sub(r"\D", "", text)
    if len(digits) != 11:
        return False
    month, day = int(digits[2:4]), int(digits[4:6])
    if month > 52 or day > 31:  # bis numbers add 20 or 40 to the month
        return False
    base, check = int(digits[:9]), int(digits[9:])
    return check in (97 - base % 97, 97 - int("2" + digits[:9]) % 97)


def full_date(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) of a date written to the day without a time, else None."""
    m = _DATE.match(str(text).strip())
    if not m:
        return None
    if m.group(1):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        year, month, day = int(m.group(4)), int(m.group(5)), int(m.group(6))
    if not (1 <= month <= 12 and 1 <= day <= 31 and 1900 <= year <= date.today().year):
        return None
    return year, month, day


def looks_like_person(text: str) -> bool:
    """`Jan Peeters`, `Marie Van den Broeck`, `Peeters, Jan`, `PEETERS Jan`: a known first name plus a
    surname-shaped word."""
    t = str(text).strip()
    if not t or len(t) > 60 or any(ch.isdigit() for ch in t):
        return False
    if "," in t:
        last, _, first = t.partition(",")
        tokens = first.split() + last.split()
    else:
        tokens = t.split()
    if not 2 <= len(tokens) <= 5:
        return False
    first_pos = [i for i, tok in enumerate(tokens) if fold_text(tok) in FIRST_NAMES]
    if not first_pos:
        return False
    rest = [tok for i, tok in enumerate(tokens) if i not in first_pos and fold_text(tok) not in _PARTICLES]
    if not rest:
        return False
    return all(_NAME_TOKEN.match(tok) or (tok.isupper() and tok.isalpha()) for tok in rest)


def value_findings(
    values: Iterable[str],
    rows: Iterable[int],
    *,
    sheet: str,
    column: str,
    month_column: bool = False,
    address_ok: bool = False,
    screen_names: bool = False,
) -> list[Finding]:
    """Findings for one column: ``values`` with their spreadsheet ``rows``."""
    first_row: dict[str, int] = {}
    for value, row in zip(values, rows, strict=False):
        t = str(value).strip()
        if t and t not in first_row:
            first_row[t] = row
    if not first_row:
        return []
    out: list[Finding] = []

    def add(pred, reason: str) -> int:
        hits = [u for u in first_row if pred(u)]
        if hits:
            out.append(Finding(sheet, column, reason, min(first_row[h] for h in hits)))
        return len(hits)

    add(lambda u: len(u) >= 11 and looks_like_rrn(u), "waarden die op rijksregisternummers lijken")
    add(lambda u: "@" in u and _EMAIL.search(u) is not None, "e-mailadressen")
    add(lambda u: _MOBILE.match(u) is not None, "gsm-nummers")
    add(lambda u: _IBAN.match(u) is not None, "bankrekeningnummers (IBAN)")
    if not address_ok:
        add(lambda u: _STREET.search(u) is not None, "adressen (straat en huisnummer)")

    def birth_date(u: str) -> bool:
        d = full_date(u)
        return d is not None and not (month_column and d[2] == 1)

    add(birth_date, "datums tot op de dag (mogelijk geboortedata)")
    if screen_names:
        persons = [u for u in first_row if looks_like_person(u)]
        if len(persons) >= 2 or (persons and len(persons) * 2 > len(first_row)):
            add(looks_like_person, "waarden die op namen van personen lijken")
    return out


# ---------------------------------------------------------------------------------------------- screen
def screen_sheet(sheet: Sheet, kind: Kind, filename: str = "") -> list[Finding]:
    """Findings for one sheet: its header is found as for reading; every column below it is checked."""
    h, _n = find_header(sheet, kind)
    if h is None:
        return []
    header = [str(c).strip() for c in sheet.rows[h]]
    width = max((len(r) for r in sheet.rows[h:]), default=0)
    header += [""] * (width - len(header))
    mapping, _ignored = match_columns(header, kind)
    findings: list[Finding] = []
    for i, name in enumerate(header):
        key = mapping.get(i)
        label = name or f"kolom {i + 1}"
        if name and key not in kind.personal_ok and personal_column(name):
            findings.append(Finding(sheet.name, label, "de kolomnaam wijst op persoonsgegevens"))
    rows = sheet.rows[h + 1 :]
    if not rows:
        return findings
    index = range(h + 2, h + 2 + len(rows))
    for i, name in enumerate(header):
        key = mapping.get(i)
        findings.extend(
            value_findings(
                (r[i] if i < len(r) else "" for r in rows),
                index,
                sheet=sheet.name,
                column=name or f"kolom {i + 1}",
                month_column=key is not None and key == kind.month_field,
                address_ok=key is not None and key in kind.address_ok,
                screen_names=key is None or key in kind.name_screened,
            )
        )
    # Title rows above the header: register numbers and e-mail addresses only.
    for r, row in enumerate(sheet.rows[:h]):
        for cell in row:
            t = str(cell).strip()
            if t and (looks_like_rrn(t) or _EMAIL.search(t)):
                findings.append(Finding(sheet.name, "titel", "persoonsgegevens boven de kolomkoppen", r + 1))
                break
    return findings


def screen(raw: RawFile, kind: Kind) -> list[Finding]:
    """Findings over every sheet of the file (hidden sheets too)."""
    out: list[Finding] = []
    for sheet in raw.sheets:
        out.extend(screen_sheet(sheet, kind, raw.filename))
    return out


def refusal(findings: Iterable[Finding], kind: Kind) -> str:
    """The Dutch refusal message: which columns, why, what the product accepts; never a value."""
    items = list(findings)
    shown = "; ".join(f.text() for f in items[:12])
    more = f"; en nog {len(items) - 12}" if len(items) > 12 else ""
    return (
        f"Bestand geweigerd: het lijkt persoonsgegevens te bevatten ({shown}{more}). "
        f"{ACCEPTED.get(kind.key, ACCEPTED_DEFAULT)} Verwijder die kolommen of waarden en laad het bestand "
        "opnieuw. Er is niets van dit bestand opgeslagen of bewaard."
    )


ACCEPTED_DEFAULT = "Deze toepassing werkt enkel met geaggregeerde cijfers en gegevens over organisaties."
ACCEPTED = {
    "caseload": "Deze toepassing aanvaardt enkel geaggregeerde aantallen: één rij per eenheid (postcode, "
    "wijk of gemeente) en maand met het aantal aanmeldingen, eventueel per type verwijzer.",
    "partners": "Een partnerregister bevat enkel gegevens over organisaties: naam, type, financiering, "
    "locatie (coördinaten, postcode of gemeente, eventueel het adres van de vestiging), betrokkenheid "
    "en bron; geen contactpersonen, e-mailadressen of telefoonnummers.",
    "indeling": "Een indeling bevat enkel codes van eenheden en namen van gebieden.",
    "capaciteit": "Een capaciteitsbestand bevat enkel gebieden en hun VTE.",
}


def check(raw: RawFile, kind: Kind) -> None:
    """Raise PrivacyError when ``screen`` finds anything."""
    findings = screen(raw, kind)
    if findings:
        raise PrivacyError(refusal(findings, kind))
