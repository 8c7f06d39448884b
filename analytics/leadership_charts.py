"""Plotly figures of the leadership view (Firefighter and Investment pages, the brief).

Pure functions from `analytics.leadership` results to figures, in the
Okabe-Ito palette of `analytics.charts`; bars that mean "bad" (firefighting,
lost delivery) also carry a hatch so they do not rely on colour alone, and the
three scenarios differ in dash as well as colour. Sprint names are escaped with
`charts.labels` (plotly renders some HTML in labels).
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from analytics import charts
from analytics.charts import BLACK, BLUE, GREEN, GREY, ORANGE, SKY_BLUE, VERMILLION, labels
from analytics.firefighter import Episode
from analytics.investment import InvestmentCase
from analytics.leadership import SCENARIO_LABELS, CostOfStaying, Delivery, FlowSummary, num

YELLOW = "#F0E442"
HATCH = dict(shape="/", fgcolor="#ffffff", solidity=0.3)

DELIVERY_TRACES = ("Committed and delivered", "Committed, not delivered")
FLOW_TRACES = ("Created", "Resolved", "Backlog change (cumulative)")
COST_TRACES = ("Unplanned points", "Unplanned hours")
PROJECTION_TRACES = ("Without the investment", "With the investment")
SCENARIO_STYLES = {"cautious": (ORANGE, "dash"), "expected": (BLUE, "solid"), "optimistic": (GREEN, "dot")}


def _v(value) -> float | None:
    if value is None or value is pd.NA:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def _layout(fig: go.Figure, height: int, y_title: str, y_format: str | None = None) -> go.Figure:
    fig.update_layout(template="plotly_white", height=height, margin=dict(l=10, r=10, t=40, b=10),
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
                      hovermode="closest", font=dict(size=13))
    fig.update_yaxes(title_text=y_title, tickformat=y_format, zeroline=True, zerolinecolor="#888888")
    return fig


def share_chart(series: pd.DataFrame, threshold: float, episodes: list[Episode]) -> go.Figure:
    """The Overview's unplanned-share chart with each firefighting episode shaded."""
    fig = charts.unplanned_share_chart(series, threshold)
    order = list(fig.layout.xaxis.categoryarray or [])
    for e in episodes:
        first, last = labels([e.first_sprint, e.last_sprint])
        if first in order and last in order:
            fig.add_vrect(x0=order.index(first) - 0.5, x1=order.index(last) + 0.5,
                          fillcolor=VERMILLION, opacity=0.1, line_width=0, layer="below",
                          annotation_text=f"episode ({e.sprints} sprints)", annotation_position="top left",
                          annotation_font=dict(color=VERMILLION, size=12))
    return fig


def delivery_chart(delivery: Delivery) -> go.Figure:
    """Committed points per sprint split into delivered and lost, with the say/do ratio above each bar."""
    t = delivery.table
    x = labels(t["sprint"])
    done = [float(v) for v in t["committed_done_points"]]
    lost = [float(v) for v in t["planned_lost_points"]]
    say_do = [_v(v) for v in t["say_do"]]
    fig = go.Figure()
    fig.add_trace(go.Bar(name=DELIVERY_TRACES[0], x=x, y=done, marker_color=BLUE,
                         hovertemplate="<b>%{x}</b><br>%{y:g} committed points delivered<extra></extra>"))
    fig.add_trace(go.Bar(name=DELIVERY_TRACES[1], x=x, y=lost, marker=dict(color=VERMILLION, pattern=HATCH),
                         text=[f"say/do {s:.0%}" if s is not None else "" for s in say_do], textposition="outside",
                         cliponaxis=False,
                         hovertemplate="<b>%{x}</b><br>%{y:g} committed points not delivered<extra></extra>"))
    _layout(fig, 320, "committed points")
    fig.update_layout(barmode="stack", legend_traceorder="normal")
    fig.update_xaxes(categoryorder="array", categoryarray=x, tickangle=-45)
    top = max([a + b for a, b in zip(done, lost)] + [1.0])
    fig.update_yaxes(range=[0, top * 1.18])
    return fig


def flow_chart(flow: FlowSummary) -> go.Figure:
    """Items created and resolved per sprint, and the running change of the open backlog."""
    t = flow.table
    x = labels(t["sprint"])
    fig = go.Figure()
    fig.add_trace(go.Bar(name=FLOW_TRACES[0], x=x, y=[int(v) for v in t["created_items"]], marker_color=ORANGE,
                         hovertemplate="<b>%{x}</b><br>%{y} items created<extra></extra>"))
    fig.add_trace(go.Bar(name=FLOW_TRACES[1], x=x, y=[int(v) for v in t["resolved_items"]], marker_color=BLUE,
                         hovertemplate="<b>%{x}</b><br>%{y} items resolved<extra></extra>"))
    fig.add_trace(go.Scatter(name=FLOW_TRACES[2], x=x, y=[int(v) for v in t["cumulative_net_items"]],
                             mode="lines+markers", line=dict(color=BLACK, width=2.5),
                             hovertemplate="<b>%{x}</b><br>backlog %{y:+d} items since the period began"
                                           "<extra></extra>"))
    _layout(fig, 320, "work items")
    fig.update_layout(barmode="group")
    fig.update_xaxes(categoryorder="array", categoryarray=x, tickangle=-45)
    return fig


def cost_chart(cost: CostOfStaying, currency: str = "") -> go.Figure:
    """Unplanned points (bars) and hours (line, right axis) per sprint of the period."""
    t = cost.table
    x = labels(t["sprint"])
    money_p = [_v(v) for v in t["points_money"]]
    money_h = [_v(v) for v in t["hours_money"]]
    fig = go.Figure()
    fig.add_trace(go.Bar(
        name=COST_TRACES[0], x=x, y=[float(v) for v in t["unplanned_points"]],
        marker=dict(color=VERMILLION, pattern=HATCH),
        customdata=[[m if m is not None else float("nan")] for m in money_p],
        hovertemplate="<b>%{x}</b><br>%{y:g} unplanned points"
                      + (f"<br>{currency}%{{customdata[0]:,.0f}}" if cost.point_value is not None else "")
                      + "<extra></extra>"))
    fig.add_trace(go.Scatter(
        name=COST_TRACES[1], x=x, y=[float(v) for v in t["unplanned_hours"]], yaxis="y2", mode="lines+markers",
        line=dict(color=BLACK, width=2, dash="dot"),
        customdata=[[m if m is not None else float("nan")] for m in money_h],
        hovertemplate="<b>%{x}</b><br>%{y:g} hours on unplanned work"
                      + (f"<br>{currency}%{{customdata[0]:,.0f}}" if cost.hour_value is not None else "")
                      + "<extra></extra>"))
    _layout(fig, 320, "unplanned points")
    fig.update_layout(yaxis2=dict(title_text="hours", overlaying="y", side="right", rangemode="tozero",
                                  showgrid=False, tickmode="auto", nticks=5))
    fig.update_yaxes(rangemode="tozero")
    fig.update_xaxes(categoryorder="array", categoryarray=x, tickangle=-45)
    return fig


def projection_chart(case: InvestmentCase) -> go.Figure:
    """Projected unplanned points per sprint with and without the investment; the investing sprints shaded."""
    table = case.projection
    t = [int(v) for v in table["t"]]
    fig = go.Figure()
    fig.add_trace(go.Scatter(name=PROJECTION_TRACES[0], x=t, y=[float(v) for v in table["unplanned_without"]],
                             mode="lines", line=dict(color=BLACK, dash="dash", width=2),
                             hovertemplate="sprint %{x}: %{y:.1f} unplanned points<extra></extra>"))
    fig.add_trace(go.Scatter(name=PROJECTION_TRACES[1], x=t, y=[float(v) for v in table["unplanned_with"]],
                             mode="lines+markers", line=dict(color=GREEN, width=3),
                             hovertemplate="sprint %{x}: %{y:.1f} unplanned points<extra></extra>"))
    if t:
        fig.add_vrect(x0=0.5, x1=min(case.invest_sprints, max(t)) + 0.5, fillcolor=SKY_BLUE, opacity=0.15,
                      line_width=0, layer="below", annotation_text=f"investing {num(case.invest_points_per_sprint)} "
                      "points a sprint", annotation_position="bottom left")
    _layout(fig, 300, "unplanned points per sprint")
    fig.update_yaxes(rangemode="tozero")
    fig.update_xaxes(title_text="sprints from the start of the investment", dtick=1)
    return fig


def scenarios_chart(cases: dict[str, InvestmentCase]) -> go.Figure:
    """Cumulative net points of the three scenarios (r x 0.5, r, r x 1.5)."""
    fig = go.Figure()
    for key, case in cases.items():
        colour, dash = SCENARIO_STYLES.get(key, (GREY, "solid"))
        table = case.projection
        label = f"{SCENARIO_LABELS.get(key, key)}, r = {case.expected_reduction:.0%}"
        fig.add_trace(go.Scatter(name=label, x=[int(v) for v in table["t"]],
                                 y=[float(v) for v in table["cumulative_net"]], mode="lines+markers",
                                 line=dict(color=colour, dash=dash, width=2.5), marker=dict(size=5),
                                 hovertemplate=f"{label}<br>after sprint %{{x}}: %{{y:+.1f}} net points"
                                               "<extra></extra>"))
    fig.add_hline(y=0, line=dict(color="#888888", width=1))
    _layout(fig, 300, "cumulative net points")
    fig.update_xaxes(title_text="sprints from the start of the investment", dtick=1)
    return fig


def sensitivity_chart(grid: pd.DataFrame, reduction: float, invest: float, horizon: int) -> go.Figure:
    """Heat map of the break-even sprint over r (rows) and I (columns); 'never' when not within H."""
    rs = sorted(grid["reduction"].unique())
    invests = sorted(grid["invest"].unique())
    lookup = {(r, i): b for r, i, b in zip(grid["reduction"], grid["invest"], grid["break_even_sprint"])}
    z, text = [], []
    for r in rs:
        row_z, row_t = [], []
        for i in invests:
            b = lookup.get((r, i))
            b = None if b is None or (isinstance(b, float) and math.isnan(b)) else int(b)
            row_z.append(b)
            row_t.append(f"{b}" if b is not None else "never")
        z.append(row_z)
        text.append(row_t)
    x = [num(i) for i in invests]
    y = [f"{r:.0%}" for r in rs]
    fig = go.Figure(go.Heatmap(
        z=z, x=x, y=y, text=text, texttemplate="%{text}", textfont=dict(size=13), zmin=1, zmax=max(horizon, 2),
        colorscale=[[0.0, GREEN], [0.5, YELLOW], [1.0, ORANGE]], xgap=2, ygap=2,
        colorbar=dict(title=dict(text="break-even<br>sprint"), thickness=12),
        hovertemplate="r = %{y}, I = %{x} points a sprint<br>break-even: sprint %{text}<extra></extra>"))
    fig.update_layout(template="plotly_white", height=340, margin=dict(l=10, r=10, t=30, b=10),
                      plot_bgcolor="#DDDDDD", font=dict(size=13))
    fig.update_xaxes(title_text="points invested a sprint (I)", type="category", showgrid=False)
    fig.update_yaxes(title_text="reduction of unplanned work (r)", type="category", showgrid=False)
    if round(reduction, 4) in [round(r, 4) for r in rs] and num(invest) in x:
        row = [round(r, 4) for r in rs].index(round(reduction, 4))
        col = x.index(num(invest))
        fig.add_shape(type="rect", x0=col - 0.5, x1=col + 0.5, y0=row - 0.5, y1=row + 0.5,
                      line=dict(color=BLACK, width=3))
    return fig
