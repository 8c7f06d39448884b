"""Incidents: categories, recurrence, time to resolve, post-mortems and action items."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics import queries
from analytics.config import Knobs


@dataclass(frozen=True)
class ActionItemSummary:
    total: int
    done: int
    completion_rate: float | None
    open_median_age_days: float | None


def incident_table(con: duckdb.DuckDBPyConnection, knobs: Knobs,
                   projects: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Every incident with category, the rule that gave it, severity level, recurrence, post-mortem."""
    return queries.run(con, "incident_follow_through", queries.params_for(knobs, projects))


def by_category(con: duckdb.DuckDBPyConnection, knobs: Knobs,
                projects: tuple[str, ...] | None = None) -> pd.DataFrame:
    return queries.run(con, "incidents_by_category", queries.params_for(knobs, projects))


def severe(incidents: pd.DataFrame) -> pd.DataFrame:
    """Incidents of severity 1-2 (SEV1/SEV2, P1/P2, 1 - Critical/2 - High, critical/high)."""
    level = incidents["severity_level"].astype("Float64")
    return incidents[(level <= 2).fillna(False).astype(bool)]


def postmortem_coverage(incidents: pd.DataFrame) -> float | None:
    top = severe(incidents)
    if top.empty:
        return None
    return float(top["has_postmortem"].astype(bool).mean())


def action_items(con: duckdb.DuckDBPyConnection, knobs: Knobs,
                 projects: tuple[str, ...] | None = None) -> pd.DataFrame:
    return queries.run(con, "action_items", queries.params_for(knobs, projects))


def action_item_summary(items: pd.DataFrame, as_of: dt.datetime | None) -> ActionItemSummary:
    total = len(items)
    done = int(items["done"].sum()) if total else 0
    open_items = items[~items["done"].astype(bool)] if total else items
    age = None
    if as_of is not None and len(open_items):
        days = (pd.Timestamp(as_of) - pd.to_datetime(open_items["created"])).dt.total_seconds() / 86400
        age = float(days.median())
    return ActionItemSummary(total, done, (done / total) if total else None, age)


def repeats_with_open_actions(con: duckdb.DuckDBPyConnection, knobs: Knobs,
                              projects: tuple[str, ...] | None = None, *, details: bool = False,
                              table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Recurrences that happened while an earlier incident's action item in their category was open.

    Columns id, title, created, category, in time order. They are the incident table's rows flagged
    `repeat_with_open_actions`; pass `table` (this `incident_table`) when you have it already. With
    `details`, each row also lists those earlier incidents and the action items open at the time.
    """
    if table is None:
        table = incident_table(con, knobs, projects)
    flagged = table["repeat_with_open_actions"].astype(bool) if len(table) else pd.Series(dtype=bool)
    repeats = table.loc[flagged, ["id", "title", "created", "category"]].reset_index(drop=True)
    if not details or repeats.empty:
        return repeats
    params = queries.params_for(knobs, projects)
    extra = queries.run(con, "open_actions_at_repeats", params | {"incident_ids": list(repeats["id"])})
    return repeats.merge(extra, on="id", how="left")
