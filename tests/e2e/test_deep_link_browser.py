"""A page opened by its URL in a fresh session still gets the app's navigation and layout."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

TIMEOUT = 30_000


@pytest.mark.parametrize("path, heading", [("reserve", "Reserve"), ("oncall", "On-call")])
def test_direct_link_is_routed_through_the_entry_point(page: Page, app_url: str, path: str, heading: str):
    page.goto(f"{app_url}/{path}")
    expect(page.get_by_role("heading", name=heading, exact=True).first).to_be_visible(timeout=TIMEOUT)
    nav = page.locator('[data-testid="stSidebarNav"] a')
    # the app's page titles, not the legacy file names ("dashboard", "follow through", ...)
    expect(nav.filter(has_text="Unplanned work")).to_have_count(1, timeout=TIMEOUT)
    expect(nav.filter(has_text="follow through")).to_have_count(0)
    assert page.url.rstrip("/").endswith(f"/{path}")
