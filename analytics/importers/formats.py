"""Declarative descriptions of the export formats Firebreak reads.

A format names the canonical table it fills, the headers that identify it,
and for each canonical column the export headers that may carry it (matched
case-insensitively, every copy of a repeated header by position) and how to
read the text. `analytics.importers.sqlgen` turns a format plus a concrete
header row into one DuckDB SELECT, so parsing runs at DuckDB's speed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Kinds of field reading (see sqlgen for their SQL):
#   text       first non-empty value among the matched columns
#   timestamp  text parsed with the format's timestamp patterns; unreadable -> reject
#   date       same, kept as a DATE
#   number     decimal number; unreadable -> reject
#   seconds_as_hours  a number of seconds, stored as hours
#   list       every non-empty value of every matched column, in column order,
#              each cell split on `sep` when one is given
#   bool       true/false, yes/no, 1/0
#   plus_seconds  the timestamp of `base` plus this many seconds
#   hours / minutes_as_hours  a duration in hours / minutes, stored as hours
#   person     a name, with a trailing `<email>` removed (Azure DevOps identities)
# A target starting with `_` is a hidden field: kept in the staging table for a
# derived output (e.g. Linear cycles -> the sprint calendar), never stored itself.

CANONICAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "work_items": ("key", "project", "type", "summary", "status", "status_category", "created",
                   "resolved", "points", "time_spent_hours", "labels", "components", "priority",
                   "severity", "assignee", "parent", "sprints", "links"),
    "incidents": ("id", "title", "created", "acknowledged", "resolved", "severity", "service",
                  "category", "responder", "postmortem", "related_keys", "labels", "components"),
    "oncall_shifts": ("person", "start", "end"),
    "sprints": ("name", "start_date", "end_date", "capacity_points", "reserve_points"),
}

# Canonical column -> DuckDB type, shared by the schema and the importers.
COLUMN_TYPES: dict[str, str] = {
    "key": "VARCHAR", "project": "VARCHAR", "type": "VARCHAR", "summary": "VARCHAR",
    "status": "VARCHAR", "status_category": "VARCHAR", "created": "TIMESTAMP",
    "resolved": "TIMESTAMP", "points": "DOUBLE", "time_spent_hours": "DOUBLE",
    "labels": "VARCHAR[]", "components": "VARCHAR[]", "priority": "VARCHAR",
    "severity": "VARCHAR", "assignee": "VARCHAR", "parent": "VARCHAR", "sprints": "VARCHAR[]",
    "links": "STRUCT(type VARCHAR, key VARCHAR)[]",
    "id": "VARCHAR", "title": "VARCHAR", "acknowledged": "TIMESTAMP", "service": "VARCHAR",
    "category": "VARCHAR", "responder": "VARCHAR", "postmortem": "BOOLEAN",
    "related_keys": "VARCHAR[]",
    "person": "VARCHAR", "start": "TIMESTAMP", "end": "TIMESTAMP",
    "name": "VARCHAR", "start_date": "DATE", "end_date": "DATE", "capacity_points": "DOUBLE",
    "reserve_points": "DOUBLE",
}

ISO_TIMESTAMP = "iso"  # ISO 8601, with or without offset; an offset converts to UTC
JS_TIMESTAMP = "js"    # JavaScript Date.toString(): Wed May 13 2026 11:21:41 GMT+0000 (GMT+00:00)

JIRA_TIMESTAMPS = (
    "%d/%b/%y %-I:%M %p",  # Cloud default: 28/Sep/20 9:31 AM
    "%d/%b/%y %H:%M",      # Server/DC default: 25/Jun/20 12:44
    "%d/%b/%Y %-I:%M %p",
    "%d/%b/%Y %H:%M",
    "%d/%m/%Y %H:%M",      # admin-configured UK style
    ISO_TIMESTAMP,
)


@dataclass(frozen=True)
class Field:
    target: str
    headers: tuple[str, ...]
    kind: str = "text"
    sep: str | None = None
    base: str | None = None          # plus_seconds: the timestamp it adds to
    required: bool = False           # a row without it is rejected
    transform: str | None = None     # list elements: jira_sprint, path_leaf, person (see sqlgen)
    value_map: tuple[tuple[str, str], ...] = ()  # text: exported value -> canonical value


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    table: str
    # Groups of alternative headers; every group must be present to detect the format.
    signature: tuple[tuple[str, ...], ...]
    fields: tuple[Field, ...]
    timestamp_formats: tuple[str, ...] = (ISO_TIMESTAMP,)
    # Headers whose presence rules the format out (a sprints file is not a Jira export).
    excludes: tuple[str, ...] = ()
    # Canonical column filled from another one when the export has no column for it at all.
    fallbacks: tuple[tuple[str, str], ...] = ()
    extras: tuple[str, ...] = field(default=())  # format-specific readers in sqlgen
    # Single columns holding several linked keys: (header, link type, separator).
    link_columns: tuple[tuple[str, str, str], ...] = ()
    formula_guard: bool = False      # strip the ' that guards formula-like text (Linear)
    skip_when: str | None = None     # SQL over the text-level fields: rows the tool itself ignores
    timestamp_example: str = "2026-03-04 09:30"
    derived: tuple[str, ...] = ()    # further outputs built from the staged rows (see importers.derived)
    # Final SQL over the staged columns replacing a canonical column (e.g. a sprint named by number).
    post: tuple[tuple[str, str], ...] = ()


JIRA_CSV = Format(
    name="jira_csv",
    label="Jira (CSV export, all or current fields)",
    table="work_items",
    signature=(("Issue key",), ("Summary",), ("Issue Type",)),
    timestamp_formats=JIRA_TIMESTAMPS,
    timestamp_example="28/Sep/20 9:31 AM",
    fields=(
        Field("key", ("Issue key",), required=True),
        Field("project", ("Project key", "Project name")),
        Field("type", ("Issue Type",)),
        Field("summary", ("Summary",)),
        Field("status", ("Status",)),
        Field("status_category", ("Status Category",)),
        Field("created", ("Created",), "timestamp", required=True),
        Field("resolved", ("Resolved",), "timestamp"),
        Field("points", ("Custom field (Story Points)", "Custom field (Story point estimate)",
                         "Story Points", "Story point estimate"), "number"),
        Field("time_spent_hours", ("Time Spent",), "seconds_as_hours"),
        Field("labels", ("Labels",), "list"),
        Field("components", ("Component/s", "Components"), "list"),
        Field("priority", ("Priority",)),
        Field("severity", ("Custom field (Severity)", "Severity")),
        Field("assignee", ("Assignee",)),
        Field("parent", ("Parent key", "Custom field (Epic Link)", "Custom field (Parent Link)", "Parent")),
        Field("sprints", ("Sprint", "Custom field (Sprint)"), "list", transform="jira_sprint"),
        Field("_sprint_strings", ("Sprint", "Custom field (Sprint)"), "list"),
    ),
    fallbacks=(("severity", "priority"),),
    extras=("jira_links",),
    derived=("jira_sprint_strings",),
)

PAGERDUTY_CSV = Format(
    name="pagerduty_csv",
    label="PagerDuty incidents (CSV, analytics field names)",
    table="incidents",
    signature=(("created_at", "created_on"), ("incident_number", "id"),
               ("service_name", "escalation_policy_name", "urgency", "priority_name")),
    fields=(
        Field("id", ("id", "incident_number"), required=True),
        Field("title", ("description", "title", "summary")),
        Field("created", ("created_at", "created_on"), "timestamp", required=True),
        Field("acknowledged", ("seconds_to_first_ack",), "plus_seconds", base="created"),
        Field("resolved", ("resolved_at", "resolved_on"), "timestamp"),
        Field("severity", ("priority_name", "priority")),
        Field("service", ("service_name", "service")),
        Field("responder", ("resolved_by_user_name", "assigned_to", "assignee")),
    ),
)

SPRINTS_CSV = Format(
    name="sprints_csv",
    label="Sprint calendar (CSV: sprint, start, end, capacity, reserve)",
    table="sprints",
    signature=(("Sprint", "Name", "Sprint name", "sprint_name"),
               ("Start", "Start date", "startDate", "start_date", "Starts"),
               ("End", "End date", "endDate", "end_date", "Finish", "Finish date", "Ends")),
    excludes=("Issue key", "Summary"),
    fields=(
        Field("name", ("Sprint", "Name", "Sprint name", "sprint_name"), required=True),
        Field("start_date", ("Start", "Start date", "startDate", "start_date", "Starts"), "date", required=True),
        Field("end_date", ("End", "End date", "endDate", "end_date", "Finish", "Finish date", "Ends"), "date",
              required=True),
        Field("capacity_points", ("Capacity", "capacity_points", "Capacity points", "Capacity (points)"), "number"),
        Field("reserve_points", ("Reserve", "reserve_points", "Reserve points", "Reserve (points)"), "number"),
    ),
    timestamp_formats=(ISO_TIMESTAMP, "%d/%m/%Y", "%d/%b/%y", "%d/%b/%y %-I:%M %p", "%d/%b/%y %H:%M"),
)

ONCALL_CSV = Format(
    name="oncall_csv",
    label="On-call shifts (CSV: person, start, end)",
    table="oncall_shifts",
    signature=(("person", "name", "user", "user_name", "engineer", "on call"),
               ("start", "starts", "start_time", "shift_start", "from"),
               ("end", "ends", "end_time", "shift_end", "to")),
    excludes=("Issue key", "Sprint"),
    fields=(
        Field("person", ("person", "name", "user", "user_name", "engineer", "on call"), required=True),
        Field("start", ("start", "starts", "start_time", "shift_start", "from"), "timestamp", required=True),
        Field("end", ("end", "ends", "end_time", "shift_end", "to"), "timestamp", required=True),
    ),
    timestamp_formats=(ISO_TIMESTAMP, "%d/%m/%Y %H:%M", "%d/%b/%y %-I:%M %p", "%d/%b/%y %H:%M"),
)

CSV_FORMATS: tuple[Format, ...] = (JIRA_CSV, PAGERDUTY_CSV, SPRINTS_CSV, ONCALL_CSV)
FORMATS_BY_NAME: dict[str, Format] = {f.name: f for f in CSV_FORMATS}
