"""The planning figure builders draw exactly the metric values, with the reserve lines where they belong."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics import planning_charts as pc
from analytics import trends
from tests.test_charts import OKABE_ITO, same, trace


def toy_series() -> pd.DataFrame:
    """Three completed sprints and one in progress (never drawn by these per-sprint charts)."""
    return pd.DataFrame({
        "sprint": ["S1", "S2", "S3", "S4"],
        "completed": [True, True, True, False],
        "planned_done_points": [20.0, 12.0, 18.0, 3.0],
        "unplanned_points": [4.0, 14.0, 6.0, 1.0],
        "planned_done_hours": [60.0, 30.0, 50.0, 5.0],
        "unplanned_hours": [10.0, 40.0, 12.0, 2.0],
        "planned_done_items": [8, 5, 7, 1],
        "unplanned_items": [2, 6, 3, 1],
        "committed_points": [24.0, 20.0, 22.0, 30.0],
        "committed_done_points": [20.0, 12.0, 18.0, 3.0],
        "say_do": [20 / 24, 0.6, 18 / 22, 0.1],
        "carryover_points": [0.0, 5.0, 3.0, 8.0],
        "added_mid_sprint_points": [4.0, 12.0, 5.0, 0.0],
    })


def colours(fig) -> set[str]:
    out = set()
    for t in fig.data:
        marker = getattr(t, "marker", None)
        if marker is not None and isinstance(marker.color, str):
            out.add(marker.color)
        line = getattr(t, "line", None)
        if t.type == "scatter" and line is not None and line.color:
            out.add(line.color)
    return out


@pytest.mark.parametrize("unit, planned, unplanned", [
    ("points", [20, 12, 18], [4, 14, 6]),
    ("hours", [60, 30, 50], [10, 40, 12]),
    ("items", [8, 5, 7], [2, 6, 3]),
])
def test_planned_unplanned_bars_in_each_unit(unit, planned, unplanned):
    fig = pc.planned_unplanned_chart(toy_series(), unit)
    p, u = trace(fig, pc.PLANNED_TRACES[0]), trace(fig, pc.PLANNED_TRACES[1])
    assert list(p.x) == list(u.x) == ["S1", "S2", "S3"]
    assert same(p.y, planned) and same(u.y, unplanned)
    assert fig.layout.barmode == "stack"
    assert u.marker.pattern.shape == "/" and colours(fig) <= OKABE_ITO


def test_scope_chart_is_the_swarmia_breakdown():
    fig = pc.scope_chart(toy_series())
    fresh, carry, added, completed = (trace(fig, n) for n in pc.SCOPE_TRACES)
    assert same(fresh.y, [24, 15, 19])             # committed - carry-over
    assert same(carry.y, [0, 5, 3]) and same(carry.base, [24, 15, 19])
    assert same(added.y, [4, 12, 5]) and same(added.base, [24, 20, 22])   # on top of the commitment
    assert same(completed.y, [24, 26, 24])         # planned done + unplanned
    assert {t.offsetgroup for t in (fresh, carry, added)} == {"scope"} and completed.offsetgroup == "completed"
    assert colours(fig) <= OKABE_ITO


def test_say_do_chart():
    fig = pc.say_do_chart(toy_series())
    committed, delivered, ratio = (trace(fig, n) for n in pc.SAY_DO_TRACES)
    assert same(committed.y, [24, 20, 22]) and same(delivered.y, [20, 12, 18])
    assert same(ratio.y, [20 / 24, 0.6, 18 / 22]) and ratio.yaxis == "y2"
    assert colours(fig) <= OKABE_ITO


def test_trend_chart_draws_the_values_and_the_fitted_line():
    t = trends.linear_trend([2, 4, 5, 7], ["A", "B", "C", "D"])
    fig = pc.trend_chart(t)
    assert same(trace(fig, pc.TREND_TRACES[0]).y, [2, 4, 5, 7])
    line = trace(fig, pc.TREND_TRACES[1])
    assert same(line.y, [2.1, 3.7, 5.3, 6.9]) and "+1.6 points a sprint" in line.name
    assert len(pc.trend_chart(trends.linear_trend([1, 2], ["A", "B"])).data) == 1   # no line without a trend


def test_rule_chart_has_both_counts():
    b = trends.RuleBreakdown(pd.DataFrame({"rule": ["type", "label", "added mid-sprint"], "items": [2, 1, 3],
                                           "points": [3.0, 3.0, 5.0], "first_items": [2, 1, 1],
                                           "first_points": [3.0, 3.0, 0.0]}), 4, 6.0, 2)
    fig = pc.rule_chart(b)
    every, first = trace(fig, pc.RULE_TRACES[0]), trace(fig, pc.RULE_TRACES[1])
    assert list(every.y) == ["type", "label", "added mid-sprint"]
    assert list(every.x) == [2, 1, 3] and list(first.x) == [2, 1, 1]
    assert list(every.customdata) == [3.0, 3.0, 5.0]


def test_breakdown_chart_keeps_the_largest():
    frame = pd.DataFrame({"value": [f"c{i}" for i in range(15)], "items": list(range(15, 0, -1)),
                          "points": [float(v) for v in range(30, 0, -2)]})
    fig = pc.breakdown_chart(frame, "component")
    (bars,) = fig.data
    assert list(bars.y) == [f"c{i}" for i in range(pc.BREAKDOWN_TOP)]
    assert same(bars.x, list(range(30, 30 - 2 * pc.BREAKDOWN_TOP, -2)))
    assert colours(fig) <= OKABE_ITO


def test_histogram_holds_the_window_values_and_the_reserve_lines():
    values = [8.0, 8.0, 10.0, 14.0, 21.0]
    fig = pc.unplanned_histogram(values, 10.0, 14.8, chosen=12.0)
    assert list(fig.data[0].x) == values and fig.data[0].xbins.size == 1
    assert [s.x0 for s in fig.layout.shapes] == [10.0, 14.8, 12.0]
    texts = [a.text for a in fig.layout.annotations]
    assert texts == ["current reserve 10", "recommended 14.8", "what-if 12"]
    # the lower line's label goes left, the higher one's right
    assert [a.xanchor for a in fig.layout.annotations][:2] == ["right", "left"]
    assert pc._bin_size(list(range(0, 91))) == 3.0


def test_overrun_chart_splits_each_sprint_at_its_reserve():
    window = pd.DataFrame({"sprint": ["W1", "W2", "W3"], "unplanned_points": [4.0, 9.0, 12.0],
                           "reserve_points": [6.0, 6.0, 8.0], "overrun_points": [0.0, 3.0, 4.0]})
    fig = pc.overrun_chart(window)
    within, over, reserve = (trace(fig, n) for n in pc.OVERRUN_TRACES)
    assert same(within.y, [4, 6, 8]) and same(over.y, [0, 3, 4]) and same(reserve.y, [6, 6, 8])
    assert over.marker.pattern.shape == "/" and colours(fig) <= OKABE_ITO


def test_tradeoff_chart():
    table = pd.DataFrame({"reserve": [0.0, 6.0, 12.0], "coverage": [0.0, 0.5, 1.0],
                          "planned_capacity": [40.0, 34.0, 28.0]})
    fig = pc.tradeoff_chart(table, 6.0, "capacity")
    assert same(trace(fig, pc.TRADEOFF_TRACES[0]).y, [0, 0.5, 1])
    capacity = trace(fig, pc.TRADEOFF_TRACES[1])
    assert same(capacity.y, [40, 34, 28]) and "capacity − reserve" in capacity.name
    assert [s.x0 for s in fig.layout.shapes] == [6.0]


def test_hours_chart_with_median_and_p80():
    h = trends.HoursSummary(True, ["W1", "W2"], [10.0, 30.0], 20.0, 26.0)
    fig = pc.hours_chart(h)
    assert same(fig.data[0].y, [10, 30])
    assert [s.y0 for s in fig.layout.shapes] == [20.0, 26.0]
    assert [a.text for a in fig.layout.annotations] == ["median 20.0 h", "p80 26.0 h"]


def test_names_from_the_data_show_literally_not_as_plotly_html():
    series = toy_series().assign(sprint=['<a href="https://x.example">S1</a>', "S2 & co", "S3", "S4"])
    fig = pc.planned_unplanned_chart(series)
    assert list(fig.data[0].x) == ['&lt;a href="https://x.example"&gt;S1&lt;/a&gt;', "S2 &amp; co", "S3"]
    frame = pd.DataFrame({"value": ["<b>bold</b>"], "items": [1], "points": [2.0]})
    assert list(pc.breakdown_chart(frame, "label").data[0].y) == ["&lt;b&gt;bold&lt;/b&gt;"]
