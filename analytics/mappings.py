"""The generic import path: a column mapping the user confirms, turned into a `Format`.

For an export no built-in format knows, the UI shows the file's headers and, per canonical column,
the header `suggest_mapping` proposes; the user corrects it and names the date layout. Then
`format_from_mapping` builds an ordinary declarative `Format` (so the same one-SELECT SQL reads
the file), and `save_mapping` keeps it in the store's `saved_mappings` table together with the
file's header signature (its sorted, normalized, distinct headers). The next upload with exactly
those headers is read with the saved mapping without asking (`mapping_for_header`, used by
`stage_file`), and `stage_file(..., format=<mapping name>)` picks one by name.

Everything here is a pure function of its arguments, except `preview` (which reads the
upload's first records) and the store functions (`save_mapping`, `saved_mappings`,
`saved_mapping`, `mapping_for_header`, `delete_mapping`), which read or write only the
`saved_mappings` table.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import duckdb

from analytics.importers.formats import CANONICAL_COLUMNS, COLUMN_TYPES, FORMATS_BY_NAME, ISO_TIMESTAMP, Field, Format
from analytics.importers.sqlgen import norm
from analytics.importers.textfile import open_text


class MappingError(ValueError):
    """A mapping that cannot be used; the message says what is missing or wrong and what to do."""


# Columns a row cannot do without, per table (the identity and the time it is placed at).
REQUIRED: dict[str, tuple[str, ...]] = {
    "work_items": ("key", "created"),
    "incidents": ("id", "created"),
    "sprints": ("name", "start_date", "end_date"),
    "oncall_shifts": ("person", "start", "end"),
}

# What each canonical column means, for messages and the mapping screen.
DESCRIPTIONS: dict[str, str] = {
    "key": "the item's id, e.g. ABC-123", "project": "project or team", "type": "item type (Bug, Story, ...)",
    "summary": "title", "status": "workflow status", "status_category": "To Do / In Progress / Done",
    "created": "when the item was created", "resolved": "when it was finished", "points": "estimate in points",
    "time_spent_hours": "hours spent", "labels": "labels or tags", "components": "components",
    "priority": "priority", "severity": "severity", "assignee": "assignee", "parent": "parent or epic",
    "sprints": "sprint or iteration", "id": "the incident's id", "title": "title",
    "acknowledged": "when it was acknowledged", "service": "affected service", "category": "category",
    "responder": "responder or owner", "postmortem": "has a post-mortem (true/false)",
    "related_keys": "keys of related work items", "person": "the person on call", "start": "shift start",
    "end": "shift end", "name": "sprint name", "start_date": "first day", "end_date": "last day",
    "capacity_points": "capacity in points", "reserve_points": "reserve in points",
}

# Other names tools use for each canonical column, best first (compared after `_squash`).
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "work_items": {
        "key": ("key", "issue key", "ticket key", "item key", "identifier", "id", "issue id", "ticket id",
                "ticket", "number", "item id", "work item id", "story id", "ref", "reference"),
        "project": ("project", "project key", "project name", "team", "board", "area path", "repository", "repo",
                    "space"),
        "type": ("type", "issue type", "work item type", "item type", "ticket type", "story type", "kind",
                 "tracker"),
        "summary": ("summary", "title", "name", "subject", "headline", "short description"),
        "status": ("status", "state", "workflow state", "stage", "column"),
        "status_category": ("status category", "state category", "status type"),
        "created": ("created", "created at", "created on", "created date", "creation date", "date created",
                    "opened", "opened at", "opened on", "reported", "reported at", "submitted", "submitted at",
                    "start date"),
        "resolved": ("resolved", "resolved at", "resolved on", "resolution date", "closed", "closed at",
                     "closed on", "closed date", "completed", "completed at", "completed on", "done", "done at",
                     "done date", "finished", "finished at", "date closed", "date resolved"),
        "points": ("points", "story points", "story point", "estimate", "estimation", "story point estimate",
                   "effort", "size", "sp", "complexity"),
        "time_spent_hours": ("time spent", "hours", "hours spent", "time spent hours", "time spent (h)",
                             "completed work", "logged hours", "actual hours", "spent", "time logged"),
        "labels": ("labels", "label", "tags", "tag", "keywords"),
        "components": ("components", "component", "component/s", "module", "modules", "area"),
        "priority": ("priority", "prio"),
        "severity": ("severity", "sev", "impact"),
        "assignee": ("assignee", "assigned to", "assignees", "owner", "owners", "responsible", "developer"),
        "parent": ("parent", "parent key", "parent id", "parent issue", "epic", "epic link", "epic key"),
        "sprints": ("sprint", "sprints", "iteration", "iteration path", "cycle", "cycle name", "milestone"),
    },
    "incidents": {
        "id": ("id", "incident id", "number", "incident number", "reference", "key", "ticket", "alias"),
        "title": ("title", "summary", "name", "description", "short description", "message", "subject"),
        "created": ("created", "created at", "created on", "opened", "opened at", "opened on", "started",
                    "started at", "start time", "triggered", "triggered at", "reported at", "detected at"),
        "acknowledged": ("acknowledged", "acknowledged at", "ack time", "acked at", "first acknowledged",
                         "accepted at"),
        "resolved": ("resolved", "resolved at", "resolved on", "closed", "closed at", "closed on", "ended",
                     "ended at", "end time", "mitigated at", "recovered at"),
        "severity": ("severity", "sev", "priority", "urgency", "impact"),
        "service": ("service", "service name", "affected service", "affected services", "business service",
                    "component", "system", "application", "app"),
        "category": ("category", "cause", "root cause", "type", "incident type", "classification"),
        "responder": ("responder", "assignee", "assigned to", "owner", "incident lead", "lead", "commander",
                      "incident commander", "resolved by", "on call"),
        "postmortem": ("postmortem", "post-mortem", "postmortem url", "postmortem document", "retro",
                       "retrospective", "rca", "pir"),
        "related_keys": ("related keys", "related issues", "related", "linked issues", "links", "jira", "tickets"),
        "labels": ("labels", "label", "tags", "tag"),
        "components": ("components", "component"),
    },
    "sprints": {
        "name": ("name", "sprint", "sprint name", "iteration", "cycle", "title"),
        "start_date": ("start date", "start", "starts", "start_date", "begin", "from", "started"),
        "end_date": ("end date", "end", "ends", "finish", "finish date", "due", "to", "until"),
        "capacity_points": ("capacity", "capacity points", "commitment", "planned points"),
        "reserve_points": ("reserve", "reserve points", "buffer", "buffer points"),
    },
    "oncall_shifts": {
        "person": ("person", "name", "user", "user name", "engineer", "on call", "responder", "who"),
        "start": ("start", "starts", "start time", "shift start", "from", "begin"),
        "end": ("end", "ends", "end time", "shift end", "to", "until"),
    },
}

# Separators for list columns when the cell holds several values (`a, b` and `a;b` are both common).
DEFAULT_SEPARATORS: dict[str, str] = {"labels": ",", "components": ",", "related_keys": ",", "sprints": ","}

# Date and time layouts offered on the mapping screen (strftime codes, as DuckDB reads them).
TIMESTAMP_CHOICES: dict[str, str] = {
    ISO_TIMESTAMP: "ISO 8601: 2026-03-04 09:30, 2026-03-04T09:30:00Z",
    "%d/%m/%Y %H:%M": "day first: 04/03/2026 09:30",
    "%d/%m/%Y": "day first, date only: 04/03/2026",
    "%d.%m.%Y %H:%M": "German: 04.03.2026 09:30",
    "%d.%m.%Y": "German, date only: 04.03.2026",
    "%m/%d/%Y %I:%M:%S %p": "US, 12-hour: 3/4/2026 9:30:00 AM",
    "%m/%d/%Y %I:%M %p": "US, 12-hour: 3/4/2026 9:30 AM",
    "%m/%d/%Y %H:%M": "US, 24-hour: 3/4/2026 09:30",
    "%m/%d/%y %H:%M": "US, 2-digit year: 3/4/26 9:30",
    "%m/%d/%Y": "US, date only: 3/4/2026",
    "%d/%b/%y %I:%M %p": "Jira: 04/Mar/26 9:30 AM",
    "%d/%b/%y %H:%M": "Jira server: 04/Mar/26 09:30",
    "%d %b %Y %H:%M": "04 Mar 2026 09:30",
    "%b %d, %Y": "Mar 4, 2026",
    "%Y/%m/%d %H:%M:%S": "2026/03/04 09:30:00",
}

_DIRECTIVE = re.compile(r"%-?[aAbBcdfHIjmMpSUwWyYzZ%]")
_PEOPLE_OR_COUNTS = {"by", "user", "person", "count", "id"}  # tokens that rule a header out as a date


def _squash(text: str) -> str:
    """Compare headers ignoring case, accents, spaces and punctuation: `Created-At (UTC)` ~ `createdatutc`."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).lower()


def _words(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return [w for w in re.split(r"[^0-9a-z]+", plain) if w]


def _columns(table: str) -> tuple[str, ...]:
    if table not in CANONICAL_COLUMNS:
        raise MappingError(f"unknown table '{table}'; one of: {', '.join(CANONICAL_COLUMNS)}.")
    # Links are structured ({type, key}) and not offered for a generic column.
    return tuple(c for c in CANONICAL_COLUMNS[table] if c != "links")


def suggest_mapping(header: list[str], table: str) -> dict[str, str | None]:
    """Canonical column -> the header that most likely carries it (or None), for the user to confirm.

    Exact matches first (the column's own name, then its synonyms in order, ignoring case, accents,
    spaces and punctuation), then headers whose leading words are a synonym (`Created date (UTC)`);
    a header is used once, and date columns never take a header naming a person (`Created by`).
    """
    columns = _columns(table)
    synonyms = SYNONYMS.get(table, {})
    squashed = [_squash(h) for h in header]
    words = [_words(h) for h in header]
    taken: set[int] = set()
    result: dict[str, str | None] = {c: None for c in columns}

    def candidates(col: str) -> list[str]:
        return [col.replace("_", " ")] + list(synonyms.get(col, ()))

    def usable(col: str, i: int) -> bool:
        if i in taken:
            return False
        if COLUMN_TYPES[col] in ("TIMESTAMP", "DATE") and _PEOPLE_OR_COUNTS & set(words[i][1:]):
            return False
        return True

    for exact in (True, False):
        for col in columns:
            if result[col] is not None:
                continue
            for name in candidates(col):
                target, target_words = _squash(name), _words(name)
                for i in range(len(header)):
                    if not usable(col, i):
                        continue
                    hit = (squashed[i] == target if exact
                           else len(target) >= 4 and words[i][:len(target_words)] == target_words)
                    if hit:
                        result[col] = header[i]
                        taken.add(i)
                        break
                if result[col] is not None:
                    break
    return result


def validate_mapping(table: str, mapping: dict[str, str | None], header: list[str] | None = None,
                     timestamp_formats: tuple[str, ...] | list[str] = ()) -> list[str]:
    """Every problem with a mapping, as sentences that say what to do; an empty list means usable."""
    try:
        columns = _columns(table)
    except MappingError as exc:
        return [str(exc)]
    problems = []
    unknown = sorted(set(mapping) - set(columns))
    if unknown:
        problems.append(f"{', '.join(unknown)} {'is not a column' if len(unknown) == 1 else 'are not columns'} "
                        f"of {table}; use one of: {', '.join(columns)}.")
    missing = [c for c in REQUIRED[table] if not mapping.get(c)]
    if missing:
        problems.append("choose the column that holds " + "; ".join(f"{c} ({DESCRIPTIONS[c]})" for c in missing)
                        + f": {'it is' if len(missing) == 1 else 'they are'} required.")
    if header is not None:
        present = {norm(h) for h in header}
        absent = [f"'{h}' (for {c})" for c, h in mapping.items() if h and norm(h) not in present]
        if absent:
            problems.append(f"the file has no column {', '.join(absent)}; pick one of its columns.")
    for pattern in timestamp_formats:
        if pattern != ISO_TIMESTAMP and (not _DIRECTIVE.search(pattern) or _DIRECTIVE.sub("", pattern).count("%")):
            problems.append(f"'{pattern}' is not a date layout; write it with strftime codes such as "
                            f"%d/%m/%Y %H:%M, or pick one of the offered layouts.")
    return problems


def format_from_mapping(name: str, table: str, mapping: dict[str, str | None],
                        timestamp_formats: tuple[str, ...] | list[str] = (ISO_TIMESTAMP,),
                        separators: dict[str, str] | None = None) -> Format:
    """A `Format` (run by the ordinary SQL generator) reading each mapped header into its column.

    Timestamps are read with the given layouts, and always as ISO 8601 too. Raises MappingError
    naming every missing required column.
    """
    problems = validate_mapping(table, mapping, timestamp_formats=timestamp_formats)
    if problems:
        raise MappingError(f"the mapping '{name}' cannot be used: " + " ".join(problems))
    seps = DEFAULT_SEPARATORS | (separators or {})
    fields = []
    for col in _columns(table):
        header = mapping.get(col)
        if not header:
            continue
        typ = COLUMN_TYPES[col]
        if typ in ("TIMESTAMP", "DATE"):
            kind = "timestamp" if typ == "TIMESTAMP" else "date"
        elif typ == "DOUBLE":
            kind = "hours" if col == "time_spent_hours" else "number"
        elif typ.endswith("[]"):
            kind = "list"
        elif typ == "BOOLEAN":
            kind = "bool"
        elif col in ("assignee", "responder", "person"):
            kind = "person"
        else:
            kind = "text"
        fields.append(Field(col, (header,), kind, sep=seps.get(col) if kind == "list" else None,
                            required=col in REQUIRED[table]))
    layouts = tuple(dict.fromkeys(tuple(timestamp_formats) + (ISO_TIMESTAMP,)))
    example = next((TIMESTAMP_CHOICES[p].split(": ", 1)[-1] for p in layouts if p in TIMESTAMP_CHOICES),
                   "2026-03-04 09:30")
    return Format(
        name=name,
        label=f"Saved mapping '{name}'",
        table=table,
        signature=tuple((mapping[c],) for c in REQUIRED[table]),
        fields=tuple(fields),
        timestamp_formats=layouts,
        timestamp_example=example,
    )


def header_signature(header: list[str]) -> list[str]:
    """The file's distinct headers, normalized (case, spacing) and sorted: what identifies a tool's export."""
    return sorted({norm(h) for h in header if h.strip()})


def guess_timestamp_formats(values: list[str]) -> tuple[str, ...]:
    """The offered layouts that read every non-empty sample value (ISO first), for pre-selecting one."""
    samples = [v.strip() for v in values if v and v.strip()]
    if not samples:
        return (ISO_TIMESTAMP,)
    fits = []
    for pattern in TIMESTAMP_CHOICES:
        if pattern == ISO_TIMESTAMP:
            ok = all(_iso(v) for v in samples)
        else:
            py = pattern.replace("%-", "%")
            ok = all(_strptime(v, py) for v in samples)
        if ok:
            fits.append(pattern)
    return tuple(fits)


def _iso(value: str) -> bool:
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return True
    except ValueError:
        return False


def _strptime(value: str, pattern: str) -> bool:
    try:
        dt.datetime.strptime(value, pattern)
        return True
    except ValueError:
        return False


def preview(file_name: str, *, data: bytes | None = None, path: str | Path | None = None,
            rows: int = 20) -> tuple[list[str], list[list[str]]]:
    """The header and the first `rows` records of an upload, for the mapping screen (the file is sniffed
    the way an import reads it: encoding, `sep=` line, delimiter). Raises ImportRejected like an import."""
    text = open_text(file_name, data=data, path=path)
    try:
        with open(text.path, encoding="utf-8", errors="replace", newline="") as fh:
            for _ in range(text.skip_lines):
                fh.readline()
            records = list(itertools.islice(csv.reader(fh, delimiter=text.delimiter, quotechar='"'), rows))
        return text.header, records
    finally:
        text.cleanup()


# --- the store --------------------------------------------------------------------------------

@dataclass(frozen=True)
class SavedMapping:
    name: str
    table: str
    header_signature: tuple[str, ...]
    mapping: dict[str, str | None]
    timestamp_formats: tuple[str, ...]
    created_at: dt.datetime | None = None
    separators: dict[str, str] | None = None

    def to_format(self) -> Format:
        return format_from_mapping(self.name, self.table, self.mapping, self.timestamp_formats, self.separators)


def _has_table(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'saved_mappings'"
                       ).fetchone()[0] > 0


def save_mapping(con: duckdb.DuckDBPyConnection, name: str, table: str, header: list[str],
                 mapping: dict[str, str | None], timestamp_formats: tuple[str, ...] | list[str] = (ISO_TIMESTAMP,),
                 separators: dict[str, str] | None = None) -> SavedMapping:
    """Keep a mapping for this tool's exports (replacing one of the same name). Raises MappingError."""
    name = (name or "").strip()
    if not name:
        raise MappingError("give the mapping a name (e.g. the tool it is for).")
    if name in FORMATS_BY_NAME or name in ("oncall_ics", "jira_sprints_json"):
        raise MappingError(f"'{name}' is the name of a built-in format; choose another name.")
    problems = validate_mapping(table, mapping, header, timestamp_formats)
    if problems:
        raise MappingError(f"the mapping '{name}' cannot be saved: " + " ".join(problems))
    clean = {c: h for c, h in mapping.items() if h}
    saved = SavedMapping(name, table, tuple(header_signature(header)), clean,
                         tuple(dict.fromkeys(timestamp_formats)), None, separators or None)
    saved.to_format()  # fails now rather than at the next upload
    con.execute("INSERT OR REPLACE INTO saved_mappings VALUES ($name, $table, $sig, $mapping, $ts, "
                "localtimestamp::TIMESTAMP)",
                {"name": name, "table": table, "sig": json.dumps(list(saved.header_signature)),
                 "mapping": json.dumps({"columns": clean, "separators": separators or {}}),
                 "ts": list(saved.timestamp_formats)})
    return saved_mapping(con, name)


def _row_to_saved(row) -> SavedMapping:
    name, table, sig, mapping, ts, created = row
    doc = json.loads(mapping)
    return SavedMapping(name, table, tuple(json.loads(sig)), doc.get("columns", {}), tuple(ts or ()), created,
                        doc.get("separators") or None)


def saved_mappings(con: duckdb.DuckDBPyConnection) -> list[SavedMapping]:
    """Every saved mapping, newest first."""
    if not _has_table(con):
        return []
    return [_row_to_saved(r) for r in con.execute(
        'SELECT name, "table", header_signature, mapping, timestamp_formats, created_at FROM saved_mappings '
        "ORDER BY created_at DESC, name").fetchall()]


def saved_mapping(con: duckdb.DuckDBPyConnection, name: str) -> SavedMapping | None:
    if not _has_table(con):
        return None
    row = con.execute('SELECT name, "table", header_signature, mapping, timestamp_formats, created_at '
                      "FROM saved_mappings WHERE name = ?", [name]).fetchone()
    return _row_to_saved(row) if row else None


def mapping_for_header(con: duckdb.DuckDBPyConnection, header: list[str]) -> SavedMapping | None:
    """The newest saved mapping made for exactly these headers (same signature), if any."""
    if not _has_table(con):
        return None
    row = con.execute('SELECT name, "table", header_signature, mapping, timestamp_formats, created_at '
                      "FROM saved_mappings WHERE header_signature = ? ORDER BY created_at DESC LIMIT 1",
                      [json.dumps(header_signature(header))]).fetchone()
    return _row_to_saved(row) if row else None


def delete_mapping(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    if not _has_table(con):
        return False
    return con.execute("DELETE FROM saved_mappings WHERE name = ?", [name]).fetchone()[0] > 0
