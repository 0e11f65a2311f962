"""Flemish number formatting and input parsing (geo.fmt)."""

from __future__ import annotations

import pytest

from geo import fmt
from geo.fmt import NumberInputError, format_input, parse_number


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("0,3", "number", 0.3),
        ("24.000.000", "number", 24_000_000),
        ("24000000", "number", 24_000_000),
        ("€ 960.000", "euro", 960_000),
        ("960.000 €", "euro", 960_000),
        ("EUR 1.234,50", "euro", 1234.5),
        ("12,5 %", "percent", 12.5),
        ("12,5%", "percent", 12.5),
        ("-1.234,5", "number", -1234.5),
        ("\u22125", "number", -5),
        ("1\u00a0234", "number", 1234),
        (",5", "number", 0.5),
        ("7", "number", 7),
    ],
)
def test_flemish_input_is_read(text, kind, expected):
    assert parse_number(text, kind=kind) == pytest.approx(expected)


def test_empty_is_none():
    assert parse_number("  ") is None
    assert parse_number("€", kind="euro") is None


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("0.3", "Bedoelt u 0,3"),  # English decimal point: refused, not read as 3 or 0.3
        ("1.5", "Bedoelt u 1,5"),
        ("0.300", "dubbelzinnig"),
        ("1,234.5", "punt na de komma"),
        ("1,2,3", "meer dan één komma"),
        ("12.34.567", "dubbelzinnig"),
        ("abc", "geen getal"),
        ("12,5 %", "geen getal"),  # a percent sign where a plain number is asked
    ],
)
def test_ambiguous_or_foreign_input_is_refused(text, fragment):
    with pytest.raises(NumberInputError, match=fragment):
        parse_number(text)


def test_out_of_range_is_refused_not_clamped():
    with pytest.raises(NumberInputError) as err:
        parse_number("1,5", minimum=0, maximum=1)
    assert "1,5 ligt buiten" in str(err.value)
    assert "tussen 0 en 1" in str(err.value)
    with pytest.raises(NumberInputError, match="minstens € 0"):
        parse_number("-€ 5", kind="euro", minimum=0)
    assert parse_number("1", minimum=0, maximum=1) == 1


def test_integer_and_decimals_limits():
    with pytest.raises(NumberInputError, match="geen geheel getal"):
        parse_number("2,5", integer=True)
    assert parse_number("3,0", integer=True) == 3
    with pytest.raises(NumberInputError, match="meer dan 2 decimalen"):
        parse_number("0,125", decimals=2)


@pytest.mark.parametrize(
    ("value", "kind", "decimals", "text"),
    [
        (0.3, "number", None, "0,3"),
        (24_000_000, "number", None, "24.000.000"),
        (960_000, "euro", 0, "€ 960.000"),
        (12.5, "percent", None, "12,5 %"),
        (0.2, "number", 3, "0,200"),
        (None, "number", None, ""),
    ],
)
def test_format_input(value, kind, decimals, text):
    assert format_input(value, kind=kind, decimals=decimals) == text


@pytest.mark.parametrize("value", [0.3, 24_000_000, 1234.56, -17.25, 0.05])
@pytest.mark.parametrize("kind", ["number", "euro", "percent"])
def test_round_trip(value, kind):
    assert parse_number(format_input(value, kind=kind), kind=kind) == pytest.approx(value)


def test_output_formatters():
    assert fmt.number(1234567.8) == "1.234.568"
    assert fmt.number(1234567.8, 1) == "1.234.567,8"
    assert fmt.euro(-1234) == "-€ 1.234"
    assert fmt.percent(12.5) == "12,5 %"


def test_stored_utc_times_are_shown_in_belgian_time():
    from datetime import UTC, datetime

    assert fmt.local_time(datetime(2026, 7, 1, 10, 0)) == "01/07/2026 12:00"  # naive = UTC, summer: +2
    assert (
        fmt.local_time(datetime(2026, 1, 15, 23, 30, 5), seconds=True) == "16/01/2026 00:30:05"
    )  # winter: +1
    assert fmt.local_time(datetime(2026, 3, 29, 0, 59, tzinfo=UTC)) == "29/03/2026 01:59"  # before DST
    assert fmt.local_time(datetime(2026, 3, 29, 1, 0, tzinfo=UTC)) == "29/03/2026 03:00"  # after DST
    assert fmt.local_time(None) == "–"
    assert fmt.local_time(float("nan")) == "–"
