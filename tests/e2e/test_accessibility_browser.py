"""Keyboard use in a real browser: the sidebar's controls and the page navigation work without a mouse.

From the top of the Overview, Tab alone reaches the firefighting-threshold slider; the arrow keys move it and
the page's numbers follow; Shift+Tab then reaches a page link in the sidebar navigation and Enter opens it.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

TIMEOUT = 30_000
MAX_TABS = 120

FOCUSED = """() => {
    const e = document.activeElement;
    if (!e) return null;
    return {role: e.getAttribute('role'), label: e.getAttribute('aria-label'), value: e.getAttribute('aria-valuenow'),
            text: (e.innerText || '').trim(), nav: !!e.closest('[data-testid="stSidebarNav"]'), tag: e.tagName};
}"""


def idle(page: Page) -> None:
    expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')).to_be_attached(
        timeout=TIMEOUT)


def tab_until(page: Page, wanted, key: str = "Tab") -> dict:
    """Press `key` until the focused element satisfies `wanted`; fail after MAX_TABS presses."""
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        focused = page.evaluate(FOCUSED) or {}
        if wanted(focused):
            return focused
        seen.append(focused.get("label") or focused.get("text", "")[:30] or focused.get("tag"))
    pytest.fail(f"not reached by {key} within {MAX_TABS} presses; focus went through: {seen}")


def test_the_threshold_slider_and_a_page_link_are_usable_by_keyboard(page: Page, app_url: str):
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=TIMEOUT)
    idle(page)
    expect(page.get_by_text("firefighting at 50% or more")).to_be_visible(timeout=TIMEOUT)

    page.locator("body").focus()
    tab_until(page, lambda f: f.get("label") == "Firefighting threshold")
    slider = page.get_by_test_id("stSidebar").get_by_role("slider", name="Firefighting threshold")
    expect(slider).to_be_focused()
    expect(slider).to_have_value("50")
    for _ in range(2):
        page.keyboard.press("ArrowLeft")
    expect(slider).to_have_value("40")
    expect(slider).to_be_focused()
    idle(page)
    # The number on the page follows the keyboard: the share chart's caption states the new threshold.
    expect(page.get_by_text("firefighting at 40% or more")).to_be_visible(timeout=TIMEOUT)

    tab_until(page, lambda f: f.get("nav") and f.get("tag") == "A" and f.get("text", "").endswith("Reserve"),
                        key="Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Reserve", exact=True)).to_be_visible(timeout=TIMEOUT)
    idle(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
