"""The stability pages' Streamlit side: cached analytics, the mapping editors and the explanation texts.

Caching follows `ui.cache`: every entry is keyed by (store path, data_version,
the knobs the computation reads, projects), and a computation that runs takes
its own cursor from the shared connection. The text builders are plain
functions of analytics results, so page tests can compare them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd
import streamlit as st

from analytics import dod, incidents, next_steps, oncall, rotation, stability, stability_charts
from analytics.config import Knobs
from analytics.exports import formula_safe_csv
from analytics.stability import MappingError
from ui import cache
from ui.cache import INCIDENT_KNOBS, SERIES_KNOBS, only
from ui.controls import reset_knobs, set_knobs
from ui.explain import DASH, day, md, num, plural
from ui.state import Db

Projects = tuple[str, ...] | None


# --- cached analytics ----------------------------------------------------------------------------------------

@st.cache_data(show_spinner=False, max_entries=64)
def _incident_table(_con: duckdb.DuckDBPyConnection, path: str, version: int, knobs: Knobs,
                    projects: Projects) -> pd.DataFrame:
    with _con.cursor() as cur:
        return incidents.incident_table(cur, knobs, projects)


@st.cache_data(show_spinner=False, max_entries=64)
def _linked_work(_con, path: str, version: int, knobs: Knobs, projects: Projects) -> pd.DataFrame:
    with _con.cursor() as cur:
        return stability.linked_work(cur, knobs, projects)


@st.cache_data(show_spinner=False, max_entries=64)
def _action_items(_con, path: str, version: int, knobs: Knobs, projects: Projects) -> pd.DataFrame:
    with _con.cursor() as cur:
        return incidents.action_items(cur, knobs, projects)


@st.cache_data(show_spinner=False, max_entries=64)
def _repeats(_con, path: str, version: int, knobs: Knobs, projects: Projects) -> pd.DataFrame:
    # the ids only (a cheap cache hit); the details (lists per repeat) are spelled out by _forgotten
    table = _incident_table(_con, path, version, knobs, projects)
    with _con.cursor() as cur:
        return incidents.repeats_with_open_actions(cur, knobs, projects, table=table)


# The backlog and action-item tables show this many rows (the oldest first); the downloads have all of them.
BACKLOG_ROWS = 500
OPEN_ACTION_COLUMNS = ["key", "summary", "status", "age_days", "scheduled", "incidents", "points"]
ACTION_COLUMNS = ["key", "type", "summary", "status", "done", "created", "resolved", "age_days", "days_to_done",
                  "sprints", "incidents"]
BACKLOG_COLUMNS = ["key", "summary", "status", "category", "category_rule", "age_days", "points", "incidents",
                   "labels"]
# A cell of the repeats table lists this many earlier incidents / open items, then "… and N more".
LIST_LIMIT = 20


@dataclass(frozen=True)
class DebtView:
    """What the tech-debt section draws: small, so a cache hit is cheap even when the debt is not."""
    items: int                   # debt items, open and done
    by_category: pd.DataFrame    # stability.tech_debt_by_category
    caption: str                 # debt_caption
    backlog: pd.DataFrame        # the BACKLOG_ROWS oldest open items, BACKLOG_COLUMNS, lists joined
    backlog_total: int           # every open item


def _backlog(debt: pd.DataFrame) -> pd.DataFrame:
    backlog = debt[~debt["done"].astype(bool)].sort_values(["age_days", "key"], ascending=[False, True])
    return backlog.assign(incidents=backlog["incident_ids"].map(joined),
                          labels=backlog["labels"].map(joined))[BACKLOG_COLUMNS]


@st.cache_data(show_spinner=False, max_entries=16)
def _debt_view(_con, path: str, version: int, knobs: Knobs, projects: Projects,
               as_of: dt.datetime | None) -> DebtView:
    # The debt table itself (one row per item: 180,000 at 1M items) is not cached: unpickling it on each
    # rerun would cost seconds. Only what the page draws is.
    incident_knobs = only(knobs, INCIDENT_KNOBS)
    with _con.cursor() as cur:
        debt = stability.tech_debt(cur, incident_knobs, projects, as_of)
    if debt.empty:
        return DebtView(0, pd.DataFrame(), "", pd.DataFrame(columns=BACKLOG_COLUMNS), 0)
    costs = _category_costs(_con, path, version, knobs, projects)
    backlog = _backlog(debt)
    return DebtView(len(debt), stability.tech_debt_by_category(debt, costs), debt_caption(debt),
                    backlog.head(BACKLOG_ROWS).reset_index(drop=True), len(backlog))


@dataclass(frozen=True)
class ActionView:
    """What the action-item section draws, built once per data version and settings."""
    summary: incidents.ActionItemSummary
    caption: str                 # action_items_caption
    open_rows: pd.DataFrame      # the BACKLOG_ROWS oldest open items, OPEN_ACTION_COLUMNS
    open_total: int
    rows: pd.DataFrame           # the first BACKLOG_ROWS of every item (open ones first), ACTION_COLUMNS


def _action_rows(ages: pd.DataFrame) -> pd.DataFrame:
    return ages.assign(incidents=ages["incident_ids"].map(joined), sprints=ages["sprints"].map(joined))


@st.cache_data(show_spinner=False, max_entries=16)
def _action_view(_con, path: str, version: int, knobs: Knobs, projects: Projects,
                 as_of: dt.datetime | None) -> ActionView:
    items = _action_items(_con, path, version, knobs, projects)
    ages = stability.action_item_ages(items, as_of)
    rows = _action_rows(ages)
    open_rows = rows[~rows["done"].astype(bool)]
    return ActionView(incidents.action_item_summary(items, as_of), action_items_caption(ages, as_of),
                      open_rows[OPEN_ACTION_COLUMNS].head(BACKLOG_ROWS).reset_index(drop=True), len(open_rows),
                      rows[ACTION_COLUMNS].head(BACKLOG_ROWS).reset_index(drop=True))


@st.cache_data(show_spinner=False, max_entries=4)
def _actions_csv(_con, path: str, version: int, knobs: Knobs, projects: Projects,
                 as_of: dt.datetime | None) -> bytes:
    ages = stability.action_item_ages(_action_items(_con, path, version, knobs, projects), as_of)
    return formula_safe_csv(_action_rows(ages)[ACTION_COLUMNS])


def action_view(db: Db, knobs: Knobs, projects: Projects) -> ActionView:
    return _action_view(db.shared, db.path, db.version, only(knobs, INCIDENT_KNOBS), projects,
                        cache.data_as_of(db))


def action_chart(db: Db, knobs: Knobs, projects: Projects):
    """The age chart of the open action items (stability_charts.action_age_chart), `cache.figure`."""
    knobs, as_of = only(knobs, INCIDENT_KNOBS), cache.data_as_of(db)

    def build():
        items = _action_items(db.shared, db.path, db.version, knobs, projects)
        return stability_charts.action_age_chart(stability.action_item_ages(items, as_of))
    return cache.figure("action ages", (db.path, db.version, knobs, projects, as_of), build)


def actions_csv(db: Db, knobs: Knobs, projects: Projects):
    """A callable for st.download_button: the CSV of every action item, built only when clicked."""
    args = (db.shared, db.path, db.version, only(knobs, INCIDENT_KNOBS), projects, cache.data_as_of(db))
    return lambda: _actions_csv(*args)


@st.cache_data(show_spinner=False, max_entries=4)
def _backlog_csv(_con, path: str, version: int, knobs: Knobs, projects: Projects,
                 as_of: dt.datetime | None) -> bytes:
    with _con.cursor() as cur:
        return formula_safe_csv(_backlog(stability.tech_debt(cur, knobs, projects, as_of)))


@st.cache_data(show_spinner=False, max_entries=16)
def _shifts(_con, path: str, version: int) -> pd.DataFrame:
    with _con.cursor() as cur:
        return rotation.shifts(cur)


@st.cache_data(show_spinner=False, max_entries=16)
def _oncall_load(_con, path: str, version: int, projects: Projects) -> pd.DataFrame:
    with _con.cursor() as cur:
        return oncall.oncall_load(cur, Knobs(), projects)


@st.cache_data(show_spinner=False, max_entries=16)
def _responder_load(_con, path: str, version: int, projects: Projects) -> pd.DataFrame:
    with _con.cursor() as cur:
        return rotation.responder_load(cur, Knobs(), projects)


@st.cache_data(show_spinner=False, max_entries=16)
def _sprint_points(_con, path: str, version: int, projects: Projects) -> pd.DataFrame:
    with _con.cursor() as cur:
        return rotation.sprint_points(cur, projects)


def incident_table(db: Db, knobs: Knobs, projects: Projects) -> pd.DataFrame:
    return _incident_table(db.shared, db.path, db.version, only(knobs, INCIDENT_KNOBS), projects)


@st.cache_data(show_spinner=False, max_entries=64)
def _category_costs(_con, path: str, version: int, knobs: Knobs, projects: Projects) -> pd.DataFrame:
    # small (one row per category); the linked work it sums is one row per incident-item pair
    return stability.category_costs(_incident_table(_con, path, version, only(knobs, INCIDENT_KNOBS), projects),
                                    _linked_work(_con, path, version, knobs, projects))


def category_costs(db: Db, knobs: Knobs, projects: Projects) -> pd.DataFrame:
    return _category_costs(db.shared, db.path, db.version, only(knobs, INCIDENT_KNOBS, SERIES_KNOBS), projects)


@st.cache_data(show_spinner=False, max_entries=64)
def _over_time(_con, path: str, version: int, knobs: Knobs, projects: Projects, period: str):
    table = _incident_table(_con, path, version, only(knobs, INCIDENT_KNOBS), projects)
    calendar = None
    if period == "sprint":
        calendar = cache._series(_con, path, version, only(knobs, SERIES_KNOBS), projects)[["sprint", "start", "end"]]
    over_time = stability.incidents_over_time(table, period, calendar)
    return over_time, stability.outside_sprints(table, calendar) if calendar is not None else 0


def over_time(db: Db, knobs: Knobs, projects: Projects, period: str):
    """(incidents per period and category, its chart or None, incidents outside every sprint), cached."""
    args = (db.shared, db.path, db.version, only(knobs, INCIDENT_KNOBS, SERIES_KNOBS), projects, period)
    frame, outside = _over_time(*args)
    chart = cache.figure("incidents over time", args[1:],
                         lambda: stability_charts.incidents_over_time_chart(frame, period)) if len(frame) else None
    return frame, chart, outside


@st.cache_data(show_spinner=False, max_entries=64)
def _resolve_times(_con, path: str, version: int, knobs: Knobs, projects: Projects):
    table = _incident_table(_con, path, version, knobs, projects)
    return stability.resolve_times(table, "category"), stability.resolve_times(table, "severity")


def resolve_view(db: Db, knobs: Knobs, projects: Projects, by: str):
    """(time to resolve per category, per severity, the distribution chart per `by`), cached."""
    args = (db.shared, db.path, db.version, only(knobs, INCIDENT_KNOBS), projects)
    by_category, by_severity = _resolve_times(*args)

    def build():
        groups = list((by_category if by == "category" else by_severity)["group"])
        return stability_charts.resolve_time_chart(_incident_table(*args), groups, by)
    return by_category, by_severity, cache.figure("time to resolve", (*args[1:], by), build)


@st.cache_data(show_spinner=False, max_entries=64)
def _open_follow_ups(_con, path: str, version: int, knobs: Knobs, projects: Projects) -> pd.DataFrame:
    # Only the small per-category counts are cached for the Overview: a cache hit unpickles its
    # value, and the full action-item table (lists per row) costs a second to unpickle at 1M items.
    return next_steps.open_follow_ups_by_category(_action_items(_con, path, version, knobs, projects),
                                                  _incident_table(_con, path, version, knobs, projects))


def open_follow_ups(db: Db, knobs: Knobs, projects: Projects) -> pd.DataFrame:
    """Open post-incident action items per incident category (for the Overview's next steps)."""
    return _open_follow_ups(db.shared, db.path, db.version, only(knobs, INCIDENT_KNOBS), projects)


def repeats(db: Db, knobs: Knobs, projects: Projects) -> pd.DataFrame:
    return _repeats(db.shared, db.path, db.version, only(knobs, INCIDENT_KNOBS), projects)


def debt_view(db: Db, knobs: Knobs, projects: Projects) -> DebtView:
    return _debt_view(db.shared, db.path, db.version, only(knobs, INCIDENT_KNOBS, SERIES_KNOBS), projects,
                      cache.data_as_of(db))


def backlog_csv(db: Db, knobs: Knobs, projects: Projects):
    """A callable for st.download_button: the CSV of every open debt item, built only when clicked."""
    args = (db.shared, db.path, db.version, only(knobs, INCIDENT_KNOBS), projects, cache.data_as_of(db))
    return lambda: _backlog_csv(*args)


@st.cache_data(show_spinner=False, max_entries=16)
def _forgotten(_con, path: str, version: int, knobs: Knobs, projects: Projects) -> tuple[pd.DataFrame, int, bool]:
    table = _incident_table(_con, path, version, knobs, projects)
    with _con.cursor() as cur:
        repeats = incidents.repeats_with_open_actions(cur, knobs, projects, details=True, table=table)
    spelled = stability.forgotten_lists(repeats, table, _action_items(_con, path, version, knobs, projects),
                                        limit=LIST_LIMIT)
    cut = bool(((spelled["open_count"] > LIST_LIMIT) | (spelled["earlier_count"] > LIST_LIMIT)).any())
    shown = spelled[FORGOTTEN_COLUMNS].tail(BACKLOG_ROWS).reset_index(drop=True)
    return shown, len(spelled), cut


FORGOTTEN_COLUMNS = ["id", "created", "category", "title", "open_items", "earlier"]


def forgotten(db: Db, knobs: Knobs, projects: Projects) -> tuple[pd.DataFrame, int, bool]:
    """The repeats with open actions spelled out: (the latest BACKLOG_ROWS of them in time order,
    FORGOTTEN_COLUMNS; how many there are; whether a cell's list was cut after LIST_LIMIT entries)."""
    return _forgotten(db.shared, db.path, db.version, only(knobs, INCIDENT_KNOBS), projects)


def shifts(db: Db) -> pd.DataFrame:
    return _shifts(db.shared, db.path, db.version)


def oncall_load(db: Db, projects: Projects) -> pd.DataFrame:
    return rotation.alphabetical(_oncall_load(db.shared, db.path, db.version, projects))


def responder_load(db: Db, projects: Projects) -> pd.DataFrame:
    return rotation.alphabetical(_responder_load(db.shared, db.path, db.version, projects))


def sprint_points(db: Db, projects: Projects) -> pd.DataFrame:
    return _sprint_points(db.shared, db.path, db.version, projects)


# --- the keyword table editor (Incidents page) ---------------------------------------------------------------

KW_REV = "fb.kw_editor_rev"


def keyword_editor(knobs: Knobs) -> None:
    """The category keyword table as an editable table; Apply keeps it for the session on every page."""
    rev = st.session_state.get(KW_REV, 0)
    edited = st.data_editor(
        stability.keyword_rows(knobs.category_keywords), key=f"w.kw_editor.{rev}", num_rows="dynamic",
        hide_index=True, width="stretch",
        column_config={
            "category": st.column_config.TextColumn("Category", help="Rows are tried top to bottom.", width="small"),
            "keywords": st.column_config.TextColumn("Keywords (comma-separated)", width="large"),
        },
    )
    apply, reset, _ = st.columns([1, 1, 4])
    if apply.button("Apply mapping", key="w.kw_apply", type="primary", icon=":material/check:"):
        try:
            set_knobs(category_keywords=stability.keywords_from_rows(edited))
        except MappingError as exc:
            st.error(md(str(exc)), icon=":material/error:")
        else:
            st.session_state[KW_REV] = rev + 1
            st.rerun()
    if reset.button("Reset to defaults", key="w.kw_reset", icon=":material/restart_alt:"):
        reset_knobs("category_keywords")
        st.session_state[KW_REV] = rev + 1
        st.rerun()


# --- the DoD mapping editor (Follow-through page) ------------------------------------------------------------

DOD_MAPPING = "fb.dod_mapping"
DOD_REV = "fb.dod_editor_rev"


def dod_mapping() -> tuple[tuple[str, str], ...]:
    """The category -> DoD item mapping of this session (the defaults until edited)."""
    return st.session_state.get(DOD_MAPPING, dod.DEFAULT_DOD)


def dod_editor(categories: list[str]) -> None:
    rev = st.session_state.get(DOD_REV, 0)
    edited = st.data_editor(
        dod.mapping_rows(dod_mapping(), categories), key=f"w.dod_editor.{rev}", num_rows="dynamic",
        hide_index=True, width="stretch",
        column_config={"category": st.column_config.TextColumn("Category", width="small"),
                       "dod_item": st.column_config.TextColumn("Definition-of-Done item", width="large")},
    )
    apply, reset, _ = st.columns([1, 1, 4])
    if apply.button("Apply mapping", key="w.dod_apply", type="primary", icon=":material/check:"):
        try:
            st.session_state[DOD_MAPPING] = dod.mapping_from_rows(edited)
        except MappingError as exc:
            st.error(md(str(exc)), icon=":material/error:")
        else:
            st.session_state[DOD_REV] = rev + 1
            st.rerun()
    if reset.button("Reset to defaults", key="w.dod_reset", icon=":material/restart_alt:"):
        st.session_state.pop(DOD_MAPPING, None)
        st.session_state[DOD_REV] = rev + 1
        st.rerun()


# --- small helpers -------------------------------------------------------------------------------------------

def period_choice(options: tuple[str, ...], key: str, default: str, label: str = "Per") -> str:
    """A horizontal radio for the time bucket; the choice is kept in a plain session key."""
    kept = f"fb.{key.removeprefix('w.')}"
    if st.session_state.get(kept) not in options:
        st.session_state[kept] = default

    def remember() -> None:
        st.session_state[kept] = st.session_state[key]
    return st.radio(label, options, index=options.index(st.session_state[kept]), key=key, horizontal=True,
                    format_func=str.capitalize, on_change=remember)


def joined(values) -> str:
    """A list cell as one line of text for a table."""
    return ", ".join(str(v) for v in (values if values is not None else []))


def days(value: float | None) -> str:
    return DASH if value is None or pd.isna(value) else f"{num(value, 0)} days"


def who(projects: Projects) -> str:
    return ", ".join(md(p) for p in projects) if projects else "all projects"


# --- texts: Incidents ----------------------------------------------------------------------------------------

def incident_scope(table: pd.DataFrame, knobs: Knobs, projects: Projects) -> str:
    origin = "the incident export" if (table["origin"] == "incident export").any() else (
        "work items of type Incident (no incident export was imported)")
    return (f"{plural(len(table), 'incident')} from {origin}, created {day(table['created'].min())} – "
            f"{day(table['created'].max())} · recurrence window {knobs.recurrence_days} days (sidebar) · "
            f"{who(projects)}")


def over_time_caption(frame: pd.DataFrame, period: str, outside: int, knobs: Knobs) -> str:
    periods = frame["period"].nunique() if len(frame) else 0
    text = (f"Incidents created per {period}, one panel per category (most recurrences first), over "
            f"{plural(periods, period)}. Hatched vermillion: recurrences, incidents with an earlier incident of the "
            f"same category created at most {knobs.recurrence_days} days before; blue: the others.")
    if period == "sprint" and outside:
        text += f" {plural(outside, 'incident')} created on a day no sprint covers {'is' if outside == 1 else 'are'} " \
                "not shown."
    return text


def cost_caption(costs: pd.DataFrame) -> str:
    items = int(costs["unplanned_items"].sum()) if len(costs) else 0
    no_points = int(costs["items_without_points"].sum()) if len(costs) else 0
    return (f"Categories ranked by recurrences, then by the unplanned points their incidents caused. **Unplanned "
            f"points caused** by a category = the points of the work items linked to at least one of its incidents "
            f"(the incident names the item, or the item links the incident) that are *unplanned* (the sprint rules "
            f"in the sidebar's settings) and *completed in a sprint* (resolved on a day of a sprint they list), each "
            f"item counted once per category; {plural(items, 'item')} in all, {no_points} without points (counted "
            f"as 0). An item linked to incidents of two categories counts in both.")


def incidents_how(knobs: Knobs) -> list[str]:
    return [
        "Incidents come from the incident export, or from work items of type Incident when none was imported.",
        "**Category**, first that applies: the incident's own category field; a label or component that names a "
        "category; the first row of the keyword table (below) with a keyword in the title, labels or components "
        "(ignoring case); else `other`.",
        f"**Recurrence**: an earlier incident of the same category was created at most {knobs.recurrence_days} "
        "days before it (the sidebar's recurrence window). **Recurrence rate** = recurrences / incidents.",
        "**Time to resolve** = resolved − created, in hours; the median and the 90th percentile (linear "
        "interpolation) with n = the resolved incidents. Unresolved incidents are counted but have no time.",
        "Incidents are counted per category, severity and service, never per person.",
    ]


def resolve_caption(times: pd.DataFrame, by: str) -> str:
    resolved = int(times["resolved"].sum()) if len(times) else 0
    unresolved = int(times["unresolved"].sum()) if len(times) else 0
    text = (f"Hours from created to resolved per {by}: median and p90 over the {plural(resolved, 'resolved incident')}"
            f" (n per row). Each point is one incident; the box spans the middle half, the line in it is the median.")
    if unresolved:
        text += f" {plural(unresolved, 'incident')} not resolved yet {'is' if unresolved == 1 else 'are'} left out."
    return text


# --- texts: Follow-through -----------------------------------------------------------------------------------

def coverage_caption(coverage: pd.DataFrame, total_severe: int, period: str) -> str:
    return (f"Share of severity 1–2 incidents (SEV1/SEV2, P1/P2, `1 - Critical`/`2 - High`, critical/high) created in "
            f"each {period} that have a post-mortem; each bar is labelled *with / n*. {plural(total_severe, 'incident')}"
            f" of severity 1–2 in all.")


def postmortem_how() -> list[str]:
    return [
        "**Post-mortem**: the incident export's own field when set; otherwise a work item of type "
        "`Post-incident review`, `Postmortem` or `Post-mortem` linked to the incident in either direction, or the "
        "incident's label `postmortem-done`.",
        "**Severity** comes from the severity field (Jira `Custom field (Severity)`, ADO `Severity`, PagerDuty "
        "`priority_name`), and from priority only when the source has no severity at all.",
        "A period without a severity 1–2 incident has no coverage (nothing to cover), not 0 %.",
    ]


def action_items_caption(ages: pd.DataFrame, as_of: dt.datetime | None) -> str:
    open_ = ages[~ages["done"].astype(bool)] if len(ages) else ages
    unscheduled = int((~open_["scheduled"].astype(bool)).sum()) if len(open_) else 0
    return (f"{plural(len(ages), 'action item')}, {plural(len(open_), 'open one')}; age = days from creation to "
            f"the data's as-of moment ({day(as_of)}). {unscheduled} of the open ones are not in any sprint (never "
            "scheduled).")


def action_items_how() -> list[str]:
    return [
        "**Action items**: work items other than the post-mortem documents that are linked to an incident (either "
        "direction, e.g. Jira's `PagerDuty Incident` field) or labelled `postmortem` / `incident-followup`.",
        "**Done** = resolved. **Completion rate** = done / all. **Open median age** = the median of (as-of − "
        "created) over the open ones, in fractional days; the as-of moment is the latest created or resolved "
        "time in the work items.",
        "**Scheduled** = the item lists at least one sprint.",
    ]


def repeats_caption(repeats: pd.DataFrame, knobs: Knobs) -> str:
    return (f"{plural(len(repeats), 'recurrence')} happened while an action item from an earlier incident of the "
            f"same category (any time before) was still open: created on or before the recurrence and not resolved "
            f"by then. Recurrence window: {knobs.recurrence_days} days.")


def debt_caption(debt: pd.DataFrame) -> str:
    open_ = debt[~debt["done"].astype(bool)] if len(debt) else debt
    linked = int((open_["incident_ids"].map(len) > 0).sum()) if len(open_) else 0
    labelled = int(open_["debt_label"].astype(bool).sum()) if len(open_) else 0
    return (f"{plural(len(open_), 'open item')} in the backlog ({linked} linked to an incident, {labelled} labelled "
            f"`tech-debt`, `techdebt` or `debt`; some are both); {len(debt) - len(open_)} more are done. The hatched "
            "bar is the business case: the unplanned points the category's incidents caused.")


def debt_how() -> list[str]:
    return [
        "**Tech debt from incidents**: work items other than post-mortem documents that are linked to an incident "
        "(either direction) or carry a label `tech-debt`, `techdebt` or `debt` (ignoring case). **In the backlog** = "
        "not resolved.",
        "**Category**: that of the latest incident the item is linked to; else a label or component naming a "
        "category; else the first keyword-table row with a keyword in its summary, labels or components; else "
        "`other`.",
        "**Age** = days from creation to the data's as-of moment. **Unplanned points caused** as on the Incidents "
        "page: unplanned items linked to the category's incidents, completed in a sprint.",
    ]


def dod_caption(gaps: pd.DataFrame, other: int, knobs: Knobs) -> str:
    text = (f"{plural(len(gaps), 'category', 'categories')} with recurrences (an earlier incident of the same "
            f"category within {knobs.recurrence_days} days), each with the Definition-of-Done item that would have "
            "prevented it and the evidence. Edit the mapping below; it is kept for this session.")
    if other:
        text += (f" {plural(other, 'recurrence')} in `other` {'is' if other == 1 else 'are'} left out: improve the "
                 f"keyword table on the Incidents page so {'it gets' if other == 1 else 'they get'} a category.")
    return text


# --- texts: On-call ------------------------------------------------------------------------------------------

BLAMELESS = ("Blameless: these per-person figures exist to spot overload and unfair rotations, not to judge anyone. "
             "No page ranks people by incidents caused or resolved; people are listed alphabetically.")


def load_caption(load: pd.DataFrame, shift_table: pd.DataFrame) -> str:
    return (f"{plural(len(load), 'person', 'people')} on the schedule, {plural(len(shift_table), 'shift')} from "
            f"{day(shift_table['start'].min())} to {day(shift_table['end'].max())}. Incidents count for whoever was "
            "on call when they were created (start ≤ created < end).")


def oncall_how() -> list[str]:
    return [
        "**Shift hours**: the summed length of a person's shifts in the on-call schedule.",
        "**Incidents during shifts**: incidents created while the person was on call (start ≤ created < end).",
        "**Out of hours**: created outside Monday–Friday 08:00–18:00. **Sleep hours**: created 22:00–08:00 on "
        "any day (a subset of out of hours). These are the buckets PagerDuty's operational reviews use; times "
        "are as exported (UTC for PagerDuty).",
        "**Fairness**: highest ÷ lowest shift hours and incidents per person (none when someone has 0), and the "
        "Gini coefficient of incidents per person (0 = even, towards 1 = one person carries everything).",
    ]


def protection_caption(prot: rotation.Protection) -> str:
    over = prot.min_overlap_hours
    overlap = "any overlap" if over <= 0 else f"more than {num(over)} hours of overlap"
    return (f"Points each person completed (as assignee) in the sprints their shifts overlap ({overlap}), per such "
            f"sprint, against the team's per-person median: {num(prot.team_median)} points per sprint, the median "
            f"over {plural(prot.team_people, 'person', 'people')} who completed work of their points per completed "
            f"sprint ({plural(prot.completed_sprints, 'completed sprint')}). Hatched vermillion: at or above the "
            "median, a full sprint load while on call.")


def protection_how() -> list[str]:
    return [
        "**On-call sprint** of a person: a completed sprint (its days, start 00:00 to the end of its last day) "
        "that one of their shifts overlaps. A weekly shift that hands over at 09:00 on the first day of a sprint "
        "reaches 9 hours into it; raise the minimum overlap to leave such sprints out.",
        "**Points per on-call sprint** = points of the items they were assignee of that completed in their on-call "
        "sprints (completion sprint: the listed sprint containing the resolution day) / the number of those sprints.",
        "**Team per-person median** = the median, over people who completed at least one item in a completed "
        "sprint, of their completed points / the number of completed sprints.",
        "**Full sprint load while on call**: points per on-call sprint at or above that median. The person was not "
        "protected from sprint work during on-call.",
    ]


def responder_caption(load: pd.DataFrame) -> str:
    n = int(load["incidents"].sum()) if len(load) else 0
    return (f"{plural(len(load), 'responder')} named in the incident data, {plural(n, 'incident')}. Without a "
            "schedule there are no shift hours, no incidents per shift and no protection figures: import the "
            "on-call schedule (PagerDuty or Opsgenie iCal feed) to get them.")


def fairness_text(fair: dict[str, float | None]) -> dict[str, str]:
    def ratio(v):
        return DASH if v is None else f"{v:.2f}×"
    return {"shift_hours_max_min": ratio(fair["shift_hours_max_min"]),
            "incidents_max_min": ratio(fair["incidents_max_min"]),
            "incidents_gini": DASH if fair["incidents_gini"] is None else f"{fair['incidents_gini']:.2f}"}

