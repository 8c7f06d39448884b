"""Per-sprint planned and unplanned work (METRICS.md "Sprints", "Planned and unplanned work")."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from analytics import queries
from analytics.config import Knobs

# The per-sprint keys of the report contract, in contract order.
CONTRACT_COLUMNS = ("sprint", "start", "end", "committed_points", "planned_done_points", "unplanned_points",
                    "unplanned_hours", "unplanned_share", "carryover_points", "say_do", "reserve_points",
                    "overrun_points", "firefighting")


def sprint_series(con: duckdb.DuckDBPyConnection, knobs: Knobs,
                  projects: tuple[str, ...] | None = None) -> pd.DataFrame:
    """One row per sprint in start order, with every per-sprint metric and `completed`."""
    frame = queries.run(con, "sprint_metrics", queries.params_for(knobs, projects))
    share = frame["unplanned_share"].astype("Float64")
    # A sprint with no completed work has no share and is not firefighting.
    frame["firefighting"] = (share >= knobs.firefight_threshold).fillna(False).astype(bool)
    frame["completed"] = frame["completed"].fillna(False).astype(bool)
    return frame


def classified_items(con: duckdb.DuckDBPyConnection, knobs: Knobs,
                     projects: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Work items in scope with the rule(s) that made each unplanned and its completion sprint."""
    frame = queries.run(con, "sprint_items", queries.params_for(knobs, projects))
    frame["unplanned"] = frame["by_type"] | frame["by_label"] | frame["by_mid_sprint"]
    return frame


def data_as_of(con: duckdb.DuckDBPyConnection) -> dt.datetime | None:
    """The latest created or resolved timestamp of the work items: the export's 'now'."""
    value = queries.run(con, "as_of", {})["as_of"].iloc[0]
    return None if pd.isna(value) else pd.Timestamp(value).to_pydatetime()


def completed_sprints(series: pd.DataFrame) -> pd.DataFrame:
    return series[series["completed"]].reset_index(drop=True)


def projects(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT DISTINCT project FROM work_items WHERE project IS NOT NULL ORDER BY 1").fetchall()]
