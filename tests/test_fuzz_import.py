"""Property: whatever bytes arrive, an import either succeeds or raises ImportRejected with a message.

Random bytes and text, and mutations of real exports (the heads of tests/fixtures/*.csv|tsv and
data/sample/*.csv, plus the iCalendar and JSON fixtures): byte flips, truncation, inserted quotes,
newlines, CRs, NULs and delimiters, duplicated and deleted lines. Any other exception is a bug in the
importer (fixed where it arises, never by catching everything). A rejected file leaves the store
unchanged. Derandomized so that CI runs the same examples every time.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics import store
from analytics.errors import ImportRejected
from tests.builders import new_store

ROOT = Path(__file__).resolve().parents[1]
HEAD_BYTES = 4000


def _head(path: Path) -> bytes:
    data = path.read_bytes()
    if len(data) <= HEAD_BYTES:
        return data
    cut = data.rfind(b"\n", 0, HEAD_BYTES)
    while cut > 0 and data[:cut].count(b'"') % 2:  # not inside a quoted multi-line value
        cut = data.rfind(b"\n", 0, cut)
    return data[: cut + 1]


SEEDS = [(p.name, _head(p)) for p in sorted((ROOT / "tests" / "fixtures").glob("*.csv"))
         + sorted((ROOT / "tests" / "fixtures").glob("*.tsv")) + sorted((ROOT / "data" / "sample").glob("*.csv"))]
OTHER_SEEDS = [(p.name, _head(p)) for p in sorted((ROOT / "tests" / "fixtures").glob("*.ics"))
               + sorted((ROOT / "tests" / "fixtures").glob("*.json"))]
INSERTS = [b'"', b'""', b"\n", b"\r", b"\r\n", b",", b";", b"\t", b"|", b"\x00", b"\xff", b"\xe9", b"sep=;\n",
           b"\xef\xbb\xbf", b'"\n"', b"=HYPERLINK(1)", b"<html>"]
NAMES = ["export.csv", "export.tsv", "export.txt", "calendar.ics", "sprints.json"]

FUZZ = settings(derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def con():
    c = new_store()
    yield c
    c.close()


def check(con, name: str, data: bytes) -> None:
    cur = con.cursor()
    try:
        before = store.data_version(cur)
        try:
            result = store.import_file(cur, name, data=data)
        except ImportRejected as exc:
            assert str(exc).strip() and str(exc).startswith(name), repr(exc)
            assert store.data_version(cur) == before, "a rejected file changed the store"
        else:
            assert result.rows_loaded > 0 and result.rows_loaded + result.rows_rejected >= result.rows_read - \
                sum(1 for r in result.rejects if r.row is None)
    finally:
        cur.close()


@st.composite
def mutations(draw, seeds):
    name, data = draw(st.sampled_from(seeds))
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        i = draw(st.integers(0, len(data) - 1))
        op = draw(st.sampled_from(["flip", "truncate", "insert", "duplicate", "delete"]))
        if op == "flip":
            data[i] = draw(st.integers(0, 255))
        elif op == "truncate":
            data = data[:i]
        elif op == "insert":
            data[i:i] = draw(st.sampled_from(INSERTS))
        elif op == "duplicate":
            lines = data.split(b"\n")
            j = draw(st.integers(0, len(lines) - 1))
            lines[j:j] = [lines[j]] * draw(st.integers(1, 3))
            data = bytearray(b"\n".join(lines))
        else:
            del data[i: i + draw(st.integers(1, 80))]
    return name, bytes(data)


@settings(FUZZ, max_examples=60)
@given(data=st.binary(max_size=3000), name=st.sampled_from(NAMES))
def test_random_bytes(con, data, name):
    check(con, name, data)


@settings(FUZZ, max_examples=30)
@given(text=st.text(max_size=600), name=st.sampled_from(NAMES))
def test_random_text(con, text, name):
    check(con, name, text.encode("utf-8"))


@settings(FUZZ, max_examples=160)
@given(case=mutations(SEEDS))
def test_mutated_real_exports(con, case):
    check(con, *case)


@settings(FUZZ, max_examples=40)
@given(case=mutations(OTHER_SEEDS))
def test_mutated_calendars_and_sprint_json(con, case):
    check(con, *case)


def test_the_seeds_themselves_import(con):
    """The property would be vacuous if the unmutated exports did not load."""
    for name, data in SEEDS:
        cur = con.cursor()
        try:
            result = store.import_file(cur, name, data=data)
            assert result.rows_loaded > 0, name
        except ImportRejected as exc:  # already imported, or GitHub's default view (no Created column)
            assert "already imported" in str(exc) or "add date fields named 'Created'" in str(exc), str(exc)
        finally:
            cur.close()


# --- what the fuzzer found, pinned ------------------------------------------------------------------------------

def test_an_unreadable_shift_time_is_a_rejected_row_not_a_crash():
    ics = (ROOT / "tests" / "fixtures" / "oncall_pagerduty.ics").read_bytes()
    broken = ics.replace(b"DTSTART:20260302T090000Z", b"DTSTART:20260302T090.00Z", 1)
    assert broken != ics
    result = store.import_file(new_store(), "shifts.ics", data=broken)
    assert (result.rows_read, result.rows_loaded) == (2, 1)
    assert result.rejects[0].column == "DTSTART/DTEND" and "unreadable time" in result.rejects[0].reason


@pytest.mark.parametrize("name", ["oncall_pagerduty.ics", "jira_board_sprints.json"])
def test_an_unread_result_on_the_cursor_does_not_block_an_import(name):
    # DuckDB 2 refuses register() while the cursor's last execute() has unread rows (a fetchone()).
    con = new_store()
    con.execute("SELECT * FROM range(10)").fetchone()
    assert store.import_file(con, name, path=ROOT / "tests" / "fixtures" / name).rows_loaded > 0
