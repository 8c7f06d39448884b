"""On-call rotation: the shifts, the incidents that landed in them, and whether on-call people are protected.

Per-person figures here exist for load and fairness only: nothing ranks people
by incidents caused or resolved, and every table is in alphabetical order.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from analytics import queries
from analytics.config import Knobs

Projects = tuple[str, ...] | None


def shifts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """person, start, end, hours of every on-call shift, in start order."""
    return queries.run(con, "oncall_rotation", {})


def responder_load(con: duckdb.DuckDBPyConnection, knobs: Knobs, projects: Projects = None) -> pd.DataFrame:
    """Without a schedule: per responder, incidents and the out-of-hours and sleep-hour ones (alphabetical)."""
    return queries.run(con, "responder_load", queries.params_for(knobs, projects))


def hour_bucket(created: pd.Series) -> pd.Series:
    """PagerDuty's buckets: 'sleep hours' (22:00-08:00 any day), else 'out of hours' (not Monday-Friday
    08:00-18:00), else 'business hours'."""
    ts = pd.to_datetime(created)
    hour, weekday = ts.dt.hour, ts.dt.day_of_week  # Monday = 0
    sleep = (hour >= 22) | (hour < 8)
    business = (weekday < 5) & (hour >= 8) & (hour < 18)
    return pd.Series(np.where(sleep, "sleep hours", np.where(business, "business hours", "out of hours")),
                     index=created.index)


def incidents_on_shift(shift_table: pd.DataFrame, incidents: pd.DataFrame) -> pd.DataFrame:
    """Each incident created during a shift (start <= created < end), with the person on that shift and
    its hour bucket; an incident during overlapping shifts appears once per person on call."""
    cols = ["person", "id", "title", "created", "bucket"]
    if shift_table.empty or incidents.empty:
        return pd.DataFrame(columns=cols)
    inc = incidents[["id", "title", "created"]].sort_values("created").reset_index(drop=True)
    created = pd.to_datetime(inc["created"]).to_numpy()
    parts = []
    for person, start, end in shift_table[["person", "start", "end"]].itertuples(index=False):
        lo, hi = np.searchsorted(created, np.datetime64(pd.Timestamp(start)), "left"), \
            np.searchsorted(created, np.datetime64(pd.Timestamp(end)), "left")
        if hi > lo:
            parts.append(inc.iloc[lo:hi].assign(person=person))
    if not parts:
        return pd.DataFrame(columns=cols)
    pairs = pd.concat(parts, ignore_index=True).drop_duplicates(["person", "id"], ignore_index=True)
    pairs = pairs.assign(bucket=hour_bucket(pairs["created"]))
    return pairs[cols].sort_values(["created", "person"]).reset_index(drop=True)


def sprint_points(con: duckdb.DuckDBPyConnection, projects: Projects = None) -> pd.DataFrame:
    """Per person and completed sprint: points completed as assignee, and on-call hours overlapping it."""
    return queries.run(con, "oncall_sprint_points", {"projects": list(projects) if projects else None})


@dataclass(frozen=True)
class Protection:
    """Are on-call people protected from sprint work?

    people: per person on the schedule (alphabetical): on_call_sprints, points_on_call (completed in
      them), points_per_on_call_sprint, points_per_sprint (all completed sprints) and full_load
      (points_per_on_call_sprint >= team_median).
    sprints: per (person, on-call sprint): points, oncall_hours, full_load.
    team_median: the median over people of points completed per sprint (None without any).
    """

    people: pd.DataFrame
    sprints: pd.DataFrame
    team_median: float | None
    completed_sprints: int
    team_people: int
    min_overlap_hours: float


def protection(points: pd.DataFrame, on_call_people: list[str], min_overlap_hours: float = 0.0) -> Protection:
    """On-call load against the team's per-person median.

    - A sprint is an **on-call sprint** of a person when their shifts overlap it by more than
      `min_overlap_hours` (0: any overlap).
    - points_per_on_call_sprint = points of items they were assignee of and that completed in
      their on-call sprints / the number of those sprints.
    - team_median = the median over people (assignees who completed at least one item in a
      completed sprint) of their points completed per completed sprint (total / number of
      completed sprints).
    - full_load: points_per_on_call_sprint >= team_median (the person carried a full sprint load
      while on call); per sprint likewise.
    """
    n_sprints = points["sprint"].nunique() if len(points) else 0
    totals = points.groupby("person")["points"].sum() if len(points) else pd.Series(dtype=float)
    contributors = totals[points.groupby("person")["items"].sum() > 0] if len(points) else totals
    team_median = float((contributors / n_sprints).median()) if len(contributors) and n_sprints else None
    on = points[(points["oncall_hours"] > min_overlap_hours) & points["on_call"].astype(bool)] if len(points) \
        else points
    rows = []
    for person in sorted(on_call_people, key=str.casefold):
        mine = on[on["person"] == person]
        n = len(mine)
        per = float(mine["points"].sum() / n) if n else None
        rows.append({"person": person, "on_call_sprints": n, "points_on_call": float(mine["points"].sum()),
                     "points_per_on_call_sprint": per,
                     "points_per_sprint": float(totals.get(person, 0.0) / n_sprints) if n_sprints else None,
                     "full_load": bool(per is not None and team_median is not None and per >= team_median)})
    people = pd.DataFrame(rows, columns=["person", "on_call_sprints", "points_on_call", "points_per_on_call_sprint",
                                         "points_per_sprint", "full_load"])
    detail = on[on["person"].isin(on_call_people)][["person", "sprint", "start_date", "end_date", "oncall_hours",
                                                    "points", "items"]].copy()
    detail["full_load"] = [team_median is not None and p >= team_median for p in detail["points"]]
    detail = detail.sort_values(["person", "start_date"], key=lambda s: s.str.casefold() if s.name == "person"
                                else s).reset_index(drop=True)
    return Protection(people, detail, team_median, int(n_sprints), int(len(contributors)), float(min_overlap_hours))


def alphabetical(frame: pd.DataFrame, column: str = "person") -> pd.DataFrame:
    """People in alphabetical order (case-insensitive): never by incident counts."""
    if frame.empty:
        return frame
    return frame.sort_values(column, key=lambda s: s.astype(str).str.casefold()).reset_index(drop=True)
