"""Plotly figures for the dashboard: pure functions from analytics results to figures.

No Streamlit here, so every figure can be built and checked in a unit test
(`fig.data[i].y` holds the metric values the page explains). Colours are the
Okabe-Ito palette, which stays distinguishable with the common forms of colour
blindness; firefighting bars also carry a hatch pattern so they do not rely on
colour alone.
"""

from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go

from analytics.investment import InvestmentCase
from analytics.reserve import ReserveAdequacy

# Okabe-Ito
BLUE = "#0072B2"
VERMILLION = "#D55E00"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
GREEN = "#009E73"
BLACK = "#000000"
GREY = "#BBBBBB"

TREND_SPRINTS = 3


def labels(values) -> list[str]:
    """Names from the data as plotly text: plotly renders a few HTML tags (links among them) in labels and
    hovers, so `<`, `>` and `&` are escaped and show literally."""
    return [html.escape(str(v), quote=False) for v in values]

SHARE_TRACES = ("Unplanned share", "Firefighting sprint", "Not completed (not counted)",
                f"Trend ({TREND_SPRINTS}-sprint rolling mean)")


def _value(v) -> float | None:
    """A plain float, or None for a missing value (plotly draws a gap)."""
    if v is None or v is pd.NA:
        return None
    v = float(v)
    return None if math.isnan(v) else v


def _layout(fig: go.Figure, *, height: int, y_title: str, y_format: str | None = None) -> go.Figure:
    fig.update_layout(
        template="plotly_white",
        height=height,
        margin=dict(l=10, r=10, t=40, b=10),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
        hovermode="closest",
        barmode="overlay",
        font=dict(size=13),
    )
    fig.update_yaxes(title_text=y_title, tickformat=y_format, zeroline=True, zerolinecolor="#888888")
    return fig


def rolling_share(series: pd.DataFrame, sprints: int = TREND_SPRINTS) -> pd.Series:
    """Mean unplanned share of each completed sprint and the sprints-1 completed sprints before it.

    Undefined (NaN) until `sprints` completed sprints with a share exist in the window.
    """
    done = series[series["completed"]]
    share = done["unplanned_share"].astype("Float64").astype(float)
    return share.rolling(sprints, min_periods=sprints).mean()


def unplanned_share_chart(series: pd.DataFrame, threshold: float) -> go.Figure:
    """Unplanned share per sprint as bars, the firefighting threshold and a rolling-mean trend.

    Completed sprints are bars (firefighting ones in vermillion with a hatch);
    a sprint not yet completed is a grey bar that the metrics do not count;
    sprints without any completed work have no bar.
    """
    shown = series[series["completed"] | series["unplanned_share"].notna()]
    x = labels(shown["sprint"])
    share = [_value(v) for v in shown["unplanned_share"]]
    completed = list(shown["completed"])
    hot = list(shown["firefighting"])
    custom = list(zip(shown["unplanned_points"].astype(float), shown["planned_done_points"].astype(float)))
    hover = ("<b>%{x}</b><br>%{y:.0%} of completed points unplanned<br>"
             "%{customdata[0]:g} unplanned / %{customdata[1]:g} planned points<extra>%{fullData.name}</extra>")

    def bar(name: str, keep: list[bool], colour: str, pattern: str = "") -> go.Bar:
        return go.Bar(
            name=name, x=x, y=[s if k else None for s, k in zip(share, keep)], customdata=custom,
            marker=dict(color=colour, pattern=dict(shape=pattern, fgcolor="#ffffff", solidity=0.3)),
            hovertemplate=hover, showlegend=any(k and s is not None for s, k in zip(share, keep)),
        )

    fig = go.Figure()
    fig.add_trace(bar(SHARE_TRACES[0], [c and not h for c, h in zip(completed, hot)], BLUE))
    fig.add_trace(bar(SHARE_TRACES[1], [c and h for c, h in zip(completed, hot)], VERMILLION, "/"))
    fig.add_trace(bar(SHARE_TRACES[2], [not c for c in completed], GREY))
    done = shown[shown["completed"]]
    trend = rolling_share(shown)
    fig.add_trace(go.Scatter(
        name=SHARE_TRACES[3], x=labels(done["sprint"]), y=[_value(v) for v in trend], mode="lines",
        line=dict(color=ORANGE, width=3), hovertemplate="<b>%{x}</b><br>trend %{y:.0%}<extra></extra>",
    ))
    fig.add_hline(y=threshold, line=dict(color=BLACK, dash="dash", width=1.5),
                  annotation_text=f"firefighting threshold {threshold:.0%}", annotation_position="top left")
    _layout(fig, height=400, y_title="unplanned share of completed points", y_format=".0%")
    top = max([s for s in share if s is not None] + [threshold])
    fig.update_yaxes(range=[0, max(1.0, top) * 1.05])
    fig.update_xaxes(categoryorder="array", categoryarray=x, tickangle=-45)
    return fig


RESERVE_TRACES = ("Within current reserve", "Above current reserve", "Current reserve", "Recommended reserve")


def reserve_chart(adequacy: ReserveAdequacy) -> go.Figure:
    """Unplanned points of each window sprint against the current and the recommended reserve."""
    x = labels(adequacy.window_sprints)
    values = [float(v) for v in adequacy.window_unplanned_points]
    current = adequacy.current_reserve_points
    fits = [current is not None and v <= current for v in values]
    hover = "<b>%{x}</b><br>%{y:g} unplanned points<extra></extra>"
    fig = go.Figure()
    fig.add_trace(go.Bar(name=RESERVE_TRACES[0], x=x, y=[v if f else None for v, f in zip(values, fits)],
                         marker_color=SKY_BLUE, hovertemplate=hover, showlegend=any(fits)))
    fig.add_trace(go.Bar(name=RESERVE_TRACES[1], x=x, y=[None if f else v for v, f in zip(values, fits)],
                         marker=dict(color=VERMILLION, pattern=dict(shape="/", fgcolor="#ffffff", solidity=0.3)),
                         hovertemplate=hover, showlegend=not all(fits)))
    for name, level, colour, dash in ((RESERVE_TRACES[2], current, BLACK, "solid"),
                                      (RESERVE_TRACES[3], adequacy.recommended_points, ORANGE, "dash")):
        fig.add_trace(go.Scatter(
            name=f"{name} ({level:g} pts)" if level is not None else name, x=x,
            y=[level] * len(x) if level is not None else [], mode="lines",
            line=dict(color=colour, dash=dash, width=2.5, shape="hvh"),
            hovertemplate=f"{name}: %{{y:g}} points<extra></extra>",
        ))
    _layout(fig, height=320, y_title="unplanned points")
    fig.update_xaxes(categoryorder="array", categoryarray=x, tickangle=-45)
    return fig


INVESTMENT_TRACES = ("Points saved", "Points invested", "Cumulative net points")


def investment_chart(case: InvestmentCase) -> go.Figure:
    """Per projected sprint: points saved, points invested (negative) and the cumulative net."""
    table = case.projection
    t = [int(v) for v in table["t"]]
    fig = go.Figure()
    fig.add_trace(go.Bar(name=INVESTMENT_TRACES[0], x=t, y=[float(v) for v in table["saved"]], marker_color=GREEN,
                         hovertemplate="sprint %{x}: %{y:.1f} points saved<extra></extra>"))
    fig.add_trace(go.Bar(name=INVESTMENT_TRACES[1], x=t, y=[-float(v) for v in table["cost"]],
                         marker_color=VERMILLION,
                         hovertemplate="sprint %{x}: %{y:.1f} points invested<extra></extra>"))
    fig.add_trace(go.Scatter(name=INVESTMENT_TRACES[2], x=t, y=[float(v) for v in table["cumulative_net"]],
                             mode="lines+markers", line=dict(color=BLACK, width=2.5),
                             hovertemplate="after sprint %{x}: %{y:+.1f} net points<extra></extra>"))
    if case.break_even_sprint is not None:
        fig.add_vline(x=case.break_even_sprint, line=dict(color=BLUE, dash="dot", width=2),
                      annotation_text=f"break-even: sprint {case.break_even_sprint}",
                      annotation_position="bottom left")
    _layout(fig, height=320, y_title="points")
    fig.update_layout(barmode="relative")
    fig.update_xaxes(title_text="sprints from the start of the investment", dtick=1)
    return fig
