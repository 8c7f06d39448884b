"""Reserve adequacy and firefighter status on hand-built sprint series."""

import pytest

from analytics.config import Knobs
from analytics.firefighter import firefighter_status, firefighting_episodes
from analytics.reserve import reserve_adequacy
from tests.builders import series


def test_recommended_reserve_coverage_and_verdict():
    s = series([
        ("old", "2025-12-31", 0.3, 30.0, True),   # ends more than 6 months before the latest: outside the window
        ("S1", "2026-03-31", 0.1, 2.0, True),
        ("S2", "2026-04-30", 0.2, 4.0, True),
        ("S3", "2026-05-31", 0.3, 6.0, True),
        ("S4", "2026-06-30", 0.4, 8.0, True),
        ("S5", "2026-07-31", 0.5, 10.0, True),
        ("now", "2026-08-14", 0.9, 50.0, False),  # in progress: not in the window
    ], reserve=6.0)
    r = reserve_adequacy(s, Knobs())
    assert r.window_sprints == ["S1", "S2", "S3", "S4", "S5"]
    # quantile_cont([2,4,6,8,10], 0.8): position 0.8 * 4 = 3.2 -> 8 + 0.2 * (10 - 8) = 8.4
    assert r.recommended_points == pytest.approx(8.4)
    assert r.current_reserve_points == 6.0
    assert r.coverage_current == pytest.approx(3 / 5)      # 2, 4, 6 fit in 6
    assert r.coverage_recommended == pytest.approx(4 / 5)  # 2, 4, 6, 8 fit in 8.4
    assert r.verdict == "under-reserved"                   # 6 < 8.4 * 0.9 = 7.56


def test_window_edge_is_exclusive():
    # latest completed end 2026-07-31; 6 months earlier is 2026-01-31, which is excluded
    s = series([("A", "2026-01-31", 0.1, 1.0, True), ("B", "2026-02-01", 0.1, 3.0, True),
                ("C", "2026-07-31", 0.1, 5.0, True)])
    assert reserve_adequacy(s, Knobs()).window_sprints == ["B", "C"]
    assert reserve_adequacy(s, Knobs(window_months=12)).window_sprints == ["A", "B", "C"]


@pytest.mark.parametrize("current, verdict", [(7.6, "adequate"), (7.5, "under-reserved"), (10.5, "adequate"),
                                              (10.6, "over-reserved")])
def test_verdict_thresholds(current, verdict):
    s = series([("S1", "2026-03-31", 0.1, 2.0, True), ("S2", "2026-04-30", 0.2, 4.0, True),
                ("S3", "2026-05-31", 0.3, 6.0, True), ("S4", "2026-06-30", 0.4, 8.0, True),
                ("S5", "2026-07-31", 0.5, 10.0, True)], reserve=current)
    assert reserve_adequacy(s, Knobs()).verdict == verdict  # recommended 8.4: x0.9 = 7.56, x1.25 = 10.5


def test_empty_window_gives_nulls():
    s = series([("now", "2026-08-14", 0.9, 50.0, False)], reserve=5)
    r = reserve_adequacy(s, Knobs())
    assert r.window_sprints == [] and r.recommended_points is None
    assert r.coverage_current is None and r.coverage_recommended is None and r.verdict is None
    assert r.current_reserve_points == 5


def _shares(*shares, in_progress=None):
    rows = [(f"S{i}", f"2026-01-{10 + i:02d}", sh, 1.0, True) for i, sh in enumerate(shares, start=1)]
    if in_progress is not None:
        rows.append(("now", "2026-02-28", in_progress, 1.0, False))
    return series(rows)


@pytest.mark.parametrize("shares, status", [
    ((0.2, 0.6, 0.7, 0.3), "firefighting"),   # 2 of the last 3
    ((0.1, 0.6, 0.2, 0.3), "at_risk"),        # 1 of the last 3
    ((0.1, 0.2, 0.3, 0.4), "at_risk"),        # none, but rising in each of the last 3
    ((0.3, 0.2, 0.3, 0.4), "healthy"),        # S2 did not rise above S1
    ((0.4, 0.3, 0.2, 0.1), "healthy"),
    ((0.2, None, 0.3, 0.4), "healthy"),       # a sprint without completed work breaks the rise
])
def test_status(shares, status):
    assert firefighter_status(_shares(*shares, in_progress=0.99)).status == status


def test_status_needs_three_completed_sprints():
    result = firefighter_status(_shares(0.9, 0.9, in_progress=0.9))
    assert result.status is None and "3 completed sprints" in result.reason


def test_episodes_are_runs_of_two_or_more_completed_sprints():
    s = _shares(0.6, 0.2, 0.7, 0.8, 0.9, 0.1, 0.5, 0.5, in_progress=0.9)
    eps = firefighting_episodes(s)
    assert [(e.first_sprint, e.last_sprint, e.sprints) for e in eps] == [("S3", "S5", 3), ("S7", "S8", 2)]
