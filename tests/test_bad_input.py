"""Bad input, one test per case of RELIABILITY.md §4: each asserts what happens to the file and what it is told.

A rejected file leaves the store exactly as it was (row counts of every table, the import log and the data
version), and its message starts with the file name, names the row (and column) where one applies, and says
what to do. A file that loads says how it was read (encoding, rows read, loaded, rejected).
Large inputs are generated here at run time; the small ones are written inline or in tests/fixtures/bad/.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import time
import zipfile
from pathlib import Path

import pytest

from analytics import importers, mappings, store
from analytics.errors import ImportRejected
from analytics.importers import textfile
from tests.builders import new_store

FIXTURES = Path(__file__).parent / "fixtures"
BAD = FIXTURES / "bad"

# Jira Server's CSV export: the smallest real layout with a number, two dates and a list column.
HEADER = ("Summary,Issue key,Issue id,Issue Type,Status,Project key,Priority,Created,Resolved,Sprint,"
          "Custom field (Story Points),Time Spent")
POINTS = "Custom field (Story Points)"


def row(i: int, summary: str | None = None, points: str = "2.0") -> str:
    return (f"{summary or f'Item {i}'},OPS-{i},{i},Bug,Closed,OPS,Major,25/Jun/20 12:44,26/Jun/20 08:05,OPS 12,"
            f"{points},5400")


def jira(*rows: str, header: str = HEADER, newline: str = "\n") -> bytes:
    return newline.join((header,) + rows).encode() + newline.encode()


@pytest.fixture
def con():
    """A store that already holds an import, so that "unchanged" means something."""
    c = new_store()
    store.import_file(c, "jira_cloud_all_fields.csv", path=FIXTURES / "jira_cloud_all_fields.csv")
    return c


def snapshot(c) -> dict:
    tables = [t for base in store.TABLE_KEYS for t in (base, base + "_replaced")] + ["imports", "saved_mappings"]
    counts = {t: c.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    temp = c.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary").fetchone()[0]
    return {"counts": counts, "data_version": store.data_version(c), "temp_tables": temp}


def rejected(c, name: str, data: bytes | None = None, *, path: Path | None = None, row: int | None = None,
             column: str | None = None, **kw) -> ImportRejected:
    """Import a file that must be refused: the store unchanged, the message naming file, row, column and a fix."""
    before = snapshot(c)
    with pytest.raises(ImportRejected) as info:
        store.import_file(c, name, data=data, path=path, **kw)
    exc = info.value
    assert snapshot(c) == before, "a rejected file changed the store"
    message = str(exc)
    assert message.startswith(name + (f", row {row}" if row is not None else ":")), message
    assert (exc.row, exc.column) == (row, column), message
    if column is not None:
        assert f"column '{column}'" in message
    assert exc.hint and message.endswith(exc.hint), f"no advice on what to do: {message}"
    assert "firebreak-" not in message and "Error:" not in message and "Traceback" not in message, message
    print(f"\n{message}")
    return exc


def loaded(c, name: str, data: bytes | None = None, **kw) -> store.ImportResult:
    result = store.import_file(c, name, data=data, **kw)
    log = c.execute("SELECT file_name, encoding, rows_read, rows_loaded, rows_rejected FROM imports WHERE id = ?",
                    [result.import_id]).fetchone()
    assert log == (name, result.encoding, result.rows_read, result.rows_loaded, result.rows_rejected)
    print(f"\n{name}: {result.format}, {result.encoding}, {result.rows_read} read, {result.rows_loaded} loaded, "
          f"{result.rows_rejected} rejected {[(r.row, r.column, r.reason) for r in result.rejects]}")
    return result


def one(c, sql: str, *params):
    return c.execute(sql, list(params)).fetchone()


# --- encodings and dialects (read) --------------------------------------------------------------------------

def test_utf8_bom_is_read(con):
    r = loaded(con, "bom.csv", codecs.BOM_UTF8 + jira(row(1, "Müller’s fix")))
    assert (r.format, r.encoding, r.rows_loaded, r.rejects) == ("jira_csv", "utf-8-sig", 1, ())
    assert one(con, "SELECT summary FROM work_items WHERE key = 'OPS-1'") == ("Müller’s fix",)


@pytest.mark.parametrize("bom, codec, shown", [
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),   # Excel's "Save as Unicode Text"
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
    (b"", "utf-16-le", "utf-16-le"),                 # no BOM: recognised by the NUL beside every ASCII byte
])
def test_utf16_unicode_text_with_tabs_is_decoded_and_read(con, bom, codec, shown):
    # Tab-separated, CRLF, as Excel writes it.
    text = "\r\n".join([HEADER.replace(",", "\t"), row(1, "Grüße – naïve").replace(",", "\t")]) + "\r\n"
    r = loaded(con, "unicode.txt", bom + text.encode(codec))
    assert (r.format, r.encoding, r.rows_loaded) == ("jira_csv", shown, 1)
    assert one(con, "SELECT summary, points FROM work_items WHERE key = 'OPS-1'") == ("Grüße – naïve", 2.0)


def test_cp1252_is_decoded_and_the_encoding_shown(con):
    summary = "Café – “quoted” €5"
    r = loaded(con, "windows.csv", jira(row(1, summary)).decode().encode("cp1252"))
    assert (r.encoding, r.rows_loaded) == ("cp1252", 1)
    assert one(con, "SELECT summary FROM work_items WHERE key = 'OPS-1'") == (summary,)
    history = store.import_history(con)
    assert history.loc[history["id"] == r.import_id, "encoding"].item() == "cp1252"


def test_cp1252_after_a_utf8_looking_head_is_read_again_as_cp1252(con):
    # The first 256 KB are plain ASCII (valid UTF-8); the cp1252 byte comes later: DuckDB flags it and
    # the whole file is read again as cp1252 (no row lost, no mojibake).
    rows = [row(i) for i in range(1, 3001)] + [row(3001, "Crème brûlée €")]
    data = jira(*rows).decode().encode("cp1252")
    assert len(data) > textfile.SNIFF_BYTES
    r = loaded(con, "late.csv", data)
    assert (r.encoding, r.rows_loaded, r.rows_rejected) == ("cp1252", 3001, 0)
    assert one(con, "SELECT summary FROM work_items WHERE key = 'OPS-3001'") == ("Crème brûlée €",)


def test_semicolons_with_decimal_commas(con):
    data = jira("Retry payments;OPS-1;1;Bug;Closed;OPS;Major;25/Jun/20 12:44;;;3,5;5400", header=HEADER.replace(",", ";"))
    r = loaded(con, "semicolon.csv", data)
    assert (r.rows_loaded, r.rejects) == (1, ())
    assert one(con, "SELECT summary, points, time_spent_hours FROM work_items WHERE key = 'OPS-1'") == (
        "Retry payments", 3.5, 1.5)


def test_excel_sep_hint_line_is_dropped(con):
    data = b"sep=;\r\n" + jira("Retry;OPS-1;1;Bug;Closed;OPS;Major;25/Jun/20 12:44;;;3,5;",
                               "Broken;OPS-2;2;Bug;Closed;OPS;Major;someday;;;1;", header=HEADER.replace(",", ";"),
                               newline="\r\n")
    r = loaded(con, "excel.csv", data)
    assert (r.format, r.rows_read, r.rows_loaded) == ("jira_csv", 2, 1)
    # rows are lines of the file: the hint line is row 1, the header row 2
    assert [(x.row, x.column, x.value) for x in r.rejects] == [(4, "Created", "someday")]
    assert one(con, "SELECT points FROM work_items WHERE key = 'OPS-1'") == (3.5,)


# --- shape ----------------------------------------------------------------------------------------------------

def test_ragged_rows_are_rejected_citing_their_rows(con):
    data = jira(row(1), '"Two-line\nsummary",OPS-2,2,Bug,Closed,OPS,Major,25/Jun/20 12:44,,,,', row(3),
                "Too short,OPS-4,4", row(5), row(6, points="lots"),
                "Too long,OPS-7,7,Bug,Closed,OPS,Major,25/Jun/20 12:44,,,,,extra", row(8))
    r = loaded(con, "ragged.csv", data)
    assert (r.rows_read, r.rows_loaded, r.rows_rejected) == (8, 5, 3)
    # rows are records as a spreadsheet numbers them (the quoted two-line summary is one row)
    assert [(x.row, x.column) for x in r.rejects] == [(5, None), (7, POINTS), (8, None)]
    short, points, long = r.rejects
    assert short.reason == "this row has fewer cells (3) than the header (12); the row was not loaded"
    assert long.reason == "this row has more cells (13) than the header (12); the row was not loaded"
    assert (points.value, points.reason) == ("lots", "not a number")
    keys = {k for (k,) in con.execute("SELECT key FROM work_items WHERE key LIKE 'OPS-%'").fetchall()}
    assert keys == {"OPS-1", "OPS-2", "OPS-3", "OPS-5", "OPS-8"}


def test_a_mostly_ragged_file_is_refused_not_misread(con):
    # Rows separated by ';' under a ',' header: each row is one cell. Loading the one row that happens to fit
    # would be a silent misparse.
    rows = [r.replace(",", ";") for r in (row(1), row(2), row(3))] + [row(4)]
    exc = rejected(con, "mixed.csv", jira(*rows), row=2)
    assert "3 of 4 rows (rows 2, 3, 4) do not have the header's 12 cells" in str(exc)


def test_duplicate_headers_are_read_as_one_list(con):
    header = HEADER.replace("Sprint,", "Sprint,Sprint,") + ",Labels,Labels"
    data = jira("Carry-over,OPS-1,1,Story,Done,OPS,Major,25/Jun/20 12:44,,OPS 11,OPS 12,3,,backend,api", header=header)
    r = loaded(con, "dup.csv", data)
    assert (r.rows_loaded, r.rejects) == (1, ())
    assert one(con, "SELECT sprints, labels FROM work_items WHERE key = 'OPS-1'") == (
        ["OPS 11", "OPS 12"], ["backend", "api"])


@pytest.mark.parametrize("data", [b"", b" \r\n\n\t\n", codecs.BOM_UTF8])
def test_empty_file(con, data):
    exc = rejected(con, "empty.csv", data)
    assert str(exc) == "empty.csv: the file is empty. Export again from your tool; the file has no rows."


@pytest.mark.parametrize("data", [jira(), HEADER.encode(), jira() + b"\n\n,,,\n"])
def test_header_only(con, data):
    exc = rejected(con, "header.csv", data, row=2)
    assert "has a header but no rows" in str(exc)


# --- not a CSV at all ---------------------------------------------------------------------------------------

def _xlsx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return buf.getvalue()


@pytest.mark.parametrize("data, says", [
    (_xlsx(), "this is an Excel workbook (.xlsx), not a CSV. Export it as CSV (in Excel: File > Save As > CSV UTF-8)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), "this is an old Excel (.xls) workbook, not a CSV. Export it as CSV"),
    (b"\x89PNG\r\n\x1a\n" + bytes(100), "this is a PNG image, not a CSV. Upload the CSV export"),
    (b"%PDF-1.7\n", "this is a PDF document, not a CSV."),
], ids=["xlsx", "xls", "png", "pdf"])
def test_workbook_or_image_renamed_csv(con, data, says):
    assert says in str(rejected(con, "export.csv", data))


def test_zip_archive(con):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("export.csv", jira(row(1)))
    exc = rejected(con, "export.csv", buf.getvalue())
    assert str(exc) == "export.csv: this is a zip archive, not a CSV. Unzip it and upload the CSV inside."


def test_html_login_page_saved_as_csv(con):
    exc = rejected(con, "jira-export.csv", path=BAD / "login_page.csv")
    assert "this is a web page (HTML), not a CSV export: probably a login page saved instead of the export" in str(exc)
    assert "Sign in to the tool in your browser, export the CSV again" in str(exc)


def test_json_saved_as_csv(con):
    exc = rejected(con, "issues.csv", path=BAD / "issues_json.csv")
    assert "this is a JSON document, not a CSV export" in str(exc)
    assert exc.hint == "Use the tool's CSV export and upload the .csv file."


def test_binary_file(con):
    assert "this is a binary file" in str(rejected(con, "dump.csv", b"ab\x00\x01\x02" * 100))


def test_unbalanced_quote_is_refused_citing_the_row_where_it_opens(con):
    data = jira(row(1), row(2), '"Never closed,OPS-3,3,Bug,Closed,OPS,Major,25/Jun/20 12:44,,,,', row(4), row(5))
    exc = rejected(con, "quote.csv", data, row=4)
    assert "a quoted value starts on this row and its closing quote is missing or misplaced" in str(exc)


# --- values -----------------------------------------------------------------------------------------------------

def test_a_non_number_deep_in_the_file_names_row_and_column_and_the_rest_loads(con):
    # 30,000 good rows (rows 2..30,001, one of them on two lines), 'n/a' on row 30,002, more good rows after.
    rows = [row(i) for i in range(2, 30_002)]
    rows[10] = '"Line one\nline two",OPS-12,12,Bug,Closed,OPS,Major,25/Jun/20 12:44,,,2.0,'
    rows += [row(30_002, points="n/a")] + [row(i) for i in range(30_003, 30_011)]
    r = loaded(con, "deep.csv", jira(*rows))
    assert (r.rows_read, r.rows_loaded, r.rows_rejected) == (30_009, 30_008, 1)
    (bad,) = r.rejects
    assert (bad.file, bad.row, bad.column, bad.value, bad.reason) == ("deep.csv", 30_002, POINTS, "n/a", "not a number")
    assert one(con, "SELECT count(*) FROM work_items WHERE key LIKE 'OPS-%'") == (30_008,)
    assert one(con, "SELECT count(*) FROM work_items WHERE key = 'OPS-30002'") == (0,)


def test_na_none_null_are_kept_as_text(con):
    data = jira("NA,OPS-1,1,None,null,OPS,N/A,25/Jun/20 12:44,,NULL,,", "None,OPS-2,2,Bug,nan,OPS,-,25/Jun/20 12:44,,,,")
    r = loaded(con, "na.csv", data)
    assert (r.rows_loaded, r.rejects) == (2, ())
    got = con.execute("SELECT summary, type, status, priority, sprints FROM work_items WHERE key LIKE 'OPS-%' "
                      "ORDER BY key").fetchall()
    assert got == [("NA", "None", "null", "N/A", ["NULL"]), ("None", "Bug", "nan", "-", [])]


def test_keys_with_leading_zeros_are_kept(con):
    ado = ("ID,Work Item Type,Title,State,Created Date\n"
           "00123,Bug,Leading zeros,Active,3/4/2026 9:00:00 AM\n"
           "0042,Task,Two zeros,Active,3/4/2026 9:00:00 AM\n").encode()
    loaded(con, "ado.csv", ado)
    assert con.execute("SELECT key FROM work_items WHERE key IN ('00123', '0042', '123', '42') "
                       "ORDER BY key").fetchall() == [("00123",), ("0042",)]
    loaded(con, "sprints.csv", b"Name,Start date,End date\n007,2026-01-05,2026-01-18\n")
    assert one(con, "SELECT name, start_date FROM sprints WHERE name IN ('007', '7')") == ("007", dt.date(2026, 1, 5))


def test_ambiguous_dates_follow_the_source_or_the_layout_the_user_chose(con):
    # 03/04/2024: Azure DevOps and ServiceNow export US month-first dates (formats module): 4 March.
    loaded(con, "ado.csv", b"ID,Work Item Type,Title,State,Created Date\n501,Bug,t,Active,03/04/2024 10:00:00 AM\n")
    assert one(con, "SELECT created FROM work_items WHERE key = '501'") == (dt.datetime(2024, 3, 4, 10),)
    loaded(con, "snow.csv", b"number,short_description,opened_at\nINC0010001,Outage,03/04/24 10:00\n")
    assert one(con, "SELECT created FROM incidents WHERE id = 'INC0010001'") == (dt.datetime(2024, 3, 4, 10),)
    # A tool without a known format: the user is asked for the layout on the mapping screen.
    header = ["Ref", "Opened", "What"]
    mapping = mappings.suggest_mapping(header, "work_items") | {"key": "Ref", "created": "Opened", "summary": "What"}
    mappings.save_mapping(con, "uk tracker", "work_items", header, mapping, ["%d/%m/%Y"])
    r = loaded(con, "uk.csv", b"Ref,Opened,What\nUK-1,03/04/2024,day first\n")
    assert r.format == "uk tracker"
    assert one(con, "SELECT created FROM work_items WHERE key = 'UK-1'") == (dt.datetime(2024, 4, 3),)
    # A value the source's layout cannot read is rejected with the layout it expects, not guessed.
    r = loaded(con, "ado2.csv", b"ID,Work Item Type,Title,State,Created Date\n502,Bug,t,Active,13/04/2024 10:00\n"
                                b"503,Bug,t,Active,04/12/2024 10:00\n")
    assert [(x.row, x.column, x.value) for x in r.rejects] == [(2, "Created Date", "13/04/2024 10:00")]
    assert "expected like 3/4/2026 6:55:03 PM" in r.rejects[0].reason


def test_a_two_megabyte_cell_loads_and_an_oversized_row_is_rejected(con, monkeypatch):
    # Decision: a cell is stored as exported up to MAX_RECORD_BYTES per row (8 MB; Jira descriptions with
    # pasted logs reach a few MB); a longer row is rejected citing its row, the others load.
    big = "x" * 2_000_000
    r = loaded(con, "big.csv", jira(row(1), row(2, big), row(3)))
    assert (r.rows_loaded, r.rejects) == (3, ())
    assert one(con, "SELECT length(summary) FROM work_items WHERE key = 'OPS-2'") == (2_000_000,)

    monkeypatch.setattr(importers, "MAX_RECORD_BYTES", 1_000_000)
    r = loaded(con, "big2.csv", jira(row(11), row(12, big), row(13)))
    assert (r.rows_read, r.rows_loaded) == (3, 2)
    (reject,) = r.rejects
    assert (reject.row, reject.column) == (3, None)
    assert reject.reason.startswith("this row is longer than 1.0 MB; it was not loaded")


def test_a_hundred_thousand_columns_are_refused_from_the_header(con, monkeypatch):
    def duckdb_must_not_run(*args, **kwargs):
        raise AssertionError("the file reached DuckDB")

    monkeypatch.setattr(importers, "_stage_csv", duckdb_must_not_run)
    width = 100_000
    data = (",".join(f"field{i}" for i in range(width)) + "\n" + ",".join(["x"] * width) + "\n").encode()
    start = time.perf_counter()
    exc = rejected(con, "wide.csv", data, row=1)
    elapsed = time.perf_counter() - start
    print(f"100,000 columns ({len(data) / 1e6:.1f} MB) refused in {elapsed * 1000:.1f} ms")
    assert "columns; at most 1,000 are accepted" in str(exc)


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(con, monkeypatch, tmp_path):
    monkeypatch.setattr(textfile, "MAX_FILE_BYTES", 1000)
    data = jira(*(row(i) for i in range(1, 20)))
    assert len(data) > 1000

    def must_not_parse(*args, **kwargs):
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(textfile, "check_content", must_not_parse)
    monkeypatch.setattr(importers, "open_text", must_not_parse)
    exc = rejected(con, "huge.csv", data)
    assert f"the file is {textfile.size_text(len(data))}; at most 1.0 KB is accepted." in str(exc)
    on_disk = tmp_path / "huge.csv"
    on_disk.write_bytes(data)
    rejected(con, "huge.csv", path=on_disk)
    monkeypatch.undo()
    # at the limit it imports
    monkeypatch.setattr(textfile, "MAX_FILE_BYTES", len(data))
    assert loaded(con, "huge.csv", data).rows_loaded == 19
