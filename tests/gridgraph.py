"""Hand-made test geography: the rook adjacency of a rows x cols grid of 1 km squares."""

from __future__ import annotations

import pandas as pd


def grid_edges(codes: list[str], rows: int, cols: int, border_m: float = 1000.0) -> pd.DataFrame:
    """Edges `a`, `b`, `border_m` between horizontally and vertically neighbouring cells (row-major codes)."""
    edges = []
    for r in range(rows):
        for c in range(cols):
            i = r * cols + c
            if c + 1 < cols:
                edges.append((codes[i], codes[i + 1], border_m))
            if r + 1 < rows:
                edges.append((codes[i], codes[i + cols], border_m))
    return pd.DataFrame(edges, columns=["a", "b", "border_m"])
