"""On-call load per person: shift hours and the incidents that landed in their shifts."""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics import queries
from analytics.config import Knobs


def oncall_load(con: duckdb.DuckDBPyConnection, knobs: Knobs,
                projects: tuple[str, ...] | None = None) -> pd.DataFrame:
    """person, shift_hours, shifts, incidents, out_of_hours_incidents, sleep_hour_incidents."""
    return queries.run(con, "oncall_load", queries.params_for(knobs, projects))


def gini(values: list[float]) -> float | None:
    """Gini coefficient (0 = perfectly even, towards 1 = one person carries everything)."""
    xs = sorted(float(v) for v in values)
    n = len(xs)
    total = sum(xs)
    if n == 0 or total == 0:
        return None
    weighted = sum((i + 1) * x for i, x in enumerate(xs))
    return (2 * weighted) / (n * total) - (n + 1) / n


def fairness(load: pd.DataFrame) -> dict[str, float | None]:
    """max/min of shift hours and of incidents per person, and the Gini of incidents per person."""
    def ratio(col: str) -> float | None:
        if load.empty or load[col].min() <= 0:
            return None
        return float(load[col].max() / load[col].min())
    return {"shift_hours_max_min": ratio("shift_hours"), "incidents_max_min": ratio("incidents"),
            "incidents_gini": gini(list(load["incidents"])) if not load.empty else None}
