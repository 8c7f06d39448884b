"""The leadership queries that replaced pandas over every work item: the same results on hand-built data.

`leadership_linked_work` (unplanned items linked to incidents, classified in SQL) is compared with the pandas
computation it replaced (every classified item in scope merged with the linked items' categories),
`leadership_backlog_flow` (items counted per day, then per sprint) with a count over every item and sprint, and
`leadership_debt_items` (the number of linked incidents instead of their ids) with the query it was before.

The store (project T unless noted; incidents come from an incident export, which has no project):

    sprints  S1 01-05..01-18, S2 01-19..02-01, S3 02-02..02-15, S4 02-16..03-01 (in progress), and B1
             01-10..01-23 overlapping S1 and S2 (another team's calendar)
    U1   Bug, S1, 2 pts                      <- INC-1 (monitoring) names it
    U2   Task labelled "Interrupt", S2       -> links INC-2 (capacity); INC-4 ("Alert storm", keyword:
                                                monitoring, created later) names it: latest wins
    U3   Story added mid-S2, no points       <- INC-3 (deployment)
    U4   Story labelled "hotfix", S3         <- INC-3
    U5   Hotfix of project B, S3             <- INC-3
    U6   Bug in S1, resolved in S4's dates (no completion sprint) <- INC-1; the export's as-of moment
    U7   Support, S1, linked to nothing
    U8/U9 Bugs created at the same moment    <- INC-3 (the order falls back to the key)
    U10  Bug in no sprint                    <- INC-3
    P1   Story (planned), S1; P2 Story (planned) -> links INC-2
    D1   open, labelled tech-debt; A1 open Task -> links INC-2, <- INC-1 (open debt linked to 2 incidents)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import leadership as L
from analytics import queries, sprints
from analytics.config import DEFAULT_CATEGORY_KEYWORDS, Knobs
from tests.builders import insert, item, new_store, sprint

ROOT = Path(__file__).resolve().parents[1]
LINKED_COLUMNS = ["key", "summary", "type", "category", "pts", "hrs", "completion_sprint"]


def incident(id_: str, title: str, created: str, category: str | None = None,
             related: list[str] | None = None) -> dict:
    return {"id": id_, "title": title, "created": created, "resolved": None, "category": category,
            "related_keys": related or [], "severity": "P2"}


@pytest.fixture(scope="module")
def con():
    c = new_store()
    insert(c, "sprints", [sprint("S1", "2026-01-05", "2026-01-18"), sprint("S2", "2026-01-19", "2026-02-01"),
                          sprint("S3", "2026-02-02", "2026-02-15"), sprint("S4", "2026-02-16", "2026-03-01"),
                          sprint("B1", "2026-01-10", "2026-01-23")])
    insert(c, "work_items", [
        item("P1", created="2026-01-02 09:00", resolved="2026-01-10 12:00", points=5, sprints=["S1"]),
        item("P2", created="2026-01-02 09:00", resolved="2026-01-12 12:00", points=1, sprints=["S1"],
             links=[("relates", "INC-2")]),
        item("U1", "Bug", created="2026-01-08 09:00", resolved="2026-01-09 17:00", points=2, sprints=["S1"], hours=6),
        item("U2", "Task", created="2026-01-19 09:00", resolved="2026-01-22 17:00", points=4, sprints=["S2"],
             labels=["Interrupt"], hours=12, links=[("is caused by", "INC-2")]),
        item("U3", created="2026-01-25 09:00", resolved="2026-01-26 10:00", sprints=["S2"], hours=2),
        item("U4", created="2026-02-01 09:00", resolved="2026-02-06 09:00", points=3, sprints=["S3"],
             labels=["hotfix"]),
        item("U5", "Hotfix", created="2026-02-03 09:00", resolved="2026-02-05 09:00", points=3, sprints=["S3"],
             project="B", hours=1.5),
        item("U6", "Bug", created="2026-01-10 09:00", resolved="2026-02-20 09:00", points=8, sprints=["S1"]),
        item("U7", "Support", created="2026-01-06 09:00", resolved="2026-01-07 09:00", points=1, sprints=["S1"]),
        item("U8", "Bug", created="2026-02-05 09:00", resolved="2026-02-07 09:00", points=0.5, sprints=["S3"]),
        item("U9", "Bug", created="2026-02-05 09:00", resolved="2026-02-08 09:00", points=1.5, sprints=["S3"]),
        item("U10", "Bug", created="2026-02-10 09:00", resolved="2026-02-11 09:00", points=2),
        item("D1", "Task", created="2025-12-20 09:00", points=3, labels=["tech-debt"], summary="Add alerting"),
        item("A1", "Task", created="2025-12-15 09:00", points=2, links=[("relates", "INC-2")]),
    ])
    insert(c, "incidents", [
        incident("INC-1", "Checkout alert missing", "2026-01-08 08:00", "monitoring", ["U1", "U6", "A1"]),
        incident("INC-2", "Pool exhausted", "2026-01-20 08:00", "capacity"),
        incident("INC-3", "Bad deploy", "2026-02-03 08:00", "deployment", ["U3", "U4", "U5", "U8", "U9", "U10"]),
        incident("INC-4", "Alert storm", "2026-01-21 08:00", None, ["U2"]),
    ])
    yield c
    c.close()


def pandas_linked_work(con, knobs: Knobs, projects) -> pd.DataFrame:
    """What the leadership view computed before: every classified item in scope, merged with the linked
    items' categories (`linked_work(items, links)` of analytics/leadership.py)."""
    items = sprints.classified_items(con, knobs, projects)
    # the linked items' categories (leadership_item_categories, which the new query includes)
    links = queries.run(con, "leadership_item_categories", queries.params_for(knobs, projects))
    if items.empty or links.empty:
        return pd.DataFrame(columns=LINKED_COLUMNS)
    merged = items[items["unplanned"]].merge(links[["key", "category"]], on="key", how="inner")
    return merged[LINKED_COLUMNS].reset_index(drop=True)


def pandas_backlog_flow(con, projects) -> pd.DataFrame:
    """Per calendar sprint, every item in scope created / resolved on one of its days, counted one by one."""
    items = con.execute("SELECT project, created, resolved, points FROM work_items").df()
    as_of = max(max(items["created"]), max(items["resolved"].dropna()))   # of the whole store
    if projects:
        items = items[items["project"].isin(projects)]
    created = pd.to_datetime(items["created"]).dt.date
    resolved = pd.to_datetime(items["resolved"]).dt.date
    pts = items["points"].fillna(0.0)
    rows = []
    for name, start, end in con.execute("SELECT name, start_date, end_date FROM calendar "
                                        "ORDER BY start_date, name").fetchall():
        made = (created >= start) & (created <= end)
        done = resolved.map(lambda d: d is not None and not pd.isna(d) and start <= d <= end).astype(bool)
        rows.append({"sprint": name, "completed": end <= as_of.date(), "created_items": int(made.sum()),
                     "resolved_items": int(done.sum()), "net_items": int(made.sum()) - int(done.sum()),
                     "created_points": float(pts[made].sum()), "resolved_points": float(pts[done].sum())})
    return pd.DataFrame(rows)


KNOBS = [
    Knobs(),
    Knobs(rule_added_mid_sprint=False),                        # U3 is planned then
    Knobs(rule_label=False, unplanned_types=("bug", "Story")),  # types compared without case; labels off
    Knobs(rule_type=False, unplanned_labels=("INTERRUPT",)),    # only U2 (label), U3 (mid-sprint)
    # no "alert" keyword: INC-4 falls to `other`, and U2 with it (still the latest incident)
    Knobs(category_keywords=tuple((c, tuple(w for w in words if w != "alert"))
                                  for c, words in DEFAULT_CATEGORY_KEYWORDS)),
]
PROJECTS = [None, ("T",), ("B",), ("T", "B"), ("C",)]


@pytest.mark.parametrize("projects", PROJECTS)
@pytest.mark.parametrize("knobs", KNOBS)
def test_linked_work_matches_the_pandas_merge(con, knobs, projects):
    got = L.linked_work(con, knobs, projects)
    want = pandas_linked_work(con, knobs, projects)
    assert list(got.columns) == LINKED_COLUMNS
    if want.empty:   # the pandas version returned a column-only frame when nothing was linked
        assert got.empty
        return
    pd.testing.assert_frame_equal(got, want)


def test_linked_work_by_hand(con):
    got = L.linked_work(con, Knobs()).set_index("key")
    # P2 is planned, U7 is not linked, D1 is neither unplanned nor linked
    assert list(got.index) == ["U1", "U6", "U2", "U3", "U4", "U5", "U8", "U9", "U10"]
    assert got.loc["U2", "category"] == "monitoring"        # INC-4 (01-21) is later than INC-2 (01-20)
    assert got.loc["U1", "category"] == "monitoring" and got.loc["U4", "category"] == "deployment"
    assert got.loc["U3", ["pts", "hrs"]].tolist() == [0.0, 2.0]   # no points: 0
    assert got.loc["U3", "completion_sprint"] == "S2" and got.loc["U2", "completion_sprint"] == "S2"
    assert pd.isna(got.loc["U6", "completion_sprint"]) and pd.isna(got.loc["U10", "completion_sprint"])
    assert list(L.linked_work(con, Knobs(), ("B",))["key"]) == ["U5"]
    assert list(L.linked_work(con, Knobs(rule_added_mid_sprint=False))["key"]) == [
        "U1", "U6", "U2", "U4", "U5", "U8", "U9", "U10"]


@pytest.mark.parametrize("projects", PROJECTS)
def test_backlog_flow_matches_a_count_over_every_item(con, projects):
    got = L.backlog_flow(con, Knobs(), projects)
    want = pandas_backlog_flow(con, projects)
    assert list(got.columns) == ["sprint", "start", "end", "completed", "created_items", "resolved_items",
                                 "net_items", "created_points", "resolved_points"]
    assert [str(t) for t in got.dtypes[4:]] == ["int64"] * 3 + ["float64"] * 2
    pd.testing.assert_frame_equal(got.drop(columns=["start", "end"]), want, check_dtype=False)


def test_backlog_flow_by_hand(con):
    flow = L.backlog_flow(con, Knobs()).set_index("sprint")
    # B1 (01-10..01-23) overlaps S1 and S2: created U6 (01-10), U2 (01-19); resolved P1 (01-10), P2 (01-12),
    # U2 (01-22)
    assert flow.loc["B1", ["created_items", "resolved_items", "net_items"]].tolist() == [2, 3, -1]
    assert flow.loc["B1", ["created_points", "resolved_points"]].tolist() == [12.0, 10.0]
    # S3: created U5, U8, U9, U10; resolved U4, U5, U8, U9, U10 (U4 was created on 02-01, in S2)
    assert flow.loc["S3", ["created_items", "resolved_items"]].tolist() == [4, 5]
    assert flow.loc["S3", "created_points"] == 3 + 0.5 + 1.5 + 2
    assert flow.loc["S4", ["created_items", "resolved_items", "net_items"]].tolist() == [0, 1, -1]   # U6
    assert not flow.loc["S4", "completed"] and flow.loc["S3", "completed"]


@pytest.mark.parametrize("projects", [None, ("T",)])
def test_debt_items_are_the_open_tech_debt_items_with_their_incident_count(con, projects):
    """leadership_debt_items gives the number of incidents an item is linked to, not their ids, and leaves out the
    item's lists; everything else is what it returned before (the open items of tech_debt_items)."""
    params = queries.params_for(Knobs(), projects)
    text = ("SELECT * EXCLUDE (status_category, resolved, done) REPLACE (CASE WHEN category_rule = "
            "'no rule matched' THEN NULL ELSE category END AS category) FROM (" + queries.sql("tech_debt_items")
            + ") WHERE resolved IS NULL ORDER BY created, key")
    before = con.execute(text, {k: v for k, v in params.items() if k in set(queries.PARAM.findall(text))}).df()
    got = L.debt_items(con, Knobs(), projects)
    assert list(got["incidents"]) == [len(ids) for ids in before["incident_ids"]]
    pd.testing.assert_frame_equal(got.drop(columns=["incidents"]),
                                  before.drop(columns=["labels", "components", "sprints", "incident_ids"]))
    if projects is None:
        assert list(got["key"]) == ["A1", "D1"] and list(got["incidents"]) == [2, 0]


@pytest.mark.parametrize("knobs", KNOBS[:3])
def test_the_view_is_what_the_pandas_linked_work_gives(con, knobs):
    """Every figure built on the linked work (categories of the period, impact, suggested r, plan) is the same
    as with the frame the pandas merge gave."""
    new = L.collect(con, knobs, settings=L.Settings(period_sprints=2))
    data = L.read_store(con, knobs)
    old = L.assemble(L.StoreData(series=data.series, flow=data.flow, incidents=data.incidents,
                                 linked=pandas_linked_work(con, knobs, None), debt=data.debt, as_of=data.as_of),
                     knobs, L.Settings(period_sprints=2), None,
                     oncall_for=lambda p: L.oncall_in(con, knobs, None, p))
    pd.testing.assert_frame_equal(new.categories, old.categories)
    pd.testing.assert_frame_equal(new.impact, old.impact)
    pd.testing.assert_frame_equal(new.plan.items, old.plan.items)
    pd.testing.assert_frame_equal(new.suggested.items, old.suggested.items)
    assert (new.suggested.value, new.suggested.linked_points, new.suggested.unplanned_points) == (
        old.suggested.value, old.suggested.linked_points, old.suggested.unplanned_points)
    assert new.ask == old.ask and new.summary == old.summary


def every_item(*args, **kwargs):
    raise AssertionError("the leadership view read sprints.classified_items (a row per work item in scope)")


def test_the_view_never_reads_every_work_item(con, monkeypatch):
    """The leadership view reads small query results only: not the classified frame of every item in scope."""
    monkeypatch.setattr(sprints, "classified_items", every_item)
    view = L.collect(con, Knobs())
    assert len(view.linked) == 9 and view.flow.table["sprint"].tolist() == ["S1", "B1", "S2", "S3"]
    assert view.period.end == dt.date(2026, 2, 15)


@pytest.mark.parametrize("path", ["pages/firefighter.py", "pages/investment.py"])
def test_the_pages_never_read_every_work_item(sample_store, monkeypatch, path):
    """Nor do the Firefighter and Investment pages and what they cache (ui/leadership.py)."""
    monkeypatch.setattr(sprints, "classified_items", every_item)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.switch_page(path).run()
    assert not at.exception, at.exception
    assert len(at.get("plotly_chart")) == 4
