"""The Overview's "What to do next" texts: hand-built analytics results in, exact sentences out."""

from __future__ import annotations

import pandas as pd

from analytics import next_steps
from analytics.firefighter import FirefighterStatus
from analytics.investment import InvestmentCase
from analytics.next_steps import NextStep
from analytics.reserve import ReserveAdequacy

WINDOW = [21.0, 17.0, 14.0, 12.0, 11.0, 8.0, 8.0, 8.0, 10.0, 9.0, 10.0, 10.0, 13.0, 16.0]


def adequacy(values=WINDOW, recommended=14.8, current=10.0, verdict="under-reserved",
             coverage_current=0.5) -> ReserveAdequacy:
    return ReserveAdequacy(window_sprints=[f"S{i}" for i in range(len(values))], window_unplanned_points=values,
                           window_months=6, quantile=0.8, recommended_points=recommended,
                           current_reserve_points=current, coverage_current=coverage_current,
                           coverage_recommended=None, verdict=verdict)


def case(break_even=12, net=1.666666665, invest=6.9, baseline=11.3) -> InvestmentCase:
    return InvestmentCase(baseline_sprints=["S1"], baseline_unplanned_points=baseline,
                          invest_points_per_sprint=invest, invest_sprints=6, expected_reduction=0.4,
                          horizon_sprints=12, break_even_sprint=break_even, net_points=net, roi=None,
                          projection=pd.DataFrame())


def status(value, reason="2 of the last 3 sprints were firefighting") -> FirefighterStatus:
    return FirefighterStatus(status=value, reason=reason, last_sprints=["S1", "S2", "S3"], episodes=[])


def items(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["key", "done", "incident_ids"])


INCIDENTS = pd.DataFrame({"id": ["P1", "P2", "P3", "P4"],
                          "category": ["monitoring", "monitoring", "deployment", "capacity"]})


# --- reserve -------------------------------------------------------------------------------------------------

def test_under_reserved_names_the_rounded_up_reserve_and_what_each_covers():
    assert next_steps.reserve_step(adequacy()) == NextStep(
        "Raise the reserve to 15 points (covers 79% of the last 14 sprints; 10 covers 50%).",
        "pages/reserve.py", "Reserve")


def test_over_reserved_offers_capacity_back():
    step = next_steps.reserve_step(adequacy(values=[2.0, 4.0, 6.0, 8.0], recommended=6.4, current=12.0,
                                            verdict="over-reserved", coverage_current=1.0))
    assert step.text == ("Lower the reserve to 7 points and give the rest back to planned work "
                         "(covers 75% of the last 4 sprints; 12 covers 100%).")


def test_a_whole_recommendation_is_not_rounded_up():
    step = next_steps.reserve_step(adequacy(values=[10.0, 12.0, 14.0, 15.0], recommended=14.0, current=10.0,
                                            coverage_current=0.25))
    assert step.text == "Raise the reserve to 14 points (covers 75% of the last 4 sprints; 10 covers 25%)."


def test_no_reserve_step_when_adequate_or_on_too_few_sprints():
    assert next_steps.reserve_step(adequacy(verdict="adequate")) is None
    assert next_steps.reserve_step(adequacy(values=[3.0, 9.0, 12.0])) is None
    assert next_steps.reserve_step(adequacy(recommended=None, verdict=None)) is None


# --- follow-ups ----------------------------------------------------------------------------------------------

def test_open_follow_ups_count_under_their_first_linked_incident_category():
    frame = next_steps.open_follow_ups_by_category(items([
        ("A-1", False, ["P1"]), ("A-2", False, ["P2", "P3"]), ("A-3", True, ["P1"]),
        ("A-4", False, ["P3"]), ("A-5", False, []), ("A-6", False, ["UNKNOWN", "P4"]),
    ]), INCIDENTS)
    assert frame.to_dict("records") == [
        {"category": "monitoring", "open": 2}, {"category": "capacity", "open": 1},
        {"category": "deployment", "open": 1}, {"category": "uncategorised", "open": 1}]


def test_follow_up_step_schedules_the_biggest_category():
    step = next_steps.follow_up_step(items([("A-1", False, ["P1"]), ("A-2", False, ["P2"]),
                                            ("A-3", False, ["P3"]), ("A-4", True, ["P4"])]), INCIDENTS)
    assert step == NextStep("Schedule the 2 open monitoring follow-ups (3 open post-incident follow-ups in all).",
                            "pages/follow_through.py", "Follow-through")


def test_follow_up_step_singular_and_uncategorised():
    assert next_steps.follow_up_step(items([("A-1", False, ["P3"])]), INCIDENTS).text == (
        "Schedule the 1 open deployment follow-up.")
    assert next_steps.follow_up_step(items([("A-1", False, [])]), INCIDENTS.iloc[0:0]).text == (
        "Schedule the 1 open follow-up.")


def test_no_follow_up_step_when_everything_is_done_or_there_are_none():
    assert next_steps.follow_up_step(items([("A-1", True, ["P1"])]), INCIDENTS) is None
    assert next_steps.follow_up_step(items([]), INCIDENTS) is None


# --- on-call -------------------------------------------------------------------------------------------------

def test_oncall_step_speaks_of_load_against_the_median():
    load = pd.DataFrame({"person": ["Ana", "Jonas", "Lena", "Priya", "Tom"],
                         "shift_hours": [1560.0, 1752.0, 1584.0, 1728.0, 2280.0],
                         "incidents": [9, 12, 4, 3, 15]})
    assert next_steps.oncall_step(load) == NextStep(
        "Protect on-call: Tom carries 32% more shift hours than the team median (2,280 vs 1,728 h); "
        "rebalance the rotation.", "pages/oncall.py", "On-call")


def test_no_oncall_step_for_an_even_rotation_or_a_single_person():
    even = pd.DataFrame({"person": ["A", "B", "C"], "shift_hours": [100.0, 110.0, 120.0]})
    assert next_steps.oncall_step(even) is None
    assert next_steps.oncall_step(even.iloc[:1]) is None
    assert next_steps.oncall_step(pd.DataFrame({"person": [], "shift_hours": []})) is None


# --- investment ----------------------------------------------------------------------------------------------

def test_paydown_step_approves_a_case_that_breaks_even():
    assert next_steps.paydown_step(case()) == NextStep(
        "Approve a paydown of 6.9 points a sprint for 6 sprints: breaks even in sprint 12 "
        "(+1.7 points net after 12 sprints).", "pages/investment.py", "Investment case")


def test_paydown_step_says_when_the_case_does_not_pay():
    assert next_steps.paydown_step(case(break_even=None, net=-8.0)).text == (
        "Rework the investment case: a paydown of 6.9 points a sprint for 6 sprints does not break even "
        "within 12 sprints.")
    assert next_steps.paydown_step(case(baseline=None)) is None
    assert next_steps.paydown_step(case(invest=0.0)) is None


# --- firefighting and the whole list -------------------------------------------------------------------------

def test_firefighting_step_follows_the_status():
    assert next_steps.firefighting_step(status("firefighting")) == NextStep(
        "Switch to firefighter mode: 2 of the last 3 sprints were firefighting.", "pages/firefighter.py",
        "Firefighter mode")
    assert next_steps.firefighting_step(status("at_risk", "1 of the last 3 sprints was firefighting")).text == (
        "Watch the unplanned share: 1 of the last 3 sprints was firefighting.")
    assert next_steps.firefighting_step(status("healthy")) is None
    assert next_steps.firefighting_step(status(None)) is None


def test_next_steps_lists_the_applicable_steps_most_urgent_first():
    load = pd.DataFrame({"person": ["A", "B", "C"], "shift_hours": [100.0, 100.0, 200.0]})
    follow_ups = next_steps.open_follow_ups_by_category(items([("A-1", False, ["P1"])]), INCIDENTS)
    steps = next_steps.next_steps(status("firefighting"), adequacy(), follow_ups, load, case())
    assert [s.page for s in steps] == ["pages/firefighter.py", "pages/reserve.py", "pages/follow_through.py",
                                       "pages/oncall.py", "pages/investment.py"]
    nothing = next_steps.next_steps(status("healthy"), adequacy(verdict="adequate"),
                                    next_steps.open_follow_ups_by_category(items([]), INCIDENTS), load.iloc[:1], case(baseline=None))
    assert nothing == []
