"""The Unplanned work and Reserve pages' SQL aggregates give what the pandas functions over classified items give.

The pages no longer load one row per work item (`sprints.classified_items`): the per-sprint sums, why items
were unplanned, the rules editor's values and whether hours are recorded come from small DuckDB queries
(analytics/sql/planning_*.sql). Each test computes the same figure both ways, on a hand-built store whose
awkward cases are listed beside the items, and on the embedded sample.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import queries, sprints, store, trends
from analytics.config import Knobs
from tests import reference_trends as ref
from tests.builders import insert, item, new_store, sprint

ROOT = Path(__file__).resolve().parents[1]

KNOBS = [
    Knobs(),
    Knobs(rule_added_mid_sprint=False),
    Knobs(rule_type=False, unplanned_labels=("BACKEND", "support")),
    Knobs(unplanned_types=("BUG", "task"), rule_label=False),
    Knobs(rule_type=False, rule_label=False, rule_added_mid_sprint=False),     # nothing is unplanned
]
PROJECTS = [None, ("T",), ("B",), ("T", "B"), ("nobody",)]
COUNTING = [("zero", 0.0), ("default", 2.5), ("default", 0.0), ("hours", 0.0)]


@pytest.fixture(scope="module")
def con():
    """Hours and points are sums of powers of two, so every sum is exact whatever the order of addition."""
    con = new_store()
    insert(con, "sprints", [sprint("S1", "2026-01-05", "2026-01-18"), sprint("S2", "2026-01-19", "2026-02-01"),
                            sprint("S3", "2026-02-02", "2026-02-15"), sprint("S4", "2026-02-16", "2026-03-01")])
    insert(con, "work_items", [
        # planned, points and hours, one component
        item("P1", created="2026-01-02 10:00", resolved="2026-01-10 12:00", points=5, hours=2.0, sprints=["S1"],
             components=["API"]),
        # planned, no points but hours (counted as its hours in 'hours' mode), two components
        item("P2", created="2026-01-02 10:00", resolved="2026-01-12 12:00", hours=6.25, sprints=["S1"],
             labels=["backend"], components=["API", "Web"]),
        # carried over from S1, completed in S2; the label differs from P2's in case only
        item("P3", created="2026-01-03 10:00", resolved="2026-01-25 09:00", points=3, sprints=["S1", "S2"],
             labels=["Backend"]),
        # lower-case type, the same label twice in two spellings, created mid-sprint
        item("U1", "bug", created="2026-01-06 09:00", resolved="2026-01-08 09:00", points=2, hours=1.5,
             sprints=["S1"], labels=["Interrupt", "interrupt"], components=["Web"]),
        # the type ties P1's first appearance on created: the key decides the order of the editor's types
        item("A0", "Bug", created="2026-01-02 10:00", resolved="2026-01-09 09:00", sprints=["S1"]),
        # unplanned by type only, neither points nor hours
        item("U2", "Hotfix", created="2026-01-04 10:00", resolved="2026-01-09 10:00", sprints=["S1"], labels=["x"]),
        # added mid-sprint, half points, a listed label
        item("U3", created="2026-01-20 10:00", resolved="2026-01-28 10:00", points=1.5, hours=0.25, sprints=["S2"],
             labels=["support"], components=["API"]),
        # no type at all, no points; created on the sprint's first day (planning, not mid-sprint)
        item("U4", None, created="2026-02-02 10:00", resolved="2026-02-10 10:00", hours=0.5, sprints=["S3"]),
        # another project
        item("B1", "Incident", created="2026-02-02 08:00", resolved="2026-02-05 10:00", points=8, sprints=["S3"],
             components=["DB"], project="B"),
        item("B2", "Task", created="2026-01-10 08:00", resolved="2026-01-29 10:00", points=1, sprints=["S2"],
             project="B"),
        # carried over from S2 (created after S2 started: mid-sprint), completed in S3
        item("P4", "Task", created="2026-02-01 10:00", resolved="2026-02-14 10:00", points=4, sprints=["S2", "S3"]),
        # resolved outside every sprint it lists: completed in none
        item("X1", "Bug", created="2026-01-02 11:00", resolved="2026-03-20 10:00", points=13, sprints=["S1"]),
        # in no sprint: only the rules editor sees it
        item("X2", "Spike", created="2026-01-01 10:00", resolved="2026-01-02 10:00", points=2, labels=["Orphan"]),
        # open
        item("X3", created="2026-02-16 10:00", points=3, sprints=["S4"]),
        # a sprint that only the items name (inferred calendar)
        item("G1", "Support", created="2026-02-20 10:00", resolved="2026-02-24 10:00", points=2, hours=1.0,
             sprints=["Ghost"], components=["API", "API"]),
    ])
    yield con
    con.close()


def reference(con, knobs: Knobs, projects, mode: str, default: float) -> pd.DataFrame:
    """The classified items with counted points: what the pages used to load."""
    return ref.counted_points(sprints.classified_items(con, knobs, projects), mode, default)


def by_sprint(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.sort_values("sprint").reset_index(drop=True)
    return frame.assign(sprint=frame["sprint"].astype(str))


def assert_same_sums(got: pd.DataFrame, want: pd.DataFrame, exact: bool = True) -> None:
    assert list(got.columns) == list(want.columns)
    got, want = by_sprint(got), by_sprint(want)
    pd.testing.assert_frame_equal(got, want, check_dtype=False, check_exact=exact, rtol=1e-12)


def assert_same_why(got: trends.WhyUnplanned, items: pd.DataFrame, window: list[str], exact: bool = True) -> None:
    want = ref.rule_breakdown(items, window)
    pd.testing.assert_frame_equal(got.rules.table, want.table, check_dtype=False, check_exact=exact, rtol=1e-12)
    assert (got.rules.items, got.rules.several_rules) == (want.items, want.several_rules)
    assert got.rules.points == (want.points if exact else pytest.approx(want.points, rel=1e-12))
    assert list(got.by) == list(trends.BREAKDOWNS)
    for dimension, frame in got.by.items():
        pd.testing.assert_frame_equal(frame, ref.unplanned_by(items, window, dimension), check_dtype=False,
                                      check_exact=exact, rtol=1e-12)


# --- per-sprint sums --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("knobs", KNOBS)
@pytest.mark.parametrize("projects", PROJECTS)
@pytest.mark.parametrize("mode, default", COUNTING)
def test_completed_work_is_completed_sums_of_the_classified_items(con, knobs, projects, mode, default):
    items = reference(con, knobs, projects, mode, default)
    got = trends.completed_work(con, knobs, projects, mode, default)
    assert_same_sums(got, ref.completed_sums(items))
    # the page's headline: completed items without points in the completed sprints
    for chosen in (["S1", "S2", "S3"], ["S2"], [], ["Ghost", "S1"]):
        done = items[items["completion_sprint"].isin(chosen)]
        no_points = done[done["points"].isna()]
        assert trends.items_without_points(got, chosen) == (int((~no_points["unplanned"]).sum()),
                                                             int(no_points["unplanned"].sum()))


def test_completed_work_by_hand(con):
    """S1 with the METRICS.md rules: P1 5 planned; P2 (no points, 6.25 h) planned; U1 bug 2; A0 Bug (no points);
    U2 Hotfix (no points, no hours). X1 completed in none. Counted in 'hours' mode: P2 6.25, A0 and U2 0."""
    got = trends.completed_work(con, Knobs(), None, "hours").set_index("sprint")
    assert got.loc["S1", "planned_done_points"] == 11.25 and got.loc["S1", "unplanned_points"] == 2.0
    assert (got.loc["S1", "planned_done_items"], got.loc["S1", "unplanned_items"]) == (2, 3)
    assert (got.loc["S1", "planned_without_points"], got.loc["S1", "unplanned_without_points"]) == (1, 2)
    assert got.loc["S1", "unplanned_share"] == 2.0 / 13.25
    assert "S4" not in got.index                   # nothing completed there
    default = trends.completed_work(con, Knobs(), None, "default", 2.5).set_index("sprint")
    assert default.loc["S1", "unplanned_points"] == 7.0    # 2 + 2.5 + 2.5
    with pytest.raises(ValueError, match="mode"):
        trends.completed_work(con, Knobs(), None, "median")


def test_counting_as_zero_is_the_series(con):
    for knobs in KNOBS:
        series = sprints.sprint_series(con, knobs).set_index("sprint")
        got = trends.completed_work(con, knobs).set_index("sprint")
        done = series.loc[got.index]
        for column in ("planned_done_points", "unplanned_points", "planned_done_items", "unplanned_items"):
            assert got[column].tolist() == done[column].tolist(), column
        assert (got["planned_without_points"] + got["unplanned_without_points"]).tolist() == \
            done["completed_items_without_points"].tolist()


# --- why it was unplanned -----------------------------------------------------------------------------------------

WINDOWS = [["S1", "S2", "S3", "Ghost"], ["S1"], ["S2", "S3"], [], ["no such sprint"], ["S4"]]


@pytest.mark.parametrize("knobs", KNOBS)
@pytest.mark.parametrize("projects", PROJECTS)
@pytest.mark.parametrize("mode, default", COUNTING)
def test_why_unplanned_in_is_rule_breakdown_and_unplanned_by(con, knobs, projects, mode, default):
    items = reference(con, knobs, projects, mode, default)
    for window in WINDOWS:
        assert_same_why(trends.why_unplanned_in(con, knobs, projects, window, mode, default), items, window)


def test_why_unplanned_by_hand(con):
    """S1 and S2 with the METRICS.md rules: U1 (bug, label interrupt twice, mid-sprint, 2), A0 (Bug, none),
    U2 (Hotfix, none), U3 (label support, mid-sprint, 1.5); P4 is unplanned but completed in S3."""
    why = trends.why_unplanned_in(con, Knobs(), None, ["S1", "S2"])
    assert (why.rules.items, why.rules.points, why.rules.several_rules) == (4, 3.5, 2)
    table = why.rules.table.set_index("rule")
    assert table["items"].tolist() == [3, 2, 2] and table["first_items"].tolist() == [3, 1, 0]
    assert table["points"].tolist() == [2.0, 3.5, 3.5] and table["first_points"].tolist() == [2.0, 1.5, 0.0]
    types = why.by["type"].set_index("value")
    assert types["items"].to_dict() == {"bug": 1, "Story": 1, "Bug": 1, "Hotfix": 1}   # spelling as in the data
    labels = why.by["label"].set_index("value")
    assert labels["items"].to_dict() == {"Interrupt": 1, "interrupt": 1, "support": 1, "(none)": 1, "x": 1}
    components = why.by["component"]
    assert components.to_dict("records")[0] == {"value": "Web", "items": 1, "points": 2.0}
    assert set(components["value"]) == {"Web", "API", "(none)"}
    empty = trends.why_unplanned_in(con, Knobs(), None, [])
    assert empty.rules.items == 0 and all(frame.empty for frame in empty.by.values())


def test_a_component_listed_twice_counts_twice(con):
    why = trends.why_unplanned_in(con, Knobs(), None, ["Ghost"])
    assert why.by["component"].to_dict("records") == [{"value": "API", "items": 2, "points": 4.0}]


# --- the rules editor's values and the hours view -----------------------------------------------------------------

@pytest.mark.parametrize("projects", PROJECTS)
def test_rule_options_are_the_classified_items_values(con, projects):
    got = trends.rule_options(con, projects)
    assert got == ref.rule_options_of(sprints.classified_items(con, Knobs(), projects))


def test_rule_options_by_hand(con):
    got = trends.rule_options(con, ("T",))
    # X2 (Spike, in no sprint) is first; A0 and P1 tie on created, A0's key comes first
    assert got.types[:4] == ["Spike", "Bug", "Story", "Hotfix"] and None not in got.types
    assert got.labels == ["Backend", "Interrupt", "Orphan", "backend", "interrupt", "support", "x"]
    assert trends.rule_options(con, ("nobody",)) == trends.RuleOptions([], [])


@pytest.mark.parametrize("projects", PROJECTS)
def test_hours_recorded_is_the_hours_summarys(con, projects):
    items = sprints.classified_items(con, Knobs(), projects)
    for window in WINDOWS + [["S3"], ["S2"]]:
        frame = pd.DataFrame({"sprint": window, "unplanned_hours": [1.0] * len(window)})
        want = ref.unplanned_hours_summary(frame, items)
        assert trends.hours_recorded(con, projects, window) == want.recorded
        assert trends.hours_summary(frame, trends.hours_recorded(con, projects, window)) == want


def test_hours_recorded_by_hand(con):
    assert trends.hours_recorded(con, None, ["S3"])            # U4 has 0.5 h
    assert not trends.hours_recorded(con, ("B",), ["S3"])      # B1 has none
    assert not trends.hours_recorded(con, None, ["S4", "no such sprint"])
    assert not trends.hours_recorded(con, None, [])


# --- the same on the embedded sample -------------------------------------------------------------------------------

def test_the_aggregates_match_on_the_sample(sample_store):
    con = store.open_store(str(sample_store))
    try:
        for knobs in (Knobs(), Knobs(rule_added_mid_sprint=False, unplanned_labels=("interrupt",))):
            series = sprints.sprint_series(con, knobs)
            windows = [list(series[series["completed"]]["sprint"]), list(series["sprint"].iloc[-8:])]
            for mode, default in COUNTING:
                items = reference(con, knobs, None, mode, default)
                assert_same_sums(trends.completed_work(con, knobs, None, mode, default),
                                 ref.completed_sums(items), exact=mode != "hours")
                for window in windows:
                    assert_same_why(trends.why_unplanned_in(con, knobs, None, window, mode, default), items, window,
                                    exact=mode != "hours")
        items = sprints.classified_items(con, Knobs())
        assert trends.rule_options(con) == ref.rule_options_of(items)
        assert trends.hours_recorded(con, None, windows[0]) == bool(
            items[items["completion_sprint"].isin(windows[0])]["time_spent_hours"].notna().any())
    finally:
        con.close()


# --- the queries --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["planning_completed_items", "planning_completed_sums", "planning_rule_breakdown",
                                  "planning_unplanned_by", "planning_rule_options", "planning_hours_recorded"])
def test_every_setting_reaches_the_queries_as_a_bound_parameter(name):
    text = queries.sql(name)
    assert "{{" not in text and "'$" not in text
    assert set(queries.PARAM.findall(text)) <= set(queries.params_for(Knobs())) | {
        "points_mode", "default_points", "sprints", "none_value"}


# --- reserve trade-off -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("capacity", [True, False])
def test_tradeoff_is_what_if_at_every_reserve(capacity):
    rng = np.random.default_rng(3)
    for size in (0, 1, 7, 40):
        window = pd.DataFrame({"sprint": [f"W{i}" for i in range(size)],
                               "unplanned_points": rng.integers(0, 30, size) + rng.choice([0, 0.5, 0.1], size),
                               "planned_done_points": rng.integers(0, 60, size).astype(float),
                               "capacity_points": rng.integers(20, 80, size) if capacity else [None] * size})
        reserves = [i * 0.5 for i in range(81)] + [0.1, 7.3]
        table = trends.reserve_tradeoff(window, reserves)
        want = [trends.what_if(window, r) for r in reserves]
        assert table["reserve"].tolist() == [w.reserve for w in want]
        assert table["coverage"].tolist() == [w.coverage for w in want]
        assert table["planned_capacity"].tolist() == [w.planned_capacity for w in want]


# --- the pages never load one row per item ---------------------------------------------------------------------

def test_the_pages_run_only_small_queries(sample_store, monkeypatch):
    ran: list[tuple[str, int]] = []
    run = queries.run

    def recording(con, name, params):
        frame = run(con, name, params)
        ran.append((name, len(frame)))
        return frame

    con = store.open_store(str(sample_store))
    try:
        n_items = con.execute("SELECT count(*) FROM work_items").fetchone()[0]
        n_sprints = len(sprints.sprint_series(con, Knobs()))
    finally:
        con.close()
    monkeypatch.setattr(queries, "run", recording)
    for page in ("pages/unplanned.py", "pages/reserve.py"):
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        at.switch_page(page).run()
        assert not at.exception, at.exception
    names = {name for name, _ in ran}
    assert "sprint_items" not in names and {"planning_completed_sums", "planning_hours_recorded"} <= names
    for name, rows in ran:
        if name != "sprint_drilldown":           # one sprint's items
            assert rows <= max(n_sprints, 60) < n_items, (name, rows)
