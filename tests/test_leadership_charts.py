"""The leadership figures carry the analytics values (asserted on the figure objects, as tests/test_charts.py does)."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics import leadership as L
from analytics import leadership_charts as lc
from analytics.charts import BLUE, GREEN, ORANGE, VERMILLION
from analytics.firefighter import Episode
from analytics.investment import InvestmentCase, outcome, project

NAMES = ["S1", "S2 & <b>co</b>", "S3", "S4"]


def series() -> pd.DataFrame:
    return pd.DataFrame({
        "sprint": NAMES, "end": pd.to_datetime(["2026-01-14", "2026-01-28", "2026-02-11", "2026-02-25"]).date,
        "unplanned_share": [0.2, 0.6, 0.7, 0.1], "unplanned_points": [2.0, 6.0, 7.0, 1.0],
        "planned_done_points": [8.0, 4.0, 3.0, 9.0], "completed": [True, True, True, True],
        "firefighting": [False, True, True, False], "reserve_points": [0.0] * 4,
    })


def test_share_chart_shades_each_episode_and_escapes_names():
    fig = lc.share_chart(series(), 0.5, [Episode("S2 & <b>co</b>", "S3", 2)])
    assert list(fig.layout.xaxis.categoryarray)[1] == "S2 &amp; &lt;b&gt;co&lt;/b&gt;"
    rects = [s for s in fig.layout.shapes if s.type == "rect"]
    assert [(r.x0, r.x1) for r in rects] == [(0.5, 2.5)]
    assert rects[0].fillcolor == VERMILLION
    assert any(a.text == "episode (2 sprints)" for a in fig.layout.annotations)


def delivery() -> L.Delivery:
    table = pd.DataFrame({"sprint": NAMES[:2], "committed_points": [8.0, 5.0], "committed_done_points": [6.0, 5.0],
                          "planned_lost_points": [2.0, 0.0], "say_do": [0.75, 1.0], "unplanned_share": [0.2, 0.6],
                          "firefighting": [False, True]})
    return L.Delivery(table, 13.0, 11.0, 2.0, 11 / 13, 8.0, 12.0, 0.4)


def test_delivery_chart_stacks_delivered_and_lost_with_say_do():
    fig = lc.delivery_chart(delivery())
    done, lost = fig.data
    assert (done.name, lost.name) == lc.DELIVERY_TRACES
    assert list(done.y) == [6.0, 5.0] and list(lost.y) == [2.0, 0.0]
    assert list(lost.text) == ["say/do 75%", "say/do 100%"]
    assert list(done.x)[1] == "S2 &amp; &lt;b&gt;co&lt;/b&gt;"
    assert fig.layout.barmode == "stack" and done.marker.color == BLUE


def test_flow_chart_shows_created_resolved_and_the_running_net():
    table = pd.DataFrame({"sprint": NAMES[:3], "created_items": [5, 3, 4], "resolved_items": [2, 4, 4],
                          "net_items": [3, -1, 0], "cumulative_net_items": [3, 2, 2]})
    fig = lc.flow_chart(L.FlowSummary(table, 12, 10, 2, 0.0, 0.0, 1, True))
    assert [t.name for t in fig.data] == list(lc.FLOW_TRACES)
    assert [list(t.y) for t in fig.data] == [[5, 3, 4], [2, 4, 4], [3, 2, 2]]
    assert fig.data[0].marker.color == ORANGE


def test_cost_chart_puts_hours_on_the_right_axis():
    table = pd.DataFrame({"sprint": NAMES[:2], "unplanned_points": [2.0, 6.0], "unplanned_hours": [5.0, 12.0],
                          "points_money": [200.0, 600.0], "hours_money": [float("nan")] * 2})
    cost = L.CostOfStaying(table, 2, 100.0, None, 4.0, 8.5, 400.0, None, 8.0, 17.0, 800.0, None)
    fig = lc.cost_chart(cost, "€")
    assert list(fig.data[0].y) == [2.0, 6.0] and list(fig.data[1].y) == [5.0, 12.0]
    assert fig.data[1].yaxis == "y2" and "€" in fig.data[0].hovertemplate
    assert "€" not in fig.data[1].hovertemplate   # no hour value set


def case(r: float) -> InvestmentCase:
    table = project(10, 4, 2, r, 4)
    be, net, roi = outcome(table)
    return InvestmentCase(["S1"], 10.0, 4.0, 2, r, 4, be, net, roi, table)


def test_projection_and_scenarios():
    fig = lc.projection_chart(case(0.5))
    assert list(fig.data[0].y) == [10, 10, 10, 10] and list(fig.data[1].y) == [7.5, 5, 5, 5]
    assert [(s.x0, s.x1) for s in fig.layout.shapes] == [(0.5, 2.5)]
    cases = {"cautious": case(0.25), "expected": case(0.5), "optimistic": case(0.75)}
    fig = lc.scenarios_chart(cases)
    assert [t.name for t in fig.data] == ["Cautious (r × 0.5), r = 25%", "Expected (r), r = 50%",
                                          "Optimistic (r × 1.5), r = 75%"]
    assert list(fig.data[1].y) == pytest.approx([-1.5, -0.5, 4.5, 9.5])
    assert [t.line.dash for t in fig.data] == ["dash", "solid", "dot"] and fig.data[2].line.color == GREEN


def test_sensitivity_heat_map_marks_never_and_the_current_case():
    grid = L.sensitivity(10, 2, 4, [0.2, 0.5, 1.0], [4.0, 8.0])
    fig = lc.sensitivity_chart(grid, 0.5, 4.0, 4)
    heat = fig.data[0]
    assert list(heat.y) == ["20%", "50%", "100%"] and list(heat.x) == ["4", "8"]
    assert [list(row) for row in heat.z] == [[None, None], [3, 4], [1, 3]]
    assert [list(row) for row in heat.text] == [["never", "never"], ["3", "4"], ["1", "3"]]
    outline = fig.layout.shapes[0]
    assert (outline.x0, outline.x1, outline.y0, outline.y1) == (-0.5, 0.5, 0.5, 1.5)
