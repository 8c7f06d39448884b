"""Assemble the JSON report of every metric (the contract of `python -m analytics report`)."""

from __future__ import annotations

import math
from typing import Any

import duckdb
import pandas as pd

from analytics import incidents, investment, oncall, reserve, sprints
from analytics.config import Knobs
from analytics.firefighter import firefighter_status


def clean(value: Any) -> Any:
    """Plain JSON values: 4 decimals at most, null for what cannot be computed."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool):
        return value
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalar
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        rounded = round(value, 4)
        return 0.0 if rounded == 0 else rounded
    if isinstance(value, (pd.Timestamp,)):
        return value.strftime("%Y-%m-%d")
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return value


def _records(frame: pd.DataFrame, columns: tuple[str, ...] | list[str]) -> list[dict[str, Any]]:
    return [{c: clean(row[c]) for c in columns} for _, row in frame.iterrows()]


def build_report(con: duckdb.DuckDBPyConnection, knobs: Knobs,
                 projects: tuple[str, ...] | None = None) -> dict[str, Any]:
    series = sprints.sprint_series(con, knobs, projects)
    adequacy = reserve.reserve_adequacy(series, knobs)
    status = firefighter_status(series)
    case = investment.investment_case(series, knobs)
    table = incidents.incident_table(con, knobs, projects)
    categories = incidents.by_category(con, knobs, projects)
    actions = incidents.action_item_summary(incidents.action_items(con, knobs, projects), sprints.data_as_of(con))
    repeats = incidents.repeats_with_open_actions(con, knobs, projects, table=table)
    load = oncall.oncall_load(con, knobs, projects)
    return {
        "sprints": _records(series, sprints.CONTRACT_COLUMNS),
        "reserve": {
            "window_sprints": adequacy.window_sprints,
            "quantile": clean(adequacy.quantile),
            "recommended_points": clean(adequacy.recommended_points),
            "current_reserve_points": clean(adequacy.current_reserve_points),
            "coverage_current": clean(adequacy.coverage_current),
            "coverage_recommended": clean(adequacy.coverage_recommended),
            "verdict": adequacy.verdict,
        },
        "incidents": {
            "by_category": _records(categories, ("category", "incidents", "recurrences", "recurrence_rate",
                                                 "median_hours_to_resolve")),
            "postmortem_coverage": clean(incidents.postmortem_coverage(table)),
            "action_items": {
                "total": actions.total,
                "done": actions.done,
                "completion_rate": clean(actions.completion_rate),
                "open_median_age_days": clean(actions.open_median_age_days),
            },
            "repeat_with_open_actions": len(repeats),
        },
        "firefighter": {
            "status": status.status,
            "episodes": [{"first_sprint": e.first_sprint, "last_sprint": e.last_sprint, "sprints": e.sprints}
                         for e in status.episodes],
        },
        "investment": {
            "baseline_unplanned_points": clean(case.baseline_unplanned_points),
            "invest_points_per_sprint": clean(case.invest_points_per_sprint),
            "invest_sprints": case.invest_sprints,
            "expected_reduction": clean(case.expected_reduction),
            "horizon_sprints": case.horizon_sprints,
            "break_even_sprint": case.break_even_sprint,
            "net_points": clean(case.net_points),
            "roi": clean(case.roi),
        },
        "oncall": _records(load, ("person", "shift_hours", "incidents", "out_of_hours_incidents",
                                  "sleep_hour_incidents")),
    }
