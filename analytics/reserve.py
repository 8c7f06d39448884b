"""Reserve adequacy: is the capacity held back for unplanned work the right size?"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.config import Knobs
from analytics.sprints import completed_sprints


@dataclass(frozen=True)
class ReserveAdequacy:
    window_sprints: list[str]
    window_unplanned_points: list[float]
    window_months: int
    quantile: float
    recommended_points: float | None
    current_reserve_points: float | None
    coverage_current: float | None
    coverage_recommended: float | None
    verdict: str | None


def window(series: pd.DataFrame, window_months: int) -> pd.DataFrame:
    """Completed sprints ending after the latest completed sprint's end minus `window_months` months."""
    done = completed_sprints(series)
    if done.empty:
        return done
    ends = pd.to_datetime(done["end"])
    cutoff = ends.max() - pd.DateOffset(months=window_months)
    return done[ends > cutoff].reset_index(drop=True)


def coverage(unplanned: list[float] | np.ndarray, reserve: float | None) -> float | None:
    """Share of sprints whose unplanned points fit within the reserve."""
    values = np.asarray(unplanned, dtype=float)
    if reserve is None or values.size == 0:
        return None
    return float(np.mean(values <= reserve))


def verdict(current: float | None, recommended: float | None) -> str | None:
    if current is None or recommended is None:
        return None
    if current < recommended * 0.9:
        return "under-reserved"
    if current > recommended * 1.25:
        return "over-reserved"
    return "adequate"


def reserve_adequacy(series: pd.DataFrame, knobs: Knobs) -> ReserveAdequacy:
    win = window(series, knobs.window_months)
    values = win["unplanned_points"].astype(float).to_numpy() if not win.empty else np.array([])
    recommended = float(np.quantile(values, knobs.reserve_quantile, method="linear")) if values.size else None
    current = float(series["reserve_points"].iloc[-1]) if not series.empty else None
    return ReserveAdequacy(
        window_sprints=list(win["sprint"]) if not win.empty else [],
        window_unplanned_points=[float(v) for v in values],
        window_months=knobs.window_months,
        quantile=knobs.reserve_quantile,
        recommended_points=recommended,
        current_reserve_points=current,
        coverage_current=coverage(values, current),
        coverage_recommended=coverage(values, recommended),
        verdict=verdict(current, recommended),
    )
