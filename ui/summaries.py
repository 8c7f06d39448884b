"""One-sentence text summaries of charts: the key numbers in words, beside each chart, for readers who cannot
see it (screen readers) or do not want to read a plot. Plain functions of analytics results (tested in
tests/test_summaries.py); names from the data go through `md()`."""

from __future__ import annotations

import pandas as pd

from analytics.reserve import ReserveAdequacy
from ui.explain import md, num, pct, plural


def reserve_summary(adequacy: ReserveAdequacy) -> str:
    """Overview reserve chart."""
    if adequacy.current_reserve_points is None or adequacy.recommended_points is None:
        return "In words: there is no recommendation yet."
    return (f"In words: the current reserve of {num(adequacy.current_reserve_points)} points covered "
            f"{pct(adequacy.coverage_current)} of the window's sprints; the recommended "
            f"{num(adequacy.recommended_points)} points would have covered {pct(adequacy.coverage_recommended)}.")


def over_time_summary(frame: pd.DataFrame, period: str) -> str:
    """Incidents per category and period: the busiest period."""
    if frame.empty:
        return "In words: no incidents to show."
    per = frame.groupby(["period_start", "period"], sort=True)[["incidents", "recurrences"]].sum().reset_index()
    top = per.sort_values(["incidents", "period_start"], ascending=[False, True]).iloc[0]
    return (f"In words: {plural(int(per['incidents'].sum()), 'incident')} over {plural(len(per), period)}; the "
            f"busiest {period} was {md(top['period'])} with {plural(int(top['incidents']), 'incident')}, "
            f"{int(top['recurrences'])} of them recurrences.")


def category_cost_summary(costs: pd.DataFrame) -> str:
    """Recurrences and unplanned points per category: the category at the top of the ranking."""
    if costs.empty:
        return "In words: no incidents to rank."
    top = costs.iloc[0]
    return (f"In words: {md(top['category'])} recurs most, {int(top['recurrences'])} recurrences in "
            f"{plural(int(top['incidents']), 'incident')}, which caused {num(top['unplanned_points'])} unplanned "
            f"points; all categories together caused {num(costs['unplanned_points'].sum())}.")


def resolve_summary(times: pd.DataFrame, by: str) -> str:
    """Hours to resolve per group: the slowest group by median."""
    known = times.dropna(subset=["median_hours"]) if len(times) else times
    if known.empty:
        return "In words: no incident has been resolved yet."
    slow = known.sort_values(["median_hours", "group"], ascending=[False, True]).iloc[0]
    return (f"In words: the slowest {by} to resolve is {md(slow['group'])}, median {num(slow['median_hours'])} h "
            f"and p90 {num(slow['p90_hours'])} h over {plural(int(slow['resolved']), 'resolved incident')}.")


def coverage_summary(coverage: float | None, with_postmortem: int, severe: int) -> str:
    """Post-mortem coverage over time: the overall share."""
    if severe == 0:
        return "In words: no severity 1–2 incident, so nothing to cover."
    return (f"In words: {with_postmortem} of the {plural(severe, 'severity 1–2 incident')} have a post-mortem "
            f"({pct(coverage)}).")


def load_summary(load: pd.DataFrame) -> str:
    """On-call load per person: the spread, without ranking anyone."""
    if load.empty:
        return "In words: nobody is on the schedule."
    hours = load["shift_hours"].astype(float)
    return (f"In words: shift hours per person range from {num(hours.min(), 0)} to {num(hours.max(), 0)} h "
            f"(median {num(hours.median(), 0)} h); incidents during shifts from {int(load['incidents'].min())} to "
            f"{int(load['incidents'].max())} per person.")
