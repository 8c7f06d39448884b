"""Build the DuckDB SELECT that turns a raw, all-VARCHAR export into canonical rows.

The raw relation has one column per export column, named `c0`, `c1`, ... by
position, so repeated and same-named headers never collide and no text from
the file ever becomes an identifier. Every literal that varies (the file path,
the delimiter) is bound as a parameter by the caller; the only literals
written into the SQL here are our own timestamp patterns.

The SELECT yields the canonical columns of the format's table plus `_row`
(the spreadsheet row number: header = row 1) and `_errors`, a list of
{column, value, reason} for every value that could not be read. A row with
errors is not loaded and appears in the reject report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analytics.importers.formats import COLUMN_TYPES, CANONICAL_COLUMNS, ISO_TIMESTAMP, Field, Format


def norm(header: str) -> str:
    return " ".join(header.strip().lower().split())


def sql_str(text: str) -> str:
    """A SQL string literal for our own constants (never for data from a file)."""
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class Mapped:
    field: Field
    columns: tuple[str, ...]   # raw column names (c<i>) in header order
    header: str | None         # the export header shown in messages


def map_fields(fmt: Format, header: list[str]) -> dict[str, Mapped]:
    """Which raw columns feed each canonical field; for each field, the first candidate header present."""
    positions: dict[str, list[int]] = {}
    for i, h in enumerate(header):
        positions.setdefault(norm(h), []).append(i)
    mapped: dict[str, Mapped] = {}
    for fld in fmt.fields:
        cols: list[str] = []
        shown = None
        for candidate in fld.headers:
            found = positions.get(norm(candidate), [])
            if found and shown is None:
                shown = header[found[0]]
            # Scalar fields coalesce over every same-named copy (distinct custom fields
            # can share a display name, only one filled per row); lists take them all.
            cols.extend(f"c{i}" for i in found)
            if found and fld.kind != "list" and fld.kind != "text" and fld.kind != "number":
                break
        if cols:
            mapped[fld.target] = Mapped(fld, tuple(dict.fromkeys(cols)), shown)
    return mapped


def _first(cols: tuple[str, ...]) -> str:
    parts = [f"nullif(trim({c}), '')" for c in cols]
    return parts[0] if len(parts) == 1 else f"coalesce({', '.join(parts)})"


def timestamp_expr(raw: str, patterns: tuple[str, ...]) -> str:
    strp = [p for p in patterns if p != ISO_TIMESTAMP]
    parts = []
    if strp:
        parts.append(f"try_strptime({raw}, [{', '.join(sql_str(p) for p in strp)}])")
    if ISO_TIMESTAMP in patterns:
        parts.append(
            f"CASE WHEN regexp_matches({raw}, '(Z|[+-][0-9]{{2}}:?[0-9]{{2}})$') "
            f"THEN timezone('UTC', try_cast({raw} AS TIMESTAMPTZ)) "
            f"ELSE try_cast({raw} AS TIMESTAMP) END"
        )
    return parts[0] if len(parts) == 1 else f"coalesce({', '.join(parts)})"


def number_expr(raw: str) -> str:
    # "2.0", "3,5" (decimal comma), "1,234.5" and "172,973" (thousands) all occur in exports.
    return (f"coalesce(try_cast({raw} AS DOUBLE), "
            f"CASE WHEN regexp_matches({raw}, '^-?[0-9]{{1,3}}(,[0-9]{{3}})+(\\.[0-9]+)?$') "
            f"THEN try_cast(replace({raw}, ',', '') AS DOUBLE) "
            f"WHEN regexp_matches({raw}, '^-?[0-9]+,[0-9]+$') "
            f"THEN try_cast(replace({raw}, ',', '.') AS DOUBLE) END)")


def _list_expr(cols: tuple[str, ...], sep: str | None) -> str:
    arr = f"[{', '.join(cols)}]"
    if sep:
        arr = f"flatten(list_transform({arr}, lambda v: coalesce(string_split(v, {sql_str(sep)}), [])))"
    return (f"list_filter(list_transform({arr}, lambda v: trim(v)), "
            f"lambda v: v IS NOT NULL AND v <> '')")


_SPRINT_STRING = r"name=([^,\]]*)"
_LINK_HEADER = re.compile(r"^(inward|outward) issue link \((.+)\)$")
_INCIDENT_REF_HEADER = re.compile(
    r"^custom field \((pagerduty incident|.*incident (id|key|number|no\.?|ref|reference))\)$")


def _jira_links(header: list[str]) -> str | None:
    items = []
    for i, h in enumerate(header):
        n = norm(h)
        m = _LINK_HEADER.match(n)
        if m:
            link_type = f"{h[h.index('(') + 1:h.rindex(')')]} ({m.group(1)})"
            items.append(f"CASE WHEN nullif(trim(c{i}), '') IS NOT NULL THEN "
                         f"[{{'type': {sql_str(link_type)}, 'key': trim(c{i})}}] END")
        elif _INCIDENT_REF_HEADER.match(n):
            items.append(f"list_transform(list_filter(list_transform(string_split(c{i}, ','), lambda v: trim(v)), "
                         f"lambda v: v <> ''), lambda v: {{'type': 'incident', 'key': v}})")
    if not items:
        return None
    return f"flatten(list_filter([{', '.join(items)}], lambda l: l IS NOT NULL))"


def _status_category(raw: str | None, status: str, resolved: str) -> str:
    mapped = (f"CASE lower({raw}) WHEN 'done' THEN 'done' WHEN 'to do' THEN 'todo' "
              f"WHEN 'in progress' THEN 'in_progress' END") if raw else "NULL"
    return (f"coalesce({mapped}, CASE WHEN {resolved} IS NOT NULL THEN 'done' "
            f"WHEN lower({status}) IN ('done', 'closed', 'resolved', 'completed', 'cancelled', 'canceled') THEN 'done' "
            f"WHEN lower({status}) IN ('to do', 'todo', 'open', 'backlog', 'new', 'selected for development', "
            f"'triage', 'unstarted') THEN 'todo' "
            f"WHEN {status} IS NULL THEN NULL ELSE 'in_progress' END)")


def canonical_select(fmt: Format, header: list[str], raw_relation: str, row_offset: int) -> str:
    """SELECT canonical columns, `_row` and `_errors` from `raw_relation` (columns c0..cN)."""
    mapped = map_fields(fmt, header)
    for target, source in fmt.fallbacks:
        if target not in mapped and source in mapped:
            mapped[target] = Mapped(Field(target, ()), mapped[source].columns, mapped[source].header)

    inner: list[str] = [f"row_number() OVER () + {int(row_offset)} AS _row"]
    checks: list[str] = []
    for target, m in mapped.items():
        fld = m.field
        raw = _first(m.columns)
        if fld.kind in ("text",):
            inner.append(f"{raw} AS \"{target}\"")
        elif fld.kind in ("timestamp", "date"):
            inner.append(f"{raw} AS \"{target}__raw\"")
        elif fld.kind in ("number", "seconds_as_hours", "plus_seconds"):
            inner.append(f"{raw} AS \"{target}__raw\"")
        elif fld.kind == "bool":
            inner.append(f"{raw} AS \"{target}__raw\"")
        elif fld.kind == "list":
            expr = _list_expr(m.columns, fld.sep)
            if target == "sprints" and "jira_sprint_strings" in fmt.extras:
                expr = (f"list_transform({expr}, lambda v: CASE WHEN v LIKE '%.sprint.Sprint@%' "
                        f"THEN regexp_extract(v, {sql_str(_SPRINT_STRING)}, 1) ELSE v END)")
            inner.append(f"{expr} AS \"{target}\"")
        else:  # pragma: no cover - a format declared an unknown kind
            raise ValueError(f"unknown field kind {fld.kind}")
        if fld.required:
            inner_name = f'"{target}"' if fld.kind in ("text", "list") else f'"{target}__raw"'
            checks.append(f"CASE WHEN {inner_name} IS NULL THEN {{'column': {sql_str(m.header or target)}, "
                          f"'value': NULL, 'reason': 'empty; this column is required'}} END")
    if "jira_links" in fmt.extras:
        links = _jira_links(header)
        if links:
            inner.append(f"{links} AS links")

    outer: list[str] = ["_row"]
    table_cols = CANONICAL_COLUMNS[fmt.table]
    for col in table_cols:
        m = mapped.get(col)
        typ = COLUMN_TYPES[col]
        if col == "links" and "jira_links" in fmt.extras and _jira_links(header):
            outer.append("links")
            continue
        if m is None:
            if col == "status_category" and fmt.table == "work_items":
                continue  # derived below from status and resolved
            outer.append(f"CAST(NULL AS {typ}) AS \"{col}\"" if not typ.endswith("[]")
                         else f"CAST([] AS {typ}) AS \"{col}\"")
            continue
        kind = m.field.kind
        shown = sql_str(m.header or col)
        if kind == "text" or kind == "list":
            outer.append(f"\"{col}\"")
            continue
        raw = f"\"{col}__raw\""
        if kind in ("timestamp", "date"):
            parsed = timestamp_expr(raw, fmt.timestamp_formats)
            if kind == "date":
                parsed = f"CAST({parsed} AS DATE)"
            example = {"%d/%b/%y %-I:%M %p": "28/Sep/20 9:31 AM"}.get(fmt.timestamp_formats[0], "2026-03-04 09:30")
            reason = sql_str(f"not a date and time Firebreak can read (expected like {example})")
        elif kind == "number":
            parsed, reason = number_expr(raw), sql_str("not a number")
        elif kind == "seconds_as_hours":
            parsed, reason = f"({number_expr(raw)}) / 3600.0", sql_str("not a number of seconds")
        elif kind == "plus_seconds":
            base = mapped[m.field.base]
            base_ts = timestamp_expr(f"\"{m.field.base}__raw\"", fmt.timestamp_formats) if base else "NULL"
            parsed = f"({base_ts}) + to_microseconds(CAST(round(({number_expr(raw)}) * 1e6) AS BIGINT))"
            reason = sql_str("not a number of seconds")
        elif kind == "bool":
            parsed = (f"CASE WHEN lower({raw}) IN ('true', 'yes', 'y', '1', 'done') THEN true "
                      f"WHEN lower({raw}) IN ('false', 'no', 'n', '0') THEN false END")
            reason = sql_str("not true/false")
        else:  # pragma: no cover
            raise ValueError(kind)
        outer.append(f"CAST({parsed} AS {typ}) AS \"{col}\"")
        checks.append(f"CASE WHEN {raw} IS NOT NULL AND ({parsed}) IS NULL THEN "
                      f"{{'column': {shown}, 'value': left({raw}, 80), 'reason': {reason}}} END")

    errors = (f"list_filter([{', '.join(checks)}], lambda e: e IS NOT NULL)" if checks
              else "CAST([] AS STRUCT(\"column\" VARCHAR, value VARCHAR, reason VARCHAR)[])")
    outer.append(f"{errors} AS _errors")

    select = f"SELECT {', '.join(outer)} FROM (SELECT {', '.join(inner)} FROM {raw_relation}) AS f"
    if fmt.table == "work_items":
        sc_raw = '"status_category"' if "status_category" in mapped else None
        select = (f"SELECT * REPLACE (coalesce(project, nullif(regexp_extract(key, '^([A-Za-z][A-Za-z0-9_]*)-', 1), '')) "
                  f"AS project){', ' if sc_raw is None else ''}"
                  f"{_status_category(None, 'status', 'resolved') + ' AS status_category' if sc_raw is None else ''} "
                  f"FROM ({select}) AS g")
        if sc_raw:
            select = (f"SELECT * REPLACE ({_status_category('status_category', 'status', 'resolved')} "
                      f"AS status_category) FROM ({select}) AS h")
    return select
