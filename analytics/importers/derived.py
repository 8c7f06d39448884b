"""Further canonical rows a format carries besides its main table.

A Linear export names each issue's cycle with its start and end: that is the
sprint calendar. A Jira cell holding a legacy sprint string carries the
sprint's dates. Each builder reads the staged rows (hidden `_` fields) and
returns a SELECT of canonical rows for another table, staged and committed in
the same transaction as the file's main rows.
"""

from __future__ import annotations

from typing import Callable

_ERRORS_NONE = "CAST([] AS STRUCT(\"column\" VARCHAR, value VARCHAR, reason VARCHAR)[])"


def linear_cycles(stage: str) -> str:
    # One sprint per cycle; Linear repeats the cycle's dates on every issue in it. A cycle ends at the
    # instant the next one starts (contiguous cycles, UNCONFIRMED from an export): the last day of the
    # cycle is the day of the instant just before its end, so that `2026-03-16T00:00:00Z` ends on the 15th.
    return (
        "SELECT min(_row) AS _row, name, CAST(min(_cycle_start) AS DATE) AS start_date, "
        "CAST(max(_cycle_end) - INTERVAL 1 MICROSECOND AS DATE) AS end_date, CAST(NULL AS DOUBLE) AS capacity_points, "
        f"CAST(NULL AS DOUBLE) AS reserve_points, {_ERRORS_NONE} AS _errors "
        f"FROM (SELECT _row, sprints[1] AS name, _cycle_start, _cycle_end FROM {stage} "
        "WHERE len(_errors) = 0 AND len(sprints) > 0 AND _cycle_start IS NOT NULL AND _cycle_end IS NOT NULL) "
        "GROUP BY name"
    )


def jira_sprint_strings(stage: str) -> str:
    # ...sprint.Sprint@1a2b[id=7,rapidViewId=9,state=CLOSED,name=Team 5,startDate=2022-09-27T11:23:00.000Z,endDate=...]
    field = "regexp_extract(s, '{k}=([^,\\]]*)', 1)"
    start, end = field.format(k="startDate"), field.format(k="endDate")

    def ts(expr: str) -> str:
        return f"CAST(timezone('UTC', try_cast(nullif(nullif({expr}, ''), '<null>') AS TIMESTAMPTZ)) AS DATE)"

    return (
        "SELECT min(_row) AS _row, name, min(start_date) AS start_date, max(end_date) AS end_date, "
        "CAST(NULL AS DOUBLE) AS capacity_points, CAST(NULL AS DOUBLE) AS reserve_points, "
        f"{_ERRORS_NONE} AS _errors FROM ("
        f"SELECT _row, {field.format(k='name')} AS name, {ts(start)} AS start_date, {ts(end)} AS end_date "
        f"FROM (SELECT _row, unnest(_sprint_strings) AS s FROM {stage} WHERE len(_errors) = 0) "
        "WHERE s LIKE '%.sprint.Sprint@%') "
        "WHERE name <> '' AND start_date IS NOT NULL AND end_date IS NOT NULL GROUP BY name"
    )


DERIVED: dict[str, tuple[str, Callable[[str], str]]] = {
    "linear_cycles": ("sprints", linear_cycles),
    "jira_sprint_strings": ("sprints", jira_sprint_strings),
}
