"""Read an export (bytes or a path) into a staging table of canonical rows.

`stage_file` detects the format from the header (or takes the one the user
chose), lets DuckDB parse the file, converts every column in one SELECT and
leaves the result in a TEMP table on the given connection together with the
reject report. Writing to the store is `analytics.store.commit_import`'s job,
in one transaction.

Detection order: an iCalendar file (on-call shifts), a JSON file (Jira's
board-sprint API response), else a delimited text file whose header is matched
first against the mappings the user saved for exactly these headers
(`analytics.mappings`), then against the built-in formats (every signature
group present; the format recognising the most headers wins).
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from analytics.errors import ImportRejected
from analytics.importers import ical, jira_sprints_json
from analytics.importers.derived import DERIVED
from analytics.importers.formats import CSV_FORMATS, FORMATS_BY_NAME, Format
from analytics.importers.sqlgen import canonical_select, missing_required, norm
from analytics.importers.textfile import TextFile, normalize_newlines, open_text, reencode_cp1252

_stage_counter = itertools.count(1)

FORMAT_LABELS: dict[str, str] = ({f.name: f.label for f in CSV_FORMATS} | {ical.FORMAT_NAME: ical.FORMAT_LABEL}
                                  | {jira_sprints_json.FORMAT_NAME: jira_sprints_json.FORMAT_LABEL})


@dataclass(frozen=True)
class Reject:
    file: str
    row: int | None
    column: str | None
    value: str | None
    reason: str


@dataclass
class Staged:
    """A parsed file waiting in a TEMP table (`stage`) for the import transaction."""

    file_name: str
    format: str
    table: str
    stage: str
    sha256: str
    encoding: str
    rows_read: int
    rows_ok: int
    rejects: list[Reject] = field(default_factory=list)
    # Further (table, staging table) pairs the file carries, e.g. a sprint calendar.
    derived: list[tuple[str, str]] = field(default_factory=list)

    @property
    def rows_rejected(self) -> int:
        return self.rows_read - self.rows_ok


def detect_format(file_name: str, header: list[str]) -> Format:
    """The format whose signature the header carries; the most specific wins."""
    present = {norm(h) for h in header}
    best: tuple[int, Format] | None = None
    for fmt in CSV_FORMATS:
        if any(norm(x) in present for x in fmt.excludes):
            continue
        if all(any(norm(h) in present for h in group) for group in fmt.signature):
            known = {norm(h) for f in fmt.fields for h in f.headers}
            score = len(present & known)
            if best is None or score > best[0]:
                best = (score, fmt)
    if best is None:
        shown = ", ".join(header[:8]) + (" ..." if len(header) > 8 else "")
        raise ImportRejected(
            file_name,
            f"the columns ({shown}) match no supported export.",
            row=1,
            hint="Supported: " + "; ".join(FORMAT_LABELS.values()) + ".",
        )
    return best[1]


def format_label(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """What to call a format (built-in, or a mapping saved in the store) on screen."""
    if name in FORMAT_LABELS:
        return FORMAT_LABELS[name]
    from analytics import mappings

    return f"Saved mapping '{name}'" if mappings.saved_mapping(con, name) is not None else name


def _sha256(data: bytes | None, path: str | Path | None) -> str:
    h = hashlib.sha256()
    if data is not None:
        h.update(data)
    else:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


def _read_csv_sql(n_columns: int) -> str:
    # The path, delimiter and names are bound; quote and escape are RFC 4180.
    return ("read_csv($path, header = false, skip = $skip, all_varchar = true, delim = $delim, "
            "quote = '\"', escape = '\"', names = $names, store_rejects = true, "
            "rejects_table = $rejects_table, rejects_scan = $rejects_scan, max_line_size = 4194304, "
            "strict_mode = true)")


def _stage_csv(con: duckdb.DuckDBPyConnection, text: TextFile, fmt: Format, stage: str) -> list[Reject]:
    names = [f"c{i}" for i in range(len(text.header))]
    rejects_table, rejects_scan = f"{stage}_rejects", f"{stage}_scans"
    select = canonical_select(fmt, text.header, _read_csv_sql(len(names)), text.skip_lines)
    params = {"path": str(text.path), "skip": text.skip_lines, "delim": text.delimiter, "names": names,
              "rejects_table": rejects_table, "rejects_scan": rejects_scan}
    con.execute(f"CREATE OR REPLACE TEMP TABLE {stage} AS {select}", params)
    structural = con.execute(
        f"SELECT line, column_name, error_type, left(csv_line, 80), error_message FROM {rejects_table} ORDER BY line"
    ).fetchall()
    con.execute(f"DROP TABLE IF EXISTS {rejects_table}")
    con.execute(f"DROP TABLE IF EXISTS {rejects_scan}")
    rejects: list[Reject] = []
    if structural:
        # Accepted rows were numbered without the rejected records: shift them back into place.
        con.execute(
            f"UPDATE {stage} SET _row = _row + (SELECT count(*) FROM "
            f"(SELECT line - {text.skip_lines} - row_number() OVER (ORDER BY line) AS before "
            f"FROM (SELECT DISTINCT line FROM unnest($lines) AS t(line))) AS r "
            f"WHERE r.before < {stage}._row - {text.skip_lines})",
            {"lines": [int(r[0]) for r in structural]},
        )
        for line, column, error_type, csv_line, message in structural:
            reason = {
                "TOO MANY COLUMNS": f"this row has more cells than the header ({message})",
                "MISSING COLUMNS": f"this row has fewer cells than the header ({message})",
                "UNQUOTED VALUE": "a quote is not closed or a value is not quoted properly",
            }.get(error_type, f"{error_type.lower()}: {message}")
            rejects.append(Reject(text.name, int(line), None, csv_line, reason))
    return rejects


def stage_file(con: duckdb.DuckDBPyConnection, file_name: str, *, data: bytes | None = None,
               path: str | Path | None = None, format: str | None = None,
               tmp_dir: str | Path | None = None) -> Staged:
    """Parse one export into a TEMP table on `con`; raises ImportRejected for an unusable file."""
    stage = f"stage_{next(_stage_counter)}"
    sha = _sha256(data, path)
    if format == ical.FORMAT_NAME or (format is None and ical.looks_like_ics(file_name, data, path)):
        raw = data if data is not None else Path(path).read_bytes()
        stage_frame(con, ical.read_shifts(file_name, raw), stage)
        return _finish(con, file_name, ical.FORMAT_NAME, "oncall_shifts", stage, sha, "utf-8", [])
    if format == jira_sprints_json.FORMAT_NAME or (
            format is None and jira_sprints_json.looks_like_json(file_name, data, path)):
        raw = data if data is not None else Path(path).read_bytes()
        frame, notes = jira_sprints_json.read_sprints(file_name, raw)
        stage_frame(con, frame, stage)
        notes_rejects = [Reject(file_name, None, "isLast", "false", note) for note in notes]
        return _finish(con, file_name, jira_sprints_json.FORMAT_NAME, "sprints", stage, sha, "utf-8", notes_rejects)

    text = open_text(file_name, data=data, path=path, tmp_dir=tmp_dir)
    try:
        fmt = _choose_format(con, file_name, text.header, format)
        missing = missing_required(fmt, text.header)
        if missing:
            names = ", ".join(f"'{f.headers[0]}'" if f.headers else f"'{f.target}'" for f in missing)
            raise ImportRejected(
                file_name,
                f"this looks like {fmt.label}, but the column{'s' if len(missing) > 1 else ''} {names} "
                f"{'are' if len(missing) > 1 else 'is'} missing.",
                row=1,
                hint=fmt.missing_hint or "Export again with that column included (it is required).")
        repairs: set[str] = set()
        while True:
            try:
                rejects = _stage_csv(con, text, fmt, stage)
                break
            except duckdb.InvalidInputException as exc:
                # Repairs tried only after DuckDB refused the file, so a clean file pays nothing:
                # a body that is not UTF-8 after all, then records ending in a mix of CRLF and LF.
                if "unicode" in str(exc).lower() and text.encoding == "utf-8" and "cp1252" not in repairs:
                    repairs.add("cp1252")
                    text = reencode_cp1252(text, tmp_dir)
                    continue
                if "newlines" not in repairs:
                    repairs.add("newlines")
                    fixed = normalize_newlines(text, tmp_dir)
                    if fixed is not None:
                        text = fixed
                        continue
                raise ImportRejected(file_name, f"the file cannot be read as CSV ({_first_line(exc)}).",
                                     hint="Export it again as CSV (UTF-8).") from exc
            except (duckdb.IOException, duckdb.ConversionException) as exc:
                raise ImportRejected(file_name, f"the file cannot be read as CSV ({_first_line(exc)}).",
                                     hint="Export it again as CSV (UTF-8).") from exc
        staged = _finish(con, file_name, fmt.name, fmt.table, stage, sha, text.encoding, rejects)
        for name in fmt.derived:
            table, build = DERIVED[name]
            con.execute(f"CREATE OR REPLACE TEMP TABLE {stage}_{name} AS {build(stage)}")
            staged.derived.append((table, f"{stage}_{name}"))
        return staged
    finally:
        text.cleanup()


def _choose_format(con: duckdb.DuckDBPyConnection, file_name: str, header: list[str], format: str | None) -> Format:
    """The format the user chose (built-in or a saved mapping), else a saved mapping made for exactly
    these headers, else the built-in format the headers match best."""
    from analytics import mappings  # late: analytics.mappings builds on this package

    if format is not None:
        if format in FORMATS_BY_NAME:
            return FORMATS_BY_NAME[format]
        saved = mappings.saved_mapping(con, format)
        if saved is not None:
            return saved.to_format()
        known = list(FORMAT_LABELS) + [m.name for m in mappings.saved_mappings(con)]
        raise ImportRejected(file_name, f"unknown format '{format}'.", hint="Known: " + ", ".join(known) + ".")
    saved = mappings.mapping_for_header(con, header)
    if saved is not None:
        return saved.to_format()
    return detect_format(file_name, header)


def stage_frame(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, stage: str) -> None:
    """Stage rows read in Python: canonical columns, `_row` and `_errors_json`."""
    con.register(f"{stage}_df", frame)
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {stage} AS SELECT * EXCLUDE (_errors_json), "
            f"CAST(from_json(_errors_json, '[{{\"column\": \"VARCHAR\", \"value\": \"VARCHAR\", "
            f"\"reason\": \"VARCHAR\"}}]') AS STRUCT(\"column\" VARCHAR, value VARCHAR, reason VARCHAR)[]) "
            f"AS _errors FROM {stage}_df"
        )
    finally:
        con.unregister(f"{stage}_df")


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:200]


def _finish(con: duckdb.DuckDBPyConnection, file_name: str, fmt: str, table: str, stage: str, sha: str,
            encoding: str, rejects: list[Reject]) -> Staged:
    ok, total = con.execute(f"SELECT count(*) FILTER (WHERE len(_errors) = 0), count(*) FROM {stage}").fetchone()
    for row, column, value, reason in con.execute(
        f"SELECT _row, e.column, e.value, e.reason FROM (SELECT _row, unnest(_errors) AS e FROM {stage}) "
        f"ORDER BY _row LIMIT 10000"
    ).fetchall():
        rejects.append(Reject(file_name, int(row), column, value, reason))
    structural = sum(1 for r in rejects if r.column is None)
    rejects.sort(key=lambda r: (r.row or 0))
    return Staged(file_name, fmt, table, stage, sha, encoding, rows_read=int(total) + structural,
                  rows_ok=int(ok), rejects=rejects)


def drop_stage(con: duckdb.DuckDBPyConnection, staged: Staged) -> None:
    for _, stage in [(staged.table, staged.stage)] + staged.derived:
        con.execute(f"DROP TABLE IF EXISTS {stage}")
