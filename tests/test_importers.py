"""Importers on our own fixtures (written from the documented export facts) and on the real samples in ../shared."""

import datetime as dt

import pytest

from analytics import store
from analytics.errors import AlreadyImported, ImportRejected
from tests.builders import FIXTURES, SHARED_SAMPLES, load, needs_shared, new_store, rows



def test_jira_cloud_all_fields():
    con = new_store()
    r = load(con, "jira_cloud_all_fields.csv")
    assert (r.format, r.table, r.rows_read, r.rows_loaded, r.rows_rejected) == ("jira_csv", "work_items", 3, 3, 0)
    bug, story, task = rows(con, "SELECT * FROM work_items ORDER BY key")
    assert bug["key"] == "SHOP-101" and bug["project"] == "SHOP" and bug["type"] == "Bug"
    assert bug["created"] == dt.datetime(2026, 3, 3, 9, 15)
    assert bug["resolved"] == dt.datetime(2026, 3, 5, 16, 40)   # 4:40 PM
    assert bug["time_spent_hours"] == 4.0                         # 14400 seconds
    assert bug["points"] == 3.0                                   # from 'Story point estimate'
    assert bug["labels"] == ["customer-reported", "interrupt"]    # repeated Labels, empties dropped
    assert bug["severity"] == "Sev-2" and bug["status_category"] == "done"
    assert {"type": "Relates (inward)", "key": "SHOP-90"} in bug["links"]
    assert {"type": "Blocks (outward)", "key": "SHOP-120"} in bug["links"]
    assert {"type": "incident", "key": "PQ7XYZ"} in bug["links"]
    # a legacy sprint string in a Sprint cell gives the sprint's name; order kept (carry-over)
    assert story["sprints"] == ["SHOP Sprint 6", "SHOP Sprint 7"]
    assert story["points"] == 5.0 and story["parent"] == "SHOP-50" and story["status_category"] == "in_progress"
    assert task["assignee"] is None and task["sprints"] == [] and task["status_category"] == "todo"


def test_jira_server_24_hour_dates_and_priority_as_severity():
    con = new_store()
    r = load(con, "jira_server_24h.csv")
    assert r.rows_loaded == 2
    bug, story = rows(con, "SELECT * FROM work_items ORDER BY key")
    assert bug["created"] == dt.datetime(2020, 6, 25, 12, 44) and bug["resolved"] == dt.datetime(2020, 6, 26, 8, 5)
    assert bug["time_spent_hours"] == 1.5 and bug["points"] == 2.0
    # no Status Category column: derived from the resolution and the status name
    assert bug["status_category"] == "done" and story["status_category"] == "todo"
    # no severity column at all: severity comes from priority
    assert bug["severity"] == "Major"


def test_pagerduty_offsets_convert_to_utc():
    con = new_store()
    r = load(con, "pagerduty_incidents.csv")
    assert (r.format, r.table, r.rows_loaded) == ("pagerduty_csv", "incidents", 2)
    a, b = rows(con, "SELECT * FROM incidents ORDER BY id")
    assert a["created"] == dt.datetime(2026, 3, 3, 8, 55) and a["resolved"] == dt.datetime(2026, 3, 3, 10, 10, 30)
    assert a["acknowledged"] == dt.datetime(2026, 3, 3, 8, 56, 30)  # + 90 s
    assert a["severity"] == "P2" and a["service"] == "checkout-api" and a["responder"] == "Priya Nair"
    assert b["created"] == dt.datetime(2026, 3, 4, 22, 30)  # 23:30+01:00
    assert b["resolved"] is None and b["postmortem"] is None


def test_oncall_ics_and_csv():
    con = new_store()
    r = load(con, "oncall_pagerduty.ics")
    assert (r.format, r.table, r.rows_loaded) == ("oncall_ics", "oncall_shifts", 2)
    shifts = rows(con, 'SELECT person, "start", "end" FROM oncall_shifts ORDER BY "start"')
    assert shifts[0] == {"person": "Priya Nair", "start": dt.datetime(2026, 3, 2, 9), "end": dt.datetime(2026, 3, 9, 9)}
    assert shifts[1]["person"] == "Tom Becker" and shifts[1]["start"] == dt.datetime(2026, 3, 9, 9)  # 10:00 Berlin
    con2 = new_store()
    r = load(con2, "oncall_shifts.csv")
    assert (r.format, r.rows_loaded) == ("oncall_csv", 2)
    assert rows(con2, "SELECT sum(epoch(\"end\" - \"start\")) / 3600 AS h FROM oncall_shifts")[0]["h"] == 168 + 72


@pytest.mark.parametrize("name, expected", [
    ("sprints_named_columns.csv", [("SHOP Sprint 6", dt.date(2026, 2, 16), dt.date(2026, 3, 1), 40.0, 6.0),
                                   ("SHOP Sprint 7", dt.date(2026, 3, 2), dt.date(2026, 3, 15), 38.0, None)]),
    ("sprints_jira_api_fields.csv", [("SHOP Sprint 7", dt.date(2026, 3, 2), dt.date(2026, 3, 15), None, None)]),
])
def test_sprint_files_with_flexible_headers(name, expected):
    con = new_store()
    assert load(con, name).format == "sprints_csv"
    got = con.execute("SELECT name, start_date, end_date, capacity_points, reserve_points FROM sprints "
                      "ORDER BY start_date").fetchall()
    assert got == expected


def test_same_file_twice_is_already_imported_and_changes_nothing():
    con = new_store()
    load(con, "jira_cloud_all_fields.csv")
    before = store.data_version(con)
    with pytest.raises(AlreadyImported, match="already imported"):
        load(con, "jira_cloud_all_fields.csv")
    assert store.data_version(con) == before
    assert con.execute("SELECT count(*) FROM imports").fetchone()[0] == 1


def test_newer_export_updates_by_key_and_undo_restores():
    con = new_store()
    first = load(con, "jira_cloud_all_fields.csv")
    newer = (FIXTURES / "jira_cloud_all_fields.csv").read_text(encoding="utf-8").replace(
        "Refactor payment retries", "Refactor payment retries (split)")
    newer = "\n".join(l for l in newer.split("\n") if "SHOP-102" not in l or "Saved cards" not in l)
    second = store.import_file(con, "jira_newer.csv", data=newer.encode())
    assert second.rows_replaced == 2
    assert con.execute("SELECT count(*) FROM work_items").fetchone()[0] == 3  # SHOP-102 kept from the first export
    assert con.execute("SELECT summary FROM work_items WHERE key = 'SHOP-103'").fetchone()[0].endswith("(split)")
    with pytest.raises(ValueError, match="undo that one first"):
        store.undo_import(con, first.import_id)
    store.undo_import(con, second.import_id)
    assert con.execute("SELECT summary FROM work_items WHERE key = 'SHOP-103'").fetchone()[0] == \
        "Refactor payment retries"
    assert con.execute("SELECT count(*) FROM work_items").fetchone()[0] == 3
    store.undo_import(con, first.import_id)
    assert con.execute("SELECT count(*) FROM work_items").fetchone()[0] == 0


def test_bad_values_are_rejected_with_row_and_column():
    con = new_store()
    text = (FIXTURES / "jira_server_24h.csv").read_text(encoding="utf-8").replace("22/Oct/21 16:55", "yesterday")
    r = store.import_file(con, "bad.csv", data=text.encode())
    assert (r.rows_read, r.rows_loaded, r.rows_rejected) == (2, 1, 1)
    (reject,) = r.rejects
    assert (reject.file, reject.row, reject.column, reject.value) == ("bad.csv", 3, "Created", "yesterday")
    assert "not a date" in reject.reason
    assert con.execute("SELECT rows_rejected FROM imports").fetchone()[0] == 1


def test_a_file_with_no_loadable_row_changes_nothing():
    con = new_store()
    load(con, "jira_cloud_all_fields.csv")
    before = store.data_version(con)
    text = (FIXTURES / "jira_server_24h.csv").read_text(encoding="utf-8")
    text = text.replace("25/Jun/20 12:44", "soon").replace("22/Oct/21 16:55", "later")
    with pytest.raises(ImportRejected, match=r"bad\.csv: no row could be loaded \(2 read\)\. First problem: row 2, "
                                             r"column 'Created'"):
        store.import_file(con, "bad.csv", data=text.encode())
    assert store.data_version(con) == before
    assert con.execute("SELECT count(*) FROM work_items").fetchone()[0] == 3


def test_unrecognised_columns_name_the_file():
    with pytest.raises(ImportRejected, match=r"^notes\.csv, row 1: the columns \(a, b\) match no supported export"):
        store.import_file(new_store(), "notes.csv", data=b"a,b\n1,2\n")


@needs_shared
def test_shared_jira_cloud_sample_with_repeated_columns():
    con = new_store()
    r = store.import_file(con, "cloud.csv",
                          path=SHARED_SAMPLES / "jira_cloud_2020_all_fields_repeated_sprint_link_comment_columns.csv")
    assert (r.format, r.rows_loaded, r.rows_rejected) == ("jira_csv", 2, 0)
    one = rows(con, "SELECT * FROM work_items WHERE key = 'TEST-1'")[0]
    assert one["type"] == "Issue" and one["project"] == "T" and one["status_category"] == "todo"
    assert one["created"] == dt.datetime(2020, 9, 28, 9, 31)
    assert one["sprints"] == [] and one["labels"] == [] and one["points"] is None and one["links"] == []
    assert rows(con, "SELECT type FROM work_items WHERE key = 'TEST-2'")[0]["type"] == "Task"


@needs_shared
def test_shared_jira_server_sample_with_multiline_descriptions():
    con = new_store()
    r = store.import_file(con, "server.csv", path=SHARED_SAMPLES / "jira_server_2020_issue_export_multiline_descriptions.csv")
    assert (r.rows_read, r.rows_loaded) == (4, 4)
    got = rows(con, "SELECT key, type, created, status_category, severity FROM work_items ORDER BY created")
    assert got[0] == {"key": "SMRGR-2151", "type": "Improvement", "created": dt.datetime(2018, 1, 12, 13, 47),
                      "status_category": "todo", "severity": "Minor"}
    assert [g["key"] for g in got] == ["SMRGR-2151", "SMRGR-2643", "SMRGR-3672", "SMRGR-6275"]


@needs_shared
def test_shared_worklog_export_is_not_an_issue_export():
    with pytest.raises(ImportRejected, match="jira_worklog_export_hours_per_entry.csv, row 1: the columns"):
        store.import_file(new_store(), "jira_worklog_export_hours_per_entry.csv",
                          path=SHARED_SAMPLES / "jira_worklog_export_hours_per_entry.csv")
