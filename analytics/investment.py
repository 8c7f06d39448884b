"""The debt-paydown investment case: invest I points a sprint for K sprints to cut unplanned work by r.

For sprint t = 1..H: U_t = U * (1 - r * min(t, K) / K); saved_t = U - U_t;
cost_t = I while t <= K; cumulative_net_t = sum of (saved - cost) up to t.
Break-even is the first t with cumulative_net_t >= 0; ROI = net over H / total cost.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics.config import Knobs
from analytics.sprints import completed_sprints

DEFAULT_INVEST_SHARE = 0.2


@dataclass(frozen=True)
class InvestmentCase:
    baseline_sprints: list[str]
    baseline_unplanned_points: float | None
    invest_points_per_sprint: float | None
    invest_sprints: int
    expected_reduction: float
    horizon_sprints: int
    break_even_sprint: int | None
    net_points: float | None
    roi: float | None
    projection: pd.DataFrame  # t, unplanned_without, unplanned_with, saved, cost, cumulative_net


def project(baseline: float, invest: float, invest_sprints: int, reduction: float,
            horizon: int) -> pd.DataFrame:
    rows = []
    cumulative = 0.0
    for t in range(1, horizon + 1):
        unplanned = baseline * (1 - reduction * min(t, invest_sprints) / invest_sprints)
        saved = baseline - unplanned
        cost = invest if t <= invest_sprints else 0.0
        # Rounded so that a case breaking exactly even is not lost to float noise (0.4 * 3 - 1 != 0.2).
        cumulative = round(cumulative + saved - cost, 9)
        rows.append({"t": t, "unplanned_without": baseline, "unplanned_with": unplanned, "saved": saved,
                     "cost": cost, "cumulative_net": cumulative})
    return pd.DataFrame(rows, columns=["t", "unplanned_without", "unplanned_with", "saved", "cost",
                                       "cumulative_net"])


def outcome(projection: pd.DataFrame) -> tuple[int | None, float | None, float | None]:
    """(break-even sprint, net points over the horizon, ROI) of a projection."""
    if projection.empty:
        return None, None, None
    reached = projection[projection["cumulative_net"] >= 0]
    break_even = int(reached["t"].iloc[0]) if not reached.empty else None
    net = float(projection["cumulative_net"].iloc[-1])
    cost = float(projection["cost"].sum())
    return break_even, net, (net / cost if cost > 0 else None)


def baseline(series: pd.DataFrame, knobs: Knobs) -> pd.DataFrame:
    return completed_sprints(series).tail(knobs.baseline_sprints)


def investment_case(series: pd.DataFrame, knobs: Knobs, *, reduction: float | None = None,
                    invest: float | None = None) -> InvestmentCase:
    base = baseline(series, knobs)
    r = knobs.expected_reduction if reduction is None else reduction
    if base.empty:
        return InvestmentCase([], None, invest if invest is not None else knobs.invest_points_per_sprint,
                              knobs.invest_sprints, r, knobs.horizon_sprints, None, None, None, project(0, 0, 1, 0, 0))
    u = float(base["unplanned_points"].mean())
    if invest is None:
        invest = knobs.invest_points_per_sprint
    if invest is None:
        invest = DEFAULT_INVEST_SHARE * float((base["planned_done_points"] + base["unplanned_points"]).mean())
    table = project(u, invest, knobs.invest_sprints, r, knobs.horizon_sprints)
    break_even, net, roi = outcome(table)
    return InvestmentCase(list(base["sprint"]), u, invest, knobs.invest_sprints, r, knobs.horizon_sprints,
                          break_even, net, roi, table)


def scenarios(series: pd.DataFrame, knobs: Knobs) -> dict[str, InvestmentCase]:
    """The case at r x 0.5, r and r x 1.5 (reduction capped at 100 %)."""
    r = knobs.expected_reduction
    return {label: investment_case(series, knobs, reduction=min(1.0, r * factor))
            for label, factor in (("cautious", 0.5), ("expected", 1.0), ("optimistic", 1.5))}
