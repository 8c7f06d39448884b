"""Stability analytics (Incidents and Follow-through pages) on a small hand-built store.

The store, in words:
- incidents a, b, e are monitoring (keywords), c integration, d other; b recurs 15 days after a,
  e comes 95 days 6 hours after b (a recurrence only with a window of 96 days or more);
- H1 (hotfix, linked from a and named by b), H2 (named by b), A2 (task added mid-sprint, linked to b)
  are unplanned work completed in sprints: 3 + 2 + 1 = 6 monitoring points; H3 (integration) has no points;
- A1 is an open action item of a; D1-D3 are labelled debt; PIR-1 is a's post-incident review.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analytics import dod, incidents, sprints, stability
from analytics.config import Knobs
from analytics.stability import MappingError
from tests.builders import insert, item, new_store, sprint

AS_OF = dt.datetime(2026, 5, 3, 12, 0)


def incident(id, title, created, resolved=None, severity=None, **extra):
    return {"id": id, "title": title, "created": created, "resolved": resolved, "severity": severity, **extra}


def build(con) -> None:
    insert(con, "sprints", [sprint("S1", "2026-01-05", "2026-01-18"), sprint("S2", "2026-01-19", "2026-02-01"),
                            sprint("S3", "2026-02-02", "2026-02-15"), sprint("S4", "2026-04-20", "2026-05-03")])
    insert(con, "incidents", [
        incident("a", "Alert storm on checkout", "2026-01-05 10:00", "2026-01-05 12:00", "P2", service="api",
                 responder="Alice"),
        incident("b", "Missing metric for payments", "2026-01-20 03:00", "2026-01-20 07:00", "P1", service="api",
                 responder="Alice", related_keys=["H2", "H1"]),
        incident("c", "Webhook failures", "2026-02-10 14:00", "2026-02-10 15:00", "P3", service="pay",
                 responder="Bob"),
        incident("d", "Something odd", "2026-02-16 20:00"),
        incident("e", "Dashboard blank", "2026-04-25 09:00", "2026-04-25 19:00", "Sev-2", service="api",
                 responder="Bob", postmortem=True),
    ])
    insert(con, "work_items", [
        item("H1", "Hotfix", created="2026-01-05 11:00", resolved="2026-01-06 11:00", points=3, hours=4,
             sprints=["S1"], links=[("incident", "a")], assignee="Alice"),
        item("H2", "Bug", created="2026-01-20 04:00", resolved="2026-01-21 04:00", points=2, sprints=["S2"],
             assignee="Bob"),
        item("A1", "Task", created="2026-01-06 09:00", points=5, links=[("incident", "a")],
             labels=["incident-followup"], assignee="Alice", summary="Add alert on 5xx"),
        item("A2", "Task", created="2026-01-21 09:00", resolved="2026-01-30 09:00", points=1, sprints=["S2"],
             links=[("incident", "b")], assignee="Alice"),
        item("H3", "Hotfix", created="2026-02-10 14:30", resolved="2026-02-11 14:30", hours=2, sprints=["S3"],
             links=[("incident", "c")], assignee="Bob"),
        item("PIR-1", "Post-incident review", created="2026-01-07 09:00", resolved="2026-01-08 09:00",
             links=[("incident", "a")]),
        item("D1", "Task", created="2025-12-01 00:00", points=8, labels=["Tech-Debt"],
             summary="Refactor retry logic"),
        item("D2", "Task", created="2025-12-10 00:00", points=2, labels=["debt"], components=["Capacity"],
             summary="Clean up"),
        item("D3", "Task", created="2025-12-11 00:00", resolved="2026-01-10 00:00", points=1, labels=["techdebt"],
             summary="Something"),
        item("X1", "Story", created="2026-01-01 00:00", resolved="2026-01-10 00:00", points=5, sprints=["S1"],
             assignee="Alice"),
        item("X3", "Story", created="2026-04-01 00:00", resolved="2026-05-03 12:00", points=4, sprints=["S4"],
             assignee="Bob"),
        item("X4", "Story", created="2026-02-01 00:00", resolved="2026-02-12 00:00", points=6, sprints=["S3"],
             assignee="Carol"),
    ])


@pytest.fixture
def con():
    con = new_store()
    build(con)
    return con


@pytest.fixture
def table(con):
    return incidents.incident_table(con, Knobs())


def test_the_store_says_what_the_docstring_says(con, table):
    t = table.set_index("id")
    assert t["category"].to_dict() == {"a": "monitoring", "b": "monitoring", "c": "integration", "d": "other",
                                       "e": "monitoring"}
    assert t["recurrence"].to_dict() == {"a": False, "b": True, "c": False, "d": False, "e": False}
    assert sprints.data_as_of(con) == AS_OF


# --- incidents over time -------------------------------------------------------------------------------------

def test_incidents_per_month_every_month_and_category(table):
    frame = stability.incidents_over_time(table, "month")
    assert list(dict.fromkeys(frame["period"])) == ["Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026"]
    assert list(dict.fromkeys(frame["category"])) == ["monitoring", "integration", "other"]
    got = {(r.period, r.category): (r.incidents, r.recurrences, r.first_occurrences) for r in frame.itertuples()}
    assert got[("Jan 2026", "monitoring")] == (2, 1, 1)
    assert got[("Feb 2026", "integration")] == (1, 0, 1)
    assert got[("Feb 2026", "other")] == (1, 0, 1)
    assert got[("Mar 2026", "monitoring")] == (0, 0, 0)
    assert got[("Apr 2026", "monitoring")] == (1, 0, 1)
    assert frame["incidents"].sum() == 5 and len(frame) == 12


def test_incidents_per_sprint_leave_out_days_no_sprint_covers(con, table):
    calendar = sprints.sprint_series(con, Knobs())[["sprint", "start", "end"]]
    frame = stability.incidents_over_time(table, "sprint", calendar)
    assert list(dict.fromkeys(frame["period"])) == ["S1", "S2", "S3", "S4"]
    per = frame.groupby("period")["incidents"].sum().to_dict()
    assert per == {"S1": 1, "S2": 1, "S3": 1, "S4": 1}  # d (Feb 16) is after S3 and before S4
    assert stability.outside_sprints(table, calendar) == 1
    assert frame.set_index(["period", "category"]).loc[("S2", "monitoring"), "recurrences"] == 1


def test_incidents_per_quarter_and_the_recurrence_window(con):
    table = incidents.incident_table(con, Knobs(recurrence_days=96))
    frame = stability.incidents_over_time(table, "quarter")
    got = frame.set_index(["period", "category"])
    assert list(dict.fromkeys(frame["period"])) == ["2026 Q1", "2026 Q2"]
    assert tuple(got.loc[("2026 Q2", "monitoring"), ["incidents", "recurrences"]]) == (1, 1)  # e now recurs


def test_empty_table_gives_empty_frames():
    empty = incidents.incident_table(new_store(), Knobs())
    assert stability.incidents_over_time(empty).empty
    assert stability.category_costs(empty, pd.DataFrame()).empty
    assert stability.resolve_times(empty).empty
    assert stability.postmortem_coverage_over_time(empty).empty


# --- what categories cost ------------------------------------------------------------------------------------

def test_category_costs_count_unplanned_completed_linked_items_once(con, table):
    costs = stability.category_costs(table, stability.linked_work(con, Knobs())).set_index("category")
    assert list(costs.index) == ["monitoring", "integration", "other"]
    mon = costs.loc["monitoring"]
    # H1 (3 pts, 4 h; linked to a and b: once), H2 (2), A2 (1, added mid-sprint); A1 is open, PIR-1 in no sprint
    assert (mon["incidents"], mon["recurrences"], mon["unplanned_points"], mon["unplanned_hours"],
            mon["unplanned_items"], mon["linked_items"]) == (3, 1, 6.0, 4.0, 3, 5)
    assert mon["recurrence_rate"] == pytest.approx(1 / 3)
    integ = costs.loc["integration"]
    assert (integ["unplanned_points"], integ["unplanned_hours"], integ["items_without_points"]) == (0.0, 2.0, 1)
    assert costs.loc["other", "unplanned_items"] == 0


def test_category_costs_follow_the_unplanned_rules(con, table):
    knobs = Knobs(rule_added_mid_sprint=False)  # A2 becomes planned work
    costs = stability.category_costs(table, stability.linked_work(con, knobs)).set_index("category")
    assert costs.loc["monitoring", "unplanned_points"] == 5.0


# --- time to resolve -----------------------------------------------------------------------------------------

def test_resolve_times_per_category(table):
    times = stability.resolve_times(table, "category").set_index("group")
    mon = times.loc["monitoring"]
    # 2, 4, 10 hours: median 4, p90 = 4 + 0.8 x (10 - 4) = 8.8
    assert (mon["resolved"], mon["median_hours"], mon["p90_hours"]) == (3, 4.0, pytest.approx(8.8))
    assert mon["mean_hours"] == pytest.approx(16 / 3)
    assert (times.loc["other", "resolved"], times.loc["other", "unresolved"]) == (0, 1)
    assert pd.isna(times.loc["other", "median_hours"])


def test_resolve_times_per_severity_most_severe_first(table):
    times = stability.resolve_times(table, "severity")
    assert list(times["group"]) == ["P1", "P2", "Sev-2", "P3", "(none)"]
    assert list(times["median_hours"][:4]) == [4.0, 2.0, 10.0, 1.0]
    assert list(times["resolved"]) == [1, 1, 1, 1, 0]


# --- per service ---------------------------------------------------------------------------------------------

def test_by_service(table):
    assert stability.has_services(table)
    services = stability.by_service(table).set_index("service")
    assert list(services.index) == ["api", "(no service)", "pay"]
    api = services.loc["api"]
    assert (api["incidents"], api["recurrences"], api["monitoring"], api["integration"]) == (3, 1, 3, 0)
    assert api["median_hours"] == 4.0
    assert services.loc["pay", "integration"] == 1


def test_no_services(table):
    assert not stability.has_services(table.assign(service=None))


# --- the keyword table ---------------------------------------------------------------------------------------

def test_keyword_rows_round_trip():
    knobs = Knobs()
    rows = stability.keyword_rows(knobs.category_keywords)
    assert list(rows.columns) == ["category", "keywords"]
    assert rows.iloc[0].to_dict() == {"category": "monitoring",
                                      "keywords": "alert, monitoring, dashboard, metric, observability, paging"}
    assert stability.keywords_from_rows(rows) == knobs.category_keywords


def test_keywords_from_edited_rows():
    rows = pd.DataFrame({"category": ["payments", None, " Monitoring ", "payments", ""],
                         "keywords": ["webhook,  Stripe ,,", None, "alert", "stripe, refund", None]})
    assert stability.keywords_from_rows(rows) == (("payments", ("webhook", "Stripe", "refund")),
                                                  ("Monitoring", ("alert",)))


@pytest.mark.parametrize("rows, message", [
    ({"category": ["x"], "keywords": [" , "]}, "row 1: category 'x' has no keywords"),
    ({"category": [None, ""], "keywords": [None, "alert"]}, "row 2: keywords 'alert' have no category"),
    ({"category": ["Other"], "keywords": ["x"]}, "row 1: 'other'"),
    ({"category": [None], "keywords": [None]}, "the table is empty"),
])
def test_keywords_from_rows_rejects_what_cannot_work(rows, message):
    with pytest.raises(MappingError, match=message.replace("(", r"\(")):
        stability.keywords_from_rows(pd.DataFrame(rows))


def test_an_edited_keyword_table_changes_categories_and_unmatched(con, table):
    assert list(stability.unmatched(table)["id"]) == ["d"]
    edited = stability.keywords_from_rows(pd.DataFrame({"category": ["weird", "integration"],
                                                        "keywords": ["odd", "webhook"]}))
    t = incidents.incident_table(con, Knobs(category_keywords=edited)).set_index("id")
    assert t.loc["d", "category"] == "weird" and t.loc["d", "category_rule"] == 'keyword "odd"'
    assert t.loc["a", "category"] == "other"
    assert sorted(stability.unmatched(t.reset_index())["id"]) == ["a", "b", "e"]


# --- post-mortems --------------------------------------------------------------------------------------------

def test_postmortem_coverage_per_quarter_and_month(table):
    q = stability.postmortem_coverage_over_time(table, "quarter")
    assert q[["period", "severe_incidents", "with_postmortem"]].values.tolist() == [["2026 Q1", 2, 1],
                                                                                   ["2026 Q2", 1, 1]]
    assert list(q["coverage"]) == [0.5, 1.0]
    m = stability.postmortem_coverage_over_time(table, "month")
    assert list(m["period"]) == ["Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026"]
    assert list(m["severe_incidents"]) == [2, 0, 0, 1]
    assert (m["coverage"][0], m["coverage"][3]) == (0.5, 1.0)
    assert pd.isna(m["coverage"][1]) and pd.isna(m["coverage"][2])  # no SEV1/2 incident: no coverage, not 0


def test_severe_without_postmortem(table):
    assert list(stability.severe_without_postmortem(table)["id"]) == ["b"]


# --- action items --------------------------------------------------------------------------------------------

def test_action_item_ages_open_oldest_first(con):
    items = incidents.action_items(con, Knobs())
    ages = stability.action_item_ages(items, AS_OF)
    assert list(ages["key"]) == ["A1", "H1", "H2", "A2", "H3"]  # open first, then done by creation
    a1 = ages.iloc[0]
    # 2026-01-06 09:00 -> 2026-05-03 12:00 = 117 days 3 hours
    assert a1["age_days"] == pytest.approx(117.125) and not a1["scheduled"]
    done = ages.set_index("key")
    assert done.loc["H1", "days_to_done"] == pytest.approx(1.0) and pd.isna(done.loc["H1", "age_days"])
    assert done.loc["A2", "days_to_done"] == pytest.approx(9.0) and done.loc["A2", "scheduled"]


def test_forgotten_lists_spell_out_incidents_and_items(con, table):
    repeats = incidents.repeats_with_open_actions(con, Knobs(), details=True)
    items = incidents.action_items(con, Knobs())
    forgotten = stability.forgotten_lists(repeats, table, items)
    assert list(forgotten["id"]) == ["b"]
    assert forgotten.iloc[0]["earlier"] == ["a: Alert storm on checkout"]
    assert forgotten.iloc[0]["open_items"] == ["A1: Add alert on 5xx"]
    assert (forgotten.iloc[0]["earlier_count"], forgotten.iloc[0]["open_count"]) == (1, 1)


def test_forgotten_lists_cut_long_lists_after_the_limit():
    repeats = pd.DataFrame({"id": ["r"], "earlier_incidents": [["a", "b", "c"]], "open_action_items": [["K1"]]})
    table = pd.DataFrame({"id": ["a", "b", "c"], "title": ["A", "B", "C"]})
    items = pd.DataFrame({"key": ["K1"], "summary": ["Fix it"]})
    row = stability.forgotten_lists(repeats, table, items, limit=2).iloc[0]
    assert row["earlier"] == ["a: A", "b: B", "… and 1 more"] and row["earlier_count"] == 3
    assert row["open_items"] == ["K1: Fix it"]
    assert stability.forgotten_lists(repeats, table, items, limit=3).iloc[0]["earlier"] == ["a: A", "b: B", "c: C"]


# --- tech debt -----------------------------------------------------------------------------------------------

def test_tech_debt_items_and_their_categories(con):
    debt = stability.tech_debt(con, Knobs(), None, AS_OF).set_index("key")
    assert sorted(debt.index) == ["A1", "A2", "D1", "D2", "D3", "H1", "H2", "H3"]  # not PIR-1, not the stories
    assert debt.loc["H1", "category_rule"] == "linked incident b"  # the latest linked incident
    assert debt.loc["D1", ["category", "category_rule"]].tolist() == ["error-handling", 'keyword "retry"']
    assert debt.loc["D2", ["category", "category_rule"]].tolist() == ["capacity", "label or component"]
    assert debt.loc["D3", ["category", "category_rule"]].tolist() == ["other", "no rule matched"]
    assert bool(debt.loc["D1", "debt_label"]) and not bool(debt.loc["A1", "debt_label"])
    # 2025-12-01 00:00 -> 2026-05-03 12:00 = 153.5 days; done items have no age
    assert debt.loc["D1", "age_days"] == pytest.approx(153.5)
    assert pd.isna(debt.loc["D3", "age_days"])


def test_tech_debt_by_category_with_the_business_case(con, table):
    costs = stability.category_costs(table, stability.linked_work(con, Knobs()))
    by = stability.tech_debt_by_category(stability.tech_debt(con, Knobs(), None, AS_OF), costs)
    assert list(by["category"]) == ["monitoring", "error-handling", "capacity", "integration", "other"]
    mon = by.iloc[0]
    assert (mon["open_items"], mon["open_points"], mon["done_items"], mon["unplanned_points"], mon["recurrences"]) \
        == (1, 5.0, 3, 6.0, 1)
    assert mon["median_age_days"] == pytest.approx(117.125)
    cap = by.set_index("category").loc["capacity"]
    assert (cap["open_points"], cap["oldest_age_days"], cap["unplanned_points"]) == (2.0, pytest.approx(144.5), 0.0)


# --- Definition of Done --------------------------------------------------------------------------------------

def test_dod_gaps_for_recurring_categories(con, table):
    costs = stability.category_costs(table, stability.linked_work(con, Knobs()))
    gaps = dod.dod_gaps(costs, table, dod.DEFAULT_DOD)
    assert gaps[["category", "dod_item", "incidents", "recurrences", "unplanned_points"]].values.tolist() == [
        ["monitoring", "Alerting and dashboards exist before release", 3, 1, 6.0]]
    assert gaps.iloc[0]["example_incidents"] == ["Missing metric for payments"]
    wide = incidents.incident_table(con, Knobs(recurrence_days=100))
    costs = stability.category_costs(wide, stability.linked_work(con, Knobs(recurrence_days=100)))
    gaps = dod.dod_gaps(costs, wide, dod.DEFAULT_DOD)
    assert gaps.iloc[0]["recurrences"] == 2
    assert gaps.iloc[0]["last_recurrence"] == pd.Timestamp("2026-04-25 09:00")


def test_dod_gaps_leave_out_other_and_flag_unmapped():
    table = pd.DataFrame({"id": list("abcd"), "title": ["x", "y", "z", "w"], "category": ["db", "db", "other", "other"],
                          "recurrence": [False, True, False, True], "created": pd.to_datetime(["2026-01-01"] * 4)})
    costs = pd.DataFrame({"category": ["db", "other"], "incidents": [2, 2], "recurrences": [1, 1],
                          "recurrence_rate": [0.5, 0.5], "unplanned_points": [0.0, 0.0]})
    gaps = dod.dod_gaps(costs, table, dod.DEFAULT_DOD)
    assert list(gaps["category"]) == ["db"] and gaps.iloc[0]["dod_item"] == dod.NO_ITEM and not gaps.iloc[0]["mapped"]
    assert dod.other_recurrences(costs) == 1
    gaps = dod.dod_gaps(costs, table, (("DB", "Migrations rehearsed"),))  # category names ignore case
    assert gaps.iloc[0]["dod_item"] == "Migrations rehearsed"


def test_dod_mapping_rows_round_trip_and_errors():
    rows = dod.mapping_rows(dod.DEFAULT_DOD, ["monitoring", "db", "other"])
    assert rows.iloc[-1].to_dict() == {"category": "db", "dod_item": ""}  # new category, other never
    assert len(rows) == 7
    assert dod.mapping_from_rows(rows) == dod.DEFAULT_DOD  # the empty row is dropped
    with pytest.raises(MappingError, match="mapped twice"):
        dod.mapping_from_rows(pd.DataFrame({"category": ["a", "A"], "dod_item": ["x", "y"]}))
    with pytest.raises(MappingError, match="has no category"):
        dod.mapping_from_rows(pd.DataFrame({"category": [None], "dod_item": ["x"]}))


def _gaps(dod_item: str, category: str, examples: list[str]) -> pd.DataFrame:
    return pd.DataFrame([{"category": category, "dod_item": dod_item, "mapped": True, "incidents": 4,
                          "recurrences": 3, "recurrence_rate": 0.75, "unplanned_points": 7.5,
                          "example_incidents": examples, "last_recurrence": None}])


def test_checklist_markdown():
    text = dod.checklist_markdown(_gaps("Rollback tested", "deployment", ["Bad [release](http://x)", "Oops"]), 90,
                                  "2026-05-03")
    assert text.startswith("# Definition of Done: additions from recurring incidents\n")
    assert "within 90 days before it. Data as of 2026-05-03." in text
    assert ("- [ ] **Rollback tested** (category deployment): 3 recurrences of 4 incidents (75%), 7.5 unplanned "
            "points. Examples: Bad \\[release\\]\\(http://x\\); Oops") in text
    assert "nothing to add" in dod.checklist_markdown(_gaps("x", "y", []).iloc[0:0], 90)


def test_checklist_csv_is_formula_safe():
    raw = dod.checklist_csv(_gaps("=HYPERLINK(\"http://x\")", "+cmd", ["-1 incident", "@sum", "\tx", "ok"]))
    text = raw.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == ",".join(f'"{c}"' for c in dod.CSV_COLUMNS)
    assert lines[1].startswith('"\'=HYPERLINK(""http://x"")","\'+cmd","4","3","0.75","7.5","\'-1 incident; @sum;')
