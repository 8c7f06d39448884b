"""Plotly figures for the stability pages (Incidents, Follow-through, On-call): pure builders.

Each takes an analytics result and draws exactly its values, so a unit test can
compare `fig.data[i]` with the numbers. Okabe-Ito colours; the series that
signal trouble (recurrences, sleep-hour pages, a full sprint load on call) are
also hatched or given their own marker shape so they do not rely on colour
alone. Names from the data are HTML-escaped: plotly renders a few tags in
labels and hover text.
"""

from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analytics.charts import BLACK, BLUE, GREY, ORANGE, SKY_BLUE, VERMILLION, _layout
from analytics.stability import severity_group

HATCH = dict(shape="/", fgcolor="#ffffff", solidity=0.3)
CONFIG = {"displaylogo": False}


def label(text: object) -> str:
    """A name from the data, safe to put in a plotly label or hover text."""
    return html.escape(" ".join(str(text).split()), quote=False)


def _v(value) -> float | None:
    if value is None or value is pd.NA:
        return None
    value = float(value)
    return None if math.isnan(value) else value


# --- Incidents -----------------------------------------------------------------------------------------------

OVER_TIME_TRACES = ("First occurrence", "Recurrence")


def incidents_over_time_chart(frame: pd.DataFrame, period: str) -> go.Figure:
    """One small panel per category (most recurrences first): incidents per period, recurrences
    stacked on first occurrences in hatched vermillion. Each trace's `meta` names its category."""
    categories = list(dict.fromkeys(frame["category"]))
    periods = list(dict.fromkeys(frame["period"]))
    rows = max(1, len(categories))
    fig = make_subplots(rows=rows, cols=1, shared_xaxes=True, vertical_spacing=min(0.06, 0.3 / rows),
                        subplot_titles=[label(c) for c in categories] or [""])
    top = 1
    for row, cat in enumerate(categories, start=1):
        part = frame[frame["category"] == cat]
        top = max(top, int(part["incidents"].max()) if len(part) else 0)
        for name, col, colour, pattern in (
                (OVER_TIME_TRACES[0], "first_occurrences", BLUE, None),
                (OVER_TIME_TRACES[1], "recurrences", VERMILLION, HATCH)):
            fig.add_trace(go.Bar(
                name=name, x=[label(p) for p in part["period"]], y=[int(v) for v in part[col]],
                meta=cat, legendgroup=name, showlegend=row == 1,
                marker=dict(color=colour, pattern=pattern or {}),
                hovertemplate=f"<b>{label(cat)}</b> · %{{x}}<br>%{{y}} {name.lower()}(s)<extra></extra>",
            ), row=row, col=1)
    _layout(fig, height=110 * rows + 90, y_title="")
    fig.update_layout(barmode="stack", margin=dict(l=10, r=10, t=60, b=10))
    fig.update_yaxes(range=[0, top * 1.15], dtick=1 if top <= 4 else None, title_text="")
    fig.update_xaxes(categoryorder="array", categoryarray=[label(p) for p in periods], tickangle=-45)
    fig.update_annotations(font_size=13, x=0, xanchor="left")
    return fig


COST_TRACES = ("Recurrences", "Unplanned points caused")


def category_cost_chart(costs: pd.DataFrame) -> go.Figure:
    """Categories in rank order (top first): recurrences, and the unplanned points their incidents caused."""
    names = [label(c) for c in costs["category"]]
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.06,
                        subplot_titles=("Recurrences", "Unplanned points caused (completed in sprints)"))
    fig.add_trace(go.Bar(name=COST_TRACES[0], y=names, x=[int(v) for v in costs["recurrences"]], orientation="h",
                         marker=dict(color=VERMILLION, pattern=HATCH), text=[int(v) for v in costs["recurrences"]],
                         textposition="auto", customdata=[int(v) for v in costs["incidents"]],
                         hovertemplate="<b>%{y}</b><br>%{x} recurrences of %{customdata} incidents<extra></extra>"),
                  row=1, col=1)
    fig.add_trace(go.Bar(name=COST_TRACES[1], y=names, x=[float(v) for v in costs["unplanned_points"]],
                         orientation="h", marker_color=ORANGE,
                         text=[f"{float(v):g}" for v in costs["unplanned_points"]], textposition="auto",
                         customdata=[int(v) for v in costs["unplanned_items"]],
                         hovertemplate="<b>%{y}</b><br>%{x:g} points in %{customdata} items<extra></extra>"),
                  row=1, col=2)
    _layout(fig, height=70 + 34 * max(3, len(names)), y_title="")
    fig.update_layout(showlegend=False, margin=dict(l=10, r=10, t=40, b=10))
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed", title_text="")
    fig.update_annotations(font_size=13)
    return fig


def resolve_time_chart(table: pd.DataFrame, groups: list[str], by: str = "category") -> go.Figure:
    """Hours to resolve per group as a box with every incident as a point (resolved incidents only)."""
    fig = go.Figure()
    column = "category" if by == "category" else "_group"
    if by == "severity":
        table = table.assign(_group=severity_group(table["severity"]))
    for group in groups:
        part = table[table[column] == group]
        hours = [float(h) for h in part["hours_to_resolve"].astype("Float64").dropna()]
        fig.add_trace(go.Box(
            name=label(group), y=hours, boxpoints="all", jitter=0.4, pointpos=0, marker=dict(color=BLUE, size=6),
            line=dict(color=BLACK, width=1.5), fillcolor="rgba(86,180,233,0.25)", meta=group,
            customdata=[label(t) for t in part.loc[part["hours_to_resolve"].notna(), "title"]],
            hovertemplate="%{customdata}<br>%{y:.1f} h<extra></extra>",
        ))
    _layout(fig, height=360, y_title="hours from created to resolved")
    fig.update_layout(showlegend=False)
    return fig


# --- Follow-through ------------------------------------------------------------------------------------------

def coverage_chart(coverage: pd.DataFrame) -> go.Figure:
    """Post-mortem coverage of severity 1-2 incidents per period, each bar labelled 'with / n'."""
    x = [label(p) for p in coverage["period"]]
    fig = go.Figure(go.Bar(
        name="Post-mortem coverage", x=x, y=[_v(v) for v in coverage["coverage"]], marker_color=BLUE,
        text=[f"{w} / {n}" if n else "none" for w, n in zip(coverage["with_postmortem"], coverage["severe_incidents"])],
        textposition="outside",
        hovertemplate="<b>%{x}</b><br>%{y:.0%} covered (%{text} SEV1/2 incidents)<extra></extra>",
    ))
    _layout(fig, height=300, y_title="SEV1/2 incidents with a post-mortem", y_format=".0%")
    fig.update_yaxes(range=[0, 1.18])
    fig.update_xaxes(categoryorder="array", categoryarray=x)
    return fig


AGE_TRACES = ("Scheduled in a sprint", "Not scheduled")


def action_age_chart(ages: pd.DataFrame) -> go.Figure:
    """Age of the open action items in days, one point per item, split by whether it is in a sprint."""
    open_ = ages[~ages["done"].astype(bool)]
    fig = go.Figure()
    for name, scheduled, colour, symbol in ((AGE_TRACES[0], True, BLUE, "circle"),
                                            (AGE_TRACES[1], False, VERMILLION, "x")):
        part = open_[open_["scheduled"].astype(bool) == scheduled]
        fig.add_trace(go.Box(
            name=name, x=[float(v) for v in part["age_days"]], orientation="h", boxpoints="all", jitter=0.5,
            pointpos=0, marker=dict(color=colour, size=9, symbol=symbol), line=dict(color=colour, width=1.5),
            fillcolor="rgba(0,0,0,0)", customdata=[label(f"{k}: {s}") for k, s in zip(part["key"], part["summary"])],
            hovertemplate="%{customdata}<br>open for %{x:.0f} days<extra></extra>",
        ))
    _layout(fig, height=240, y_title="")
    fig.update_xaxes(title_text="days open (as of the data)", rangemode="tozero")
    fig.update_layout(showlegend=False)
    return fig


DEBT_TRACES = ("Open debt in the backlog (points)", "Unplanned points the category's incidents caused")


def tech_debt_chart(by_category: pd.DataFrame) -> go.Figure:
    """Per category: points of open debt against the unplanned points its incidents caused."""
    names = [label(c) for c in by_category["category"]]
    fig = go.Figure()
    fig.add_trace(go.Bar(name=DEBT_TRACES[0], y=names, x=[float(v) for v in by_category["open_points"]],
                         orientation="h", marker_color=SKY_BLUE,
                         customdata=[int(v) for v in by_category["open_items"]],
                         hovertemplate="<b>%{y}</b><br>%{x:g} open points in %{customdata} items<extra></extra>"))
    fig.add_trace(go.Bar(name=DEBT_TRACES[1], y=names, x=[float(v) for v in by_category["unplanned_points"]],
                         orientation="h", marker=dict(color=VERMILLION, pattern=HATCH),
                         hovertemplate="<b>%{y}</b><br>%{x:g} unplanned points caused<extra></extra>"))
    _layout(fig, height=90 + 44 * max(3, len(names)), y_title="")
    fig.update_layout(barmode="group")
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed")
    fig.update_xaxes(title_text="points")
    return fig


# --- On-call -------------------------------------------------------------------------------------------------

BUCKET_TRACES = ("Business hours", "Out of hours (awake)", "Sleep hours")


def _bucket_bars(fig: go.Figure, people: list[str], load: pd.DataFrame, **where) -> None:
    business = [int(i - o) for i, o in zip(load["incidents"], load["out_of_hours_incidents"])]
    awake = [int(o - s) for o, s in zip(load["out_of_hours_incidents"], load["sleep_hour_incidents"])]
    sleep = [int(s) for s in load["sleep_hour_incidents"]]
    for name, values, colour, pattern in ((BUCKET_TRACES[0], business, SKY_BLUE, None),
                                          (BUCKET_TRACES[1], awake, ORANGE, None),
                                          (BUCKET_TRACES[2], sleep, VERMILLION, HATCH)):
        fig.add_trace(go.Bar(name=name, y=people, x=values, orientation="h",
                             marker=dict(color=colour, pattern=pattern or {}),
                             hovertemplate=f"<b>%{{y}}</b><br>%{{x}} incidents, {name.lower()}<extra></extra>"),
                      **where)


def oncall_load_chart(load: pd.DataFrame) -> go.Figure:
    """Per person (alphabetical, top down): shift hours, and the incidents in their shifts by hour bucket."""
    people = [label(p) for p in load["person"]]
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.06,
                        subplot_titles=("Shift hours", "Incidents during their shifts"))
    fig.add_trace(go.Bar(name="Shift hours", y=people, x=[float(v) for v in load["shift_hours"]], orientation="h",
                         marker_color=BLUE, showlegend=False,
                         hovertemplate="<b>%{y}</b><br>%{x:,.0f} hours on call<extra></extra>"), row=1, col=1)
    _bucket_bars(fig, people, load, row=1, col=2)
    _layout(fig, height=110 + 40 * max(3, len(people)), y_title="")
    fig.update_layout(barmode="stack", margin=dict(l=10, r=10, t=70, b=10),
                      legend=dict(orientation="h", yanchor="bottom", y=1.08, xanchor="right", x=1,
                                  traceorder="normal"))
    fig.update_yaxes(categoryorder="array", categoryarray=people, autorange="reversed")
    fig.update_annotations(font_size=13)
    return fig


def responder_chart(load: pd.DataFrame) -> go.Figure:
    """Without a schedule: incidents per responder (alphabetical, top down) by hour bucket."""
    people = [label(p) for p in load["person"]]
    fig = go.Figure()
    _bucket_bars(fig, people, load)
    _layout(fig, height=90 + 40 * max(3, len(people)), y_title="")
    fig.update_layout(barmode="stack", legend_traceorder="normal")
    fig.update_yaxes(categoryorder="array", categoryarray=people, autorange="reversed")
    fig.update_xaxes(title_text="incidents")
    return fig


ROTATION_TRACES = ("On-call shift", "Incident: business hours", "Incident: out of hours", "Incident: sleep hours")


def rotation_chart(shift_table: pd.DataFrame, on_shift: pd.DataFrame) -> go.Figure:
    """The rotation calendar: one row per person (alphabetical), a bar per shift from start to end,
    and the incidents created during each shift as markers shaped by hour bucket."""
    people = sorted(dict.fromkeys(shift_table["person"]), key=str.casefold)
    names = [label(p) for p in people]
    starts = pd.to_datetime(shift_table["start"])
    ends = pd.to_datetime(shift_table["end"])
    fig = go.Figure()
    fig.add_trace(go.Bar(
        name=ROTATION_TRACES[0], y=[label(p) for p in shift_table["person"]],
        base=[s.isoformat() for s in starts], x=[(e - s).total_seconds() * 1000 for s, e in zip(starts, ends)],
        orientation="h", width=0.55, marker=dict(color=SKY_BLUE, line=dict(color=BLUE, width=1)),
        customdata=[[s.strftime("%Y-%m-%d %H:%M"), e.strftime("%Y-%m-%d %H:%M"), (e - s).total_seconds() / 3600]
                    for s, e in zip(starts, ends)],
        hovertemplate="<b>%{y}</b><br>%{customdata[0]} → %{customdata[1]}<br>%{customdata[2]:.0f} h<extra></extra>",
    ))
    for name, bucket, colour, symbol in ((ROTATION_TRACES[1], "business hours", BLACK, "circle-open"),
                                         (ROTATION_TRACES[2], "out of hours", ORANGE, "diamond"),
                                         (ROTATION_TRACES[3], "sleep hours", VERMILLION, "x")):
        part = on_shift[on_shift["bucket"] == bucket] if len(on_shift) else on_shift
        fig.add_trace(go.Scatter(
            name=name, mode="markers", y=[label(p) for p in part.get("person", [])],
            x=[pd.Timestamp(c).isoformat() for c in part.get("created", [])],
            marker=dict(color=colour, symbol=symbol, size=9, line=dict(width=1.5, color=colour)),
            customdata=[label(t) for t in part.get("title", [])],
            hovertemplate="<b>%{y}</b> on call<br>%{x}<br>%{customdata}<extra>" + name + "</extra>",
        ))
    _layout(fig, height=110 + 44 * max(3, len(names)), y_title="")
    fig.update_xaxes(type="date")
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed")
    return fig


PROTECTION_TRACES = ("On call: at or above the team median", "On call: below the team median",
                     "All completed sprints")


def protection_chart(people: pd.DataFrame, team_median: float | None) -> go.Figure:
    """Per on-call person (alphabetical): points completed per on-call sprint (hatched vermillion when at or
    above the team's per-person median), their points per sprint over all sprints, and the median line."""
    names = [label(p) for p in people["person"]]
    per = [_v(v) for v in people["points_per_on_call_sprint"]]
    full = [bool(f) for f in people["full_load"]]
    fig = go.Figure()
    for name, keep, colour, pattern in ((PROTECTION_TRACES[0], full, VERMILLION, HATCH),
                                        (PROTECTION_TRACES[1], [not f for f in full], BLUE, None)):
        fig.add_trace(go.Bar(name=name, x=names, y=[v if k else None for v, k in zip(per, keep)],
                             marker=dict(color=colour, pattern=pattern or {}), offsetgroup="oncall",
                             customdata=[int(n) for n in people["on_call_sprints"]],
                             hovertemplate="<b>%{x}</b><br>%{y:.1f} points per on-call sprint "
                                           "(%{customdata} sprints)<extra></extra>"))
    fig.add_trace(go.Bar(name=PROTECTION_TRACES[2], x=names, y=[_v(v) for v in people["points_per_sprint"]],
                         marker_color=GREY, offsetgroup="all",
                         hovertemplate="<b>%{x}</b><br>%{y:.1f} points per completed sprint<extra></extra>"))
    if team_median is not None:
        line = dict(color=BLACK, dash="dash", width=1.5)
        fig.add_hline(y=team_median, line=line)
        # the line's legend entry (an annotation on the line would cover the bars)
        fig.add_trace(go.Scatter(name=f"Team per-person median ({team_median:.1f} pts/sprint)", x=[None], y=[None],
                                 mode="lines", line=line, hoverinfo="skip"))
    _layout(fig, height=340, y_title="points completed per sprint")
    fig.update_layout(barmode="group")
    fig.update_xaxes(categoryorder="array", categoryarray=names)
    return fig

