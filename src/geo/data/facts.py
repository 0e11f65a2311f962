"""Loaders for the 1G1P facts tables in `data/1g1p/` (codes are read as strings).

- `wcp_postcodes()`: Groot Antwerpen, 17 postcodes with their wijkcontactpunt (WCP), 2019 figures
  (seed 000, Tabel 8).
- `swv_budgets_2021()`: published budget per samenwerkingsverband on 1 Jan 2021 (seed 003 l.89-119).
- `swv_composition_2021()`: which eerstelijnszone (57-zone code `elz57`) belongs to which SWV in 2021;
  partly a reconstruction (`evidence == "inferred"`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from geo.errors import DataMissingError
from geo.paths import data_dir

#: Published total of the 2021 table (the amounts add up to EUR 23,999,998, not 24 M).
BUDGET_TOTAL_2021 = 23_999_998
#: The Brussels SWV and its flat amount (4 % of 24 M, not formula based).
BRUSSELS_SWV = "Sonja Erteejee"
BRUSSELS_ELZ = "elz7"
BRUSSELS_FIXED_EUR = 960_000

WCP_FILE = "antwerpen_wcp_postcodes_2019.csv"
BUDGET_FILE = "budget_samenwerkingsverbanden_2021.csv"
COMPOSITION_FILE = "samenwerkingsverbanden_2021_elz.csv"

#: Short WCP labels for charts (the full names are long).
WCP_SHORT = {
    "Antwerpen-Centrum/Linkeroever": "Centrum/Linkeroever",
    "Antwerpen 2060": "Antwerpen 2060",
    "Berchem/Borgerhout": "Berchem/Borgerhout",
    "Deurne/Wommelgem": "Deurne/Wommelgem",
    "Zuidrand (Hoboken/Kiel/Wilrijk)": "Zuidrand",
    "Noordrand (Berendrecht-Zandvliet-Lillo/Ekeren/Luchtbal/Stabroek)": "Noordrand",
    "Merksem/Schoten": "Merksem/Schoten",
}


def facts_dir() -> Path:
    """Folder with the 1G1P facts tables (`<data_dir>/1g1p`)."""
    return data_dir() / "1g1p"


def _read(folder: str, name: str, str_cols: list[str]) -> pd.DataFrame:
    path = Path(folder) / name
    if not path.exists():
        raise DataMissingError(f"Het bestand {name} ontbreekt in {folder}.")
    return pd.read_csv(path, dtype={c: str for c in str_cols}, keep_default_na=False)


@lru_cache(maxsize=4)
def _wcp_postcodes(folder: str) -> pd.DataFrame:
    df = _read(folder, WCP_FILE, ["wijkcontactpunt", "postcode"])
    out = pd.DataFrame(
        {
            "postcode": df["postcode"].str.strip(),
            "wcp": df["wijkcontactpunt"].str.strip(),
            "bevolking_2019": df["bevolking_2019"].astype("int64"),
            "inwoners_vt_2017": df["inwoners_vt_2017"].astype("int64"),
            "pct_vt": df["pct_vt"].astype(float),
            "pop_0_24": df["jongeren_0_24_2019"].astype("int64"),
            "kansarmoede_pct": df["kansarmoede_index_kg_2019"].astype(float),
        }
    )
    out["wcp_kort"] = out["wcp"].map(WCP_SHORT).fillna(out["wcp"])
    # Deprived under-25s proxy: a count, so that WCP-level rates come from sums, not averages.
    out["kansarmoede_n"] = out["pop_0_24"] * out["kansarmoede_pct"] / 100.0
    if out["postcode"].duplicated().any():
        raise DataMissingError(f"{WCP_FILE}: dubbele postcodes.")
    return out


def wcp_postcodes() -> pd.DataFrame:
    """Groot Antwerpen per postcode: `postcode` (str), `wcp`, `wcp_kort`, `bevolking_2019`,
    `inwoners_vt_2017`, `pct_vt`, `pop_0_24` (0-24 in 2019), `kansarmoede_pct` (K&G index 2019, %),
    `kansarmoede_n` (= pop_0_24 x index / 100).

    Known source issues: 2170 and 2180 both show 10,572 VT residents; some 0-24 counts are approximate.
    """
    return _wcp_postcodes(str(facts_dir())).copy()


def wcp_totals() -> pd.DataFrame:
    """The 7 WCPs with summed counts and the index recomputed from counts (`kansarmoede_pct`)."""
    pc = _wcp_postcodes(str(facts_dir()))
    g = pc.groupby("wcp", sort=False)
    out = g[["bevolking_2019", "inwoners_vt_2017", "pop_0_24", "kansarmoede_n"]].sum()
    out["wcp_kort"] = g["wcp_kort"].first()
    out["postcodes"] = g["postcode"].agg(", ".join)
    out["kansarmoede_pct"] = 100.0 * out["kansarmoede_n"] / out["pop_0_24"]
    return out.reset_index()


@lru_cache(maxsize=4)
def _swv_budgets(folder: str) -> pd.DataFrame:
    df = _read(folder, BUDGET_FILE, ["provincie", "samenwerkingsverband"])
    out = pd.DataFrame(
        {
            "swv": df["samenwerkingsverband"].str.strip(),
            "provincie": df["provincie"].str.strip(),
            "budget_eur": df["budget_eur"].astype("int64"),
        }
    )
    if int(out["budget_eur"].sum()) != BUDGET_TOTAL_2021:
        raise DataMissingError(f"{BUDGET_FILE}: het totaal is niet {BUDGET_TOTAL_2021}.")
    return out


def swv_budgets_2021() -> pd.DataFrame:
    """Published 2021 budget per SWV: `swv`, `provincie`, `budget_eur` (int); 16 rows."""
    return _swv_budgets(str(facts_dir())).copy()


@lru_cache(maxsize=4)
def _swv_composition(folder: str) -> pd.DataFrame:
    df = _read(folder, COMPOSITION_FILE, ["swv", "provincie", "elz_code", "elz_name", "evidence", "note"])
    out = df.rename(columns={"elz_code": "elz57", "elz_name": "elz_naam"})
    for col in out.columns:
        out[col] = out[col].str.strip()
    dup = out["elz57"][out["elz57"].duplicated()]
    if len(dup):
        raise DataMissingError(f"{COMPOSITION_FILE}: eerstelijnszone(s) dubbel toegewezen: {', '.join(dup)}.")
    unknown = set(out["swv"]) - set(_swv_budgets(folder)["swv"])
    if unknown:
        raise DataMissingError(f"{COMPOSITION_FILE}: onbekende samenwerkingsverbanden: {sorted(unknown)}.")
    out["inferred"] = out["evidence"].eq("inferred")
    return out[["elz57", "elz_naam", "swv", "provincie", "evidence", "inferred", "note"]]


def swv_composition_2021() -> pd.DataFrame:
    """2021 SWV composition, one row per eerstelijnszone: `elz57` (e.g. `elz2`), `elz_naam`, `swv`,
    `provincie`, `evidence` (`sourced`/`inferred`), `inferred` (bool), `note`; 57 rows."""
    return _swv_composition(str(facts_dir())).copy()


def swv_of_elz57() -> dict[str, str]:
    """Mapping `elz57` code -> SWV name (2021)."""
    comp = _swv_composition(str(facts_dir()))
    return dict(zip(comp["elz57"], comp["swv"], strict=True))
