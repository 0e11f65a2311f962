"""Build the statistics tables: attributes per unit (`<level>.parquet`) and counts per unit and year
(`<level>_jaren.parquet`).

Counts per year (2015, 2019-2022): exact per municipality (2025 and 2019-2024 codes) from Statbel
TF_SOC_POP_STRUCT; per wijk from the population per statistical sector of the same year (2015: the 2019
distribution within each municipality), with age bands as estimates (sector inhabitants x the
municipality's age shares of that year). Three deprivation indicators per unit and year, as counts
(`<key>_n` deprived young people, `<key>_basis` young people with a known value); see `geo.data.units`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.data.catalog import verify
from geo.data.layers import ANTWERP_CITY, ANTWERP_ELZ, BRUSSELS_REGION, FLANDERS_REGION, GN, Layers
from geo.data.readers import (
    read_bimd_municipalities,
    read_bimd_sectors,
    read_stadsmonitor,
    read_statbel_population,
    read_statbel_sectors,
    read_table_xlsx,
    read_vaccinnet,
)
from geo.data.sectors import (
    RULE_TEXT,
    IndexCurve,
    bimd_per_sector,
    fit_index_curve,
    rule_report,
    sector_pieces,
    small_area_estimate,
    young_weighted_score,
)
from geo.data.units import COUNT_COLUMNS, DEFAULT_YEAR, DEPRIVATION_KEYS, SECTOR_YEARS, YEARS

AGE_BANDS = {"pop_0_24": (0, 24), "pop_0_17": (0, 17), "pop_18_24": (18, 24)}
#: Per-year columns that add up over units.
YEAR_SUMS = (
    COUNT_COLUMNS
    + [f"{k}_{part}" for k in DEPRIVATION_KEYS for part in ("n", "basis")]
    + ["bimd_score_som", "bimd_score_basis"]
)
#: Per-year flags (True = estimate); an aggregate is an estimate when any part is.
YEAR_FLAGS = ["pop_geschat"] + [f"{k}_geschat" for k in DEPRIVATION_KEYS]
#: Attribute columns (one value per unit, not per year) that add up over units.
BASE_SUMS = ["vacc_inwoners", "vacc_0_17", "vacc_18_29"] + [f"inwoners_{y}" for y in range(2015, 2026)]
#: Vaccinnet zone labels (2022) that differ from today's zone names (matching is case-insensitive).
VACCINNET_ZONE_ALIASES = {
    "antwerpen centrum-noord-oost-zuid": "elz2",
    "n-o-waasland": "elz29",
    "z-w-waasland": "elz57",
    "oostende-bredene": "elz30",
    "regio kortrijk": "elz18",
    "westkust & polder": "elz47",
}
ANTWERP_CITY_ZONE_TEXT = "Antwerpen Centrum, Oost, Zuid en Noord (stad verdeeld over vier zones)"


def _statbel_path(year: int) -> str:
    return f"statbel/TF_SOC_POP_STRUCT_{year}.zip"


def _sector_path(year: int) -> str:
    return f"statbel/sectoren/OPENDATA_SECTOREN_{year}.zip"


def municipal_population(year: int, to_2024: dict[str, str] | None) -> tuple[pd.DataFrame, dict]:
    """Flemish and Brussels inhabitants and age bands per 2019-2024 municipality on 1 January ``year``.

    ``to_2024`` maps codes of the time (pre-2019 for 2015) to 2019-2024 codes; None when they already are.
    """
    pop = read_statbel_population(verify(_statbel_path(year)), year)
    fb = pop[pop["gewest"].isin([FLANDERS_REGION, BRUSSELS_REGION])].copy()
    if to_2024 is not None:
        fb["nis"] = fb["nis"].map(lambda c: to_2024.get(c, c))
    out = pd.DataFrame({"inwoners": fb.groupby("nis")["bevolking"].sum()})
    for col, (lo, hi) in AGE_BANDS.items():
        band = fb[fb["leeftijd"].between(lo, hi)]
        out[col] = band.groupby("nis")["bevolking"].sum().reindex(out.index, fill_value=0)
    out.index.name = "nis"
    checks = {
        "belgie": int(pop["bevolking"].sum()),
        "vlaams_gewest": int(pop.loc[pop["gewest"] == FLANDERS_REGION, "bevolking"].sum()),
        "vlaanderen_brussel": int(fb["bevolking"].sum()),
    }
    return out.astype("int64"), checks


def _zone_2022(layers: Layers) -> pd.DataFrame:
    """Per 2019-2024 municipality: eerstelijnszone (57-code) of 2022 from the Vaccinnet labels."""
    v = read_vaccinnet(verify("vaccinnet/vaccinations_2022-03-10.csv"))
    labels = v.drop_duplicates("NIS_CD").set_index("NIS_CD")["EERSTELIJNSZONE"]
    names = read_table_xlsx(verify(f"{GN}/gebiedsdefinities/elz.xlsx"), ["geoitem code", "short name"])
    by_name = {n.lower(): c for c, n in zip(names["geoitem code"], names["short name"], strict=True)}
    by_name.update(VACCINNET_ZONE_ALIASES)
    code = labels.str.strip().str.lower().map(by_name)
    if code.isna().any():
        raise ValueError(f"Vaccinnet-zones zonder eerstelijnszone: {', '.join(sorted(labels[code.isna()]))}")
    zone_names = dict(zip(names["geoitem code"], names["short name"], strict=True))
    g24 = layers.gemeente2024.set_index("code")
    out = pd.DataFrame(index=g24.index)
    out["elz57"] = code.reindex(out.index)
    out["elz57_label_2022"] = labels.reindex(out.index)
    brussels = out.index.str.startswith("21")
    out.loc[brussels, "elz57"] = "elz7"
    out.loc[brussels, "elz57_label_2022"] = "Bruzel"
    if out["elz57"].isna().any():
        raise ValueError(f"gemeenten 2019-2024 zonder zone: {', '.join(out.index[out['elz57'].isna()])}")
    out["elz57_naam"] = out["elz57"].map(zone_names)
    return out


def _pieces_per_year(layers: Layers, muni: dict[int, pd.DataFrame], checks: dict) -> dict[int, pd.DataFrame]:
    """Sector pieces per year with inhabitants, age bands, BIMD and 2025 municipality."""
    table = read_table_xlsx(verify(f"{GN}/aggregatietabellen/statsec_ggw7.xlsx"), ["statsec", "ggw7"])
    table = table[table["ggw7"].isin(set(layers.wijk["code"]))]
    wijk_gem = dict(zip(layers.wijk["code"], layers.wijk["gemeente"], strict=True))
    to2025 = dict(zip(layers.gemeente2024["code"], layers.gemeente2024["gemeente"], strict=True))
    bimd = read_bimd_sectors(verify("bimd/BIMD2011_DOMAINS_STATISTICAL_SECTOR_ELLIS_WIDE.csv"))
    out: dict[int, pd.DataFrame] = {}
    rules: dict[str, dict[str, int]] = {}
    bimd_rules: dict[str, dict[str, int]] = {}
    for year in SECTOR_YEARS:
        sectors = read_statbel_sectors(verify(_sector_path(year)))
        checks.setdefault("sectoren_belgie", {})[str(year)] = int(sectors["bevolking"].sum())
        sectors = sectors[sectors["nis"].isin(to2025)]
        per_nis = sectors.groupby("nis")["bevolking"].sum()
        diff = per_nis.reindex(muni[year].index, fill_value=0) - muni[year]["inwoners"]
        if diff.abs().max() > 0:
            bad = ", ".join(f"{c} ({int(d):+d})" for c, d in diff[diff != 0].head(5).items())
            raise ValueError(f"sectorsom {year} wijkt af van het gemeentetotaal: {bad}")
        pieces = sector_pieces(sectors, table)
        pieces["gemeente"] = pieces["ggw7"].map(wijk_gem)
        wrong = pieces["gemeente"] != pieces["nis"].map(to2025)
        if wrong.any():
            raise ValueError(
                f"sector {pieces.loc[wrong, 'sector'].iloc[0]} valt in een wijk van een andere gemeente"
            )
        rules[str(year)] = rule_report(pieces)
        b = bimd_per_sector(pieces["sector"].drop_duplicates(), bimd)
        pieces = pieces.merge(b, on="sector", how="left")
        bimd_rules[str(year)] = {
            r: int(round(pieces.loc[pieces["bimd_regel"] == r, "bevolking"].sum()))
            for r in ("exact", "prefix", "onbekend")
        }
        out[year] = pieces
    # 2015: no sector table; the 2019 distribution within each municipality, scaled to the 2015 totals.
    base = out[SECTOR_YEARS[0]].copy()
    factor = muni[2015]["inwoners"] / muni[SECTOR_YEARS[0]]["inwoners"]
    base["bevolking"] = base["bevolking"] * base["nis"].map(factor)
    out[2015] = base
    checks["sectorregels"] = {"uitleg": RULE_TEXT, "inwoners_per_regel": rules}
    checks["bimd_koppeling_inwoners"] = bimd_rules
    for year, pieces in out.items():
        m = muni[year]
        for col in AGE_BANDS:
            share = (m[col] / m["inwoners"].replace(0, np.nan)).fillna(0)
            pieces[col] = pieces["bevolking"] * pieces["nis"].map(share)
        pieces["inwoners"] = pieces["bevolking"]
    return dict(sorted(out.items()))


def index_curve(pieces: pd.DataFrame, index_pct: pd.Series) -> IndexCurve:
    """The K&G index as a logistic curve of the young-weighted BIMD score, across the Flemish municipalities
    (2025) of this year's pieces; Tabel 8 plays no part (see docs/KANSARMOEDE_WIJK.md)."""
    score = young_weighted_score(
        pieces["gemeente"].to_numpy(), pieces["pop_0_24"].to_numpy(), pieces["bimd_score"].to_numpy()
    )
    young = pieces.groupby("gemeente")["pop_0_24"].sum().reindex(score.index)
    return fit_index_curve(score.to_numpy(), index_pct.reindex(score.index).to_numpy(), young.to_numpy())


def _deprivation_pieces(
    pieces: pd.DataFrame, index_pct: pd.Series, deprived_2025: pd.Series, curve: IndexCurve
) -> pd.DataFrame:
    """Per piece: the three indicators as counts (young deprived, young with a known value)."""
    p = pieces
    young = p["pop_0_24"].to_numpy(dtype=float)
    idx = p["gemeente"].map(index_pct).to_numpy(dtype=float)
    known = np.isfinite(idx)
    p["kg_gemeente_n"] = np.where(known, young * np.nan_to_num(idx) / 100, 0.0)
    p["kg_gemeente_basis"] = np.where(known, young, 0.0)
    p["kg_schatting_n"] = small_area_estimate(
        p["gemeente"].to_numpy(), young, p["bimd_score"].to_numpy(dtype=float), deprived_2025, curve
    )
    p["kg_schatting_basis"] = p["kg_gemeente_basis"]
    d12 = p["bimd_d12"].to_numpy(dtype=float)
    p["bimd_n"] = np.where(np.isfinite(d12), young * np.nan_to_num(d12), 0.0)
    p["bimd_basis"] = np.where(np.isfinite(d12), young, 0.0)
    score = p["bimd_score"].to_numpy(dtype=float)
    inh = p["inwoners"].to_numpy(dtype=float)
    p["bimd_score_som"] = np.where(np.isfinite(score), inh * np.nan_to_num(score), 0.0)
    p["bimd_score_basis"] = np.where(np.isfinite(score), inh, 0.0)
    return p


def _sum_by(frame: pd.DataFrame, key: str, year: int, columns: list[str]) -> pd.DataFrame:
    out = frame.groupby(key)[columns].sum()
    out.index.name = "code"
    out.insert(0, "jaar", year)
    return out


def year_tables(layers: Layers, index_pct: pd.Series) -> tuple[dict[str, pd.DataFrame], dict]:
    """Counts per unit and year for `gemeente`, `gemeente2024` and `wijk` (long tables), and checks."""
    checks: dict = {"jaren": list(YEARS), "bevolkingsjaar": DEFAULT_YEAR}
    # 2015 codes -> 2019-2024 codes, from the sector prefixes of 2019 (sectors keep their old prefix).
    s19 = read_statbel_sectors(verify(_sector_path(SECTOR_YEARS[0])))
    pre = s19.assign(p=s19["sector"].str[:5]).drop_duplicates(["p", "nis"])
    to_2024 = dict(zip(pre["p"], pre["nis"], strict=True))
    muni: dict[int, pd.DataFrame] = {}
    totals = {}
    for year in YEARS:
        muni[year], totals[str(year)] = municipal_population(year, to_2024 if year < 2019 else None)
        unknown = sorted(set(muni[year].index) - set(layers.gemeente2024["code"]))
        if unknown:
            raise ValueError(f"gemeentecodes {year} zonder gemeente van 2019-2024: {', '.join(unknown)}")
    checks["statbel_totalen"] = totals
    to2025 = pd.Series(
        layers.gemeente2024["gemeente"].to_numpy(), index=layers.gemeente2024["code"].to_numpy()
    )
    merged = to2025.groupby(to2025).transform("size") > 1  # 2024 municipalities merged in 2025
    pieces = _pieces_per_year(layers, muni, checks)

    rows: dict[str, list[pd.DataFrame]] = {"gemeente": [], "gemeente2024": [], "wijk": []}
    sums = [c for c in YEAR_SUMS]
    for year in YEARS:
        m24 = muni[year].copy()
        m24["gemeente"] = m24.index.map(to2025)
        g25 = m24.groupby("gemeente")[COUNT_COLUMNS].sum()
        deprived = g25["pop_0_24"] * index_pct.reindex(g25.index) / 100
        curve = index_curve(pieces[year], index_pct)
        checks.setdefault("kansarmoede_curve", {})[str(year)] = {
            "a": round(curve.a, 6),
            "b": round(curve.b, 6),
            "gemeenten": curve.municipalities,
        }
        p = _deprivation_pieces(pieces[year], index_pct, deprived, curve)
        # wijk: everything from the pieces
        w = _sum_by(p, "ggw7", year, sums)
        w["pop_geschat"] = True
        for k in DEPRIVATION_KEYS:
            w[f"{k}_geschat"] = True
        rows["wijk"].append(w)
        # municipalities 2025: exact counts and K&G; BIMD from the pieces
        g = _sum_by(p, "gemeente", year, sums)
        g[COUNT_COLUMNS] = g25[COUNT_COLUMNS].reindex(g.index).astype(float)
        kg_n = g["pop_0_24"] * index_pct.reindex(g.index).fillna(0) / 100
        kg_b = g["pop_0_24"].where(index_pct.reindex(g.index).notna(), 0.0)
        for k in ("kg_gemeente", "kg_schatting"):
            g[f"{k}_n"], g[f"{k}_basis"], g[f"{k}_geschat"] = kg_n, kg_b, False
        g["bimd_geschat"] = True
        g["pop_geschat"] = False
        rows["gemeente"].append(g)
        # municipalities 2019-2024: exact counts; K&G index of the 2025 municipality; estimate from pieces
        g4 = _sum_by(p, "nis", year, sums)
        g4[COUNT_COLUMNS] = m24[COUNT_COLUMNS].reindex(g4.index).astype(float)
        idx4 = g4.index.map(to2025).map(index_pct)
        g4["kg_gemeente_n"] = g4["pop_0_24"] * np.nan_to_num(np.asarray(idx4, dtype=float)) / 100
        g4["kg_gemeente_basis"] = g4["pop_0_24"].where(np.isfinite(np.asarray(idx4, dtype=float)), 0.0)
        g4["kg_gemeente_geschat"] = g4.index.map(merged).astype(bool)
        g4["kg_schatting_geschat"] = g4["kg_gemeente_geschat"]
        g4["bimd_geschat"] = True
        g4["pop_geschat"] = False
        rows["gemeente2024"].append(g4)
    out = {lvl: pd.concat(frames).reset_index() for lvl, frames in rows.items()}
    # Checks: wijk sums equal municipality totals for every count and year.
    for year in YEARS:
        w = out["wijk"][out["wijk"]["jaar"] == year]
        g = out["gemeente"][out["gemeente"]["jaar"] == year].set_index("code")
        ws = w.assign(g=w["code"].map(dict(zip(layers.wijk["code"], layers.wijk["gemeente"], strict=True))))
        ws = ws.groupby("g")[COUNT_COLUMNS + ["kg_schatting_n"]].sum()
        diff = (ws - g[COUNT_COLUMNS + ["kg_schatting_n"]].reindex(ws.index)).abs().to_numpy().max()
        if diff > 1e-6:
            raise ValueError(f"wijksommen {year} wijken af van de gemeentetotalen (max {diff})")
    checks["wijksom_gelijk_aan_gemeente"] = True
    return out, checks


def stadsmonitor(layers: Layers) -> pd.DataFrame:
    """Kansarmoede-index and population per year per 2025 municipality (Flemish only)."""
    s = read_stadsmonitor(verify("stadsmonitor/gemeenten_kansarmoede_bevolking.csv")).set_index("nis")
    unknown = sorted(set(s.index) - set(layers.gemeente["code"]))
    if unknown:
        raise ValueError(f"kansarmoede-tabel bevat onbekende gemeentecodes: {', '.join(unknown)}")
    s.index.name = "code"
    return s.rename(columns={"kansarmoede_index_pct": "kg_index_pct"}).drop(columns="naam")


def vaccinnet_bands(layers: Layers) -> pd.DataFrame:
    """Vaccinnet population (~2021) per 2025 municipality: total, 0-17 and 18-29."""
    v = read_vaccinnet(verify("vaccinnet/vaccinations_2022-03-10.csv"))
    to2025 = dict(zip(layers.gemeente2024["code"], layers.gemeente2024["gemeente"], strict=True))
    v["gemeente"] = v["NIS_CD"].map(to2025)
    if v["gemeente"].isna().any():
        bad = sorted(v.loc[v["gemeente"].isna(), "NIS_CD"].unique())
        raise ValueError(f"Vaccinnet-gemeenten zonder code van 2025: {', '.join(bad)}")
    bands = {"vacc_0_17": ["0-4", "5-11", "12-17"], "vacc_18_29": ["18-29"]}
    out = pd.DataFrame({"vacc_inwoners": v.groupby("gemeente")["POPULATION_NBR"].sum()})
    for col, ages in bands.items():
        out[col] = v[v["AGE_CD"].isin(ages)].groupby("gemeente")["POPULATION_NBR"].sum()
    out.index.name = "code"
    return out


def _geo_columns(gdf) -> pd.DataFrame:
    """Area (km²), perimeter (m), centroid (Lambert 72 and WGS84) per unit, indexed by code."""
    pts = gdf.geometry.representative_point()
    ll = pts.to_crs(4326)
    return pd.DataFrame(
        {
            "area_km2": (gdf.geometry.area / 1e6).round(4).to_numpy(),
            "perimeter_m": gdf.geometry.length.round(1).to_numpy(),
            "x": pts.x.round(1).to_numpy(),
            "y": pts.y.round(1).to_numpy(),
            "lat": ll.y.round(6).to_numpy(),
            "lon": ll.x.round(6).to_numpy(),
        },
        index=pd.Index(gdf["code"].to_numpy(), name="code"),
    )


def gemeente_table(layers: Layers, sm: pd.DataFrame) -> pd.DataFrame:
    """Attributes per 2025 municipality (304 rows)."""
    g = layers.gemeente
    t = pd.DataFrame(g.drop(columns="geometry")).set_index("code")
    zone_names = dict(zip(layers.elz["code"], layers.elz["naam"], strict=True))
    t["elz_naam"] = t["elz"].map(zone_names)
    # Antwerpen city spans four zones: no single zone label.
    t.loc[ANTWERP_CITY, "elz"] = None
    t.loc[ANTWERP_CITY, "elz_naam"] = ANTWERP_CITY_ZONE_TEXT
    t = t.join(vaccinnet_bands(layers)).join(sm)
    t["kg_index_ontbreekt"] = t["kg_index_pct"].isna()
    return t.join(_geo_columns(g)).reset_index()


def gemeente2024_table(layers: Layers, sm: pd.DataFrame) -> pd.DataFrame:
    """Attributes per 2019-2024 municipality (319 rows): 2025 municipality, zone of 2022, BIMD 2011."""
    g = layers.gemeente2024
    t = pd.DataFrame(g.drop(columns="geometry")).set_index("code")
    parents = layers.gemeente.set_index("code")[["provincie", "gewest", "arrondiss"]]
    t = t.join(parents, on="gemeente").join(_zone_2022(layers))
    t["kg_index_pct"] = t["gemeente"].map(sm["kg_index_pct"])
    bm = read_bimd_municipalities(
        verify("bimd/DOMAINS_BIMD_2011_MUNICIPALITIES_ELLIS_WIDE_AVERAGE_SCORE.csv")
    )
    bm = bm.set_index("nis")
    t["bimd_gemeente_score_2011"] = bm["score"].reindex(t.index)
    t["bimd_gemeente_deciel_2011"] = bm["deciel"].reindex(t.index).astype("Int64")
    return t.join(_geo_columns(g)).reset_index()


def wijk_table(layers: Layers, gem: pd.DataFrame, years: pd.DataFrame) -> pd.DataFrame:
    """Attributes per wijk; Vaccinnet and Stadsmonitor figures spread by the wijk's share of its
    municipality's inhabitants in 2021 (estimates)."""
    w = pd.DataFrame(layers.wijk.drop(columns="geometry"))
    sc = layers.sector_counts.set_index("ggw7")["n_sectoren"]
    w["n_sectoren"] = w["code"].map(sc).fillna(0).astype(int)
    inh = years[years["jaar"] == 2021].set_index("code")["inwoners"].reindex(w["code"]).fillna(0).to_numpy()
    per_gem = pd.Series(inh).groupby(w["gemeente"].to_numpy()).transform("sum").to_numpy()
    share = np.where(per_gem > 0, inh / np.where(per_gem > 0, per_gem, 1), 0.0)
    g = gem.set_index("code")
    for c in [c for c in BASE_SUMS if c in g.columns]:
        w[c] = g[c].reindex(w["gemeente"]).to_numpy() * share
    w["kg_index_pct"] = g["kg_index_pct"].reindex(w["gemeente"]).to_numpy()
    w["aandeel_gemeente_2021"] = share
    return w.set_index("code").join(_geo_columns(layers.wijk)).reset_index()


def aggregate(units: pd.DataFrame, key: str, layer) -> pd.DataFrame:
    """Attributes of ``layer`` with the sums of the base count columns of ``units`` per ``key``."""
    counts = [c for c in BASE_SUMS if c in units.columns]
    sums = units.groupby(key)[counts].sum(min_count=1)
    base = pd.DataFrame(layer.drop(columns="geometry")).set_index("code")
    t = base.join(sums)
    t["n_eenheden"] = units.groupby(key).size().reindex(t.index).fillna(0).astype(int)
    t = t.join(_geo_columns(layer))
    t.index.name = "code"
    return t.reset_index()


def aggregate_years(years: pd.DataFrame, parent: dict[str, str]) -> pd.DataFrame:
    """Sum the per-year counts of units into their parents (flags: any part an estimate)."""
    y = years.assign(parent=years["code"].map(parent))
    y = y[y["parent"].notna()]
    sums = y.groupby(["parent", "jaar"])[YEAR_SUMS].sum()
    flags = y.groupby(["parent", "jaar"])[YEAR_FLAGS].any()
    out = sums.join(flags).reset_index().rename(columns={"parent": "code"})
    return out


def build_tables(layers: Layers) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame], dict]:
    """Attribute tables and per-year count tables, keyed by level, and the build checks."""
    sm = stadsmonitor(layers)
    index_pct = sm["kg_index_pct"]
    years, checks = year_tables(layers, index_pct)
    gem = gemeente_table(layers, sm)
    tables = {"gemeente": gem, "gemeente2024": gemeente2024_table(layers, sm)}
    tables["wijk"] = wijk_table(layers, gem, years["wijk"])
    tables["elz57"] = aggregate(gem, "elz57", layers.elz57)
    tables["provincie"] = aggregate(gem, "provincie", layers.provincie)
    wijk = tables["wijk"]
    not_antw = gem[gem["elz57"] != ANTWERP_ELZ].assign(elz_key=lambda d: d["elz"])
    antw_w = wijk[wijk["elz57"] == ANTWERP_ELZ]
    zone_rows = aggregate(not_antw, "elz_key", layers.elz[~layers.elz["code"].str.contains(".", regex=False)])
    antw = aggregate(antw_w, "elz", layers.elz[layers.elz["code"].str.contains(".", regex=False)])
    tables["elz"] = pd.concat([zone_rows, antw]).sort_values("code").reset_index(drop=True)
    tables["district"] = aggregate(wijk[wijk["district"].notna()], "district", layers.district)

    gem_parent = dict(zip(gem["code"], gem["elz57"], strict=True))
    prov_parent = dict(zip(gem["code"], gem["provincie"], strict=True))
    elz_parent = {c: z for c, z in zip(not_antw["code"], not_antw["elz"], strict=True)}
    elz_wijk = dict(zip(antw_w["code"], antw_w["elz"], strict=True))
    district_parent = {
        c: d for c, d in zip(wijk["code"], wijk["district"], strict=True) if isinstance(d, str)
    }
    years["elz57"] = aggregate_years(years["gemeente"], gem_parent)
    years["provincie"] = aggregate_years(years["gemeente"], prov_parent)
    years["elz"] = (
        pd.concat([aggregate_years(years["gemeente"], elz_parent), aggregate_years(years["wijk"], elz_wijk)])
        .sort_values(["code", "jaar"])
        .reset_index(drop=True)
    )
    years["district"] = aggregate_years(years["wijk"], district_parent)
    for level in years:
        years[level] = years[level].sort_values(["code", "jaar"]).reset_index(drop=True)
        # Units without any sector in a year (no inhabitants then): zero counts, still estimates.
        full = pd.MultiIndex.from_product(
            [sorted(tables[level]["code"]), list(YEARS)], names=["code", "jaar"]
        )
        y = years[level].set_index(["code", "jaar"])
        absent = full.difference(y.index)
        missing = sorted({c for c, _ in absent})
        y = y.reindex(full)
        y[YEAR_SUMS] = y[YEAR_SUMS].fillna(0.0)
        for flag in YEAR_FLAGS:
            y[flag] = y[flag].fillna(True).astype(bool)
        years[level] = y.reset_index()
        checks.setdefault("eenheden_zonder_inwoners", {})[level] = missing
    fl = years["gemeente"].merge(gem[["code", "gewest"]], on="code")
    checks["vlaams_gewest_per_jaar"] = {
        str(y): int(fl.loc[(fl["jaar"] == y) & (fl["gewest"] == FLANDERS_REGION), "inwoners"].sum())
        for y in YEARS
    }
    return tables, years, checks


def postcode_antwerpen_table(facts: pd.DataFrame) -> pd.DataFrame:
    """The 17 Groot Antwerpen postcodes (Tabel 8, 2019) in the common count columns."""
    t = pd.DataFrame(
        {
            "code": facts["postcode"].astype(str),
            "naam": facts["postcode"].astype(str),
            "wcp": facts["wijkcontactpunt"],
            "inwoners": facts["bevolking_2019"].astype(int),
            "pop_0_24": facts["jongeren_0_24_2019"].astype(int),
            "inwoners_vt": facts["inwoners_vt_2017"].astype(int),
            "kansarmoede_pct": facts["kansarmoede_index_kg_2019"].astype(float),
        }
    )
    t["kansarmoede_n"] = (t["pop_0_24"] * t["kansarmoede_pct"] / 100).round(3)
    t["kansarmoede_basis"] = t["pop_0_24"]
    t["kansarmoede_missing"] = False
    t["kansarmoede_geschat"] = False
    t["pop_geschat"] = False
    t["jaar"] = 2019
    t["indicator"] = "tabel8"
    return t
