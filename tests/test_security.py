"""Nothing uploaded reaches the machine or the browser: server settings, SQL injection, HTML in the data.

- `.streamlit/config.toml` (parsed): XSRF and CORS on, an upload limit, no tracebacks to the browser,
  no usage statistics, no static file serving; every key is a real Streamlit option.
- The app's DuckDB connection is sandboxed (see also tests/test_store.py).
- Headers and values from a file never become SQL: identifiers are our own (c0..cN, whitelisted column
  names, quoted), header text appears only inside escaped string literals, values are bound.
- Text from the data (summaries, names, labels, sprint names, categories) renders as text: no element is
  `unsafe_allow_html`, there is no `st.html`, and Markdown is escaped.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from analytics import mappings, store
from analytics.importers import textfile
from analytics.importers.formats import CANONICAL_COLUMNS, JIRA_CSV
from analytics.importers.sqlgen import canonical_select
from tests.builders import insert, item, new_store, sprint

ROOT = Path(__file__).resolve().parents[1]
PAYLOAD = "<img src=x onerror=alert(1)>"
INJECTION_HEADER = 'key" FROM work_items; DROP TABLE work_items; --'
INJECTION_VALUE = "' OR '1'='1"


# --- server settings --------------------------------------------------------------------------------------------

def config() -> dict:
    with open(ROOT / ".streamlit" / "config.toml", "rb") as fh:
        return tomllib.load(fh)


def test_server_settings_are_safe():
    c = config()
    assert c["server"]["enableXsrfProtection"] is True
    assert c["server"]["enableCORS"] is True
    assert 0 < c["server"]["maxUploadSize"] <= 200
    # what the server accepts, the importer accepts too (its own limit guards the CLI)
    assert c["server"]["maxUploadSize"] * 1024 * 1024 <= textfile.MAX_FILE_BYTES
    assert c["server"]["enableStaticServing"] is False
    assert c["client"]["showErrorDetails"] == "none"   # no tracebacks in the browser
    assert c["client"]["toolbarMode"] == "viewer"
    assert c["browser"]["gatherUsageStats"] is False


def test_every_setting_is_a_real_streamlit_option():
    from streamlit import config as st_config

    known = set(st_config.get_config_options())
    used = {f"{section}.{key}" for section, values in config().items() for key in values}
    assert used - known == set()


# --- sandbox ------------------------------------------------------------------------------------------------------

def test_the_apps_connection_refuses_files_outside_its_folders(tmp_path):
    from ui import state

    con = state._connection(str(tmp_path / "app.duckdb"))
    try:
        cur = con.cursor()
        for sql in ["SELECT * FROM read_text('/etc/passwd')", "SELECT * FROM glob('/etc/*')",
                    "SELECT * FROM sniff_csv('/etc/passwd')", "SELECT * FROM read_csv('/etc/passwd')",
                    f"SELECT * FROM read_text('{store.UPLOAD_DIR}/../../../etc/passwd')",
                    "SELECT * FROM read_blob('/etc/hostname')"]:
            with pytest.raises(duckdb.PermissionException):
                cur.execute(sql)
        with pytest.raises(duckdb.Error, match="lock|configuration"):
            cur.execute("SET enable_external_access = true")
    finally:
        state._connection.clear()


# --- SQL injection ------------------------------------------------------------------------------------------------

def tables(con) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall()}


def test_injection_in_headers_and_values_through_a_saved_mapping():
    con = new_store()
    before = tables(con)
    header = [INJECTION_HEADER, "Created'); DROP TABLE imports; --", "Title\"; DROP TABLE meta; --", "Labels"]
    mapping = {"key": header[0], "created": header[1], "summary": header[2], "labels": header[3]}
    mappings.save_mapping(con, "x'); DROP TABLE saved_mappings; --", "work_items", header, mapping)
    text = ",".join('"' + h.replace('"', '""') + '"' for h in header) + "\n" + "\n".join([
        f"\"{INJECTION_VALUE}\",2026-03-01 10:00,\"{INJECTION_VALUE}\",\"a'b,c\"\"d\"",
        "ABC-2,not a date,\"'; DROP TABLE work_items; --\",",
    ]) + "\n"
    result = store.import_file(con, "inject.csv", data=text.encode())
    assert tables(con) == before
    assert result.format == "x'); DROP TABLE saved_mappings; --"
    # values stored verbatim
    assert con.execute("SELECT key, summary, labels FROM work_items").fetchall() == [
        (INJECTION_VALUE, INJECTION_VALUE, ["a'b", 'c"d'])]
    # the header comes back verbatim in the reject report (it was only ever a string literal)
    (reject,) = result.rejects
    assert (reject.row, reject.column, reject.value) == (3, header[1], "not a date")
    # a bound value matches itself only; the same text pasted into SQL would match every row
    assert con.execute("SELECT count(*) FROM work_items WHERE key = ?", ["ABC-2"]).fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM work_items WHERE key = ?", [INJECTION_VALUE]).fetchone()[0] == 1


def test_injection_in_a_jira_link_header_and_values():
    con = new_store()
    before = tables(con)
    header = ("Summary,Issue key,Issue Type,Status,Created,"
              '"Outward issue link (Blocks\'); DROP TABLE work_items; --)",Labels')
    data = (header + f"\n\"{INJECTION_VALUE}\",SHOP-1,Bug,Done,25/Jun/20 12:44,SHOP-2,\"{PAYLOAD}\"\n").encode()
    result = store.import_file(con, "links.csv", data=data)
    assert (result.rows_loaded, tables(con)) == (1, before)
    assert con.execute("SELECT summary, labels, links FROM work_items").fetchone() == (
        INJECTION_VALUE, [PAYLOAD], [{"type": "Blocks'); DROP TABLE work_items; -- (outward)", "key": "SHOP-2"}])


HEADER_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                      min_size=1, max_size=40).filter(lambda h: h.strip())


@settings(derandomize=True, database=None, deadline=None, max_examples=60, suppress_health_check=list(HealthCheck))
@given(headers=st.lists(HEADER_TEXT, min_size=4, max_size=4, unique_by=lambda h: " ".join(h.lower().split())),
       link=HEADER_TEXT)
def test_any_header_text_yields_one_statement_that_runs(headers, link):
    """Whatever the headers say, the generated SQL is a single SELECT that binds and runs."""
    con = duckdb.connect()
    mapping = {"key": headers[0], "created": headers[1], "summary": headers[2], "labels": headers[3]}
    fmt = mappings.format_from_mapping("m", "work_items", mapping)
    jira_header = ["Issue key", "Summary", "Created", f"Outward issue link ({link})"]
    for f, header in [(fmt, headers), (JIRA_CSV, jira_header)]:
        raw = "(SELECT " + ", ".join(f"'x' AS c{i}" for i in range(len(header))) + ")"
        sql = canonical_select(f, header, raw, 1)
        assert len(con.extract_statements(sql)) == 1
        cols = [d[0] for d in con.execute(sql).description]
        assert set(CANONICAL_COLUMNS["work_items"]) <= set(cols) and "_errors" in cols


# --- HTML and Markdown from the data ------------------------------------------------------------------------------

MARKDOWN_FIELDS = ("body", "label", "help", "placeholder")   # rendered as Markdown by the frontend
UNESCAPED = re.compile(r"(?<!\\)<img")


def walk(node):
    yield node
    children = getattr(node, "children", None)
    for child in (children.values() if isinstance(children, dict) else children or ()):
        yield from walk(child)


def assert_renders_as_text(at: AppTest) -> int:
    """No raw HTML anywhere; returns how many Markdown fields carried the payload (escaped)."""
    escaped = 0
    for node in walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "DESCRIPTOR"):
            continue
        assert getattr(node, "type", None) not in ("html", "iframe"), "st.html / an iframe on the page"
        fields = proto.DESCRIPTOR.fields_by_name
        if "allow_html" in fields:
            assert not proto.allow_html, f"unsafe_allow_html on {node}"
        for name in MARKDOWN_FIELDS:
            value = getattr(proto, name, None) if name in fields else None
            if isinstance(value, str) and "img" in value:
                assert not UNESCAPED.search(value), f"{getattr(node, 'type', node)}.{name}: {value[:200]}"
                escaped += 1
    return escaped


def test_html_in_names_labels_and_categories_renders_as_text_on_the_overview(tmp_path, monkeypatch):
    path = tmp_path / "xss.duckdb"
    con = store.open_store(str(path), load_sample=False)
    start = dt.date(2026, 1, 5)
    sprints, items = [], []
    for i in range(6):
        first = start + dt.timedelta(days=14 * i)
        name = f"{PAYLOAD} {i}"
        sprints.append(sprint(name, first.isoformat(), (first + dt.timedelta(days=13)).isoformat(), reserve=2))
        for j in range(4):
            items.append(item(f"X-{i}{j}", "Bug" if j % 2 else "Story", created=f"{first} 10:00",
                              resolved=f"{first + dt.timedelta(days=3)} 10:00", points=3, sprints=[name],
                              labels=[PAYLOAD], project=PAYLOAD, summary=PAYLOAD, assignee=PAYLOAD))
    insert(con, "sprints", sprints)
    insert(con, "work_items", items)
    insert(con, "incidents", [{"id": f"I{i}", "title": PAYLOAD, "created": dt.datetime(2026, 1, 6 + i),
                               "resolved": dt.datetime(2026, 1, 6 + i, 5), "category": PAYLOAD,
                               "service": PAYLOAD, "responder": PAYLOAD} for i in range(5)])
    con.close()
    monkeypatch.setenv("FIREBREAK_DB", str(path))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Overview"
    assert assert_renders_as_text(at) >= 5   # sprint names, episodes, the category: all shown, all escaped
    assert any(m.value == r"\<img src=x onerror=alert\(1\)\>" for m in at.metric)


def test_store_messages_quote_paths_as_text(tmp_path, monkeypatch):
    folder = tmp_path / PAYLOAD
    folder.mkdir()
    bad = folder / "[x](javascript:alert(1)).duckdb"
    bad.write_bytes(b"this is not a database file" * 100)
    monkeypatch.setenv("FIREBREAK_DB", str(bad))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    assert "cannot be opened" in at.error[0].value
    assert assert_renders_as_text(at) >= 1
    assert "](javascript" not in at.error[0].value   # no Markdown link either


@pytest.mark.skipif(not (ROOT / "pages" / "upload.py").exists(), reason="no upload page yet")
def test_import_messages_on_the_upload_page_render_as_text(empty_store):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("pages/upload.py").run()
    files = [(f"{PAYLOAD}.csv", f"{PAYLOAD},b\n1,2\n".encode(), "text/csv"),
             ("page.csv", (ROOT / "tests" / "fixtures" / "bad" / "login_page.csv").read_bytes(), "text/csv")]
    at.file_uploader[0].set_value(files).run()
    assert not at.exception, at.exception
    assert len(at.error) >= 2
    assert assert_renders_as_text(at) >= 1


def test_a_second_writer_is_told_which_process_holds_the_store(tmp_path):
    """Complements tests/test_store.py: the message comes from a real second process, quickly."""
    path = tmp_path / "held.duckdb"
    con = store.open_store(str(path), load_sample=False)
    try:
        code = ("import sys, time; from analytics import store\nt = time.perf_counter()\n"
                "try:\n    store.open_store(sys.argv[1])\nexcept store.StoreLocked as e:\n"
                "    print(f'{time.perf_counter() - t:.3f}', e); sys.exit(3)\n")
        proc = subprocess.run([sys.executable, "-c", code, str(path)], cwd=ROOT, capture_output=True, text=True,
                              timeout=60)
        assert proc.returncode == 3, proc.stderr
        seconds, message = proc.stdout.split(" ", 1)
        print(f"second writer refused in {float(seconds) * 1000:.0f} ms: {message.strip()}")
        assert f"in use by process {os.getpid()}" in message
    finally:
        con.close()
