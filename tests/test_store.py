"""The store file: creation with the sample, one writer, the sandbox of the app's connection."""

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from analytics import store
from tests.builders import new_store

ROOT = Path(__file__).resolve().parents[1]


def test_new_store_is_created_with_the_sample(tmp_path, monkeypatch):
    path = tmp_path / "fb.duckdb"
    monkeypatch.setenv("FIREBREAK_DB", str(path))
    con = store.open_store()
    kinds = dict(con.execute("SELECT kind, sum(rows_loaded) FROM imports GROUP BY kind").fetchall())
    assert set(kinds) == {"work_items", "incidents", "oncall", "sprints"}
    assert kinds["sprints"] == 27
    assert con.execute("SELECT count(*) FROM work_items").fetchone()[0] == kinds["work_items"] > 500
    version = store.data_version(con)
    con.close()
    # reopening does not load the sample again
    con = store.open_store()
    assert store.data_version(con) == version
    assert con.execute("SELECT count(*) FROM imports").fetchone()[0] == 4
    con.close()
    assert path.exists()


@pytest.mark.parametrize("opener", ["store.open_store(sys.argv[1])",
                                    "store.connect(sys.argv[1])",
                                    "duckdb.connect(sys.argv[1], read_only=True)"])
def test_second_process_fails_fast_with_a_clear_message(tmp_path, opener):
    path = tmp_path / "fb.duckdb"
    con = store.open_store(str(path), load_sample=False)
    code = ("import sys, duckdb; from analytics import store\n"
            f"try:\n    {opener}\nexcept store.StoreLocked as e:\n    print(e); sys.exit(3)\n"
            "except duckdb.IOException as e:\n    print(e); sys.exit(4)\n")
    proc = subprocess.run([sys.executable, "-c", code, str(path)], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    if "read_only" in opener:  # not through our code: DuckDB itself refuses even a reader
        assert proc.returncode == 4 and "Could not set lock" in proc.stdout, proc.stderr
    else:
        assert proc.returncode == 3, proc.stderr
        assert "in use by process" in proc.stdout and "one running app" in proc.stdout
    # the first holder is unaffected
    assert con.execute("SELECT count(*) FROM imports").fetchone()[0] == 0
    con.close()


def test_hardened_connection_refuses_files_extensions_and_settings(tmp_path):
    con = store.open_store(str(tmp_path / "fb.duckdb"), load_sample=False, hardened=True)
    cur = con.cursor()  # pages use cursors: they inherit the lockdown
    for sql in ["SELECT * FROM read_csv('/etc/passwd')", f"COPY (SELECT 1) TO '{tmp_path}/out.csv'",
                f"ATTACH '{tmp_path}/other.duckdb'", "INSTALL httpfs",
                "SELECT * FROM read_text('/etc/passwd')", "SELECT * FROM glob('/etc/*')",
                "SELECT * FROM sniff_csv('/etc/passwd')", f"SELECT * FROM read_text('{tmp_path}/*')",
                f"SELECT * FROM read_csv('{store.UPLOAD_DIR}/../../etc/passwd')"]:
        with pytest.raises(duckdb.PermissionException):
            cur.execute(sql)
    with pytest.raises(duckdb.Error, match="lock|configuration"):
        cur.execute("SET enable_external_access = true")
    # uploads still import: from bytes, through the upload folder
    data = (ROOT / "tests" / "fixtures" / "jira_server_24h.csv").read_bytes()
    result = store.import_file(cur, "upload.csv", data=data)
    assert result.rows_loaded == 2


def test_memory_and_motherduck_paths_pass_through(monkeypatch):
    monkeypatch.setenv("FIREBREAK_DB", ":memory:")
    assert store.store_path() == ":memory:"
    con = new_store()
    assert con.execute("SELECT count(*) FROM work_items").fetchone()[0] == 0


def test_fact_tables_are_rebuilt_when_their_definition_changes(tmp_path, monkeypatch):
    """An upgrade that adds or changes a fact table must not leave an existing store with stale facts."""
    from analytics import facts, sprints
    from analytics.config import Knobs

    path = str(tmp_path / "fb.duckdb")
    con = store.open_store(path)
    before = sprints.sprint_series(con, Knobs())
    con.execute("DROP TABLE facts_label_sets")  # as if an older release had never built it
    monkeypatch.setattr(facts, "_definition", lambda: "a-newer-release")
    after = sprints.sprint_series(con, Knobs())
    assert after["unplanned_points"].tolist() == before["unplanned_points"].tolist()
    assert con.execute("SELECT count(*) FROM facts_label_sets").fetchone()[0] > 0


def test_local_stores_never_load_extensions_but_motherduck_paths_may():
    local = store.connection_config("data/firebreak.duckdb")
    assert local["autoinstall_known_extensions"] is False and local["autoload_known_extensions"] is False
    remote = store.connection_config("md:firebreak")
    assert remote["autoload_known_extensions"] is True and remote["allow_community_extensions"] is False
