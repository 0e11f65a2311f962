"""Caseload: validation, privacy refusal, per-area load, trend, transfers, masking."""

import numpy as np
import pandas as pd
import pytest

from geo.caseload.cases import (
    PrivacyError,
    by_referrer,
    caseload_summary,
    check_privacy,
    looks_like_rrn,
    mask_matrix,
    mask_small,
    masked_summary,
    monthly_by_area,
    parse_month,
    personal_column,
    read_capacity,
    transfer_matrix,
    transfers,
    trend,
    validate_caseload,
)
from geo.caseload.io import read_caseload

UNITS = {
    "gemeente": ["11001", "11002", "11004"],
    "wijk": ["11001W01"],
    "postcode_antwerpen": ["2000", "2060"],
}
AREAS = {"11001": "Noord", "11002": "Noord", "11004": "Zuid"}
POP = {"11001": 1000.0, "11002": 3000.0, "11004": 2000.0}


def _csv(text):
    """A frame of strings as a spreadsheet would give it (the validators screen it like a file)."""
    import io

    sep = ";" if ";" in text.splitlines()[0] else ","
    return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)


def _cases(rows):
    return pd.DataFrame(rows, columns=["eenheid", "maand", "verwijzer", "behandelend_gebied", "aanmeldingen"])


# ------------------------------------------------------------------------------------------ privacy
def test_rrn_check_number():
    # 93.05.18-223.61: 97 - (930518223 mod 97) = 61
    assert looks_like_rrn("93.05.18-223.61")
    assert looks_like_rrn("93051822361")
    assert not looks_like_rrn("93051822362")  # wrong check number
    assert not looks_like_rrn("2024-03")
    # born in 2000 or later: the check uses 2 followed by the first nine digits
    base = "010203123"
    check = 97 - int("2" + base) % 97
    assert looks_like_rrn(f"{base}{check:02d}")


@pytest.mark.parametrize(
    ("name", "personal"),
    [
        ("voornaam", True),
        ("Naam", True),
        ("naam kind", True),
        ("Geboortedatum", True),
        ("adres", True),
        ("Straat + nr", True),
        ("INSZ", True),
        ("rijksregisternummer", True),
        ("e-mail", True),
        ("gemeentenaam", False),
        ("naam gemeente", False),
        ("verwijzer", False),
        ("aanmeldingen", False),
    ],
)
def test_personal_column_names(name, personal):
    assert personal_column(name) is personal


def test_personal_columns_are_refused_without_echoing_values():
    raw = _csv("gemeente;maand;aanmeldingen;voornaam\n11001;2024-01;3;Sofie\n")
    with pytest.raises(PrivacyError) as exc:
        validate_caseload(raw, UNITS)
    text = str(exc.value)
    assert "voornaam" in text and "Sofie" not in text
    assert "niets van dit bestand opgeslagen" in text


def test_register_numbers_and_birth_dates_in_innocent_columns_are_refused():
    raw = _csv("gemeente;maand;aanmeldingen;opmerking\n11001;2024-01;1;93.05.18-223.61\n")
    with pytest.raises(PrivacyError, match="rijksregisternummers"):
        validate_caseload(raw, UNITS)
    raw = _csv("gemeente;maand;aanmeldingen;extra\n11001;2024-01;1;14/02/2015\n")
    with pytest.raises(PrivacyError, match="geboortedata"):
        validate_caseload(raw, UNITS)
    # a month column holding day-precise dates other than the 1st is refused too
    raw = _csv("gemeente;maand;aanmeldingen\n11001;2015-02-14;1\n")
    with pytest.raises(PrivacyError, match="kolom 'maand'"):
        validate_caseload(raw, UNITS)


def test_first_of_month_dates_from_excel_are_fine():
    check_privacy(_csv("gemeente;maand;aanmeldingen\n11001;2024-03-01 00:00:00;4\n"))
    res = validate_caseload(_csv("gemeente;maand;aanmeldingen\n11001;2024-03-01 00:00:00;4\n"), UNITS)
    assert res.ok and res.cases["maand"].tolist() == ["2024-03"]


# ------------------------------------------------------------------------------------------ import
def test_valid_file():
    raw = _csv(
        "gemeente;maand;verwijzer;aanmeldingen;behandelend gebied\n"
        "11001;2024-01;school;3;\n"
        "11001;2024-01;huisarts;2;\n"
        "11004;01/2024;school;7;Noord\n"
    )
    res = validate_caseload(raw, UNITS, areas=["Noord", "Zuid"])
    assert res.ok, [str(m) for m in res.messages]
    assert res.level == "gemeente"
    assert res.cases["aanmeldingen"].tolist() == [3, 2, 7]
    assert res.cases["maand"].tolist() == ["2024-01"] * 3
    assert res.cases["behandelend_gebied"].tolist() == ["", "", "Noord"]


def test_row_errors():
    raw = _csv(
        "postcode,maand,aanmeldingen\n"
        "2000,2024-01,4\n"  # 2 ok
        "9999,2024-01,4\n"  # 3 unknown postcode
        "2000,januarie,4\n"  # 4 bad month
        "2060,2024-02,-1\n"  # 5 negative
        "2060,2024-02,<5\n"  # 6 masked value
        "2000,2024-01,1\n"  # 7 duplicate of row 2
    )
    res = validate_caseload(raw, UNITS)
    msgs = {m.row: m.text for m in res.errors}
    assert set(msgs) == {3, 4, 5, 6, 7}
    assert "onbekende postcode '9999'" in msgs[3]
    assert "maand 'januarie'" in msgs[4]
    assert "geen geheel getal" in msgs[5]
    assert "gemaskeerd" in msgs[6]
    assert "rij 2" in msgs[7]
    assert res.level == "postcode_antwerpen" and len(res.cases) == 1


def test_missing_columns():
    res = validate_caseload(_csv("gemeente;aantal_dossiers\n11001;3\n"), UNITS)
    assert not res.ok and "maand" in str(res.errors[0]) and "aanmeldingen" in str(res.errors[0])


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("2024-03", "2024-03"),
        ("2024/3", "2024-03"),
        ("03/2024", "2024-03"),
        ("2024-03-01", "2024-03"),
        ("maart 2024", "2024-03"),
        ("mrt 2024", "2024-03"),
        ("mrt-24", "2024-03"),
        ("Mar 2024", "2024-03"),
        ("2024M03", "2024-03"),
        ("2024-03-15", None),
        ("x", None),
    ],
)
def test_parse_month(text, month):
    assert parse_month(text) == month


def test_capacity():
    cap, msgs = read_capacity(_csv("gebied;vte\nNoord;2,5\nZuid;1\nOost;x\n"), areas=["Noord", "Zuid"])
    assert cap == {"Noord": 2.5, "Zuid": 1.0}
    assert len(msgs) == 1 and msgs[0].row == 4


# ------------------------------------------------------------------------------------------ analysis
CASES = _cases(
    [
        ("11001", "2024-01", "", "", 10),
        ("11002", "2024-01", "", "", 20),
        ("11004", "2024-01", "", "", 6),
        ("11004", "2024-01", "", "Noord", 4),  # Zuid residents handled in Noord
        ("11001", "2024-03", "", "", 30),  # February has no rows at all
    ]
)


def test_summary_hand_computed():
    s = caseload_summary(CASES, AREAS, POP, capacity={"Noord": 2.0, "Zuid": 0.5}, threshold_per_fte=5.0)
    s = s.set_index("gebied")
    assert s.attrs["maanden"] == 3
    assert s.loc["Noord", "aanmeldingen"] == 60 and s.loc["Zuid", "aanmeldingen"] == 10
    assert s.loc["Noord", "doelgroep"] == 4000 and s.loc["Zuid", "doelgroep"] == 2000
    # per 1,000 under-25s per year: 60 over 3 months -> 240 a year -> 60 per 1,000
    assert s.loc["Noord", "per_1000"] == pytest.approx(60.0)
    assert s.loc["Zuid", "per_1000"] == pytest.approx(10 / 3 * 12 / 2000 * 1000)
    assert s.loc["Noord", "behandeld"] == 64 and s.loc["Zuid", "behandeld"] == 6
    assert s.loc["Noord", "inkomend"] == 4 and s.loc["Zuid", "uitgaand"] == 4
    # handled per FTE per month: Noord 64/3/2 = 10.67 > 5; Zuid 6/3/0.5 = 4 <= 5
    assert s.loc["Noord", "per_vte_per_maand"] == pytest.approx(64 / 3 / 2)
    assert bool(s.loc["Noord", "overbelast"]) and not bool(s.loc["Zuid", "overbelast"])


def test_monthly_fills_missing_months_and_trend():
    m = monthly_by_area(CASES, AREAS)
    assert m.index.tolist() == ["2024-01", "2024-02", "2024-03"]
    assert m["Noord"].tolist() == [30, 0, 30] and m["Zuid"].tolist() == [10, 0, 0]
    assert monthly_by_area(CASES, AREAS, handled=True)["Noord"].tolist() == [34, 0, 30]
    rising = pd.DataFrame({"A": [1, 2, 3, 4, 5, 6], "B": [5, 5, 5, 5, 5, 5]})
    t = trend(rising).set_index("gebied")
    assert t.loc["A", "helling"] == pytest.approx(1.0) and t.loc["B", "helling"] == pytest.approx(0.0)
    assert t.loc["A", "verandering_3m"] == pytest.approx(15 / 6 - 1)


def test_transfer_matrix():
    m = transfer_matrix(CASES, AREAS)
    assert m.loc["Zuid", "Noord"] == 4 and m.loc["Zuid", "Zuid"] == 6 and m.loc["Noord", "Noord"] == 60
    assert m.to_numpy().sum() == CASES["aanmeldingen"].sum()
    t = transfers(CASES, AREAS)
    assert t.to_dict("records") == [{"van": "Zuid", "naar": "Noord", "aanmeldingen": 4}]


# ------------------------------------------------------------------------------------------ masking
def test_mask_small_masks_counts_and_dependent_rates():
    f = pd.DataFrame({"n": [0, 1, 4, 5, 12], "rate": [0.0, 0.1, 0.4, 0.5, 1.2]})
    m = mask_small(f, ["n"], {"n": ["rate"]})
    assert m["n"].tolist() == [0, "<5", "<5", 5, 12]
    assert m["rate"].tolist() == [0.0, "–", "–", 0.5, 1.2]
    assert mask_small(f, ["n"], {"n": ["rate"]}, enabled=False).equals(f)


def test_masked_summary_and_matrix():
    s = caseload_summary(CASES, AREAS, POP, capacity={"Noord": 2.0, "Zuid": 0.5})
    ms = masked_summary(s).set_index("gebied")
    assert ms.loc["Zuid", "uitgaand"] == "<5" and ms.loc["Noord", "inkomend"] == "<5"
    assert ms.loc["Noord", "aanmeldingen"] == 60
    mm = mask_matrix(transfer_matrix(CASES, AREAS))
    assert mm.loc["Zuid", "Noord"] == "<5" and mm.loc["Zuid", "Zuid"] == 6
    assert not (masked_summary(s, enabled=False).astype(str) == "<5").any().any()


def test_map_rates_and_chart_hide_what_the_mask_hides():
    from geo.caseload.cases import masked_monthly, rate_per_area

    s = caseload_summary(CASES, AREAS, POP, capacity={"Noord": 2.0, "Zuid": 0.5})
    per_fte = rate_per_area(s, "per_vte_per_maand")
    assert per_fte["Noord"] == pytest.approx(64 / 3 / 2)
    assert per_fte["Zuid"] == pytest.approx(6 / 3 / 0.5)  # 6 handled: not masked
    per_1000 = rate_per_area(s, "per_1000")
    assert per_1000["Noord"] == pytest.approx(60.0)
    small = caseload_summary(CASES.drop(index=2), AREAS, POP, capacity={"Zuid": 1.0})  # Zuid: 4 left
    assert small.set_index("gebied").loc["Zuid", "aanmeldingen"] == 4
    assert np.isnan(rate_per_area(small, "per_1000")["Zuid"])  # built on 4 registrations: hidden
    assert rate_per_area(small, "per_1000", masked=False)["Zuid"] > 0
    monthly = pd.DataFrame({"A": [0, 3, 5], "B": [4, 0, 12]}, index=["2024-01", "2024-02", "2024-03"])
    chart = masked_monthly(monthly)
    assert chart["A"].tolist()[0] == 0 and np.isnan(chart["A"].tolist()[1]) and chart["A"].tolist()[2] == 5
    assert np.isnan(chart["B"].tolist()[0]) and chart["B"].tolist()[2] == 12
    assert masked_monthly(monthly, masked=False)["B"].tolist() == [4.0, 0.0, 12.0]


def test_nothing_in_memory_survives_a_refusal():
    raw = _csv("gemeente;maand;aanmeldingen;naam\n11001;2024-01;3;Jan Peeters\n")
    result = None
    with pytest.raises(PrivacyError):
        result = validate_caseload(raw, UNITS)
    assert result is None
    assert np.all(raw.columns == ["gemeente", "maand", "aanmeldingen", "naam"])  # input untouched


def test_by_referrer():
    cases = _cases(
        [
            ("11001", "2024-01", "school", "", 3),
            ("11002", "2024-02", "school", "", 4),
            ("11004", "2024-01", "", "", 2),
            ("11004", "2024-01", "huisarts", "Noord", 6),
        ]
    )
    m = by_referrer(cases, AREAS)
    assert m.loc["Noord", "school"] == 7 and m.loc["Zuid", "huisarts"] == 6 and m.loc["Zuid", "onbekend"] == 2
    assert m.loc["Noord", "onbekend"] == 0 and m.to_numpy().sum() == 15


def test_files_go_through_the_same_pipeline():
    text = "Aanmeldingen 2024\n\nGemeente (NIS-code);Maand;Aanmeldingen (aantal)\n11001;mrt 2024;1.234\n"
    res = validate_caseload(read_caseload(text.encode("cp1252"), "c.csv"), UNITS)
    assert res.ok, [str(m) for m in res.messages]
    assert res.cases[["eenheid", "maand", "aanmeldingen"]].values.tolist() == [["11001", "2024-03", 1234]]
    with pytest.raises(PrivacyError, match="kolom 'cliënt'"):
        read_caseload("gemeente;maand;aanmeldingen;cliënt\n11001;2024-01;3;x\n".encode(), "c.csv")


def test_old_municipality_codes_are_added_to_their_successor():
    old = {"gemeente": {"11099": "11002", "11098": "11002"}}
    raw = _csv("gemeente;maand;aanmeldingen\n11099;2024-01;3\n11098;2024-01;4\n11002.0;2024-02;5\n")
    res = validate_caseload(raw, UNITS, successors=old)
    assert res.ok, [str(m) for m in res.messages]
    assert res.cases[["eenheid", "maand", "aanmeldingen"]].values.tolist() == [
        ["11002", "2024-01", 7],
        ["11002", "2024-02", 5],
    ]
    assert any("gemeentefusie" in str(m) for m in res.messages)
