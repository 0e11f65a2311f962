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

import numpy as np
import pandas as pd

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

#: Highest share of deprived young people the small-area estimate gives one sector (the rest moves on).
ESTIMATE_CAP = 0.9


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


def small_area_estimate(
    group: np.ndarray, young: np.ndarray, score: np.ndarray, deprived: pd.Series, cap: float = ESTIMATE_CAP
) -> np.ndarray:
    """Spread each municipality's deprived young people over its pieces by young people x BIMD score.

    ``group``: municipality code per piece; ``young``: 0-24 per piece; ``score``: BIMD score per piece
    (NaN = unknown, replaced by the municipality's young-weighted mean score); ``deprived``: deprived
    young people per municipality (index x 0-24 / 100). Each piece gets at most ``cap`` x its young
    people; what a capped piece cannot take goes to the others in the same proportion. The sum per
    municipality equals ``deprived`` (where the municipality has young people).
    """
    df = pd.DataFrame({"g": group, "p": young.astype(float), "r": score.astype(float)})
    known = df["r"].notna() & (df["p"] > 0)
    mean = (df["p"] * df["r"]).where(known, 0).groupby(df["g"]).sum() / df["p"].where(known, 0).groupby(
        df["g"]
    ).sum().replace(0, np.nan)
    r = df["r"].fillna(df["g"].map(mean)).fillna(1.0).clip(lower=1e-6)
    out = np.zeros(len(df))
    target_all = df["g"].map(deprived).to_numpy(dtype=float)
    weights = (df["p"] * r).to_numpy()
    limit = cap * df["p"].to_numpy()
    for _, idx in df.groupby("g").indices.items():
        total = target_all[idx[0]] if idx.size else 0.0
        if not np.isfinite(total) or total <= 0:
            continue
        w, lim = weights[idx], limit[idx]
        res = np.zeros(idx.size)
        free = np.ones(idx.size, dtype=bool)
        remaining = min(total, lim.sum())
        for _ in range(idx.size + 1):
            wf = w[free].sum()
            if wf <= 0 or remaining <= 1e-12:
                break
            res[free] = remaining * w[free] / wf
            over = free & (res > lim)
            if not over.any():
                break
            res[over] = lim[over]
            free &= ~over
            remaining = total - res[~free].sum()
        out[idx] = res
    return out
