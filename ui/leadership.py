"""Streamlit helpers of the Firefighter and Investment pages.

- cached calls into `analytics.leadership` (each query keyed by the store version and the knobs it
  reads, the assembled view by all knobs and the leadership settings); every cached result is small (a row
  per sprint, incident, linked or debt item), none holds a row per work item of the store;
- the leadership settings (hour value, currency, evidence period) kept in the plain session key
  `fb.leadership`, and the investment inputs kept as knobs through `set_knobs`, so the Overview and
  every other page follow them;
- the texts that explain each figure, and the brief's "Prepare" / download buttons.

Widgets mirror their value from the knobs or settings before they are drawn (their state is set,
no `value=` is passed), so a value changed on one page or by a button shows everywhere.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Callable

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics import brief as brief_mod
from analytics import incidents, leadership
from analytics import leadership_charts as lc
from analytics.config import Knobs
from analytics.firefighter import firefighter_status
from analytics.leadership import Leadership, Period, Settings, money, num, pct, plural, signed
from ui import cache
from ui.cache import INCIDENT_KNOBS, SERIES_KNOBS, only
from ui.controls import reset_knobs, set_knobs
from ui.explain import md
from ui.state import Db

Projects = tuple[str, ...] | None
SETTINGS = "fb.leadership"
BRIEF_READY = "fb.leadership_brief"

# Widget keys (tests address the controls by them).
PERIOD = "w.lead.period"
PERIOD_SPRINTS = "w.lead.period_sprints"
HOUR_VALUE = "w.lead.hour_value"
CURRENCY = "w.lead.currency"
POINT_VALUE_FF = "w.lead.point_value_ff"
INVEST = "w.inv.invest_points_per_sprint"
INVEST_SPRINTS = "w.inv.invest_sprints"
REDUCTION = "w.inv.expected_reduction"
HORIZON = "w.inv.horizon_sprints"
POINT_VALUE = "w.inv.point_value"
USE_SUGGESTED = "w.inv.use_suggested"
RESET_INPUTS = "w.inv.reset"
PREPARE = "w.lead.prepare_brief"

# What the linked unplanned work reads: the unplanned rules (which items count) and the keyword table (the
# category of each incident); not the threshold, the reserve or the recurrence window.
LINKED_KNOBS = ("unplanned_types", "unplanned_labels", "rule_type", "rule_label", "rule_added_mid_sprint",
                "category_keywords")


# --- cached analytics ---------------------------------------------------------------------------------------

@st.cache_data(show_spinner=False, max_entries=32)
def _flow(_con: duckdb.DuckDBPyConnection, path: str, version: int, projects: Projects) -> pd.DataFrame:
    with _con.cursor() as cur:
        return leadership.backlog_flow(cur, Knobs(), projects)


@st.cache_data(show_spinner=False, max_entries=32)
def _incidents(_con, path: str, version: int, knobs: Knobs, projects: Projects) -> pd.DataFrame:
    with _con.cursor() as cur:
        return incidents.incident_table(cur, knobs, projects)


@st.cache_data(show_spinner=False, max_entries=32)
def _linked(_con, path: str, version: int, knobs: Knobs, projects: Projects) -> pd.DataFrame:
    with _con.cursor() as cur:
        return leadership.linked_work(cur, knobs, projects)


@st.cache_data(show_spinner=False, max_entries=32)
def _debt(_con, path: str, version: int, knobs: Knobs, projects: Projects) -> pd.DataFrame:
    with _con.cursor() as cur:
        return leadership.debt_items(cur, knobs, projects)


@st.cache_data(show_spinner=False, max_entries=32)
def _oncall(_con, path: str, version: int, projects: Projects, period: Period) -> pd.DataFrame:
    with _con.cursor() as cur:
        return leadership.oncall_in(cur, Knobs(), projects, period)


def store_data(db: Db, knobs: Knobs, projects: Projects) -> leadership.StoreData:
    """The query results the leadership view reads, each from its own cache entry."""
    inc = only(knobs, INCIDENT_KNOBS)
    return leadership.StoreData(
        series=cache.sprint_series(db, knobs, projects),
        flow=_flow(db.shared, db.path, db.version, projects),
        incidents=_incidents(db.shared, db.path, db.version, inc, projects),
        linked=_linked(db.shared, db.path, db.version, only(knobs, LINKED_KNOBS), projects),
        debt=_debt(db.shared, db.path, db.version, inc, projects),
        as_of=cache.data_as_of(db),
    )


@st.cache_data(show_spinner=False, max_entries=32)
def _view(_con, path: str, version: int, knobs: Knobs, projects: Projects, settings: Settings,
          _db: Db) -> Leadership:
    data = store_data(_db, knobs, projects)
    return leadership.assemble(data, knobs, settings, projects,
                               oncall_for=lambda p: _oncall(_db.shared, _db.path, _db.version, projects, p))


def view(db: Db, knobs: Knobs, projects: Projects, settings: Settings) -> Leadership:
    """Every leadership figure, exactly as the brief and `python -m analytics brief` compute them."""
    return _view(db.shared, db.path, db.version, knobs, projects, settings, db)


def share_chart(db: Db, knobs: Knobs, projects: Projects) -> go.Figure:
    """`leadership_charts.share_chart` of the sprint series with its firefighting episodes (`cache.figure`)."""
    def build() -> go.Figure:
        series = cache.sprint_series(db, knobs, projects)
        return lc.share_chart(series, knobs.firefight_threshold, firefighter_status(series).episodes)
    return cache.figure("firefighter share", (db.path, db.version, only(knobs, SERIES_KNOBS), projects), build)


@st.cache_data(show_spinner=False, max_entries=8)
def _brief(_con, path: str, version: int, knobs: Knobs, projects: Projects, settings: Settings,
           _db: Db) -> brief_mod.Brief:
    return brief_mod.build_brief(view(_db, knobs, projects, settings), generated=dt.datetime.now())


# --- settings kept for the session --------------------------------------------------------------------------

def settings() -> Settings:
    return st.session_state.get(SETTINGS, Settings())


def set_settings(**changes: Any) -> None:
    st.session_state[SETTINGS] = dataclasses.replace(settings(), **changes)


def _mirror(key: str, value: Any) -> None:
    """Show `value` in the widget `key` (set before the widget is drawn, never after)."""
    if st.session_state.get(key, object()) != value:
        st.session_state[key] = value


def _knob_setter(knob: str, key: str, convert: Callable[[Any], Any] = lambda v: v) -> Callable[[], None]:
    def callback() -> None:
        set_knobs(**{knob: convert(st.session_state[key])})  # the widget's limits keep it valid
    return callback


def _setting_setter(name: str, key: str, convert: Callable[[Any], Any] = lambda v: v) -> Callable[[], None]:
    def callback() -> None:
        set_settings(**{name: convert(st.session_state[key])})
    return callback


def _none_if_zero(value: Any) -> float | None:
    return None if value in (None, 0, 0.0) else float(value)


def period_controls(series: pd.DataFrame, container=None) -> Settings:
    """Which sprints the evidence covers: the last N completed sprints, or one firefighting episode."""
    current = settings()
    status = firefighter_status(series)
    options = leadership.period_options(series, status, current.period_sprints)
    labels = ["last N completed sprints"] + [o.label for o in options[1:]]
    index = 0 if current.episode is None or current.episode >= len(options) - 1 else current.episode + 1
    where = container or st
    left, right = where.columns([3, 1])
    _mirror(PERIOD, labels[index])
    left.selectbox("Evidence period", labels, key=PERIOD,
                   on_change=lambda: set_settings(episode=_episode(labels, st.session_state[PERIOD])),
                   help="The delivery, flow, incident, on-call and cost figures cover these sprints.")
    _mirror(PERIOD_SPRINTS, int(current.period_sprints))
    right.number_input("N", min_value=2, max_value=52, step=1, key=PERIOD_SPRINTS,
                       on_change=_setting_setter("period_sprints", PERIOD_SPRINTS, int),
                       disabled=index != 0, help="How many of the latest completed sprints.")
    if current.episode is not None and index == 0:
        set_settings(episode=None)
    return settings()


def _episode(labels: list[str], chosen: str) -> int | None:
    i = labels.index(chosen) if chosen in labels else 0
    return None if i == 0 else i - 1


def money_controls(knobs: Knobs, *, point_key: str) -> None:
    """Point value (a knob, shared by every page), hour value and currency (leadership settings)."""
    current = settings()
    a, b, c = st.columns(3)
    _mirror(point_key, knobs.point_value)
    a.number_input("Value of a point", min_value=0.0, step=50.0, format="%.2f", key=point_key,
                   placeholder="not set", on_change=_knob_setter("point_value", point_key, _none_if_zero),
                   help="Money one story point of work is worth (e.g. loaded cost of the team's sprint ÷ points "
                        "it completes). Empty: no money figures. Kept for the session on every page.")
    _mirror(HOUR_VALUE, current.hour_value)
    b.number_input("Value of an hour", min_value=0.0, step=10.0, format="%.2f", key=HOUR_VALUE,
                   placeholder="not set", on_change=_setting_setter("hour_value", HOUR_VALUE, _none_if_zero),
                   help="Money one hour spent on unplanned work costs. Empty: no money figures for hours.")
    _mirror(CURRENCY, current.currency)
    c.text_input("Currency", key=CURRENCY, max_chars=8, placeholder="e.g. € or EUR",
                 on_change=_setting_setter("currency", CURRENCY, lambda v: " ".join(str(v).split())),
                 help="Shown before money amounts.")


def investment_inputs(knobs: Knobs, case, suggested: leadership.SuggestedReduction) -> None:
    """I, K, r, H and the point value, kept as knobs for the session (the Overview follows them)."""
    default_invest = case.invest_points_per_sprint
    cols = st.columns(5)
    _mirror(INVEST, round(float(default_invest), 1) if default_invest is not None else 0.0)
    cols[0].number_input("Points invested a sprint (I)", min_value=0.0, max_value=1000.0, step=0.5, format="%.1f",
                         key=INVEST, on_change=_knob_setter("invest_points_per_sprint", INVEST, float),
                         help="Default: 20% of the baseline sprints' mean completed points (planned + unplanned).")
    _mirror(INVEST_SPRINTS, int(knobs.invest_sprints))
    cols[1].number_input("Sprints of investment (K)", min_value=1, max_value=52, step=1, key=INVEST_SPRINTS,
                         on_change=_knob_setter("invest_sprints", INVEST_SPRINTS, int),
                         help="For how many sprints the team invests I points.")
    _mirror(REDUCTION, int(round(knobs.expected_reduction * 100)))
    cols[2].slider("Expected reduction (r)", min_value=0, max_value=100, step=1, format="%d%%", key=REDUCTION,
                   on_change=_knob_setter("expected_reduction", REDUCTION, lambda v: v / 100),
                   help="How much unplanned work falls once the debt is paid down (reached after K sprints).")
    _mirror(HORIZON, int(knobs.horizon_sprints))
    cols[3].number_input("Horizon (H sprints)", min_value=1, max_value=104, step=1, key=HORIZON,
                         on_change=_knob_setter("horizon_sprints", HORIZON, int),
                         help="How many sprints the case is counted over.")
    _mirror(POINT_VALUE, knobs.point_value)
    cols[4].number_input("Value of a point", min_value=0.0, step=50.0, format="%.2f", key=POINT_VALUE,
                         placeholder="not set", on_change=_knob_setter("point_value", POINT_VALUE, _none_if_zero),
                         help="Money a story point is worth; empty: points only. Kept for the session.")
    left, right, _ = st.columns([2, 2, 3])
    if suggested.value is not None:
        value = round(suggested.value, 2)
        left.button(f"Use the suggested r ({pct(value)})", key=USE_SUGGESTED, icon=":material/auto_fix_high:",
                    on_click=lambda: set_knobs(expected_reduction=value),
                    disabled=round(knobs.expected_reduction, 2) == value)
    defaults = Knobs()
    changed = [k for k in ("invest_points_per_sprint", "invest_sprints", "expected_reduction", "horizon_sprints")
               if getattr(knobs, k) != getattr(defaults, k)]
    right.button("Reset to the METRICS.md defaults", key=RESET_INPUTS, icon=":material/restart_alt:",
                 on_click=lambda: reset_knobs("invest_points_per_sprint", "invest_sprints", "expected_reduction",
                                              "horizon_sprints"), disabled=not changed)


# --- the brief ----------------------------------------------------------------------------------------------

def brief_section(db: Db, knobs: Knobs, projects: Projects, current: Settings, where: str) -> None:
    """'Prepare the brief' (it takes a few seconds: charts through Chromium), then the two downloads."""
    key = (db.path, db.version, knobs, projects, current)
    st.markdown("The brief for leadership: status and evidence, reserve, recurring categories with their "
                "definition-of-done gaps, the investment plan, scenarios and the ask, with the numbers on these "
                "pages (one or two A4 pages).")
    if st.session_state.get(BRIEF_READY) != key:
        slot = st.empty()
        if not slot.button("Prepare the leadership brief", key=f"{PREPARE}.{where}", icon=":material/description:",
                           type="primary"):
            return
        with st.spinner("Rendering the charts and the PDF…"):
            _brief(db.shared, db.path, db.version, knobs, projects, current, db)
        slot.empty()
        st.session_state[BRIEF_READY] = key
    made = _brief(db.shared, db.path, db.version, knobs, projects, current, db)
    stamp = dt.date.today().isoformat()
    left, right = st.columns(2)
    left.download_button("Download the brief (PDF)", data=made.pdf, file_name=f"leadership-brief-{stamp}.pdf",
                         mime="application/pdf", key=f"w.lead.pdf.{where}", icon=":material/picture_as_pdf:",
                         on_click="ignore", type="primary")
    right.download_button("Download the brief (HTML)", data=made.html.encode("utf-8"),
                          file_name=f"leadership-brief-{stamp}.html", mime="text/html", key=f"w.lead.html.{where}",
                          icon=":material/html:", on_click="ignore")
    st.caption(f"Built in {made.timings.get('total', 0):.1f} s: {md(made.note)}. The settings above are part of "
               "the brief; change one and prepare it again.")


# --- texts --------------------------------------------------------------------------------------------------

def period_words(period: Period) -> str:
    if period.start is None:
        return "no completed sprints"
    return (f"the {md(period.label)} ({md(leadership.span(list(period.sprints)))}, {period.start:%Y-%m-%d} to "
            f"{period.end:%Y-%m-%d})")


def delivery_caption(v: Leadership) -> str:
    d = v.delivery
    return (f"Over {period_words(v.period)}: {num(d.committed_done_points)} of {num(d.committed_points)} committed "
            f"points were delivered in their sprint (say/do {pct(d.say_do)}); {num(d.planned_lost_points)} points "
            "of planned delivery were lost.")


def delivery_how() -> list[str]:
    return [
        "**Committed** points of a sprint: planned items in it created on or before its start day (a carried-over "
        "item counts in every sprint it was committed to).",
        "**Delivered**: committed points completed in that sprint. **Planned delivery lost** = committed − "
        "delivered.",
        "**Say/do** = delivered ÷ committed (LinearB calls it planning accuracy); over the period, the sums.",
    ]


def flow_caption(v: Leadership) -> str:
    f = v.flow
    if f.growing is None:
        return "No completed sprints in the period."
    trend = "grew" if f.net_items > 0 else ("shrank" if f.net_items < 0 else "held steady")
    return (f"Over {period_words(v.period)}: {f.created_items} work items created and {f.resolved_items} resolved "
            f"({num(f.created_points)} vs {num(f.resolved_points)} points); the backlog {trend} by "
            f"{abs(f.net_items)} items, and {f.growing_sprints} of {len(f.table)} sprints added more than they "
            "closed.")


def flow_how() -> list[str]:
    return [
        "**Created** in a sprint: work items (any type, in the project filter) created on a day from its start to "
        "its end date. **Resolved**: items resolved on such a day.",
        "**Net flow** = created − resolved; the black line adds it up from the start of the period: above 0, the "
        "open backlog grew.",
    ]


def categories_caption(v: Leadership) -> str:
    total = int(v.categories["incidents"].sum()) if len(v.categories) else 0
    return (f"Incidents created during {period_words(v.period)}: {plural(total, 'incident')} in "
            f"{plural(len(v.categories), 'category', 'categories')}. A repeat is an incident with an earlier one "
            f"of the same category within {v.knobs.recurrence_days} days.")


def categories_how() -> list[str]:
    return [
        "**Category**: the incident's own category; else a label or component naming one; else the first keyword "
        "row matching its title, labels or components; else `other`.",
        "**Unplanned points**: unplanned work items linked to the category's incidents (either direction), "
        "completed in the period's sprints; an item linked to several incidents counts once, in the category of "
        "the latest.",
        "**Definition-of-done gap**: the DoD item that would catch this kind of incident before release.",
    ]


def oncall_caption(v: Leadership) -> str:
    o = v.oncall_summary
    if not o.people:
        return f"No on-call shift overlaps {period_words(v.period)} (import an on-call schedule)."
    return (f"Shifts overlapping {period_words(v.period)}, clipped to it: {plural(o.people, 'person', 'people')}, "
            f"{num(o.shift_hours, 0)} shift hours, {plural(o.incidents, 'incident')} created during shifts.")


def oncall_how() -> list[str]:
    return [
        "An incident counts for the person on shift when it was created (start ≤ created < end).",
        "**Out of hours**: anything but Monday–Friday 08:00–18:00; **sleep hours**: 22:00–08:00 any day (the "
        "buckets PagerDuty's operational reviews use).",
        "These figures exist to protect people from overload; people are listed by name, not ranked.",
    ]


def cost_caption(v: Leadership) -> str:
    c = v.cost
    text = (f"Over {period_words(v.period)}: unplanned work took {num(c.total_points)} points and "
            f"{num(c.total_hours)} hours (a mean of {num(c.mean_points)} points and {num(c.mean_hours)} hours a "
            "sprint).")
    cur = v.settings.currency
    if c.total_points_money is not None:
        text += f" At {md(money(c.point_value, cur))} a point: {md(money(c.total_points_money, cur))}."
    if c.total_hours_money is not None:
        text += f" At {md(money(c.hour_value, cur))} an hour: {md(money(c.total_hours_money, cur))}."
    if c.total_points_money is None and c.total_hours_money is None:
        text += " Set a value of a point or an hour to see it in money."
    return text


def cost_how() -> list[str]:
    return [
        "**Unplanned points / hours** of a sprint: points (hours spent) of unplanned items completed in it.",
        "**In money**: points × value of a point, hours × value of an hour; the two are alternative views of the "
        "same work, not to be added.",
    ]


def suggested_how(v: Leadership) -> list[str]:
    s = v.suggested
    cats = ", ".join(md(c) for c in s.categories) or "none"
    return [
        "**Suggested r** = unplanned points completed in the baseline sprints by items linked to incidents whose "
        "category has at least one open debt item ÷ all unplanned points completed in those sprints.",
        "**Open debt item**: an unresolved work item (not a post-mortem document) labelled tech-debt, techdebt or "
        "debt, or linked to an incident. Its category: that of the latest incident it is linked to; else a label or "
        "component naming a category; else the keyword table on its summary, labels and components.",
        f"Baseline: {md(leadership.span(s.baseline_sprints))}. Categories with open debt: {cats}. "
        f"{num(s.linked_points)} of {num(s.unplanned_points)} unplanned points → {pct(s.value)}.",
        "The idea: paying the debt of a category down removes the unplanned work its incidents cause; unplanned "
        "work not linked to such incidents is assumed to stay. It is a suggestion; r stays what you set.",
    ]


def plan_how(v: Leadership) -> list[str]:
    return [
        "**Ranking**: the categories by the unplanned points of work linked to their incidents over all completed "
        "sprints (then over the baseline sprints); within a category, items linked to more incidents, then the "
        "oldest first. Debt items whose category no rule finds come last.",
        f"**Running sum**: the points of the items so far; the plan is the items whose running sum fits I × K = "
        f"{num(v.plan.budget)} points. Items without an estimate count as 0 and are flagged.",
    ]


def projection_how(knobs: Knobs) -> list[str]:
    return [
        f"**Baseline U** = mean unplanned points of the last {knobs.baseline_sprints} completed sprints.",
        "For sprint t = 1…H: U_t = U × (1 − r × min(t, K) / K); saved_t = U − U_t; cost_t = I while t ≤ K; "
        "cumulative net = running sum of saved − cost.",
        "**Break-even** = the first t where the cumulative net reaches 0 (none within H: no break-even); "
        "**net points** = cumulative net after H sprints; **ROI** = net ÷ points invested.",
    ]


def sensitivity_caption(v: Leadership) -> str:
    c = v.case
    return (f"Break-even sprint for each reduction r (rows) and points invested a sprint I (columns), with the same "
            f"baseline ({num(c.baseline_unplanned_points)} points), K = {c.invest_sprints} and H = "
            f"{c.horizon_sprints}; outlined: the case above; grey “never”: not within {c.horizon_sprints} sprints.")


def scenario_words(case) -> tuple[str, str, str]:
    be = f"Sprint {case.break_even_sprint}" if case.break_even_sprint else f"Not within {case.horizon_sprints}"
    return be, f"{signed(case.net_points)} pts", pct(case.roi)
