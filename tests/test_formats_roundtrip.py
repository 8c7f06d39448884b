"""One team's two sprints exported from Jira, Azure DevOps and Linear give the same sprint figures.

The seven items (roundtrip_*.csv): CHK-1 planned and done in Sprint 1; CHK-2 committed to Sprint 1,
carried over and done in Sprint 2; CHK-3 created on Sprint 1's first day (planning, not mid-sprint);
CHK-4 added mid-Sprint 1 (unplanned, 4 h spent); CHK-5 a bug in Sprint 2 (unplanned, 3 h); CHK-6
planned and done in Sprint 2; CHK-7 committed to Sprint 2 and still open. Jira and Azure DevOps
get the sprint calendar from roundtrip_sprints.csv; Linear carries it in its cycle columns.
"""

from pathlib import Path

import pytest

from analytics import store
from analytics.config import Knobs
from analytics.sprints import sprint_series
from tests.builders import new_store

FIXTURES = Path(__file__).parent / "fixtures"
EXPORTS = {
    "jira": ["roundtrip_jira.csv", "roundtrip_sprints.csv"],
    "ado": ["roundtrip_ado.csv", "roundtrip_sprints.csv"],
    "linear": ["roundtrip_linear.csv"],
}


@pytest.fixture(scope="module")
def series():
    out = {}
    for tool, files in EXPORTS.items():
        con = new_store()
        formats = [store.import_file(con, f, path=FIXTURES / f).format for f in files]
        assert formats[0] == {"jira": "jira_csv", "ado": "azure_devops_csv", "linear": "linear_csv"}[tool]
        out[tool] = sprint_series(con, Knobs()).set_index("sprint")
    return out


def column(frame, name):
    return [None if v != v else v for v in frame[name].tolist()]  # NaN -> None


def test_the_same_sprints_with_the_same_dates(series):
    for tool in ("ado", "linear"):
        assert list(series[tool].index) == list(series["jira"].index) == ["Sprint 1", "Sprint 2"]
        assert column(series[tool], "start") == column(series["jira"], "start")
        assert column(series[tool], "end") == column(series["jira"], "end")   # Linear: cycle end is exclusive


def test_done_and_unplanned_points_agree_in_all_three(series):
    for tool in ("jira", "ado", "linear"):
        assert column(series[tool], "planned_done_points") == [5.0, 13.0], tool
        assert column(series[tool], "unplanned_points") == [3.0, 2.0], tool   # mid-sprint CHK-4; bug CHK-5


def test_hours_agree_where_the_export_has_them(series):
    # Jira Time Spent (seconds) and Azure DevOps Completed Work (hours); Linear has no time tracking.
    assert column(series["jira"], "unplanned_hours") == column(series["ado"], "unplanned_hours") == [4.0, 3.0]
    assert column(series["linear"], "unplanned_hours") == [0.0, 0.0]


def test_commitment_and_carry_over_need_the_sprint_history_only_jira_exports(series):
    # Jira lists every sprint an item was in; Azure DevOps (Iteration Path) and Linear (Cycle) only the
    # current one, so the carried-over CHK-2 (5 points) counts in Sprint 1 and as carry-over only in Jira.
    assert column(series["jira"], "carryover_points") == [0.0, 5.0]
    for tool in ("ado", "linear"):
        assert column(series[tool], "carryover_points") == [0.0, 0.0], tool
        assert column(series[tool], "committed_points") == [5.0, 16.0], tool
        assert column(series[tool], "say_do")[1] == pytest.approx(13 / 16), tool
    assert column(series["jira"], "committed_points") == [10.0, 16.0]
    assert column(series["jira"], "say_do") == [pytest.approx(0.5), pytest.approx(13 / 16)]
