"""analytics.trends on hand-built data: every expected value is worked out in the comments."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from analytics import sprints, store, trends
from analytics.config import Knobs
from analytics.exports import formula_safe_csv
from analytics.reserve import window as reserve_window
from tests import reference_trends as ref
from tests.builders import insert, item, new_store, sprint


# --- Student's t and the trend --------------------------------------------------------------------------------

@pytest.mark.parametrize("p, df, table", [
    (0.95, 1, 6.3138), (0.95, 2, 2.9200), (0.95, 5, 2.0150), (0.95, 12, 1.7823), (0.95, 30, 1.6973),
    (0.975, 10, 2.2281), (0.975, 3, 3.1824),
])
def test_t_quantile_matches_the_printed_table(p, df, table):
    assert trends.t_quantile(p, df) == pytest.approx(table, abs=5e-5)


def test_t_quantile_rejects_what_it_cannot_answer():
    with pytest.raises(ValueError):
        trends.t_quantile(0.4, 3)
    with pytest.raises(ValueError):
        trends.t_quantile(0.95, 0)


def test_slope_and_interval_on_three_sprints():
    # x = 0, 1, 2; y = 1, 2, 4: mean x 1, mean y 7/3; Sxy = (-1)(-4/3) + 0 + (1)(5/3) = 3; Sxx = 2 -> slope 1.5
    # intercept 7/3 - 1.5 = 0.8333; residuals 1/6, -1/3, 1/6; SSE = 1/6; SE = sqrt(SSE / 1 / 2) = 0.288675
    # t(0.95, 1) = 6.313752 -> half width 1.822618 -> [-0.3226, 3.3226]: contains 0
    t = trends.linear_trend([1, 2, 4], ["S1", "S2", "S3"])
    assert t.slope == pytest.approx(1.5)
    assert t.intercept == pytest.approx(5 / 6)
    assert (t.low, t.high) == (pytest.approx(1.5 - 1.822618, abs=1e-5), pytest.approx(1.5 + 1.822618, abs=1e-5))
    assert t.could_be_flat is True
    assert t.fitted() == pytest.approx([5 / 6, 5 / 6 + 1.5, 5 / 6 + 3])
    assert t.n == 3 and t.sprints == ["S1", "S2", "S3"]
    assert trends.trend_words(t) == "rising about 1.5 points a sprint; could be flat"


def test_slope_and_interval_on_four_sprints():
    # y = 2, 4, 5, 7: Sxy = 3.75 + .25 + .25 + 3.75 = 8, Sxx = 5 -> slope 1.6, intercept 4.5 - 2.4 = 2.1
    # residuals -.1, .3, -.3, .1 -> SSE .2; SE = sqrt(.2 / 2 / 5) = 0.141421; t(0.95, 2) = 2.919986
    # half width 0.412951 -> [1.1870, 2.0130]: rising, not flat
    t = trends.linear_trend([2, 4, 5, 7])
    assert t.slope == pytest.approx(1.6)
    assert t.low == pytest.approx(1.6 - 0.412951, abs=1e-5)
    assert t.high == pytest.approx(1.6 + 0.412951, abs=1e-5)
    assert t.could_be_flat is False
    assert trends.trend_words(t) == "rising about 1.6 points a sprint"
    assert trends.trend_words(trends.linear_trend([7, 5, 4, 2])) == "falling about 1.6 points a sprint"


def test_a_perfect_line_has_no_uncertainty_and_a_constant_is_flat():
    line = trends.linear_trend([1, 2, 3, 4])
    assert (line.slope, line.low, line.high) == pytest.approx((1.0, 1.0, 1.0))
    flat = trends.linear_trend([5, 5, 5, 5])
    assert flat.slope == 0 and flat.could_be_flat
    assert trends.trend_words(flat).startswith("flat")


def test_fewer_than_three_sprints_have_no_trend():
    t = trends.linear_trend([4, 9], ["A", "B"])
    assert t.slope is None and t.low is None and t.could_be_flat is None and t.fitted() == []
    assert trends.trend_words(t) == "not enough sprints for a trend (2)"


def test_unplanned_trend_reads_the_window_column():
    window = pd.DataFrame({"sprint": ["A", "B", "C", "D"], "unplanned_points": [2.0, 4.0, 5.0, 7.0],
                           "unplanned_hours": [1.0, 1.0, 1.0, 1.0]})
    assert trends.unplanned_trend(window).slope == pytest.approx(1.6)
    assert trends.unplanned_trend(window, "unplanned_hours").slope == pytest.approx(0.0)


# --- quarters ---------------------------------------------------------------------------------------------------

def quarter_series(rows):
    """(name, end, unplanned_points, share, completed) rows."""
    return pd.DataFrame([{"sprint": n, "end": pd.Timestamp(e), "unplanned_points": u, "unplanned_share": s,
                          "completed": c} for n, e, u, s, c in rows])


def test_quarter_split_by_the_end_date_of_completed_sprints():
    s = quarter_series([
        ("S1", "2026-03-31", 10.0, 0.5, True),    # Q1: neither this quarter nor last
        ("S2", "2026-04-01", 4.0, 0.2, True),     # Q2
        ("S3", "2026-06-30", 8.0, None, True),    # Q2, no completed work: no share
        ("S4", "2026-07-05", 6.0, 0.3, True),     # Q3: the latest completed sprint's quarter
        ("S5", "2026-07-19", 30.0, 0.9, False),   # in progress: not counted
    ])
    q = trends.quarter_comparison(s)
    assert (q.this.quarter, q.this.sprints, q.this.n) == ("2026 Q3", ["S4"], 1)
    assert (q.this.mean_unplanned_points, q.this.mean_unplanned_share) == (6.0, 0.3)
    assert (q.last.quarter, q.last.sprints) == ("2026 Q2", ["S2", "S3"])
    assert q.last.mean_unplanned_points == 6.0          # (4 + 8) / 2
    assert q.last.mean_unplanned_share == pytest.approx(0.2)  # S3 has no share
    assert q.change_points == 0.0 and q.change_share == pytest.approx(0.1)


def test_quarter_across_a_year_and_an_empty_previous_quarter():
    q = trends.quarter_comparison(quarter_series([("A", "2025-09-28", 1.0, 0.1, True),
                                                  ("B", "2026-01-11", 3.0, 0.3, True)]))
    assert q.this.quarter == "2026 Q1" and q.last.quarter == "2025 Q4"
    assert q.last.n == 0 and q.last.mean_unplanned_points is None and q.change_points is None
    assert trends.quarter_comparison(quarter_series([("A", "2026-01-11", 1.0, 0.1, False)])) is None


# --- items without points ------------------------------------------------------------------------------------

def classified(rows):
    """(key, points, hours, completion_sprint, by_type, by_label, by_mid_sprint) rows, as classified_items returns."""
    frame = pd.DataFrame([{"key": k, "points": p, "time_spent_hours": h, "completion_sprint": c, "by_type": t,
                           "by_label": lab, "by_mid_sprint": m, "type": "Story", "labels": [], "components": []}
                          for k, p, h, c, t, lab, m in rows])
    frame["points"] = frame["points"].astype(float)
    frame["time_spent_hours"] = frame["time_spent_hours"].astype(float)
    frame["unplanned"] = frame["by_type"] | frame["by_label"] | frame["by_mid_sprint"]
    return frame


@pytest.fixture
def no_points_items():
    return classified([
        ("P1", 5, 2.0, "S1", False, False, False),      # planned, 5 points
        ("P2", None, 6.0, "S1", False, False, False),   # planned, no points, 6 hours
        ("U1", 3, None, "S1", True, False, False),      # unplanned, 3 points
        ("U2", None, 2.5, "S1", True, False, False),    # unplanned, no points, 2.5 hours
        ("U3", None, None, "S2", False, True, False),   # unplanned, no points, no hours
        ("X", None, 9.0, None, True, False, False),     # completed in no sprint: never counted
    ])


@pytest.mark.parametrize("mode, default, s1, s2", [
    # (planned done, unplanned) per sprint
    ("zero", 0, (5, 3), (0, 0)),          # METRICS.md: missing points are 0
    ("default", 2, (7, 5), (0, 2)),       # each item without points counts 2
    ("hours", 0, (11, 5.5), (0, 0)),      # P2 counts 6, U2 2.5, U3 has no hours: 0
])
def test_items_without_points_counted_three_ways(no_points_items, mode, default, s1, s2):
    sums = ref.completed_sums(ref.counted_points(no_points_items, mode, default)).set_index("sprint")
    assert list(sums.index) == ["S1", "S2"]
    assert (sums.loc["S1", "planned_done_points"], sums.loc["S1", "unplanned_points"]) == s1
    assert (sums.loc["S2", "planned_done_points"], sums.loc["S2", "unplanned_points"]) == s2
    assert sums.loc["S1", "unplanned_share"] == pytest.approx(s1[1] / sum(s1))
    assert (sums.loc["S1", "planned_done_items"], sums.loc["S1", "unplanned_items"]) == (2, 2)
    assert (sums.loc["S1", "planned_without_points"], sums.loc["S1", "unplanned_without_points"]) == (1, 1)
    assert (sums.loc["S2", "unplanned_without_points"]) == 1


def test_a_sprint_with_nothing_counted_has_no_share(no_points_items):
    sums = ref.completed_sums(ref.counted_points(no_points_items, "zero")).set_index("sprint")
    assert math.isnan(sums.loc["S2", "unplanned_share"])


def test_an_unknown_counting_mode_is_an_error(no_points_items):
    with pytest.raises(ValueError, match="mode"):
        ref.counted_points(no_points_items, "median")


def test_counted_sums_replace_the_completed_work_of_the_series(no_points_items):
    series = pd.DataFrame({"sprint": ["S1", "S2", "S3"], "planned_done_points": [5.0, 0.0, 0.0],
                           "unplanned_points": [3.0, 0.0, 0.0], "unplanned_share": [0.375, None, None],
                           "reserve_points": [4.0, 0.5, 1.0], "overrun_points": [0.0, 0.0, 0.0],
                           "committed_points": [9.0, 1.0, 0.0], "firefighting": [False, False, False]})
    sums = ref.completed_sums(ref.counted_points(no_points_items, "default", 2))
    out = trends.with_counted_points(series, sums, threshold=0.5)
    assert list(out["planned_done_points"]) == [7.0, 0.0, 0.0]
    assert list(out["unplanned_points"]) == [5.0, 2.0, 0.0]
    assert out["unplanned_share"].tolist()[:2] == pytest.approx([5 / 12, 1.0])
    assert math.isnan(out["unplanned_share"].iloc[2])
    assert list(out["overrun_points"]) == [1.0, 1.5, 0.0]    # 5 - 4, 2 - 0.5, none
    assert list(out["firefighting"]) == [False, True, False]
    assert list(out["committed_points"]) == [9.0, 1.0, 0.0]  # untouched: METRICS.md counting


def test_counting_as_zero_reproduces_the_report_on_the_sample(sample_store):
    con = store.open_store(str(sample_store))
    try:
        for knobs in (Knobs(), Knobs(rule_added_mid_sprint=False, unplanned_labels=("interrupt",))):
            series = sprints.sprint_series(con, knobs)
            items = sprints.classified_items(con, knobs)
            out = trends.with_counted_points(series, ref.completed_sums(ref.counted_points(items)),
                                             knobs.firefight_threshold)
            for column in ("planned_done_points", "unplanned_points", "overrun_points", "firefighting"):
                assert out[column].tolist() == series[column].tolist(), column
            assert out["unplanned_share"].tolist() == pytest.approx(series["unplanned_share"].tolist(), nan_ok=True)
            sums = ref.completed_sums(ref.counted_points(items)).set_index("sprint")
            done = series.set_index("sprint").loc[sums.index]
            assert sums["planned_done_items"].tolist() == done["planned_done_items"].tolist()
            assert sums["unplanned_items"].tolist() == done["unplanned_items"].tolist()
            assert (sums["planned_without_points"] + sums["unplanned_without_points"]).tolist() == \
                done["completed_items_without_points"].tolist()
    finally:
        con.close()


# --- why it was unplanned -------------------------------------------------------------------------------------

@pytest.fixture
def rule_items():
    frame = classified([
        ("A", 1, None, "S1", True, False, False),    # type only
        ("B", 2, None, "S1", True, False, True),     # type and added mid-sprint: first rule type
        ("C", 3, None, "S2", False, True, True),     # label and added mid-sprint: first rule label
        ("D", None, None, "S2", False, False, True),  # added mid-sprint only, no points
        ("E", 5, None, "S2", False, False, False),   # planned
        ("F", 8, None, "S0", True, True, True),      # unplanned but completed outside the sprints asked about
    ])
    frame["type"] = ["Bug", "Bug", "Story", "Task", "Story", "Bug"]
    frame["components"] = [["API"], ["API", "Web"], [], ["Web"], ["API"], ["API"]]
    frame["labels"] = [[], ["hotfix"], ["interrupt", "hotfix"], [], [], ["x"]]
    return frame


def test_rule_breakdown_counts_every_rule_and_the_first_matching_one(rule_items):
    b = ref.rule_breakdown(rule_items, ["S1", "S2"])
    assert b.items == 4 and b.points == 6.0 and b.several_rules == 2    # A, B, C, D; B and C match two rules
    table = b.table.set_index("rule")
    assert list(table.index) == ["type", "label", "added mid-sprint"]
    assert table["items"].tolist() == [2, 1, 3]            # type: A B; label: C; mid-sprint: B C D
    assert table["points"].tolist() == [3.0, 3.0, 5.0]
    assert table["first_items"].tolist() == [2, 1, 1]      # A B under type, C under label, D under mid-sprint
    assert table["first_points"].tolist() == [3.0, 3.0, 0.0]
    assert table["first_items"].sum() == b.items           # first-rule counts add up to the total


def test_rule_breakdown_follows_the_counting_option_and_an_empty_window(rule_items):
    counted = ref.counted_points(rule_items, "default", 4)
    assert ref.rule_breakdown(counted, ["S2"]).table.set_index("rule")["points"].tolist() == [0.0, 3.0, 7.0]
    empty = ref.rule_breakdown(rule_items, [])
    assert empty.items == 0 and empty.table["items"].tolist() == [0, 0, 0]


def test_why_unplanned_lists_every_matching_rule(rule_items):
    assert [trends.why_unplanned(r) for _, r in rule_items.iterrows()] == [
        "type", "type, added mid-sprint", "label, added mid-sprint", "added mid-sprint", "",
        "type, label, added mid-sprint"]


def test_breakdowns_by_type_component_and_label(rule_items):
    window = ["S1", "S2"]
    by_type = ref.unplanned_by(rule_items, window, "type")
    assert by_type.to_dict("records") == [{"value": "Bug", "items": 2, "points": 3.0},
                                          {"value": "Story", "items": 1, "points": 3.0},
                                          {"value": "Task", "items": 1, "points": 0.0}]
    # B counts under API and Web; C has no component; equal points: more items first
    by_component = ref.unplanned_by(rule_items, window, "component")
    assert by_component.to_dict("records") == [{"value": "API", "items": 2, "points": 3.0},
                                               {"value": "(none)", "items": 1, "points": 3.0},
                                               {"value": "Web", "items": 2, "points": 2.0}]
    by_label = ref.unplanned_by(rule_items, window, "label")
    assert by_label.to_dict("records") == [{"value": "hotfix", "items": 2, "points": 5.0},
                                           {"value": "interrupt", "items": 1, "points": 3.0},
                                           {"value": "(none)", "items": 2, "points": 1.0}]


# --- reserve what-ifs ------------------------------------------------------------------------------------------

def reserve_window_frame(capacity=(40.0, 40.0, 44.0, None)):
    return pd.DataFrame({
        "sprint": ["W1", "W2", "W3", "W4"],
        "unplanned_points": [4.0, 8.0, 12.0, 6.0],
        "planned_done_points": [30.0, 26.0, 20.0, 28.0],
        "reserve_points": [6.0, 6.0, 6.0, 6.0],
        "overrun_points": [0.0, 2.0, 6.0, 0.0],
        "say_do": [0.9, 0.8, 0.6, None],
        "capacity_points": list(capacity),
        "unplanned_hours": [10.0, 20.0, 40.0, 30.0],
    })


def test_overrun_cost_compares_say_do_and_planned_work():
    cost = trends.overrun_cost(reserve_window_frame())
    assert cost.overrun_sprints == ["W2", "W3"] and cost.other_sprints == ["W1", "W4"]
    assert cost.say_do_overrun == pytest.approx(0.7)     # (0.8 + 0.6) / 2
    assert cost.say_do_other == pytest.approx(0.9)       # W4 has no say/do
    assert (cost.planned_done_overrun, cost.planned_done_other) == (23.0, 29.0)


def test_what_if_with_capacity_and_without():
    w = trends.what_if(reserve_window_frame(), 8)
    assert w.coverage == 0.75                                        # 4, 8, 6 fit in 8
    assert (w.basis, w.basis_sprints) == ("capacity", ["W1", "W2", "W3"])
    assert w.basis_points == pytest.approx(124 / 3) and w.planned_capacity == pytest.approx(124 / 3 - 8)
    w = trends.what_if(reserve_window_frame(capacity=(None,) * 4), 5)
    assert w.basis == "throughput" and w.coverage == 0.25
    assert w.basis_points == pytest.approx(134 / 4)                  # (34 + 34 + 32 + 34) / 4 completed points
    assert w.planned_capacity == pytest.approx(33.5 - 5)
    assert trends.what_if(reserve_window_frame(), 100).planned_capacity == 0.0   # never below 0


def test_tradeoff_is_what_if_at_each_reserve():
    table = trends.reserve_tradeoff(reserve_window_frame(), [0, 6, 12])
    assert table["coverage"].tolist() == [0.0, 0.5, 1.0]
    assert table["planned_capacity"].tolist() == pytest.approx([124 / 3, 124 / 3 - 6, 124 / 3 - 12])


def test_monte_carlo_is_reproducible_with_the_seed():
    values = [4.0, 8.0, 12.0, 6.0, 9.0]
    a = trends.reserve_hold_probability(values, 8, trials=5000, seed=7)
    b = trends.reserve_hold_probability(values, 8, trials=5000, seed=7)
    assert a == b
    assert (a.trials, a.seed, a.horizon, a.sprints) == (5000, 7, 3, 5)
    c = trends.reserve_hold_probability(values, 8, trials=5000, seed=8)
    assert (c.next_sprint, c.all_of_horizon) != (a.next_sprint, a.all_of_horizon)
    # the same draws numpy makes for this seed
    draws = np.random.default_rng(7).choice(np.array(values), size=(5000, 3), replace=True)
    assert a.next_sprint == float((draws[:, 0] <= 8).mean())
    assert a.all_of_horizon == float((draws <= 8).all(axis=1).mean())


def test_monte_carlo_converges_to_coverage_and_its_cube():
    p = trends.reserve_hold_probability([1.0, 2.0, 3.0, 4.0], 2.0)       # 10,000 trials, the default seed
    assert p.trials == trends.MONTE_CARLO_TRIALS and p.seed == trends.MONTE_CARLO_SEED
    assert p.next_sprint == pytest.approx(0.5, abs=0.02)
    assert p.all_of_horizon == pytest.approx(0.125, abs=0.015)


def test_monte_carlo_degenerate_cases():
    values = [4.0, 8.0, 12.0]
    always = trends.reserve_hold_probability(values, 12)      # the reserve covers every window sprint
    assert (always.next_sprint, always.all_of_horizon) == (1.0, 1.0)
    never = trends.reserve_hold_probability(values, 3.5)
    assert (never.next_sprint, never.all_of_horizon) == (0.0, 0.0)
    none = trends.reserve_hold_probability([], 5)
    assert none.next_sprint is None and none.all_of_horizon is None and none.sprints == 0


def test_hours_median_and_p80_when_time_is_recorded():
    window = reserve_window_frame()
    items = pd.DataFrame({"completion_sprint": ["W1", "W9"], "time_spent_hours": [3.0, None]})
    h = ref.unplanned_hours_summary(window, items)
    # hours 10, 20, 40, 30 -> sorted 10 20 30 40; median 25; p80 at position 2.4 -> 30 + 0.4 * 10 = 34
    assert h.recorded and h.median == 25.0 and h.p80 == pytest.approx(34.0)
    assert h.sprints == ["W1", "W2", "W3", "W4"] and h.hours == [10.0, 20.0, 40.0, 30.0]
    absent = ref.unplanned_hours_summary(window, items.assign(time_spent_hours=[None, 5.0]))
    assert not absent.recorded and absent.median is None and absent.p80 is None


# --- drill-down (SQL with the sprint bound) and its export --------------------------------------------------

@pytest.fixture
def drill_con():
    con = new_store()
    insert(con, "sprints", [sprint("S1", "2026-01-05", "2026-01-18"), sprint("S2", "2026-01-19", "2026-02-01")])
    insert(con, "work_items", [
        item("A-1", created="2026-01-02 10:00", resolved="2026-01-10 12:00", points=5, sprints=["S1"],
             summary="=HYPERLINK(\"http://x\")", labels=["Interrupt"], components=["API", "Web"]),
        item("A-2", "Bug", created="2026-01-07 09:00", resolved="2026-01-08 09:00", hours=4, sprints=["S1"]),
        item("A-3", created="2026-01-03 10:00", resolved="2026-01-25 09:00", points=3, sprints=["S1", "S2"]),
        item("A-4", created="2026-01-03 10:00", resolved="2026-01-20 09:00", points=2, sprints=["S2"]),
        item("B-1", "Bug", created="2026-01-07 09:00", resolved="2026-01-08 09:00", points=1, sprints=["S1"],
             project="B"),
    ])
    return con


def test_drilldown_returns_only_the_sprints_items_classified(drill_con):
    frame = trends.sprint_items(drill_con, Knobs(), None, "S1")
    assert list(frame.columns) == list(trends.DRILLDOWN_COLUMNS)
    rows = {r["key"]: r for _, r in frame.iterrows()}
    assert set(rows) == {"A-1", "A-2", "A-3", "B-1"}                    # A-4 is only in S2
    assert rows["A-1"]["why_unplanned"] == "label" and rows["A-1"]["labels"] == "Interrupt"
    assert rows["A-1"]["components"] == "API, Web"
    # a Bug created two days into S1
    assert rows["A-2"]["why_unplanned"] == "type, added mid-sprint"
    assert math.isnan(rows["A-2"]["points"]) and rows["A-2"]["hours"] == 4
    assert rows["A-3"]["why_unplanned"] == "" and not rows["A-3"]["unplanned"]
    assert not rows["A-3"]["completed_here"]                              # completed in S2
    assert rows["A-1"]["completed_here"] and rows["A-2"]["completed_here"]
    assert list(frame["key"][:3]) == ["A-1", "A-2", "B-1"]                # unplanned first
    assert set(trends.sprint_items(drill_con, Knobs(), ("B",), "S1")["key"]) == {"B-1"}
    assert trends.sprint_items(drill_con, Knobs(), None, "no such sprint").empty
    # a switched-off rule is not a reason
    off = trends.sprint_items(drill_con, Knobs(rule_label=False), None, "S1").set_index("key")
    assert off.loc["A-1", "why_unplanned"] == "" and not off.loc["A-1", "unplanned"]


def test_drilldown_matches_the_sprint_series(drill_con):
    series = sprints.sprint_series(drill_con, Knobs()).set_index("sprint")
    for name in ("S1", "S2"):
        frame = trends.sprint_items(drill_con, Knobs(), None, name)
        done = frame[frame["completed_here"]]
        assert done[done["unplanned"]]["points"].fillna(0).sum() == series.loc[name, "unplanned_points"]
        assert done[~done["unplanned"]]["points"].fillna(0).sum() == series.loc[name, "planned_done_points"]


def test_drilldown_query_binds_the_sprint():
    text = (trends.queries.SQL_DIR / "sprint_drilldown.sql").read_text()
    assert "$sprint" in text and "WHERE list_contains(c.sprints, $sprint)" in text


def test_drilldown_export_is_formula_safe(drill_con):
    text = formula_safe_csv(trends.sprint_items(drill_con, Knobs(), None, "S1")).decode("utf-8-sig")
    assert '"\'=HYPERLINK(""http://x"")"' in text
    assert '"5.0"' in text or '"5"' in text                              # numbers stay numbers


def test_min_sprints_and_defaults_are_what_the_pages_say():
    assert trends.MIN_SPRINTS == 4 and trends.TREND_CONFIDENCE == 0.90
    assert trends.MONTE_CARLO_TRIALS == 10_000 and trends.MONTE_CARLO_HORIZON == 3


def test_window_trend_on_the_sample(sample_store):
    """The trend the page shows is the least-squares fit of the window's unplanned points (numpy's polyfit)."""
    con = store.open_store(str(sample_store))
    try:
        series = sprints.sprint_series(con, Knobs())
    finally:
        con.close()
    window = reserve_window(series, 6)
    t = trends.unplanned_trend(window)
    slope, intercept = np.polyfit(np.arange(len(window)), window["unplanned_points"].astype(float), 1)
    assert (t.slope, t.intercept) == (pytest.approx(slope), pytest.approx(intercept))
    assert t.n == len(window) and dt.date.fromisoformat(str(window["end"].iloc[-1])[:10]) <= dt.date(2026, 11, 25)
