"""The Unplanned work and Reserve pages' shared part: cached analytics, the rules editor, texts.

Caching follows `ui/cache.py`: each entry is keyed by (store path,
data_version, only the knobs and page options the computation reads,
projects), and a computation that runs takes its own cursor from the shared
connection. Every cached result is small (per sprint, per rule, per value):
the pages never hold one row per work item, whatever the size of the store.
Figures are kept too (`chart`), keyed by the results they draw. The text
builders are plain functions of analytics results; data text goes through
`explain.md`.
"""

from __future__ import annotations

import re
from typing import Any, Callable

import duckdb
import pandas as pd
import streamlit as st

from analytics import planning_charts, trends
from analytics.config import DEFAULT_UNPLANNED_LABELS, DEFAULT_UNPLANNED_TYPES, Knobs
from ui import cache, explain
from ui.controls import reset_knobs, set_knobs
from ui.explain import DASH, md, num, pct, plural, span
from ui.state import Db

DRILLDOWN_ORDER = ["key", "type", "why_unplanned", "points", "hours", "completed_here", "summary", "labels",
                   "components"]
RULE_KNOBS = ("unplanned_types", "unplanned_labels", "rule_type", "rule_label", "rule_added_mid_sprint")
Projects = tuple[str, ...] | None


# --- cached analytics ----------------------------------------------------------------------------------------
# Small results only (per sprint, per rule, per value, a few names): nothing here holds one row per work item.

@st.cache_data(show_spinner=False, max_entries=64)
def _completed_work(_con: duckdb.DuckDBPyConnection, path: str, version: int, knobs: Knobs, projects: Projects,
                    mode: str, default_points: float) -> pd.DataFrame:
    with _con.cursor() as cur:
        return trends.completed_work(cur, knobs, projects, mode, default_points)


@st.cache_data(show_spinner=False, max_entries=64)
def _why_unplanned(_con: duckdb.DuckDBPyConnection, path: str, version: int, knobs: Knobs, projects: Projects,
                   sprints: tuple[str, ...], mode: str, default_points: float) -> trends.WhyUnplanned:
    with _con.cursor() as cur:
        return trends.why_unplanned_in(cur, knobs, projects, list(sprints), mode, default_points)


@st.cache_data(show_spinner=False, max_entries=16)
def _rule_options(_con: duckdb.DuckDBPyConnection, path: str, version: int,
                  projects: Projects) -> trends.RuleOptions:
    with _con.cursor() as cur:
        return trends.rule_options(cur, projects)


@st.cache_data(show_spinner=False, max_entries=64)
def _hours_recorded(_con: duckdb.DuckDBPyConnection, path: str, version: int, projects: Projects,
                    sprints: tuple[str, ...]) -> bool:
    with _con.cursor() as cur:
        return trends.hours_recorded(cur, projects, list(sprints))


@st.cache_data(show_spinner=False, max_entries=64)
def _sprint_items(_con: duckdb.DuckDBPyConnection, path: str, version: int, knobs: Knobs, projects: Projects,
                  sprint: str) -> pd.DataFrame:
    with _con.cursor() as cur:
        return trends.sprint_items(cur, knobs, projects, sprint)


def _counting(mode: str, default_points: float) -> tuple[str, float]:
    """The counting option as a cache key: the default size matters only when it is used."""
    return mode, float(default_points) if mode == "default" else 0.0


def completed_work(db: Db, knobs: Knobs, projects: Projects, mode: str = "zero",
                   default_points: float = 0.0) -> pd.DataFrame:
    """Per completion sprint: planned done and unplanned points (counted as the page option says), items, and
    items without points (`trends.completed_work`)."""
    return _completed_work(db.shared, db.path, db.version, cache.only(knobs, RULE_KNOBS), projects,
                           *_counting(mode, default_points))


def why_unplanned(db: Db, knobs: Knobs, projects: Projects, sprints: list[str], mode: str = "zero",
                  default_points: float = 0.0) -> trends.WhyUnplanned:
    """Per rule and per type, component and label, over the unplanned items completed in `sprints`."""
    return _why_unplanned(db.shared, db.path, db.version, cache.only(knobs, RULE_KNOBS), projects, tuple(sprints),
                          *_counting(mode, default_points))


def rule_options(db: Db, projects: Projects) -> trends.RuleOptions:
    """The types and labels in the data, for the rules editor (no setting changes them)."""
    return _rule_options(db.shared, db.path, db.version, projects)


def hours_recorded(db: Db, projects: Projects, window: pd.DataFrame) -> bool:
    """Whether an item completed in a window sprint has time spent (no classification setting changes it)."""
    return _hours_recorded(db.shared, db.path, db.version, projects, tuple(window["sprint"]))


def sprint_items(db: Db, knobs: Knobs, projects: Projects, sprint: str) -> pd.DataFrame:
    return _sprint_items(db.shared, db.path, db.version, cache.only(knobs, RULE_KNOBS), projects, sprint)


# --- page helpers --------------------------------------------------------------------------------------------

def chart(build: Callable[..., Any], *args: Any, alt: str) -> None:
    """Draw the figure `build(*args)` (a pure function of `analytics` of small results), built once per distinct
    input (`cache.figure`, keyed by the hashed inputs)."""
    figure = cache.figure(f"{build.__module__}.{build.__qualname__}", args, lambda: build(*args))
    st.plotly_chart(figure, theme=None, config=planning_charts.CONFIG, alt=alt)


def stop_if_empty(db: Db, series: pd.DataFrame) -> None:
    """No sprint at all: say what to import and stop the page (as the Overview does)."""
    if not series.empty:
        return
    imported = cache.imports(db)
    has_items = bool((imported["kind"] == "work_items").any()) if len(imported) else False
    explain.needs_data(
        f"The store `{db.path}` has "
        + ("work items, but none of them is in a sprint" if has_items else "no work items yet")
        + ". This page needs your tracker's export (Jira, Azure DevOps, Linear, GitHub Projects) with the "
          "sprint of each item, and optionally a sprint calendar with reserves. Upload them on the Upload page "
          "or import them with `python -m analytics import FILE ...`, then reload this page."
    )
    st.stop()


def thin(n: int, what: str) -> None:
    """An explanation in place of a figure that would read more into fewer than MIN_SPRINTS sprints."""
    st.info(f"Not enough data for {what}: this needs at least {trends.MIN_SPRINTS} completed sprints in the "
            f"window, and there {'is' if n == 1 else 'are'} {n}. With fewer, it would mostly show noise.",
            icon=":material/hourglass_empty:")


def points(value: float | None) -> str:
    """'14.8 pts', or a dash when there is no number."""
    return DASH if value is None else f"{num(value)} pts"


def persisted(widget: Callable[..., Any], key: str, default: Any, *, arg: str = "value",
              to_arg: Callable[[Any], Any] = lambda v: v, **kwargs: Any) -> Any:
    """A page control whose value survives page switches in the plain key `fb.<name>` (as ui.controls does)."""
    value_key = "fb." + key.removeprefix("w.")
    if value_key not in st.session_state:
        st.session_state[value_key] = default

    def remember() -> None:
        st.session_state[value_key] = st.session_state[key]

    kwargs[arg] = to_arg(st.session_state[value_key])
    return widget(key=key, on_change=remember, **kwargs)


# --- the classification rules editor -------------------------------------------------------------------------

TYPES = "w.plan.unplanned_types"
LABELS = "w.plan.unplanned_labels"
RULE_TOGGLES = {"rule_type": "w.plan.rule_type", "rule_label": "w.plan.rule_label",
                "rule_added_mid_sprint": "w.plan.rule_added_mid_sprint"}
RESET = "w.plan.reset_rules"
_LIST_WIDGETS = {"unplanned_types": TYPES, "unplanned_labels": LABELS}


def _options(current: tuple[str, ...], defaults: tuple[str, ...], seen: list[str]) -> list[str]:
    """The listed values first, then the defaults and the values in the data, without case duplicates."""
    out: dict[str, str] = {}
    for value in (*current, *defaults, *sorted(seen, key=str.lower)):
        out.setdefault(value.lower(), value)
    return list(out.values())


def _keep(knob: str, widget_key: str) -> Callable[[], None]:
    def callback() -> None:
        value = st.session_state[widget_key]
        set_knobs(**{knob: tuple(value) if isinstance(value, list) else bool(value)})
    return callback


def _reset() -> None:
    reset_knobs(*RULE_KNOBS)
    for key in (TYPES, LABELS, *RULE_TOGGLES.values()):
        st.session_state.pop(key, None)


def rules_editor(knobs: Knobs, seen: trends.RuleOptions) -> None:
    """Edit which items count as unplanned; the change applies at once to every chart on every page.

    `seen`: the types and labels in the data (`rule_options`), offered beside the listed ones and the defaults.
    """
    types, labels = seen.types, seen.labels
    with st.container(border=True):
        st.markdown("**Classification rules**: an item is unplanned when any rule that is on matches it. "
                    "Changes apply to every page for this session.")
        toggles = st.columns(3)
        names = {"rule_type": "1 · type is listed", "rule_label": "2 · a label is listed",
                 "rule_added_mid_sprint": "3 · added mid-sprint"}
        for column, (knob, key) in zip(toggles, RULE_TOGGLES.items()):
            column.toggle(names[knob], value=getattr(knobs, knob), key=key, on_change=_keep(knob, key))
        left, right = st.columns(2)
        left.multiselect("Unplanned types (rule 1, any case)",
                         _options(knobs.unplanned_types, DEFAULT_UNPLANNED_TYPES, types),
                         default=list(knobs.unplanned_types), key=TYPES, accept_new_options=True,
                         on_change=_keep("unplanned_types", TYPES), disabled=not knobs.rule_type)
        right.multiselect("Unplanned labels (rule 2, any case)",
                          _options(knobs.unplanned_labels, DEFAULT_UNPLANNED_LABELS, labels),
                          default=list(knobs.unplanned_labels), key=LABELS, accept_new_options=True,
                          on_change=_keep("unplanned_labels", LABELS), disabled=not knobs.rule_label)
        changed = [k for k in RULE_KNOBS if getattr(knobs, k) != getattr(Knobs(), k)]
        st.button("Reset to the METRICS.md rules", key=RESET, on_click=_reset, disabled=not changed,
                  icon=":material/restart_alt:")


# --- texts ---------------------------------------------------------------------------------------------------

def window_words(window: pd.DataFrame, months: int) -> str:
    """'14 completed sprints that ended within 6 months of the latest completed sprint (S13 – S26)'."""
    return (f"{plural(len(window), 'completed sprint')} that ended within {months} months of the latest "
            f"completed sprint ({span(list(window['sprint']))})")


def rules_words(knobs: Knobs) -> str:
    on = [name for knob, name in (("rule_type", "type"), ("rule_label", "label"),
                                  ("rule_added_mid_sprint", "added mid-sprint")) if getattr(knobs, knob)]
    return "rules on: " + (", ".join(on) if on else "none (nothing is unplanned)")


NO_POINTS_LABELS = {"zero": "0 (as the report)", "default": "a default size", "hours": "their hours"}


def no_points_words(mode: str, default_points: float) -> str:
    if mode == "zero":
        return "Items without points count as 0, as in the report (METRICS.md)."
    if mode == "default":
        return (f"Items without points count as {num(default_points)} points here (this page only; the "
                "report and the other pages count them as 0).")
    return ("Items without points count their hours spent as points here (1 hour = 1 point; none recorded = 0; "
            "this page only: the report and the other pages count them as 0).")


def trend_caption(trend: trends.Trend, months: int, window: pd.DataFrame) -> str:
    if trend.slope is None:
        return f"Over {window_words(window, months)}: not enough sprints for a trend."
    return (f"Over {window_words(window, months)}, unplanned points per sprint are {trend_words(trend)}. "
            f"Least-squares slope {trend.slope:+.2f} points a sprint, {trend.confidence:.0%} confidence interval "
            f"{trend.low:+.2f} to {trend.high:+.2f} (t distribution, {trend.n - 2} degrees of freedom)"
            + ("; the interval contains 0, so the data cannot rule out no change." if trend.could_be_flat else "."))


def trend_words(trend: trends.Trend) -> str:
    return trends.trend_words(trend)


def trend_how() -> list[str]:
    return [
        "**Window**: the reserve window (sidebar): completed sprints that ended within 6 (or 12) months of the "
        "latest completed sprint.",
        "**Slope**: the least-squares line through the window's unplanned points against the sprint number "
        "(1, 2, 3, … in start order): change in unplanned points per sprint.",
        "**Interval**: slope ± t × standard error, with t the 95th percentile of Student's t with n − 2 degrees "
        "of freedom (a 90% two-sided interval). When it contains 0 the page says the trend *could be flat*.",
        f"Shown only with at least {trends.MIN_SPRINTS} sprints in the window.",
    ]


def quarter_caption(comparison: trends.QuarterComparison) -> str:
    def one(q: trends.QuarterStats) -> str:
        if not q.n:
            return f"{q.quarter}: no completed sprint"
        return (f"{q.quarter}: {plural(q.n, 'sprint')} ({span(q.sprints)}), mean {num(q.mean_unplanned_points)} "
                f"unplanned points and {pct(q.mean_unplanned_share)} share")
    return (f"Completed sprints by the calendar quarter of their end date. {one(comparison.this)}; "
            f"{one(comparison.last)}. The share is the mean of the sprints' unplanned shares.")


def quarter_table(comparison: trends.QuarterComparison) -> pd.DataFrame:
    """This quarter and the one before: quarter, sprints, mean unplanned points, mean share (in %)."""
    rows = [(q.quarter, q.n, q.mean_unplanned_points,
             None if q.mean_unplanned_share is None else q.mean_unplanned_share * 100)
            for q in (comparison.this, comparison.last)]
    return pd.DataFrame(rows, columns=["quarter", "sprints", "mean_unplanned_points", "mean_unplanned_share"])


def rule_caption(breakdown: trends.RuleBreakdown, window: pd.DataFrame, months: int) -> str:
    return (f"{plural(breakdown.items, 'unplanned item')} ({num(breakdown.points)} points) completed in "
            f"{window_words(window, months)}. An item can match several rules "
            f"({plural(breakdown.several_rules, 'item')} here did): the light bars count every item a rule "
            "matches, so they add up to more than the total; the dark bars count each item once, under the "
            "first rule it matches in the order type, label, added mid-sprint.")


def breakdown_caption(frame: pd.DataFrame, dimension: str, window: pd.DataFrame, months: int) -> str:
    text = (f"Unplanned points completed in {window_words(window, months)}, per {dimension}"
            + ("" if dimension == "type" else
               f"; an item with several {dimension}s counts under each, one with none under "
               f"{md(trends.NONE_VALUE)}") + ".")
    if len(frame) > planning_charts.BREAKDOWN_TOP:
        text += f" The {planning_charts.BREAKDOWN_TOP} largest of {len(frame)} are shown; the table has all."
    return text


def overrun_caption(cost: trends.OverrunCost, months: int) -> str:
    n_over, n_other = len(cost.overrun_sprints), len(cost.other_sprints)
    if not n_over:
        return f"No sprint in the window overran its reserve ({plural(n_other, 'sprint')})."
    return (f"In the {plural(n_over, 'sprint')} that overran the reserve, say/do averaged "
            f"{pct(cost.say_do_overrun)} and {num(cost.planned_done_overrun)} planned points were done; in the "
            f"other {plural(n_other, 'sprint')} of the window, {pct(cost.say_do_other)} and "
            f"{num(cost.planned_done_other)} points (means over the sprints with a commitment).")


def what_if_basis_words(w: trends.WhatIf) -> str:
    if w.basis == "capacity":
        return (f"mean capacity {num(w.basis_points)} points (sprints file, {plural(len(w.basis_sprints), 'sprint')}) "
                f"− the reserve")
    return (f"no capacity in the sprints file, so the mean points completed per sprint (planned done + "
            f"unplanned, {num(w.basis_points)}) − the reserve")


def monte_carlo_caption(p: trends.HoldProbability) -> str:
    return (f"Monte Carlo: {p.trials:,} simulated runs of {p.horizon} sprints, each sprint drawn at random (with "
            f"replacement) from the {plural(p.sprints, 'window sprint')}' unplanned points; seed {p.seed}, so the "
            "same data and reserve always give the same numbers. Holding next sprint is the coverage again, up to "
            f"simulation noise; holding {p.horizon} in a row is what the simulation adds. It assumes the coming "
            "sprints look like the window's, one independent of the next.")


def hours_caption(h: trends.HoursSummary, months: int, window: pd.DataFrame) -> str:
    return (f"Hours spent (Jira Time Spent) on unplanned items completed in each of {window_words(window, months)}: "
            f"median {num(h.median)} h, p80 {num(h.p80)} h (linear interpolation).")


def trend_delta(trend: trends.Trend) -> str:
    """The headline's few words: 'could be flat', or the direction the interval is sure of."""
    if trend.could_be_flat:
        return "could be flat"
    return "rising" if trend.slope > 0 else "falling"


def share_caption(series: pd.DataFrame, knobs: Knobs, mode: str, default_points: float) -> str:
    """The Overview's share caption, with this page's way of counting items without points."""
    text = explain.share_caption(series, knobs)
    if mode == "zero":
        return text
    done = series[series["completed"]]
    counted_as_zero = (f"{plural(int(done['completed_items_without_points'].sum()), 'completed item')} had no "
                       "points and count as 0.")
    return text.replace(counted_as_zero, no_points_words(mode, default_points))


def csv_name(sprint: str) -> str:
    """A download file name from a sprint name (letters, digits, - and _ only)."""
    return (re.sub(r"[^A-Za-z0-9_-]+", "_", sprint).strip("_") or "sprint") + "_items.csv"
