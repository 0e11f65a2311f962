"""Agreement of the wijk counts with Tabel 8 of the Groot Antwerpen study (2019, per postcode and per
wijkcontactpunt): the independent check of the population per wijk and of the small-area deprivation
estimate (docs/KANSARMOEDE_WIJK.md). Tabel 8 is only compared with here; no estimate uses it.

Wijken are grouped into postcodes by `geo.divisions.references.wijk_postcodes`; postcodes into WCPs as in
Tabel 8. Rates are recomputed from summed counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.data import facts, units
from geo.divisions.references import wijk_postcodes
from geo.exports import Col

#: The deprivation indicators compared, in the order of the tables.
COMPARED = ("kg_schatting", "kg_gemeente", "bimd")


@dataclass
class Agreement:
    """Per postcode and per WCP: our counts and rates next to Tabel 8; per indicator the correlation and
    the mean absolute difference (percentage points) with the Tabel 8 index."""

    year: int
    postcodes: pd.DataFrame
    wcps: pd.DataFrame
    scores: pd.DataFrame  # index indicator; r_postcode, mae_postcode, r_wcp, mae_wcp


def _grouped(year: int, key: str) -> pd.DataFrame:
    """Our counts per postcode (``key="postcode"``) or WCP, with the rate of every compared indicator."""
    out = None
    for indicator in COMPARED:
        wijk = units.load_table("wijk", year, indicator)
        postcode = wijk["code"].astype(str).map(wijk_postcodes(wijk))
        wcp = postcode.map(
            dict(zip(facts.wcp_postcodes()["postcode"], facts.wcp_postcodes()["wcp"], strict=True))
        )
        by = postcode if key == "postcode" else wcp
        sums = wijk.groupby(by)[["inwoners", "pop_0_24", "kansarmoede_n", "kansarmoede_basis"]].sum()
        if out is None:
            out = sums[["inwoners", "pop_0_24"]].copy()
        out[indicator] = 100.0 * sums["kansarmoede_n"] / sums["kansarmoede_basis"].replace(0, np.nan)
    out.index.name = key
    return out


def _score(ours: pd.Series, theirs: pd.Series) -> tuple[float, float]:
    return float(np.corrcoef(ours, theirs)[0, 1]), float((ours - theirs).abs().mean())


def agreement(year: int = 2019) -> Agreement:
    """The comparison for population ``year`` (2019 is the year of Tabel 8)."""
    year = units.check_year(year)
    t8 = facts.wcp_postcodes().set_index("postcode")
    pc = _grouped(year, "postcode").reindex(t8.index)
    pc.insert(0, "wcp", t8["wcp"])
    pc["inwoners_tabel8"] = t8["bevolking_2019"].astype(float)
    pc["pop_0_24_tabel8"] = t8["pop_0_24"].astype(float)
    pc["index_tabel8"] = t8["kansarmoede_pct"].astype(float)
    tw = facts.wcp_totals().set_index("wcp")
    wc = _grouped(year, "wcp").reindex(tw.index)
    wc["inwoners_tabel8"] = tw["bevolking_2019"].astype(float)
    wc["pop_0_24_tabel8"] = tw["pop_0_24"].astype(float)
    wc["index_tabel8"] = tw["kansarmoede_pct"].astype(float)
    rows = {}
    for indicator in COMPARED:
        r_pc, mae_pc = _score(pc[indicator], pc["index_tabel8"])
        r_wcp, mae_wcp = _score(wc[indicator], wc["index_tabel8"])
        rows[indicator] = {"r_postcode": r_pc, "mae_postcode": mae_pc, "r_wcp": r_wcp, "mae_wcp": mae_wcp}
    scores = pd.DataFrame.from_dict(rows, orient="index")
    return Agreement(year, pc.reset_index(), wc.reset_index(), scores)


def export_columns(year: int) -> tuple[Col, ...]:
    """Dutch export columns of `Agreement.postcodes` (and `wcps`): our counts of population ``year`` (and
    whether they are estimates per wijk) and rates per indicator, then the Tabel 8 figures of 2019."""
    return (
        Col("postcode", "Postcode", "code"),
        Col("wcp", "Wijkcontactpunt"),
        Col(
            "inwoners", units.year_header("Inwoners", year, units.inhabitants_estimated("wijk", year)), "int"
        ),
        Col("pop_0_24", units.year_header("Jongeren 0-24", year, units.ages_estimated("wijk")), "int"),
        *(Col(key, units.indicator_header(key, level="wijk"), "number", 2) for key in COMPARED),
        Col("inwoners_tabel8", "Inwoners Tabel 8 (2019)", "int"),
        Col("pop_0_24_tabel8", "Jongeren 0-24 Tabel 8 (2019)", "int"),
        Col("index_tabel8", "Kansarmoede-index Tabel 8 (%, 2019)", "number", 2),
    )
