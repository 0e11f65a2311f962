"""Vega-Lite charts (Altair) the pages show: nl-BE numbers through Vega's locale, Dutch labels, compact.

Plain Altair, no Streamlit here: a page shows a chart with ``st.altair_chart(chart, width="stretch")``.
Vega-Lite rather than Plotly because Streamlit's Vega-Lite code is about a fifth of its Plotly code, which
otherwise delays the map on every page with a chart. Axis labels and tooltips use d3 formats under
``LOCALE`` (decimal comma, thousands dot, `€ ` prefix); texts with a unit (``12,5 %``) are formatted in
Python with `geo.fmt` and shown as they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import numpy as np
import pandas as pd

from geo import fmt as nl

WINS, LOSES, EVEN = "#2c7fb8", "#d95f0e", "#999999"
CURRENT_COLOUR, BEST_COLOUR = "#444444", "#2ca02c"
PALETTE = "tableau20"
EURO = "$,.0f"  # with LOCALE: € 1.234.567
MONTHS = "januari februari maart april mei juni juli augustus september oktober november december".split()
LOCALE = {
    "number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€ ", ""]},
    "time": {
        "dateTime": "%A %e %B %Y %X",
        "date": "%d/%m/%Y",
        "time": "%H:%M:%S",
        "periods": ["", ""],
        "days": ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
        "shortDays": ["zo", "ma", "di", "wo", "do", "vr", "za"],
        "months": MONTHS,
        "shortMonths": [m[:3] if m != "maart" else "mrt" for m in MONTHS],
    },
}
TOP_LEGEND = alt.Legend(orient="top", title=None, labelLimit=400)
SIDE_LEGEND = alt.Legend(title=None, labelLimit=320)


def finish(chart: alt.TopLevelMixin, height: int) -> alt.TopLevelMixin:
    """The Flemish number locale and a fixed height; the width follows the page."""
    return chart.properties(height=height).configure(locale=LOCALE)


def lines_with_points(base: alt.Chart, tooltip: list, size: int = 30, clip: bool = False) -> alt.LayerChart:
    """A line per colour with a point at every value; the points carry the tooltip (a line's own tooltip
    would show its first value only). Missing values break the line."""
    return alt.layer(
        base.mark_line(invalid="break-paths-filter-domains", clip=clip),
        base.mark_point(filled=True, size=size, opacity=1, clip=clip).encode(tooltip=tooltip),
    )


def weight_marks(
    x_title: str, current: float, best: float | None, best_text: str = "best bij 2021"
) -> alt.LayerChart:
    """Vertical lines with their text at the chosen weight and, when known, the best-fitting one."""
    marks = [("huidige keuze", current, CURRENT_COLOUR, "right", -4, [6, 4])]
    if best is not None:
        marks.append((best_text, best, BEST_COLOUR, "left", 4, [2, 3]))
    x = alt.X("gewicht:Q", title=x_title)
    layers = []
    for text, weight, colour, align, dx, dash in marks:
        one = alt.Chart(pd.DataFrame({"gewicht": [weight], "tekst": [text]}))
        layers.append(one.mark_rule(color=colour, strokeDash=dash, strokeWidth=1.5).encode(x=x))
        layers.append(
            one.mark_text(align=align, baseline="top", dx=dx, y=2, color=colour, fontSize=12).encode(
                x=x, text="tekst:N"
            )
        )
    return alt.layer(*layers)


def correction_shift(shift: pd.DataFrame) -> alt.TopLevelMixin:
    """Horizontal bars: share of the formula budget won or lost per area by the correction (% points)."""
    data = shift.sort_values("verschil_pp").reset_index(drop=True)
    data = data.assign(
        uitkomst=np.where(data["verschil_pp"] >= 0, "wint", "verliest"),
        zonder=data["aandeel_zonder_pct"].map(lambda v: nl.percent(v, 2)),
        met=data["aandeel_met_pct"].map(lambda v: nl.percent(v, 2)),
        verschil=data["verschil_eur"].map(nl.euro),
    )
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "verschil_pp:Q", title="Verschil in aandeel (procentpunt)", axis=alt.Axis(format=",.2~f")
            ),
            y=alt.Y("gebied:N", title=None, sort=list(data["gebied"]), axis=alt.Axis(labelLimit=260)),
            color=alt.Color(
                "uitkomst:N", scale=alt.Scale(domain=["wint", "verliest"], range=[WINS, LOSES]), legend=None
            ),
            tooltip=[
                alt.Tooltip("gebied:N", title="Gebied"),
                alt.Tooltip("zonder:N", title="Zonder correctie"),
                alt.Tooltip("met:N", title="Met correctie"),
                alt.Tooltip("verschil:N", title="Verschil"),
            ],
        )
    )
    return finish(bars, max(300, 22 * len(data) + 60))


def sensitivity(
    table: pd.DataFrame,
    weight_label: str,
    current: float,
    best: float | None,
    amount_label: str = "Bedrag (EUR)",
) -> alt.TopLevelMixin:
    """Amount per area (one line each) against the weight, with the chosen and the best weight marked."""
    amount_format = EURO if "EUR" in amount_label else ",.2~f"
    base = alt.Chart(table[["gewicht_param", "gebied", "eur"]]).encode(
        x=alt.X("gewicht_param:Q", title=weight_label),
        y=alt.Y("eur:Q", title=amount_label, axis=alt.Axis(format=amount_format)),
        color=alt.Color("gebied:N", scale=alt.Scale(scheme=PALETTE), legend=SIDE_LEGEND),
    )
    lines = lines_with_points(
        base,
        [
            alt.Tooltip("gebied:N", title="Gebied"),
            alt.Tooltip("gewicht_param:Q", title=weight_label, format=",.3~f"),
            alt.Tooltip("eur:Q", title=amount_label, format=amount_format),
        ],
        size=16,
    )
    return finish(alt.layer(lines, weight_marks(weight_label, current, best)), 460)


def published_vs_computed(comparison: pd.DataFrame) -> alt.TopLevelMixin:
    """Grouped bars per area: the published 2021 budget next to the computed amount."""
    comp = comparison.sort_values("gepubliceerd", ascending=False)
    names = {"gepubliceerd": "Gepubliceerd 2021", "berekend": "Berekend"}
    data = comp.melt(id_vars="gebied", value_vars=list(names), var_name="reeks", value_name="eur")
    data["reeks"] = data["reeks"].map(names)
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("gebied:N", title=None, sort=list(comp["gebied"]), axis=alt.Axis(labelLimit=260)),
            yOffset=alt.YOffset("reeks:N", sort=list(names.values())),
            x=alt.X("eur:Q", title="EUR", axis=alt.Axis(format=EURO)),
            color=alt.Color(
                "reeks:N",
                scale=alt.Scale(domain=list(names.values()), range=["#bbbbbb", WINS]),
                legend=TOP_LEGEND,
            ),
            tooltip=[
                alt.Tooltip("gebied:N", title="Gebied"),
                alt.Tooltip("reeks:N", title="Reeks"),
                alt.Tooltip("eur:Q", title="Bedrag", format=EURO),
            ],
        )
    )
    return finish(bars, 34 * len(comp) + 70)


def calibration_curve(
    curve: pd.DataFrame, weight_label: str, current: float, best: float, best_text: str, x_max: float
) -> alt.TopLevelMixin:
    """RMSE against 2021 as a function of the weight (x from 0 to ``x_max``)."""
    x = alt.X("gewicht_param:Q", title=weight_label, scale=alt.Scale(domain=[0, x_max]))
    base = alt.Chart(curve[["gewicht_param", "rmse"]]).encode(
        x=x,
        y=alt.Y("rmse:Q", title="RMSE (EUR)", axis=alt.Axis(format=EURO)),
    )
    line = lines_with_points(
        base,
        [
            alt.Tooltip("gewicht_param:Q", title=weight_label, format=",.3~f"),
            alt.Tooltip("rmse:Q", title="RMSE", format=EURO),
        ],
        size=16,
        clip=True,
    )
    return finish(alt.layer(line, weight_marks(weight_label, current, best, best_text)), 320)


def lines_per_month(long: pd.DataFrame) -> alt.TopLevelMixin:
    """Registrations per month, one line per area (`maand`, `gebied`, `aanmeldingen`); months in the order
    given, missing (masked) months left out."""
    months = list(dict.fromkeys(long["maand"]))
    base = alt.Chart(long[["maand", "gebied", "aanmeldingen"]]).encode(
        x=alt.X("maand:O", title=None, sort=months, axis=alt.Axis(labelAngle=-40)),
        y=alt.Y("aanmeldingen:Q", title="Aanmeldingen", axis=alt.Axis(format=",~f")),
        color=alt.Color("gebied:N", scale=alt.Scale(scheme=PALETTE), legend=SIDE_LEGEND),
    )
    lines = lines_with_points(
        base,
        [
            alt.Tooltip("gebied:N", title="Gebied"),
            alt.Tooltip("maand:O", title="Maand"),
            alt.Tooltip("aanmeldingen:Q", title="Aanmeldingen", format=",~f"),
        ],
        size=30,
    )
    return finish(lines, 340)


def coverage_steps(curves: Mapping[str, Sequence[float]], y_title: str = "bereikt (%)") -> alt.TopLevelMixin:
    """Coverage (%) after each added site, one line per plan; each curve starts with today's share (0-1)."""
    data = pd.DataFrame(
        [
            {"plan": name, "nieuwe locaties": step, "pct": share * 100}
            for name, shares in curves.items()
            for step, share in enumerate(shares)
        ],
        columns=["plan", "nieuwe locaties", "pct"],
    )
    data["tekst"] = data["pct"].map(nl.percent)
    base = alt.Chart(data).encode(
        x=alt.X("nieuwe locaties:Q", title="nieuwe locaties", axis=alt.Axis(format="d", tickMinStep=1)),
        y=alt.Y("pct:Q", title=y_title, scale=alt.Scale(zero=False), axis=alt.Axis(format=",~f")),
        color=alt.Color("plan:N", legend=TOP_LEGEND),
    )
    lines = lines_with_points(
        base,
        [
            alt.Tooltip("plan:N", title="Plan"),
            alt.Tooltip("nieuwe locaties:Q", title="Nieuwe locaties"),
            alt.Tooltip("tekst:N", title=y_title.capitalize()),
        ],
        size=40,
    )
    return finish(lines, 240)


def equal_vs_need(table: pd.DataFrame, unit: str, decimals: int = 1) -> alt.TopLevelMixin:
    """Per area the need-based share (bars, blue when more than equal, orange when less) and the equal
    share (black diamonds), sorted by the difference. ``table`` is `geo.budget.equal.compare_equal`."""
    t = table.sort_values(["verschil", "gebied"]).reset_index(drop=True)
    kinds = ["meer dan gelijk", "minder dan gelijk", "evenveel"]

    def amount(v: float, sign: bool = False) -> str:
        text = f"{nl.number(v, decimals)} {unit}"
        return f"+{text}" if sign and v > 0 else text

    data = t.assign(
        vergelijking=np.where(t["verschil"] > 0, kinds[0], np.where(t["verschil"] < 0, kinds[1], kinds[2])),
        gelijk_tekst=t["gelijk"].map(amount),
        behoefte_tekst=t["behoefte"].map(amount),
        verschil_tekst=t["verschil"].map(lambda v: amount(v, sign=True)),
        per_tekst=[
            f"{nl.number(a)} → {nl.number(b)}"
            for a, b in zip(t["n_per_gelijk"], t["n_per_behoefte"], strict=True)
        ],
        teken="Gelijk verdeeld",
    )
    y = alt.Y("gebied:N", title=None, sort=list(t["gebied"]), axis=alt.Axis(labelLimit=260))
    base = alt.Chart(data)
    bars = base.mark_bar().encode(
        x=alt.X("behoefte:Q", title=unit, axis=alt.Axis(format=",~f")),
        y=y,
        color=alt.Color(
            "vergelijking:N",
            scale=alt.Scale(domain=kinds, range=[WINS, LOSES, EVEN]),
            legend=alt.Legend(orient="top", title="Volgens behoefte:"),
        ),
        tooltip=[
            alt.Tooltip("gebied:N", title="Gebied"),
            alt.Tooltip("gelijk_tekst:N", title="Gelijk"),
            alt.Tooltip("behoefte_tekst:N", title="Volgens behoefte"),
            alt.Tooltip("verschil_tekst:N", title="Verschil"),
            alt.Tooltip("per_tekst:N", title=f"Jongeren per {unit}"),
        ],
    )
    diamonds = base.mark_point(shape="diamond", size=110, filled=True, color="#222222").encode(
        x=alt.X("gelijk:Q", title=unit),
        y=y,
        shape=alt.Shape(
            "teken:N",
            scale=alt.Scale(domain=["Gelijk verdeeld"], range=["diamond"]),
            legend=alt.Legend(orient="top", title=None),
        ),
    )
    return finish(alt.layer(bars, diamonds).resolve_scale(color="independent"), max(300, 26 * len(t) + 70))


def transition_lines(
    amounts: pd.DataFrame, targets: pd.Series, year_labels: Sequence[str]
) -> alt.TopLevelMixin:
    """One line per area over the years (``amounts``: areas x years 0..N), the formula's amount as an
    open circle in the same colour after the last year."""
    order = [*map(str, year_labels), "Formule"]
    path = pd.DataFrame(
        [
            {"gebied": str(area), "jaar": str(label), "eur": float(value)}
            for area, row in amounts.iterrows()
            for label, value in zip(year_labels, row.to_numpy(), strict=True)
        ]
    )
    goal = pd.DataFrame({"gebied": [str(a) for a in amounts.index], "jaar": "Formule"})
    goal["eur"] = [float(targets[a]) for a in amounts.index]
    x = alt.X("jaar:O", title=None, sort=order, scale=alt.Scale(domain=order), axis=alt.Axis(labelAngle=0))
    y = alt.Y("eur:Q", title="EUR", scale=alt.Scale(zero=False), axis=alt.Axis(format=EURO))
    colour = alt.Color(
        "gebied:N",
        scale=alt.Scale(scheme=PALETTE),
        sort=list(path["gebied"].unique()),
        legend=SIDE_LEGEND,
    )
    tips = [
        alt.Tooltip("gebied:N", title="Gebied"),
        alt.Tooltip("jaar:O", title="Jaar"),
        alt.Tooltip("eur:Q", title="Bedrag", format=EURO),
    ]
    lines = lines_with_points(alt.Chart(path).encode(x=x, y=y, color=colour), tips, size=40)
    circles = (
        alt.Chart(goal)
        .mark_point(shape="circle", size=110, filled=False, strokeWidth=2)
        .encode(x=x, y=y, color=colour, tooltip=tips)
    )
    return finish(alt.layer(lines, circles), 460)
