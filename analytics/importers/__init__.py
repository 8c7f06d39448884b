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

from typing import TYPE_CHECKING

import hashlib
import itertools
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from analytics.errors import ImportRejected
from analytics.importers import ical, jira_sprints_json, textfile
from analytics.importers.derived import DERIVED
from analytics.importers.formats import CSV_FORMATS, FORMATS_BY_NAME, Format
from analytics.importers.sqlgen import canonical_select, missing_required, norm
from analytics.importers.textfile import TextFile, normalize_newlines, open_text, reencode_cp1252

if TYPE_CHECKING:  # pandas is imported where a frame is built: a CSV import never loads it
    import pandas as pd

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


# The longest record DuckDB reads (a record longer than this is rejected, citing its row): Jira descriptions
# with pasted logs reach a few MB; a cell of that size is stored as exported.
MAX_RECORD_BYTES = 8_000_000


def _read_csv_sql(n_columns: int) -> str:
    # The path, delimiter and skip are bound; quote and escape are RFC 4180. The columns are given
    # (c0..cN, our own names, all VARCHAR) and nothing is sniffed: a row with another number of cells
    # is a reject citing its row, whatever the first rows look like, and a file with a header only
    # reads as zero rows.
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(n_columns)) + "}"
    return ("read_csv($path, header = false, skip = $skip, auto_detect = false, columns = " + columns + ", "
            "delim = $delim, quote = '\"', escape = '\"', store_rejects = true, "
            "rejects_table = $rejects_table, rejects_scan = $rejects_scan, "
            f"max_line_size = {MAX_RECORD_BYTES}, strict_mode = true)")


class _NotUtf8(Exception):
    """The body has bytes that are not UTF-8 although the head was: read it again as cp1252."""


def _stage_csv(con: duckdb.DuckDBPyConnection, text: TextFile, fmt: Format, stage: str) -> list[Reject]:
    rejects_table, rejects_scan = f"{stage}_rejects", f"{stage}_scans"
    select = canonical_select(fmt, text.header, _read_csv_sql(len(text.header)), text.skip_lines)
    params = {"path": str(text.path), "skip": text.skip_lines, "delim": text.delimiter,
              "rejects_table": rejects_table, "rejects_scan": rejects_scan}
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {stage} AS {select}", params)
        # DuckDB logs one reject per missing cell: one per record (its first error) is enough.
        structural = con.execute(
            f"SELECT line, arg_min(error_type, k), arg_min(left(csv_line, 80), k), arg_min(error_message, k) "
            f"FROM (SELECT *, coalesce(column_idx, -1) AS k FROM {rejects_table}) GROUP BY line ORDER BY line"
        ).fetchall()
    finally:
        con.execute(f"DROP TABLE IF EXISTS {rejects_table}")
        con.execute(f"DROP TABLE IF EXISTS {rejects_scan}")
    if not structural:
        return []
    types = {r[1] for r in structural}
    if types & {"INVALID ENCODING", "INVALID UNICODE"} and text.encoding == "utf-8":
        raise _NotUtf8()
    quote = next((r for r in structural if r[1] == "UNQUOTED VALUE"), None)
    if quote is not None:
        # A quote that never closes swallows every record after it: nothing after that row can be trusted.
        raise ImportRejected(
            text.name, "a quoted value starts on this row and its closing quote is missing or misplaced, so the "
                       "rows after it cannot be told apart.", row=int(quote[0]),
            hint="Fix the quotes on that row (a quote inside a value is written twice: \"\") or export the file "
                 "again, and upload it again.")
    # Accepted rows were numbered without the rejected records: shift them back into place.
    con.execute(
        f"UPDATE {stage} SET _row = _row + (SELECT count(*) FROM "
        f"(SELECT line - {text.skip_lines} - row_number() OVER (ORDER BY line) AS before "
        f"FROM (SELECT DISTINCT line FROM unnest($lines) AS t(line))) AS r "
        f"WHERE r.before < {stage}._row - {text.skip_lines})",
        {"lines": [int(r[0]) for r in structural]},
    )
    cells = len(text.header)
    rejects: list[Reject] = []
    for line, error_type, csv_line, message in structural:
        if error_type in ("TOO MANY COLUMNS", "MISSING COLUMNS"):
            found = _found_columns(message, csv_line, text.delimiter)
            reason = (f"this row has {'more' if error_type == 'TOO MANY COLUMNS' else 'fewer'} cells "
                      f"({found}) than the header ({cells}); the row was not loaded")
        elif error_type == "LINE SIZE OVER MAXIMUM":
            reason = (f"this row is longer than {textfile.size_text(MAX_RECORD_BYTES)}; it was not loaded "
                      f"(shorten the cell that holds pasted text, or leave that column out of the export)")
        elif error_type in ("INVALID ENCODING", "INVALID UNICODE"):
            reason = "this row has bytes that are not text in the file's encoding; the row was not loaded"
        else:
            reason = f"{str(error_type).lower()}: {_clean_message(message, text)}"
        rejects.append(Reject(text.name, int(line), None, csv_line, reason))
    return rejects


def _found_columns(message: str | None, csv_line: str | None, delimiter: str) -> str:
    """The number of cells DuckDB found on a ragged row (`Expected Number of Columns: 12 Found: 3`)."""
    tail = (message or "").rsplit("Found:", 1)
    if len(tail) == 2 and tail[1].strip().split()[:1] and tail[1].strip().split()[0].isdigit():
        return tail[1].strip().split()[0]
    return str((csv_line or "").count(delimiter) + 1)


def _clean_message(message: object, text: TextFile | None = None) -> str:
    """DuckDB's message, first line only, without the temporary file's path."""
    first = (str(message).strip().splitlines() or [""])[0][:200]
    if text is not None:
        first = first.replace(str(text.path), text.name)
    return first


def stage_file(con: duckdb.DuckDBPyConnection, file_name: str, *, data: bytes | None = None,
               path: str | Path | None = None, format: str | None = None,
               tmp_dir: str | Path | None = None) -> Staged:
    """Parse one export into a TEMP table on `con`; raises ImportRejected for an unusable file."""
    stage = f"stage_{next(_stage_counter)}"
    head, size = textfile.read_head(data, path)
    textfile.check_size(file_name, size)   # on the byte length, before anything is parsed
    if not head.strip():
        raise ImportRejected(file_name, "the file is empty.", hint="Export again from your tool; the file has no rows.")
    textfile.check_content(file_name, head)
    sha = _sha256(data, path)
    if format == ical.FORMAT_NAME or (format is None and ical.looks_like_ics(file_name, data, path)):
        raw = data if data is not None else Path(path).read_bytes()
        stage_frame(con, ical.read_shifts(file_name, raw), stage)
        return _finish(con, file_name, ical.FORMAT_NAME, "oncall_shifts", stage, sha, "utf-8", [])
    if format == jira_sprints_json.FORMAT_NAME or (
            format is None and jira_sprints_json.looks_like_json(file_name, data, path)):
        raw = data if data is not None else Path(path).read_bytes()
        try:
            frame, notes = jira_sprints_json.read_sprints(file_name, raw)
        except ImportRejected as exc:
            if format is None and not file_name.lower().endswith(".json"):
                raise ImportRejected(
                    file_name, "this is a JSON document, not a CSV export (JSON is read only as Jira's "
                               "board-sprint API response).",
                    hint="Use the tool's CSV export and upload the .csv file.") from exc
            raise
        stage_frame(con, frame, stage)
        notes_rejects = [Reject(file_name, None, "isLast", "false", note) for note in notes]
        return _finish(con, file_name, jira_sprints_json.FORMAT_NAME, "sprints", stage, sha, "utf-8", notes_rejects)

    text = open_text(file_name, data=data, path=path, tmp_dir=tmp_dir)
    try:
        if len(text.header) == 1 and format is None:
            raise ImportRejected(
                file_name, f"only one column was found ('{text.header[0][:60]}'): the values are not separated "
                           f"by commas, semicolons, tabs or '|'.", row=1,
                hint="Export the file again as CSV (comma- or semicolon-separated).")
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
            except _NotUtf8:
                # Repairs tried only after DuckDB refused the file, so a clean file pays nothing:
                # a body that is not UTF-8 after all, then records ending in a mix of CRLF and LF.
                repairs.add("cp1252")
                text = reencode_cp1252(text, tmp_dir)
            except duckdb.InvalidInputException as exc:
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
                raise ImportRejected(file_name, f"the file cannot be read as CSV: its quotes or line breaks are "
                                                f"not consistent ({_clean_message(exc, text)}).",
                                     hint="Export it again as CSV (UTF-8) and upload the new file.") from exc
            except (duckdb.IOException, duckdb.ConversionException) as exc:
                raise ImportRejected(file_name, f"the file cannot be read as CSV ({_clean_message(exc, text)}).",
                                     hint="Export it again as CSV (UTF-8).") from exc
        staged = _finish(con, file_name, fmt.name, fmt.table, stage, sha, text.encoding, rejects)
        _check_shape(staged, len(text.header))
        for name in fmt.derived:
            table, build = DERIVED[name]
            con.execute(f"CREATE OR REPLACE TEMP TABLE {stage}_{name} AS {build(stage)}")
            staged.derived.append((table, f"{stage}_{name}"))
        return staged
    except BaseException:
        con.execute(f"DROP TABLE IF EXISTS {stage}")
        for name in DERIVED:
            con.execute(f"DROP TABLE IF EXISTS {stage}_{name}")
        raise
    finally:
        text.cleanup()


def _check_shape(staged: Staged, cells: int) -> None:
    """No silent misparse: a file whose rows mostly do not have the header's number of cells was read with the
    wrong delimiter or has a line above the header that is not one; refuse it rather than load a few rows."""
    ragged = [r.row for r in staged.rejects if r.column is None and "cells" in r.reason]
    if ragged and len(ragged) * 2 > staged.rows_read:
        shown = ", ".join(str(r) for r in ragged[:8]) + (", ..." if len(ragged) > 8 else "")
        raise ImportRejected(
            staged.file_name, f"{len(ragged):,} of {staged.rows_read:,} rows (rows {shown}) do not have the "
                              f"header's {cells} cells, so the file is not read as it was meant; nothing was loaded.",
            row=ragged[0],
            hint="Check that the first row is the header and that every row uses the same separator, "
                 "or export the file again.")


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
    # DuckDB 2 refuses to register a frame while the caller's last execute() has unread rows (a `fetchone()`
    # of the data version, say): run that result to its end first; it changes nothing.
    con.complete()
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


def _finish(con: duckdb.DuckDBPyConnection, file_name: str, fmt: str, table: str, stage: str, sha: str,
            encoding: str, rejects: list[Reject]) -> Staged:
    ok, total = con.execute(f"SELECT count(*) FILTER (WHERE len(_errors) = 0), count(*) FROM {stage}").fetchone()
    for row, column, value, reason in con.execute(
        f"SELECT _row, e.column, e.value, e.reason FROM (SELECT _row, unnest(_errors) AS e FROM {stage}) "
        f"ORDER BY _row LIMIT 10000"
    ).fetchall():
        rejects.append(Reject(file_name, int(row), column, value, reason))
    structural = len({r.row for r in rejects if r.column is None and r.row is not None})
    rejects.sort(key=lambda r: (r.row or 0))
    return Staged(file_name, fmt, table, stage, sha, encoding, rows_read=int(total) + structural,
                  rows_ok=int(ok), rejects=rejects)


def drop_stage(con: duckdb.DuckDBPyConnection, staged: Staged) -> None:
    for _, stage in [(staged.table, staged.stage)] + staged.derived:
        con.execute(f"DROP TABLE IF EXISTS {stage}")
