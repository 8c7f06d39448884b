"""The figure builders draw exactly the metric values (fig.data[i].y) and the knobs' lines."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analytics import charts, investment, reserve, sprints, store
from analytics.config import Knobs

OKABE_ITO = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}


def values(seq) -> list[float | None]:
    """Plain floats, with None for a missing value (None or NaN)."""
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in seq]


def same(actual, expected) -> bool:
    return values(actual) == pytest.approx(values(expected), nan_ok=True) if None not in values(expected) else (
        [v is None for v in values(actual)] == [v is None for v in values(expected)]
        and [v for v in values(actual) if v is not None] == pytest.approx([v for v in values(expected)
                                                                          if v is not None]))


def trace(fig, name: str):
    return next(t for t in fig.data if t.name.startswith(name))


def toy_series() -> pd.DataFrame:
    """Five completed sprints (one without completed work), one in progress, one not started."""
    return pd.DataFrame({
        "sprint": ["S1", "S2", "S3", "S4", "S5", "S6", "S7"],
        "completed": [True, True, True, True, True, False, False],
        "unplanned_share": [0.2, 0.6, None, 0.3, 0.7, 0.4, None],
        "firefighting": [False, True, False, False, True, False, False],
        "unplanned_points": [2.0, 6.0, 0.0, 3.0, 7.0, 2.0, 0.0],
        "planned_done_points": [8.0, 4.0, 0.0, 7.0, 3.0, 3.0, 0.0],
    })


def test_share_chart_bars_are_the_unplanned_shares_split_by_firefighting():
    fig = charts.unplanned_share_chart(toy_series(), 0.5)
    x = ["S1", "S2", "S3", "S4", "S5", "S6"]          # S7 has no completed work and is not completed: no bar
    normal, hot, open_ = (trace(fig, n) for n in charts.SHARE_TRACES[:3])
    assert list(normal.x) == list(hot.x) == list(open_.x) == x
    assert same(normal.y, [0.2, None, None, 0.3, None, None])
    assert same(hot.y, [None, 0.6, None, None, 0.7, None])
    assert same(open_.y, [None, None, None, None, None, 0.4])
    assert list(fig.layout.xaxis.categoryarray) == x
    # Hover data: unplanned and planned points behind each share.
    assert [tuple(c) for c in normal.customdata][:2] == [(2.0, 8.0), (6.0, 4.0)]


def test_share_chart_threshold_line_is_at_the_knob():
    for threshold in (0.25, 0.5, 0.85):
        fig = charts.unplanned_share_chart(toy_series(), threshold)
        (line,) = fig.layout.shapes
        assert line.y0 == line.y1 == threshold
        assert f"{threshold:.0%}" in fig.layout.annotations[0].text


def test_share_chart_trend_is_the_rolling_mean_of_completed_sprints():
    fig = charts.unplanned_share_chart(toy_series(), 0.5)
    trend = trace(fig, "Trend")
    assert list(trend.x) == ["S1", "S2", "S3", "S4", "S5"]
    # A window with a sprint without share has no mean; S4..S5 windows contain S3.
    assert same(trend.y, [None, None, None, None, None])
    series = toy_series().assign(unplanned_share=[0.2, 0.6, 0.1, 0.3, 0.7, 0.4, None])
    trend = trace(charts.unplanned_share_chart(series, 0.5), "Trend")
    assert same(trend.y, [None, None, (0.2 + 0.6 + 0.1) / 3, (0.6 + 0.1 + 0.3) / 3, (0.1 + 0.3 + 0.7) / 3])


def test_share_chart_uses_colour_blind_safe_colours_and_a_pattern_for_firefighting():
    fig = charts.unplanned_share_chart(toy_series(), 0.5)
    colours = {t.marker.color for t in fig.data if t.type == "bar"} | {trace(fig, "Trend").line.color}
    assert colours <= OKABE_ITO | {charts.GREY}
    assert trace(fig, charts.SHARE_TRACES[1]).marker.pattern.shape == "/"


@pytest.fixture(scope="module")
def sample_series():
    con = store.open_store(":memory:")
    try:
        yield sprints.sprint_series(con, Knobs(), None)
    finally:
        con.close()


def test_share_chart_on_the_sample_equals_sprint_series(sample_series):
    knobs = Knobs()
    fig = charts.unplanned_share_chart(sample_series, knobs.firefight_threshold)
    done = sample_series[sample_series["completed"]]
    normal, hot = trace(fig, charts.SHARE_TRACES[0]), trace(fig, charts.SHARE_TRACES[1])
    by_sprint = dict(zip(normal.x, zip(normal.y, hot.y)))
    for _, row in done.iterrows():
        a, b = by_sprint[row["sprint"]]
        assert (b if row["firefighting"] else a) == pytest.approx(row["unplanned_share"])
        assert (a if row["firefighting"] else b) is None
    assert same(trace(fig, "Trend").y, charts.rolling_share(sample_series))


def test_reserve_chart_shows_window_points_and_both_reserves(sample_series):
    adequacy = reserve.reserve_adequacy(sample_series, Knobs())
    fig = charts.reserve_chart(adequacy)
    within, above, current, recommended = (trace(fig, n) for n in charts.RESERVE_TRACES)
    assert list(within.x) == adequacy.window_sprints
    bars = [a if a is not None else b for a, b in zip(within.y, above.y)]
    assert bars == adequacy.window_unplanned_points
    assert all(v <= adequacy.current_reserve_points for v in within.y if v is not None)
    assert all(v > adequacy.current_reserve_points for v in above.y if v is not None)
    n = len(adequacy.window_sprints)
    assert list(current.y) == [adequacy.current_reserve_points] * n
    assert list(recommended.y) == pytest.approx([adequacy.recommended_points] * n)


def test_investment_chart_traces_are_the_projection(sample_series):
    case = investment.investment_case(sample_series, Knobs())
    fig = charts.investment_chart(case)
    saved, invested, net = (trace(fig, n) for n in charts.INVESTMENT_TRACES)
    assert list(net.x) == list(case.projection["t"])
    assert same(saved.y, case.projection["saved"])
    assert same(invested.y, -case.projection["cost"])
    assert same(net.y, case.projection["cumulative_net"])
    if case.break_even_sprint is not None:
        assert fig.layout.shapes[0].x0 == case.break_even_sprint


def test_investment_chart_without_break_even_has_no_marker():
    table = investment.project(10.0, 50.0, 6, 0.1, 12)
    case = investment.InvestmentCase(["S1"], 10.0, 50.0, 6, 0.1, 12, *investment.outcome(table), table)
    assert case.break_even_sprint is None
    assert not charts.investment_chart(case).layout.shapes
