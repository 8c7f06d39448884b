"""The generic path: suggested column mappings, formats built from them, and mappings saved in the store."""

import datetime as dt

import pytest

from analytics import mappings, store
from analytics.errors import ImportRejected
from analytics.importers import format_label, stage_file
from analytics.importers.formats import ISO_TIMESTAMP
from analytics.mappings import MappingError
from tests.builders import new_store

# A tracker no built-in format knows (day-first dates, `;`-separated tags).
TRACKER_HEADER = ["Ticket", "Title", "Kind", "State", "Opened", "Closed", "Estimate", "Owner", "Tags", "Iteration",
                  "Created by"]
TRACKER_CSV = (",".join(TRACKER_HEADER) + "\n"
               "T-1,Login slow,Bug,Done,03.03.2026 09:15,05.03.2026 16:40,2,Ana Lima,perf;interrupt,It 7,Bo\n"
               "T-2,Saved cards,Story,Doing,20.02.2026 11:02,,5,Bo Chen,,It 7,Ana\n"
               "T-3,Broken date,Task,Done,yesterday,,1,,,It 7,Ana\n")


def test_suggest_mapping_uses_synonyms():
    got = mappings.suggest_mapping(TRACKER_HEADER, "work_items")
    assert got["key"] == "Ticket" and got["summary"] == "Title" and got["type"] == "Kind"
    assert got["status"] == "State" and got["created"] == "Opened" and got["resolved"] == "Closed"
    assert got["points"] == "Estimate" and got["assignee"] == "Owner" and got["labels"] == "Tags"
    assert got["sprints"] == "Iteration"
    assert got["priority"] is None and got["severity"] is None
    assert "links" not in got                      # structured links are not offered for a generic column


def test_suggest_mapping_ignores_case_punctuation_accents_and_person_columns():
    header = ["ISSUE-KEY", "Created by", "Created (UTC)", "Résolu", "Story_Points", "Sprint name"]
    got = mappings.suggest_mapping(header, "work_items")
    assert got["key"] == "ISSUE-KEY" and got["points"] == "Story_Points"
    assert got["created"] == "Created (UTC)"       # never `Created by` (a person)
    assert got["sprints"] == "Sprint name"
    incidents = mappings.suggest_mapping(["Number", "Short description", "Opened", "Resolved", "Priority"],
                                         "incidents")
    assert incidents == {**{c: None for c in incidents}, "id": "Number", "title": "Short description",
                         "created": "Opened", "resolved": "Resolved", "severity": "Priority"}
    each_header_once = mappings.suggest_mapping(["Start", "End", "Name"], "sprints")
    assert each_header_once["start_date"] == "Start" and each_header_once["end_date"] == "End"


def test_validation_names_the_missing_required_columns():
    problems = mappings.validate_mapping("work_items", {"summary": "Title"})
    assert problems == ["choose the column that holds key (the item's id, e.g. ABC-123); created (when the item "
                        "was created): they are required."]
    assert mappings.validate_mapping("work_items", {"key": "Ticket", "created": "Opened", "colour": "X"},
                                     header=["Ticket", "Created"])[0].startswith("colour is not a column of work_items")
    assert "the file has no column 'Opened' (for created)" in mappings.validate_mapping(
        "work_items", {"key": "Ticket", "created": "Opened"}, header=["Ticket", "Created"])[0]
    assert "not a date layout" in mappings.validate_mapping(
        "work_items", {"key": "Ticket", "created": "Opened"}, timestamp_formats=["dd.mm.yyyy"])[0]
    with pytest.raises(MappingError, match=r"the mapping 'x' cannot be used: choose the column that holds key"):
        mappings.format_from_mapping("x", "work_items", {"created": "Opened"})
    with pytest.raises(MappingError, match="unknown table 'tickets'"):
        mappings.format_from_mapping("x", "tickets", {"key": "Ticket"})


def test_format_from_mapping_is_an_ordinary_format():
    fmt = mappings.format_from_mapping("tracker", "work_items", mappings.suggest_mapping(TRACKER_HEADER, "work_items"),
                                       ["%d.%m.%Y %H:%M"], separators={"labels": ";"})
    assert fmt.table == "work_items" and fmt.timestamp_formats == ("%d.%m.%Y %H:%M", ISO_TIMESTAMP)
    kinds = {f.target: (f.kind, f.headers, f.required) for f in fmt.fields}
    assert kinds["created"] == ("timestamp", ("Opened",), True) and kinds["key"] == ("text", ("Ticket",), True)
    assert kinds["points"][0] == "number" and kinds["labels"][0] == "list" and kinds["assignee"][0] == "person"
    assert next(f for f in fmt.fields if f.target == "labels").sep == ";"


def test_saved_mapping_reads_the_file_and_recognises_the_next_upload():
    con = new_store()
    mapping = mappings.suggest_mapping(TRACKER_HEADER, "work_items")
    saved = mappings.save_mapping(con, "acme-tracker", "work_items", TRACKER_HEADER, mapping, ["%d.%m.%Y %H:%M"],
                                  separators={"labels": ";"})
    assert saved.name == "acme-tracker" and saved.header_signature == tuple(sorted(h.lower() for h in TRACKER_HEADER))
    assert isinstance(saved.created_at, dt.datetime)
    # chosen by name ...
    staged = stage_file(con, "first.csv", data=TRACKER_CSV.encode(), format="acme-tracker")
    assert (staged.format, staged.table, staged.rows_read, staged.rows_ok) == ("acme-tracker", "work_items", 3, 2)
    bad = [r for r in staged.rejects if r.column]
    assert [(r.row, r.column, r.value) for r in bad] == [(4, "Opened", "yesterday")]
    assert "expected like 04.03.2026 09:30" in bad[0].reason
    # ... and recognised by its headers (in any order and case) on the next upload
    reordered = "\n".join(",".join(reversed(line.split(","))) for line in TRACKER_CSV.upper().splitlines()) + "\n"
    r = store.import_file(con, "second.csv", data=reordered.encode())
    assert (r.format, r.rows_loaded) == ("acme-tracker", 2)
    item = con.execute("SELECT key, created, resolved, points, labels, assignee, sprints, status_category "
                       "FROM work_items WHERE key = 'T-1'").fetchone()
    assert item == ("T-1", dt.datetime(2026, 3, 3, 9, 15), dt.datetime(2026, 3, 5, 16, 40), 2.0,
                    ["PERF", "INTERRUPT"], "ANA LIMA", ["IT 7"], "done")
    # another column set is not this tool's export
    with pytest.raises(ImportRejected, match="match no supported export"):
        store.import_file(con, "other.csv", data=b"Ticket,Title,Opened,Extra\nT-9,x,03.03.2026 09:15,1\n")


def test_saved_mappings_are_listed_replaced_and_deleted():
    con = new_store()
    assert mappings.saved_mappings(con) == []
    mappings.save_mapping(con, "a", "incidents", ["No", "Opened"], {"id": "No", "created": "Opened"})
    mappings.save_mapping(con, "a", "incidents", ["No", "Opened", "Sev"], {"id": "No", "created": "Opened",
                                                                          "severity": "Sev"})
    (only,) = mappings.saved_mappings(con)
    assert only.mapping == {"id": "No", "created": "Opened", "severity": "Sev"}
    assert only.timestamp_formats == (ISO_TIMESTAMP,)
    assert mappings.mapping_for_header(con, ["sev", "OPENED", "No"]).name == "a"
    assert mappings.mapping_for_header(con, ["No", "Opened"]) is None
    assert mappings.delete_mapping(con, "a") and mappings.saved_mappings(con) == []


def test_saving_refuses_bad_mappings_with_a_reason():
    con = new_store()
    with pytest.raises(MappingError, match="'jira_csv' is the name of a built-in format"):
        mappings.save_mapping(con, "jira_csv", "work_items", ["K", "C"], {"key": "K", "created": "C"})
    with pytest.raises(MappingError, match="give the mapping a name"):
        mappings.save_mapping(con, " ", "work_items", ["K", "C"], {"key": "K", "created": "C"})
    with pytest.raises(MappingError, match=r"cannot be saved: choose the column that holds created"):
        mappings.save_mapping(con, "t", "work_items", ["K", "C"], {"key": "K"})
    assert mappings.saved_mappings(con) == []


def test_unknown_format_name_lists_the_saved_ones():
    con = new_store()
    mappings.save_mapping(con, "acme-tracker", "work_items", TRACKER_HEADER,
                          mappings.suggest_mapping(TRACKER_HEADER, "work_items"))
    with pytest.raises(ImportRejected, match=r"^x\.csv: unknown format 'nope'\. Known: .*acme-tracker\.$"):
        stage_file(con, "x.csv", data=TRACKER_CSV.encode(), format="nope")


def test_guess_timestamp_formats_from_sample_values():
    assert mappings.guess_timestamp_formats(["03.03.2026 09:15", "20.02.2026 11:02"]) == ("%d.%m.%Y %H:%M",)
    assert mappings.guess_timestamp_formats(["2026-03-03T09:15:00Z", ""])[0] == ISO_TIMESTAMP
    assert "%m/%d/%Y %I:%M:%S %p" in mappings.guess_timestamp_formats(["3/4/2026 6:55:03 PM"])
    assert mappings.guess_timestamp_formats([]) == (ISO_TIMESTAMP,)


def test_preview_and_labels_for_the_mapping_screen():
    header, records = mappings.preview("t.csv", data=("sep=;\n" + TRACKER_CSV.replace(",", ";")).encode(), rows=2)
    assert header == TRACKER_HEADER
    assert records[0][:5] == ["T-1", "Login slow", "Bug", "Done", "03.03.2026 09:15"] and len(records) == 2
    assert mappings.guess_timestamp_formats([r[4] for r in records]) == ("%d.%m.%Y %H:%M",)
    con = new_store()
    mappings.save_mapping(con, "acme-tracker", "work_items", header, mappings.suggest_mapping(header, "work_items"),
                          ["%d.%m.%Y %H:%M"])
    assert format_label(con, "acme-tracker") == "Saved mapping 'acme-tracker'"
    assert format_label(con, "linear_csv") == "Linear (Export CSV)"
