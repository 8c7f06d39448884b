"""The stability pages in a real browser: reached from the navigation, headline numbers equal to analytics,
Plotly charts rendered, and one control each that changes the page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from analytics import incidents, oncall, rotation, stability, store
from analytics.config import Knobs
from ui.explain import num, pct

pytestmark = pytest.mark.browser

TIMEOUT = 30_000


@pytest.fixture(scope="module")
def results(sample_store_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The numbers the pages must show, computed on a copy of the store the server reads."""
    path = tmp_path_factory.mktemp("expected-stability") / "firebreak.duckdb"
    shutil.copyfile(sample_store_template, path)
    con = store.open_store(str(path))
    try:
        def incident_figures(knobs: Knobs) -> dict:
            table = incidents.incident_table(con, knobs)
            return {"table": table, "costs": stability.category_costs(table, stability.linked_work(con, knobs))}
        load = rotation.alphabetical(oncall.oncall_load(con, Knobs()))
        debt = stability.tech_debt(con, Knobs())
        return {
            "action_keys": list(incidents.action_items(con, Knobs())["key"]),
            "open_debt_keys": sorted(debt.loc[~debt["done"].astype(bool), "key"]),
            "default": incident_figures(Knobs()),
            "window_30": incident_figures(Knobs(recurrence_days=30)),
            "load": load,
            "protection": rotation.protection(rotation.sprint_points(con), list(load["person"])),
            "protection_24": rotation.protection(rotation.sprint_points(con), list(load["person"]), 24.0),
        }
    finally:
        con.close()


def metric_value(page: Page, label: str):
    label_el = page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    return page.get_by_test_id("stMetric").filter(has=label_el).get_by_test_id("stMetricValue")


def open_page(page: Page, url: str, link: str, heading: str) -> None:
    """Open the app, then the page through the sidebar navigation (as a user does)."""
    page.goto(url)
    expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=TIMEOUT)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=link).click()
    expect(page.get_by_role("heading", name=heading)).to_be_visible(timeout=TIMEOUT)
    expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')).to_be_attached(
        timeout=TIMEOUT)


def test_incidents_page(page: Page, app_url: str, results: dict):
    want = results["default"]
    open_page(page, app_url, "Incidents", "Incidents and recurrence")
    table, costs = want["table"], want["costs"]
    expect(metric_value(page, "Incidents")).to_have_text(str(len(table)), timeout=TIMEOUT)
    expect(metric_value(page, "Recurrences")).to_have_text(str(int(table["recurrence"].sum())))
    expect(metric_value(page, "Most recurring category")).to_have_text(str(costs["category"].iloc[0]))
    expect(metric_value(page, "Unplanned points caused")).to_have_text(f"{num(costs['unplanned_points'].sum())} pts")
    expect(page.locator(".js-plotly-plot")).to_have_count(3, timeout=TIMEOUT)
    expect(page.get_by_text("Incidents no rule matched")).to_be_visible()
    # the sidebar's recurrence window changes the page
    box = page.get_by_test_id("stSidebar").get_by_role("spinbutton", name="Recurrence window (days)")
    box.fill("30")
    box.press("Enter")
    fewer = results["window_30"]["table"]
    assert int(fewer["recurrence"].sum()) < int(table["recurrence"].sum())
    expect(metric_value(page, "Recurrences")).to_have_text(str(int(fewer["recurrence"].sum())), timeout=TIMEOUT)
    expect(page.get_by_text("recurrence window 30 days", exact=False)).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_follow_through_page(page: Page, app_url: str, results: dict):
    table = results["default"]["table"]
    top = stability.severe(table)
    open_page(page, app_url, "Follow-through", "Follow-through")
    expect(metric_value(page, "Post-mortem coverage (SEV1/2)")).to_have_text(
        pct(incidents.postmortem_coverage(table)), timeout=TIMEOUT)
    expect(page.get_by_text(f"{int(top['has_postmortem'].sum())} of {len(top)}", exact=True)).to_be_visible()
    expect(page.locator(".js-plotly-plot")).to_have_count(3, timeout=TIMEOUT)
    expect(page.get_by_role("heading", name="Definition-of-Done gaps")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Checklist (Markdown)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("# Definition of Done")
    assert "- [ ] **Alerting and dashboards exist before release**" in text
    # the CSV downloads (built on click) have every row
    page.get_by_text(f"All action items ({len(results['action_keys'])})").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download every action item (CSV)").click()
    assert sorted(pd.read_csv(download.value.path())["key"]) == sorted(results["action_keys"])
    page.get_by_text(f"Debt items in the backlog, oldest first ({len(results['open_debt_keys'])})").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download every open debt item (CSV)").click()
    assert sorted(pd.read_csv(download.value.path())["key"]) == results["open_debt_keys"]
    # the quarter/month choice redraws the coverage chart
    page.get_by_text("Month", exact=True).click()
    expect(page.get_by_text("created in each month that have a post-mortem")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_oncall_page(page: Page, app_url: str, results: dict):
    load, prot = results["load"], results["protection"]
    open_page(page, app_url, "On-call", "On-call")
    expect(page.get_by_text("Blameless:")).to_be_visible(timeout=TIMEOUT)
    expect(metric_value(page, "People on the rotation")).to_have_text(str(len(load)))
    expect(metric_value(page, "Team per-person median")).to_have_text(f"{num(prot.team_median)} pts / sprint")
    flagged = int(prot.people["full_load"].sum())
    expect(metric_value(page, "On call with a full sprint load")).to_have_text(f"{flagged} of {len(prot.people)}")
    charts = page.locator(".js-plotly-plot")
    expect(charts).to_have_count(3, timeout=TIMEOUT)
    expect(charts.nth(1).locator("g.trace.bars").first).to_be_attached()  # the rotation calendar's shifts
    # people in alphabetical order on the load chart, top to bottom (the tick labels' screen positions)
    ticks = charts.first.locator("g.yaxislayer-above text")
    expect(ticks.first).to_be_attached()
    shown = sorted(((t.bounding_box()["y"], t.text_content()) for t in ticks.all()))
    names = list(dict.fromkeys(name for _, name in shown))
    assert names == sorted(load["person"], key=str.casefold)
    # a minimum overlap changes the protection figures
    box = page.get_by_role("spinbutton", name="Count a sprint as on call from this many hours of shift overlap")
    box.fill("24")
    box.press("Enter")
    want = results["protection_24"]
    expect(metric_value(page, "On call with a full sprint load")).to_have_text(
        f"{int(want.people['full_load'].sum())} of {len(want.people)}", timeout=TIMEOUT)
    expect(page.get_by_text("more than 24 hours of overlap")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
