"""Incident exports (Opsgenie, incident.io, ServiceNow) and the Opsgenie on-call calendar (EXPORT_FORMATS.md §6-7)."""

import datetime as dt


from analytics import store
from tests.builders import SHARED_SAMPLES, load, needs_shared, new_store



def by_id(con):
    cur = con.execute("SELECT * FROM incidents ORDER BY id")
    cols = [d[0] for d in cur.description]
    return {r[0]: dict(zip(cols, r)) for r in cur.fetchall()}


def test_opsgenie_alerts_with_millisecond_report_times():
    con = new_store()
    r = load(con, "opsgenie_alerts.csv")
    assert (r.format, r.table, r.rows_loaded, r.rows_rejected) == ("opsgenie_csv", "incidents", 2, 0)
    closed, open_ = by_id(con)["1841"], by_id(con)["1842"]
    assert closed["title"] == "Checkout API 5xx rate above 5%" and closed["severity"] == "P1"
    assert closed["created"] == dt.datetime(2026, 3, 3, 8, 55)
    assert closed["acknowledged"] == dt.datetime(2026, 3, 3, 8, 56, 30)   # ackTime 90000 ms
    assert closed["resolved"] == dt.datetime(2026, 3, 3, 10, 10, 30)      # closeTime 4530000 ms
    assert closed["labels"] == ["checkout", "critical"] and closed["responder"] == "priya@acme.io"
    assert open_["resolved"] is None and open_["acknowledged"] is None
    assert open_["responder"] == "Platform Team"                           # no owner: the responders


def test_opsgenie_close_time_given_as_a_date_is_read_as_one():
    text = ("tinyId,message,createdAt,priority,report.closeTime\n"
            "7,Disk full,2026-03-03T08:55:00Z,P2,2026-03-03T09:25:00Z\n"
            "8,Queue stuck,2026-03-03T10:00:00Z,P2,soon\n")
    con = new_store()
    r = store.import_file(con, "og.csv", data=text.encode())
    assert r.rows_loaded == 1
    assert by_id(con)["7"]["resolved"] == dt.datetime(2026, 3, 3, 9, 25)
    (reject,) = r.rejects
    assert (reject.row, reject.column, reject.value) == (3, "report.closeTime", "soon")
    assert reject.reason == "not a number of milliseconds (nor a date and time)"


def test_incident_io_export():
    con = new_store()
    r = load(con, "incident_io_incidents.csv")
    assert (r.format, r.rows_loaded) == ("incident_io_csv", 2)       # the merged incident is skipped
    items = by_id(con)
    assert set(items) == {"INC-57", "INC-58"}
    major, minor = items["INC-57"], items["INC-58"]
    assert major["title"] == "Checkout API returns 502" and major["severity"] == "Major"
    assert major["created"] == dt.datetime(2026, 3, 3, 8, 55) and major["acknowledged"] == dt.datetime(2026, 3, 3, 9, 1)
    assert major["resolved"] == dt.datetime(2026, 3, 3, 10, 10)      # resolved_at before closed_at
    assert major["service"] == "checkout-api" and major["category"] == "deployment"
    assert major["responder"] == "Priya Nair" and major["postmortem"] is True and major["labels"] == ["Default"]
    assert minor["created"] == dt.datetime(2026, 3, 5, 13, 0)        # +01:00 -> UTC
    assert minor["postmortem"] is False and minor["resolved"] is None


@needs_shared
def test_shared_servicenow_incident_list():
    con = new_store()
    r = store.import_file(con, "servicenow_incident_list_export.csv",
                          path=SHARED_SAMPLES / "servicenow_incident_list_export.csv")
    assert (r.format, r.table, r.rows_read, r.rows_loaded, r.rows_rejected) == ("servicenow_csv", "incidents", 2, 2, 0)
    items = by_id(con)
    first, second = items["INC0149495"], items["INC0149622"]
    assert first["title"] == "ERF needs fixing"
    assert first["created"] == dt.datetime(2024, 12, 2, 8, 16) and first["resolved"] == dt.datetime(2024, 12, 6, 8, 19)
    assert first["severity"] == "3 - Low"                  # from `severity`, not `priority` (4 - Low)
    assert first["category"] == "Calculation Support Team" and first["service"] == "PenScope"
    assert first["responder"] == "Bob Smith" and first["related_keys"] == []
    assert second["resolved"] == dt.datetime(2025, 9, 18, 9, 40)   # resolved_at, not closed_at (9/23/25)
    assert second["related_keys"] == ["IMPS-389"]                  # correlation_id


def test_servicenow_without_severity_column_takes_priority_and_crlf_mix():
    text = (b"number,short_description,opened_at,resolved_at,priority,assigned_to,cmdb_ci\r\n"
            b"INC0000001,\"Login fails\nfor all users\",1/5/25 9:00,1/5/25 11:30,1 - Critical,Ana Lima,auth-db\n"
            b"INC0000002,Slow search,1/6/25 14:05,,3 - Moderate,,\r\n")
    con = new_store()
    r = store.import_file(con, "sn.csv", data=text)
    assert (r.format, r.rows_loaded) == ("servicenow_csv", 2)
    items = by_id(con)
    assert items["INC0000001"]["severity"] == "1 - Critical" and items["INC0000001"]["service"] == "auth-db"
    assert items["INC0000001"]["title"] == "Login fails\nfor all users"
    assert items["INC0000002"]["created"] == dt.datetime(2025, 1, 6, 14, 5)


def test_opsgenie_schedule_ics():
    con = new_store()
    r = load(con, "oncall_opsgenie.ics")
    assert (r.format, r.table, r.rows_loaded) == ("oncall_ics", "oncall_shifts", 2)
    shifts = con.execute('SELECT person, "start", "end" FROM oncall_shifts ORDER BY "start"').fetchall()
    assert shifts == [("Priya Nair", dt.datetime(2026, 3, 2, 8), dt.datetime(2026, 3, 5, 8)),
                      ("Tom Becker", dt.datetime(2026, 3, 5, 8), dt.datetime(2026, 3, 9, 8))]  # `(on-call)` dropped
