"""Firefighter and Investment pages in a real browser: headline numbers, charts, and the brief's PDF download."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from analytics import leadership, store
from analytics.config import Knobs
from ui.explain import STATUS_LABELS, num, pct, signed

pytestmark = pytest.mark.browser

TIMEOUT = 30_000
BRIEF_TIMEOUT = 120_000   # charts through kaleido and Chromium on a busy machine


@pytest.fixture(scope="module")
def view(sample_store_template: Path, tmp_path_factory: pytest.TempPathFactory) -> leadership.Leadership:
    """What the pages must show, computed on a copy of the store the server reads."""
    path = tmp_path_factory.mktemp("expected-lead") / "firebreak.duckdb"
    shutil.copyfile(sample_store_template, path)
    con = store.open_store(str(path))
    try:
        return leadership.collect(con, Knobs())
    finally:
        con.close()


def metric_value(page: Page, label: str):
    label_el = page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    return page.get_by_test_id("stMetric").filter(has=label_el).get_by_test_id("stMetricValue")


def open_page(page: Page, url: str, path: str, heading: str) -> None:
    page.goto(f"{url}/{path}")
    expect(page.get_by_role("heading", name=heading)).to_be_visible(timeout=TIMEOUT)
    expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')).to_be_attached(
        timeout=TIMEOUT)


def test_firefighter_page_in_the_browser(page: Page, app_url: str, view: leadership.Leadership):
    open_page(page, app_url, "firefighter", "Firefighter mode")
    expect(metric_value(page, "Firefighter status")).to_have_text(STATUS_LABELS[view.status.status], timeout=TIMEOUT)
    expect(metric_value(page, "Unplanned share (period)")).to_have_text(pct(view.delivery.unplanned_share))
    expect(metric_value(page, "Planned delivery lost")).to_have_text(f"{num(view.delivery.planned_lost_points)} pts")
    expect(metric_value(page, "Backlog net flow")).to_have_text(f"{signed(view.flow.net_items)} items")
    expect(page.locator(".js-plotly-plot")).to_have_count(4, timeout=TIMEOUT)
    expect(page.get_by_text("episode (", exact=False).first).to_be_attached()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_investment_page_downloads_the_brief_as_a_pdf(page: Page, app_url: str, view: leadership.Leadership,
                                                       tmp_path: Path):
    open_page(page, app_url, "investment", "Investment case")
    case = view.case
    expect(metric_value(page, "Paydown break-even")).to_have_text(f"Sprint {case.break_even_sprint}",
                                                                  timeout=TIMEOUT)
    expect(metric_value(page, f"Net after {case.horizon_sprints} sprints")).to_have_text(
        f"{signed(case.net_points)} pts")
    expect(page.locator(".js-plotly-plot")).to_have_count(4, timeout=TIMEOUT)
    page.get_by_role("button", name="Prepare the leadership brief").click()
    download_button = page.get_by_role("button", name="Download the brief (PDF)")
    expect(download_button).to_be_visible(timeout=BRIEF_TIMEOUT)
    expect(page.get_by_text("charts rendered by kaleido", exact=False)).to_be_visible()
    with page.expect_download(timeout=TIMEOUT) as info:
        download_button.click()
    download = info.value
    assert download.suggested_filename.startswith("leadership-brief-") and download.suggested_filename.endswith(".pdf")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    data = target.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 10_000
    if shutil.which("pdftotext"):
        text = " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", str(target), "-"], capture_output=True,
                                       check=True).stdout.decode("utf-8").split())
        assert "Status: At risk" in text
        assert f"pays back in sprint {case.break_even_sprint}" in text
    expect(page.get_by_test_id("stException")).to_have_count(0)
