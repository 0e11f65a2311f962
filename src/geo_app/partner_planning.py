"""The partners page's planning tabs: accessibility per area (2SFCA) and where to add partners (greedy
preview and exact plan), plus the distance choice (straight line or an uploaded road network).

Everything is computed through `geo.partners.planning`; this module only asks, caches and shows. Every
table, map and download says how distances were measured.
"""

from __future__ import annotations

import hashlib
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from geo import fmt as nl
from geo.data import units
from geo.maps import views
from geo.partners import access as acc
from geo.partners import inputs, planning
from geo.partners import location as loc
from geo.partners import register as pt
from geo.partners.network import Distances, RoadNetwork, StraightLine
from geo_app import charts
from geo_app.counts import choose_counts
from geo_app.loaders import extent
from geo_app.maps import maps_ready
from geo_app.numbers import number_field
from geo_app.text import md
from geo_app.unit_map import categorical_map
from geo_app.widgets import attempt, download_pair

DECAY_LABELS = {"stap": "geen (stap)", "lineair": "lineair", "gauss": "Gaussisch"}
ACCESS_COLORS = {
    planning.ACCESS_NONE: "#b2182b",
    planning.ACCESS_LOW: "#ef8a62",
    planning.ACCESS_OK: "#2c7fb8",
}
STATUS_COLORS = {
    planning.STATUS_COVERED: "#2c7fb8",
    planning.STATUS_NOT: "#d95f0e",
    planning.STATUS_EXTRA: "#1a9850",
}
ROAD_TYPES = ["gpkg", "geojson", "json", "zip"]
FILE_TYPES = ["csv", "xlsx", "xls", "ods", "txt"]


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _show_messages(check: inputs.FileCheck, name: str) -> bool:
    """Row messages of a planning file; True when it can be used (no errors)."""
    if check.errors:
        st.error(
            f"{nl.number(len(check.errors))} fout(en) in {md(name)}; er wordt zonder dit bestand gerekend. "
            "Rijnummers zoals in Excel (rij 1 = kolomkoppen)."
        )
    if check.messages:
        with st.expander(
            f"Meldingen bij {md(name)} ({nl.number(len(check.messages))})", expanded=bool(check.errors)
        ):
            st.dataframe(
                pd.DataFrame(
                    {"Rij": [m.row for m in check.messages], "Melding": [m.text for m in check.messages]}
                ),
                hide_index=True,
                width="stretch",
            )
    return not check.errors


# ------------------------------------------------------------------------------------------- cached
@st.cache_resource(show_spinner="Wegennet inlezen…", max_entries=2)
def road_network(digest: str, _data: bytes, name: str) -> RoadNetwork:
    return RoadNetwork.read(_data, name)


@st.cache_data(show_spinner="Capaciteitsbestand controleren…", max_entries=4)
def capacity_check(data: bytes, name: str, partners: pd.DataFrame) -> inputs.FileCheck:
    return inputs.read_capacity(data, name, partners)


@st.cache_data(show_spinner="Kandidaatlocaties controleren…", max_entries=4)
def sites_check(data: bytes, name: str, stamp: str) -> inputs.FileCheck:
    from geo.partners.io import PlaceIndex

    return inputs.read_sites(data, name, PlaceIndex.from_units(), units.load_table("wijk"))


def _distance_key(distances: Distances) -> str:
    """What identifies a distance model in a cache key (the network object itself is not hashable)."""
    if isinstance(distances, RoadNetwork):
        return f"weg:{distances.name}:{len(distances.nodes)}:{distances.length_m:.1f}"
    return "recht"


@st.cache_data(show_spinner=False, max_entries=16)
def cached_locate(
    distance_key: str,
    partners: pd.DataFrame,
    table: pd.DataFrame,
    mapping: dict,
    partner_type: str,
    n: int,
    distance_m: float,
    area: str | None,
    sites: pd.DataFrame | None,
    site_capacity: float | None,
    deprivation_weight: float,
    only_deprived: bool,
    exact: bool,
    time_limit: float | None,
    level: str,
    _distances: Distances,
) -> planning.LocateReport:
    """`planning.locate`, computed again only when an input changed (the exact solve takes a moment)."""
    return planning.locate(
        partners,
        table,
        mapping,
        partner_type,
        n,
        distance_m,
        area=area,
        sites=sites,
        site_capacity=site_capacity,
        deprivation_weight=deprivation_weight,
        only_deprived=only_deprived,
        exact=exact,
        time_limit=time_limit,
        distances=_distances,
        level=level,
    )


@st.cache_data(show_spinner=False, max_entries=16)
def cached_accessibility(
    distance_key: str, partners, table, mapping, settings, types, capacity, partner_area, level, _distances
):
    """`planning.accessibility` for one set of choices (cached)."""
    return planning.accessibility(
        partners, table, mapping, settings, types, capacity, _distances, partner_area, level=level
    )


# ------------------------------------------------------------------------------------------- sidebar
@st.cache_data(show_spinner="Eenheden laden…", max_entries=8)
def counts_table(level: str, year: int, indicator: str, stamp: str) -> pd.DataFrame:
    return units.load_table(level, year=year, indicator=indicator)


def counts_choice(level: str, stamp: str) -> pd.DataFrame:
    """Sidebar: population year and deprivation indicator (the shared chooser of `geo_app.counts`, so the
    choice is the same as on the other pages); the unit table with those counts."""
    counts = choose_counts()
    return counts_table(level, counts.year, counts.indicator, stamp)


def distance_choice() -> Distances:
    """Sidebar: distances in a straight line, or along a road network from a file."""
    with st.sidebar:
        kind = st.radio(
            "Afstanden meten",
            ["recht", "weg"],
            format_func={"recht": "in rechte lijn", "weg": "over een wegennet (bestand)"}.get,
            key="partners_distance_kind",
            help="Een wegennet als GeoPackage, GeoJSON of gezipte shapefile met lijnen (wegen). De weg naar "
            "de dichtstbijzijnde weg telt in rechte lijn mee.",
        )
        if kind == "recht":
            return StraightLine()
        upload = st.file_uploader("Wegennet", type=ROAD_TYPES, key="partners_roads")
        if upload is None:
            st.caption("Nog geen wegennet: er wordt in rechte lijn gemeten.")
            return StraightLine()
        data = upload.getvalue()
        network = attempt(lambda: road_network(_digest(data), data, upload.name))
        if network is None:
            st.caption("Er wordt in rechte lijn gemeten.")
            return StraightLine()
        st.caption(md(f"{network.describe().capitalize()}."))  # the file name
        return network


def distance_warnings(distances: Distances, *point_sets) -> None:
    for line in distances.warnings(*point_sets):
        st.warning(line, icon="⚠️")


# ------------------------------------------------------------------------------------------- access
def access_settings(selected: pd.DataFrame, choice: Any) -> tuple[planning.AccessSettings, dict | None]:
    """The choices above the accessibility table: decay, capacity, threshold."""
    c1, c2, c3 = st.columns(3)
    decay = c1.selectbox(
        "Afname met de afstand",
        list(acc.DECAYS),
        format_func=DECAY_LABELS.get,
        key="access_decay",
        help=" ".join(f"{DECAY_LABELS[k]}: {v}." for k, v in acc.DECAYS.items()),
    )
    mode = c2.radio(
        "Capaciteit",
        ["partners", "bestand"],
        format_func={"partners": "elke partner telt 1", "bestand": "uit een bestand (plaatsen of VTE)"}.get,
        key="access_capacity_mode",
    )
    capacity, unit, default = None, "partners", 1.0
    if mode == "bestand":
        unit = c2.selectbox(
            "Eenheid", ["plaatsen", "vte"], format_func=planning.CAPACITY_UNITS.get, key="access_unit"
        )
        default = number_field(
            "Capaciteit van partners zonder opgave", 1.0, key="access_default", minimum=0.0, container=c2
        )
        upload = c2.file_uploader(
            "Capaciteit per partner (kolommen id of naam (+ type) en capaciteit)",
            type=FILE_TYPES,
            key="access_file",
        )
        if upload is not None:
            check = attempt(lambda: capacity_check(upload.getvalue(), upload.name, selected))
            if check is not None and _show_messages(check, upload.name):
                capacity = inputs.capacity_mapping(check)
    relative = (
        c3.radio(
            "Drempel",
            ["relatief", "absoluut"],
            format_func={"relatief": "deel van het gemiddelde", "absoluut": "per 1.000 jongeren"}.get,
            key="access_threshold_mode",
        )
        == "relatief"
    )
    if relative:
        pct = number_field(
            "Onder zoveel % van het gemiddelde",
            50.0,
            key="access_threshold_pct",
            kind="percent",
            minimum=0.0,
            maximum=1000.0,
            container=c3,
        )
        threshold = (pct or 0.0) / 100
    else:
        threshold = number_field(
            "Drempel per 1.000 jongeren", 0.1, key="access_threshold_abs", minimum=0.0, container=c3
        )
    settings = planning.AccessSettings(
        distance_m=choice.distance,
        decay=decay,
        threshold=float(threshold or 0.0),
        relative=relative,
        capacity_unit=unit,
        default_capacity=float(default if default is not None else 1.0),
        deprivation_weight=choice.dep_weight,
        only_deprived=choice.only_deprived,
    )
    return settings, capacity


def access_tab(
    selected: pd.DataFrame,
    table: pd.DataFrame,
    mapping: dict[str, str],
    choice: Any,
    distances: Distances,
    partner_area: list[str],
    stamp: str,
    credits: str,
) -> None:
    """Accessibility per area and type: settings, notes, table, map and downloads."""
    st.caption(
        "Hoeveel partnercapaciteit is er per jongere binnen bereik, als elke partner zijn capaciteit deelt "
        "met alle jongeren die hem kunnen bereiken (two-step floating catchment, 2SFCA)? Eén kleine partner "
        "naast 20.000 jongeren telt zo niet meer als 'gedekt'."
    )
    settings, capacity = access_settings(selected, choice)
    present = sorted(selected["type"].unique(), key=list(pt.PARTNER_TYPES).index)
    with st.spinner("Toegang berekenen…"):
        report = cached_accessibility(
            _distance_key(distances),
            selected[["x", "y", "type", "partner_id"]],
            table,
            mapping,
            settings,
            present,
            capacity,
            partner_area,
            choice.level,
            _distances=distances,
        )
    st.caption("  \n".join(md(n) for n in report.notes))  # they name the road network file
    shown_type = st.selectbox("Partnertype", present, key="access_type")
    rows = report.areas[report.areas["type"] == shown_type]
    limit = report.thresholds[shown_type]
    st.markdown(
        f"**Toegang tot {shown_type}: {planning.CAPACITY_UNITS[settings.capacity_unit]} per "
        f"{nl.number(acc.PER)} jongeren binnen {nl.number(settings.distance_m)} m**, per gebied "
        f"({md(choice.area_title)}); drempel {nl.number(limit, 3)}."
    )
    st.dataframe(
        _access_view(rows, choice.weight_label), hide_index=True, width="stretch", key="access_table"
    )
    frame, cols = planning.access_export(report)
    download_pair(frame, "toegang_per_gebied", "access_dl", cols, sheet="toegang per gebied")
    units_frame, unit_cols = planning.units_export(report)
    with st.expander("Toegang per eenheid (alle types)"):
        download_pair(
            units_frame, "toegang_per_eenheid", "access_units_dl", unit_cols, sheet="toegang per eenheid"
        )
    if maps_ready():
        _access_map(report, selected, shown_type, choice, stamp, credits)


def _access_view(rows: pd.DataFrame, weight_label: str) -> pd.DataFrame:
    def num(v, d=3):
        return nl.number(v, d) if pd.notna(v) else "–"

    return pd.DataFrame(
        {
            "Gebied": rows["gebied"],
            "Partners in gebied": rows["partners"],
            "Jongeren": rows["jongeren"].map(nl.number),
            "Toegang (gemiddeld)": rows["toegang"].map(num),
            "Mediaan": rows["mediaan"].map(num),
            "p10 – p90": [f"{num(a)} – {num(b)}" for a, b in zip(rows["p10"], rows["p90"], strict=True)],
            f"{weight_label.capitalize()} onder de drempel": rows["onder_drempel"].map(nl.number),
            "Aandeel onder de drempel": rows["aandeel_onder"].map(
                lambda v: nl.percent(v * 100) if pd.notna(v) else "–"
            ),
            "Zonder partner binnen bereik": rows["zonder_toegang"].map(nl.number),
        }
    )


def _access_map(
    report: planning.AccessReport,
    selected: pd.DataFrame,
    shown_type: str,
    choice: Any,
    stamp: str,
    credits: str,
) -> None:
    classes = planning.access_classes(report, shown_type)
    values = report.units.set_index("code")[f"toegang_{shown_type}"]
    categorical_map(
        choice.level,
        stamp,
        classes,
        key=f"access_map_{choice.level}",
        title=f"Toegang tot {shown_type}",
        colors=ACCESS_COLORS,
        shown=list(classes),
        unassigned="buiten de gebieden",
        area_label="Toegang",
        tooltip_fields={
            f"Per {nl.number(acc.PER)} jongeren": {c: nl.number(values.get(c, np.nan), 3) for c in classes}
        },
        attribution=credits,
        points=pt.partner_points(
            pt.within_bounds(pt.filter_partners(selected, [shown_type]), extent(choice.level, classes, stamp))
        ),
    )
    st.caption(
        f"Rood: geen {shown_type} binnen {nl.number(report.settings.distance_m)} m; oranje: onder de "
        f"drempel; blauw: op of boven de drempel. {md(report.distance_label.capitalize())}."
    )


# ------------------------------------------------------------------------------------------- locate
def locate_tab(
    selected: pd.DataFrame,
    table: pd.DataFrame,
    mapping: dict[str, str],
    choice: Any,
    distances: Distances,
    stamp: str,
    credits: str,
) -> None:
    """Where to add partners: the exact plan (HiGHS) beside the greedy preview, with its gap."""
    l1, l2, l3 = st.columns(3)
    loc_type = l1.selectbox("Type partner", pt.PARTNER_TYPES, key="partners_loc_type")
    n_new = number_field(
        "Aantal nieuwe locaties", 5, key="partners_loc_n", integer=True, minimum=1, maximum=100, container=l2
    )
    area = l3.selectbox(
        "Binnen",
        ["alle gebieden", *sorted(set(mapping.values()))],
        key=f"partners_loc_area_{choice.area_key}",
    )
    sites = _sites_choice(choice, stamp)
    centre_capacity = None if isinstance(sites, pd.DataFrame) else sites
    e1, e2 = st.columns(2)
    exact = e1.checkbox(
        "Bewezen beste keuze berekenen (naast de snelle)", value=True, key="partners_loc_exact"
    )
    limit = None
    if exact:
        limit = number_field(
            "Tijdslimiet (seconden)", 20, key="partners_loc_limit", minimum=1, maximum=600, container=e2
        )
    existing = pt.filter_partners(selected, [loc_type])
    with st.spinner("Beste locaties berekenen…" if exact else "Locaties kiezen…"):
        report = cached_locate(
            _distance_key(distances),
            selected[["x", "y", "type"]],
            table,
            mapping,
            loc_type,
            int(n_new or 1),
            choice.distance,
            None if area == "alle gebieden" else area,
            sites if isinstance(sites, pd.DataFrame) else None,
            centre_capacity,
            choice.dep_weight,
            choice.only_deprived,
            exact,
            limit,
            choice.level,
            _distances=distances,
        )
    distance_warnings(distances, ("wijk- of gemeentecentra", report.scope[["x", "y"]].to_numpy(float)))
    plan = report.best
    m1, m2, m3 = st.columns(3)
    m1.metric(f"Bestaande partners ({loc_type})", nl.number(len(existing)))
    m2.metric("Bereikt nu", _pct(plan.share_before))
    m3.metric(f"Bereikt met {len(plan.picks)} nieuwe", _pct(plan.share_after))
    st.caption(_plan_text(report))
    st.caption("  \n".join(md(n) for n in report.notes))
    if plan.stopped_early:
        st.info("Geen enkele kandidaat voegt nog iets toe: minder locaties gekozen dan gevraagd.")
    if plan.picks.empty:
        st.success("Alles binnen het gekozen gebied wordt al bereikt.")
        return
    picks = planning.picks_table(report, plan, mapping, units.load_layer(choice.level))
    st.dataframe(
        _picks_view(picks, choice.weight_label), hide_index=True, width="stretch", key="partners_picks"
    )
    download_pair(
        picks,
        f"nieuwe_locaties_{loc_type}",
        "partners_picks_dl",
        planning.PICKS_COLUMNS,
        sheet="nieuwe locaties",
    )
    st.altair_chart(_steps_chart(report), width="stretch", key="partners_curve")
    if report.exact is not None and not report.exact.picks.empty:
        with st.expander("Snelle benadering (gretig) ter vergelijking"):
            greedy = planning.picks_table(report, report.greedy, mapping)
            st.dataframe(_picks_view(greedy, choice.weight_label), hide_index=True, width="stretch")
    if maps_ready():
        _locate_map(report, plan, picks, existing, loc_type, choice, stamp, credits)


def _sites_choice(choice: Any, stamp: str) -> pd.DataFrame | float | None:
    """Candidate sites: a checked file (a frame), or the unit centres with one capacity for all (a number)
    or without (None)."""
    centres = "wijken" if choice.level == "wijk" else "gemeenten"
    s1, s2 = st.columns(2)
    source = s1.radio(
        "Kandidaatlocaties",
        ["centra", "bestand"],
        format_func={"centra": f"de centra van de {centres}", "bestand": "uit een bestand"}.get,
        key="partners_loc_sites",
    )
    if source == "bestand":
        upload = s2.file_uploader(
            "Kandidaatlocaties (naam + lat/lon, x/y, wijk of gemeente; optioneel capaciteit, vast)",
            type=FILE_TYPES,
            key="partners_loc_file",
        )
        if upload is None:
            s2.caption(f"Zolang er geen bestand is, zijn de centra van de {centres} de kandidaten.")
            return None
        check = attempt(lambda: sites_check(upload.getvalue(), upload.name, stamp))
        if check is None or not _show_messages(check, upload.name) or check.rows.empty:
            return None
        s2.caption(f"{nl.number(len(check.rows))} kandidaatlocaties uit {md(upload.name)}.")
        return check.rows
    return number_field(
        "Capaciteit per nieuwe locatie (jongeren; leeg = geen limiet)",
        None,
        key="partners_loc_cap",
        minimum=0.0,
        allow_empty=True,
        placeholder="geen limiet",
        container=s2,
    )


def _pct(share: float) -> str:
    return nl.percent(share * 100) if pd.notna(share) else "–"


def _plan_text(report: planning.LocateReport) -> str:
    g, e = report.greedy, report.exact
    if e is None:
        return (
            f"Snelle benadering (gretig, {nl.number(g.seconds, 2)} s): elke stap neemt de locatie die het "
            "meest toevoegt."
        )
    gap = report.gap
    text = (
        f"Exacte keuze: {loc.STATUS_LABELS[e.status]} in {nl.number(e.seconds, 1)} s; "
        f"{nl.number(e.gain)} jongeren extra bereikt. De snelle benadering bereikt er {nl.number(g.gain)} "
        f"({nl.number(gap['verschil'])} minder, {nl.percent(gap['verschil_aandeel'] * 100, 1)} van de winst)."
    )
    if e.status != "optimaal" and np.isfinite(e.gap):
        text += f" Hoogstens {nl.percent(e.gap * 100, 1)} van de mogelijke winst ontbreekt nog."
    return text


def _picks_view(picks: pd.DataFrame, weight_label: str) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "Stap": picks["stap"],
            "Locatie": picks["naam"],
            "Gebied": picks["gebied"],
            f"Extra {weight_label}": picks["winst"].map(nl.number),
            "Bereikt na": picks["aandeel_na"].map(_pct),
        }
    )
    if picks["capaciteit"].notna().any():
        out["Capaciteit"] = picks["capaciteit"].map(lambda v: nl.number(v) if pd.notna(v) else "geen limiet")
        out["Bediend"] = picks["bediend"].map(nl.number)
    return out


def _steps_chart(report: planning.LocateReport) -> alt.TopLevelMixin:
    """Share reached after each added site, for the greedy preview and (when computed) the exact plan."""
    curves = {
        label: [plan.share_before, *plan.picks["aandeel_na"].tolist()]
        for label, plan in (("snelle benadering", report.greedy), ("exacte keuze", report.exact))
        if plan is not None
    }
    return charts.coverage_steps(curves)


def _locate_map(report, plan, picks, existing, loc_type, choice, stamp, credits) -> None:
    status = planning.unit_status(report, plan)
    sites = picks.assign(groep="Voorstel", label=picks["stap"].map(lambda s: f"Voorstel {s}"))
    proposed = views.points(
        sites,
        group_by="groep",
        title="Voorstel",
        colors={"Voorstel": "#000000"},
        name="label",
        tips={"naam": "Locatie", "gebied": "Gebied"},
        radius=7,
    )
    categorical_map(
        choice.level,
        stamp,
        status,
        key=f"partners_locate_map_{choice.level}",
        title=f"{loc_type} binnen {nl.number(choice.distance)} m",
        colors=STATUS_COLORS,
        shown=list(status),
        unassigned="buiten de keuze",
        area_label="Bereik",
        attribution=credits,
        points=views.combine_points(
            "Locaties",
            proposed,
            pt.partner_points(pt.within_bounds(existing, extent(choice.level, status, stamp))),
        ),
    )
    st.caption(
        "Zwart: voorgestelde locaties; groen: wat ze extra bereiken. "
        f"{md(report.problem.distance_label.capitalize())}."
    )
