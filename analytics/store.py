"""The DuckDB store: one database file holding the canonical tables and the import log.

- `open_store()` opens (and on first use creates) the file named by
  `FIREBREAK_DB` (default `data/firebreak.duckdb`; `:memory:` and `md:...`
  strings pass through to DuckDB) and loads the embedded sample into a new store.
- `import_file()` stages an export and commits it in one transaction together
  with its `imports` row: on any error nothing changes. Rows replace earlier
  rows with the same key (a newer export of the same project), and the rows
  they replaced are kept so that `undo_import()` restores them exactly.
- `data_version()` changes on every commit and undo; the app keys its caches on it.

Concurrency: DuckDB allows one read-write process per file (a second one gets
`StoreLocked`). Inside the process every session works on its own cursor;
parsing and staging run in parallel (TEMP tables are per cursor), and the
short write transactions (commit, undo) take `_WRITE_LOCK` in turn, so two
sessions never conflict on the same rows (the data version, a replaced key).
"""

from __future__ import annotations

import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb

from analytics.errors import AlreadyImported, ImportRejected
from analytics.importers import Reject, Staged, drop_stage, stage_file
from analytics.importers.formats import CANONICAL_COLUMNS, COLUMN_TYPES

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = ROOT / "data" / "firebreak.duckdb"
SAMPLE_DIR = ROOT / "data" / "sample"
# Uploaded bytes that DuckDB must read from disk (decoded copies) are written here only.
UPLOAD_DIR = Path(tempfile.gettempdir()) / "firebreak-uploads"

# The columns that identify a row of each table across imports.
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "work_items": ("key",),
    "incidents": ("id",),
    "sprints": ("name",),
    "oncall_shifts": ("person", "start"),
}

KIND_BY_TABLE = {"work_items": "work_items", "incidents": "incidents", "sprints": "sprints",
                 "oncall_shifts": "oncall"}

# One write transaction at a time in this process (see the module docstring).
_WRITE_LOCK = threading.RLock()


def _q(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _table_ddl(table: str, extra: str = "") -> str:
    cols = [f"{_q(c)} {COLUMN_TYPES[c]}" for c in CANONICAL_COLUMNS[table]]
    cols += ["source VARCHAR", "import_id INTEGER"]
    if extra:
        cols.append(extra)
    return f"CREATE TABLE IF NOT EXISTS {_q(table)} ({', '.join(cols)})"


def schema_statements() -> list[str]:
    stmts = [
        "CREATE SEQUENCE IF NOT EXISTS import_ids START 1",
        "CREATE TABLE IF NOT EXISTS imports (id INTEGER PRIMARY KEY, file_name VARCHAR, sha256 VARCHAR, "
        "kind VARCHAR, format VARCHAR, encoding VARCHAR, rows_read INTEGER, rows_loaded INTEGER, "
        "rows_rejected INTEGER, imported_at TIMESTAMP)",
        "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
        "INSERT INTO meta VALUES ('data_version', '0') ON CONFLICT DO NOTHING",
        # Column mappings the user saved for exports no built-in format reads (analytics.mappings):
        # header_signature = JSON list of the sorted normalized headers; mapping = JSON.
        "CREATE TABLE IF NOT EXISTS saved_mappings (name VARCHAR PRIMARY KEY, \"table\" VARCHAR, "
        "header_signature VARCHAR, mapping VARCHAR, timestamp_formats VARCHAR[], created_at TIMESTAMP)",
    ]
    for table in TABLE_KEYS:
        stmts.append(_table_ddl(table))
        # Rows a later import replaced, kept for an exact undo of that import.
        stmts.append(_table_ddl(table, "replaced_by INTEGER").replace(
            f"EXISTS {_q(table)} ", f"EXISTS {_q(table + '_replaced')} ", 1))
    return stmts


def store_path() -> str:
    return os.environ.get("FIREBREAK_DB") or str(DEFAULT_DB)


REMOTE_PREFIXES = ("md:", "motherduck:")


def connection_config(path: str) -> dict[str, object]:
    """DuckDB settings for a store path: a local file never downloads or loads an extension by itself;
    a MotherDuck path (`md:<database>`, a shared DuckDB service for many teams) may load the one
    extension that speaks to it (install it ahead with `INSTALL motherduck` on a machine that cannot
    reach the extension repository)."""
    remote = path.startswith(REMOTE_PREFIXES)
    return {"autoinstall_known_extensions": remote, "autoload_known_extensions": remote,
            "allow_community_extensions": False}


def connect(path: str | None = None) -> duckdb.DuckDBPyConnection:
    """A connection to the store path (a file, `:memory:` or `md:...`) with the settings above."""
    path = path or store_path()
    if not path.startswith((":memory:",) + REMOTE_PREFIXES):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    config = connection_config(path)
    try:
        return duckdb.connect(path, config=config)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise StoreLocked(path, str(exc)) from exc
        raise


class StoreLocked(RuntimeError):
    """Another process holds the store: DuckDB allows one writer per file."""

    def __init__(self, path: str, detail: str) -> None:
        pid = detail.split("PID", 1)[1].strip(" )").split()[0] if "PID" in detail else "another process"
        super().__init__(
            f"The store {path} is in use by {('process ' + pid) if pid[0].isdigit() else pid}. "
            "Firebreak allows one running app (or import) per store file: stop the other one, "
            "or point FIREBREAK_DB at another file."
        )


def open_store(path: str | None = None, *, load_sample: bool = True,
               hardened: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the store, creating its tables; a new, empty store gets the embedded sample.

    `hardened` (the app) locks the connection down after that: no file outside the
    upload and sample folders can be read or written, no extension installed, and
    the settings cannot be changed back (every cursor inherits this).
    """
    con = connect(path)
    existed = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'imports'"
    ).fetchone()[0] > 0
    for stmt in schema_statements():
        con.execute(stmt)
    if not existed and load_sample:
        load_sample_data(con)
    if hardened:
        harden(con)
    return con


def harden(con: duckdb.DuckDBPyConnection, allowed: tuple[Path, ...] = (UPLOAD_DIR, SAMPLE_DIR)) -> None:
    """Sandbox a connection: only `allowed` folders are readable; configuration locked."""
    UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
    con.execute("SET allowed_directories = $dirs", {"dirs": [str(d).rstrip("/") + "/" for d in allowed]})
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def sample_files(directory: Path = SAMPLE_DIR) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.suffix.lower() in (".csv", ".ics", ".tsv", ".json"))


def load_sample_data(con: duckdb.DuckDBPyConnection, directory: Path = SAMPLE_DIR) -> list["ImportResult"]:
    return [import_file(con, p.name, path=p) for p in sample_files(directory)]


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    # fetchall, not fetchone: a result left unread would block the next register() on this cursor.
    return int(con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchall()[0][0])


@dataclass(frozen=True)
class ImportResult:
    import_id: int
    file_name: str
    format: str
    table: str
    encoding: str
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    rows_replaced: int
    rejects: tuple[Reject, ...]


def find_import_by_hash(con: duckdb.DuckDBPyConnection, sha256: str) -> tuple[int, str] | None:
    row = con.execute("SELECT id, strftime(imported_at, '%Y-%m-%d %H:%M') FROM imports WHERE sha256 = ?",
                      [sha256]).fetchone()
    return (int(row[0]), row[1]) if row else None


def _dedupe_rejects(con: duckdb.DuckDBPyConnection, staged: Staged) -> list[Reject]:
    """Rows repeating a key within one file: the later row wins, the earlier ones are reported."""
    keys = TABLE_KEYS[staged.table]
    key_list = ", ".join(_q(k) for k in keys)
    rows = con.execute(
        f"SELECT _row, concat_ws(' / ', {key_list}), last_row FROM ("
        f"SELECT _row, {key_list}, max(_row) OVER (PARTITION BY {key_list}) AS last_row "
        f"FROM {staged.stage} WHERE len(_errors) = 0 AND ({key_list}) IN "
        f"(SELECT ({key_list}) FROM {staged.stage} WHERE len(_errors) = 0 "
        f"GROUP BY ALL HAVING count(*) > 1)) WHERE _row < last_row ORDER BY _row"
    ).fetchall()
    return [Reject(staged.file_name, int(r), keys[0], str(k), f"the same key appears again on row {last}; "
                   f"the later row was loaded") for r, k, last in rows]


def _replace_rows(con: duckdb.DuckDBPyConnection, table: str, stage: str, import_id: int, source: str,
                  deduplicate: bool) -> tuple[int, int]:
    """Move a staging table's valid rows into `table`, keeping the rows they replace. (loaded, replaced)"""
    keys = TABLE_KEYS[table]
    key_list = ", ".join(_q(k) for k in keys)
    cols = ", ".join(_q(c) for c in CANONICAL_COLUMNS[table])
    latest = f"SELECT * FROM {stage} WHERE len(_errors) = 0"
    if deduplicate:
        latest += f" QUALIFY row_number() OVER (PARTITION BY {key_list} ORDER BY _row DESC) = 1"
    match = " AND ".join(f"t.{_q(k)} = s.{_q(k)}" for k in keys)
    replaced = con.execute(
        f"INSERT INTO {_q(table + '_replaced')} SELECT t.*, $id FROM {_q(table)} t "
        f"WHERE EXISTS (SELECT 1 FROM ({latest}) s WHERE {match})", {"id": import_id}
    ).fetchone()[0]
    if replaced:
        con.execute(f"DELETE FROM {_q(table)} t WHERE EXISTS (SELECT 1 FROM ({latest}) s WHERE {match})")
    loaded = con.execute(
        f"INSERT INTO {_q(table)} ({cols}, source, import_id) SELECT {cols}, $fmt, $id FROM ({latest})",
        {"fmt": source, "id": import_id},
    ).fetchone()[0]
    return int(loaded), int(replaced)


def commit_import(con: duckdb.DuckDBPyConnection, staged: Staged) -> ImportResult:
    """Write a staged file (and what it carries for other tables) in one transaction with its log row."""
    duplicates = _dedupe_rejects(con, staged)
    with _WRITE_LOCK:
        return _commit(con, staged, duplicates)


def _commit(con: duckdb.DuckDBPyConnection, staged: Staged, duplicates: list[Reject]) -> ImportResult:
    con.execute("BEGIN TRANSACTION")
    try:
        previous = find_import_by_hash(con, staged.sha256)
        if previous:
            raise AlreadyImported(staged.file_name, *previous)
        import_id = int(con.execute("SELECT nextval('import_ids')").fetchone()[0])
        loaded, replaced = _replace_rows(con, staged.table, staged.stage, import_id, staged.format,
                                         bool(duplicates))
        for table, stage in staged.derived:
            _replace_rows(con, table, stage, import_id, staged.format, deduplicate=False)
        rejects = sorted(staged.rejects + duplicates, key=lambda r: r.row or 0)
        rejected = staged.rows_read - loaded
        con.execute(
            "INSERT INTO imports VALUES ($id, $file, $sha, $kind, $fmt, $enc, $read, $loaded, $rejected, "
            "localtimestamp::TIMESTAMP)",
            {"id": import_id, "file": staged.file_name, "sha": staged.sha256, "kind": KIND_BY_TABLE[staged.table],
             "fmt": staged.format, "enc": staged.encoding, "read": staged.rows_read, "loaded": loaded,
             "rejected": rejected},
        )
        _bump_version(con)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        drop_stage(con, staged)
    return ImportResult(import_id, staged.file_name, staged.format, staged.table, staged.encoding,
                        staged.rows_read, loaded, rejected, replaced, tuple(rejects))


def _bump_version(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) WHERE key = 'data_version'")


def import_file(con: duckdb.DuckDBPyConnection, file_name: str, *, data: bytes | None = None,
                path: str | Path | None = None, format: str | None = None) -> ImportResult:
    """Stage and commit one export. Raises ImportRejected (nothing written) for an unusable file."""
    UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
    staged = stage_file(con, file_name, data=data, path=path, format=format, tmp_dir=UPLOAD_DIR)
    if staged.rows_ok == 0:
        drop_stage(con, staged)
        if staged.rows_read == 0:
            raise ImportRejected(file_name, "the file has no rows to import (a header but no rows, or only rows "
                                            "this format skips, such as archived items).",
                                 hint="Export again with a filter or date range that includes some items.")
        first = staged.rejects[0] if staged.rejects else None
        where = "" if first is None else f"row {first.row}" + (f", column '{first.column}'" if first.column else "")
        detail = f" First problem: {where}: {first.reason}." if first else ""
        raise ImportRejected(file_name, f"no row could be loaded ({staged.rows_read} read).{detail}",
                             hint="Check that this is the export you meant; the store is unchanged.")
    try:
        return commit_import(con, staged)
    except BaseException:
        drop_stage(con, staged)
        raise


def undo_import(con: duckdb.DuckDBPyConnection, import_id: int) -> None:
    """Remove an import's rows and restore the rows it replaced, in one transaction."""
    with _WRITE_LOCK:  # the checks too: no other session's import may slip in between them and the undo
        row = con.execute("SELECT file_name FROM imports WHERE id = ?", [import_id]).fetchall()
        if not row:
            raise ValueError(f"there is no import #{import_id}")
        later = sorted({r[0] for table in TABLE_KEYS for r in con.execute(
            f"SELECT DISTINCT replaced_by FROM {_q(table + '_replaced')} WHERE import_id = ?", [import_id]
        ).fetchall()})
        if later:
            raise ValueError(
                f"import #{import_id} ({row[0][0]}) was partly replaced by import "
                f"#{', #'.join(str(r) for r in later)}; undo that one first"
            )
        _undo(con, import_id)


def _undo(con: duckdb.DuckDBPyConnection, import_id: int) -> None:
    con.execute("BEGIN TRANSACTION")
    try:
        for table in TABLE_KEYS:
            con.execute(f"DELETE FROM {_q(table)} WHERE import_id = ?", [import_id])
            con.execute(f"INSERT INTO {_q(table)} SELECT * EXCLUDE (replaced_by) FROM {_q(table + '_replaced')} "
                        f"WHERE replaced_by = ?", [import_id])
            con.execute(f"DELETE FROM {_q(table + '_replaced')} WHERE replaced_by = ?", [import_id])
        con.execute("DELETE FROM imports WHERE id = ?", [import_id])
        _bump_version(con)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def import_history(con: duckdb.DuckDBPyConnection):
    return con.execute(
        "SELECT id, file_name, format, kind, rows_read, rows_loaded, rows_rejected, encoding, sha256, imported_at "
        "FROM imports ORDER BY id DESC"
    ).df()
