"""Leadership view: firefighter evidence, the cost of staying, and a concrete debt-paydown plan.

Pure functions over the store's query results (METRICS.md "Firefighter mode",
"Debt paydown investment case"); the Firefighter and Investment pages, the
leadership brief and `python -m analytics brief` all read their numbers from
`collect()` / `assemble()`, so the page and the brief cannot disagree.

Definitions added here (docs/metrics.md words them for users):

- **Period** of the firefighter evidence: the last N completed sprints (N = 6
  by default), or one firefighting episode; dates from the first sprint's start
  to the last sprint's end.
- **Planned delivery lost** of a sprint = committed points - committed points
  completed in it; period say/do = sum(committed done) / sum(committed).
- **Net flow** of a sprint = work items created during its dates - items
  resolved during them (calendar days, both ends included); the backlog grew
  over a period when the sum is above 0.
- **Debt item**: an open work item (not resolved, not a post-mortem document)
  labelled tech-debt / techdebt / debt (any case) or linked to an incident. Its
  category: the category of the latest incident it is linked to; else a label
  or component naming a category; else the first keyword-table row matching its
  summary, labels or components; else none (uncategorised).
- **Linked unplanned work**: unplanned items linked to an incident, each
  counted once in the category of the latest incident it is linked to.
- **Suggested r** = unplanned points completed in the baseline sprints by items
  linked to incidents whose category has at least one open debt item / all
  unplanned points completed in those sprints. Paying down the debt of a
  category is assumed to remove the unplanned work that category caused.
- **Debt plan**: open debt items ranked by the unplanned points their category
  caused over all completed sprints (then over the baseline sprints; then the
  item linked to most incidents, the oldest first); uncategorised items come
  last. The plan is the ranked items whose running sum of points fits I x K.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Callable

import duckdb
import numpy as np
import pandas as pd

from analytics import incidents, oncall, queries, reserve, sprints
from analytics.config import Knobs
from analytics.firefighter import FirefighterStatus, firefighter_status
from analytics.investment import InvestmentCase, baseline, investment_case, scenarios

DEFAULT_PERIOD_SPRINTS = 6
UNCATEGORISED = "uncategorised"
NO_RULE = "no rule matched"

# Definition-of-done items that close the gap each incident category points at.
DOD_GAPS = {
    "monitoring": "alerting and dashboards exist before release",
    "error-handling": "error handling for every external call",
    "integration": "contract tests for each integration",
    "configuration": "config validated and versioned",
    "capacity": "load test at expected peak",
    "deployment": "rollback tested",
}

SCENARIO_LABELS = {"cautious": "Cautious (r × 0.5)", "expected": "Expected (r)", "optimistic": "Optimistic (r × 1.5)"}
GRID_REDUCTIONS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
GRID_INVEST_FACTORS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
DASH = "—"


# --- formatting shared by the pages and the brief (the same rules as ui.explain) ----------------------------

def missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def num(value: float | None, digits: int = 1) -> str:
    """At most `digits` decimals, no trailing zeros ('14.8', '10'), a dash when missing."""
    if missing(value):
        return DASH
    text = f"{float(value):,.{digits}f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text == "-0" else text


def pct(value: float | None) -> str:
    return DASH if missing(value) else f"{float(value):.0%}"


def signed(value: float | None) -> str:
    if missing(value):
        return DASH
    text = num(value)
    return text if text.startswith("-") or text == "0" else "+" + text


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def points(value: float | None) -> str:
    """'1 point', '9.5 points'."""
    return f"{num(value)} point{'' if num(value) in ('1', '-1') else 's'}"


def money(value: float | None, currency: str = "") -> str:
    """'€12,300' / 'EUR 12,300' / '12,300'; cents only below 100."""
    if missing(value):
        return DASH
    v = float(value)
    amount = f"{abs(v):,.0f}" if abs(v) >= 100 else f"{abs(v):,.2f}"
    cur = currency.strip()
    sep = " " if cur and cur[-1].isalpha() else ""
    return ("-" if v < 0 else "") + (f"{cur}{sep}{amount}" if cur else amount)


def span(names: list[str] | tuple[str, ...]) -> str:
    if not names:
        return "none"
    return names[0] if len(names) == 1 else f"{names[0]} – {names[-1]}"


# --- settings and the period --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Settings:
    """Leadership settings that are not metric knobs (kept per session on the pages)."""

    hour_value: float | None = None      # money per hour of unplanned work
    currency: str = ""
    period_sprints: int = DEFAULT_PERIOD_SPRINTS
    episode: int | None = None           # index into the firefighting episodes; None: the last N sprints


@dataclass(frozen=True)
class Period:
    label: str
    sprints: tuple[str, ...]
    start: dt.date | None
    end: dt.date | None                  # inclusive

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime] | None:
        """[start 00:00, day after end 00:00): the period as a half-open timestamp interval."""
        if self.start is None or self.end is None:
            return None
        return (dt.datetime.combine(self.start, dt.time()),
                dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time()))


def _date(value) -> dt.date:
    return pd.Timestamp(value).date()


def _period(label: str, rows: pd.DataFrame) -> Period:
    if rows.empty:
        return Period(label, (), None, None)
    return Period(label, tuple(rows["sprint"]), _date(rows["start"].iloc[0]), _date(rows["end"].iloc[-1]))


def period_options(series: pd.DataFrame, status: FirefighterStatus, last_n: int) -> list[Period]:
    """The last N completed sprints, then each firefighting episode."""
    done = sprints.completed_sprints(series)
    n = max(1, int(last_n))
    options = [_period(f"last {plural(min(n, len(done)), 'completed sprint')}", done.tail(n))]
    names = list(done["sprint"])
    for e in status.episodes:
        rows = done.iloc[names.index(e.first_sprint):names.index(e.last_sprint) + 1]
        options.append(_period(f"episode {e.first_sprint} – {e.last_sprint} ({plural(e.sprints, 'sprint')})", rows))
    return options


def choose_period(series: pd.DataFrame, status: FirefighterStatus, settings: Settings) -> Period:
    options = period_options(series, status, settings.period_sprints)
    if settings.episode is not None and 0 <= settings.episode < len(options) - 1:
        return options[settings.episode + 1]
    return options[0]


def in_period(frame: pd.DataFrame, period: Period) -> pd.DataFrame:
    return frame[frame["sprint"].isin(period.sprints)].reset_index(drop=True)


# --- firefighter evidence -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Delivery:
    table: pd.DataFrame        # sprint, committed_points, committed_done_points, planned_lost_points, say_do
    committed_points: float
    committed_done_points: float
    planned_lost_points: float
    say_do: float | None       # sum(committed done) / sum(committed)
    unplanned_points: float
    planned_done_points: float
    unplanned_share: float | None


def delivery(series: pd.DataFrame, period: Period) -> Delivery:
    rows = in_period(series, period)
    table = pd.DataFrame({
        "sprint": rows["sprint"],
        "committed_points": rows["committed_points"].astype(float),
        "committed_done_points": rows["committed_done_points"].astype(float),
        "planned_lost_points": (rows["committed_points"] - rows["committed_done_points"]).astype(float),
        "say_do": rows["say_do"].astype("Float64").astype(float),
        "unplanned_share": rows["unplanned_share"].astype("Float64").astype(float),
        "firefighting": rows["firefighting"].astype(bool),
    })
    committed = float(table["committed_points"].sum())
    done = float(table["committed_done_points"].sum())
    unplanned = float(rows["unplanned_points"].sum())
    planned = float(rows["planned_done_points"].sum())
    return Delivery(table, committed, done, committed - done, done / committed if committed else None,
                    unplanned, planned, unplanned / (unplanned + planned) if unplanned + planned else None)


def backlog_flow(con: duckdb.DuckDBPyConnection, knobs: Knobs,
                 projects: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Per sprint: work items (and points) created and resolved during its dates, and the net."""
    return queries.run(con, "leadership_backlog_flow", queries.params_for(knobs, projects))


@dataclass(frozen=True)
class FlowSummary:
    table: pd.DataFrame        # the period's rows with cumulative_net_items
    created_items: int
    resolved_items: int
    net_items: int
    created_points: float
    resolved_points: float
    growing_sprints: int       # sprints with more created than resolved
    growing: bool | None       # net_items > 0; None without sprints


def flow_summary(flow: pd.DataFrame, period: Period) -> FlowSummary:
    rows = in_period(flow, period)
    rows = rows.assign(cumulative_net_items=rows["net_items"].cumsum())
    if rows.empty:
        return FlowSummary(rows, 0, 0, 0, 0.0, 0.0, 0, None)
    created, resolved = int(rows["created_items"].sum()), int(rows["resolved_items"].sum())
    return FlowSummary(rows, created, resolved, created - resolved, float(rows["created_points"].sum()),
                       float(rows["resolved_points"].sum()), int((rows["net_items"] > 0).sum()),
                       created - resolved > 0)


def categories_in(table: pd.DataFrame, linked: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Incidents created in the period per category: incidents, recurrences, the unplanned points linked
    work completed in the period's sprints, and the DoD gap the category points at."""
    columns = ["category", "incidents", "recurrences", "recurrence_rate", "unplanned_points", "dod_gap"]
    if period.start is None or table.empty:
        return pd.DataFrame(columns=columns)
    day = pd.to_datetime(table["created"]).dt.date
    rows = table[(day >= period.start) & (day <= period.end)]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    out = rows.groupby("category").agg(incidents=("id", "count"), recurrences=("recurrence", "sum")).reset_index()
    work = linked[linked["completion_sprint"].isin(period.sprints)].groupby("category")["pts"].sum()
    out["recurrences"] = out["recurrences"].astype(int)
    out["recurrence_rate"] = out["recurrences"] / out["incidents"]
    out["unplanned_points"] = out["category"].map(work).fillna(0.0).astype(float)
    out["dod_gap"] = out["category"].map(DOD_GAPS)
    out = out.sort_values(["recurrences", "incidents", "category"], ascending=[False, False, True])
    return out[columns].reset_index(drop=True)


def oncall_in(con: duckdb.DuckDBPyConnection, knobs: Knobs, projects: tuple[str, ...] | None,
              period: Period) -> pd.DataFrame:
    """On-call load within the period: person, shift_hours, shifts, incidents, out_of_hours_incidents,
    sleep_hour_incidents (shifts clipped to the period)."""
    bounds = period.bounds
    if bounds is None:
        return pd.DataFrame(columns=["person", "shift_hours", "shifts", "incidents", "out_of_hours_incidents",
                                     "sleep_hour_incidents"])
    params = queries.params_for(knobs, projects) | {"period_start": bounds[0], "period_end": bounds[1]}
    return queries.run(con, "oncall_load", params)


@dataclass(frozen=True)
class OncallSummary:
    people: int
    shift_hours: float
    incidents: int
    out_of_hours_incidents: int
    sleep_hour_incidents: int
    incidents_max_min: float | None
    incidents_gini: float | None


def oncall_summary(load: pd.DataFrame) -> OncallSummary:
    if load.empty:
        return OncallSummary(0, 0.0, 0, 0, 0, None, None)
    fair = oncall.fairness(load)
    return OncallSummary(len(load), float(load["shift_hours"].sum()), int(load["incidents"].sum()),
                         int(load["out_of_hours_incidents"].sum()), int(load["sleep_hour_incidents"].sum()),
                         fair["incidents_max_min"], fair["incidents_gini"])


@dataclass(frozen=True)
class CostOfStaying:
    table: pd.DataFrame          # sprint, unplanned_points, unplanned_hours, points_money, hours_money
    sprints: int
    point_value: float | None
    hour_value: float | None
    mean_points: float | None
    mean_hours: float | None
    mean_points_money: float | None
    mean_hours_money: float | None
    total_points: float
    total_hours: float
    total_points_money: float | None
    total_hours_money: float | None


def cost_of_staying(series: pd.DataFrame, period: Period, point_value: float | None,
                    hour_value: float | None) -> CostOfStaying:
    """Unplanned points and hours of the period's sprints, in money when a point or hour value is set."""
    rows = in_period(series, period)
    table = pd.DataFrame({"sprint": rows["sprint"], "unplanned_points": rows["unplanned_points"].astype(float),
                          "unplanned_hours": rows["unplanned_hours"].astype(float)})
    table["points_money"] = table["unplanned_points"] * point_value if point_value is not None else np.nan
    table["hours_money"] = table["unplanned_hours"] * hour_value if hour_value is not None else np.nan
    n = len(table)
    total_p, total_h = float(table["unplanned_points"].sum()), float(table["unplanned_hours"].sum())

    def times(value: float, rate: float | None) -> float | None:
        return None if rate is None else value * rate

    mean_p, mean_h = (total_p / n, total_h / n) if n else (None, None)
    return CostOfStaying(table, n, point_value, hour_value, mean_p, mean_h,
                         times(mean_p, point_value) if n else None, times(mean_h, hour_value) if n else None,
                         total_p, total_h, times(total_p, point_value), times(total_h, hour_value))


# --- the debt and what it causes ----------------------------------------------------------------------------

def debt_items(con: duckdb.DuckDBPyConnection, knobs: Knobs,
               projects: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Open debt items with their category (NULL when no rule matched), the rule that gave it and the number of
    incidents each is linked to (`incidents`)."""
    return queries.run(con, "leadership_debt_items", queries.params_for(knobs, projects))


def linked_work(con: duckdb.DuckDBPyConnection, knobs: Knobs,
                projects: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Unplanned items linked to an incident (each once, in the category of the latest incident it is linked
    to), with their points, hours and completion sprint: key, summary, type, category, pts, hrs,
    completion_sprint, in the order of the items' creation. Only the linked items are read and classified,
    so this stays as small as the incident links however large the store."""
    return queries.run(con, "leadership_linked_work", queries.params_for(knobs, projects))


def debt_categories(debt: pd.DataFrame) -> list[str]:
    """Categories with at least one open debt item (an item whose category came from a rule)."""
    named = debt[debt["category"].notna() & (debt["category_rule"] != NO_RULE)]
    return sorted(set(named["category"]))


def category_impact(linked: pd.DataFrame, debt: pd.DataFrame, series: pd.DataFrame,
                    baseline_sprints: list[str]) -> pd.DataFrame:
    """Per category: linked unplanned points over all completed sprints and over the baseline sprints,
    and its open debt items (count, points)."""
    completed = set(sprints.completed_sprints(series)["sprint"])
    done = linked[linked["completion_sprint"].isin(completed)]
    base = linked[linked["completion_sprint"].isin(baseline_sprints)]
    named = debt[debt["category"].notna() & (debt["category_rule"] != NO_RULE)]
    cats = sorted(set(done["category"]) | set(named["category"]))
    out = pd.DataFrame({"category": cats})
    out["unplanned_points"] = out["category"].map(done.groupby("category")["pts"].sum()).fillna(0.0).astype(float)
    out["unplanned_points_baseline"] = (out["category"].map(base.groupby("category")["pts"].sum())
                                        .fillna(0.0).astype(float))
    out["open_debt_items"] = out["category"].map(named.groupby("category")["key"].count()).fillna(0).astype(int)
    out["open_debt_points"] = (out["category"].map(named.groupby("category")["points"].sum())
                               .fillna(0.0).astype(float))
    out["dod_gap"] = out["category"].map(DOD_GAPS)
    out = out.sort_values(["unplanned_points", "unplanned_points_baseline", "category"],
                          ascending=[False, False, True])
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class SuggestedReduction:
    value: float | None                  # None when the baseline sprints have no unplanned points
    linked_points: float                 # numerator
    unplanned_points: float              # denominator
    baseline_sprints: list[str]
    categories: list[str]                # categories with open debt items
    items: pd.DataFrame                  # the baseline's linked unplanned items in those categories


def suggested_reduction(series: pd.DataFrame, knobs: Knobs, linked: pd.DataFrame,
                        debt: pd.DataFrame) -> SuggestedReduction:
    base = baseline(series, knobs)
    names = list(base["sprint"])
    cats = debt_categories(debt)
    rows = linked[linked["completion_sprint"].isin(names) & linked["category"].isin(cats)].reset_index(drop=True)
    numerator = float(rows["pts"].sum())
    denominator = float(base["unplanned_points"].sum()) if len(base) else 0.0
    value = min(1.0, numerator / denominator) if denominator > 0 else None
    return SuggestedReduction(value, numerator, denominator, names, cats, rows)


@dataclass(frozen=True)
class DebtPlan:
    items: pd.DataFrame        # rank, key, summary, category, category_rule, points, caused_points,
    #                            caused_points_baseline, incidents, running_points, fits
    invest_points_per_sprint: float | None
    invest_sprints: int
    budget: float | None       # I x K
    fit_items: int
    fit_points: float
    total_items: int
    total_points: float
    items_without_points: int  # among the fitting items (counted as 0)


def debt_plan(debt: pd.DataFrame, impact: pd.DataFrame, invest: float | None, invest_sprints: int) -> DebtPlan:
    """Rank the open debt items by what their category caused and fit them into I x K points."""
    caused = impact.set_index("category")["unplanned_points"] if len(impact) else pd.Series(dtype=float)
    caused_base = impact.set_index("category")["unplanned_points_baseline"] if len(impact) else pd.Series(dtype=float)
    frame = debt.copy()
    named = frame["category"].notna() & (frame["category_rule"] != NO_RULE)
    frame["category"] = frame["category"].where(named, UNCATEGORISED)
    frame["caused_points"] = frame["category"].map(caused).where(named).astype(float)
    frame["caused_points_baseline"] = frame["category"].map(caused_base).where(named).astype(float)
    frame["incidents"] = frame["incidents"].astype(int)
    frame["uncategorised"] = ~named
    frame["no_points"] = frame["points"].isna()
    frame["points"] = frame["points"].astype(float).fillna(0.0)
    frame = frame.sort_values(
        ["uncategorised", "caused_points", "caused_points_baseline", "category", "incidents", "created", "key"],
        ascending=[True, False, False, True, False, True, True], na_position="last").reset_index(drop=True)
    frame["rank"] = range(1, len(frame) + 1)
    frame["running_points"] = frame["points"].cumsum()
    budget = None if invest is None else float(invest) * invest_sprints
    frame["fits"] = (frame["running_points"] <= budget + 1e-9) if budget is not None else False
    fit = frame[frame["fits"]]
    columns = ["rank", "key", "summary", "type", "category", "category_rule", "points", "no_points", "caused_points",
               "caused_points_baseline", "incidents", "running_points", "fits"]
    return DebtPlan(frame[columns], invest, invest_sprints, budget, len(fit), float(fit["points"].sum()),
                    len(frame), float(frame["points"].sum()), int(fit["no_points"].sum()))


def plan_sentence(plan: DebtPlan) -> str:
    """'These 9 items, 41 points, fit the 6 × 6.9 = 41.4-point budget.'"""
    if plan.total_items == 0:
        return "No open debt items: nothing is labelled tech-debt, techdebt or debt, or linked to an incident."
    if plan.budget is None:
        return f"{plural(plan.total_items, 'open debt item')} ({num(plan.total_points)} points); no budget is set."
    budget = (f"the {plan.invest_sprints} × {num(plan.invest_points_per_sprint)} = {num(plan.budget)}-point budget")
    if plan.fit_items == 0:
        return (f"Not even the first item ({num(plan.items['points'].iloc[0])} points) fits {budget}; "
                f"{plural(plan.total_items, 'open debt item')} ({num(plan.total_points)} points) wait.")
    these = "This item" if plan.fit_items == 1 else f"These {plan.fit_items} items"
    text = f"{these}, {points(plan.fit_points)}, fit{'s' if plan.fit_items == 1 else ''} {budget}"
    rest = plan.total_items - plan.fit_items
    if rest:
        text += f"; {plural(rest, 'more item')} ({num(plan.total_points - plan.fit_points)} points) would not"
    else:
        text += ", the whole debt backlog"
    if plan.items_without_points:
        text += f" ({plural(plan.items_without_points, 'item')} in the plan had no estimate and count as 0)"
    return text + "."


# --- investment outputs -------------------------------------------------------------------------------------

def grid_values(reduction: float, invest: float) -> tuple[list[float], list[float]]:
    """r and I values of the sensitivity grid: fixed steps of r plus the current r; multiples of the current I."""
    rs = sorted({round(v, 4) for v in GRID_REDUCTIONS} | {round(float(reduction), 4)})
    invests = sorted({round(float(invest) * f, 1) for f in GRID_INVEST_FACTORS})
    return rs, invests


def _break_even(baseline_points: float, invest: float, invest_sprints: int, reduction: float,
                horizon: int) -> tuple[int | None, float]:
    """(break-even sprint, net points) of `investment.project` without building its table (the grid needs
    dozens of cases per page run). The same arithmetic, rounding included; tests hold the two together."""
    cumulative, first = 0.0, None
    for t in range(1, horizon + 1):
        unplanned = baseline_points * (1 - reduction * min(t, invest_sprints) / invest_sprints)
        cumulative = round(cumulative + (baseline_points - unplanned) - (invest if t <= invest_sprints else 0.0), 9)
        if first is None and cumulative >= 0:
            first = t
    return first, cumulative


def sensitivity(baseline_points: float, invest_sprints: int, horizon: int, reductions: list[float],
                invests: list[float]) -> pd.DataFrame:
    """Break-even sprint (None: not within the horizon) for every (r, I) pair, one row each."""
    rows = []
    for r in reductions:
        for i in invests:
            be, net = _break_even(baseline_points, i, invest_sprints, r, horizon)
            rows.append({"reduction": r, "invest": i, "break_even_sprint": be, "net_points": net})
    return pd.DataFrame(rows, columns=["reduction", "invest", "break_even_sprint", "net_points"])


def break_even_reduction(baseline_points: float, invest: float, invest_sprints: int, horizon: int) -> float | None:
    """The smallest r (in whole percent) that pays back within the horizon; None if even 100 % does not."""
    for whole in range(0, 101):
        if _break_even(baseline_points, invest, invest_sprints, whole / 100, horizon)[0] is not None:
            return whole / 100
    return None


def _money_note(points: float | None, point_value: float | None, currency: str) -> str:
    if points is None or point_value is None:
        return ""
    return f" ({money(points * point_value, currency)})"


def summary_sentence(case: InvestmentCase, point_value: float | None = None, currency: str = "") -> str:
    """The investment case in one sentence, from its numbers."""
    if case.baseline_unplanned_points is None or case.invest_points_per_sprint is None:
        return "No investment case yet: it needs at least one completed sprint to set the baseline."
    invest, k, h, r = case.invest_points_per_sprint, case.invest_sprints, case.horizon_sprints, case.expected_reduction
    head = f"Investing {points(invest)} a sprint for {plural(k, 'sprint')}"
    if invest == 0:
        return ("With no points invested there is nothing to pay back; set the points a sprint to see "
                "the case.")
    if case.baseline_unplanned_points == 0:
        return (f"The last {plural(len(case.baseline_sprints), 'completed sprint')} had no unplanned work, so paying "
                f"down debt has nothing to save: {head[0].lower() + head[1:]} would cost "
                f"{points(invest * min(k, h))}{_money_note(invest * min(k, h), point_value, currency)}.")
    if case.break_even_sprint is not None:
        when = "in the first sprint" if case.break_even_sprint == 1 else f"in sprint {case.break_even_sprint}"
        return (f"{head} pays back {when} and returns {points(case.net_points)}"
                f"{_money_note(case.net_points, point_value, currency)} over {h} sprints if unplanned work "
                f"falls by {pct(r)}.")
    needed = break_even_reduction(case.baseline_unplanned_points, invest, k, h)
    hint = (f" It would need unplanned work to fall by at least {pct(needed)}." if needed is not None else
            f" Even removing all unplanned work would not pay it back within {h} sprints.")
    return (f"{head} does not pay back within {h} sprints if unplanned work falls by {pct(r)}: it ends "
            f"{points(-case.net_points)}{_money_note(-case.net_points, point_value, currency)} short."
            + hint)


# --- everything together ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StoreData:
    """What the leadership view reads from the store: each piece is one analytics query with a small result
    (a row per sprint, incident, linked or debt item), never a frame of every work item in scope."""

    series: pd.DataFrame
    flow: pd.DataFrame
    incidents: pd.DataFrame          # incidents.incident_table
    linked: pd.DataFrame             # linked_work
    debt: pd.DataFrame               # debt_items
    as_of: dt.datetime | None


@dataclass(frozen=True)
class Leadership:
    knobs: Knobs
    settings: Settings
    projects: tuple[str, ...] | None
    as_of: dt.datetime | None
    series: pd.DataFrame
    status: FirefighterStatus
    period: Period
    delivery: Delivery
    flow: FlowSummary
    categories: pd.DataFrame
    oncall: pd.DataFrame
    oncall_summary: OncallSummary
    cost: CostOfStaying
    adequacy: reserve.ReserveAdequacy
    case: InvestmentCase
    scenarios: dict[str, InvestmentCase]
    linked: pd.DataFrame
    impact: pd.DataFrame
    suggested: SuggestedReduction
    plan: DebtPlan
    sensitivity: pd.DataFrame
    summary: str
    ask: list[str] = field(default_factory=list)

    @property
    def completed(self) -> pd.DataFrame:
        return sprints.completed_sprints(self.series)


def read_store(con: duckdb.DuckDBPyConnection, knobs: Knobs, projects: tuple[str, ...] | None = None) -> StoreData:
    return StoreData(
        series=sprints.sprint_series(con, knobs, projects),
        flow=backlog_flow(con, knobs, projects),
        incidents=incidents.incident_table(con, knobs, projects),
        linked=linked_work(con, knobs, projects),
        debt=debt_items(con, knobs, projects),
        as_of=sprints.data_as_of(con),
    )


def the_ask(case: InvestmentCase, plan: DebtPlan, adequacy: reserve.ReserveAdequacy,
            categories: pd.DataFrame, cautious: InvestmentCase | None, point_value: float | None = None,
            currency: str = "") -> list[str]:
    """What leadership is asked to approve, from the numbers."""
    asks: list[str] = []
    if case.baseline_unplanned_points is None or case.invest_points_per_sprint is None:
        asks.append("Collect at least one completed sprint of data before deciding on a debt paydown.")
    elif case.break_even_sprint is not None and case.invest_points_per_sprint > 0:
        total = case.invest_points_per_sprint * min(case.invest_sprints, case.horizon_sprints)
        work = (f" to pay down the {plural(plan.fit_items, 'debt item')} listed ({points(plan.fit_points)})"
                if plan.fit_items else "")
        fallback = ""
        if cautious is not None:
            fallback = (f"; in the cautious case (r × 0.5) it pays back in sprint {cautious.break_even_sprint}"
                        if cautious.break_even_sprint is not None else
                        f"; in the cautious case (r × 0.5) it would not pay back within "
                        f"{case.horizon_sprints} sprints")
        asks.append(f"Approve {points(case.invest_points_per_sprint)} a sprint for "
                    f"{plural(case.invest_sprints, 'sprint')} ({points(total)}"
                    f"{_money_note(total, point_value, currency).replace(' (', ', ').rstrip(')')}){work}: "
                    f"it pays back in sprint "
                    f"{case.break_even_sprint} and returns {points(case.net_points)} over "
                    f"{case.horizon_sprints} sprints{fallback}.")
    elif case.invest_points_per_sprint and case.baseline_unplanned_points:
        needed = break_even_reduction(case.baseline_unplanned_points, case.invest_points_per_sprint,
                                      case.invest_sprints, case.horizon_sprints)
        condition = (f"it pays back within {case.horizon_sprints} sprints only if unplanned work falls by at least "
                     f"{pct(needed)} (assumed: {pct(case.expected_reduction)})" if needed is not None else
                     f"it cannot pay back within {case.horizon_sprints} sprints")
        first = (f" Fund the {plural(plan.fit_items, 'top-ranked debt item')} ({points(plan.fit_points)}) as a "
                 "trial and measure the unplanned work they remove." if plan.fit_items else "")
        asks.append(f"Do not commit {points(case.invest_points_per_sprint)} a sprint for "
                    f"{plural(case.invest_sprints, 'sprint')} yet: {condition}.{first}")
    rec, cur = adequacy.recommended_points, adequacy.current_reserve_points
    basis = (f"the p{adequacy.quantile * 100:.0f} of unplanned points over the last {adequacy.window_months} "
             f"months; it would have covered {pct(adequacy.coverage_recommended)} of those sprints, the current "
             f"reserve {pct(adequacy.coverage_current)}")
    if adequacy.verdict == "under-reserved":
        asks.append(f"Raise the reserve for unplanned work from {num(cur)} to {num(rec)} points a sprint ({basis}).")
    elif adequacy.verdict == "over-reserved":
        asks.append(f"Lower the reserve for unplanned work from {num(cur)} to {num(rec)} points a sprint ({basis}).")
    elif adequacy.verdict == "adequate":
        asks.append(f"Keep the reserve for unplanned work at {num(cur)} points a sprint ({basis}).")
    gaps = categories[(categories["recurrences"] > 0) & categories["dod_gap"].notna()].head(3) \
        if len(categories) else categories
    if len(gaps):
        asks.append("Add to the definition of done: " + "; ".join(
            f"{row.dod_gap} ({row.category}: {plural(int(row.recurrences), 'repeat')})"
            for row in gaps.itertuples()) + ".")
    return asks


def assemble(data: StoreData, knobs: Knobs, settings: Settings = Settings(),
             projects: tuple[str, ...] | None = None,
             oncall_for: Callable[[Period], pd.DataFrame] | None = None) -> Leadership:
    """Every leadership figure from the store's query results; `oncall_for(period)` gives the on-call
    load of the chosen period (a query, so it is passed in; none: no on-call data)."""
    series = data.series
    status = firefighter_status(series)
    period = choose_period(series, status, settings)
    load = oncall_for(period) if oncall_for is not None else pd.DataFrame(
        columns=["person", "shift_hours", "shifts", "incidents", "out_of_hours_incidents", "sleep_hour_incidents"])
    linked = data.linked
    case = investment_case(series, knobs)
    cases = scenarios(series, knobs)
    impact = category_impact(linked, data.debt, series, case.baseline_sprints)
    plan = debt_plan(data.debt, impact, case.invest_points_per_sprint, knobs.invest_sprints)
    if case.baseline_unplanned_points is not None and case.invest_points_per_sprint is not None:
        rs, invests = grid_values(case.expected_reduction, case.invest_points_per_sprint)
        grid = sensitivity(case.baseline_unplanned_points, case.invest_sprints, case.horizon_sprints, rs, invests)
    else:
        grid = pd.DataFrame(columns=["reduction", "invest", "break_even_sprint", "net_points"])
    categories = categories_in(data.incidents, linked, period)
    adequacy = reserve.reserve_adequacy(series, knobs)
    return Leadership(
        knobs=knobs, settings=settings, projects=projects, as_of=data.as_of, series=series, status=status,
        period=period, delivery=delivery(series, period), flow=flow_summary(data.flow, period),
        categories=categories, oncall=load, oncall_summary=oncall_summary(load),
        cost=cost_of_staying(series, period, knobs.point_value, settings.hour_value),
        adequacy=adequacy, case=case, scenarios=cases, linked=linked, impact=impact,
        suggested=suggested_reduction(series, knobs, linked, data.debt), plan=plan, sensitivity=grid,
        summary=summary_sentence(case, knobs.point_value, settings.currency),
        ask=the_ask(case, plan, adequacy, categories, cases.get("cautious"), knobs.point_value, settings.currency),
    )


def collect(con: duckdb.DuckDBPyConnection, knobs: Knobs, projects: tuple[str, ...] | None = None,
            settings: Settings = Settings()) -> Leadership:
    """Read the store and assemble the leadership view (what the CLI brief uses)."""
    return assemble(read_store(con, knobs, projects), knobs, settings, projects,
                    oncall_for=lambda period: oncall_in(con, knobs, projects, period))
