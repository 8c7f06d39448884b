"""The leadership view on hand-built data: evidence, cost of staying, suggested r, debt plan, grid, sentences.

The store below (three completed sprints and one in progress):

    sprint  dates            planned completed (points)               unplanned completed
    S1      01-05 .. 01-18   P1 story 5 (P2 story 3 committed)        U1 bug 2, linked to INC-1 (monitoring)
    S2      01-19 .. 02-01   -- (P2 carried over, never done)         U2 hotfix 4 -> INC-2 (capacity); U3 support 1
    S3      02-02 .. 02-15   P3 story 6                               U4 incident 3 -> INC-3 (deployment)
    S4      02-16 .. 03-01   in progress (as of 2026-02-20)

Open debt items: D1 (tech-debt, "Add alerting for checkout": keyword "alert" -> monitoring, 3 points),
D2 (TechDebt, "Refactor basket": no rule, 5 points), A1 (linked to INC-2 -> capacity, 2 points).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analytics import leadership as L
from analytics.config import Knobs
from analytics.investment import InvestmentCase, outcome, project
from tests.builders import insert, item, new_store, sprint


def incident(id_: str, title: str, created: str, category: str | None = None, related: list[str] | None = None,
             resolved: str | None = None) -> dict:
    return {"id": id_, "title": title, "created": created, "resolved": resolved, "category": category,
            "related_keys": related or [], "severity": "P3"}


@pytest.fixture
def con():
    c = new_store()
    insert(c, "sprints", [sprint("S1", "2026-01-05", "2026-01-18", reserve=2),
                          sprint("S2", "2026-01-19", "2026-02-01", reserve=2),
                          sprint("S3", "2026-02-02", "2026-02-15", reserve=2),
                          sprint("S4", "2026-02-16", "2026-03-01", reserve=3)])
    insert(c, "work_items", [
        item("P1", created="2026-01-02 09:00", resolved="2026-01-10 12:00", points=5, sprints=["S1"], hours=10),
        item("P2", created="2026-01-02 09:00", points=3, sprints=["S1", "S2"]),
        item("U1", "Bug", created="2026-01-08 09:00", resolved="2026-01-09 17:00", points=2, sprints=["S1"], hours=6),
        item("U2", "Hotfix", created="2026-01-20 09:00", resolved="2026-01-22 17:00", points=4, sprints=["S2"],
             hours=12),
        item("U3", "Support", created="2026-01-25 09:00", resolved="2026-01-26 10:00", points=1, sprints=["S2"],
             hours=2),
        item("P3", created="2026-02-01 09:00", resolved="2026-02-10 12:00", points=6, sprints=["S3"]),
        item("U4", "Incident", created="2026-02-05 09:00", resolved="2026-02-06 09:00", points=3, sprints=["S3"],
             hours=5),
        item("D1", "Task", created="2026-01-03 09:00", points=3, labels=["tech-debt"],
             summary="Add alerting for checkout"),
        item("D2", "Task", created="2026-01-04 09:00", points=5, labels=["TechDebt"], summary="Refactor basket"),
        item("A1", "Task", created="2026-01-12 09:00", points=2, links=[("relates", "INC-2")],
             summary="Raise the connection pool limit"),
        item("A2", "Task", created="2026-01-12 09:00", resolved="2026-01-30 09:00", points=1,
             links=[("relates", "INC-1")], summary="Done follow-up"),
        item("X", created="2026-02-16 09:00", resolved="2026-02-20 09:00", points=1, sprints=["S4"]),
    ])
    insert(c, "incidents", [
        incident("INC-1", "Alert did not fire", "2026-01-08 08:00", "monitoring", ["U1"]),
        incident("INC-2", "Pool exhausted", "2026-01-20 08:00", "capacity", ["U2"]),
        incident("INC-3", "Bad deploy", "2026-02-05 08:00", "deployment", ["U4"]),
        incident("INC-4", "Alert storm", "2026-02-07 08:00", "monitoring"),
    ])
    insert(c, "oncall_shifts", [
        {"person": "Ann", "start": "2026-01-01 09:00", "end": "2026-01-12 09:00"},   # clipped to the period
        {"person": "Ben", "start": "2026-01-19 09:00", "end": "2026-01-26 09:00"},
        {"person": "Ann", "start": "2026-02-03 09:00", "end": "2026-02-10 09:00"},
    ])
    yield c
    c.close()


def test_period_is_the_last_n_completed_sprints_or_an_episode(con):
    view = L.collect(con, Knobs(), settings=L.Settings(period_sprints=2))
    assert view.period.sprints == ("S2", "S3")
    assert (view.period.start, view.period.end) == (dt.date(2026, 1, 19), dt.date(2026, 2, 15))
    assert view.period.bounds == (dt.datetime(2026, 1, 19), dt.datetime(2026, 2, 16))
    # threshold 0.3: S1 2/7, S2 5/5, S3 3/9 -> S2 and S3 firefighting: one episode of 2
    view = L.collect(con, Knobs(firefight_threshold=0.3), settings=L.Settings(episode=0))
    assert view.period.label == "episode S2 – S3 (2 sprints)"
    assert view.period.sprints == ("S2", "S3")
    # an episode index that no longer exists falls back to the last N sprints
    assert L.collect(con, Knobs(), settings=L.Settings(episode=3)).period.sprints == ("S1", "S2", "S3")


def test_planned_delivery_lost(con):
    d = L.collect(con, Knobs()).delivery
    # committed: S1 P1 5 + P2 3; S2 P2 3 (carried over); S3 P3 6 (created 02-01, before the start)
    assert d.table["committed_points"].tolist() == [8, 3, 6]
    assert d.table["committed_done_points"].tolist() == [5, 0, 6]
    assert d.table["planned_lost_points"].tolist() == [3, 3, 0]
    assert (d.committed_points, d.committed_done_points, d.planned_lost_points) == (17, 11, 6)
    assert d.say_do == pytest.approx(11 / 17)
    assert d.unplanned_share == pytest.approx(10 / 21)   # unplanned 2 + 5 + 3; planned done 5 + 6


def test_net_flow_counts_items_created_and_resolved_in_each_sprint(con):
    flow = L.backlog_flow(con, Knobs()).set_index("sprint")
    # S1 (01-05..01-18): created U1, A1, A2; resolved P1, U1
    assert flow.loc["S1", ["created_items", "resolved_items", "net_items"]].tolist() == [3, 2, 1]
    # S2 (01-19..02-01): created U2, U3, P3; resolved U2, U3, A2
    assert flow.loc["S2", ["created_items", "resolved_items", "net_items"]].tolist() == [3, 3, 0]
    # S3: created U4; resolved P3, U4
    assert flow.loc["S3", ["created_items", "resolved_items", "net_items"]].tolist() == [1, 2, -1]
    assert flow.loc["S1", "created_points"] == 2 + 2 + 1
    summary = L.collect(con, Knobs()).flow
    assert (summary.created_items, summary.resolved_items, summary.net_items) == (7, 7, 0)
    assert summary.table["cumulative_net_items"].tolist() == [1, 1, 0]
    assert summary.growing is False and summary.growing_sprints == 1


def test_recurring_categories_in_the_period_with_their_dod_gap(con):
    view = L.collect(con, Knobs(), settings=L.Settings(period_sprints=2))
    cats = view.categories.set_index("category")
    # INC-1 (01-08) is before the period; INC-4 repeats INC-1 within 90 days
    assert sorted(cats.index) == ["capacity", "deployment", "monitoring"]
    assert cats.loc["monitoring", ["incidents", "recurrences"]].tolist() == [1, 1]
    assert cats.loc["capacity", "unplanned_points"] == 4 and cats.loc["deployment", "unplanned_points"] == 3
    assert cats.loc["monitoring", "unplanned_points"] == 0   # U1 was completed in S1
    assert cats.loc["monitoring", "dod_gap"] == "alerting and dashboards exist before release"
    assert cats.loc["deployment", "dod_gap"] == "rollback tested"
    assert view.categories["category"].iloc[0] == "monitoring"   # the repeat ranks first


def test_oncall_load_is_clipped_to_the_period(con):
    view = L.collect(con, Knobs(), settings=L.Settings(period_sprints=3))
    load = view.oncall.set_index("person")
    # Ann: 01-05 00:00 .. 01-12 09:00 (177 h) + 02-03 .. 02-10 (168 h); Ben 168 h
    assert load.loc["Ann", "shift_hours"] == pytest.approx(177 + 168)
    assert load.loc["Ben", "shift_hours"] == pytest.approx(168)
    # Ann: INC-1 (Thu 01-08 08:00) and INC-3 (Thu 02-05 08:00) and INC-4 (Sat 02-07 08:00); Ben: INC-2
    assert load.loc["Ann", "incidents"] == 3 and load.loc["Ann", "out_of_hours_incidents"] == 1
    assert load.loc["Ben", "incidents"] == 1
    assert view.oncall_summary.incidents == 4 and view.oncall_summary.people == 2
    assert view.oncall_summary.incidents_max_min == pytest.approx(3.0)


def test_cost_of_staying_in_points_hours_and_money(con):
    view = L.collect(con, Knobs(point_value=500.0), settings=L.Settings(hour_value=80.0, currency="€"))
    cost = view.cost
    assert cost.table["unplanned_points"].tolist() == [2, 5, 3]
    assert cost.table["unplanned_hours"].tolist() == [6, 14, 5]
    assert (cost.total_points, cost.total_hours) == (10, 25)
    assert cost.mean_points == pytest.approx(10 / 3) and cost.mean_hours == pytest.approx(25 / 3)
    assert cost.total_points_money == 5000 and cost.total_hours_money == 2000
    assert cost.table["points_money"].tolist() == [1000, 2500, 1500]
    plain = L.collect(con, Knobs()).cost
    assert plain.total_points_money is None and plain.mean_hours_money is None


def test_debt_items_and_their_categories(con):
    debt = L.debt_items(con, Knobs()).set_index("key")
    assert sorted(debt.index) == ["A1", "D1", "D2"]               # A2 is resolved: not open debt
    assert debt.loc["A1", "category"] == "capacity" and debt.loc["A1", "category_rule"] == "linked incident INC-2"
    assert debt.loc["D1", "category"] == "monitoring" and debt.loc["D1", "category_rule"] == 'keyword "alert"'
    assert pd.isna(debt.loc["D2", "category"]) and debt.loc["D2", "category_rule"] == "no rule matched"
    assert bool(debt.loc["D2", "debt_label"])                      # TechDebt: any case


def test_suggested_reduction(con):
    s = L.collect(con, Knobs()).suggested
    # baseline S1..S3: unplanned 2 + 5 + 3 = 10; linked in categories with open debt (monitoring, capacity):
    # U1 2 (monitoring) + U2 4 (capacity); U4 (deployment) has no open debt item; U3 is not linked
    assert s.categories == ["capacity", "monitoring"]
    assert (s.linked_points, s.unplanned_points) == (6, 10)
    assert s.value == pytest.approx(0.6)
    assert sorted(s.items["key"]) == ["U1", "U2"]
    # baseline of 1 sprint (S3): only U4 (deployment) is linked, and deployment has no open debt
    assert L.collect(con, Knobs(baseline_sprints=1)).suggested.value == 0.0


def test_suggested_reduction_without_unplanned_work_is_none():
    frame = pd.DataFrame({"sprint": ["S1"], "unplanned_points": [0.0], "completed": [True]})
    empty = pd.DataFrame(columns=["key", "summary", "type", "category", "pts", "hrs", "completion_sprint"])
    debt = pd.DataFrame(columns=["key", "category", "category_rule", "points"])
    assert L.suggested_reduction(frame, Knobs(), empty, debt).value is None


def test_debt_plan_ranks_by_caused_work_and_keeps_a_running_sum(con):
    view = L.collect(con, Knobs(invest_points_per_sprint=2.0, invest_sprints=2))
    plan = view.plan
    # caused (all completed sprints): capacity 4 > monitoring 2; D2 has no category: last
    assert plan.items["key"].tolist() == ["A1", "D1", "D2"]
    assert plan.items["caused_points"].tolist()[:2] == [4, 2]
    assert plan.items["running_points"].tolist() == [2, 5, 10]
    assert plan.budget == 4 and plan.items["fits"].tolist() == [True, False, False]
    assert (plan.fit_items, plan.fit_points, plan.total_items, plan.total_points) == (1, 2, 3, 10)
    assert L.plan_sentence(plan) == ("This item, 2 points, fits the 2 × 2 = 4-point budget; 2 more items "
                                     "(8 points) would not.")
    bigger = L.collect(con, Knobs(invest_points_per_sprint=5.0, invest_sprints=2)).plan
    assert bigger.fit_items == 3 and bigger.fit_points == 10
    assert L.plan_sentence(bigger) == ("These 3 items, 10 points, fit the 2 × 5 = 10-point budget, the whole debt "
                                       "backlog.")


def test_debt_plan_counts_items_without_points_as_zero():
    debt = pd.DataFrame({"key": ["a", "b"], "summary": ["x", "y"], "type": ["Task", "Task"],
                         "category": ["monitoring", None], "category_rule": ['keyword "alert"', "no rule matched"],
                         "points": [None, 3.0], "incidents": [0, 0],
                         "created": pd.to_datetime(["2026-01-01"] * 2)})
    impact = pd.DataFrame({"category": ["monitoring"], "unplanned_points": [5.0], "unplanned_points_baseline": [1.0]})
    plan = L.debt_plan(debt, impact, 1.0, 3)
    assert plan.items["running_points"].tolist() == [0, 3]
    assert plan.fit_items == 2 and plan.items_without_points == 1
    assert "1 item in the plan had no estimate" in L.plan_sentence(plan)
    none = L.debt_plan(debt.iloc[0:0], impact, 1.0, 3)
    assert none.total_items == 0 and L.plan_sentence(none).startswith("No open debt items")
    assert L.plan_sentence(L.debt_plan(debt.iloc[1:], impact, 1.0, 2)).startswith(
        "Not even the first item (3 points) fits the 2 × 1 = 2-point budget")


def test_sensitivity_grid_values():
    # U=10, K=2, H=4 (hand-computed: see tests/test_investment.py for the r=0.5, I=4 case)
    grid = L.sensitivity(10, 2, 4, [0.2, 0.5, 1.0], [4, 8])
    cell = {(r, i): None if pd.isna(b) else int(b)
            for r, i, b in zip(grid["reduction"], grid["invest"], grid["break_even_sprint"])}
    # I=4: r=0.2 cum -3, -5, -3, -1 (never); r=0.5 -1.5, -0.5, 4.5 (3); r=1 saves 5 then 10: 1 (1)
    # I=8: r=0.2 never; r=0.5 -5.5, -8.5, -3.5, 1.5 (4); r=1 -3, -1, 9 (3)
    assert cell == {(0.2, 4): None, (0.5, 4): 3, (1.0, 4): 1, (0.2, 8): None, (0.5, 8): 4, (1.0, 8): 3}
    assert grid.set_index(["reduction", "invest"]).loc[(0.5, 4), "net_points"] == pytest.approx(9.5)


@pytest.mark.parametrize("u, i, k, r, h", [(10, 4, 2, 0.5, 4), (11.3333, 6.9, 6, 0.4, 12), (10, 1, 10, 0.4, 4),
                                           (10, 20, 6, 0.1, 6), (10, 0, 6, 0.4, 12), (7.5, 3.3, 3, 0.37, 9)])
def test_the_grid_uses_the_investment_projection(u, i, k, r, h):
    be, net, _ = outcome(project(u, i, k, r, h))
    row = L.sensitivity(u, k, h, [r], [i]).iloc[0]
    assert (None if pd.isna(row["break_even_sprint"]) else int(row["break_even_sprint"])) == be
    assert row["net_points"] == pytest.approx(net)


def test_grid_values_include_the_current_case():
    rs, invests = L.grid_values(0.45, 6.9)
    assert rs == [0.1, 0.2, 0.3, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8]
    assert 6.9 in invests and invests[0] == pytest.approx(3.5) and invests[-1] == pytest.approx(13.8)


def test_break_even_reduction():
    # net after 4 sprints = 10 r (0.5 + 1 + 1 + 1) - 8 >= 0  <=>  r >= 8/35 = 0.2286 -> 23 %
    assert L.break_even_reduction(10, 4, 2, 4) == 0.23
    assert L.break_even_reduction(1, 10, 2, 4) is None   # at most 3.5 points saved against 20 invested
    assert L.break_even_reduction(10, 0, 2, 4) == 0.0


def case(u: float | None, i: float, k: int, r: float, h: int) -> InvestmentCase:
    if u is None:
        return InvestmentCase([], None, i, k, r, h, None, None, None, project(0, 0, 1, 0, 0))
    table = project(u, i, k, r, h)
    be, net, roi = outcome(table)
    return InvestmentCase(["S1", "S2"], u, i, k, r, h, be, net, roi, table)


@pytest.mark.parametrize("args, money_args, sentence", [
    ((10, 4, 2, 0.5, 4), (), "Investing 4 points a sprint for 2 sprints pays back in sprint 3 and returns 9.5 points "
                             "over 4 sprints if unplanned work falls by 50%."),
    ((10, 4, 2, 0.5, 4), (100.0, "€"), "Investing 4 points a sprint for 2 sprints pays back in sprint 3 and returns "
                                       "9.5 points (€950) over 4 sprints if unplanned work falls by 50%."),
    # r = 1: saved 5, then 10 a sprint: cumulative 1, 7, 17, 27
    ((10, 4, 2, 1.0, 4), (), "Investing 4 points a sprint for 2 sprints pays back in the first sprint and returns "
                             "27 points over 4 sprints if unplanned work falls by 100%."),
    ((10, 4, 2, 0.2, 4), (), "Investing 4 points a sprint for 2 sprints does not pay back within 4 sprints if "
                             "unplanned work falls by 20%: it ends 1 point short. It would need unplanned work to "
                             "fall by at least 23%."),
    ((1, 10, 2, 0.5, 4), (10.0, "EUR"), "Investing 10 points a sprint for 2 sprints does not pay back within 4 "
                                        "sprints if unplanned work falls by 50%: it ends 18.2 points (EUR 182) "
                                        "short. Even removing all unplanned work would not pay it back within 4 "
                                        "sprints."),
    ((0, 4, 2, 0.5, 4), (), "The last 2 completed sprints had no unplanned work, so paying down debt has nothing to "
                            "save: investing 4 points a sprint for 2 sprints would cost 8 points."),
    ((10, 0, 2, 0.5, 4), (), "With no points invested there is nothing to pay back; set the points a sprint to see "
                             "the case."),
    ((None, 4, 2, 0.5, 4), (), "No investment case yet: it needs at least one completed sprint to set the baseline."),
])
def test_summary_sentence(args, money_args, sentence):
    assert L.summary_sentence(case(*args), *money_args) == sentence


def test_summary_sentence_with_k_longer_than_h():
    # K=10 > H=4, U=10, r=0.4, I=1: cum -0.6, -0.8, -0.6, 0.0 -> break-even at 4 with 0 net
    assert L.summary_sentence(case(10, 1, 10, 0.4, 4)) == (
        "Investing 1 point a sprint for 10 sprints pays back in sprint 4 and returns 0 points over 4 sprints if "
        "unplanned work falls by 40%.")


def test_the_ask_follows_the_numbers(con):
    view = L.collect(con, Knobs(invest_points_per_sprint=1.0, invest_sprints=2, expected_reduction=0.6))
    assert view.case.break_even_sprint is not None
    assert view.ask[0].startswith("Approve 1 point a sprint for 2 sprints (2 points) to pay down the 1 debt item "
                                  "listed (2 points): it pays back in sprint")
    # reserve 3 (S4) against the p80 of 2, 3, 5 = 3 + 0.6 x 2 = 4.2: under-reserved (3 < 3.78)
    assert view.adequacy.verdict == "under-reserved"
    assert view.ask[1].startswith("Raise the reserve for unplanned work from 3 to 4.2 points a sprint")
    assert view.ask[2] == ("Add to the definition of done: alerting and dashboards exist before release "
                           "(monitoring: 1 repeat).")
    never = L.collect(con, Knobs(invest_points_per_sprint=20.0, expected_reduction=0.1))
    assert never.case.break_even_sprint is None
    assert never.ask[0].startswith("Do not commit 20 points a sprint for 6 sprints yet: it cannot pay back")


def test_the_leadership_view_without_data():
    c = new_store()
    view = L.collect(c, Knobs())
    assert view.status.status is None and view.period.sprints == ()
    assert view.summary.startswith("No investment case yet")
    assert view.plan.total_items == 0 and view.sensitivity.empty and view.cost.sprints == 0
    assert view.ask[0].startswith("Collect at least one completed sprint")
    c.close()


@pytest.mark.parametrize("value, text", [(12300.0, "€12,300"), (-5960.0, "-€5,960"), (182.5, "€182"),
                                         (42.5, "€42.50"), (None, "—")])
def test_money_format(value, text):
    assert L.money(value, "€") == text
    assert L.money(1234.0, "EUR") == "EUR 1,234" and L.money(1234.0) == "1,234"
