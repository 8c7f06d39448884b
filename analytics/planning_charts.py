"""Plotly figures for the Unplanned work and Reserve pages: pure functions from analytics results to figures.

As in `analytics/charts.py`: no Streamlit, Okabe-Ito colours, and whatever
carries bad news (unplanned work, overruns, scope added mid-sprint) also has a
hatch pattern so it does not rely on colour alone. Every bar or line holds the
metric values themselves (`fig.data[i].y`), so tests compare them directly.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from analytics.charts import BLACK, BLUE, GREEN, ORANGE, SKY_BLUE, VERMILLION, _layout, _value, labels
from analytics.trends import HoursSummary, RuleBreakdown, Trend

REDDISH_PURPLE = "#CC79A7"
HATCH = dict(shape="/", fgcolor="#ffffff", solidity=0.3)
CONFIG = {"displaylogo": False}

# Per-sprint columns behind the planned / unplanned bars, per unit.
UNITS = {
    "points": ("planned_done_points", "unplanned_points", "points"),
    "hours": ("planned_done_hours", "unplanned_hours", "hours spent"),
    "items": ("planned_done_items", "unplanned_items", "items"),
}
PLANNED_TRACES = ("Planned done", "Unplanned")


def _sprint_axis(fig: go.Figure, x: list[str]) -> go.Figure:
    fig.update_xaxes(categoryorder="array", categoryarray=x, tickangle=-45)
    return fig


def _floats(values) -> list[float | None]:
    return [_value(v) for v in values]


def planned_unplanned_chart(series: pd.DataFrame, unit: str = "points") -> go.Figure:
    """Completed sprints: planned work done and unplanned work done, stacked, in points, hours or items."""
    planned_col, unplanned_col, words = UNITS[unit]
    done = series[series["completed"]]
    x = labels(done["sprint"])
    fig = go.Figure()
    fig.add_trace(go.Bar(name=PLANNED_TRACES[0], x=x, y=_floats(done[planned_col]), marker_color=BLUE,
                         hovertemplate=f"<b>%{{x}}</b><br>%{{y:g}} planned {words} done<extra></extra>"))
    fig.add_trace(go.Bar(name=PLANNED_TRACES[1], x=x, y=_floats(done[unplanned_col]),
                         marker=dict(color=VERMILLION, pattern=HATCH),
                         hovertemplate=f"<b>%{{x}}</b><br>%{{y:g}} unplanned {words} done<extra></extra>"))
    _layout(fig, height=360, y_title=f"{words} completed")
    fig.update_layout(barmode="stack", legend_traceorder="normal")
    return _sprint_axis(fig, x)


SCOPE_TRACES = ("Planned at start", "Carry-over", "Scope increase (added mid-sprint)", "Completed")


def scope_chart(series: pd.DataFrame) -> go.Figure:
    """Swarmia-style breakdown per completed sprint: the scope bar (planned at the start, of which carry-over,
    plus scope added mid-sprint) beside the points completed (planned done + unplanned)."""
    done = series[series["completed"]]
    x = labels(done["sprint"])
    committed = done["committed_points"].astype(float)
    carry = done["carryover_points"].astype(float).clip(upper=committed)
    fresh = committed - carry
    added = done["added_mid_sprint_points"].astype(float)
    completed = done["planned_done_points"].astype(float) + done["unplanned_points"].astype(float)
    hover = "<b>%{x}</b><br>%{y:g} points: " + "%{fullData.name}<extra></extra>"
    fig = go.Figure()
    for name, y, base, colour, pattern in (
        (SCOPE_TRACES[0], fresh, None, BLUE, None),
        (SCOPE_TRACES[1], carry, fresh, SKY_BLUE, None),
        (SCOPE_TRACES[2], added, committed, ORANGE, HATCH),
    ):
        fig.add_trace(go.Bar(name=name, x=x, y=list(y), base=None if base is None else list(base),
                             offsetgroup="scope", marker=dict(color=colour, pattern=pattern),
                             hovertemplate=hover))
    fig.add_trace(go.Bar(name=SCOPE_TRACES[3], x=x, y=list(completed), offsetgroup="completed",
                         marker_color=GREEN, hovertemplate=hover))
    _layout(fig, height=380, y_title="points")
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05)
    return _sprint_axis(fig, x)


SAY_DO_TRACES = ("Committed", "Delivered of the commitment", "Say/do")


def say_do_chart(series: pd.DataFrame) -> go.Figure:
    """Committed points against the committed points delivered in the sprint, and say/do (their ratio)."""
    done = series[series["completed"]]
    x = labels(done["sprint"])
    fig = go.Figure()
    fig.add_trace(go.Bar(name=SAY_DO_TRACES[0], x=x, y=_floats(done["committed_points"]), marker_color=SKY_BLUE,
                         hovertemplate="<b>%{x}</b><br>%{y:g} points committed<extra></extra>"))
    fig.add_trace(go.Bar(name=SAY_DO_TRACES[1], x=x, y=_floats(done["committed_done_points"]), marker_color=BLUE,
                         hovertemplate="<b>%{x}</b><br>%{y:g} committed points delivered<extra></extra>"))
    fig.add_trace(go.Scatter(name=SAY_DO_TRACES[2], x=x, y=_floats(done["say_do"]), yaxis="y2",
                             mode="lines+markers", line=dict(color=ORANGE, width=2.5),
                             hovertemplate="<b>%{x}</b><br>say/do %{y:.0%}<extra></extra>"))
    _layout(fig, height=360, y_title="points")
    fig.update_layout(barmode="group", yaxis2=dict(title_text="say/do", overlaying="y", side="right",
                                                   range=[0, 1.05], tickformat=".0%", dtick=0.25,
                                                   showgrid=False))
    return _sprint_axis(fig, x)


TREND_TRACES = ("Unplanned per sprint", "Least-squares trend")


def trend_chart(trend: Trend, unit: str = "points") -> go.Figure:
    """The window's unplanned work per sprint with its least-squares line."""
    x = labels(trend.sprints)
    fig = go.Figure()
    fig.add_trace(go.Bar(name=TREND_TRACES[0], x=x, y=list(trend.values), marker_color=SKY_BLUE,
                         hovertemplate=f"<b>%{{x}}</b><br>%{{y:g}} unplanned {unit}<extra></extra>"))
    if trend.slope is not None:
        fig.add_trace(go.Scatter(name=f"{TREND_TRACES[1]} ({trend.slope:+.1f} {unit} a sprint)", x=x,
                                 y=trend.fitted(), mode="lines", line=dict(color=BLACK, dash="dash", width=2.5),
                                 hovertemplate="<b>%{x}</b><br>trend %{y:.1f}<extra></extra>"))
    _layout(fig, height=320, y_title=f"unplanned {unit}")
    return _sprint_axis(fig, x)


RULE_TRACES = ("Items the rule matches", "Items it is the first matching rule for")


def rule_chart(breakdown: RuleBreakdown) -> go.Figure:
    """Per rule: items it matches (overlapping) and items whose first matching rule it is (adding up)."""
    table = breakdown.table
    y = labels(table["rule"])
    fig = go.Figure()
    fig.add_trace(go.Bar(name=RULE_TRACES[0], y=y, x=[int(v) for v in table["items"]], orientation="h",
                         marker_color=SKY_BLUE, customdata=[float(v) for v in table["points"]],
                         hovertemplate="%{y}: matches %{x} items (%{customdata:g} points)<extra></extra>"))
    fig.add_trace(go.Bar(name=RULE_TRACES[1], y=y, x=[int(v) for v in table["first_items"]], orientation="h",
                         marker_color=BLUE, customdata=[float(v) for v in table["first_points"]],
                         hovertemplate="%{y}: first rule of %{x} items (%{customdata:g} points)<extra></extra>"))
    _layout(fig, height=260, y_title="")
    fig.update_layout(barmode="group")
    fig.update_xaxes(title_text="unplanned items")
    fig.update_yaxes(autorange="reversed", zeroline=False)
    return fig


BREAKDOWN_TOP = 12


def breakdown_chart(frame: pd.DataFrame, dimension: str, top: int = BREAKDOWN_TOP) -> go.Figure:
    """Unplanned points per type / component / label (largest first, the first `top`), items in the hover."""
    shown = frame.head(top)
    fig = go.Figure(go.Bar(
        name="Unplanned points", y=labels(shown["value"]), x=[float(v) for v in shown["points"]], orientation="h",
        marker_color=REDDISH_PURPLE, customdata=[int(v) for v in shown["items"]],
        hovertemplate=f"{dimension} %{{y}}: %{{x:g}} points in %{{customdata}} items<extra></extra>"))
    _layout(fig, height=max(200, 60 + 28 * len(shown)), y_title="")
    fig.update_xaxes(title_text="unplanned points")
    fig.update_yaxes(autorange="reversed", zeroline=False, type="category")
    return fig


# --- reserve ---------------------------------------------------------------------------------------------------

HISTOGRAM_TRACE = "Window sprints"


def _bin_size(values: list[float]) -> float:
    spread = max(values) - min(values) if values else 0
    return float(max(1, math.ceil(spread / 30)))


def unplanned_histogram(values: list[float], current: float | None, recommended: float | None,
                        chosen: float | None = None) -> go.Figure:
    """How many window sprints brought how many unplanned points, with the reserves as vertical lines."""
    size = _bin_size(values)
    start = (math.floor(min(values) / size) * size if values else 0) - size / 2
    fig = go.Figure(go.Histogram(
        name=HISTOGRAM_TRACE, x=[float(v) for v in values], xbins=dict(start=start, size=size),
        marker=dict(color=SKY_BLUE, line=dict(color="#ffffff", width=1)),
        hovertemplate="%{x} unplanned points: %{y} sprints<extra></extra>"))
    # The lower line's label goes to its left, the higher one's to its right, so they never overlap.
    low_first = current is None or recommended is None or current <= recommended
    lines = [("current reserve", current, BLACK, "solid", "top left" if low_first else "top right"),
             ("recommended", recommended, ORANGE, "dash", "top right" if low_first else "top left")]
    if chosen is not None:
        lines.append(("what-if", chosen, REDDISH_PURPLE, "dot", "bottom right"))
    for name, level, colour, dash, position in lines:
        if level is not None:
            fig.add_vline(x=level, line=dict(color=colour, dash=dash, width=2.5),
                          annotation_text=f"{name} {level:g}", annotation_position=position)
    _layout(fig, height=320, y_title="sprints")
    fig.update_xaxes(title_text="unplanned points in the sprint")
    fig.update_yaxes(dtick=1)
    return fig


OVERRUN_TRACES = ("Within the reserve", "Overrun (above the reserve)", "Reserve")


def overrun_chart(window: pd.DataFrame) -> go.Figure:
    """Each window sprint's unplanned points split at its own reserve: the part above it is the overrun."""
    x = labels(window["sprint"])
    unplanned = window["unplanned_points"].astype(float)
    reserve = window["reserve_points"].astype(float)
    fig = go.Figure()
    fig.add_trace(go.Bar(name=OVERRUN_TRACES[0], x=x, y=list(unplanned.clip(upper=reserve)), marker_color=SKY_BLUE,
                         hovertemplate="<b>%{x}</b><br>%{y:g} unplanned points within the reserve<extra></extra>"))
    fig.add_trace(go.Bar(name=OVERRUN_TRACES[1], x=x, y=_floats(window["overrun_points"]),
                         marker=dict(color=VERMILLION, pattern=HATCH),
                         hovertemplate="<b>%{x}</b><br>%{y:g} points over the reserve<extra></extra>"))
    fig.add_trace(go.Scatter(name=OVERRUN_TRACES[2], x=x, y=list(reserve), mode="lines",
                             line=dict(color=BLACK, width=2.5, shape="hvh"),
                             hovertemplate="<b>%{x}</b><br>reserve %{y:g} points<extra></extra>"))
    _layout(fig, height=340, y_title="unplanned points")
    fig.update_layout(barmode="stack", legend_traceorder="normal")
    return _sprint_axis(fig, x)


TRADEOFF_TRACES = ("Coverage", "Planned capacity left")


def tradeoff_chart(tradeoff: pd.DataFrame, chosen: float, basis: str) -> go.Figure:
    """Coverage and the planned capacity left, for each reserve size; the what-if reserve marked."""
    x = [float(v) for v in tradeoff["reserve"]]
    fig = go.Figure()
    fig.add_trace(go.Scatter(name=TRADEOFF_TRACES[0], x=x, y=_floats(tradeoff["coverage"]), mode="lines",
                             line=dict(color=BLUE, width=2.5, shape="hv"),
                             hovertemplate="reserve %{x:g}: covers %{y:.0%} of window sprints<extra></extra>"))
    fig.add_trace(go.Scatter(name=f"{TRADEOFF_TRACES[1]} ({basis} − reserve)", x=x,
                             y=_floats(tradeoff["planned_capacity"]), yaxis="y2", mode="lines",
                             line=dict(color=GREEN, width=2.5, dash="dash"),
                             hovertemplate="reserve %{x:g}: %{y:.1f} points for planned work<extra></extra>"))
    fig.add_vline(x=chosen, line=dict(color=REDDISH_PURPLE, dash="dot", width=2),
                  annotation_text=f"what-if {chosen:g}", annotation_position="top right")
    _layout(fig, height=320, y_title="coverage", y_format=".0%")
    fig.update_yaxes(range=[0, 1.05])
    fig.update_layout(yaxis2=dict(title_text="planned points per sprint", overlaying="y", side="right",
                                  showgrid=False, rangemode="tozero", tickformat=".0f"))
    fig.update_xaxes(title_text="reserve (points)")
    return fig


HOURS_TRACE = "Unplanned hours"


def hours_chart(summary: HoursSummary) -> go.Figure:
    """Hours spent on unplanned work per window sprint, with the median and p80 as lines."""
    x = labels(summary.sprints)
    fig = go.Figure(go.Bar(name=HOURS_TRACE, x=x, y=list(summary.hours), marker_color=SKY_BLUE,
                           hovertemplate="<b>%{x}</b><br>%{y:g} hours on unplanned work<extra></extra>"))
    for name, level, colour, dash, position in (("median", summary.median, BLACK, "solid", "top left"),
                                                ("p80", summary.p80, ORANGE, "dash", "top right")):
        if level is not None:
            fig.add_hline(y=level, line=dict(color=colour, dash=dash, width=2),
                          annotation_text=f"{name} {level:.1f} h", annotation_position=position)
    _layout(fig, height=320, y_title="hours")
    return _sprint_axis(fig, x)
