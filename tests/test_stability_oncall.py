"""On-call page analytics: shifts, incidents on shift, responders without a schedule, protection from sprint work.

The store of tests/test_stability.py plus a schedule:
- Alice 2026-01-05 09:00 -> 01-12 09:00 and 01-19 09:00 -> 01-26 09:00 (incidents a and b are hers),
- Bob   2026-01-12 09:00 -> 01-19 09:00 (159 h in sprint S1, 9 h into S2, which starts 01-19 00:00).
Points completed per person and sprint (S1-S4 all completed by the as-of 2026-05-03 12:00):
Alice S1 8 (H1 3 + X1 5), S2 1 (A2); Bob S2 2 (H2), S4 4 (X3); Carol S3 6 (X4).
Per completed sprint: Alice 9/4 = 2.25, Bob 6/4 = 1.5, Carol 6/4 = 1.5 -> team per-person median 1.5.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analytics import incidents, oncall, rotation
from analytics.config import Knobs
from tests.builders import insert, new_store
from tests.test_stability import build

SHIFTS = [
    {"person": "Alice", "start": "2026-01-05 09:00", "end": "2026-01-12 09:00"},
    {"person": "Bob", "start": "2026-01-12 09:00", "end": "2026-01-19 09:00"},
    {"person": "Alice", "start": "2026-01-19 09:00", "end": "2026-01-26 09:00"},
]


@pytest.fixture
def con():
    con = new_store()
    build(con)
    insert(con, "oncall_shifts", SHIFTS)
    return con


def test_shifts_in_start_order_with_hours(con):
    shifts = rotation.shifts(con)
    assert list(shifts["person"]) == ["Alice", "Bob", "Alice"]
    assert list(shifts["hours"]) == [168.0, 168.0, 168.0]


def test_load_and_fairness_on_the_schedule(con):
    load = rotation.alphabetical(oncall.oncall_load(con, Knobs())).set_index("person")
    assert load.loc["Alice"].to_dict() == {"shift_hours": 336.0, "shifts": 2, "incidents": 2,
                                           "out_of_hours_incidents": 1, "sleep_hour_incidents": 1}
    assert load.loc["Bob", "incidents"] == 0
    fair = oncall.fairness(load.reset_index())
    assert fair["shift_hours_max_min"] == 2.0 and fair["incidents_max_min"] is None  # Bob had none
    assert fair["incidents_gini"] == pytest.approx(0.5)


def test_incidents_on_shift_with_their_hour_bucket(con):
    on = rotation.incidents_on_shift(rotation.shifts(con), incidents.incident_table(con, Knobs()))
    assert on[["person", "id", "bucket"]].values.tolist() == [["Alice", "a", "business hours"],
                                                              ["Alice", "b", "sleep hours"]]


@pytest.mark.parametrize("when, bucket", [
    ("2026-01-05 08:00", "business hours"),   # Monday 08:00 sharp
    ("2026-01-05 17:59", "business hours"),
    ("2026-01-05 18:00", "out of hours"),     # Monday 18:00 sharp
    ("2026-01-05 21:59", "out of hours"),
    ("2026-01-05 22:00", "sleep hours"),
    ("2026-01-06 07:59", "sleep hours"),
    ("2026-01-10 12:00", "out of hours"),     # Saturday noon
    ("2026-01-11 03:00", "sleep hours"),      # Sunday night
])
def test_hour_buckets(when, bucket):
    assert rotation.hour_bucket(pd.Series(pd.to_datetime([when])))[0] == bucket


def test_responder_load_without_a_schedule(con):
    load = rotation.alphabetical(rotation.responder_load(con, Knobs()))
    # a, b Alice (b at 03:00: out of hours, sleep); c (Tue 14:00) and e (Sat 09:00) Bob; d nobody (Mon 20:00)
    assert load.values.tolist() == [["(no responder)", 1, 1, 0], ["Alice", 2, 1, 1], ["Bob", 2, 1, 0]]


def test_sprint_points_per_person_and_completed_sprint(con):
    points = rotation.sprint_points(con)
    assert sorted(points["person"].unique()) == ["Alice", "Bob", "Carol"]
    assert points["sprint"].nunique() == 4
    got = points.set_index(["person", "sprint"])
    assert got.loc[("Alice", "S1"), ["points", "oncall_hours"]].tolist() == [8.0, 168.0]
    assert got.loc[("Bob", "S1"), ["points", "oncall_hours"]].tolist() == [0.0, 159.0]
    assert got.loc[("Bob", "S2"), ["points", "oncall_hours", "on_call"]].tolist() == [2.0, 9.0, True]
    assert not got.loc[("Carol", "S3"), "on_call"] and got.loc[("Carol", "S3"), "points"] == 6.0


def test_protection_against_the_team_median(con):
    prot = rotation.protection(rotation.sprint_points(con), ["Bob", "Alice"])
    assert (prot.team_median, prot.completed_sprints, prot.team_people) == (1.5, 4, 3)
    people = prot.people.set_index("person")
    assert list(people.index) == ["Alice", "Bob"]  # alphabetical, whatever the order given
    # Alice on call in S1 (8) and S2 (1): 4.5 per on-call sprint >= 1.5; Bob S1 (0) and S2 (2): 1.0 < 1.5
    assert people.loc["Alice"].to_dict() == {"on_call_sprints": 2, "points_on_call": 9.0,
                                             "points_per_on_call_sprint": 4.5, "points_per_sprint": 2.25,
                                             "full_load": True}
    assert people.loc["Bob", ["points_per_on_call_sprint", "full_load"]].tolist() == [1.0, False]
    assert prot.sprints[["person", "sprint", "full_load"]].values.tolist() == [
        ["Alice", "S1", True], ["Alice", "S2", False], ["Bob", "S1", False], ["Bob", "S2", True]]


def test_protection_with_a_minimum_overlap(con):
    prot = rotation.protection(rotation.sprint_points(con), ["Alice", "Bob"], min_overlap_hours=10)
    people = prot.people.set_index("person")
    assert people.loc["Bob", ["on_call_sprints", "points_per_on_call_sprint"]].tolist() == [1, 0.0]  # S2: 9 h only
    assert people.loc["Alice", "on_call_sprints"] == 2


def test_protection_without_completed_work():
    con = new_store()
    insert(con, "oncall_shifts", SHIFTS)
    prot = rotation.protection(rotation.sprint_points(con), ["Alice", "Bob"])
    assert prot.team_median is None and prot.completed_sprints == 0
    assert list(prot.people["full_load"]) == [False, False]


def test_alphabetical_ignores_case():
    frame = pd.DataFrame({"person": ["bob", "Alice", "Zoe", "anna"], "incidents": [9, 1, 5, 3]})
    assert list(rotation.alphabetical(frame)["person"]) == ["Alice", "anna", "bob", "Zoe"]
