"""Stability: incident recurrence over time, what each category costs, time to resolve, and follow-through.

The pages "Incidents" and "Follow-through" draw these. The per-incident facts
(category, rule, recurrence, post-mortem) come from `analytics.incidents`;
the functions here slice them by period, category, severity and service, and
add what the incidents cost in unplanned sprint work and what was left open
after them (action items, tech debt). Functions taking a connection run one
SQL file; the others are plain functions of DataFrames.
"""

from __future__ import annotations

import datetime as dt
import re

import duckdb
import numpy as np
import pandas as pd

from analytics import queries
from analytics.config import Knobs
from analytics.incidents import severe

# Labels that mark a work item as tech debt (compared case-insensitively).

PERIODS = ("month", "quarter", "sprint")
OTHER = "other"
NO_SEVERITY = "(none)"
NO_SERVICE = "(no service)"

Projects = tuple[str, ...] | None


class MappingError(ValueError):
    """An edited mapping table that cannot be used; the message says which row and why."""


# --- periods -------------------------------------------------------------------------------------------------

def period_start(created: pd.Series, period: str) -> pd.Series:
    """The first day of the calendar month or quarter each timestamp falls in."""
    freq = {"month": "M", "quarter": "Q"}[period]
    return pd.to_datetime(created).dt.to_period(freq).dt.start_time


def period_label(start: pd.Timestamp, period: str) -> str:
    start = pd.Timestamp(start)
    if period == "quarter":
        return f"{start.year} Q{(start.month - 1) // 3 + 1}"
    return start.strftime("%b %Y")


def sprint_of(created: pd.Series, calendar: pd.DataFrame) -> pd.Series:
    """The sprint whose [start, end] days contain each timestamp's day (the latest-starting one if several).

    `calendar` has columns sprint, start, end (dates, end inclusive); no such sprint gives NA.
    """
    days = pd.to_datetime(created).dt.normalize()
    out = pd.Series(pd.NA, index=created.index, dtype="object")
    if calendar.empty:
        return out
    cal = calendar.assign(start=pd.to_datetime(calendar["start"]), end=pd.to_datetime(calendar["end"]))
    for _, s in cal.sort_values("start").iterrows():
        out[(days >= s["start"]) & (days <= s["end"])] = s["sprint"]
    return out


def _sprint_calendar(calendar: pd.DataFrame | None) -> pd.DataFrame:
    if calendar is None:
        return pd.DataFrame(columns=["sprint", "start", "end"])
    return calendar[["sprint", "start", "end"]].sort_values(["start", "sprint"]).reset_index(drop=True)


def _periods(created: pd.Series, period: str, calendar: pd.DataFrame | None) -> tuple[pd.Series, pd.DataFrame]:
    """(the period label of each timestamp, every period from the first to the last one in order)."""
    if period == "sprint":
        cal = _sprint_calendar(calendar)
        labels = sprint_of(created, cal)
        used = cal[cal["sprint"].isin(set(labels.dropna()))]
        if used.empty:
            return labels, pd.DataFrame(columns=["period", "period_start"])
        span = cal[(cal["start"] >= used["start"].min()) & (cal["start"] <= used["start"].max())]
        return labels, pd.DataFrame({"period": span["sprint"].astype(str).to_list(),
                                     "period_start": pd.to_datetime(span["start"]).to_list()})
    if period not in ("month", "quarter"):
        raise ValueError(f"unknown period {period!r} (one of {', '.join(PERIODS)})")
    starts = period_start(created, period)
    if starts.dropna().empty:
        return starts.astype("object"), pd.DataFrame(columns=["period", "period_start"])
    freq = {"month": "MS", "quarter": "QS"}[period]
    every = pd.date_range(starts.min(), starts.max(), freq=freq)
    labels = starts.map(lambda s: period_label(s, period) if pd.notna(s) else pd.NA)
    return labels, pd.DataFrame({"period": [period_label(s, period) for s in every], "period_start": list(every)})


# --- incidents over time and by category ---------------------------------------------------------------------

def incidents_over_time(table: pd.DataFrame, period: str = "month",
                        calendar: pd.DataFrame | None = None) -> pd.DataFrame:
    """Incidents, recurrences and first occurrences per period and category.

    Every period from the first incident's to the last one's is present for every
    category (zeros included), in time order, so the series have no gaps. With
    period "sprint", incidents created outside every sprint of `calendar` are left
    out (see `outside_sprints`).
    """
    cols = ["period", "period_start", "category", "incidents", "recurrences", "first_occurrences"]
    if table.empty:
        return pd.DataFrame(columns=cols)
    labels, every = _periods(table["created"], period, calendar)
    frame = table.assign(period=labels, rec=table["recurrence"].astype(bool))
    frame = frame[frame["period"].notna()]
    counts = frame.groupby(["period", "category"]).agg(incidents=("id", "count"), recurrences=("rec", "sum"))
    categories = category_order(table)
    grid = every.merge(pd.DataFrame({"category": categories}), how="cross")
    out = grid.merge(counts.reset_index(), on=["period", "category"], how="left")
    out[["incidents", "recurrences"]] = out[["incidents", "recurrences"]].fillna(0).astype(int)
    out["first_occurrences"] = out["incidents"] - out["recurrences"]
    return out[cols].reset_index(drop=True)


def outside_sprints(table: pd.DataFrame, calendar: pd.DataFrame | None) -> int:
    """How many incidents were created on a day no sprint of the calendar covers."""
    if table.empty:
        return 0
    return int(sprint_of(table["created"], _sprint_calendar(calendar)).isna().sum())


def category_order(table: pd.DataFrame) -> list[str]:
    """Categories by recurrences, then incidents (both descending), then name; `other` last."""
    if table.empty:
        return []
    g = table.assign(rec=table["recurrence"].astype(bool)).groupby("category").agg(
        incidents=("id", "count"), recurrences=("rec", "sum")).reset_index()
    g["is_other"] = g["category"] == OTHER
    g = g.sort_values(["is_other", "recurrences", "incidents", "category"], ascending=[True, False, False, True])
    return list(g["category"])


def linked_work(con: duckdb.DuckDBPyConnection, knobs: Knobs, projects: Projects = None) -> pd.DataFrame:
    """Every (incident, linked work item) pair: category, item points/hours, unplanned, completion sprint."""
    return queries.run(con, "incident_linked_work", queries.params_for(knobs, projects))


def category_costs(table: pd.DataFrame, linked: pd.DataFrame) -> pd.DataFrame:
    """Per category: incidents, recurrences, and the unplanned work its incidents caused.

    Unplanned work of a category = work items linked to at least one of its incidents
    (either direction) that are unplanned (the sprint rules) and completed in a sprint
    (they have a completion sprint), each item counted once per category. Sorted by
    recurrences, then unplanned points (both descending), then name.
    """
    cols = ["category", "incidents", "recurrences", "recurrence_rate", "unplanned_points", "unplanned_hours",
            "unplanned_items", "items_without_points", "linked_items"]
    if table.empty:
        return pd.DataFrame(columns=cols)
    base = table.assign(rec=table["recurrence"].astype(bool)).groupby("category").agg(
        incidents=("id", "count"), recurrences=("rec", "sum")).reset_index()
    base["recurrence_rate"] = base["recurrences"] / base["incidents"]
    if linked.empty:
        work = pd.DataFrame(columns=["category", "unplanned_points", "unplanned_hours", "unplanned_items",
                                     "items_without_points", "linked_items"])
    else:
        items = linked.drop_duplicates(["category", "key"])
        counted = items[items["unplanned"].astype(bool) & items["completion_sprint"].notna()]
        work = counted.groupby("category").agg(
            unplanned_points=("points", "sum"), unplanned_hours=("hours", "sum"), unplanned_items=("key", "count"),
            items_without_points=("no_points", "sum")).reset_index()
        work = work.merge(items.groupby("category").size().rename("linked_items").reset_index(),
                          on="category", how="outer")
    out = base.merge(work, on="category", how="left")
    for c in ("unplanned_points", "unplanned_hours"):
        out[c] = out[c].astype(float).fillna(0.0)
    for c in ("unplanned_items", "items_without_points", "linked_items"):
        out[c] = out[c].fillna(0).astype(int)
    out["recurrences"] = out["recurrences"].astype(int)
    out = out.sort_values(["recurrences", "unplanned_points", "category"], ascending=[False, False, True])
    return out[cols].reset_index(drop=True)


# --- time to resolve -----------------------------------------------------------------------------------------

def _p90(values: pd.Series) -> float:
    return float(np.quantile(values.to_numpy(dtype=float), 0.9)) if len(values) else float("nan")


def severity_group(severity: pd.Series) -> list[str]:
    """The severity text as exported (trimmed), or "(none)"."""
    return [NO_SEVERITY if s is None or s is pd.NA or (isinstance(s, float) and np.isnan(s)) or not str(s).strip()
            else str(s).strip() for s in severity.astype("object")]


def resolve_times(table: pd.DataFrame, by: str = "category") -> pd.DataFrame:
    """Hours from created to resolved per category or per severity: n resolved, median, p90, mean, unresolved.

    p90 interpolates linearly (as DuckDB's quantile_cont). By severity, rows are ordered from
    the most severe (level 1) down; incidents without a severity form the group "(none)".
    """
    cols = ["group", "incidents", "resolved", "unresolved", "median_hours", "p90_hours", "mean_hours"]
    if table.empty:
        return pd.DataFrame(columns=cols)
    if by == "category":
        frame = table.assign(group=table["category"])
        order = category_order(table)
    elif by == "severity":
        frame = table.assign(group=severity_group(table["severity"]))
        levels = frame.assign(level=frame["severity_level"].astype("Float64").fillna(99)).groupby("group")["level"].min()
        order = sorted(levels.index, key=lambda g: (levels[g], g == NO_SEVERITY, g))
    else:
        raise ValueError(f"unknown grouping {by!r} (category or severity)")
    rows = []
    for group in order:
        part = frame[frame["group"] == group]
        hours = part["hours_to_resolve"].astype("Float64").dropna().astype(float)
        rows.append({"group": group, "incidents": len(part), "resolved": len(hours),
                     "unresolved": len(part) - len(hours),
                     "median_hours": float(hours.median()) if len(hours) else None,
                     "p90_hours": _p90(hours) if len(hours) else None,
                     "mean_hours": float(hours.mean()) if len(hours) else None})
    return pd.DataFrame(rows, columns=cols)


# --- per service ---------------------------------------------------------------------------------------------

def has_services(table: pd.DataFrame) -> bool:
    return bool(len(table)) and bool(table["service"].notna().any())


def by_service(table: pd.DataFrame) -> pd.DataFrame:
    """Per service: incidents, recurrences, rate, median and p90 hours to resolve, and incidents per category.

    Incidents without a service form "(no service)". Ordered by incidents, then name.
    """
    if table.empty:
        return pd.DataFrame(columns=["service", "incidents", "recurrences", "recurrence_rate", "median_hours",
                                     "p90_hours"])
    frame = table.assign(service=table["service"].fillna(NO_SERVICE), rec=table["recurrence"].astype(bool))
    rows = []
    for service, part in frame.groupby("service"):
        hours = part["hours_to_resolve"].astype("Float64").dropna().astype(float)
        rows.append({"service": service, "incidents": len(part), "recurrences": int(part["rec"].sum()),
                     "recurrence_rate": float(part["rec"].mean()),
                     "median_hours": float(hours.median()) if len(hours) else None,
                     "p90_hours": _p90(hours) if len(hours) else None})
    out = pd.DataFrame(rows)
    per_cat = pd.crosstab(frame["service"], frame["category"]).reindex(columns=category_order(table), fill_value=0)
    out = out.merge(per_cat.reset_index(), on="service", how="left")
    return out.sort_values(["incidents", "service"], ascending=[False, True]).reset_index(drop=True)


# --- the keyword table ---------------------------------------------------------------------------------------

def keyword_rows(category_keywords: tuple[tuple[str, tuple[str, ...]], ...]) -> pd.DataFrame:
    """The keyword table as rows for an editor: category, comma-separated keywords, in priority order."""
    return pd.DataFrame({"category": [c for c, _ in category_keywords],
                         "keywords": [", ".join(words) for _, words in category_keywords]},
                        columns=["category", "keywords"])


def _cell(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    return " ".join(str(value).split())


def keywords_from_rows(rows: pd.DataFrame) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The edited keyword table back as Knobs.category_keywords.

    Blank rows are dropped; keywords are split on commas and trimmed (duplicates
    dropped, order kept); a category named twice keeps its first position and gets
    both rows' keywords. A category without keywords, keywords without a category,
    the reserved name `other` or an empty table raise MappingError.
    """
    out: dict[str, list[str]] = {}
    for n, (_, row) in enumerate(rows.iterrows(), start=1):
        category, words = _cell(row.get("category")), _cell(row.get("keywords"))
        if not category and not words:
            continue
        if not category:
            raise MappingError(f"row {n}: keywords {words!r} have no category")
        if category.lower() == OTHER:
            raise MappingError(f"row {n}: '{OTHER}' is what incidents no row matches get; name the category")
        split = [w.strip() for w in re.split(r"[,\n]", words) if w.strip()]
        if not split:
            raise MappingError(f"row {n}: category {category!r} has no keywords")
        key = next((k for k in out if k.lower() == category.lower()), category)
        bucket = out.setdefault(key, [])
        bucket.extend(w for w in split if w.lower() not in {b.lower() for b in bucket})
    if not out:
        raise MappingError("the table is empty: every incident would be 'other'")
    return tuple((c, tuple(words)) for c, words in out.items())


def unmatched(table: pd.DataFrame) -> pd.DataFrame:
    """Incidents no rule gave a category to (category `other` because nothing matched)."""
    if table.empty:
        return table
    return table[table["category_rule"] == "no rule matched"].reset_index(drop=True)


# --- post-mortems --------------------------------------------------------------------------------------------

def postmortem_coverage_over_time(table: pd.DataFrame, period: str = "quarter") -> pd.DataFrame:
    """Per month or quarter: severity 1-2 incidents, how many have a post-mortem, and the share.

    Periods from the first to the last severity 1-2 incident; a period without any has
    coverage None (nothing to cover), not 0.
    """
    cols = ["period", "period_start", "severe_incidents", "with_postmortem", "coverage"]
    top = severe(table) if len(table) else table
    if top.empty:
        return pd.DataFrame(columns=cols)
    labels, every = _periods(top["created"], period, None)
    frame = top.assign(period=labels, pm=top["has_postmortem"].astype(bool))
    g = frame.groupby("period").agg(severe_incidents=("id", "count"), with_postmortem=("pm", "sum")).reset_index()
    out = every.merge(g, on="period", how="left")
    out[["severe_incidents", "with_postmortem"]] = out[["severe_incidents", "with_postmortem"]].fillna(0).astype(int)
    out["coverage"] = [w / n if n else None for w, n in zip(out["with_postmortem"], out["severe_incidents"])]
    return out[cols]


def severe_without_postmortem(table: pd.DataFrame) -> pd.DataFrame:
    if table.empty:
        return table
    top = severe(table)
    return top[~top["has_postmortem"].astype(bool)].sort_values(["created", "id"]).reset_index(drop=True)


# --- action items --------------------------------------------------------------------------------------------

def _days(later: dt.datetime | pd.Series, earlier: pd.Series) -> pd.Series:
    return (pd.to_datetime(later) - pd.to_datetime(earlier)).dt.total_seconds() / 86400


def action_item_ages(items: pd.DataFrame, as_of: dt.datetime | None) -> pd.DataFrame:
    """Action items with `age_days` (open ones: as-of − created, fractional days), `days_to_done`
    (done ones: resolved − created) and `scheduled` (the item lists a sprint). Open items first,
    oldest first; then done ones by creation."""
    if items.empty:
        return items.assign(age_days=pd.Series(dtype=float), days_to_done=pd.Series(dtype=float),
                            scheduled=pd.Series(dtype=bool))
    done = items["done"].astype(bool)
    age = _days(pd.Timestamp(as_of), items["created"]) if as_of is not None else pd.Series(np.nan, index=items.index)
    out = items.assign(
        age_days=age.where(~done),
        days_to_done=_days(items["resolved"], items["created"]).where(done),
        scheduled=[len(s) > 0 for s in items["sprints"]],
    )
    out["_open"] = ~done
    out = out.sort_values(["_open", "age_days", "created", "key"], ascending=[False, False, True, True])
    return out.drop(columns="_open").reset_index(drop=True)


def forgotten_lists(repeats: pd.DataFrame, table: pd.DataFrame, items: pd.DataFrame,
                    limit: int | None = None) -> pd.DataFrame:
    """Repeats with open actions, each with its earlier incidents and open items spelled out.

    `repeats` is `incidents.repeats_with_open_actions(details=True)`. Adds `earlier` ("id: title"
    per earlier incident) and `open_items` ("key: summary" per item open at the recurrence), and
    their full lengths `earlier_count` and `open_count`. With `limit`, a list longer than that shows
    its first `limit` entries and then "… and N more".
    """
    if repeats.empty:
        return repeats.assign(earlier=pd.Series(dtype=object), open_items=pd.Series(dtype=object),
                              earlier_count=pd.Series(dtype=int), open_count=pd.Series(dtype=int))
    titles = dict(zip(table["id"], table["title"]))
    summaries = dict(zip(items["key"], items["summary"])) if len(items) else {}

    def spell(keys, names):
        keys = list(keys) if keys is not None else []
        shown = keys if limit is None or len(keys) <= limit else keys[:limit]
        out = [f"{k}: {names.get(k, '')}".rstrip(": ") for k in shown]
        return out + ([f"… and {len(keys) - len(shown)} more"] if len(shown) < len(keys) else [])

    def count(lists):
        return [len(x) if x is not None else 0 for x in lists]
    return repeats.assign(
        earlier=[spell(ids, titles) for ids in repeats["earlier_incidents"]],
        open_items=[spell(keys, summaries) for keys in repeats["open_action_items"]],
        earlier_count=count(repeats["earlier_incidents"]),
        open_count=count(repeats["open_action_items"]),
    )


# --- tech debt -----------------------------------------------------------------------------------------------

def tech_debt(con: duckdb.DuckDBPyConnection, knobs: Knobs, projects: Projects = None,
              as_of: dt.datetime | None = None) -> pd.DataFrame:
    """Work items linked to an incident or labelled as debt, with category, rule, and `age_days`
    (open ones: as-of − created, in days; done ones: None)."""
    params = queries.params_for(knobs, projects)
    frame = queries.run(con, "tech_debt_items", params)
    done = frame["done"].astype(bool)
    if as_of is None or frame.empty:
        frame["age_days"] = pd.Series(np.nan, index=frame.index, dtype=float)
    else:
        frame["age_days"] = _days(pd.Timestamp(as_of), frame["created"]).where(~done)
    return frame


def tech_debt_by_category(debt: pd.DataFrame, costs: pd.DataFrame) -> pd.DataFrame:
    """Per category: the debt still open in the backlog (items, points, median and oldest age in days),
    the debt done, and the unplanned points and recurrences the category's incidents caused (the
    business case for paying it down). Ordered by unplanned points caused, then open points."""
    cols = ["category", "open_items", "open_points", "median_age_days", "oldest_age_days", "done_items",
            "unplanned_points", "recurrences"]
    rows = []
    categories = list(dict.fromkeys(list(debt["category"]) if len(debt) else []))
    for cat in categories:
        part = debt[debt["category"] == cat]
        open_ = part[~part["done"].astype(bool)]
        ages = open_["age_days"].astype(float).dropna()
        rows.append({"category": cat, "open_items": len(open_),
                     "open_points": float(open_["points"].astype(float).fillna(0).sum()),
                     "median_age_days": float(ages.median()) if len(ages) else None,
                     "oldest_age_days": float(ages.max()) if len(ages) else None,
                     "done_items": int(part["done"].astype(bool).sum())})
    out = pd.DataFrame(rows, columns=cols[:6])
    cost = costs[["category", "unplanned_points", "recurrences"]] if len(costs) else pd.DataFrame(
        columns=["category", "unplanned_points", "recurrences"])
    out = out.merge(cost, on="category", how="left")
    out["unplanned_points"] = out["unplanned_points"].astype(float).fillna(0.0)
    out["recurrences"] = out["recurrences"].fillna(0).astype(int)
    out = out.sort_values(["unplanned_points", "open_points", "category"], ascending=[False, False, True])
    return out[cols].reset_index(drop=True)
