"""The Upload page (AppTest) and the pure helpers behind it.

Each page test runs the app on its own store file (FIREBREAK_DB, conftest). The
expected summaries are computed here with `stage_file` on a private in-memory
connection; the store's contents are read through a second connection to the
same file in this process (DuckDB shares the database instance the app opened).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import sprints, store
from analytics.config import Knobs
from analytics.importers import FORMAT_LABELS, stage_file
from ui import upload
from ui.explain import md, pct

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("work_items", "incidents", "sprints", "oncall_shifts", "imports")

JIRA_HEADER = ("Summary,Issue key,Issue id,Issue Type,Status,Status Category,Project key,Created,Resolved,"
               "Labels,Sprint,Custom field (Story point estimate)")


def jira_csv(rows: list[tuple]) -> bytes:
    """A small Jira Cloud export: (key, type, created, resolved, labels, sprint, points) per row."""
    lines = [JIRA_HEADER]
    for i, (key, type_, created, resolved, labels, sprint, points) in enumerate(rows):
        done = bool(resolved)
        lines.append(",".join([f"{type_} {key}", key, str(20000 + i), type_, "Done" if done else "To Do",
                               "Done" if done else "To Do", key.split("-")[0], created, resolved, labels,
                               sprint, points]))
    return ("\n".join(lines) + "\n").encode("utf-8")


NEW_ITEMS = jira_csv([
    ("SHOP-9001", "Bug", "10/Nov/26 9:00 AM", "12/Nov/26 5:00 PM", "", "SHOP Sprint 26", "3.0"),
    ("SHOP-9002", "Story", "01/Nov/26 9:00 AM", "18/Nov/26 5:00 PM", "", "SHOP Sprint 26", "5.0"),
    ("SHOP-9003", "Task", "02/Nov/26 9:00 AM", "19/Nov/26 5:00 PM", "interrupt", "SHOP Sprint 26", "2.0"),
    ("SHOP-9004", "Story", "03/Nov/26 9:00 AM", "", "", "SHOP Sprint 27", "8.0"),
])


# --- helpers ---------------------------------------------------------------------------------------------------

def app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/upload.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Upload"
    return at


def upload_files(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    at.file_uploader[0].set_value([(name, data, "text/csv") for name, data in files]).run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def counts(path: Path) -> dict[str, int]:
    con = store.connect(str(path))
    try:
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in TABLES}
    finally:
        con.close()


def rows_of(path: Path, table: str = "work_items") -> pd.DataFrame:
    con = store.connect(str(path))
    try:
        key = ", ".join(f'"{k}"' for k in store.TABLE_KEYS[table])
        return con.execute(f'SELECT * FROM "{table}" ORDER BY {key}').df()
    finally:
        con.close()


def staged(name: str, data: bytes, tmp_path: Path, format: str | None = None):
    """What stage_file makes of a file, on a private connection."""
    con = duckdb.connect()
    try:
        result = stage_file(con, name, data=data, format=format, tmp_dir=tmp_path)
        return result, con.table(result.stage).df()
    finally:
        con.close()


def undo_choice(at: AppTest):
    (choice,) = [s for s in at.selectbox if s.label == "Import to undo"]
    return choice


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def texts(elements) -> str:
    return "\n".join(e.value for e in elements)


# --- the page --------------------------------------------------------------------------------------------------

def test_a_jira_export_is_previewed_then_imported(sample_store, tmp_path):
    before = counts(sample_store)
    stage, rows = staged("new.csv", NEW_ITEMS, tmp_path)
    at = upload_files(app(), ("new.csv", NEW_ITEMS))

    # Detected format, override offered (built-in formats and "map the columns myself").
    read_as = at.selectbox[0]
    assert read_as.label == "Read as" and read_as.value == "jira_csv"
    assert len(read_as.options) == len(FORMAT_LABELS) + 1  # the built-in formats, "map the columns myself"
    # The summary, from the staged rows.
    shown = metrics(at)
    assert shown["Rows read"] == str(stage.rows_read) == "4"
    assert shown["To be loaded"] == str(stage.rows_ok) == "4"
    assert shown["Rejected"] == str(stage.rows_rejected) == "0"
    # Completed in SHOP Sprint 26 (2026-11-09..22): the Bug (3, by type), the Task (2, by label), the Story
    # created before the sprint (5, planned); the open Story does not count.
    assert shown["Unplanned share"] == pct(5 / 10)
    facts = texts(at.markdown)
    assert "Created 2026-11-01 to 2026-11-10" in facts
    assert f"2 sprints ({md('SHOP Sprint 26')} – {md('SHOP Sprint 27')})" in facts
    assert "3 completed items in sprints: 5 unplanned and 5 planned points (2 unplanned items)" in facts
    # The preview shows canonical columns, not the file's.
    head = at.dataframe[0].value
    assert {"row", "key", "type", "created", "resolved", "points", "sprints"} <= set(head.columns)
    assert list(head["key"]) == list(rows.sort_values("_row")["key"])
    assert counts(sample_store) == before  # nothing written before the confirm

    confirm = at.button(key=upload.CONFIRM)
    assert confirm.label == "Import 1 file" and not confirm.disabled
    click(at, upload.CONFIRM)
    assert "every page now includes its data" in texts(at.success)
    after = counts(sample_store)
    assert after == {**before, "work_items": before["work_items"] + 4, "imports": before["imports"] + 1}
    result = at.dataframe[0].value
    assert result.iloc[0][["file", "rows read", "rows loaded", "replaced", "rejected"]].tolist() == [
        "new.csv", 4, 4, 0, 0]
    history = at.dataframe[-1].value
    assert history.iloc[0]["file_name"] == "new.csv" and history.iloc[0]["rows_loaded"] == 4
    assert history.iloc[0]["format"] == FORMAT_LABELS["jira_csv"]
    # The uploader was emptied: no file is waiting any more.
    assert not at.file_uploader[0].value
    assert not [b for b in at.button if b.key == upload.CONFIRM]


def test_a_png_named_csv_is_refused_with_our_message_and_nothing_changes(sample_store):
    before = counts(sample_store)
    png = b"\x89PNG\r\n\x1a\n" + bytes(200)
    at = upload_files(app(), ("chart.csv", png))
    assert len(at.error) == 1
    message = at.error[0].value
    assert message.startswith(md("chart.csv")) and "PNG image" in message and "Traceback" not in message
    assert at.button(key=upload.CONFIRM).disabled
    assert counts(sample_store) == before


def test_other_files_of_the_same_upload_still_import(sample_store):
    before = counts(sample_store)
    png = b"\x89PNG\r\n\x1a\n" + bytes(200)
    at = upload_files(app(), ("chart.csv", png), ("new.csv", NEW_ITEMS))
    assert md("chart.csv") in at.error[0].value
    assert at.button(key=upload.CONFIRM).label == "Import 1 file"
    click(at, upload.CONFIRM)
    assert counts(sample_store)["work_items"] == before["work_items"] + 4
    assert counts(sample_store)["imports"] == before["imports"] + 1


def test_a_row_with_a_bad_date_is_reported_before_the_import_and_the_rest_loads(sample_store, tmp_path):
    data = jira_csv([
        ("SHOP-9101", "Bug", "10/Nov/26 9:00 AM", "12/Nov/26 5:00 PM", "", "SHOP Sprint 26", "3.0"),
        ("SHOP-9102", "Story", "yesterday-ish", "", "", "SHOP Sprint 26", "5.0"),
        ("SHOP-9103", "Task", "11/Nov/26 9:00 AM", "", "", "SHOP Sprint 26", "1.0"),
    ])
    stage, _ = staged("dates.csv", data, tmp_path)
    (reject,) = stage.rejects
    before = counts(sample_store)
    at = upload_files(app(), ("dates.csv", data))
    shown = metrics(at)
    assert (shown["Rows read"], shown["To be loaded"], shown["Rejected"]) == ("3", "2", "1")
    table = at.dataframe[1].value  # after the preview rows: the rejected rows
    assert (reject.row, reject.column, reject.value) == (3, "Created", "yesterday-ish")
    assert table.to_dict("records") == [{"file": "dates.csv", "row": 3, "column": "Created",
                                         "value": "yesterday-ish", "reason": reject.reason}]
    assert "not a date" in reject.reason
    assert [d.label for d in at.download_button][0] == "Download the reject report (CSV)"
    assert counts(sample_store) == before

    click(at, upload.CONFIRM)
    assert counts(sample_store)["work_items"] == before["work_items"] + 2
    assert at.dataframe[0].value.iloc[0][["rows loaded", "rejected"]].tolist() == [2, 1]
    assert at.dataframe[1].value["value"].tolist() == ["yesterday-ish"]
    assert "Download the reject report (CSV)" in [d.label for d in at.download_button]


def test_a_file_whose_every_row_is_bad_is_refused_with_our_message(sample_store):
    data = jira_csv([("SHOP-9201", "Bug", "31/Feb/26 9:00 AM", "", "", "SHOP Sprint 26", "3.0")])
    before = counts(sample_store)
    at = upload_files(app(), ("bad-dates.csv", data))
    message = at.error[0].value
    assert message.startswith(
        md("bad-dates.csv: no row can be loaded (1 read). First problem: row 2, column 'Created'"))
    assert at.button(key=upload.CONFIRM).disabled
    assert counts(sample_store) == before


def test_the_same_file_twice_says_already_imported(sample_store):
    at = upload_files(app(), ("new.csv", NEW_ITEMS))
    click(at, upload.CONFIRM)
    imported = counts(sample_store)
    import_id = int(at.dataframe[0].value.iloc[0]["import"])

    upload_files(at, ("new again.csv", NEW_ITEMS))
    assert len(at.info) == 1
    assert md(f"already imported (import #{import_id} on") in at.info[0].value
    assert "nothing changed" in at.info[0].value
    assert at.button(key=upload.CONFIRM).disabled
    assert counts(sample_store) == imported


def test_the_same_bytes_twice_in_one_upload_import_once(sample_store):
    before = counts(sample_store)
    at = upload_files(app(), ("a.csv", NEW_ITEMS), ("b.csv", NEW_ITEMS))
    assert at.button(key=upload.CONFIRM).label == "Import 2 files"
    click(at, upload.CONFIRM)
    assert counts(sample_store)["imports"] == before["imports"] + 1
    assert md("b.csv: already imported (import #") in at.info[0].value
    assert "Imported 1 file" in at.success[0].value


def test_undo_restores_the_store_exactly(sample_store):
    before_counts, before_rows = counts(sample_store), rows_of(sample_store)
    # A newer export of two sample items (SHOP-1 changes type) plus a new one: replaces, then undo restores.
    data = jira_csv([
        ("SHOP-1", "Bug", "31/Jul/25 8:38 AM", "12/Nov/26 5:00 PM", "", "SHOP Sprint 26", "2.0"),
        ("SHOP-9301", "Bug", "10/Nov/26 9:00 AM", "12/Nov/26 5:00 PM", "", "SHOP Sprint 26", "3.0"),
    ])
    at = upload_files(app(), ("newer.csv", data))
    click(at, upload.CONFIRM)
    assert at.dataframe[0].value.iloc[0]["replaced"] == 1
    assert counts(sample_store)["work_items"] == before_counts["work_items"] + 1
    import_id = int(at.dataframe[0].value.iloc[0]["import"])

    assert undo_choice(at).value == import_id
    assert at.button(key=upload.UNDO).label == f"Undo import #{import_id}"
    click(at, upload.UNDO)
    assert counts(sample_store)["work_items"] == before_counts["work_items"] + 1  # asks first
    assert f"Undo import #{import_id}" in at.warning[0].value
    click(at, upload.UNDO_YES)
    assert f"Import \\#{import_id}" in at.success[0].value and "undone" in at.success[0].value
    assert counts(sample_store) == before_counts
    pd.testing.assert_frame_equal(rows_of(sample_store), before_rows)


def test_undo_can_be_cancelled(sample_store):
    before = counts(sample_store)
    at = click(app(), upload.UNDO)
    click(at, upload.UNDO_NO)
    assert not at.warning
    assert counts(sample_store) == before


def test_undo_of_a_partly_replaced_import_says_which_to_undo_first(sample_store):
    at = upload_files(app(), ("first.csv", NEW_ITEMS))
    click(at, upload.CONFIRM)
    first = int(at.dataframe[0].value.iloc[0]["import"])
    newer = jira_csv([("SHOP-9001", "Bug", "10/Nov/26 9:00 AM", "13/Nov/26 5:00 PM", "", "SHOP Sprint 26", "5.0")])
    upload_files(at, ("second.csv", newer))
    click(at, upload.CONFIRM)
    second = int(at.dataframe[0].value.iloc[0]["import"])
    before = counts(sample_store)

    undo_choice(at).set_value(first).run()
    click(at, upload.UNDO)
    click(at, upload.UNDO_YES)
    assert f"\\#{second}" in at.warning[0].value and "undo that one first" in at.warning[0].value
    assert counts(sample_store) == before


def test_an_unknown_csv_is_mapped_saved_and_imported(empty_store, tmp_path):
    data = ("Ticket,Title,Opened,Closed,Estimate,Iteration\n"
            "ACME-1,Fix login,2026-03-02 09:00,2026-03-05 17:00,3,Cycle 1\n"
            "ACME-2,Add export,2026-03-02 10:00,,5,Cycle 1\n").encode()
    at = upload_files(app(), ("acme 2026-03.csv", data))
    assert at.selectbox[0].value == upload.GENERIC
    # The mapping table, pre-filled by suggest_mapping (AppTest cannot edit its cells; the logic is unit-tested).
    mapping = at.data_editor[0].value
    assert dict(zip(mapping["column"], mapping["file column"]))["created"] == "Opened"
    assert at.selectbox[1].label == "The file holds" and at.selectbox[1].value == "work_items"
    assert not at.warning  # the suggested mapping is complete
    assert at.text_input[0].value == "acme"
    at.text_input[0].set_value("Acme tracker").run()
    save = [b for b in at.button if b.key and b.key.startswith("w.upload.save_mapping")][0]
    save.click().run()
    assert not at.exception, at.exception
    assert "Mapping" in at.success[0].value and "saved" in at.success[0].value
    # Detection now prefers the saved mapping for files with these headers.
    assert at.selectbox[0].value == "Acme tracker"
    assert metrics(at)["To be loaded"] == "2"
    click(at, upload.CONFIRM)
    assert counts(empty_store)["work_items"] == 2
    assert rows_of(empty_store)["sprints"].map(list).tolist() == [["Cycle 1"], ["Cycle 1"]]


def test_a_file_waiting_for_its_mapping_stays_while_the_others_import(empty_store):
    unknown = ("Ticket,Title,Opened\nACME-1,Fix login,2026-03-02 09:00\n").encode()
    at = upload_files(app(), ("new.csv", NEW_ITEMS), ("acme.csv", unknown))
    assert "1 file waits for a column mapping" in texts(at.caption)
    assert at.button(key=upload.CONFIRM).label == "Import 1 file"
    click(at, upload.CONFIRM)
    assert counts(empty_store)["work_items"] == 4
    assert [f.name for f in at.file_uploader[0].value] == ["new.csv", "acme.csv"]  # kept for the mapping
    assert md("new.csv: already imported (import #1 on") in at.info[0].value
    assert at.data_editor[0].value["file column"].tolist()[:1] == ["Ticket"]
    assert at.button(key=upload.CONFIRM).disabled


def test_an_inferred_calendar_can_be_saved_as_a_sprints_import(empty_store):
    data = jira_csv([
        ("NEW-1", "Story", "01/Mar/26 9:00 AM", "04/Mar/26 5:00 PM", "", "New 1", "3.0"),
        ("NEW-2", "Bug", "05/Mar/26 9:00 AM", "10/Mar/26 5:00 PM", "", "New 1", "2.0"),
        ("NEW-3", "Story", "12/Mar/26 9:00 AM", "18/Mar/26 5:00 PM", "", "New 2", "5.0"),
    ])
    at = upload_files(app(), ("new.csv", data))
    click(at, upload.CONFIRM)
    assert counts(empty_store)["sprints"] == 0
    con = store.connect(str(empty_store))
    try:
        inferred = sprints.sprint_series(con, Knobs())
    finally:
        con.close()
    assert inferred["inferred"].all() and len(inferred) == 2
    calendar = at.data_editor(key=upload.CALENDAR).value
    assert calendar["name"].tolist() == ["New 1", "New 2"]
    click(at, upload.SAVE_CALENDAR)
    saved = rows_of(empty_store, "sprints")
    assert saved["name"].tolist() == ["New 1", "New 2"]
    assert [d.isoformat() for d in pd.to_datetime(saved["start_date"]).dt.date] == [
        s.date().isoformat() for s in pd.to_datetime(inferred["start"])]
    history = at.dataframe[-1].value
    assert history.iloc[0]["kind"] == "sprints" and history.iloc[0]["format"] == FORMAT_LABELS["sprints_csv"]
    assert not [e for e in at.data_editor if e.key == upload.CALENDAR]  # the calendar is given now


def test_the_sprints_template_is_offered_and_reads_as_a_sprints_file(sample_store, tmp_path):
    at = app()
    assert at.download_button(key=upload.TEMPLATE).label == "Download a sprints-file template"
    assert upload.SPRINTS_TEMPLATE.decode().splitlines()[0] == "Sprint,Start,End,Capacity,Reserve"
    stage, rows = staged("sprints-template.csv", upload.SPRINTS_TEMPLATE, tmp_path)
    assert (stage.format, stage.rows_ok, stage.rows_rejected) == ("sprints_csv", 2, 0)
    assert rows["reserve_points"].tolist() == [8.0, 8.0]


def test_the_page_explains_the_kinds_of_file(sample_store):
    at = app()
    assert at.expander[0].label.startswith("What to upload")
    text = texts(at.markdown)
    for label in ("Work items", "Incidents", "On-call shifts", "Sprint calendar"):
        assert f"**{label}" in text


def test_file_names_from_the_upload_cannot_inject_markdown(sample_store):
    at = upload_files(app(), ("[click](http://x.example).csv", NEW_ITEMS))
    assert any(md("[click](http://x.example).csv") in m.value for m in at.markdown)
    assert not any("[click](http" in m.value for m in at.markdown)


# --- the pure helpers ------------------------------------------------------------------------------------------

CALENDAR = {"S1": (dt.date(2026, 1, 5), dt.date(2026, 1, 18)), "S2": (dt.date(2026, 1, 19), dt.date(2026, 2, 1))}


def items(*rows: dict) -> pd.DataFrame:
    base = {"type": "Story", "labels": [], "created": pd.Timestamp("2026-01-02"), "resolved": None,
            "points": None, "sprints": []}
    return pd.DataFrame([{**base, **r} for r in rows])


def test_staged_share_follows_the_rules_and_the_knobs():
    frame = items(
        {"type": "Bug", "resolved": pd.Timestamp("2026-01-10"), "points": 3.0, "sprints": ["S1"]},       # type
        {"labels": ["Interrupt"], "resolved": pd.Timestamp("2026-01-10"), "points": 2.0, "sprints": ["S1"]},  # label
        {"created": pd.Timestamp("2026-01-07"), "resolved": pd.Timestamp("2026-01-10"), "points": 1.0,
         "sprints": ["S1"]},                                                                     # mid-sprint
        {"resolved": pd.Timestamp("2026-01-20"), "points": 5.0, "sprints": ["S1", "S2"]},               # planned
        {"resolved": pd.Timestamp("2026-01-12"), "points": None, "sprints": ["S1"]},                    # no points
        {"resolved": pd.Timestamp("2026-03-01"), "points": 8.0, "sprints": ["S2"]},      # resolved after its sprint
        {"points": 13.0, "sprints": ["S1"]},                                                             # open
        {"type": "Bug", "resolved": pd.Timestamp("2026-01-10"), "points": 4.0},                          # no sprint
    )
    share = upload.staged_share(frame, Knobs(), CALENDAR)
    assert (share.items, share.unplanned_items, share.unplanned_points, share.planned_points) == (5, 3, 6.0, 5.0)
    assert share.share == pytest.approx(6 / 11)
    off = upload.staged_share(frame, Knobs(rule_type=False, rule_added_mid_sprint=False), CALENDAR)
    assert (off.unplanned_points, off.planned_points) == (2.0, 9.0)
    custom = upload.staged_share(frame, Knobs(unplanned_types=("story",), unplanned_labels=()), CALENDAR)
    assert (custom.unplanned_points, custom.planned_points) == (8.0, 3.0)  # every story; the Bug is planned now


def test_staged_share_counts_items_of_sprints_not_in_the_calendar_yet():
    frame = items({"type": "Bug", "resolved": pd.Timestamp("2026-05-01"), "points": 3.0, "sprints": ["New"]},
                  {"resolved": pd.Timestamp("2026-05-02"), "points": 1.0, "sprints": ["New"]})
    share = upload.staged_share(frame, Knobs(), CALENDAR)
    assert (share.unplanned_points, share.planned_points, share.share) == (3.0, 1.0, 0.75)
    assert upload.staged_share(items(), Knobs(), CALENDAR).share is None


def test_staged_share_of_the_sample_equals_the_store_metrics(sample_store):
    """The preview's classification is the metric's: the sample export staged against the sample calendar
    gives the points of every sprint's planned and unplanned work."""
    con = store.open_store(str(sample_store))
    try:
        for knobs in (Knobs(), Knobs(rule_added_mid_sprint=False), Knobs(unplanned_types=("Bug",), rule_label=False)):
            series = sprints.sprint_series(con, knobs)
            calendar = {r.sprint: (r.start.date(), r.end.date()) for r in series.itertuples()}
            data = (ROOT / "data" / "sample" / "jira_shop_export.csv").read_bytes()
            preview = upload.preview_file(con.cursor(), "sample.csv", data, "jira_csv", knobs, calendar)
            assert preview.share.planned_points == series["planned_done_points"].sum()
            assert preview.share.unplanned_points == series["unplanned_points"].sum()
            assert preview.share.unplanned_items == series["unplanned_items"].sum()
    finally:
        con.close()


@pytest.mark.parametrize("fixture, format, table", [
    ("pagerduty_incidents.csv", "pagerduty_csv", "incidents"),
    ("oncall_pagerduty.ics", "oncall_ics", "oncall_shifts"),
    ("jira_board_sprints.json", "jira_sprints_json", "sprints"),
    ("sprints_named_columns.csv", "sprints_csv", "sprints"),
    ("github_project_view.tsv", "github_projects_tsv", "work_items"),
    ("jira_legacy_sprint_strings.csv", "jira_csv", "work_items"),
])
def test_every_kind_of_file_is_detected_and_previewed_as_staged(fixture, format, table, tmp_path):
    data = (ROOT / "tests" / "fixtures" / fixture).read_bytes()
    stage, rows = staged(fixture, data, tmp_path)
    con = store.open_store(":memory:", load_sample=False)
    try:
        assert upload.detect(con, fixture, data) == format
        preview = upload.preview_file(con, fixture, data, format, Knobs(), {})
        assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary").fetchone()[0] == 0  # dropped
    finally:
        con.close()
    ok = rows[rows["_errors"].map(len) == 0]
    assert (preview.format, preview.table, preview.rows_read) == (stage.format, table, stage.rows_read)
    assert preview.to_load == len(ok.drop_duplicates(list(store.TABLE_KEYS[table])))
    assert list(preview.head["row"]) == list(ok["_row"].head(upload.PREVIEW_ROWS))
    assert "_errors" not in preview.head and not [c for c in preview.head if c.startswith("_")]


def test_calendar_csv_writes_a_sprints_file():
    frame = pd.DataFrame({"name": ['Sprint "1", new', "S2", None],
                          "start": [dt.date(2026, 1, 5), dt.date(2026, 1, 19), None],
                          "end": [dt.date(2026, 1, 18), dt.date(2026, 2, 1), None], "capacity": [40.0, None, None],
                          "reserve": [7.5, 8.0, None]})
    assert upload.calendar_csv(frame) == (b'Sprint,Start,End,Capacity,Reserve\r\n'
                                          b'"Sprint ""1"", new",2026-01-05,2026-01-18,40,7.5\r\n'
                                          b'S2,2026-01-19,2026-02-01,,8\r\n')


def test_mapping_helpers():
    frame = pd.DataFrame({"column": ["key", "created", "points"], "file column": ["Ticket", "Opened", None]})
    assert upload.mapping_from_editor(frame) == {"key": "Ticket", "created": "Opened", "points": None}
    assert upload.guess_table(["Ticket", "Title", "Opened"]) == "work_items"
    assert upload.guess_table(["Sprint name", "Start date", "End date"]) == "sprints"
    assert upload.guess_table(["person", "start", "end"]) == "oncall_shifts"
    assert upload.unique_headers(["Sprint", "Sprint", "Key"]) == ["Sprint", "Sprint (2)", "Key"]
    assert upload.mapping_name("acme export 2026-03.csv") == "acme export"
    assert upload.mapping_name("jira_csv.csv") == "jira_csv mapping"


def test_rejects_frame_and_its_download_are_formula_safe():
    from analytics.exports import formula_safe_csv
    from analytics.importers import Reject

    frame = upload.rejects_frame([Reject("x.csv", 3, "created", "=cmd|' /C calc'!A0", "not a date")])
    assert frame.to_dict("records") == [{"file": "x.csv", "row": 3, "column": "created",
                                         "value": "=cmd|' /C calc'!A0", "reason": "not a date"}]
    assert b"\"'=cmd|' /C calc'!A0\"" in formula_safe_csv(frame)
    assert json.dumps(upload.rejects_frame([]).columns.tolist()) == '["file", "row", "column", "value", "reason"]'
