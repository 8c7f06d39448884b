"""Nothing stored is lost: a killed import leaves the store as it was; a committed one survives a kill.

A child process imports a large generated export (300,000 Jira rows from bench/generate.py, ~57 MB) into a
store file and is SIGKILLed: while parsing it into the staging table, in the middle of the INSERT inside the
import transaction, blocked just before COMMIT (every row written, none committed), and right after COMMIT.
Reopening the store must show exactly the state before the import (row counts, the import log, the data
version and the rows themselves), or exactly the state after it once it was committed.
Undo of an import and re-importing the file are exact too: counts and every reported metric come back.
"""

from __future__ import annotations

import hashlib
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analytics import report, store
from analytics.config import Knobs
from bench.generate import generate

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
ITEMS = 300_000

# The child: imports argv[2] into the store argv[1] and reports its progress on stdout. `mode` picks the
# moment it announces and, for before-commit/committed, where it then waits to be killed.
CHILD = """
import sys, threading, time
from analytics import store
path, export, mode = sys.argv[1:4]

def say(word, progress=0.0):
    print(word, f"{progress:.0f}", flush=True)

def when_halfway(con, word):
    # DuckDB reports the running statement's progress: announce `word` while it is between 20 and 80 %.
    def watch():
        while True:
            progress = con.query_progress()
            if 20 <= progress <= 80:
                return say(word, progress)
            time.sleep(0.001)
    threading.Thread(target=watch, daemon=True).start()

con = store.open_store(path, load_sample=False)
con.execute("SET enable_progress_bar = true")
con.execute("SET enable_progress_bar_print = false")
if mode == "staging":       # DuckDB parsing the file into the TEMP staging table
    stage = store.stage_file
    store.stage_file = lambda c, *a, **k: (when_halfway(c, mode), stage(c, *a, **k))[1]
elif mode == "inserting":   # inside the import transaction, in the middle of an INSERT
    replace = store._replace_rows
    store._replace_rows = lambda c, *a, **k: (when_halfway(c, mode), replace(c, *a, **k))[1]
elif mode == "before-commit":
    def blocked(c):
        say("before-commit")
        time.sleep(600)
    store._bump_version = blocked
result = store.import_file(con, "jira.csv", path=export)
say("committed")
time.sleep(600)
"""


@pytest.fixture(scope="module")
def big_export(tmp_path_factory) -> Path:
    start = time.perf_counter()
    path = generate(ITEMS, tmp_path_factory.mktemp("big"))["items"]
    print(f"\ngenerated {ITEMS:,} rows ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - start:.1f} s")
    return path


@pytest.fixture(scope="module")
def base_store(tmp_path_factory) -> Path:
    """A store file holding one committed import: the state every killed import must leave intact."""
    path = tmp_path_factory.mktemp("base") / "base.duckdb"
    con = store.open_store(str(path), load_sample=False)
    store.import_file(con, "jira_cloud_all_fields.csv", path=FIXTURES / "jira_cloud_all_fields.csv")
    store.import_file(con, "pagerduty_incidents.csv", path=FIXTURES / "pagerduty_incidents.csv")
    con.close()
    return path


@pytest.fixture
def db(base_store, tmp_path) -> Path:
    path = tmp_path / "store.duckdb"
    shutil.copyfile(base_store, path)
    return path


def state(path: Path) -> dict:
    """Everything an import changes, read from a fresh process-level open of the file (WAL replayed)."""
    con = store.open_store(str(path), load_sample=False)
    try:
        tables = [t for base in store.TABLE_KEYS for t in (base, base + "_replaced")]
        return {
            "counts": {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables},
            "imports": con.execute("SELECT id, file_name, sha256, rows_loaded FROM imports ORDER BY id").fetchall(),
            "data_version": store.data_version(con),
            "keys": con.execute("SELECT sum(hash(key)), max(key) FROM work_items").fetchone(),
        }
    finally:
        con.close()


def start_child(db: Path, export: Path, mode: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(export), mode], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(proc: subprocess.Popen, word: str, timeout: float = 120) -> float:
    """Read the child's progress until `word`; returns the progress of its running statement then (%)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(f"the child ended before '{word}': {proc.stderr.read()[-2000:]}")
        said, at = line.split()
        if said == "committed" and word != "committed":
            raise AssertionError(f"the import committed before the kill at '{word}'")
        if said == word:
            return float(at)
    raise AssertionError(f"no '{word}' from the child within {timeout} s")


def on_disk(db: Path) -> str:
    wal = Path(f"{db}.wal")
    return f"WAL {wal.stat().st_size / 1e3:,.1f} KB" if wal.exists() else "no WAL (checkpointed)"


def kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    proc.stdout.close()
    proc.stderr.close()


@pytest.mark.parametrize("mode", ["staging", "inserting"])
def test_a_kill_during_an_import_leaves_the_store_as_it_was(db, big_export, mode):
    before = state(db)
    proc = start_child(db, big_export, mode)
    try:
        progress = wait_for(proc, mode)
    finally:
        kill(proc)
    print(f"\nkilled while {mode}, the running statement at {progress:.0f}%")
    assert state(db) == before


def test_a_kill_just_before_commit_leaves_the_store_as_it_was_and_the_file_imports_later(db, big_export):
    before = state(db)
    size = db.stat().st_size
    proc = start_child(db, big_export, "before-commit")
    try:
        wait_for(proc, "before-commit")   # every row inserted and replaced rows moved, nothing committed
        print(f"\nkilled with {ITEMS:,} rows inserted, not committed: the store file grew "
              f"{(db.stat().st_size - size) / 1e6:.1f} MB (rows written ahead), {on_disk(db)}")
    finally:
        kill(proc)
    assert state(db) == before
    # nothing of the killed attempt remains: the same file is not "already imported"
    con = store.open_store(str(db), load_sample=False)
    try:
        assert store.import_file(con, "jira.csv", path=big_export).rows_loaded == ITEMS
    finally:
        con.close()


@pytest.mark.parametrize("size", ["large", "small"])
def test_a_committed_import_survives_a_kill_right_after_commit(db, big_export, size):
    # the large import is checkpointed into the file at commit; the small one lives only in the WAL
    export, rows = (big_export, ITEMS) if size == "large" else (FIXTURES / "jira_server_24h.csv", 2)
    before = state(db)
    proc = start_child(db, export, "committed")
    try:
        wait_for(proc, "committed")
        print(f"\nkilled right after committing {rows:,} rows: {on_disk(db)}")
    finally:
        kill(proc)
    after = state(db)
    assert after["counts"]["work_items"] == before["counts"]["work_items"] + rows
    assert after["data_version"] == before["data_version"] + 1
    assert after["imports"][:-1] == before["imports"]
    assert after["imports"][-1][1:] == ("jira.csv", hashlib.sha256(export.read_bytes()).hexdigest(), rows)


# --- undo and re-import are exact ------------------------------------------------------------------------------

def newer_export() -> bytes:
    """The sample's Jira export as of a later day: some stories became bugs (replacing rows), new items added."""
    lines = (ROOT / "data" / "sample" / "jira_shop_export.csv").read_text(encoding="utf-8").split("\n")
    header, rows = lines[0], [line for line in lines[1:] if line]
    changed = [r.replace(",Story,", ",Bug,", 1) if i % 7 == 0 else r for i, r in enumerate(rows)]
    return "\n".join([header] + changed).encode() + b"\n"


def measures(con) -> tuple[dict, dict]:
    counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
              for base in store.TABLE_KEYS for t in (base, base + "_replaced")}
    return counts, report.build_report(con, Knobs())


def test_undo_and_reimport_are_exact(sample_store):
    con = store.open_store(str(sample_store))
    try:
        before = measures(con)
        first = store.import_file(con, "jira_newer.csv", data=newer_export())
        assert first.rows_replaced > 0
        after = measures(con)
        assert after[1] != before[1], "the newer export should change some metric"
        store.undo_import(con, first.import_id)
        assert measures(con) == before
        again = store.import_file(con, "jira_newer.csv", data=newer_export())
        assert (again.rows_loaded, again.rows_replaced) == (first.rows_loaded, first.rows_replaced)
        assert measures(con) == after
        store.undo_import(con, again.import_id)
        assert measures(con) == before
    finally:
        con.close()
