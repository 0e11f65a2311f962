"""Plotly figures the pages show (nl-BE separators, compact margins). Plain plotly: no Streamlit here."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

SEPARATORS = ",."  # decimal comma, thousands dot
WINS, LOSES = "#2c7fb8", "#d95f0e"
CURRENT_LINE = {"line_dash": "dash", "line_color": "#444"}
BEST_LINE = {"line_dash": "dot", "line_color": "#2ca02c"}
TIGHT = {"l": 10, "r": 10, "t": 10, "b": 10}


def mark_weights(
    fig: go.Figure, current: float, best: float | None, best_text: str = "best bij 2021"
) -> None:
    """Vertical lines at the chosen weight and, when known, the best-fitting one."""
    fig.add_vline(x=current, annotation_text="huidige keuze", annotation_position="top left", **CURRENT_LINE)
    if best is not None:
        fig.add_vline(x=best, annotation_text=best_text, annotation_position="top right", **BEST_LINE)


def correction_shift(shift: pd.DataFrame) -> go.Figure:
    """Horizontal bars: share of the formula budget won or lost per area by the correction (% points)."""
    shift = shift.sort_values("verschil_pp")
    fig = px.bar(
        shift,
        x="verschil_pp",
        y="gebied",
        orientation="h",
        labels={"verschil_pp": "Verschil in aandeel (procentpunt)", "gebied": ""},
        custom_data=["aandeel_zonder_pct", "aandeel_met_pct", "verschil_eur"],
        color=np.where(shift["verschil_pp"] >= 0, "wint", "verliest"),
        color_discrete_map={"wint": WINS, "verliest": LOSES},
    )
    fig.update_traces(
        hovertemplate="%{y}<br>zonder correctie %{customdata[0]:.2f} %"
        "<br>met correctie %{customdata[1]:.2f} %"
        "<br>verschil € %{customdata[2]:,.0f}<extra></extra>"
    )
    fig.update_layout(
        height=max(300, 22 * len(shift) + 80), showlegend=False, margin=TIGHT, separators=SEPARATORS
    )
    return fig


def sensitivity(
    table: pd.DataFrame,
    weight_label: str,
    current: float,
    best: float | None,
    amount_label: str = "Bedrag (EUR)",
) -> go.Figure:
    """Amount per area (lines) against the weight."""
    fig = px.line(
        table,
        x="gewicht_param",
        y="eur",
        color="gebied",
        labels={"gewicht_param": weight_label, "eur": amount_label},
    )
    mark_weights(fig, current, best)
    fig.update_layout(height=480, separators=SEPARATORS, legend_title_text="", margin={"t": 30})
    return fig


def published_vs_computed(comparison: pd.DataFrame) -> go.Figure:
    """Grouped bars per area: the published 2021 budget next to the computed amount."""
    comp = comparison.sort_values("gepubliceerd", ascending=False)
    fig = go.Figure()
    fig.add_bar(x=comp["gebied"], y=comp["gepubliceerd"], name="Gepubliceerd 2021", marker_color="#bbbbbb")
    fig.add_bar(x=comp["gebied"], y=comp["berekend"], name="Berekend", marker_color=WINS)
    fig.update_layout(barmode="group", height=420, separators=SEPARATORS, yaxis_title="EUR", margin={"t": 20})
    return fig


def calibration_curve(
    curve: pd.DataFrame, weight_label: str, current: float, best: float, best_text: str, x_max: float
) -> go.Figure:
    """RMSE against 2021 as a function of the weight."""
    fig = px.line(
        curve, x="gewicht_param", y="rmse", labels={"gewicht_param": weight_label, "rmse": "RMSE (EUR)"}
    )
    mark_weights(fig, current, best, best_text)
    fig.update_layout(height=340, separators=SEPARATORS, margin={"t": 30})
    fig.update_xaxes(range=[0, x_max])
    return fig


def lines_per_month(long: pd.DataFrame) -> go.Figure:
    """Registrations per month, one line per area (`maand`, `gebied`, `aanmeldingen`)."""
    fig = px.line(long, x="maand", y="aanmeldingen", color="gebied", markers=True)
    fig.update_layout(height=360, margin=TIGHT, separators=SEPARATORS, legend_title_text="")
    return fig


def coverage_steps(before: float, after: Sequence[float]) -> go.Figure:
    """Coverage (%) after each added site, starting from today's coverage (shares 0-1)."""
    curve = pd.DataFrame(
        {"nieuwe locaties": range(len(after) + 1), "dekking (%)": [before * 100, *(a * 100 for a in after)]}
    )
    fig = px.line(curve, x="nieuwe locaties", y="dekking (%)", markers=True)
    fig.update_layout(height=260, margin=TIGHT, separators=SEPARATORS)
    return fig


def equal_vs_need(table: pd.DataFrame, unit: str, decimals: int = 1) -> go.Figure:
    """Per area the need-based share (bars, blue when more than equal, orange when less) and the equal
    share (black diamonds), sorted by the difference. ``table`` is `geo.budget.equal.compare_equal`."""
    t = table.sort_values(["verschil", "gebied"])
    colour = np.where(t["verschil"] > 0, WINS, np.where(t["verschil"] < 0, LOSES, "#999999"))
    custom = np.column_stack(
        [t["gelijk"], t["behoefte"], t["verschil"], t["n_per_gelijk"], t["n_per_behoefte"]]
    )
    fig = go.Figure()
    fig.add_bar(
        x=t["behoefte"],
        y=t["gebied"],
        orientation="h",
        name="Volgens behoefte (blauw: meer dan gelijk, oranje: minder)",
        marker_color=colour,
        customdata=custom,
        hovertemplate=f"%{{y}}<br>gelijk %{{customdata[0]:.{decimals}f}} {unit}"
        f"<br>volgens behoefte %{{customdata[1]:.{decimals}f}} {unit}"
        f"<br>verschil %{{customdata[2]:+.{decimals}f}} {unit}"
        f"<br>jongeren per {unit}: %{{customdata[3]:,.0f}} → %{{customdata[4]:,.0f}}<extra></extra>",
    )
    fig.add_scatter(
        x=t["gelijk"],
        y=t["gebied"],
        mode="markers",
        name="Gelijk",
        marker={"symbol": "diamond", "size": 12, "color": "#222222"},
        hoverinfo="skip",
    )
    fig.update_layout(
        height=max(300, 30 * len(t) + 90),
        margin=TIGHT | {"t": 30},
        separators=SEPARATORS,
        xaxis_title=unit,
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
    )
    return fig


def transition_lines(amounts: pd.DataFrame, targets: pd.Series, year_labels: Sequence[str]) -> go.Figure:
    """One line per area over the years (``amounts``: areas x years 0..N), the formula's amount as an
    open circle after the last year."""
    fig = go.Figure()
    palette = px.colors.qualitative.Safe + px.colors.qualitative.Pastel
    for i, (area, row) in enumerate(amounts.iterrows()):
        colour = palette[i % len(palette)]
        fig.add_scatter(
            x=list(year_labels),
            y=row.to_numpy(),
            mode="lines+markers",
            name=str(area),
            line={"color": colour},
            legendgroup=str(area),
            hovertemplate=f"{area}<br>%{{x}}: € %{{y:,.0f}}<extra></extra>",
        )
        fig.add_scatter(
            x=["Formule"],
            y=[targets[area]],
            mode="markers",
            marker={"symbol": "circle-open", "size": 11, "color": colour},
            legendgroup=str(area),
            showlegend=False,
            hovertemplate=f"{area}<br>formule: € %{{y:,.0f}}<extra></extra>",
        )
    fig.update_layout(
        height=480, separators=SEPARATORS, yaxis_title="EUR", margin={"t": 20}, legend_title_text=""
    )
    fig.update_yaxes(tickformat=",.0f")  # 600.000, not 600k
    return fig
