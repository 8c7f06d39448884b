"""Per-sprint metrics on a small hand-built team; every expected value is worked out in the comments."""

import pandas as pd
import pytest

from analytics import sprints
from analytics.config import Knobs
from tests.builders import insert, item, new_store, sprint


@pytest.fixture
def con():
    con = new_store()
    insert(con, "sprints", [
        sprint("S1", "2026-01-05", "2026-01-18", reserve=3),
        sprint("S2", "2026-01-19", "2026-02-01", reserve=3),
        sprint("S3", "2026-02-02", "2026-02-15"),  # no reserve in the file: the default knob applies
    ])
    insert(con, "work_items", [
        # planned, committed to S1 and done in it
        item("A", created="2026-01-02 10:00", resolved="2026-01-10 12:00", points=5, sprints=["S1"]),
        # created on S1's first day (sprint planning), carried over into S2 and done there
        item("B", created="2026-01-05 15:00", resolved="2026-01-25 09:00", points=3, sprints=["S1", "S2"]),
        # unplanned by type (a Bug), done in S1, 4 hours logged
        item("C", "Bug", created="2026-01-07 09:00", resolved="2026-01-08 09:00", points=2, hours=4, sprints=["S1"]),
        # unplanned: a Story added mid-sprint (created after S1 started), 2 hours
        item("D", created="2026-01-08 09:00", resolved="2026-01-15 09:00", points=8, hours=2, sprints=["S1"]),
        # unplanned by label (case-insensitive), no points, 1.5 hours, done in S2
        item("E", "Task", created="2026-01-01 09:00", resolved="2026-01-20 09:00", labels=["Interrupt"], hours=1.5,
             sprints=["S2"]),
        # committed to S2 but resolved after S2 ended and not listed in S3: completed in no sprint
        item("F", created="2026-01-01 09:00", resolved="2026-02-03 09:00", points=2, sprints=["S2"]),
        # committed to S2, still open
        item("G", created="2026-01-03 09:00", points=1, sprints=["S2"]),
        # backlog item never in a sprint
        item("H", created="2026-01-03 09:00", points=13),
    ])
    return con


def by_name(frame):
    return {row["sprint"]: row for _, row in frame.iterrows()}


def test_per_sprint_values(con):
    s = by_name(sprints.sprint_series(con, Knobs(default_reserve_points=4)))
    assert list(s) == ["S1", "S2", "S3"]
    s1, s2, s3 = s["S1"], s["S2"], s["S3"]
    # S1: committed A5 + B3 = 8; planned done A5; unplanned C2 + D8 = 10 (hours 4 + 2)
    assert s1["committed_points"] == 8
    assert s1["planned_done_points"] == 5
    assert s1["unplanned_points"] == 10
    assert s1["unplanned_hours"] == 6
    assert s1["unplanned_share"] == pytest.approx(10 / 15)
    assert s1["carryover_points"] == 0
    assert s1["say_do"] == pytest.approx(5 / 8)  # only A of the committed 8 was done in S1
    assert s1["reserve_points"] == 3 and s1["overrun_points"] == 7
    assert bool(s1["firefighting"]) is True
    # S2: committed B3 + F2 + G1 = 6; planned done B3; unplanned E has no points (0) but 1.5 hours
    assert s2["committed_points"] == 6
    assert s2["planned_done_points"] == 3
    assert s2["unplanned_points"] == 0 and s2["unplanned_hours"] == 1.5
    assert s2["unplanned_share"] == 0
    assert s2["carryover_points"] == 3  # B was also in S1
    assert s2["say_do"] == pytest.approx(3 / 6)
    assert s2["overrun_points"] == 0 and bool(s2["firefighting"]) is False
    assert s2["completed_items_without_points"] == 1  # E
    # S3: nothing committed or completed: share and say/do cannot be computed
    assert s3["committed_points"] == 0 and s3["planned_done_points"] == 0
    assert pd.isna(s3["unplanned_share"]) and pd.isna(s3["say_do"])
    assert s3["reserve_points"] == 4  # the default reserve knob
    assert bool(s3["firefighting"]) is False


def test_completed_sprints_follow_the_data_as_of(con):
    # The latest timestamp is F's resolution on 2026-02-03: S1 and S2 have ended, S3 has not.
    s = by_name(sprints.sprint_series(con, Knobs()))
    assert [bool(s[n]["completed"]) for n in ("S1", "S2", "S3")] == [True, True, False]
    assert str(sprints.data_as_of(con)) == "2026-02-03 09:00:00"


def test_rules_can_be_switched_off(con):
    s = by_name(sprints.sprint_series(con, Knobs(rule_added_mid_sprint=False)))
    # D is planned now (but created after S1 started, so not committed): planned done A5 + D8
    assert s["S1"]["planned_done_points"] == 13
    assert s["S1"]["unplanned_points"] == 2
    assert s["S1"]["committed_points"] == 8
    s = by_name(sprints.sprint_series(con, Knobs(rule_label=False)))
    assert s["S2"]["unplanned_hours"] == 0  # E is planned without the label rule
    s = by_name(sprints.sprint_series(con, Knobs(unplanned_types=("Story",), rule_added_mid_sprint=False)))
    # Stories are unplanned now; the Bug C is not
    assert s["S1"]["unplanned_points"] == 5 + 8
    assert s["S1"]["planned_done_points"] == 2


def test_classified_items_say_why(con):
    items = sprints.classified_items(con, Knobs()).set_index("key")
    assert items.loc["C", "by_type"] and items.loc["C", "by_mid_sprint"]  # a Bug, also created mid-sprint
    assert items.loc["D", "by_mid_sprint"] and not items.loc["D", "by_type"]
    assert items.loc["E", "by_label"]
    assert not items.loc["A", "unplanned"]
    assert items.loc["B", "completion_sprint"] == "S2"
    assert pd.isna(items.loc["F", "completion_sprint"])


def test_project_filter():
    con = new_store()
    insert(con, "sprints", [sprint("A1", "2026-01-05", "2026-01-18"), sprint("B1", "2026-01-05", "2026-01-18")])
    insert(con, "work_items", [
        item("A-1", created="2026-01-01 09:00", resolved="2026-01-06 09:00", points=3, sprints=["A1"], project="A"),
        item("B-1", "Bug", created="2026-01-01 09:00", resolved="2026-01-06 09:00", points=5, sprints=["B1"],
             project="B"),
    ])
    only_a = sprints.sprint_series(con, Knobs(), projects=("A",))
    assert list(only_a["sprint"]) == ["A1"]
    assert only_a["planned_done_points"].tolist() == [3]
    assert sprints.projects(con) == ["A", "B"]


def test_inferred_calendar_when_no_sprints_file():
    con = new_store()
    # Two-week sprints; resolution dates spread over each; no sprints file.
    insert(con, "work_items", [
        item("X1", created="2026-01-01 09:00", resolved="2026-01-06 09:00", points=1, sprints=["N1"]),
        item("X2", created="2026-01-01 09:00", resolved="2026-01-12 09:00", points=1, sprints=["N1"]),
        item("X3", created="2026-01-01 09:00", resolved="2026-01-16 09:00", points=1, sprints=["N1"]),
        item("X4", created="2026-01-01 09:00", resolved="2026-01-20 09:00", points=2, sprints=["N2"]),
        item("X5", created="2026-01-01 09:00", resolved="2026-01-27 09:00", points=2, sprints=["N2"]),
        item("X6", created="2026-01-01 09:00", resolved="2026-01-30 09:00", points=2, sprints=["N2"]),
    ])
    s = sprints.sprint_series(con, Knobs())
    assert list(s["sprint"]) == ["N1", "N2"]
    assert s["inferred"].all()
    # cadence: both spans (11 and 11 days) round up to 2 weeks; anchored at the first resolution
    assert [str(pd.Timestamp(d).date()) for d in s["start"]] == ["2026-01-06", "2026-01-20"]
    assert [str(pd.Timestamp(d).date()) for d in s["end"]] == ["2026-01-19", "2026-02-02"]
    assert s["planned_done_points"].tolist() == [3, 6]
