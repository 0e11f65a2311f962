"""Statistical sectors of a given year -> wijken (2024 sector codes), deprivation per sector, and the
small-area estimate of the K&G kansarmoede-index.

A *piece* is (part of) one sector of the year, assigned to one wijk with a share. The rules, in order:

- `exact`: the sector code exists in the 2024 sector table (share 1).
- `opgesplitst`: the sector was split later (2024 sectors with the same first 8 characters), all parts in
  one wijk (share 1).
- `opgesplitst_verdeeld`: same, the parts lie in several wijken: each wijk gets its number of parts divided
  by the number of parts.
- `herschikt`: sectors redrawn later: 2024 sectors sharing the first 7 (else 6) characters, shared out the
  same way.
- `onbekend`: the unknown-address sector (`…ZZZZ`), or no 2024 sector with the same first 6 characters:
  spread over the wijken of the same municipality in proportion to their inhabitants (same year).

Every rule keeps a piece inside the municipality of its sector, so sector sums per municipality stay exact.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import expit

RULES = ("exact", "opgesplitst", "opgesplitst_verdeeld", "herschikt", "onbekend")
RULE_TEXT = {
    "exact": "sectorcode bestaat in de sectortabel van 2024",
    "opgesplitst": "sector later opgesplitst (zelfde eerste 8 tekens), alle delen in één wijk",
    "opgesplitst_verdeeld": "sector later opgesplitst over meerdere wijken: verdeeld naar het aantal "
    "deelsectoren per wijk",
    "herschikt": "sector later hertekend (zelfde eerste 7, anders 6 tekens): verdeeld naar het aantal "
    "sectoren van 2024 met die code per wijk",
    "onbekend": "adres onbekend (ZZZZ) of geen sector van 2024 met dezelfde eerste 6 tekens: verdeeld over "
    "de wijken van de gemeente naar hun inwoners",
}


def _prefix_shares(codes: pd.Series, table: pd.DataFrame, width: int) -> pd.DataFrame:
    """Per code: wijken of the 2024 sectors with the same first ``width`` characters, share = count share."""
    t = table.assign(p=table["statsec"].str[:width])
    counts = t.groupby(["p", "ggw7"]).size().rename("k").reset_index()
    counts["share"] = counts["k"] / counts.groupby("p")["k"].transform("sum")
    src = pd.DataFrame({"sector": codes.to_numpy(), "p": codes.str[:width].to_numpy()})
    return src.merge(counts[["p", "ggw7", "share"]], on="p")[["sector", "ggw7", "share"]]


def sector_pieces(sectors: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Assign each sector of a year (``nis``, ``sector``, ``bevolking``) to wijken.

    ``table``: the 2024 sector table (``statsec``, ``ggw7``), only wijken that exist. Returns one row per
    piece: ``nis``, ``sector``, ``ggw7``, ``share``, ``rule``, ``bevolking`` (the sector's inhabitants
    times the share, float).
    """
    known = set(table["statsec"])
    s = sectors[["nis", "sector", "bevolking"]].copy()
    unknown = s["sector"].str.endswith("ZZZZ")
    parts = []
    exact = s[s["sector"].isin(known) & ~unknown]
    parts.append(exact.merge(table, left_on="sector", right_on="statsec").assign(share=1.0, rule="exact"))
    rest = s[~s["sector"].isin(known) & ~unknown]
    for width, rule in ((8, "opgesplitst"), (7, "herschikt"), (6, "herschikt")):
        found = _prefix_shares(rest["sector"], table, width)
        part = rest.merge(found, on="sector").assign(rule=rule)
        if width == 8:  # children in several wijken: apportioned
            part.loc[part["share"] < 1, "rule"] = "opgesplitst_verdeeld"
        parts.append(part)
        rest = rest[~rest["sector"].isin(found["sector"])]
    pieces = pd.concat(parts, ignore_index=True)[["nis", "sector", "ggw7", "share", "rule", "bevolking"]]
    pieces["bevolking"] = pieces["bevolking"] * pieces["share"]
    # Unknown addresses (and sectors without any 2024 relative): pro rata over the municipality's wijken.
    leftover = pd.concat([s[unknown], rest])
    if len(leftover):
        per_wijk = pieces.groupby(["nis", "ggw7"])["bevolking"].sum().rename("w").reset_index()
        per_wijk["share"] = per_wijk["w"] / per_wijk.groupby("nis")["w"].transform("sum")
        spread = leftover.merge(per_wijk[["nis", "ggw7", "share"]], on="nis")
        missing = sorted(set(leftover["nis"]) - set(spread["nis"]))
        if missing:
            raise ValueError(f"sectoren zonder wijk in gemeente(n) {', '.join(missing)}")
        spread["bevolking"] = spread["bevolking"] * spread["share"]
        spread["rule"] = "onbekend"
        pieces = pd.concat([pieces, spread[pieces.columns]], ignore_index=True)
    return pieces


def rule_report(pieces: pd.DataFrame) -> dict[str, int]:
    """Inhabitants (rounded) that went through each rule."""
    sums = pieces.groupby("rule")["bevolking"].sum()
    return {r: int(round(float(sums.get(r, 0.0)))) for r in RULES}


def bimd_per_sector(codes: pd.Series, bimd: pd.DataFrame) -> pd.DataFrame:
    """BIMD 2011 for sector codes of a later year: exact 2011 code, else the 2011 sectors with the same
    first 8 characters (mean score, share in deciles 1-2). Unknown (ZZZZ, new sectors): NaN.

    Returns ``sector``, ``bimd_score``, ``bimd_d12`` (0..1, share of the matched 2011 sectors in deciles
    1-2), ``bimd_regel`` (``exact``/``prefix``/``onbekend``).
    """
    b = bimd.assign(d12=(bimd["deciel"] <= 2).astype(float))
    exact = b.set_index("sector")[["score", "d12"]]
    by8 = b.assign(p=b["sector"].str[:8]).groupby("p")[["score", "d12"]].mean()
    out = pd.DataFrame({"sector": codes.to_numpy()})
    e = exact.reindex(out["sector"])
    p = by8.reindex(out["sector"].str[:8])
    use_exact = e["score"].notna().to_numpy()
    use_prefix = ~use_exact & p["score"].notna().to_numpy() & ~out["sector"].str.endswith("ZZZZ").to_numpy()
    out["bimd_score"] = np.where(use_exact, e["score"].to_numpy(), np.where(use_prefix, p["score"], np.nan))
    out["bimd_d12"] = np.where(use_exact, e["d12"].to_numpy(), np.where(use_prefix, p["d12"], np.nan))
    out["bimd_regel"] = np.where(use_exact, "exact", np.where(use_prefix, "prefix", "onbekend"))
    return out


@dataclass(frozen=True)
class IndexCurve:
    """The K&G index as a logistic curve of the BIMD score: `index = 100 / (1 + exp(-(a + b * score)))`,
    fitted across the Flemish municipalities (binomial model, weighted by their young people)."""

    a: float
    b: float
    municipalities: int

    def logit(self, score: np.ndarray) -> np.ndarray:
        return self.a + self.b * np.asarray(score, dtype=float)


def fit_index_curve(score: np.ndarray, index_pct: np.ndarray, young: np.ndarray) -> IndexCurve:
    """Fit `IndexCurve` on municipalities: young-weighted mean BIMD score, published K&G index (%), young
    people (the binomial weights). Municipalities without a score, an index or young people are left out.
    Iteratively reweighted least squares; a clear error when the fit cannot be made."""
    x, y, w = (np.asarray(v, dtype=float) for v in (score, index_pct, young))
    keep = np.isfinite(x) & np.isfinite(y) & np.isfinite(w) & (w > 0)
    x, y, w = x[keep], np.clip(y[keep] / 100.0, 0.0, 1.0), w[keep]
    if len(x) < 3 or np.ptp(x) == 0:
        raise ValueError("te weinig gemeenten met een K&G-index en een BIMD-score om de curve te schatten")
    design = np.column_stack([np.ones_like(x), x])
    mean = float(np.clip(np.average(y, weights=w), 1e-4, 1 - 1e-4))
    beta = np.array([np.log(mean / (1 - mean)), 0.0])
    for _ in range(100):
        mu = expit(design @ beta)
        var = np.maximum(mu * (1 - mu), 1e-12)
        z = design @ beta + (y - mu) / var
        step = np.linalg.solve(design.T @ ((w * var)[:, None] * design), design.T @ (w * var * z))
        done = np.max(np.abs(step - beta)) < 1e-12
        beta = step
        if done:
            break
    return IndexCurve(float(beta[0]), float(beta[1]), int(keep.sum()))


def young_weighted_score(group: np.ndarray, young: np.ndarray, score: np.ndarray) -> pd.Series:
    """Mean BIMD score per group (municipality), weighted by young people, over pieces with a score."""
    df = pd.DataFrame({"g": group, "p": np.asarray(young, dtype=float), "r": np.asarray(score, dtype=float)})
    known = df["r"].notna() & (df["p"] > 0)
    num = (df["p"] * df["r"]).where(known, 0.0).groupby(df["g"]).sum()
    den = df["p"].where(known, 0.0).groupby(df["g"]).sum()
    return num / den.replace(0, np.nan)


def small_area_estimate(
    group: np.ndarray, young: np.ndarray, score: np.ndarray, deprived: pd.Series, curve: IndexCurve
) -> np.ndarray:
    """Spread each municipality's deprived young people over its pieces along the index curve.

    ``group``: municipality code per piece; ``young``: 0-24 per piece; ``score``: BIMD score per piece
    (NaN = unknown, replaced by the municipality's young-weighted mean score); ``deprived``: deprived
    young people per municipality (index x 0-24 / 100); ``curve``: `fit_index_curve`. Each piece gets
    ``young x expit(curve.logit(score) + c)`` with one shift ``c`` per municipality, chosen so the pieces
    add up to ``deprived`` exactly: the curve sets the contrast between sectors, the published index the
    level. Rates stay between 0 and 1 and rise with the score inside every municipality.
    """
    codes, g = np.unique(np.asarray(group).astype(str), return_inverse=True)
    y = np.asarray(young, dtype=float)
    r = pd.Series(np.asarray(score, dtype=float))
    mean = young_weighted_score(codes[g], y, r.to_numpy())
    r = r.fillna(pd.Series(codes[g]).map(mean)).to_numpy()
    eta = curve.logit(np.where(np.isfinite(r), r, np.nanmean(r)))
    target = pd.Series(deprived).reindex(codes).to_numpy(dtype=float)
    total_young = np.bincount(g, weights=y, minlength=len(codes))
    active = np.isfinite(target) & (target > 0) & (total_young > 0)
    target = np.minimum(np.where(active, target, 0.0), total_young * (1 - 1e-12))
    lo = np.full(len(codes), -60.0)
    hi = np.full(len(codes), 60.0)
    for _ in range(80):  # bisection on the shift, all municipalities at once (the sum rises with c)
        mid = (lo + hi) / 2
        got = np.bincount(g, weights=y * expit(eta + mid[g]), minlength=len(codes))
        too_many = got > target
        hi = np.where(too_many, mid, hi)
        lo = np.where(too_many, lo, mid)
    out = y * expit(eta + ((lo + hi) / 2)[g])
    # exact sums: the last rounding error of the bisection goes proportionally
    got = np.bincount(g, weights=out, minlength=len(codes))
    factor = np.divide(target, got, out=np.zeros_like(target), where=got > 0)
    return np.where(active[g], out * factor[g], 0.0)
