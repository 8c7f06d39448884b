"""Every page on a store with nothing imported (and on a thin one): no exception, and words that say what is
missing, with a link to the Upload page wherever data is needed."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics import store
from tests.builders import insert, item, sprint
from ui import explain

ROOT = Path(__file__).resolve().parents[1]

# page -> words its empty state must contain
EMPTY = {
    "pages/overview.py": "no work items yet",
    "pages/upload.py": "The store is empty",
    "pages/unplanned.py": "no work items yet",
    "pages/reserve.py": "no work items yet",
    "pages/incidents.py": "No incidents in the store",
    "pages/follow_through.py": "No incidents in the store",
    "pages/oncall.py": "No on-call schedule",
    "pages/firefighter.py": "",
    "pages/investment.py": "",
}
LINKS_TO_UPLOAD = [p for p in EMPTY if p not in ("pages/upload.py", "pages/firefighter.py", "pages/investment.py")]


def visit(path: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    if path != "pages/overview.py":
        at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


def messages(at: AppTest) -> str:
    return "\n".join(el.value for el in [*at.info, *at.warning, *at.success, *at.markdown, *at.caption])


@pytest.mark.parametrize("path", list(EMPTY))
def test_every_page_on_an_empty_store_explains_itself(empty_store, path):
    at = visit(path)
    text = messages(at)
    assert text.strip(), f"{path} shows no explanation"
    assert EMPTY[path] in text
    if path in LINKS_TO_UPLOAD:
        assert (explain.UPLOAD_LINK, "upload") in [(link.label, link.proto.page) for link in at.page_link]
    if path in ("pages/firefighter.py", "pages/investment.py"):
        assert at.info or at.warning, f"{path} on an empty store should say what it is waiting for"


@pytest.fixture
def thin_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two completed sprints and a third in progress, a handful of items, no incidents or schedule."""
    path = tmp_path / "thin.duckdb"
    con = store.open_store(str(path), load_sample=False)
    insert(con, "sprints", [sprint("S1", "2026-01-05", "2026-01-18"), sprint("S2", "2026-01-19", "2026-02-01"),
                            sprint("S3", "2026-02-02", "2026-02-15")])
    insert(con, "work_items", [
        item("T-1", created="2026-01-02 10:00", resolved="2026-01-07 10:00", points=3, sprints=["S1"]),
        item("T-2", type="Bug", created="2026-01-08 10:00", resolved="2026-01-09 10:00", points=2, sprints=["S1"]),
        item("T-3", created="2026-01-15 10:00", resolved="2026-01-22 10:00", points=5, sprints=["S2"]),
        item("T-4", created="2026-01-30 10:00", resolved="2026-02-03 10:00", points=1, sprints=["S3"]),
    ])
    con.close()
    monkeypatch.setenv("FIREBREAK_DB", str(path))
    return path


@pytest.mark.parametrize("path", list(EMPTY))
def test_every_page_on_thin_data_says_what_it_cannot_conclude_yet(thin_store, path):
    at = visit(path)
    text = messages(at)
    if path in ("pages/overview.py", "pages/firefighter.py"):
        assert "Not enough data" in " ".join(m.value for m in at.metric) + text
    if path in ("pages/unplanned.py", "pages/reserve.py"):
        assert "Not enough data for" in text
    if path in ("pages/incidents.py", "pages/follow_through.py"):
        assert "No incidents in the store" in text
    if path == "pages/oncall.py":
        assert "No on-call schedule" in text


def test_the_upload_page_has_a_how_to_export_guide_per_tool_and_keeps_the_template(sample_store):
    from ui.export_guide import EXPORT_GUIDE

    at = visit("pages/upload.py")
    labels = [e.label for e in at.expander]
    assert labels[0].startswith("What to upload")
    for tool, gives, _ in EXPORT_GUIDE:
        assert f"{tool}: {gives}" in labels
    assert {"Jira Cloud / Data Center", "Azure DevOps Boards", "Linear", "GitHub Projects", "PagerDuty", "Opsgenie",
            "incident.io", "ServiceNow"} == {tool for tool, _, _ in EXPORT_GUIDE}
    assert any("Export CSV (all fields)" in m.value for m in at.markdown)
    assert "Download a sprints-file template" in [b.label for b in at.download_button]
    assert not any("The store is empty" in i.value for i in at.info)  # the sample is loaded
