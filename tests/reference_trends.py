"""The pandas computation the planning pages used before their figures moved to SQL (analytics.trends'
`completed_work`, `why_unplanned_in`, `rule_options`, `hours_recorded`), kept here as an independent reference:
it works on `sprints.classified_items`, one row per work item, so it is checked on hand-worked data
(tests/test_trends.py) and the SQL aggregates are checked against it (tests/test_planning_sql.py).
"""

from __future__ import annotations

import pandas as pd

from analytics.trends import (BREAKDOWNS, NONE_VALUE, POINTS_OPTIONS, RULES, HoursSummary, RuleBreakdown,
                              RuleOptions, _largest_first, _with_share, hours_summary)


def counted_points(items: pd.DataFrame, mode: str = "zero", default_points: float = 0.0) -> pd.DataFrame:
    """The classified items with `counted_points`: their points, or for an item without points
    0 (METRICS.md, the default), `default_points`, or its hours spent (1 hour = 1 point; none = 0)."""
    if mode not in POINTS_OPTIONS:
        raise ValueError(f"mode must be one of {POINTS_OPTIONS}, got {mode!r}")
    points = items["points"].astype(float)
    if mode == "zero":
        fill = pd.Series(0.0, index=items.index)
    elif mode == "default":
        fill = pd.Series(float(default_points), index=items.index)
    else:
        fill = items["time_spent_hours"].astype(float).fillna(0.0)
    return items.assign(counted_points=points.where(points.notna(), fill).astype(float))


def completed_sums(items: pd.DataFrame) -> pd.DataFrame:
    """Per completion sprint: planned done and unplanned (counted) points and items, and items without points.

    `items` comes from `counted_points` (without that column, points count as METRICS.md's 0).
    """
    if "counted_points" not in items:
        items = counted_points(items)
    done = items[items["completion_sprint"].notna()]
    planned, unplanned, no_points = ~done["unplanned"], done["unplanned"], done["points"].isna()
    frame = pd.DataFrame({
        "sprint": done["completion_sprint"].astype(str),
        "planned_done_points": done["counted_points"].where(planned, 0.0),
        "unplanned_points": done["counted_points"].where(unplanned, 0.0),
        "planned_done_items": planned.astype(int),
        "unplanned_items": unplanned.astype(int),
        "planned_without_points": (planned & no_points).astype(int),
        "unplanned_without_points": (unplanned & no_points).astype(int),
    })
    return _with_share(frame.groupby("sprint", sort=False).sum().reset_index())


def unplanned_in(items: pd.DataFrame, sprints: list[str]) -> pd.DataFrame:
    """Unplanned items completed in one of `sprints`, with `counted_points` (METRICS.md's when absent)."""
    if "counted_points" not in items:
        items = counted_points(items)
    return items[items["unplanned"] & items["completion_sprint"].isin(list(sprints))]


def rule_breakdown(items: pd.DataFrame, sprints: list[str]) -> RuleBreakdown:
    """Why the unplanned items completed in `sprints` were unplanned.

    Two counts per rule: every item the rule matches (an item matching several rules counts under
    each, so these add up to more than the total), and items whose *first* matching rule it is
    (type, then label, then added mid-sprint: these add up to the total).
    """
    chosen = unplanned_in(items, sprints)
    flags = chosen[[column for column, _ in RULES]].astype(bool)
    first = flags.astype(int).idxmax(axis=1) if len(chosen) else pd.Series(dtype=str)
    rows = []
    for column, name in RULES:
        hit = flags[column]
        is_first = first == column
        rows.append({"rule": name, "items": int(hit.sum()), "points": float(chosen["counted_points"][hit].sum()),
                     "first_items": int(is_first.sum()),
                     "first_points": float(chosen["counted_points"][is_first].sum())})
    return RuleBreakdown(pd.DataFrame(rows), len(chosen), float(chosen["counted_points"].sum()),
                         int((flags.sum(axis=1) > 1).sum()))


def unplanned_by(items: pd.DataFrame, sprints: list[str], dimension: str) -> pd.DataFrame:
    """Unplanned items completed in `sprints` per type, component or label: value, items, points.

    An item with several components (labels) counts under each; one with none under '(none)'.
    Largest points first.
    """
    column = BREAKDOWNS[dimension]
    chosen = unplanned_in(items, sprints)[[column, "counted_points"]]
    if column != "type":
        chosen = chosen.assign(**{column: chosen[column].map(
            lambda v: list(v) if v is not None and len(v) else [NONE_VALUE])}).explode(column)
    values = chosen[column].astype(object).where(chosen[column].notna(), NONE_VALUE).astype(str)
    frame = pd.DataFrame({"value": values, "points": chosen["counted_points"].astype(float)})
    out = frame.groupby("value").agg(items=("points", "size"), points=("points", "sum")).reset_index()
    return _largest_first(out)


def rule_options_of(items: pd.DataFrame) -> RuleOptions:
    """The same from classified items (the reference `rule_options` is tested against)."""
    return RuleOptions([str(t) for t in items["type"].dropna().unique()],
                       sorted({str(label) for ls in items["labels"] if ls is not None for label in ls}))


def unplanned_hours_summary(window: pd.DataFrame, items: pd.DataFrame) -> HoursSummary:
    """Median and p80 (linear interpolation) of unplanned hours per window sprint, when time is recorded."""
    in_window = items[items["completion_sprint"].isin(list(window["sprint"]))]
    return hours_summary(window, bool(in_window["time_spent_hours"].notna().any()))
