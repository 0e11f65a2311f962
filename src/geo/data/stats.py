"""Build the statistics tables: counts per 2025 municipality, estimates per wijk, sums per higher level."""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.data.catalog import load_manifest, verify
from geo.data.layers import BRUSSELS_REGION, FLANDERS_REGION, Layers
from geo.data.readers import read_stadsmonitor, read_statbel_population, read_vaccinnet

# Count columns that add up over units (used for every aggregation).
SUM_COLUMNS = [
    "inwoners",
    "pop_0_24",
    "pop_0_17",
    "pop_18_24",
    "kansarmoede_n",
    "kansarmoede_basis",
    "vacc_inwoners",
    "vacc_0_17",
    "vacc_18_29",
] + [f"inwoners_{y}" for y in range(2015, 2026)]

AGE_BANDS = {"pop_0_24": (0, 24), "pop_0_17": (0, 17), "pop_18_24": (18, 24)}


def statbel_files() -> list[str]:
    """Manifest paths of every Statbel TF_SOC_POP_STRUCT table (one per year)."""
    return sorted(f.path for f in load_manifest().files if "TF_SOC_POP_STRUCT" in f.path)


def population_by_age(old_to_new: dict[str, str]) -> tuple[pd.DataFrame, int, dict]:
    """Population per 2025 municipality (latest Statbel year): total and age bands.

    Municipality codes of the time are mapped to 2025 codes through the sector prefixes; every
    inhabitant of Flanders and Brussels must land in a 2025 municipality (checked).
    Returns (table, year, check figures).
    """
    frames = [read_statbel_population(verify(p)) for p in statbel_files()]
    pop = max(frames, key=lambda f: int(f["jaar"].iloc[0]))
    year = int(pop["jaar"].iloc[0])
    belgium = int(pop["bevolking"].sum())
    fb = pop[pop["gewest"].isin([FLANDERS_REGION, BRUSSELS_REGION])].copy()
    fb["gemeente"] = fb["nis"].map(old_to_new)
    unmapped = sorted(fb.loc[fb["gemeente"].isna(), "nis"].unique())
    if unmapped:
        raise ValueError(f"gemeentecodes zonder gemeente van 2025: {', '.join(unmapped)}")
    out = pd.DataFrame(index=pd.Index(sorted(fb["gemeente"].unique()), name="code"))
    out["inwoners"] = fb.groupby("gemeente")["bevolking"].sum()
    for col, (lo, hi) in AGE_BANDS.items():
        band = fb[(fb["leeftijd"] >= lo) & (fb["leeftijd"] <= hi)]
        out[col] = band.groupby("gemeente")["bevolking"].sum().reindex(out.index, fill_value=0)
    checks = {
        "statbel_jaar": year,
        "statbel_belgie": belgium,
        "statbel_vlaanderen_brussel": int(fb["bevolking"].sum()),
        "statbel_0_24_vlaanderen_brussel": int(fb.loc[fb["leeftijd"] <= 24, "bevolking"].sum()),
    }
    if int(out["inwoners"].sum()) != checks["statbel_vlaanderen_brussel"]:
        raise ValueError("inwoners verloren bij het omzetten naar gemeenten van 2025")
    return out.astype("int64"), year, checks


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


def stadsmonitor(layers: Layers) -> pd.DataFrame:
    """Kansarmoede-index and population per year per 2025 municipality (Flemish only)."""
    s = read_stadsmonitor(verify("stadsmonitor/gemeenten_kansarmoede_bevolking.csv")).set_index("nis")
    unknown = sorted(set(s.index) - set(layers.gemeente["code"]))
    if unknown:
        raise ValueError(f"kansarmoede-tabel bevat onbekende gemeentecodes: {', '.join(unknown)}")
    s.index.name = "code"
    return s.rename(columns={"kansarmoede_index_pct": "kansarmoede_pct"}).drop(columns="naam")


def gemeente_table(layers: Layers) -> tuple[pd.DataFrame, dict]:
    """The analysis table per 2025 municipality (304 rows)."""
    g = layers.gemeente
    base = pd.DataFrame(g.drop(columns="geometry")).set_index("code")
    pop, year, checks = population_by_age(layers.old_nis_to_gemeente)
    t = base.join(pop).join(vaccinnet_bands(layers)).join(stadsmonitor(layers))
    # Population 2015 is known exactly from Statbel for every municipality (also merged ones).
    if year == 2015:
        t["inwoners_2015"] = t["inwoners"].astype(float)
    t["kansarmoede_missing"] = t["kansarmoede_pct"].isna()
    t["kansarmoede_n"] = (t["pop_0_24"] * t["kansarmoede_pct"].fillna(0) / 100).round(3)
    t["kansarmoede_basis"] = np.where(t["kansarmoede_missing"], 0, t["pop_0_24"])
    t["pop_geschat"] = False
    t = t.join(_geo_columns(g))
    checks["bevolkingsjaar"] = year
    return t.reset_index(), checks


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


def _rate(t: pd.DataFrame) -> pd.Series:
    """Kansarmoede-index of an aggregate, from counts over the units with a known index."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return (100 * t["kansarmoede_n"] / t["kansarmoede_basis"].replace(0, np.nan)).round(2)


def wijk_table(layers: Layers, gem: pd.DataFrame) -> pd.DataFrame:
    """Wijk estimates: municipal counts spread over its wijken by number of statistical sectors."""
    w = pd.DataFrame(layers.wijk.drop(columns="geometry"))
    sc = layers.sector_counts.set_index("ggw7")["n_sectoren"]
    w["n_sectoren"] = w["code"].map(sc).fillna(0).astype(int)
    per_gem = w.groupby("gemeente")["n_sectoren"].transform("sum")
    share = np.where(per_gem > 0, w["n_sectoren"] / per_gem.replace(0, 1), 0.0)
    g = gem.set_index("code")
    counts = [c for c in SUM_COLUMNS if c in g.columns]
    for c in counts:
        w[c] = g[c].reindex(w["gemeente"]).to_numpy() * share
    w["kansarmoede_pct"] = g["kansarmoede_pct"].reindex(w["gemeente"]).to_numpy()
    w["kansarmoede_missing"] = g["kansarmoede_missing"].reindex(w["gemeente"]).to_numpy()
    w["aandeel_gemeente"] = share
    w["pop_geschat"] = True
    return w.set_index("code").join(_geo_columns(layers.wijk)).reset_index()


def aggregate(units: pd.DataFrame, key: str, layer, extra: pd.DataFrame | None = None) -> pd.DataFrame:
    """Sum the count columns of ``units`` per ``key`` and attach the layer's attributes and geometry facts."""
    counts = [c for c in SUM_COLUMNS if c in units.columns]
    sums = units.groupby(key)[counts].sum(min_count=1)
    base = pd.DataFrame(layer.drop(columns="geometry")).set_index("code")
    t = base.join(sums)
    t["kansarmoede_pct"] = _rate(t)
    t["kansarmoede_missing"] = t["kansarmoede_basis"].fillna(0) <= 0
    t["n_eenheden"] = units.groupby(key).size().reindex(t.index).fillna(0).astype(int)
    if extra is not None:
        t = t.join(extra)
    t = t.join(_geo_columns(layer))
    t.index.name = "code"
    return t.reset_index()


def build_tables(layers: Layers) -> tuple[dict[str, pd.DataFrame], dict]:
    """Every stats table, keyed by level."""
    gem, checks = gemeente_table(layers)
    wijk = wijk_table(layers, gem)
    tables = {"gemeente": gem, "wijk": wijk}
    tables["elz57"] = aggregate(gem, "elz57", layers.elz57)
    tables["provincie"] = aggregate(gem, "provincie", layers.provincie)
    # 60 zones: exact municipal sums, except the Antwerp sub-zones (sums of wijk estimates).
    zone_rows = aggregate(
        gem[gem["elz57"] != "elz2"], "elz", layers.elz[~layers.elz["code"].str.contains(".", regex=False)]
    )
    antw = aggregate(
        wijk[wijk["elz57"] == "elz2"], "elz", layers.elz[layers.elz["code"].str.contains(".", regex=False)]
    )
    zone_rows["pop_geschat"] = False
    antw["pop_geschat"] = True
    tables["elz"] = pd.concat([zone_rows, antw]).sort_values("code").reset_index(drop=True)
    district = aggregate(wijk[wijk["district"].notna()], "district", layers.district)
    district["pop_geschat"] = True
    tables["district"] = district
    g24 = (
        pd.DataFrame(layers.gemeente2024.drop(columns="geometry"))
        .set_index("code")
        .join(_geo_columns(layers.gemeente2024))
    )
    tables["gemeente2024"] = g24.reset_index()
    for key in ("elz57", "provincie"):
        tables[key]["pop_geschat"] = False
    checks["vlaanderen_brussel_0_24"] = int(gem["pop_0_24"].sum())
    return tables, checks


def postcode_antwerpen_table(facts: pd.DataFrame) -> pd.DataFrame:
    """The 17 Groot Antwerpen postcodes (Tabel 8) in the common count columns."""
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
    t["pop_geschat"] = False
    return t
