"""The budget page's cached workbook follows every choice that changes its figures."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from geo.budget import allocation as al
from geo.data import units
from geo_app.budget import xlsx_download
from geo_app.budget_sections import START_FILE, TransitionChoice
from geo_app.counts import CountsChoice


def first_value(data: bytes) -> object:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return next(book["Per gebied"].iter_rows(min_row=2, values_only=True))[1]


def test_workbook_follows_the_population_year_and_indicator():
    params = al.Params(total=1_000.0)
    years = sorted(units.YEARS)
    old, new = CountsChoice(year=years[0]), CountsChoice(year=years[-1])
    other = CountsChoice(year=years[-1], indicator=next(i for i in units.INDICATORS if i != new.indicator))
    workbooks = {
        counts: xlsx_download(
            "test_downloads",
            params,
            "stempel",
            counts,
            {"Per gebied": pd.DataFrame({"Gebied": ["A"], "n": [n]})},
        )
        for counts, n in ((old, 11), (new, 22), (other, 33))
    }
    # Same formula, other year or indicator: other figures, never the first cached workbook.
    assert [first_value(workbooks[c]) for c in (old, new, other)] == [11, 22, 33]


def test_transition_key_tells_files_of_the_same_size_apart():
    a = TransitionChoice(START_FILE, 4, 5.0, 5.0, "start.csv", b"gebied;bedrag\nA;100\n")
    b = TransitionChoice(START_FILE, 4, 5.0, 5.0, "start.csv", b"gebied;bedrag\nA;900\n")
    assert a.cache_key != b.cache_key
    assert (
        a.cache_key
        == TransitionChoice(START_FILE, 4, 5.0, 5.0, "start.csv", b"gebied;bedrag\nA;100\n").cache_key
    )
