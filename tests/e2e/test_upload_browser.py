"""The Upload page in a real browser: a Jira export through the real file uploader, then the Overview follows.

The file adds unplanned Bugs completed in the last completed sample sprint (SHOP Sprint 26,
2026-11-09..2026-11-22), so that sprint's unplanned share rises. The expected numbers are
computed with `analytics` on a copy of the sample store with the same file imported.

This module runs its own server on its own store copy: the session's `app_url` server is
shared with the Overview tests, whose expected numbers assume the unchanged sample.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from analytics import sprints, store
from analytics.config import Knobs
from tests.e2e.conftest import before_and_after, bugs_in_sprint_26, running_app, store_copy
from ui.explain import pct

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 30_000


def firefight_export() -> bytes:
    """Twelve Bugs of 3 points created and resolved during SHOP Sprint 26."""
    return bugs_in_sprint_26(12, 3, "hotfix", "Checkout error", 9500)


def last_share(path: Path) -> tuple[str, float]:
    con = store.open_store(str(path))
    try:
        series = sprints.sprint_series(con, Knobs())
    finally:
        con.close()
    done = series[series["completed"]]
    return str(done["sprint"].iloc[-1]), float(done["unplanned_share"].iloc[-1])


@pytest.fixture(scope="module")
def export_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("upload") / "jira-firefight.csv"
    path.write_bytes(firefight_export())
    return path


@pytest.fixture(scope="module")
def expected(sample_store_template: Path, export_file: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    return before_and_after(sample_store_template, export_file, last_share, tmp_path_factory)



@pytest.fixture(scope="module")
def upload_app_url(chromium_executable: str, sample_store_template: Path, tmp_path_factory: pytest.TempPathFactory):
    """The app on its own copy of the sample store (this module writes to it)."""
    path = store_copy(sample_store_template, tmp_path_factory, "upload-e2e")
    with running_app(path, path.parent / "streamlit.log") as url:
        yield url


def idle(page: Page) -> None:
    expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')).to_be_attached(
        timeout=TIMEOUT)


def unplanned_last_sprint(page: Page):
    label = page.get_by_test_id("stMetricLabel").get_by_text("Unplanned, last sprint", exact=True)
    return page.get_by_test_id("stMetric").filter(has=label).get_by_test_id("stMetricValue")


def test_upload_a_jira_export_and_the_overview_follows(page: Page, upload_app_url: str, export_file: Path,
                                                       expected: dict, tmp_path: Path):
    (sprint_before, share_before), (sprint_after, share_after) = expected["before"], expected["after"]
    assert sprint_before == sprint_after == "SHOP Sprint 26"
    assert share_after > share_before and pct(share_after) != pct(share_before)

    page.set_viewport_size({"width": 1400, "height": 1600})
    page.goto(upload_app_url)
    expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=TIMEOUT)
    expect(unplanned_last_sprint(page)).to_have_text(pct(share_before), timeout=TIMEOUT)

    page.locator('[data-testid="stSidebarNav"] a', has_text="Upload").click()
    expect(page.get_by_role("heading", name="Upload")).to_be_visible(timeout=TIMEOUT)
    idle(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(export_file))
    confirm = page.get_by_role("button", name="Import 1 file")
    expect(confirm).to_be_enabled(timeout=TIMEOUT)
    idle(page)
    metric = page.get_by_test_id("stMetric")
    expect(metric.filter(has_text="Rows read").get_by_test_id("stMetricValue")).to_have_text("12")
    expect(metric.filter(has_text="To be loaded").get_by_test_id("stMetricValue")).to_have_text("12")
    expect(metric.filter(has_text="Unplanned share").get_by_test_id("stMetricValue")).to_have_text("100%")
    expect(page.get_by_role("combobox", name="Read as")).to_have_value(
        "Jira (CSV export, all or current fields) (detected)")
    page.screenshot(path=str(tmp_path / "upload-preview.png"), full_page=True)

    confirm.click()
    expect(page.get_by_text("Imported 1 file: every page now includes its data.")).to_be_visible(timeout=TIMEOUT)
    idle(page)
    expect(page.get_by_role("button", name="Import 1 file")).to_have_count(0)
    page.screenshot(path=str(tmp_path / "upload-done.png"), full_page=True)
    if os.environ.get("FIREBREAK_SCREENSHOTS"):
        for name in ("upload-preview.png", "upload-done.png"):
            shutil.copyfile(tmp_path / name, Path(os.environ["FIREBREAK_SCREENSHOTS"]) / name)

    page.get_by_role("link", name="See the Overview").click()
    expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=TIMEOUT)
    expect(unplanned_last_sprint(page)).to_have_text(pct(share_after), timeout=TIMEOUT)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_undo_in_the_browser_brings_the_overview_back(page: Page, upload_app_url: str, expected: dict):
    """Runs after the upload test (same server): the newest import is offered for undo, with a confirm step."""
    share_before = expected["before"][1]
    # Through the navigation: a deep link to /upload on a new session is served by Streamlit's legacy
    # `pages/` mode (the page without the entrypoint; STREAMLIT_DUCKDB_NOTES.md §1).
    page.goto(upload_app_url)
    expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=TIMEOUT)
    page.locator('[data-testid="stSidebarNav"] a', has_text="Upload").click()
    expect(page.get_by_role("heading", name="Upload")).to_be_visible(timeout=TIMEOUT)
    idle(page)
    choice = page.get_by_role("combobox", name="Import to undo")
    expect(choice).to_have_value(re.compile(r"^#5 · jira-firefight\.csv$"))
    page.get_by_role("button", name="Undo import #5").click()
    page.get_by_role("button", name="Yes, undo import #5").click()
    expect(page.get_by_text("undone: its rows were removed")).to_be_visible(timeout=TIMEOUT)
    idle(page)
    expect(page.get_by_role("combobox", name="Import to undo")).to_have_value(re.compile(r"^#4 · sprints\.csv$"))
    expect(page.get_by_role("button", name="Undo import #4")).to_be_visible()

    page.locator('[data-testid="stSidebarNav"] a', has_text="Overview").click()
    expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=TIMEOUT)
    expect(unplanned_last_sprint(page)).to_have_text(pct(share_before), timeout=TIMEOUT)
    expect(page.get_by_test_id("stException")).to_have_count(0)
