"""Writes the corpus of awkward and bad files in `tests/corpus/files/` and their expected outcomes in
`tests/corpus/expected.csv` (run: `python tests/corpus/make_corpus.py`; the files are committed).

Every case is written by hand below: the bytes of the file (as Excel, a text editor or another tool
would leave them) and what the product must do with it:

- `ok`: accepted; `aantal` = units assigned (indeling), partners (partners), registrations in total
  (caseload) or areas (capaciteit); `melding` must appear among the warnings when given.
- `fouten`: row or column errors; nothing stored; `melding` must appear among the errors.
- `geweigerd`: refused for personal data; `melding` must appear, `niet_in_melding` (the personal value)
  must not.
- `onleesbaar`: the file cannot be read; `melding` must appear.

`niveau` is the unit level of an indeling (and of a caseload file with an `eenheid` column).
The 200,000-row files are made by `tests/test_corpus.py` and `benchmarks/bench_imports.py` themselves.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
EXPECTED = HERE / "expected.csv"
XSS = '<img src=x onerror="window.__xss=1">'


@dataclass
class Case:
    name: str
    kind: str
    data: bytes
    outcome: str
    count: int | None = None
    message: str = ""
    absent: str = ""
    level: str = ""


CASES: list[Case] = []


def add(name, kind, data, outcome, count=None, message="", absent="", level=""):
    if isinstance(data, str):
        data = data.encode("utf-8")
    CASES.append(Case(name, kind, data, outcome, count, message, absent, level))


def xlsx(sheets: dict[str, list[list]], merged: dict[str, list[str]] | None = None, hidden=()) -> bytes:
    """A workbook: sheet name -> rows (values as Excel keeps them), optional merged ranges, hidden sheets."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for rng in (merged or {}).get(name, []):
            ws.merge_cells(rng)
        if name in hidden:
            ws.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def text(rows: list[list[str]], sep: str = ",", encoding: str = "utf-8", newline: str = "\n") -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator=newline)
    writer.writerows(rows)
    return buf.getvalue().encode(encoding)


# ---------------------------------------------------------------------------------------------- indeling
G4 = [["11002", "Stad"], ["11040", "Rand"], ["11044", "Rand"], ["11052", "Rand"]]
HEAD = ["unit_code", "area"]

add("ind_utf8.csv", "indeling", text([HEAD, *G4]), "ok", 4, level="gemeente")
add(
    "ind_utf8_bom_puntkomma.csv",
    "indeling",
    b"\xef\xbb\xbf" + text([HEAD, *G4], ";"),
    "ok",
    4,
    level="gemeente",
)
add(
    "ind_cp1252_accenten.csv",
    "indeling",
    text(
        [["Code", "Gebied"], ["11002", "Stad"], ["11040", "Zuidërrand"], ["11044", "Zuidërrand"]],
        ";",
        "cp1252",
    ),
    "ok",
    3,
    level="gemeente",
)
add(
    "ind_unicode_tekst_excel.txt",
    "indeling",
    "\ufeff".encode("utf-16-le") + text([HEAD, *G4], "\t", "utf-16-le", "\r\n"),
    "ok",
    4,
    level="gemeente",
)
add("ind_utf16be_zonder_bom.txt", "indeling", text([HEAD, *G4], "\t", "utf-16-be"), "ok", 4, level="gemeente")
add("ind_utf16le_zonder_bom.csv", "indeling", text([HEAD, *G4], ";", "utf-16-le"), "ok", 4, level="gemeente")
add("ind_verticale_streep.csv", "indeling", text([HEAD, *G4], "|"), "ok", 4, level="gemeente")
add(
    "ind_titel_boven_kop.csv",
    "indeling",
    text([["Indeling Groot Antwerpen, versie 3"], [], HEAD, *G4], ";"),
    "ok",
    4,
    level="gemeente",
)
add(
    "ind_eigen_export.csv",
    "indeling",
    b"\xef\xbb\xbf"
    + text(
        [["Code eenheid", "Naam eenheid", "Gebied"]]
        + [
            [c, n, a] for (c, a), n in zip(G4, ["Antwerpen", "Schoten", "Stabroek", "Wommelgem"], strict=True)
        ],
        ";",
        newline="\r\n",
    ),
    "ok",
    4,
    level="gemeente",
)
add(
    "ind_eigen_export_niet_toegewezen.csv",
    "indeling",
    text(
        [
            ["Code eenheid", "Naam eenheid", "Gebied"],
            ["11002", "Antwerpen", "Stad"],
            ["11001", "Aartselaar", ""],
            ["11004", "Boechout", ""],
            ["11005", "Boom", ""],
        ],
        ";",
    ),
    "ok",
    1,
    level="gemeente",
)
add(
    "ind_codes_als_getal.csv",
    "indeling",
    text([HEAD, ["11002.0", "Stad"], ["11040.0", "Rand"], ["11044", "Rand"], ["11052", "Rand"]]),
    "ok",
    4,
    message="als getal opgeslagen",
    level="gemeente",
)
add(
    "ind_wetenschappelijke_notatie.csv",
    "indeling",
    text([HEAD, ["1,1002E+04", "Stad"], ["11040", "Rand"]], ";"),
    "ok",
    2,
    message="als getal opgeslagen",
    level="gemeente",
)
add(
    "ind_apostrof_codes.csv",
    "indeling",
    text([HEAD, *[["'" + c, a] for c, a in G4]]),
    "ok",
    4,
    level="gemeente",
)
add(
    "ind_spaties.csv",
    "indeling",
    text([HEAD, *[[f" {c} ", f" {a}  "] for c, a in G4]]),
    "ok",
    4,
    level="gemeente",
)
add("ind_crlf.csv", "indeling", text([HEAD, *G4], ",", newline="\r\n"), "ok", 4, level="gemeente")
add("ind_enkel_cr.csv", "indeling", text([HEAD, *G4], ",", newline="\r"), "ok", 4, level="gemeente")
add(
    "ind_komma_tussen_aanhalingstekens.csv",
    "indeling",
    text([HEAD, ["11002", "Antwerpen, stad"], ["11040", "Rand, noord"]]),
    "ok",
    2,
    level="gemeente",
)
add(
    "ind_komma_zonder_aanhalingstekens.csv",
    "indeling",
    b"unit_code,area\n11002,Antwerpen, stad\n11040,Rand\n11044,Rand\n",
    "fouten",
    message="Rij 2: deze rij heeft 3 waarden maar er zijn maar 2 kolommen",
    level="gemeente",
)
add(
    "ind_scheidingstekens_achteraan.csv",
    "indeling",
    b"unit_code;area;;\n11002;Stad;;\n11040;Rand;;\n",
    "ok",
    2,
    level="gemeente",
)
add(
    "ind_wijken_kleine_letters.csv",
    "indeling",
    text([HEAD, ["11001w01", "A"], ["11001w02", "A"], ["11001w03", "B"]]),
    "ok",
    3,
    message="hoofd-/kleine letters",
    level="wijk",
)
add(
    "ind_verkeerd_niveau.csv",
    "indeling",
    text([HEAD, ["11001W01", "A"], ["11001W02", "A"], ["11001W03", "B"]]),
    "fouten",
    message="vooral codes van niveau wijk",
    level="gemeente",
)
add(
    "ind_onbekende_codes.csv",
    "indeling",
    text([HEAD, ["11002", "Stad"], ["99999", "Rand"]]),
    "fouten",
    message="Rij 3: code '99999' bestaat niet op niveau gemeente",
    level="gemeente",
)
add(
    "ind_dubbel_toegewezen.csv",
    "indeling",
    text([HEAD, ["11002", "Stad"], ["11002", "Rand"]]),
    "fouten",
    message="dubbel toegewezen",
    level="gemeente",
)
add(
    "ind_kolommen_ontbreken.csv",
    "indeling",
    text([["gemeente", "omschrijving"], ["Antwerpen", "x"]]),
    "fouten",
    message="Kolom(men) ontbreken: code eenheid, gebied",
    level="gemeente",
)
add("ind_enkel_kop.csv", "indeling", text([HEAD]), "fouten", message="geen rijen", level="gemeente")
add("ind_leeg.csv", "indeling", b"", "onleesbaar", message="is leeg", level="gemeente")
add("ind_enkel_bom.csv", "indeling", b"\xef\xbb\xbf\r\n", "onleesbaar", message="is leeg", level="gemeente")
add(
    "ind_pdf_hernoemd.csv",
    "indeling",
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x00<< /Type /Catalog >>",
    "onleesbaar",
    message="geen tekstbestand",
    level="gemeente",
)
add(
    "ind_tekst_als_xlsx.xlsx",
    "indeling",
    text([HEAD, *G4]),
    "onleesbaar",
    message="geen geldig Excel-bestand",
    level="gemeente",
)
add(
    "ind_kapot.xlsx",
    "indeling",
    xlsx({"indeling": [HEAD, *G4]})[:600],
    "onleesbaar",
    message="kan niet gelezen worden",
    level="gemeente",
)
add(
    "ind_samengevoegde_cellen.xlsx",
    "indeling",
    xlsx(
        {"indeling": [HEAD, ["11002", "Stad"], ["11040", "Rand"], ["11044", None], ["11052", None]]},
        merged={"indeling": ["B3:B5"]},
    ),
    "ok",
    4,
    message="samengevoegde",
    level="gemeente",
)
add(
    "ind_samengevoegd_als_csv.csv",
    "indeling",
    text(
        [
            HEAD,
            ["11002", "Stad"],
            ["11001", ""],
            ["11004", ""],
            ["11040", "Rand"],
            ["11044", ""],
            ["11052", ""],
            ["11005", "Zuid"],
        ]
    ),
    "fouten",
    message="rijen hebben geen gebied terwijl rijen eronder er wel een hebben",
    level="gemeente",
)
add(
    "ind_tweede_blad.xlsx",
    "indeling",
    xlsx({"Uitleg": [["Deze map bevat de indeling op het tweede blad."]], "Indeling": [HEAD, *G4]}),
    "ok",
    4,
    message="Gegevens gelezen van blad 'Indeling'",
    level="gemeente",
)
add(
    "ind_kop_op_rij_3.xlsx",
    "indeling",
    xlsx({"Blad1": [["Werkingsgebieden 2025"], [], ["Code", "Gebied"], *G4]}),
    "ok",
    4,
    level="gemeente",
)
add(
    "ind_codes_als_getallen.xlsx",
    "indeling",
    xlsx({"Blad1": [HEAD, *[[int(c), a] for c, a in G4]]}),
    "ok",
    4,
    level="gemeente",
)
add(
    "ind_te_lange_naam.csv",
    "indeling",
    text([HEAD, ["11002", "x" * 201]]),
    "fouten",
    message="het maximum is 200",
    level="gemeente",
)
add(
    "ind_html_in_naam.csv",
    "indeling",
    text([HEAD, ["11002", XSS], ["11040", "Rand"]]),
    "ok",
    2,
    level="gemeente",
)
add(
    "ind_formule_in_naam.csv",
    "indeling",
    text([HEAD, ["11002", '=HYPERLINK("http://x","klik")'], ["11040", "@SOM(A1)"]]),
    "ok",
    2,
    level="gemeente",
)
add(
    "ind_export_met_formulebeveiliging.csv",
    "indeling",
    text([["Code eenheid", "Gebied"], ["11002", "'=SOM(A1)"], ["11040", "'-Rand"]], ";"),
    "ok",
    2,
    level="gemeente",
)
add(
    "ind_geojson.geojson",
    "indeling",
    json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {"code": c, "gebied": a}, "geometry": None} for c, a in G4
            ],
        }
    ),
    "ok",
    4,
    level="gemeente",
)
add(
    "ind_geojson_kapot.geojson",
    "indeling",
    b'{"type": "FeatureCollection", "features": [',
    "onleesbaar",
    message="geen geldige GeoJSON",
    level="gemeente",
)
add(
    "ind_rijksregister_kolom.csv",
    "indeling",
    text([["unit_code", "area", "rijksregisternummer"], ["11002", "Stad", "85.07.30-033.28"]]),
    "geweigerd",
    message="kolom 'rijksregisternummer'",
    absent="85.07.30",
    level="gemeente",
)
add(
    "ind_rijksregister_in_opmerking.csv",
    "indeling",
    text([["unit_code", "area", "opmerking"], ["11002", "Stad", ""], ["11040", "Rand", "85073003328"]]),
    "geweigerd",
    message="rijksregisternummers lijken, eerst op rij 3",
    absent="85073003328",
    level="gemeente",
)
add(
    "ind_email_in_opmerking.csv",
    "indeling",
    text([["unit_code", "area", "info"], ["11002", "Stad", "vragen: an.peeters@voorbeeld.be"]]),
    "geweigerd",
    message="e-mailadressen",
    absent="an.peeters",
    level="gemeente",
)
add(
    "ind_geboortedatum.csv",
    "indeling",
    text([["unit_code", "area", "Geboorte datum"], ["11002", "Stad", "14/02/2015"]]),
    "geweigerd",
    message="kolom 'Geboorte datum'",
    absent="14/02/2015",
    level="gemeente",
)
add(
    "ind_adres_in_opmerking.csv",
    "indeling",
    text([["unit_code", "area", "opmerking"], ["11002", "Stad", "gezin woont Kerkstraat 12 bus 3"]]),
    "geweigerd",
    message="adressen (straat en huisnummer)",
    absent="Kerkstraat",
    level="gemeente",
)
add(
    "ind_naam_met_personen.csv",
    "indeling",
    text(
        [["unit_code", "naam", "area"], ["11002", "Jan Peeters", "Stad"], ["11040", "Marie Dubois", "Rand"]]
    ),
    "geweigerd",
    message="geen namen van eenheden",
    absent="Peeters",
    level="gemeente",
)
add(
    "ind_naam_met_gemeenten.csv",
    "indeling",
    text([["unit_code", "naam", "area"], ["11002", "Antwerpen", "Stad"], ["11040", "SCHOTEN", "Rand"]]),
    "ok",
    2,
    level="gemeente",
)
add(
    "ind_persoonsgegevens_blad2.xlsx",
    "indeling",
    xlsx({"indeling": [HEAD, *G4], "contacten": [["wie", "E-mailadres"], ["An", "an@voorbeeld.be"]]}),
    "geweigerd",
    message="blad 'contacten'",
    absent="an@voorbeeld.be",
    level="gemeente",
)
add(
    "ind_verborgen_blad.xlsx",
    "indeling",
    xlsx({"indeling": [HEAD, *G4], "geheim": [["dossier", "x"], ["1", "85073003328"]]}, hidden=("geheim",)),
    "geweigerd",
    message="blad 'geheim'",
    absent="85073003328",
    level="gemeente",
)
add(
    "ind_insz_kolom.xlsx",
    "indeling",
    xlsx({"Blad1": [["Code", "Gebied", "INSZ"], ["11002", "Stad", ""]]}),
    "geweigerd",
    message="kolom 'INSZ'",
    level="gemeente",
)
add(
    "ind_eerstelijnszones.csv",
    "indeling",
    text([HEAD, ["ELZ2", "A"], ["elz13", "B"]]),
    "ok",
    2,
    level="elz57",
)
add(
    "ind_oude_gemeentecode.csv",
    "indeling",
    text([HEAD, *G4, ["11007", "Stad"]]),  # Borsbeek (2019-2024) is part of Antwerpen since 2025
    "ok",
    4,
    message="gemeentefusie",
    level="gemeente",
)
add(
    "ind_oude_gemeentecode_conflict.csv",
    "indeling",
    text([HEAD, ["11002", "Stad"], ["11007", "Rand"]]),
    "fouten",
    message="dubbel toegewezen",
    level="gemeente",
)
add(
    "ind_postcodes.csv",
    "indeling",
    text([["postcode", "wcp"], ["2000", "Centrum"], ["2060", "2060"], ["2100", "Deurne"]], ";"),
    "ok",
    3,
    level="postcode_antwerpen",
)
add(
    "ind_stuurtekens.csv",
    "indeling",
    text([HEAD, ["11002", "St\x07ad"], ["11040", "Rand\x0b"]]),
    "ok",
    2,
    level="gemeente",
)
add(
    "ind_emoji.csv",
    "indeling",
    text([HEAD, ["11002", "Stad 🌳"], ["11040", "Rand ✨"]]),
    "ok",
    2,
    level="gemeente",
)
add(
    "ind_harde_spatie_kop.csv",
    "indeling",
    text([["unit_code\u00a0", "\u00a0area"], *G4]),
    "ok",
    4,
    level="gemeente",
)

# ---------------------------------------------------------------------------------------------- partners
P_HEAD = ["naam", "type", "lat", "lon", "gemeente"]
P3 = [
    ["CLB Antwerpen", "CLB", "51.2194", "4.4025", ""],
    ["CLB Gent", "CLB", "51.0543", "3.7174", ""],
    ["Huis van het Kind Leuven", "Huis van het Kind", "", "", "Leuven"],
]
add("par_basis.csv", "partners", text([P_HEAD, *P3]), "ok", 3)
add(
    "par_bom_puntkomma_decimale_komma.csv",
    "partners",
    b"\xef\xbb\xbf"
    + text([P_HEAD, *[[n, t, la.replace(".", ","), lo.replace(".", ","), g] for n, t, la, lo, g in P3]], ";"),
    "ok",
    3,
)
add(
    "par_cp1252.csv",
    "partners",
    text(
        [
            ["Naam", "Type", "Gemeente"],
            ["Sociaal huis Geraardsbergen", "OCMW", "Geraardsbergen"],
            ["Crèche Zonnebloem", "andere", "Sint-Genesius-Rode"],
        ],
        ";",
        "cp1252",
    ),
    "ok",
    2,
)
add(
    "par_unicode_tekst.txt",
    "partners",
    "\ufeff".encode("utf-16-le") + text([P_HEAD, *P3], "\t", "utf-16-le"),
    "ok",
    3,
)
add(
    "par_eigen_export.csv",
    "partners",
    b"\xef\xbb\xbf"
    + text(
        [
            [
                "ID",
                "Naam",
                "Type",
                "Gefinancierd (ja/nee)",
                "Breedtegraad (WGS84)",
                "Lengtegraad (WGS84)",
                "X (Lambert 72, m)",
                "Y (Lambert 72, m)",
                "Locatie benaderd (ja/nee)",
                "Locatiebron",
                "Postcode",
                "Gemeente (NIS-code)",
                "Betrokkenheid",
                "Bron",
            ],
            [
                "1",
                "CLB Antwerpen",
                "CLB",
                "nee",
                "51,219400",
                "4,402500",
                "153061,1",
                "212231,9",
                "nee",
                "coördinaten",
                "",
                "",
                "Noord: structureel",
                "eigen register",
            ],
            [
                "2",
                "CAW Leuven",
                "CAW",
                "ja",
                "50,879800",
                "4,700500",
                "173300,0",
                "174500,0",
                "ja",
                "gemeente",
                "",
                "24062",
                "",
                "eigen register",
            ],
        ],
        ";",
        newline="\r\n",
    ),
    "ok",
    2,
)
add(
    "par_eigen_export.xlsx",
    "partners",
    xlsx(
        {
            "partners": [
                [
                    "ID",
                    "Naam",
                    "Type",
                    "Gefinancierd (ja/nee)",
                    "Breedtegraad (WGS84)",
                    "Lengtegraad (WGS84)",
                    "Gemeente (NIS-code)",
                ],
                [1, "CLB Antwerpen", "CLB", "nee", 51.2194, 4.4025, None],
                [2, "CAW Leuven", "CAW", "ja", None, None, "24062"],
            ]
        }
    ),
    "ok",
    2,
)
add(
    "par_titel_rijen.xlsx",
    "partners",
    xlsx({"Register": [["Pluspartners Groot Antwerpen"], ["bijgewerkt maart 2025"], [], P_HEAD, *P3]}),
    "ok",
    3,
)
add(
    "par_tweede_blad.xlsx",
    "partners",
    xlsx({"Info": [["Zie blad partners"]], "partners": [P_HEAD, *P3]}),
    "ok",
    3,
    message="Gegevens gelezen van blad 'partners'",
)
add(
    "par_lambert_duizendtallen.csv",
    "partners",
    text([["naam", "type", "x", "y"], ["CLB Antwerpen", "CLB", "152.345,6", "212.111,0"]], ";"),
    "ok",
    1,
)
add(
    "par_omgewisseld.csv",
    "partners",
    text([["naam", "type", "lat", "lon"], ["Omgekeerd", "CLB", "4.40", "51.22"]]),
    "fouten",
    message="lat en lon lijken omgewisseld",
)
add(
    "par_onbekend_type.csv",
    "partners",
    text([["naam", "type", "gemeente"], ["Jeugdhuis X", "jeugdhuis", "Gent"]]),
    "fouten",
    message="onbekend type 'jeugdhuis'",
)
add("par_enkel_kop.csv", "partners", text([P_HEAD]), "fouten", message="geen partners (enkel kolomkoppen)")
add(
    "par_komma_zonder_aanhalingstekens.csv",
    "partners",
    b"naam,type,gemeente\nCLB Antwerpen, vestiging Noord,CLB,Antwerpen\n",
    "fouten",
    message="deze rij heeft 4 waarden",
)
add(
    "par_email_kolom.csv",
    "partners",
    text([["naam", "type", "gemeente", "e-mail"], ["CLB Gent", "CLB", "Gent", "info@clb.be"]]),
    "geweigerd",
    message="kolom 'e-mail'",
    absent="info@clb.be",
)
add(
    "par_contactpersoon.csv",
    "partners",
    text([["naam", "type", "gemeente", "contactpersoon"], ["CLB Gent", "CLB", "Gent", "Els Janssens"]]),
    "geweigerd",
    message="kolom 'contactpersoon'",
    absent="Janssens",
)
add(
    "par_telefoon.csv",
    "partners",
    text([["naam", "type", "gemeente", "Telefoon"], ["CLB Gent", "CLB", "Gent", "09 123 45 67"]]),
    "geweigerd",
    message="kolom 'Telefoon'",
)
add(
    "par_gsm_in_opmerking.csv",
    "partners",
    text([["naam", "type", "gemeente", "opmerking"], ["CLB Gent", "CLB", "Gent", "0475 12 34 56"]]),
    "geweigerd",
    message="gsm-nummers",
    absent="0475",
)
add(
    "par_rijksregister_blad2.xlsx",
    "partners",
    xlsx({"partners": [P_HEAD, *P3], "Blad2": [["nr"], ["93.05.18-223.61"]]}),
    "geweigerd",
    message="blad 'Blad2'",
    absent="93.05.18",
)
add(
    "par_adres_vestiging.csv",
    "partners",
    text(
        [["naam", "type", "adres", "gemeente"], ["CLB Antwerpen", "CLB", "Kerkstraat 12", "Antwerpen"]], ";"
    ),
    "ok",
    1,
    message="adres van de vestiging",
)
add(
    "par_straat_en_huisnummer.csv",
    "partners",
    text(
        [
            ["naam", "type", "straat", "huisnummer", "gemeente"],
            ["CAW Gent", "CAW", "Veldstraat", "12", "Gent"],
        ],
        ";",
    ),
    "ok",
    1,
    message="worden niet bewaard",
)
add(
    "par_personen_in_andere_kolom.csv",
    "partners",
    text(
        [
            ["naam", "type", "gemeente", "verantwoordelijke"],
            ["CLB Gent", "CLB", "Gent", "Jan Peeters"],
            ["CAW Gent", "CAW", "Gent", "Marie Dubois"],
        ]
    ),
    "geweigerd",
    message="namen van personen",
    absent="Peeters",
)
add(
    "par_te_lange_naam.csv",
    "partners",
    text([["naam", "type", "gemeente"], ["x" * 301, "CLB", "Gent"]]),
    "fouten",
    message="het maximum is 300",
)
add("par_html_in_naam.csv", "partners", text([["naam", "type", "gemeente"], [XSS, "CLB", "Gent"]]), "ok", 1)
add(
    "par_formule_in_naam.csv",
    "partners",
    text([["naam", "type", "gemeente"], ['=HYPERLINK("http://x","klik")', "CLB", "Gent"]]),
    "ok",
    1,
)
add(
    "par_oude_gemeentenaam.csv",
    "partners",
    text(
        [
            ["naam", "type", "gemeente"],
            ["Sociaal huis Galmaarden", "OCMW", "Galmaarden"],
            ["CLB Meulebeke", "CLB", "37007"],
        ]
    ),
    "ok",
    2,
)
add(
    "par_postcode_buiten_antwerpen.csv",
    "partners",
    text([["naam", "type", "postcode"], ["CAW Gent", "CAW", "9000"]]),
    "fouten",
    message="postcodegrenzen",
)
add(
    "par_geboortedata.csv",
    "partners",
    text([["naam", "type", "gemeente", "extra"], ["CLB Gent", "CLB", "Gent", "03/04/2012"]]),
    "geweigerd",
    message="geboortedata",
    absent="03/04/2012",
)
add(
    "par_iban.csv",
    "partners",
    text([["naam", "type", "gemeente", "betaling"], ["CLB Gent", "CLB", "Gent", "BE68 5390 0754 7034"]]),
    "geweigerd",
    message="IBAN",
    absent="5390",
)

# ---------------------------------------------------------------------------------------------- caseload
C_HEAD = ["gemeente", "maand", "aanmeldingen"]
add(
    "cas_basis.csv",
    "caseload",
    text([C_HEAD, ["11002", "2024-01", "40"], ["11040", "2024-01", "7"]], ";"),
    "ok",
    47,
)
add(
    "cas_nederlandse_maanden.csv",
    "caseload",
    text(
        [
            C_HEAD,
            ["11002", "maart 2024", "10"],
            ["11002", "apr 2024", "11"],
            ["11002", "mei-24", "12"],
            ["11002", "Jun 2024", "13"],
            ["11002", "juli 2024", "14"],
        ],
        ";",
    ),
    "ok",
    60,
)
add(
    "cas_excel_datums.xlsx",
    "caseload",
    xlsx({"Blad1": [C_HEAD, [11002, datetime(2024, 3, 1), 10], [11002, date(2024, 4, 1), 12]]}),
    "ok",
    22,
)
add(
    "cas_datums_als_tekst.csv",
    "caseload",
    text([C_HEAD, ["11002", "1/03/2024", "5"], ["11002", "01/04/2024", "6"]], ";"),
    "ok",
    11,
)
add(
    "cas_oude_gemeentecodes.csv",
    "caseload",
    text([C_HEAD, ["23023", "2024-01", "3"], ["23024", "2024-01", "4"], ["23032", "2024-01", "5"]], ";"),
    "ok",
    12,
    message="gemeentefusie",
)
add(
    "cas_kop_op_rij_3.csv",
    "caseload",
    text([["Aanmeldingen per gemeente"], ["bron: aanmeldtafel"], C_HEAD, ["11002", "2024-01", "40"]], ";"),
    "ok",
    40,
)
add(
    "cas_tweede_blad.xlsx",
    "caseload",
    xlsx({"Uitleg": [["zie volgend blad"]], "Data": [C_HEAD, ["11002", "2024-01", 9]]}),
    "ok",
    9,
    message="Gegevens gelezen van blad 'Data'",
)
add(
    "cas_duizendtallen.csv",
    "caseload",
    text([C_HEAD, ["11002", "2024-01", "1.234"], ["11040", "2024-01", "1 005"]], ";"),
    "ok",
    2239,
)
add(
    "cas_getallen_als_float.xlsx", "caseload", xlsx({"Blad1": [C_HEAD, [11002.0, "2024-01", 12.0]]}), "ok", 12
)
add(
    "cas_unicode_tekst.txt",
    "caseload",
    "\ufeff".encode("utf-16-le") + text([C_HEAD, ["11002", "2024-01", "8"]], "\t", "utf-16-le"),
    "ok",
    8,
)
add(
    "cas_wijken_kleine_letters.csv",
    "caseload",
    text(
        [["wijk", "maand", "aanmeldingen"], ["11001w01", "2024-01", "6"], ["11001W02", "2024-01", "6"]], ";"
    ),
    "ok",
    12,
)
add(
    "cas_postcodes.csv",
    "caseload",
    text([["postcode", "maand", "aanmeldingen"], ["2060", "2024-01", "30"]], ";"),
    "ok",
    30,
)
add(
    "cas_client_kolom.csv",
    "caseload",
    text([["gemeente", "maand", "aanmeldingen", "cliënt"], ["11002", "2024-01", "1", "Sofie"]], ";"),
    "geweigerd",
    message="kolom 'cliënt'",
    absent="Sofie",
)
add(
    "cas_naam_kolom.csv",
    "caseload",
    text([["gemeente", "maand", "aanmeldingen", "Naam"], ["11002", "2024-01", "1", "Jan Peeters"]], ";"),
    "geweigerd",
    message="kolom 'Naam'",
    absent="Peeters",
)
add(
    "cas_rijksregister_waarden.csv",
    "caseload",
    text([["gemeente", "maand", "aanmeldingen", "opmerking"], ["11002", "2024-01", "1", "93051822361"]], ";"),
    "geweigerd",
    message="rijksregisternummers",
    absent="93051822361",
)
add(
    "cas_geboortedatum_in_maand.csv",
    "caseload",
    text([C_HEAD, ["11002", "15/03/2012", "1"]], ";"),
    "geweigerd",
    message="kolom 'maand'",
    absent="15/03/2012",
)
add(
    "cas_dossiernummer.csv",
    "caseload",
    text(
        [["dossiernummer", "gemeente", "maand", "aanmeldingen"], ["D-2024-0012", "11002", "2024-01", "1"]],
        ";",
    ),
    "geweigerd",
    message="kolom 'dossiernummer'",
    absent="D-2024-0012",
)
add(
    "cas_personen_als_verwijzer.csv",
    "caseload",
    text(
        [
            ["gemeente", "maand", "verwijzer", "aanmeldingen"],
            ["11002", "2024-01", "Jan Peeters", "1"],
            ["11002", "2024-01", "Els Janssens", "2"],
        ],
        ";",
    ),
    "geweigerd",
    message="namen van personen",
    absent="Janssens",
)
add(
    "cas_persoonsgegevens_blad2.xlsx",
    "caseload",
    xlsx(
        {
            "aanmeldingen": [C_HEAD, ["11002", "2024-01", 4]],
            "namen": [["voornaam", "familienaam"], ["An", "Peeters"]],
        }
    ),
    "geweigerd",
    message="blad 'namen'",
    absent="Peeters",
)
add(
    "cas_gemaskeerde_waarden.csv",
    "caseload",
    text([C_HEAD, ["11002", "2024-01", "<5"]], ";"),
    "fouten",
    message="gemaskeerd aantal '<5'",
)
add(
    "cas_negatief.csv",
    "caseload",
    text([C_HEAD, ["11002", "2024-01", "-3"]], ";"),
    "fouten",
    message="geen geheel getal",
)
add(
    "cas_komma_aantal.csv",
    "caseload",
    text([C_HEAD, ["11002", "2024-01", "2,5"]], ";"),
    "fouten",
    message="geen geheel getal",
)
add(
    "cas_slechte_maand.csv",
    "caseload",
    text([C_HEAD, ["11002", "dertien 2024", "3"]], ";"),
    "fouten",
    message="niet herkend",
)
add(
    "cas_onbekende_eenheid.csv",
    "caseload",
    text([C_HEAD, ["99999", "2024-01", "3"]], ";"),
    "fouten",
    message="onbekende gemeente '99999'",
)
add(
    "cas_dubbel.csv",
    "caseload",
    text([C_HEAD, ["11002", "2024-01", "3"], ["11002", "2024-01", "4"]], ";"),
    "fouten",
    message="Rij 3: dubbel",
)
add(
    "cas_twee_eenheidskolommen.csv",
    "caseload",
    text([["gemeente", "wijk", "maand", "aanmeldingen"], ["11002", "11002A", "2024-01", "3"]], ";"),
    "fouten",
    message="Geef één eenheidskolom",
)
add(
    "cas_kolommen_ontbreken.csv",
    "caseload",
    text([["gemeente", "aantal dossiers"], ["11002", "3"]], ";"),
    "fouten",
    message="Kolom(men) ontbreken",
)
add(
    "cas_eigen_export.csv",
    "caseload",
    b"\xef\xbb\xbf"
    + text(
        [
            ["Gemeente (NIS-code)", "Maand", "Verwijzer", "Behandelend gebied", "Aanmeldingen (aantal)"],
            ["11002", "2024-01", "school/CLB", "", "12"],
            ["11040", "2024-02", "", "", "3"],
        ],
        ";",
        newline="\r\n",
    ),
    "ok",
    15,
)
add(
    "cas_email_in_titel.csv",
    "caseload",
    text([["Export door an.peeters@voorbeeld.be"], C_HEAD, ["11002", "2024-01", "3"]], ";"),
    "geweigerd",
    message="boven de kolomkoppen",
    absent="an.peeters",
)
add(
    "cas_twee_gegevensbladen.xlsx",
    "caseload",
    xlsx({"2024": [C_HEAD, ["11002", "2024-01", 5]], "2023": [C_HEAD, ["11002", "2023-01", 6]]}),
    "ok",
    5,
    message="Ook blad '2023'",
)
add("cas_enkel_kop.csv", "caseload", text([C_HEAD], ";"), "fouten", message="geen rijen")
add(
    "cas_eenheid_met_niveau.csv",
    "caseload",
    text([["eenheid", "maand", "aanmeldingen"], ["11002", "2024-01", "4"]], ";"),
    "ok",
    4,
    level="gemeente",
)

# ---------------------------------------------------------------------------------------------- capaciteit
add("cap_basis.csv", "capaciteit", text([["gebied", "vte"], ["Noord", "2,5"], ["Zuid", "1"]], ";"), "ok", 2)
add(
    "cap_eigen_export.csv",
    "capaciteit",
    b"\xef\xbb\xbf" + text([["Gebied", "Capaciteit (VTE)"], ["Noord", "2,5"], ["Zuid", "0,8"]], ";"),
    "ok",
    2,
)
add("cap_decimaal_punt.csv", "capaciteit", text([["gebied", "fte"], ["Noord", "2.5"]]), "ok", 1)
add(
    "cap_negatief.csv",
    "capaciteit",
    text([["gebied", "vte"], ["Noord", "-1"]], ";"),
    "fouten",
    message="0 of meer",
)
add(
    "cap_onbekend_gebied.csv",
    "capaciteit",
    text([["gebied", "vte"], ["Oost", "1"]], ";"),
    "fouten",
    message="onbekend gebied 'Oost'",
)
add(
    "cap_tekst.csv",
    "capaciteit",
    text([["gebied", "vte"], ["Noord", "twee"]], ";"),
    "fouten",
    message="geen getal",
)
add(
    "cap_contactpersoon.csv",
    "capaciteit",
    text([["gebied", "vte", "contactpersoon"], ["Noord", "1", "Els Janssens"]], ";"),
    "geweigerd",
    message="kolom 'contactpersoon'",
    absent="Janssens",
)
add("cap_kolom_ontbreekt.csv", "capaciteit", text([["gebied"], ["Noord"]], ";"), "fouten", message="vte")


def main() -> None:
    FILES.mkdir(parents=True, exist_ok=True)
    for old in FILES.iterdir():
        old.unlink()
    names = [c.name for c in CASES]
    assert len(names) == len(set(names)), "case names must be unique"
    for case in CASES:
        (FILES / case.name).write_bytes(case.data)
    with EXPECTED.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(["bestand", "soort", "niveau", "uitkomst", "aantal", "melding", "niet_in_melding"])
        for c in CASES:
            writer.writerow(
                [c.name, c.kind, c.level, c.outcome, "" if c.count is None else c.count, c.message, c.absent]
            )
    print(f"{len(CASES)} bestanden in {FILES}")


if __name__ == "__main__":
    main()
