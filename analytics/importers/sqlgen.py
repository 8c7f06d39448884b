"""Build the DuckDB SELECT that turns a raw, all-VARCHAR export into canonical rows.

The raw relation has one column per export column, named `c0`, `c1`, ... by
position, so repeated and same-named headers never collide and no text from
the file ever becomes an identifier. Every literal that varies (the file path,
the delimiter) is bound as a parameter by the caller; the only literals
written into the SQL here are our own patterns and header names.

The SELECT yields the canonical columns of the format's table, any hidden
`_`-prefixed fields the format declares (for derived outputs such as a sprint
calendar), `_row` (the spreadsheet row number: header = row 1) and `_errors`,
a list of {column, value, reason} for every value that could not be read. A
row with errors is not loaded and appears in the reject report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analytics.importers.formats import (COLUMN_TYPES, CANONICAL_COLUMNS, ISO_TIMESTAMP, JIRA_CUSTOM_FIELD_PREFIXES,
                                         JIRA_LINK_PREFIXES, JS_TIMESTAMP, Field, Format)


def norm(header: str) -> str:
    return " ".join(header.strip().lower().split())


def sql_str(text: str) -> str:
    """A SQL string literal for our own constants and header names (never for cell values)."""
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class Mapped:
    field: Field
    columns: tuple[str, ...]   # raw column names (c<i>) in header order
    header: str | None         # the export header shown in messages


def map_fields(fmt: Format, header: list[str]) -> dict[str, Mapped]:
    """Which raw columns feed each field. Lists take every copy of every candidate header;
    scalars coalesce over every copy of the candidates (distinct custom fields can share a
    display name, only one filled per row), except timestamps, which take the first present
    candidate unless the field asks to `coalesce` (Closed Date, else Resolved Date)."""
    positions: dict[str, list[int]] = {}
    for i, h in enumerate(header):
        positions.setdefault(norm(h), []).append(i)
    mapped: dict[str, Mapped] = {}
    for fld in fmt.fields:
        cols: list[str] = []
        shown = None
        for found in _candidate_positions(fld, header, positions):
            if found and shown is None:
                shown = header[found[0]]
            cols.extend(f"c{i}" for i in found)
            if found and fld.kind in ("timestamp", "date", "plus_seconds") and not fld.coalesce:
                break
        if cols:
            mapped[fld.target] = Mapped(fld, tuple(dict.fromkeys(cols)), shown)
    for target, source in fmt.fallbacks:
        if target not in mapped and source in mapped:
            src = mapped[source]
            mapped[target] = Mapped(Field(target, (), src.field.kind), src.columns, src.header)
    return mapped


def _candidate_positions(fld: Field, header: list[str], positions: dict[str, list[int]]) -> list[list[int]]:
    """Header positions per candidate, in candidate order; then headers matching `patterns`, in file order."""
    found = [positions.get(norm(candidate), []) for candidate in fld.headers]
    if fld.patterns:
        taken = {i for group in found for i in group}
        regexes = [re.compile(p) for p in fld.patterns]
        found.extend([i] for i, h in enumerate(header)
                     if i not in taken and any(r.fullmatch(norm(h)) for r in regexes))
    return found


def missing_required(fmt: Format, header: list[str]) -> list[Field]:
    """Required fields none of whose candidate headers the file has (the file cannot be read as this format)."""
    positions: dict[str, list[int]] = {}
    for i, h in enumerate(header):
        positions.setdefault(norm(h), []).append(i)
    return [f for f in fmt.fields if f.required and not any(_candidate_positions(f, header, positions))]


# --- text-level readers (inner SELECT, over raw columns) -------------------------------------

def _clean(expr: str, fmt: Format) -> str:
    if fmt.formula_guard:
        # Linear prefixes text that looks like a formula with a quote: '=HYPERLINK(...)
        expr = f"regexp_replace({expr}, '^''([=+\\-@])', '\\1')"
    return expr


def _first(cols: tuple[str, ...], fmt: Format) -> str:
    parts = [_clean(f"nullif(trim({c}), '')", fmt) for c in cols]
    return parts[0] if len(parts) == 1 else f"coalesce({', '.join(parts)})"


_ELEMENT_TRANSFORMS = {
    # Jira's legacy sprint string: com.atlassian.greenhopper.service.sprint.Sprint@..[id=..,name=X,startDate=..]
    "jira_sprint": "CASE WHEN v LIKE '%.sprint.Sprint@%' THEN regexp_extract(v, 'name=([^,\\]]*)', 1) ELSE v END",
    # Azure DevOps iteration path Project\Release\Sprint 3 -> Sprint 3 (the root alone is no sprint)
    "path_leaf": "CASE WHEN contains(v, '\\') THEN regexp_extract(v, '([^\\\\]+)$', 1) END",
    # `Display Name <email>` -> Display Name
    "person": "trim(regexp_replace(v, '\\s*<[^>]*>\\s*$', ''))",
    # Azure DevOps area path Project\Team -> Project
    "path_root": "nullif(trim(split_part(v, '\\', 1)), '')",
    # https://github.com/owner/repo/issues/123 (or /pull/123) -> owner/repo#123, and -> owner/repo
    "github_key": "CASE WHEN regexp_matches(v, 'github\\.com/[^/]+/[^/]+/(issues|pull)/[0-9]+') THEN "
                  "regexp_extract(v, 'github\\.com/([^/]+/[^/]+)/', 1) || '#' || "
                  "regexp_extract(v, '/(?:issues|pull)/([0-9]+)', 1) END",
    "github_repo": "nullif(regexp_extract(v, 'github\\.com/([^/]+/[^/]+)/(?:issues|pull)/[0-9]+', 1), '')",
}


def _list_expr(cols: tuple[str, ...], sep: str | None, transform: str | None) -> str:
    arr = f"[{', '.join(cols)}]"
    if sep:
        arr = f"flatten(list_transform({arr}, lambda v: coalesce(string_split(v, {sql_str(sep)}), [])))"
    arr = f"list_transform({arr}, lambda v: trim(v))"
    if transform:
        arr = f"list_transform({arr}, lambda v: {_ELEMENT_TRANSFORMS[transform]})"
    return f"list_filter({arr}, lambda v: v IS NOT NULL AND v <> '')"


# --- typed parsers (outer SELECT, over the text-level alias) ---------------------------------

def timestamp_expr(raw: str, patterns: tuple[str, ...], month_names: tuple[tuple[str, str], ...] = ()) -> str:
    strp = [p for p in patterns if p not in (ISO_TIMESTAMP, JS_TIMESTAMP)]
    parts = []
    if strp:
        listed = f"[{', '.join(sql_str(p) for p in strp)}]"
        parts.append(f"try_strptime({raw}, {listed})")
        if month_names:  # only values the patterns cannot read are rewritten (DuckDB's coalesce is lazy)
            parts.append(f"try_strptime({_english_months(raw, month_names)}, {listed})")
    if ISO_TIMESTAMP in patterns:
        parts.append(
            f"CASE WHEN regexp_matches({raw}, '{_ZONE_SUFFIX}') "
            f"THEN timezone('UTC', try_cast({raw} AS TIMESTAMPTZ)) "
            f"ELSE try_cast({raw} AS TIMESTAMP) END"
        )
    if JS_TIMESTAMP in patterns:
        # JavaScript Date.toString(): Wed May 13 2026 11:21:41 GMT+0000 (GMT+00:00)
        parts.append(f"timezone('UTC', try_strptime(regexp_replace({raw}, '\\s*\\(.*\\)\\s*$', ''), "
                     f"'%a %b %d %Y %H:%M:%S GMT%z'))")
    return parts[0] if len(parts) == 1 else f"coalesce({', '.join(parts)})"


_ZONE_SUFFIX = "(Z|[+-][0-9]{2}:?[0-9]{2})$"


def _english_months(raw: str, month_names: tuple[tuple[str, str], ...]) -> str:
    """`05/Mär/24 9:31 vorm.` -> `05/Mar/24 9:31 AM`: the month between the slashes of Jira's
    `dd/MMM/yy` (a trailing dot dropped) and a localized AM/PM marker made English."""
    token = f"lower(rtrim(split_part({raw}, '/', 2), '.'))"
    cases = " ".join(f"WHEN {sql_str(local.lower())} THEN {sql_str(english)}" for local, english in month_names)
    english = (f"coalesce(split_part({raw}, '/', 1) || '/' || (CASE {token} {cases} END) || '/' || "
               f"split_part({raw}, '/', 3), {raw})")
    return (f"regexp_replace(regexp_replace({english}, '\\s*(a\\.\\s?m\\.|vorm\\.)$', ' AM'), "
            f"'\\s*(p\\.\\s?m\\.|nachm\\.)$', ' PM')")


def _utc_offset_minutes(offset: str) -> str:
    """Minutes east of UTC of a `+01:00` / `-0530` cell; NULL when it is not an offset."""
    return (f"CASE WHEN regexp_matches({offset}, '^[+-][0-9]{{2}}:?[0-9]{{2}}$') THEN "
            f"(CASE WHEN starts_with({offset}, '-') THEN -1 ELSE 1 END) * "
            f"(CAST(substr({offset}, 2, 2) AS INTEGER) * 60 + CAST(right({offset}, 2) AS INTEGER)) END")


def number_expr(raw: str) -> str:
    # "2.0", "3,5" (decimal comma), "1,234.5" and "172,973" (thousands) all occur in exports.
    return (f"coalesce(try_cast({raw} AS DOUBLE), "
            f"CASE WHEN regexp_matches({raw}, '^-?[0-9]{{1,3}}(,[0-9]{{3}})+(\\.[0-9]+)?$') "
            f"THEN try_cast(replace({raw}, ',', '') AS DOUBLE) "
            f"WHEN regexp_matches({raw}, '^-?[0-9]+,[0-9]+$') "
            f"THEN try_cast(replace({raw}, ',', '.') AS DOUBLE) END)")


def _bool_expr(raw: str) -> str:
    return (f"CASE WHEN lower({raw}) IN ('true', 'yes', 'y', '1', 'done', 'completed') THEN true "
            f"WHEN lower({raw}) IN ('false', 'no', 'n', '0', 'none') THEN false END")


_PARSED_KINDS = ("timestamp", "date", "number", "seconds_as_hours", "minutes_as_hours", "hours",
                 "plus_seconds", "bool", "nonempty")


def _parse(kind: str, raw: str, fmt: Format, mapped: dict[str, Mapped], field: Field) -> tuple[str, str]:
    """(typed expression, reason shown when a present value does not parse)."""
    if kind in ("timestamp", "date"):
        expr = timestamp_expr(raw, fmt.timestamp_formats, fmt.month_names)
        if field.offset and field.offset in mapped:
            # A local time with the row's UTC offset in another column (Shortcut): to UTC, unless the
            # value carries its own zone (already converted).
            minutes = _utc_offset_minutes(f"\"{field.offset}\"")
            expr = (f"CASE WHEN regexp_matches({raw}, '{_ZONE_SUFFIX}') THEN {expr} "
                    f"ELSE {expr} - to_minutes(coalesce({minutes}, 0)) END")
        if kind == "date":
            expr = f"CAST({expr} AS DATE)"
        return expr, f"not a date and time Firebreak can read (expected like {fmt.timestamp_example})"
    if kind in ("number", "hours"):
        return number_expr(raw), "not a number"
    if kind == "seconds_as_hours":
        return f"({number_expr(raw)}) / 3600.0", "not a number of seconds"
    if kind == "minutes_as_hours":
        return f"({number_expr(raw)}) / 60.0", "not a number of minutes"
    if kind == "plus_seconds":
        base = f"\"{field.base}__raw\"" if field.base in mapped else "NULL"
        unit = "seconds" if field.scale == 1 else "milliseconds" if field.scale == 0.001 else "units"
        # A number of `unit`s after the base time; a value that is itself a date-time is taken as is.
        return (f"coalesce(({timestamp_expr(base, fmt.timestamp_formats, fmt.month_names)}) + "
                f"to_microseconds(CAST(round(({number_expr(raw)}) * {float(field.scale) * 1e6!r}) AS BIGINT)), "
                f"{timestamp_expr(raw, fmt.timestamp_formats, fmt.month_names)})"), \
            f"not a number of {unit} (nor a date and time)"
    if kind == "bool":
        return _bool_expr(raw), "not true/false"
    if kind == "nonempty":
        return f"({raw} IS NOT NULL)", "unreadable"
    raise ValueError(f"unknown field kind {kind}")


# --- links ------------------------------------------------------------------------------------

_LINK_HEADER = re.compile(
    "^(?P<prefix>" + "|".join(re.escape(p) for pair in JIRA_LINK_PREFIXES for p in pair) + r") \((.+)\)$")
_LINK_DIRECTION = {p: ("inward", "outward")[k] for pair in JIRA_LINK_PREFIXES for k, p in enumerate(pair)}
_INCIDENT_REF_HEADER = re.compile(
    "^(" + "|".join(re.escape(p) for p in JIRA_CUSTOM_FIELD_PREFIXES) + ")"
    r" \((pagerduty incident|.*incident (id|key|number|no\.?|ref|reference))\)$")
_LINK_LIST_TYPE = "STRUCT(type VARCHAR, key VARCHAR)[]"


def _jira_links(header: list[str]) -> str | None:
    """Jira link columns (`Outward issue link (Blocks)`, repeated) and incident-reference custom fields."""
    items = []
    for i, h in enumerate(header):
        n = norm(h)
        m = _LINK_HEADER.match(n)
        if m:
            link_type = f"{h[h.index('(') + 1:h.rindex(')')]} ({_LINK_DIRECTION[m.group('prefix')]})"
            items.append(f"CASE WHEN nullif(trim(c{i}), '') IS NOT NULL THEN "
                         f"[{{'type': {sql_str(link_type)}, 'key': trim(c{i})}}] END")
        elif _INCIDENT_REF_HEADER.match(n):
            items.append(_split_links(f"c{i}", "incident", ","))
    if not items:
        return None
    return f"flatten(list_filter([{', '.join(items)}], lambda l: l IS NOT NULL))"


def _split_links(col: str, link_type: str, sep: str) -> str:
    return (f"list_transform(list_filter(list_transform(string_split({col}, {sql_str(sep)}), lambda v: trim(v)), "
            f"lambda v: v <> ''), lambda v: {{'type': {sql_str(link_type)}, 'key': v}})")


def _link_columns(fmt: Format, header: list[str]) -> str | None:
    parts = []
    if "jira_links" in fmt.extras:
        jira = _jira_links(header)
        if jira:
            parts.append(jira)
    positions = {norm(h): i for i, h in reversed(list(enumerate(header)))}
    for link_header, link_type, sep in fmt.link_columns:
        i = positions.get(norm(link_header))
        if i is not None:
            parts.append(f"coalesce({_split_links(f'c{i}', link_type, sep)}, [])")
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else f"flatten([{', '.join(parts)}])"


# --- status category --------------------------------------------------------------------------

_DONE_STATES = ("done", "closed", "resolved", "completed", "complete", "cancelled", "canceled", "removed",
                "released", "shipped")
_TODO_STATES = ("to do", "todo", "open", "backlog", "new", "selected for development", "triage", "unstarted",
                "proposed", "approved", "ready", "not started")


def _status_category(explicit: str | None) -> str:
    mapped = (f"CASE lower({explicit}) WHEN 'done' THEN 'done' WHEN 'to do' THEN 'todo' WHEN 'new' THEN 'todo' "
              f"WHEN 'in progress' THEN 'in_progress' WHEN 'indeterminate' THEN 'in_progress' END"
              if explicit else "NULL")
    done = ", ".join(sql_str(s) for s in _DONE_STATES)
    todo = ", ".join(sql_str(s) for s in _TODO_STATES)
    return (f"coalesce({mapped}, CASE WHEN resolved IS NOT NULL THEN 'done' "
            f"WHEN lower(status) IN ({done}) THEN 'done' WHEN lower(status) IN ({todo}) THEN 'todo' "
            f"WHEN status IS NULL THEN NULL ELSE 'in_progress' END)")


# --- the SELECT -------------------------------------------------------------------------------

_KIND_TYPES = {"timestamp": "TIMESTAMP", "plus_seconds": "TIMESTAMP", "date": "DATE", "bool": "BOOLEAN",
               "list": "VARCHAR[]"}


def column_type(col: str, kind: str) -> str:
    """Canonical columns have their table's type; hidden `_fields` take the type their kind reads."""
    return COLUMN_TYPES.get(col) or _KIND_TYPES.get(kind, "DOUBLE" if kind in _PARSED_KINDS else "VARCHAR")


def _empty(typ: str) -> str:
    return f"CAST([] AS {typ})" if typ.endswith("[]") else f"CAST(NULL AS {typ})"


def canonical_select(fmt: Format, header: list[str], raw_relation: str, row_offset: int) -> str:
    """SELECT canonical columns, hidden fields, `_row` and `_errors` from `raw_relation` (columns c0..cN)."""
    mapped = map_fields(fmt, header)
    inner: list[str] = [f"row_number() OVER () + {int(row_offset)} AS _row"]
    outer: list[str] = ["_row"]
    checks: list[str] = []

    hidden = [f.target for f in fmt.fields if f.target.startswith("_")]
    post_targets = {col for col, _ in fmt.post}
    columns = list(CANONICAL_COLUMNS[fmt.table]) + hidden
    links = _link_columns(fmt, header) if fmt.table == "work_items" else None

    for col in columns:
        m = mapped.get(col)
        if col == "links" and links is not None:
            inner.append(f"{links} AS links")
            outer.append("links")
            continue
        if m is None:
            if col == "status_category" and fmt.table == "work_items":
                if col in post_targets:  # a placeholder for the format's own rule (see `post`)
                    outer.append(f"CAST(NULL AS VARCHAR) AS \"{col}\"")
                continue  # derived below from status and resolved
            kind = next((f.kind for f in fmt.fields if f.target == col), "text")
            outer.append(f"{_empty(column_type(col, kind))} AS \"{col}\"")
            continue
        fld = m.field
        shown = sql_str(m.header or col)
        empty = sql_str(fld.empty_reason or "empty; this column is required")
        if fld.kind == "list":
            inner.append(f"{_list_expr(m.columns, fld.sep, fld.transform)} AS \"{col}\"")
            outer.append(f"\"{col}\"")
            if fld.required:
                checks.append(f"CASE WHEN len(\"{col}\") = 0 THEN {{'column': {shown}, 'value': NULL, "
                              f"'reason': {empty}}} END")
            continue
        text = _first(m.columns, fmt)
        if fld.kind in ("text", "person"):
            if fld.sep:  # the first element of a separated cell (Shortcut owners)
                text = (f"list_filter(list_transform(string_split({text}, {sql_str(fld.sep)}), lambda v: trim(v)), "
                        f"lambda v: v <> '')[1]")
            if fld.kind == "person":
                text = f"nullif(trim(regexp_replace({text}, '\\s*<[^>]*>\\s*$', '')), '')"
            if fld.transform:
                text = f"list_transform([{text}], lambda v: {_ELEMENT_TRANSFORMS[fld.transform]})[1]"
            if fld.value_map:
                cases = " ".join(f"WHEN {sql_str(k.lower())} THEN {sql_str(v)}" for k, v in fld.value_map)
                text = f"coalesce(CASE lower({text}) {cases} END, {text})"
            inner.append(f"{text} AS \"{col}\"")
            outer.append(f"\"{col}\"")
            alias = f"\"{col}\""
        else:
            alias = f"\"{col}__raw\""
            inner.append(f"{text} AS {alias}")
            parsed, reason = _parse(fld.kind, alias, fmt, mapped, fld)
            outer.append(f"CAST({parsed} AS {column_type(col, fld.kind)}) AS \"{col}\"")
            if not col.startswith("_"):
                checks.append(f"CASE WHEN {alias} IS NOT NULL AND ({parsed}) IS NULL THEN "
                              f"{{'column': {shown}, 'value': left({alias}, 80), 'reason': {sql_str(reason)}}} END")
        if fld.required:
            checks.append(f"CASE WHEN {alias} IS NULL THEN {{'column': {shown}, 'value': NULL, "
                          f"'reason': {empty}}} END")

    errors = (f"list_filter([{', '.join(checks)}], lambda e: e IS NOT NULL)" if checks
              else "CAST([] AS STRUCT(\"column\" VARCHAR, value VARCHAR, reason VARCHAR)[])")
    outer.append(f"{errors} AS _errors")
    select = f"SELECT {', '.join(outer)} FROM (SELECT {', '.join(inner)} FROM {raw_relation}) AS f"
    if fmt.skip_when:
        select += f" WHERE NOT ({fmt.skip_when})"
    if fmt.post:
        select = (f"SELECT * REPLACE ({', '.join(f'{expr} AS {chr(34)}{col}{chr(34)}' for col, expr in fmt.post)}) "
                  f"FROM ({select}) AS p")
    if fmt.table == "work_items":
        explicit = "status_category" in mapped or "status_category" in post_targets
        status = _status_category('"status_category"' if explicit else None)
        project = "coalesce(project, nullif(regexp_extract(key, '^([A-Za-z][A-Za-z0-9_]*)-', 1), ''))"
        if explicit:
            select = f"SELECT * REPLACE ({project} AS project, {status} AS status_category) FROM ({select}) AS g"
        else:
            select = f"SELECT * REPLACE ({project} AS project), {status} AS status_category FROM ({select}) AS g"
    return select
