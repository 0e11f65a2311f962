"""Masking that subtraction cannot undo: small counts and every figure that would give them back.

Method (secondary suppression with an interval audit):

1. Every count from 1 to 4 is masked as `MASK_SMALL` (`<5`); zeros and counts from 5 on are shown.
2. All figures that are published together (the headline total, the table per area, the months, the
   referrer types, the transfers between areas, and the count of registrations without an area) are one
   system of linear equations: an area's registrations are the sum of its months, of its referrer types
   and of its row of the transfer matrix; an area's handled cases are the sum of its column; outgoing and
   incoming transfers are those sums minus the diagonal; the headline total is the sum of the areas plus
   the registrations without an area.
3. An audit computes, for every masked count, the smallest and largest value it can take given everything
   that is shown, what masking tells (a masked count is 1-4, a hidden one is 5 or more) and that counts are
   not negative (a linear programme per count, HiGHS). A masked count is exposed when only one whole number
   fits.
4. While a count is exposed, one more figure in one of its equations is hidden (`MASK_HIDDEN`, `x`): the
   smallest count of 5 or more, preferring detail cells (months, referrer types, transfers) over area
   figures and the headline total. Then the audit runs again.

Rates computed from a masked or hidden count (per 1,000 young people, per FTE, overload flag, trend) are
hidden with it. The result: no masked count can be recomputed exactly from what a page and its exports show
together; `audit` proves it for a given set of tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

MASK_THRESHOLD = 5
SHOWN, SMALL, HIDDEN, UNPUBLISHED = 0, 1, 2, 3


@dataclass
class CellSystem:
    """Published counts (`cells`) tied together by linear equations (sum of coef x cell = 0)."""

    values: list[float] = field(default_factory=list)
    status: list[int] = field(default_factory=list)
    rank: list[int] = field(default_factory=list)  # preference for secondary suppression (low = first)
    labels: list[object] = field(default_factory=list)
    equations: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)

    def add(self, value: float, rank: int = 0, label: object = None, published: bool = True) -> int:
        self.values.append(float(value))
        self.status.append(SHOWN if published else UNPUBLISHED)
        self.rank.append(rank)
        self.labels.append(label)
        return len(self.values) - 1

    def equation(self, cells: Sequence[int], coefs: Sequence[float]) -> None:
        """``sum(coefs[i] * cells[i]) == 0``."""
        if len(cells):
            self.equations.append((np.asarray(cells, dtype=int), np.asarray(coefs, dtype=float)))

    def sum_equation(self, total: int, parts: Iterable[int]) -> None:
        """``total == sum(parts)``."""
        parts = list(parts)
        self.equation([total, *parts], [1.0] + [-1.0] * len(parts))

    # ------------------------------------------------------------------------------------------ audit
    def _bounds(self, i: int) -> tuple[float, float | None]:
        s = self.status[i]
        if s == SMALL:
            return 1.0, MASK_THRESHOLD - 1.0
        if s == HIDDEN:
            return float(MASK_THRESHOLD), None
        return 0.0, None

    def _components(self) -> list[tuple[list[int], list[int]]]:
        """Groups of (equations, unknown cells) linked by shared unknown cells."""
        unknown = [s != SHOWN for s in self.status]
        parent = list(range(len(self.values)))

        def find(a: int) -> int:
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a

        for cells, _coefs in self.equations:
            free = [c for c in cells if unknown[c]]
            for c in free[1:]:
                ra, rb = find(free[0]), find(c)
                if ra != rb:
                    parent[rb] = ra
        groups: dict[int, tuple[list[int], list[int]]] = {}
        for e, (cells, _coefs) in enumerate(self.equations):
            free = [c for c in cells if unknown[c]]
            if free:
                groups.setdefault(find(free[0]), ([], []))[0].append(e)
        for c, is_unknown in enumerate(unknown):
            if is_unknown:
                root = find(c)
                if root in groups:
                    groups[root][1].append(c)
        return list(groups.values())

    def _matrices(self, eqs: list[int], cells: list[int]):
        col = {c: j for j, c in enumerate(cells)}
        a = np.zeros((len(eqs), len(cells)))
        b = np.zeros(len(eqs))
        for r, e in enumerate(eqs):
            ec, ek = self.equations[e]
            for c, k in zip(ec.tolist(), ek.tolist(), strict=True):
                if c in col:
                    a[r, col[c]] += k
                else:
                    b[r] -= k * self.values[c]
        return col, a, b, [self._bounds(c) for c in cells]

    @staticmethod
    def _solve(cost, a, b, bounds) -> float | None:
        from scipy.optimize import linprog

        res = linprog(cost, A_eq=a, b_eq=b, bounds=bounds, method="highs")
        return float(res.fun) if res.status == 0 else None

    def intervals(self) -> dict[int, tuple[float, float]]:
        """For every masked (SMALL) count: the smallest and largest value it can take given the shown
        figures (linear programmes over each group of linked unknowns)."""
        out: dict[int, tuple[float, float]] = {}
        for eqs, cells in self._components():
            small = [c for c in cells if self.status[c] == SMALL]
            if not small:
                continue
            col, a, b, bounds = self._matrices(eqs, cells)
            for c in small:
                cost = np.zeros(len(cells))
                cost[col[c]] = 1.0
                low = self._solve(cost, a, b, bounds)
                high = self._solve(-cost, a, b, bounds)
                out[c] = (
                    1.0 if low is None else low,
                    MASK_THRESHOLD - 1.0 if high is None else -high,
                )
        return out

    def _exposed_in(self, eqs: list[int], cells: list[int], only: int | None = None) -> list[int]:
        """Masked counts of one group that cannot move by a whole unit either way from their true value
        (the true values are feasible, so that is the same as a single whole number fitting)."""
        small = [c for c in cells if self.status[c] == SMALL and (only is None or c == only)]
        if not small:
            return []
        col, a, b, bounds = self._matrices(eqs, cells)
        out = []
        for c in small:
            v = self.values[c]
            cost = np.zeros(len(cells))
            cost[col[c]] = -1.0
            high = self._solve(cost, a, b, bounds)
            if high is not None and -high >= v + 1 - 1e-6:
                continue
            cost[col[c]] = 1.0
            low = self._solve(cost, a, b, bounds)
            if low is not None and low <= v - 1 + 1e-6:
                continue
            out.append(c)
        return out

    def exposed(self) -> list[int]:
        """Masked counts for which only one whole number fits what is shown."""
        cache = self.__dict__.setdefault("_cache", {})
        out: list[int] = []
        for eqs, cells in self._components():
            key = (tuple(eqs), tuple((c, self.status[c]) for c in cells))
            if key not in cache:
                cache[key] = self._exposed_in(eqs, cells)
            out.extend(cache[key])
        return out

    # ------------------------------------------------------------------------------------------ protect
    def protect(self, enabled: bool = True, max_rounds: int = 200) -> int:
        """Mask small counts and hide further figures until none is exposed; returns how many were hidden."""
        if not enabled:
            return 0
        for i, v in enumerate(self.values):
            if self.status[i] == SHOWN and 0 < v < MASK_THRESHOLD:
                self.status[i] = SMALL
        hidden = 0
        for _ in range(max_rounds):
            exposed = self.exposed()
            if not exposed:
                break
            changed = False
            for c in exposed:
                if changed and not self._still_exposed(c):
                    continue
                for pick in self._cover(c):
                    if self.status[pick] == SHOWN:
                        self.status[pick] = HIDDEN
                        hidden += 1
                        changed = True
        return hidden

    def _still_exposed(self, cell: int) -> bool:
        for eqs, cells in self._components():
            if cell in cells:
                return cell in self._exposed_in(eqs, cells, only=cell)
        return True

    def _cover(self, cell: int) -> list[int]:
        """The cheapest set of shown counts to hide so that ``cell`` can move by one (up or down).

        A linear programme lets every figure change (shown counts at a cost, preferring detail cells) while
        all equations and bounds hold and ``cell`` moves by one; the shown counts that changed are hidden.
        """
        from scipy.optimize import linprog
        from scipy.sparse import coo_matrix, hstack

        n = len(self.values)
        rows, cols, data = [], [], []
        for r, (cells, coefs) in enumerate(self.equations):
            rows.extend([r] * len(cells))
            cols.extend(cells.tolist())
            data.extend(coefs.tolist())
        a = coo_matrix((data, (rows, cols)), shape=(len(self.equations), n)).tocsr()
        a_eq = hstack([a, -a]).tocsr()  # change = up - down
        values = np.asarray(self.values)
        status = np.asarray(self.status)
        up_max = np.full(n, np.inf)
        down_max = values.copy()  # counts stay >= 0
        down_max[status == SMALL] = values[status == SMALL] - 1
        up_max[status == SMALL] = (MASK_THRESHOLD - 1) - values[status == SMALL]
        big = status == HIDDEN
        down_max[big] = values[big] - MASK_THRESHOLD
        shown = status == SHOWN
        movable = shown & (values >= MASK_THRESHOLD)
        down_max[shown & movable] = values[shown & movable] - MASK_THRESHOLD
        up_max[shown & ~movable] = 0.0
        down_max[shown & ~movable] = 0.0
        cost = np.where(shown, 1.0 + 10.0 * np.asarray(self.rank), 0.0)
        c = np.concatenate([cost, cost])
        best: list[int] | None = None
        best_cost = np.inf
        for direction in (1.0, -1.0):
            ub = np.concatenate([up_max, down_max])
            if direction > 0 and up_max[cell] < 1 or direction < 0 and down_max[cell] < 1:
                continue
            row = np.zeros(2 * n)
            row[cell], row[n + cell] = 1.0, -1.0
            from scipy.sparse import csr_matrix, vstack

            res = linprog(
                c,
                A_eq=vstack([a_eq, csr_matrix(row)]),
                b_eq=np.concatenate([np.zeros(a_eq.shape[0]), [direction]]),
                bounds=list(zip(np.zeros(2 * n), ub, strict=True)),
                method="highs",
            )
            if res.status == 0 and res.fun < best_cost:
                change = res.x[:n] + res.x[n:]
                best_cost = res.fun
                best = [int(j) for j in np.flatnonzero((change > 1e-7) & shown)]
                break  # one direction that works is enough
        return best or []
