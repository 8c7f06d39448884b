"""The one-sentence summaries beside the charts: hand-built inputs, exact sentences."""

from __future__ import annotations

import pandas as pd

from analytics.reserve import ReserveAdequacy
from ui import summaries


def test_reserve_summary():
    adequacy = ReserveAdequacy(["S1", "S2"], [4.0, 12.0], 6, 0.8, 10.4, 10.0, 0.5, 0.5, "adequate")
    assert summaries.reserve_summary(adequacy) == (
        "In words: the current reserve of 10 points covered 50% of the window's sprints; the recommended 10.4 "
        "points would have covered 50%.")
    empty = ReserveAdequacy([], [], 6, 0.8, None, 10.0, None, None, None)
    assert summaries.reserve_summary(empty) == "In words: there is no recommendation yet."


def test_over_time_summary_names_the_busiest_period():
    frame = pd.DataFrame({"period": ["Jan 2026", "Jan 2026", "Feb 2026"],
                          "period_start": pd.to_datetime(["2026-01-01", "2026-01-01", "2026-02-01"]),
                          "category": ["a", "b", "a"], "incidents": [2, 1, 3], "recurrences": [1, 0, 2]})
    assert summaries.over_time_summary(frame, "month") == (
        "In words: 6 incidents over 2 months; the busiest month was Jan 2026 with 3 incidents, 1 of them "
        "recurrences.")
    assert summaries.over_time_summary(frame.iloc[0:0], "month") == "In words: no incidents to show."


def test_category_cost_summary():
    costs = pd.DataFrame({"category": ["monitoring", "deployment"], "incidents": [15, 1], "recurrences": [9, 0],
                          "unplanned_points": [21.0, 2.5]})
    assert summaries.category_cost_summary(costs) == (
        "In words: monitoring recurs most, 9 recurrences in 15 incidents, which caused 21 unplanned points; all "
        "categories together caused 23.5.")


def test_resolve_summary_names_the_slowest_group():
    times = pd.DataFrame({"group": ["a", "b", "c"], "resolved": [3, 1, 0], "median_hours": [2.0, 8.25, None],
                          "p90_hours": [4.0, 8.25, None]})
    assert summaries.resolve_summary(times, "category") == (
        "In words: the slowest category to resolve is b, median 8.2 h and p90 8.2 h over 1 resolved incident.")
    assert summaries.resolve_summary(times.iloc[2:], "severity") == "In words: no incident has been resolved yet."


def test_coverage_summary():
    assert summaries.coverage_summary(0.75, 3, 4) == (
        "In words: 3 of the 4 severity 1–2 incidents have a post-mortem (75%).")
    assert summaries.coverage_summary(None, 0, 0) == "In words: no severity 1–2 incident, so nothing to cover."


def test_load_summary_gives_the_spread_without_names():
    load = pd.DataFrame({"person": ["Ana", "Tom", "Li"], "shift_hours": [100.0, 300.0, 168.0],
                         "incidents": [2, 9, 4]})
    text = summaries.load_summary(load)
    assert text == ("In words: shift hours per person range from 100 to 300 h (median 168 h); incidents during "
                    "shifts from 2 to 9 per person.")
    assert not any(name in text for name in load["person"])
