"""A new user's first five minutes, in a real browser: read the Overview on the sample, upload a Jira export and
see the Overview follow, move the reserve percentile and see the recommendation follow, open the investment
case and take the brief away.

The export adds unplanned Bugs completed in the last completed sample sprint (SHOP Sprint 26), so its
unplanned share rises. Every expected number is computed with `analytics` on a copy of the sample store with the
same file imported. This module runs its own server on its own store copy (it writes to it).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from analytics import reserve, sprints, store
from analytics.config import Knobs
from tests.e2e.conftest import before_and_after, bugs_in_sprint_26, running_app, store_copy
from ui.explain import num, pct

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 30_000
BRIEF_TIMEOUT = 120_000


def journey_export() -> bytes:
    """Eight Bugs of 2 points created and resolved during SHOP Sprint 26 (2026-11-09..2026-11-22)."""
    return bugs_in_sprint_26(8, 2, "interrupt", "Payment timeout", 9700)


def figures(path: Path) -> dict:
    con = store.open_store(str(path))
    try:
        series = sprints.sprint_series(con, Knobs())
    finally:
        con.close()
    done = series[series["completed"]]
    return {"sprint": str(done["sprint"].iloc[-1]), "share": float(done["unplanned_share"].iloc[-1]),
            "p95": reserve.reserve_adequacy(series, Knobs(reserve_quantile=0.95)).recommended_points,
            "p80": reserve.reserve_adequacy(series, Knobs()).recommended_points}


@pytest.fixture(scope="module")
def export_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("journey") / "jira-journey.csv"
    path.write_bytes(journey_export())
    return path


@pytest.fixture(scope="module")
def expected(sample_store_template: Path, export_file: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    return before_and_after(sample_store_template, export_file, figures, tmp_path_factory)



@pytest.fixture(scope="module")
def journey_url(chromium_executable: str, sample_store_template: Path, tmp_path_factory: pytest.TempPathFactory):
    """The app on its own copy of the sample store."""
    path = store_copy(sample_store_template, tmp_path_factory, "journey-e2e")
    with running_app(path, path.parent / "streamlit.log") as url:
        yield url


def idle(page: Page) -> None:
    expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')).to_be_attached(
        timeout=TIMEOUT)


def metric_value(page: Page, label: str):
    label_el = page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    return page.get_by_test_id("stMetric").filter(has=label_el).get_by_test_id("stMetricValue")


def go_to(page: Page, nav_label: str, heading: str) -> None:
    page.locator('[data-testid="stSidebarNav"] a', has_text=nav_label).click()
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(timeout=TIMEOUT)
    idle(page)


def test_a_new_user_journey(page: Page, journey_url: str, export_file: Path, expected: dict, tmp_path: Path):
    before, after = expected["before"], expected["after"]
    assert before["sprint"] == after["sprint"] == "SHOP Sprint 26"
    assert pct(after["share"]) != pct(before["share"])
    assert num(after["p95"]) != num(after["p80"])

    # 1. The Overview on the embedded sample: status, the headline numbers and what to do next.
    page.set_viewport_size({"width": 1400, "height": 1600})
    page.goto(journey_url)
    expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=TIMEOUT)
    expect(metric_value(page, "Unplanned, last sprint")).to_have_text(pct(before["share"]), timeout=TIMEOUT)
    expect(page.get_by_role("heading", name="What to do next")).to_be_visible()
    expect(page.get_by_text("Raise the reserve to", exact=False)).to_be_visible()

    # 2. Upload a Jira export: preview, confirm, and the Overview follows.
    go_to(page, "Upload", "Upload")
    expect(page.get_by_text("How to export from your tool")).to_be_visible()
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(export_file))
    confirm = page.get_by_role("button", name="Import 1 file")
    expect(confirm).to_be_enabled(timeout=TIMEOUT)
    idle(page)
    expect(page.get_by_test_id("stMetric").filter(has_text="Rows read").get_by_test_id("stMetricValue")
           ).to_have_text("8")
    confirm.click()
    expect(page.get_by_text("Imported 1 file: every page now includes its data.")).to_be_visible(timeout=TIMEOUT)
    idle(page)
    page.get_by_role("link", name="See the Overview").click()
    expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=TIMEOUT)
    expect(metric_value(page, "Unplanned, last sprint")).to_have_text(pct(after["share"]), timeout=TIMEOUT)

    # 3. The reserve percentile: from p80 to p95 with the keyboard, and the recommendation follows.
    expect(metric_value(page, "Recommended reserve (p80)")).to_have_text(f"{num(after['p80'])} pts")
    slider = page.get_by_test_id("stSidebar").get_by_role("slider", name="Reserve percentile")
    slider.focus()
    for _ in range(3):
        slider.press("ArrowRight")
    expect(slider).to_have_value("95")
    idle(page)
    expect(metric_value(page, "Recommended reserve (p95)")).to_have_text(f"{num(after['p95'])} pts",
                                                                         timeout=TIMEOUT)

    # 4. The investment case, and the brief when the page offers it.
    go_to(page, "Investment case", "Investment case")
    expect(metric_value(page, "Paydown break-even")).to_be_visible(timeout=TIMEOUT)
    prepare = page.get_by_role("button", name="Prepare the leadership brief")
    download_button = page.get_by_role("button", name="Download the brief (PDF)")
    if prepare.count():
        prepare.click()
    if prepare.count() or download_button.count():
        expect(download_button).to_be_visible(timeout=BRIEF_TIMEOUT)
        with page.expect_download(timeout=TIMEOUT) as info:
            download_button.click()
        target = tmp_path / info.value.suggested_filename
        info.value.save_as(target)
        assert target.read_bytes().startswith(b"%PDF")
    expect(page.get_by_test_id("stException")).to_have_count(0)
