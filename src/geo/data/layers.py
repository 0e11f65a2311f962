"""Build the geographic layers: units per level with codes, Dutch names, parents and geometry.

Analysis geometry stays in EPSG:31370. Eerstelijnszones come in two versions: the 57 published zones
(``elz57``) and 60 zones (``elz``) in which "Antwerpen en rand" (elz2) is split into Antwerpen Centrum,
Oost, Zuid and Noord through the sector table ``statsec_elzantw``.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.data.catalog import verify
from geo.data.readers import GN, read_shapes, read_table_xlsx

BRUSSELS_REGION = "4000"
FLANDERS_REGION = "2000"
GEWEST_NAMES = {FLANDERS_REGION: "Vlaams Gewest", BRUSSELS_REGION: "Brussels Hoofdstedelijk Gewest"}
ANTWERP_ELZ = "elz2"
ANTWERP_CITY = "11002"
# elzantw codes 1-4 -> 60-zone codes and names.
ANTWERP_SUBZONES = {
    "1": ("elz2.1", "Antwerpen Centrum"),
    "2": ("elz2.2", "Antwerpen Oost"),
    "3": ("elz2.3", "Antwerpen Zuid"),
    "4": ("elz2.4", "Antwerpen Noord"),
}
PORT_RULE = (
    "Een wijk van 'Antwerpen en rand' waarvan de meeste sectoren in geen deelzone liggen (de haven: "
    "sectoren 11002M0QA en 11002M0RA, en de onbekende sectoren ZZZZ) gaat naar de deelzone waarmee ze "
    "de langste grens deelt; elke andere wijk naar de deelzone van de meerderheid van haar sectoren."
)


def _xlsx(name: str, columns: list[str]) -> pd.DataFrame:
    return read_table_xlsx(verify(f"{GN}/{name}"), columns)


def _shapes(name: str, code: str) -> gpd.GeoDataFrame:
    for ext in ("shp", "shx", "dbf", "prj"):
        verify(f"{GN}/shapefiles/{name}.{ext}")
    return read_shapes(verify(f"{GN}/shapefiles/{name}.shp"), code)


def _names(definition: str) -> dict[str, str]:
    df = _xlsx(f"gebiedsdefinities/{definition}.xlsx", ["geoitem code", "short name"])
    return dict(zip(df["geoitem code"], df["short name"], strict=True))


@dataclass
class Layers:
    """All built layers as GeoDataFrames indexed 0..n with a ``code`` column."""

    gemeente: gpd.GeoDataFrame
    gemeente2024: gpd.GeoDataFrame
    elz57: gpd.GeoDataFrame
    elz: gpd.GeoDataFrame
    wijk: gpd.GeoDataFrame
    district: gpd.GeoDataFrame
    provincie: gpd.GeoDataFrame
    sector_counts: pd.DataFrame  # wijk -> number of known statistical sectors (for estimates)
    old_nis_to_gemeente: dict[str, str]  # municipality code of any vintage (sector prefix) -> 2025 code

    def as_dict(self) -> dict[str, gpd.GeoDataFrame]:
        return {
            "gemeente": self.gemeente,
            "gemeente2024": self.gemeente2024,
            "elz57": self.elz57,
            "elz": self.elz,
            "wijk": self.wijk,
            "district": self.district,
            "provincie": self.provincie,
        }


def _longest_border_owner(piece: shapely.Geometry, candidates: gpd.GeoDataFrame) -> str:
    lengths = shapely.length(shapely.intersection(piece.boundary, candidates.geometry.boundary.values))
    return str(candidates["code"].iloc[int(np.argmax(lengths))])


def build_layers() -> Layers:
    """Read the raw gebiedsniveaus files and build every layer."""
    prov_names = _names("provincie")
    elz_names = _names("elz")

    # Municipalities 2025 with parents.
    gem = _shapes("gemeente", "geoitem").rename(columns={"geoitem": "code"})[["code", "naam", "geometry"]]
    gp = _xlsx("aggregatietabellen/gemeente_provincie.xlsx", ["gemeente", "provincie"])
    ga = _xlsx("aggregatietabellen/gemeente_arrondiss.xlsx", ["gemeente", "arrondiss"])
    ge = _xlsx("aggregatietabellen/gemeente_elz.xlsx", ["gemeente", "elz"])
    gem = (
        gem.merge(gp, left_on="code", right_on="gemeente", how="left")
        .drop(columns="gemeente")
        .merge(ga, left_on="code", right_on="gemeente", how="left")
        .drop(columns="gemeente")
        .merge(ge.rename(columns={"elz": "elz57"}), left_on="code", right_on="gemeente", how="left")
        .drop(columns="gemeente")
    )
    gem["gewest"] = np.where(gem["provincie"] == BRUSSELS_REGION, BRUSSELS_REGION, FLANDERS_REGION)
    gem["provincie_naam"] = gem["provincie"].map(prov_names)
    gem["elz57_naam"] = gem["elz57"].map(elz_names)

    # Sector tables: sector -> municipality 2025, wijk, Antwerp sub-zone.
    sg = _xlsx("aggregatietabellen/statsec_gemeente.xlsx", ["statsec", "gemeente"])
    sw = _xlsx("aggregatietabellen/statsec_ggw7.xlsx", ["statsec", "ggw7"])
    sa = _xlsx("aggregatietabellen/statsec_elzantw.xlsx", ["statsec", "ELZantw"])
    sd = _xlsx("aggregatietabellen/statsec_deelgemeente.xlsx", ["statsec", "deelgemeente"])
    prefix = sg.assign(pre=sg["statsec"].str[:5]).drop_duplicates(["pre", "gemeente"])
    if prefix["pre"].duplicated().any():
        raise ValueError("een oude gemeentecode valt in meer dan één gemeente van 2025")
    old_to_new = dict(zip(prefix["pre"], prefix["gemeente"], strict=True))

    # Wijken with municipality, district and 60-zone.
    wijk = _shapes("ggw7", "geoitem").rename(columns={"geoitem": "code"})[["code", "naam", "geometry"]]
    wg = _xlsx("aggregatietabellen/ggw7_gemeente.xlsx", ["ggw7", "gemeente"])
    wijk = wijk.merge(wg, left_on="code", right_on="ggw7", how="left").drop(columns="ggw7")
    parents = gem.set_index("code")[["provincie", "gewest", "elz57"]]
    wijk = wijk.join(parents, on="gemeente")
    known = sw[~sw["statsec"].str.endswith("ZZZZ")]
    sector_counts = known.groupby("ggw7").size().rename("n_sectoren").reset_index()

    # District (deelgemeente of Antwerp city) per wijk: majority of its sectors.
    wd = sw.merge(sd, on="statsec").groupby(["ggw7", "deelgemeente"]).size().rename("n").reset_index()
    wd = wd.sort_values(["ggw7", "n"], ascending=[True, False]).drop_duplicates("ggw7")
    wd = wd[wd["deelgemeente"].str.startswith((ANTWERP_CITY, "11007"))]
    wijk = wijk.merge(
        wd[["ggw7", "deelgemeente"]].rename(columns={"deelgemeente": "district"}),
        left_on="code",
        right_on="ggw7",
        how="left",
    ).drop(columns="ggw7")

    # Antwerp sub-zone per wijk: majority of its assigned sectors; port wijken by longest border.
    ws = sw.merge(sa, on="statsec", how="left")
    ws = ws[ws["ggw7"].isin(wijk.loc[wijk["elz57"] == ANTWERP_ELZ, "code"])]
    zone_of: dict[str, str] = {}
    undecided: list[str] = []
    for code, grp in ws.groupby("ggw7"):
        counts = grp["ELZantw"].value_counts()
        if counts.sum() * 2 > len(grp):
            zone_of[code] = ANTWERP_SUBZONES[counts.index[0]][0]
        else:
            undecided.append(code)
    wijk["elz"] = wijk["elz57"]
    wijk.loc[wijk["code"].isin(zone_of), "elz"] = wijk["code"].map(zone_of)
    for code in undecided:
        piece = wijk.loc[wijk["code"] == code, "geometry"].iloc[0]
        decided = wijk.loc[wijk["code"].isin(zone_of), ["elz", "geometry"]]
        zones = decided.dissolve(by="elz").reset_index().rename(columns={"elz": "code"})
        zone_of[code] = _longest_border_owner(piece, zones)
        wijk.loc[wijk["code"] == code, "elz"] = zone_of[code]

    # 60 zones: dissolved from wijken (so that borders are shared exactly with the wijk layer).
    elz = wijk.dissolve(by="elz", as_index=False)[["elz", "geometry"]].rename(columns={"elz": "code"})
    sub_names = {c: n for c, n in ANTWERP_SUBZONES.values()}
    elz["naam"] = elz["code"].map(lambda c: sub_names.get(c, elz_names.get(c)))
    elz["elz57"] = elz["code"].str.split(".").str[0]
    zone_parent = gem.drop_duplicates("elz57").set_index("elz57")[["provincie", "gewest"]]
    elz = elz.join(zone_parent, on="elz57")

    # Municipality -> 60-zone: the zone of most of its wijken' area (Antwerpen city spans four zones).
    wijk["_area"] = wijk.geometry.area
    major = wijk.groupby(["gemeente", "elz"])["_area"].sum().reset_index()
    major = major.sort_values(["gemeente", "_area"], ascending=[True, False]).drop_duplicates("gemeente")
    gem = gem.merge(major[["gemeente", "elz"]], left_on="code", right_on="gemeente", how="left").drop(
        columns="gemeente"
    )
    wijk = wijk.drop(columns="_area")

    elz57 = _shapes("elz", "elz").rename(columns={"elz": "code"})[["code", "geometry"]]
    elz57 = elz57[elz57["code"].isin(gem["elz57"])]
    elz57["naam"] = elz57["code"].map(elz_names)
    elz57 = elz57.join(zone_parent, on="code")

    gem24 = _shapes("gemeente2024", "gemeente").rename(columns={"gemeente": "code"})[
        ["code", "naam", "geometry"]
    ]
    g2 = _xlsx("aggregatietabellen/gemeente2024_gemeente.xlsx", ["gemeente2024", "gemeente"])
    gem24 = gem24.merge(g2, left_on="code", right_on="gemeente2024", how="left").drop(columns="gemeente2024")

    dg = _shapes("deelgemeente", "geoitem").rename(columns={"geoitem": "code"})
    dgg = _xlsx("aggregatietabellen/deelgemeente_gemeente.xlsx", ["deelgemeente", "gemeente"])
    dg = dg.merge(dgg, left_on="code", right_on="deelgemeente", how="left")
    district = dg[dg["gemeente"] == ANTWERP_CITY][["code", "naam", "gemeente", "geometry"]].copy()
    district["naam"] = district["naam"].str.replace(r" \((Antwerpen|Dg\.)\)$", "", regex=True)

    prov = _shapes("provincie", "provincie").rename(columns={"provincie": "code"})[["code", "geometry"]]
    prov["naam"] = prov["code"].map(prov_names).str.replace(" (Prov.)", "", regex=False)
    prov["gewest"] = np.where(prov["code"] == BRUSSELS_REGION, BRUSSELS_REGION, FLANDERS_REGION)

    def tidy(gdf: gpd.GeoDataFrame, cols: list[str]) -> gpd.GeoDataFrame:
        out = gpd.GeoDataFrame(gdf[cols + ["geometry"]].copy(), geometry="geometry", crs=31370)
        return out.sort_values("code").reset_index(drop=True)

    return Layers(
        gemeente=tidy(
            gem, ["code", "naam", "provincie", "provincie_naam", "gewest", "arrondiss", "elz57", "elz"]
        ),
        gemeente2024=tidy(gem24, ["code", "naam", "gemeente"]),
        elz57=tidy(elz57, ["code", "naam", "provincie", "gewest"]),
        elz=tidy(elz, ["code", "naam", "elz57", "provincie", "gewest"]),
        wijk=tidy(wijk, ["code", "naam", "gemeente", "district", "elz", "elz57", "provincie", "gewest"]),
        district=tidy(district, ["code", "naam", "gemeente"]),
        provincie=tidy(prov, ["code", "naam", "gewest"]),
        sector_counts=sector_counts,
        old_nis_to_gemeente=old_to_new,
    )


def adjacency(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    """Rook adjacency: pairs of units sharing a border of positive length, with that length in metres."""
    geoms = gdf.geometry.values
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    bounds = shapely.boundary(geoms)
    length = shapely.length(shapely.intersection(bounds[left], bounds[right]))
    codes = gdf["code"].to_numpy()
    edges = pd.DataFrame({"a": codes[left], "b": codes[right], "border_m": np.round(length, 1)})
    return edges[edges["border_m"] > 0].reset_index(drop=True)


def display_layer(gdf: gpd.GeoDataFrame, tolerance_m: float) -> gpd.GeoDataFrame:
    """EPSG:4326 display geometry, simplified as a coverage so that neighbours keep shared borders."""
    simple = shapely.coverage_simplify(gdf.geometry.values, tolerance=tolerance_m)
    out = gpd.GeoDataFrame({"code": gdf["code"], "naam": gdf["naam"]}, geometry=simple, crs=31370)
    return out.to_crs(4326)
