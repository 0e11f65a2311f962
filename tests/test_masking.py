"""No masked count can be recomputed from what the caseload page and its exports show.

The attacker here is written independently of `geo.caseload.protect`: it reads the exported CSV files
(summary per area, months, referrer types, transfers) and the headline figures, writes down every
relation a reader knows (an area's registrations are the sum of its months, of its referrer types and of
its row of transfers; handled = column sum; outgoing/incoming = sums minus the diagonal; the total is the
sum of the areas plus those without an area), and bounds every '<5' cell by linear programming, knowing
that '<5' means 1-4 and that a hidden 'x' count is at least 5. No '<5' cell may have only one possible
whole value.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from geo import exports
from geo.caseload.published import SUMMARY_COLUMNS, publish

CASE_COLUMNS = ["eenheid", "maand", "verwijzer", "behandelend_gebied", "aanmeldingen"]


def _read(frame: pd.DataFrame, columns=None) -> pd.DataFrame:
    """A table as the reader gets it: exported to CSV and read back as text."""
    data = exports.csv_bytes(frame, columns).decode("utf-8-sig")
    return pd.read_csv(io.StringIO(data), sep=";", dtype=str, keep_default_na=False)


class Attacker:
    def __init__(self) -> None:
        self.names: list[str] = []
        self.bounds: list[tuple[float, float | None]] = []
        self.rows: list[dict[int, float]] = []
        self.rhs: list[float] = []
        self.small: list[int] = []

    def term(self, name: str, text: str):
        """A published cell: a number (known) or an unknown with bounds; returns (index or None, value)."""
        text = str(text).strip()
        if text == "<5":
            self.names.append(name)
            self.bounds.append((1.0, 4.0))
            self.small.append(len(self.names) - 1)
            return len(self.names) - 1, 0.0
        if text == "x":
            self.names.append(name)
            self.bounds.append((5.0, None))
            return len(self.names) - 1, 0.0
        return None, float(text.replace(",", ".")) if text else 0.0

    def free(self, name: str):
        self.names.append(name)
        self.bounds.append((0.0, None))
        return len(self.names) - 1, 0.0

    def equal(self, left, rights) -> None:
        """left = sum(rights); each a (index, value) from `term`."""
        row: dict[int, float] = {}
        rhs = 0.0
        for (i, v), sign in [(left, 1.0)] + [(r, -1.0) for r in rights]:
            if i is None:
                rhs -= sign * v
            else:
                row[i] = row.get(i, 0.0) + sign
        if row:
            self.rows.append(row)
            self.rhs.append(rhs)
        else:
            assert abs(rhs) < 1e-9, "published figures do not add up"

    def exposed(self) -> list[str]:
        n = len(self.names)
        a = np.zeros((len(self.rows), n))
        for r, row in enumerate(self.rows):
            for i, k in row.items():
                a[r, i] = k
        out = []
        for i in self.small:
            c = np.zeros(n)
            c[i] = 1.0
            lo = linprog(c, A_eq=a, b_eq=self.rhs, bounds=self.bounds, method="highs")
            hi = linprog(-c, A_eq=a, b_eq=self.rhs, bounds=self.bounds, method="highs")
            assert lo.status == 0 and hi.status == 0
            if np.floor(-hi.fun + 1e-6) - np.ceil(lo.fun - 1e-6) < 1:
                out.append(self.names[i])
        return out


def attack(pub) -> list[str]:
    """Names of '<5' cells a reader of the page and its exports can pin down to one value."""
    summary = _read(pub.summary, SUMMARY_COLUMNS).set_index("Gebied")
    months = _read(pub.monthly.reset_index()).set_index("Maand")
    transfers = _read(pub.transfers.reset_index()).set_index("herkomst")
    refs = _read(pub.referrers.reset_index()).set_index("Gebied") if pub.referrers is not None else None
    at = Attacker()
    areas = list(summary.index)
    cell = {}
    for a in areas:
        row = summary.loc[a]
        cell["A", a] = at.term(f"aanmeldingen {a}", row["Aanmeldingen (aantal)"])
        cell["H", a] = at.term(f"behandeld {a}", row["Behandeld (aantal)"])
        cell["U", a] = at.term(f"uitgaand {a}", row["Naar een ander gebied (aantal)"])
        cell["I", a] = at.term(f"inkomend {a}", row["Van een ander gebied (aantal)"])
        for h in areas:
            cell["T", a, h] = at.term(f"van {a} naar {h}", transfers.loc[a, h])
        cell["T0", a] = at.free(f"zonder gebied naar {a}")
        for m in months.index:
            cell["M", m, a] = at.term(f"{a} in {m}", months.loc[m, a])
        if refs is not None:
            for r in refs.columns:
                cell["R", a, r] = at.term(f"{a} via {r}", refs.loc[a, r])
    z = at.term("zonder gebied", str(pub.without_area))
    total = at.term("totaal", str(pub.total))
    z0 = at.free("zonder gebied, nergens behandeld")
    for a in areas:
        at.equal(cell["A", a], [cell["T", a, h] for h in areas])
        at.equal(cell["A", a], [cell["M", m, a] for m in months.index])
        if refs is not None:
            at.equal(cell["A", a], [cell["R", a, r] for r in refs.columns])
        at.equal(cell["H", a], [*(cell["T", x, a] for x in areas), cell["T0", a]])
        at.equal(cell["A", a], [cell["U", a], cell["T", a, a]])
        at.equal(cell["H", a], [cell["I", a], cell["T", a, a]])
    at.equal(z, [*(cell["T0", a] for a in areas), z0])
    at.equal(total, [*(cell["A", a] for a in areas), z])
    return at.exposed()


def _cases(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=CASE_COLUMNS)


AREAS = {"u1": "Noord", "u2": "Noord", "u3": "Zuid", "u4": "Oost", "u5": "West"}
POP = {u: 1000.0 for u in AREAS}


def test_headline_total_no_longer_gives_back_a_masked_area():
    # Zuid has 3 registrations; without protection total - Noord - Oost - West = 3
    cases = _cases(
        [
            ("u1", "2024-01", "", "", 40),
            ("u3", "2024-01", "", "", 3),
            ("u4", "2024-01", "", "", 25),
            ("u5", "2024-01", "", "", 30),
        ]
    )
    pub = publish(cases, AREAS, POP)
    assert pub.summary.set_index("gebied").loc["Zuid", "aanmeldingen"] == "<5"
    assert attack(pub) == []
    unprotected = publish(cases, AREAS, POP, mask=False)
    assert unprotected.total == 98  # the figures themselves are exact when masking is off


def test_rates_and_overload_flags_of_hidden_counts_are_hidden_too():
    cases = _cases(
        [("u1", "2024-01", "", "", 40), ("u3", "2024-01", "", "", 2), ("u4", "2024-01", "", "", 9)]
    )
    pub = publish(cases, AREAS, POP, capacity={"Noord": 1.0, "Zuid": 1.0, "Oost": 1.0}, threshold_per_fte=1.0)
    s = pub.summary.set_index("gebied")
    for area in s.index:
        if s.loc[area, "aanmeldingen"] in ("<5", "x"):
            assert s.loc[area, "per_1000"] == "x"
        if s.loc[area, "behandeld"] in ("<5", "x"):
            assert s.loc[area, "per_vte_per_maand"] == "x" and s.loc[area, "overbelast"] == "x"


@pytest.mark.parametrize("seed", range(25))
def test_random_caseloads_leave_no_masked_count_recomputable(seed):
    rng = np.random.default_rng(seed)
    units = [f"u{i}" for i in range(12)]
    areas = {u: ["A", "B", "C", "D"][i % 4] for i, u in enumerate(units[:10])}  # u10, u11: no area
    months = ["2024-01", "2024-02", "2024-03"]
    referrers = ["", "school", "huisarts"]
    rows = []
    for u in units:
        for m in months:
            for r in referrers:
                if rng.random() < 0.45:
                    handler = rng.choice(["", "", "", "A", "B", "C", "D"])
                    rows.append((u, m, r, str(handler), int(rng.choice([1, 2, 3, 4, 6, 9, 15]))))
    cases = _cases(rows).groupby(CASE_COLUMNS[:4], as_index=False)["aanmeldingen"].sum()
    pub = publish(cases, areas, {u: 500.0 for u in units})
    exposed = attack(pub)
    assert exposed == [], exposed
    # and masking really happened: some counts 1-4 exist among the published cells
    small = (pub.monthly.values == "<5").sum() + (pub.transfers.values == "<5").sum()
    assert small > 0


def test_the_attacker_does_recompute_when_only_small_counts_are_masked(monkeypatch):
    from geo.caseload import protect

    monkeypatch.setattr(protect.CellSystem, "_cover", lambda self, cell: [])  # no secondary suppression
    cases = _cases(
        [("u1", "2024-01", "", "", 40), ("u3", "2024-01", "", "", 3), ("u4", "2024-01", "", "", 25)]
    )
    assert "aanmeldingen Zuid" in attack(publish(cases, AREAS, POP))
