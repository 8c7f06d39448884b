"""Sessions at the same time: each on its own cursor of the one shared connection, as ui/state.py does.

Four sessions upload different exports while others read metrics: no error, no lost row (the final
counts are the sum of the four files), one import-log row and one data-version step per file. Two
sessions uploading the same bytes at once import them once. The store file itself has one writer
process (tests/test_store.py, tests/test_security.py).
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from analytics import report, sprints, store
from analytics.config import Knobs
from analytics.errors import AlreadyImported

HEADER = ("Summary,Issue key,Issue id,Issue Type,Status,Project key,Priority,Created,Resolved,Sprint,"
          "Custom field (Story Points),Time Spent")
ROWS = 4000


START = dt.date(2026, 1, 5)


def export(project: str, rows: int = ROWS) -> bytes:
    """A Jira Server export of one project: `rows` items over 8 two-week sprints."""
    lines = [HEADER]
    for i in range(1, rows + 1):
        sprint = i % 8 + 1
        created = (START + dt.timedelta(days=(sprint - 1) * 14 + i % 10)).strftime("%d/%b/%y 10:00")
        kind = "Bug" if i % 3 == 0 else "Story"
        lines.append(f"Item {i},{project}-{i},{i},{kind},Done,{project},Major,{created},{created},"
                     f"{project} Sprint {sprint},{i % 5 + 1},3600")
    return ("\n".join(lines) + "\n").encode()


def sprint_calendar(project: str) -> bytes:
    rows = ["Name,Start date,End date,Capacity,Reserve"]
    for s in range(1, 9):
        start = START + dt.timedelta(days=(s - 1) * 14)
        rows.append(f"{project} Sprint {s},{start},{start + dt.timedelta(days=13)},40,5")
    return ("\n".join(rows) + "\n").encode()


@pytest.fixture
def shared(tmp_path):
    con = store.open_store(str(tmp_path / "shared.duckdb"), load_sample=False, hardened=True)
    yield con
    con.close()


def run_sessions(targets) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(len(targets))

    def session(target):
        try:
            start.wait(timeout=30)
            target()
        except BaseException as exc:  # collected and reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=session, args=(t,)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a session hung"
    return errors


def test_four_sessions_upload_and_read_at_the_same_time(shared):
    projects = ["ALPHA", "BRAVO", "CHARLIE", "DELTA"]
    files = {p: export(p) for p in projects}
    version = store.data_version(shared)
    results: dict[str, store.ImportResult] = {}
    reads = {"count": 0}
    done = threading.Event()

    def uploader(project):
        def run():
            with shared.cursor() as cur:
                results[project] = store.import_file(cur, f"{project.lower()}.csv", data=files[project])
                store.import_file(cur, f"{project.lower()}_sprints.csv", data=sprint_calendar(project))
                sprints.sprint_series(cur, Knobs())       # read right after its own write
        return run

    def reader():
        with shared.cursor() as cur:
            while not done.is_set() or not reads["count"]:
                series = sprints.sprint_series(cur, Knobs())
                assert series.empty or series["unplanned_share"].between(0, 1).all()
                report.build_report(cur, Knobs())
                reads["count"] += 1

    finished = []

    def uploads_then_stop(run):
        def wrapped():
            try:
                run()
            finally:
                finished.append(1)
                if len(finished) == len(projects):
                    done.set()   # the readers stop once every upload ended, succeeded or not
        return wrapped

    uploads = [uploader(p) for p in projects]
    errors = run_sessions([uploads_then_stop(u) for u in uploads] + [reader, reader])
    done.set()
    assert not errors, errors
    assert {p: r.rows_loaded for p, r in results.items()} == {p: ROWS for p in projects}
    with shared.cursor() as cur:
        assert cur.execute("SELECT count(*) FROM work_items").fetchone()[0] == ROWS * len(projects)
        assert cur.execute("SELECT count(*) FROM sprints").fetchone()[0] == 8 * len(projects)
        assert cur.execute("SELECT count(*), count(DISTINCT sha256) FROM imports").fetchone() == (8, 8)
        assert store.data_version(cur) == version + 8
        series = sprints.sprint_series(cur, Knobs())
        assert sorted(series["sprint"].str.split(" ").str[0].unique()) == sorted(projects)
    print(f"4 uploads of {ROWS:,} rows + calendars alongside {reads['count']} metric reads: no error")


def test_the_same_file_from_two_sessions_is_imported_once(shared):
    data = export("ECHO", 2000)
    outcomes: list[object] = []

    def upload():
        with shared.cursor() as cur:
            try:
                outcomes.append(store.import_file(cur, "echo.csv", data=data))
            except AlreadyImported as exc:
                outcomes.append(exc)

    errors = run_sessions([upload, upload])
    assert not errors, errors
    assert sorted(type(o).__name__ for o in outcomes) == ["AlreadyImported", "ImportResult"]
    with shared.cursor() as cur:
        assert cur.execute("SELECT count(*) FROM work_items").fetchone()[0] == 2000
        assert cur.execute("SELECT count(*) FROM imports").fetchone()[0] == 1
