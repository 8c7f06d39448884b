"""Azure DevOps, Linear, GitHub Projects and Shortcut exports (EXPORT_FORMATS.md §3-5)."""

import datetime as dt

import pytest

from analytics.errors import ImportRejected
from tests.builders import load, new_store



def by_key(con):
    cur = con.execute("SELECT * FROM work_items ORDER BY key")
    cols = [d[0] for d in cur.description]
    return {r[0]: dict(zip(cols, r)) for r in cur.fetchall()}


# --- Azure DevOps ---------------------------------------------------------------------------

def test_azure_devops_tree_query():
    con = new_store()
    r = load(con, "ado_tree_query.csv")
    assert (r.format, r.rows_loaded, r.rows_rejected) == ("azure_devops_csv", 5, 0)
    items = by_key(con)
    feature, story, bug, new, removed = (items[k] for k in ("270", "272", "273", "274", "275"))
    assert feature["summary"] == "Checkout revamp"                      # from Title 1
    assert story["summary"] == "Saved cards page"                       # Title 1 empty: Title 2
    assert story["project"] == "Fabrikam"                               # root of Area Path Fabrikam\Checkout
    assert story["assignee"] == "Tom Becker"                            # `Name <email>` -> Name
    assert story["sprints"] == ["Sprint 6"]                             # Fabrikam\Release 1\Sprint 6
    assert feature["sprints"] == []                                     # the root alone: no sprint
    assert story["labels"] == ["frontend", "payments"]                  # `; `-separated tags
    assert story["points"] == 5.0 and story["time_spent_hours"] == 12.5  # Completed Work is hours
    assert story["created"] == dt.datetime(2026, 2, 20, 11, 2)
    assert story["resolved"] == dt.datetime(2026, 3, 12, 16, 40, 10)   # Closed Date wins over Resolved Date
    assert bug["resolved"] == dt.datetime(2026, 3, 5, 9, 10)            # not closed yet: Resolved Date
    assert bug["created"] == dt.datetime(2026, 3, 4, 18, 55, 3)         # 3/4/2026 6:55:03 PM
    assert bug["severity"] == "2 - Medium" and bug["priority"] == "1" and bug["parent"] == "270"
    assert [i["status_category"] for i in (feature, story, bug, new)] == ["in_progress", "done", "done", "todo"]
    # Removed: closed, but never completed work (its old Resolved Date is dropped)
    assert removed["status_category"] == "done" and removed["resolved"] is None


# --- Linear ---------------------------------------------------------------------------------

def test_linear_30_column_export():
    con = new_store()
    r = load(con, "linear_30_columns.csv")
    assert (r.format, r.rows_loaded, r.rows_rejected) == ("linear_csv", 3, 0)   # the archived issue is skipped
    items = by_key(con)
    assert "ENG-12" not in items
    bug, feature, canceled = items["ENG-42"], items["ENG-43"], items["ENG-44"]
    assert bug["project"] == "Engineering" and bug["points"] == 2.0 and bug["assignee"] == "priya@acme.io"
    assert bug["labels"] == ["Bug", "customer-reported"] and bug["type"] == "Bug"   # type from the label
    assert bug["created"] == dt.datetime(2026, 3, 4, 18, 55, 3) and bug["resolved"] == dt.datetime(2026, 3, 5, 9, 10)
    assert bug["sprints"] == ["Cycle 7"] and bug["parent"] == "ENG-40"         # unnamed cycle: its number
    assert feature["summary"] == "=SUM(A1:A3) in exports"                        # formula guard `'` stripped
    assert feature["created"] == dt.datetime(2026, 2, 25, 11, 21, 41)           # JS Date.toString()
    assert canceled["status_category"] == "done" and canceled["resolved"] is None
    # the cycle's dates are the sprint calendar; the cycle ends where the next starts
    assert con.execute("SELECT name, start_date, end_date FROM sprints").fetchall() == [
        ("Cycle 7", dt.date(2026, 3, 2), dt.date(2026, 3, 15))]


def test_linear_34_column_export_with_id_header_and_links():
    con = new_store()
    r = load(con, "linear_34_columns.csv")
    assert (r.format, r.rows_loaded) == ("linear_csv", 2)
    items = by_key(con)
    story, todo = items["PAY-101"], items["PAY-102"]
    assert story["sprints"] == ["Payments C12"] and story["labels"] == ["backend", "interrupt"]
    assert story["links"] == [{"type": "relates to", "key": "PAY-90"}, {"type": "relates to", "key": "PAY-91"},
                              {"type": "is blocked by", "key": "PAY-88"}]
    assert todo["links"] == [{"type": "duplicate of", "key": "PAY-77"}]
    assert todo["sprints"] == [] and todo["points"] is None and todo["status_category"] == "todo"
    assert con.execute("SELECT name, start_date, end_date FROM sprints").fetchall() == [
        ("Payments C12", dt.date(2026, 3, 2), dt.date(2026, 3, 15))]


# --- GitHub Projects ------------------------------------------------------------------------

def test_github_projects_view_with_date_fields():
    con = new_store()
    r = load(con, "github_project_view.tsv")
    assert (r.format, r.rows_read, r.rows_loaded) == ("github_projects_tsv", 3, 2)
    (draft,) = r.rejects
    assert (draft.row, draft.column) == (4, "URL") and "draft items have none" in draft.reason
    items = by_key(con)
    issue, pull = items["acme/shop#123"], items["acme/shop#130"]
    assert issue["project"] == "acme/shop" and issue["summary"] == "Checkout button does nothing on Safari"
    assert issue["labels"] == ["bug", "customer-reported"] and issue["type"] == "bug"
    assert issue["assignee"] == "priya-n" and issue["sprints"] == ["Iteration 7"] and issue["points"] == 2.0
    assert issue["created"] == dt.datetime(2026, 3, 4) and issue["resolved"] == dt.datetime(2026, 3, 5)
    assert issue["status_category"] == "done" and pull["status_category"] == "in_progress"


def test_github_projects_default_view_without_dates_is_refused_with_what_to_do():
    with pytest.raises(ImportRejected) as err:
        load(new_store(), "github_project_default_view.tsv")
    message = str(err.value)
    assert message.startswith("github_project_default_view.tsv, row 1: this looks like GitHub Projects")
    assert "the column 'Created' is missing" in message
    assert "add date fields named 'Created' and 'Closed'" in message and "Export view data" in message


# --- Shortcut -------------------------------------------------------------------------------

def test_shortcut_stories_with_utc_offset():
    con = new_store()
    r = load(con, "shortcut_stories.csv")
    assert (r.format, r.rows_loaded, r.rows_rejected) == ("shortcut_csv", 3, 0)
    items = by_key(con)
    bug, feature, chore = items["1201"], items["1202"], items["1203"]
    assert bug["type"] == "bug" and feature["type"] == "feature" and chore["type"] == "chore"
    assert bug["assignee"] == "priya@acme.io"                       # first of `;`-separated owners
    assert bug["labels"] == ["customer-reported", "interrupt"] and feature["labels"] == ["frontend", "payments"]
    assert bug["created"] == dt.datetime(2026, 3, 4, 17, 55, 3)     # 18:55:03 at +01:00 -> UTC
    assert bug["resolved"] == dt.datetime(2026, 3, 5, 8, 10)
    assert chore["created"] == dt.datetime(2026, 1, 10, 13, 0)      # 08:00 at -05:00
    assert bug["sprints"] == ["Iteration 7"] and bug["project"] == "Web" and bug["points"] == 2.0
    assert bug["parent"] == "Checkout revamp" and feature["status_category"] == "in_progress"
    assert bug["status_category"] == "done" and chore["status_category"] == "done"   # is_completed TRUE
