"""The Overview in a real browser: heading, headline numbers equal to analytics, rendered Plotly charts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from analytics import firefighter, incidents, reserve, sprints, store
from analytics.config import Knobs
from ui.explain import STATUS_LABELS, num, pct

pytestmark = pytest.mark.browser

TIMEOUT = 30_000


@pytest.fixture(scope="module")
def analytics_results(sample_store_template: Path, tmp_path_factory: pytest.TempPathFactory):
    """The numbers the page must show, computed on a copy of the store the server reads."""
    path = tmp_path_factory.mktemp("expected") / "firebreak.duckdb"
    shutil.copyfile(sample_store_template, path)
    con = store.open_store(str(path))
    try:
        def compute(knobs: Knobs) -> dict:
            series = sprints.sprint_series(con, knobs, None)
            done = series[series["completed"]]
            return {
                "status": firefighter.firefighter_status(series),
                "reserve": reserve.reserve_adequacy(series, knobs),
                "top": incidents.by_category(con, knobs, None).iloc[0],
                "last_share": float(done["unplanned_share"].iloc[-1]),
            }
        return {"default": compute(Knobs()), "threshold_25": compute(Knobs(firefight_threshold=0.25))}
    finally:
        con.close()


def metric_value(page: Page, label: str):
    label_el = page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    return page.get_by_test_id("stMetric").filter(has=label_el).get_by_test_id("stMetricValue")


def open_overview(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')).to_be_attached(
        timeout=TIMEOUT)


def test_overview_shows_headlines_and_charts(page: Page, app_url: str, analytics_results: dict):
    want = analytics_results["default"]
    open_overview(page, app_url)
    expect(metric_value(page, "Firefighter status")).to_have_text(STATUS_LABELS[want["status"].status],
                                                                  timeout=TIMEOUT)
    expect(metric_value(page, "Unplanned, last sprint")).to_have_text(pct(want["last_share"]))
    adequacy = want["reserve"]
    expect(metric_value(page, "Current reserve")).to_have_text(f"{num(adequacy.current_reserve_points)} pts")
    expect(metric_value(page, f"Recommended reserve (p{adequacy.quantile * 100:.0f})")).to_have_text(
        f"{num(adequacy.recommended_points)} pts")
    expect(metric_value(page, "Category")).to_have_text(str(want["top"]["category"]))
    expect(metric_value(page, "Recurrences")).to_have_text(str(int(want["top"]["recurrences"])))
    charts = page.locator(".js-plotly-plot")
    expect(charts).to_have_count(3, timeout=TIMEOUT)
    expect(charts.first.locator("g.trace.bars").first).to_be_attached()
    expect(page.get_by_text("firefighting threshold 50%")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_threshold_slider_in_the_sidebar_updates_the_page(page: Page, app_url: str, analytics_results: dict):
    want = analytics_results["threshold_25"]
    open_overview(page, app_url)
    slider = page.get_by_test_id("stSidebar").get_by_role("slider", name="Firefighting threshold")
    expect(slider).to_have_value("50", timeout=TIMEOUT)
    slider.focus()
    for _ in range(5):
        slider.press("ArrowLeft")
    expect(slider).to_have_value("25")
    expect(page.get_by_text("firefighting threshold 25%")).to_be_visible(timeout=TIMEOUT)
    expect(metric_value(page, "Firefighter status")).to_have_text(STATUS_LABELS[want["status"].status])
    expect(page.get_by_test_id("stException")).to_have_count(0)
