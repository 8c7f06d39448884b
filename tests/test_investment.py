"""The investment case, worked by hand (METRICS.md formulas)."""

import pytest

from analytics.config import Knobs
from analytics.investment import investment_case, outcome, project, scenarios
from tests.builders import series


def test_break_even_in_sprint_three():
    # U=10, I=4, K=2, r=0.5, H=4
    # t1: U1=7.5 saved 2.5 cost 4 -> cum -1.5; t2: U2=5 saved 5 cost 4 -> cum -0.5
    # t3: saved 5 cost 0 -> cum 4.5 (break-even); t4: cum 9.5; ROI 9.5 / 8
    table = project(10, 4, 2, 0.5, 4)
    assert table["unplanned_with"].tolist() == [7.5, 5, 5, 5]
    assert table["cumulative_net"].tolist() == pytest.approx([-1.5, -0.5, 4.5, 9.5])
    assert outcome(table) == (3, pytest.approx(9.5), pytest.approx(9.5 / 8))


def test_never_breaks_even():
    # U=10, I=20, K=6, r=0.1, H=6: saved_t = t/6, cost 20 a sprint -> net -120 + 21/6
    be, net, roi = outcome(project(10, 20, 6, 0.1, 6))
    assert be is None
    assert net == pytest.approx(-120 + 21 / 6)
    assert roi == pytest.approx((-120 + 21 / 6) / 120)


def test_break_even_at_once_without_cost():
    be, net, roi = outcome(project(10, 0, 6, 0.4, 12))
    assert be == 1 and roi is None  # nothing invested: no ROI
    assert net == pytest.approx(sum(10 * 0.4 * min(t, 6) / 6 for t in range(1, 13)))


def test_investing_longer_than_the_horizon():
    # K=10 > H=4, U=10, r=0.4, I=1: saved_t = 0.4 t; cum = -0.6, -0.8, -0.6, 0.0 -> break-even at t=4
    table = project(10, 1, 10, 0.4, 4)
    assert table["cost"].tolist() == [1, 1, 1, 1]
    assert table["cumulative_net"].tolist() == pytest.approx([-0.6, -0.8, -0.6, 0.0])
    assert outcome(table)[0] == 4


def test_no_reduction_never_pays_back():
    be, net, roi = outcome(project(10, 3, 6, 0.0, 12))
    assert be is None and net == pytest.approx(-18) and roi == pytest.approx(-1.0)


def test_case_from_the_sprint_series_uses_defaults():
    # 7 completed sprints; the baseline is the last 6: unplanned 2..7 (mean 4.5),
    # planned done 10 each -> default invest = 20% of mean(10 + unplanned) = 0.2 * 14.5 = 2.9
    rows = [(f"S{i}", f"2026-01-{i + 1:02d}", 0.3, float(i), True) for i in range(1, 8)]
    s = series(rows + [("now", "2026-02-01", 0.9, 99.0, False)])
    case = investment_case(s, Knobs())
    assert case.baseline_sprints == ["S2", "S3", "S4", "S5", "S6", "S7"]
    assert case.baseline_unplanned_points == pytest.approx(4.5)
    assert case.invest_points_per_sprint == pytest.approx(2.9)
    expected = outcome(project(4.5, 2.9, 6, 0.4, 12))
    assert (case.break_even_sprint, case.net_points, case.roi) == (expected[0], pytest.approx(expected[1]),
                                                                  pytest.approx(expected[2]))
    explicit = investment_case(s, Knobs(invest_points_per_sprint=1.0))
    assert explicit.invest_points_per_sprint == 1.0


def test_scenarios_scale_the_reduction():
    rows = [(f"S{i}", f"2026-01-{i + 1:02d}", 0.3, 10.0, True) for i in range(1, 7)]
    cases = scenarios(series(rows), Knobs(expected_reduction=0.4))
    assert [c.expected_reduction for c in cases.values()] == pytest.approx([0.2, 0.4, 0.6])
    assert cases["cautious"].net_points < cases["expected"].net_points < cases["optimistic"].net_points


def test_no_completed_sprints_gives_nulls():
    case = investment_case(series([("now", "2026-02-01", 0.9, 9.0, False)]), Knobs())
    assert case.baseline_unplanned_points is None and case.break_even_sprint is None and case.roi is None
