"""The Unplanned work and Reserve pages in a real browser: heading, a key number equal to analytics, rendered charts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from analytics import reserve, sprints, store, trends
from analytics.config import Knobs
from ui.explain import VERDICT_LABELS, num, signed

pytestmark = pytest.mark.browser

TIMEOUT = 30_000


@pytest.fixture(scope="module")
def planning_results(sample_store_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The numbers the pages must show, computed on a copy of the store the server reads."""
    path = tmp_path_factory.mktemp("planning") / "firebreak.duckdb"
    shutil.copyfile(sample_store_template, path)
    con = store.open_store(str(path))
    try:
        series = sprints.sprint_series(con, Knobs())
    finally:
        con.close()
    window = reserve.window(series, 6)
    return {"window": window, "trend": trends.unplanned_trend(window),
            "reserve": reserve.reserve_adequacy(series, Knobs())}


def metric_value(page: Page, label: str):
    label_el = page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    return page.get_by_test_id("stMetric").filter(has=label_el).get_by_test_id("stMetricValue")


def open_page(page: Page, url: str, heading: str) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(timeout=TIMEOUT)
    expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')).to_be_attached(
        timeout=TIMEOUT)


def test_unplanned_page_in_the_browser(page: Page, app_url: str, planning_results: dict):
    open_page(page, f"{app_url}/unplanned", "Unplanned work")
    window, trend = planning_results["window"], planning_results["trend"]
    expect(metric_value(page, "Unplanned per sprint (window mean)")).to_have_text(
        f"{num(window['unplanned_points'].mean())} pts", timeout=TIMEOUT)
    expect(metric_value(page, "Trend over the window")).to_have_text(f"{signed(trend.slope)} pts / sprint")
    expect(page.get_by_text(trends.trend_words(trend), exact=True)).to_be_visible()
    charts = page.locator(".js-plotly-plot")
    expect(charts.first.locator("g.trace.bars").first).to_be_attached(timeout=TIMEOUT)
    expect(charts).to_have_count(9)
    expect(page.get_by_role("button", name="Download these items (CSV)")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_reserve_page_in_the_browser(page: Page, app_url: str, planning_results: dict):
    open_page(page, f"{app_url}/reserve", "Reserve")
    adequacy = planning_results["reserve"]
    expect(metric_value(page, "Recommended reserve (p80)")).to_have_text(
        f"{num(adequacy.recommended_points)} pts", timeout=TIMEOUT)
    expect(metric_value(page, "Verdict")).to_have_text(VERDICT_LABELS[adequacy.verdict])
    charts = page.locator(".js-plotly-plot")
    expect(charts).to_have_count(4, timeout=TIMEOUT)
    expect(charts.first.locator("g.trace.bars").first).to_be_attached()
    expect(page.get_by_text(f"recommended {adequacy.recommended_points:g}")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
