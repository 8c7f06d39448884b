"""Planning views over the per-sprint series: trend, quarters, why work was unplanned, reserve what-ifs.

Pure functions of `sprints.sprint_series` / `sprints.classified_items` frames,
and the same per-item figures as small DuckDB aggregates (`completed_work`,
`why_unplanned_in`, `rule_options`, `hours_recorded`, the drill-down of a
single sprint): the Unplanned work and Reserve pages use those, so they never
hold one row per work item, and only draw what these return. The pandas
functions over classified items stay as the reference the aggregates are
tested against. Definitions are METRICS.md's; where a page offers an option
METRICS.md does not have (counting items without points, the what-if reserve,
the Monte Carlo), its default reproduces the report's numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from analytics import queries
from analytics.config import Knobs
from analytics.sprints import completed_sprints

# Fewer completed sprints than this and a trend, distribution or simulation says more than the data can.
MIN_SPRINTS = 4
TREND_CONFIDENCE = 0.90
MONTE_CARLO_TRIALS = 10_000
MONTE_CARLO_SEED = 20_260_101
MONTE_CARLO_HORIZON = 3
HOURS_QUANTILE = 0.8


# --- trend ----------------------------------------------------------------------------------------------------

def _t_abs_cdf(t: float, df: int) -> float:
    """P(|T| <= t) for Student's t with an integer number of degrees of freedom.

    Abramowitz & Stegun 26.7.3 (odd df) and 26.7.4 (even df): exact finite series
    in theta = atan(t / sqrt(df)), so no statistics library is needed.
    """
    theta = math.atan(t / math.sqrt(df))
    c2, s = math.cos(theta) ** 2, math.sin(theta)
    if df % 2:
        if df == 1:
            return 2 * theta / math.pi
        term = total = math.cos(theta)
        for k in range(1, (df - 3) // 2 + 1):
            term *= c2 * (2 * k) / (2 * k + 1)
            total += term
        return 2 / math.pi * (theta + s * total)
    term = total = 1.0
    for k in range(1, (df - 2) // 2 + 1):
        term *= c2 * (2 * k - 1) / (2 * k)
        total += term
    return s * total


def t_quantile(p: float, df: int) -> float:
    """The p quantile (p > 0.5) of Student's t with `df` degrees of freedom, by bisection on the exact CDF."""
    if not 0.5 < p < 1 or df < 1:
        raise ValueError("needs 0.5 < p < 1 and df >= 1")
    two_sided = 2 * p - 1
    lo, hi = 0.0, 1.0
    while _t_abs_cdf(hi, df) < two_sided:
        hi *= 2
    for _ in range(200):
        mid = (lo + hi) / 2
        if _t_abs_cdf(mid, df) < two_sided:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-12:
            break
    return (lo + hi) / 2


@dataclass(frozen=True)
class Trend:
    sprints: list[str]
    values: list[float]
    slope: float | None            # least-squares change per sprint
    intercept: float | None        # fitted value of the first sprint
    low: float | None              # confidence interval of the slope
    high: float | None
    confidence: float

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def could_be_flat(self) -> bool | None:
        return None if self.slope is None else self.low <= 0 <= self.high

    def fitted(self) -> list[float]:
        if self.slope is None:
            return []
        return [self.intercept + self.slope * i for i in range(self.n)]


def linear_trend(values: list[float] | np.ndarray, sprints: list[str] | None = None,
                 confidence: float = TREND_CONFIDENCE) -> Trend:
    """Least-squares slope of `values` against the sprint index 0, 1, 2, ... with a t-based interval.

    The interval is slope ± t(1 - (1 - confidence) / 2, n - 2) × SE(slope), SE = sqrt(SSE / (n - 2) / Sxx).
    Needs 3 values (one degree of freedom); with fewer every statistic is None.
    """
    y = np.asarray(values, dtype=float)
    names = list(sprints) if sprints is not None else [str(i + 1) for i in range(y.size)]
    if y.size < 3:
        return Trend(names, [float(v) for v in y], None, None, None, None, confidence)
    x = np.arange(y.size, dtype=float)
    sxx = float(((x - x.mean()) ** 2).sum())
    slope = float(((x - x.mean()) * (y - y.mean())).sum() / sxx)
    intercept = float(y.mean() - slope * x.mean())
    sse = float(((y - (intercept + slope * x)) ** 2).sum())
    se = math.sqrt(sse / (y.size - 2) / sxx)
    half = t_quantile(1 - (1 - confidence) / 2, y.size - 2) * se
    return Trend(names, [float(v) for v in y], slope, intercept, slope - half, slope + half, confidence)


def trend_words(trend: Trend, unit: str = "points") -> str:
    """'rising about 1.2 points a sprint; could be flat' (the interval contains 0) or 'falling about ...'."""
    if trend.slope is None:
        return f"not enough sprints for a trend ({trend.n})"
    size = abs(trend.slope)
    if round(size, 1) == 0:
        words = "flat (less than 0.1 " + unit + " a sprint either way)"
    else:
        words = f"{'rising' if trend.slope > 0 else 'falling'} about {size:.1f} {unit} a sprint"
    return words + ("; could be flat" if trend.could_be_flat and round(size, 1) != 0 else "")


def unplanned_trend(window: pd.DataFrame, column: str = "unplanned_points") -> Trend:
    """The trend of a per-sprint column over the window's completed sprints (in start order)."""
    return linear_trend(window[column].astype(float).to_numpy(), list(window["sprint"]))


# --- this quarter vs last -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class QuarterStats:
    quarter: str                    # '2026 Q4'
    sprints: list[str]
    mean_unplanned_points: float | None
    mean_unplanned_share: float | None   # mean of the sprints' shares (sprints without a share left out)

    @property
    def n(self) -> int:
        return len(self.sprints)


@dataclass(frozen=True)
class QuarterComparison:
    this: QuarterStats
    last: QuarterStats

    @property
    def change_points(self) -> float | None:
        a, b = self.this.mean_unplanned_points, self.last.mean_unplanned_points
        return None if a is None or b is None else a - b

    @property
    def change_share(self) -> float | None:
        a, b = self.this.mean_unplanned_share, self.last.mean_unplanned_share
        return None if a is None or b is None else a - b


def _quarter_label(period: pd.Period) -> str:
    return f"{period.year} Q{period.quarter}"


def _quarter_stats(done: pd.DataFrame, period: pd.Period) -> QuarterStats:
    rows = done[pd.to_datetime(done["end"]).dt.to_period("Q") == period]
    share = rows["unplanned_share"].astype(float).dropna()
    return QuarterStats(
        quarter=_quarter_label(period),
        sprints=list(rows["sprint"]),
        mean_unplanned_points=float(rows["unplanned_points"].astype(float).mean()) if len(rows) else None,
        mean_unplanned_share=float(share.mean()) if len(share) else None,
    )


def quarter_comparison(series: pd.DataFrame) -> QuarterComparison | None:
    """Completed sprints grouped by the calendar quarter of their end date: the latest quarter and the one before.

    'This quarter' is the quarter of the latest completed sprint's end, so it always has a sprint;
    None without completed sprints.
    """
    done = completed_sprints(series)
    if done.empty:
        return None
    this = pd.Timestamp(pd.to_datetime(done["end"]).max()).to_period("Q")
    return QuarterComparison(_quarter_stats(done, this), _quarter_stats(done, this - 1))


# --- counting items without points ----------------------------------------------------------------------------

POINTS_OPTIONS = ("zero", "default", "hours")


def _with_share(sums: pd.DataFrame) -> pd.DataFrame:
    total = sums["planned_done_points"] + sums["unplanned_points"]
    sums["unplanned_share"] = (sums["unplanned_points"] / total.where(total != 0)).astype(float)
    return sums


def _counting_params(knobs: Knobs, projects: tuple[str, ...] | None, mode: str, default_points: float,
                     **more: object) -> dict:
    if mode not in POINTS_OPTIONS:
        raise ValueError(f"mode must be one of {POINTS_OPTIONS}, got {mode!r}")
    return {**queries.params_for(knobs, projects), "points_mode": mode, "default_points": float(default_points),
            **more}


SUM_COLUMNS = ("planned_done_points", "unplanned_points", "planned_done_items", "unplanned_items",
               "planned_without_points", "unplanned_without_points")


def completed_work(con: duckdb.DuckDBPyConnection, knobs: Knobs, projects: tuple[str, ...] | None = None,
                   mode: str = "zero", default_points: float = 0.0) -> pd.DataFrame:
    """Per completion sprint (ordered by name): planned done and unplanned points, counted as `mode` says (an
    item's points, or for one without points 0, `default_points` or its hours), the planned and unplanned items
    and those without points. One GROUP BY in DuckDB, whatever the number of items."""
    sums = queries.run(con, "planning_completed_sums", _counting_params(knobs, projects, mode, default_points))
    sums = sums.astype({c: float if c.endswith("points") else "int64" for c in SUM_COLUMNS})
    return _with_share(sums)


def items_without_points(sums: pd.DataFrame, sprints: list[str]) -> tuple[int, int]:
    """(planned, unplanned) items without points completed in one of `sprints`, from `completed_work`."""
    chosen = sums[sums["sprint"].astype(object).isin(set(sprints))]   # (object: pandas' str isin is slow)
    return int(chosen["planned_without_points"].sum()), int(chosen["unplanned_without_points"].sum())


def with_counted_points(series: pd.DataFrame, sums: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """The series with planned done, unplanned, share, overrun and firefighting from `completed_work`.

    Committed, carry-over, added mid-sprint and say/do keep METRICS.md's counting (missing points = 0).
    """
    by_sprint = sums.set_index("sprint")
    out = series.copy()
    for column in ("planned_done_points", "unplanned_points"):
        out[column] = out["sprint"].map(by_sprint[column]).fillna(0.0).astype(float)
    total = out["planned_done_points"] + out["unplanned_points"]
    out["unplanned_share"] = (out["unplanned_points"] / total.where(total != 0)).astype(float)
    out["overrun_points"] = (out["unplanned_points"] - out["reserve_points"].astype(float)).clip(lower=0.0)
    out["firefighting"] = (out["unplanned_share"] >= threshold).fillna(False).astype(bool)
    return out


# --- why it was unplanned -------------------------------------------------------------------------------------

# The rules in METRICS.md's order, which is also the order of "first matching rule".
RULES = (("by_type", "type"), ("by_label", "label"), ("by_mid_sprint", "added mid-sprint"))


def why_unplanned(row: pd.Series) -> str:
    """'type, added mid-sprint': every rule the item matches, in METRICS.md's order ('' when planned)."""
    return ", ".join(name for column, name in RULES if bool(row[column]))


@dataclass(frozen=True)
class RuleBreakdown:
    table: pd.DataFrame    # rule, items, points (each rule the item matches), first_items, first_points
    items: int             # unplanned items (each once)
    points: float
    several_rules: int     # items matching more than one rule


BREAKDOWNS = {"type": "type", "component": "components", "label": "labels"}
NONE_VALUE = "(none)"


def _largest_first(out: pd.DataFrame) -> pd.DataFrame:
    out["items"] = out["items"].astype(int)
    return out.sort_values(["points", "items", "value"], ascending=[False, False, True]).reset_index(drop=True)


@dataclass(frozen=True)
class WhyUnplanned:
    """Why the unplanned items completed in some sprints were unplanned: per rule, and per type, component, label."""

    rules: RuleBreakdown
    by: dict[str, pd.DataFrame]     # BREAKDOWNS' dimension -> `unplanned_by`'s frame


def why_unplanned_in(con: duckdb.DuckDBPyConnection, knobs: Knobs, projects: tuple[str, ...] | None,
                     sprints: list[str], mode: str = "zero", default_points: float = 0.0) -> WhyUnplanned:
    """Why the unplanned items completed in `sprints` were unplanned, with points counted as `mode` says.

    Per rule, two counts: every item the rule matches (an item matching several counts under each), and items
    whose *first* matching rule it is (type, then label, then added mid-sprint: these add up to the total). Per
    type, component and label: value, items, points (an item with several components or labels counts under
    each, one with none under '(none)'), largest points first. Two small aggregates in DuckDB.
    """
    params = _counting_params(knobs, projects, mode, default_points, sprints=list(sprints), none_value=NONE_VALUE)
    one = queries.run(con, "planning_rule_breakdown", params).iloc[0]
    table = pd.DataFrame([{"rule": name, "items": int(one[f"{column}_items"]),
                           "points": float(one[f"{column}_points"]),
                           "first_items": int(one[f"{column}_first_items"]),
                           "first_points": float(one[f"{column}_first_points"])} for column, name in RULES])
    rules = RuleBreakdown(table, int(one["items"]), float(one["points"]), int(one["several_rules"]))
    frame = queries.run(con, "planning_unplanned_by", params)
    by = {}
    for dimension in BREAKDOWNS:
        rows = frame[frame["dimension"] == dimension]
        by[dimension] = _largest_first(pd.DataFrame({"value": rows["value"].astype(str).to_numpy(),
                                                     "items": rows["items"].to_numpy(),
                                                     "points": rows["points"].astype(float).to_numpy()}))
    return WhyUnplanned(rules, by)


@dataclass(frozen=True)
class RuleOptions:
    """Values the rules editor offers from the data (besides the listed ones and the defaults)."""

    types: list[str]     # in the order they first appear among the items (by created, then key)
    labels: list[str]    # sorted


def rule_options(con: duckdb.DuckDBPyConnection, projects: tuple[str, ...] | None = None) -> RuleOptions:
    """The distinct types and labels of the items in scope (a few rows, from one DISTINCT query)."""
    frame = queries.run(con, "planning_rule_options", queries.params_for(Knobs(), projects))
    # a missing label inside a list reads 'None' (as str() of the list element would)
    values = ["None" if pd.isna(v) else str(v) for v in frame["value"].astype(object)]
    kinds = frame["kind"].tolist()
    return RuleOptions([v for v, k in zip(values, kinds) if k == "type"],
                       sorted({v for v, k in zip(values, kinds) if k == "label"}))


# --- drill-down and export ------------------------------------------------------------------------------------

DRILLDOWN_COLUMNS = ("key", "summary", "type", "points", "hours", "unplanned", "why_unplanned",
                     "completed_here", "labels", "components")


def sprint_items(con: duckdb.DuckDBPyConnection, knobs: Knobs, projects: tuple[str, ...] | None,
                 sprint: str) -> pd.DataFrame:
    """The items listing `sprint` (filtered in SQL), classified as everywhere else, with why each is unplanned.

    Columns DRILLDOWN_COLUMNS; unplanned items first, then by key.
    """
    frame = queries.run(con, "sprint_drilldown", {**queries.params_for(knobs, projects), "sprint": sprint})
    frame["unplanned"] = frame["by_type"] | frame["by_label"] | frame["by_mid_sprint"]
    frame["why_unplanned"] = frame.apply(why_unplanned, axis=1) if len(frame) else pd.Series(dtype=str)
    frame = frame.rename(columns={"time_spent_hours": "hours"})
    for column in ("labels", "components"):
        frame[column] = frame[column].map(lambda v: ", ".join(v) if v is not None and len(v) else "")
    frame["completed_here"] = frame["completed_here"].fillna(False).astype(bool)
    frame = frame.sort_values(["unplanned", "completed_here", "key"], ascending=[False, False, True])
    return frame[list(DRILLDOWN_COLUMNS)].reset_index(drop=True)


# --- reserve what-ifs ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class OverrunCost:
    """What overrunning the reserve cost the planned work, over the window."""

    overrun_sprints: list[str]
    other_sprints: list[str]
    say_do_overrun: float | None        # mean say/do of overrun sprints (those with a say/do)
    say_do_other: float | None
    planned_done_overrun: float | None  # mean planned done points
    planned_done_other: float | None


def _mean(values: pd.Series) -> float | None:
    values = values.astype(float).dropna()
    return float(values.mean()) if len(values) else None


def overrun_cost(window: pd.DataFrame) -> OverrunCost:
    over = window["overrun_points"].astype(float) > 0
    return OverrunCost(
        overrun_sprints=list(window["sprint"][over]), other_sprints=list(window["sprint"][~over]),
        say_do_overrun=_mean(window["say_do"][over]), say_do_other=_mean(window["say_do"][~over]),
        planned_done_overrun=_mean(window["planned_done_points"][over]),
        planned_done_other=_mean(window["planned_done_points"][~over]),
    )


@dataclass(frozen=True)
class WhatIf:
    reserve: float
    coverage: float | None              # share of window sprints whose unplanned points fit in the reserve
    basis: str                          # 'capacity' (sprints file) or 'throughput' (no capacity given)
    basis_points: float | None          # mean capacity, or mean planned done + unplanned points
    basis_sprints: list[str]
    planned_capacity: float | None      # basis - reserve (not below 0)


def what_if(window: pd.DataFrame, reserve: float) -> WhatIf:
    """Coverage of `reserve` and the planned capacity left beside it, over the window's sprints.

    The basis is the mean capacity of the window sprints the sprints file gives one for; with none,
    the mean points completed per sprint (planned done + unplanned) stands in for capacity.
    """
    values = window["unplanned_points"].astype(float)
    coverage = float((values <= reserve).mean()) if len(values) else None
    capacity = window["capacity_points"].astype(float) if "capacity_points" in window else pd.Series(dtype=float)
    if capacity.notna().any():
        basis, used = "capacity", window[capacity.notna()]
        points = float(capacity.dropna().mean())
    else:
        basis, used = "throughput", window
        total = window["planned_done_points"].astype(float) + values
        points = float(total.mean()) if len(total) else None
    return WhatIf(float(reserve), coverage, basis, points, list(used["sprint"]),
                  None if points is None else max(0.0, points - float(reserve)))


@dataclass(frozen=True)
class HoldProbability:
    reserve: float
    sprints: int                 # window sprints resampled
    trials: int
    seed: int
    horizon: int
    next_sprint: float | None    # share of trials whose first sprint fits in the reserve
    all_of_horizon: float | None  # share of trials where every one of `horizon` sprints fits


def reserve_hold_probability(unplanned: list[float] | np.ndarray, reserve: float, *,
                             trials: int = MONTE_CARLO_TRIALS, seed: int = MONTE_CARLO_SEED,
                             horizon: int = MONTE_CARLO_HORIZON) -> HoldProbability:
    """Monte Carlo: draw `horizon` future sprints from the window's unplanned points (bootstrap, with
    replacement, numpy default_rng(seed)) `trials` times; how often does the reserve hold?"""
    values = np.asarray(unplanned, dtype=float)
    if values.size == 0:
        return HoldProbability(float(reserve), 0, trials, seed, horizon, None, None)
    draws = np.random.default_rng(seed).choice(values, size=(trials, horizon), replace=True)
    holds = draws <= reserve
    return HoldProbability(float(reserve), int(values.size), trials, seed, horizon,
                           float(holds[:, 0].mean()), float(holds.all(axis=1).mean()))


# --- hours -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class HoursSummary:
    recorded: bool               # some item completed in the window has time spent
    sprints: list[str]
    hours: list[float]
    median: float | None
    p80: float | None


def hours_recorded(con: duckdb.DuckDBPyConnection, projects: tuple[str, ...] | None, sprints: list[str]) -> bool:
    """Whether some item completed in one of `sprints` has time spent recorded (one EXISTS-like count)."""
    params = {**queries.params_for(Knobs(), projects), "sprints": list(sprints)}
    return bool(queries.run(con, "planning_hours_recorded", params)["recorded"].iloc[0])


def hours_summary(window: pd.DataFrame, recorded: bool) -> HoursSummary:
    """Median and p80 (linear interpolation) of unplanned hours per window sprint, when time is recorded
    (`hours_recorded`)."""
    hours = window["unplanned_hours"].astype(float).to_numpy()
    if not recorded or hours.size == 0:
        return HoursSummary(recorded, list(window["sprint"]), [float(h) for h in hours], None, None)
    return HoursSummary(recorded, list(window["sprint"]), [float(h) for h in hours],
                        float(np.quantile(hours, 0.5)), float(np.quantile(hours, HOURS_QUANTILE, method="linear")))


def reserve_tradeoff(window: pd.DataFrame, reserves: list[float] | np.ndarray) -> pd.DataFrame:
    """`what_if` at each reserve: reserve, coverage, planned_capacity (the curve the what-if slider moves on)."""
    # what_if's numbers for every reserve at once: the basis does not depend on the reserve, and the share of
    # sprints at or under a reserve is a count in the sorted values (the same count / n as the mean of a mask).
    reserves = [float(r) for r in reserves]
    basis = what_if(window, 0.0).basis_points
    values = np.sort(window["unplanned_points"].astype(float).to_numpy())
    fits = np.searchsorted(values, reserves, side="right") if values.size else []
    return pd.DataFrame({
        "reserve": reserves,
        "coverage": [int(k) / values.size for k in fits] if values.size else [None] * len(reserves),
        "planned_capacity": [None if basis is None else max(0.0, basis - r) for r in reserves]})
