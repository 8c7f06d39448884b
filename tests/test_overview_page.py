"""The Overview page (AppTest): shows what the analytics functions compute, follows the sidebar, explains itself.

Every expected value is computed here with `analytics` on the same store file
the app reads, then formatted with the page's own formatting helpers.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from analytics import firefighter, incidents, investment, next_steps, oncall, reserve, sprints, store
from analytics.config import Knobs
from tests.builders import insert, item, sprint
from ui import controls, explain
from ui.explain import STATUS_LABELS, VERDICT_LABELS, num, pct, signed

ROOT = Path(__file__).resolve().parents[1]


def app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def expected(path: Path, knobs: Knobs = Knobs(), projects: tuple[str, ...] | None = None) -> dict:
    """What the page must show, straight from analytics (a second connection in this process shares the file)."""
    con = store.open_store(str(path))
    try:
        series = sprints.sprint_series(con, knobs, projects)
        categories = incidents.by_category(con, knobs, projects)
        action_items = incidents.action_items(con, knobs, projects)
        incident_table = incidents.incident_table(con, knobs, projects)
        load = oncall.oncall_load(con, Knobs(), projects)
    finally:
        con.close()
    done = series[series["completed"]]
    return {
        "series": series,
        "status": firefighter.firefighter_status(series),
        "reserve": reserve.reserve_adequacy(series, knobs),
        "case": investment.investment_case(series, knobs),
        "categories": categories,
        "last_share": float(done["unplanned_share"].iloc[-1]),
        "steps": next_steps.next_steps(firefighter.firefighter_status(series), reserve.reserve_adequacy(series, knobs),
                                       next_steps.open_follow_ups_by_category(action_items, incident_table), load,
                                       investment.investment_case(series, knobs)),
    }


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def chart_spec(at: AppTest, index: int) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def ys(trace: dict) -> list[float | None]:
    """A trace's y values; plotly 7 may send numbers as a typed array."""
    y = trace["y"]
    if isinstance(y, dict):
        return [float(v) for v in np.frombuffer(base64.b64decode(y["bdata"]), y["dtype"])]
    return [None if v is None else float(v) for v in y]


def assert_headlines(at: AppTest, want: dict) -> None:
    shown = metrics(at)
    adequacy, case, top = want["reserve"], want["case"], want["categories"].iloc[0]
    assert shown["Firefighter status"] == STATUS_LABELS[want["status"].status]
    assert shown["Unplanned, last sprint"] == pct(want["last_share"])
    assert shown["Reserve vs recommended"] == (
        f"{num(adequacy.current_reserve_points)} / {num(adequacy.recommended_points)} pts")
    assert [m.delta for m in at.metric if m.label == "Reserve vs recommended"] == [VERDICT_LABELS[adequacy.verdict]]
    assert shown["Current reserve"] == f"{num(adequacy.current_reserve_points)} pts"
    assert shown[f"Recommended reserve (p{adequacy.quantile * 100:.0f})"] == f"{num(adequacy.recommended_points)} pts"
    assert shown["Coverage, current reserve"] == pct(adequacy.coverage_current)
    assert shown["Coverage, recommended"] == pct(adequacy.coverage_recommended)
    assert shown["Category"] == explain.md(top["category"])
    assert shown["Recurrences"] == str(int(top["recurrences"]))
    assert shown["Incidents"] == str(int(top["incidents"]))
    assert shown["Paydown break-even"] == (
        f"Sprint {case.break_even_sprint}" if case.break_even_sprint else f"Not within {case.horizon_sprints}")
    assert shown[f"Net after {case.horizon_sprints} sprints"] == f"{signed(case.net_points)} pts"


def test_overview_shows_the_analytics_results(sample_store):
    want = expected(sample_store)
    at = app()
    assert at.title[0].value == "Overview"
    assert_headlines(at, want)
    # The sample's story: a firefighting episode, an under-sized reserve, recurring incidents.
    assert want["status"].episodes and want["reserve"].verdict == "under-reserved"
    assert int(want["categories"]["recurrences"].iloc[0]) > 0


def test_every_figure_says_how_it_was_computed_and_over_how_much_data(sample_store):
    want = expected(sample_store)
    at = app()
    text = captions(at)
    done = want["series"][want["series"]["completed"]]
    adequacy = want["reserve"]
    assert f"over {len(done)} completed sprints" in text
    assert f"Over {len(adequacy.window_sprints)} completed sprints that ended within 6 months" in text
    assert f"Out of {int(want['categories']['incidents'].sum())} incidents" in text
    assert f"the mean of the last {len(want['case'].baseline_sprints)} completed sprints" in text
    assert f"{int(done['completed_items_without_points'].sum())} completed items had no points" in text
    assert len(at.get("plotly_chart")) == 3
    assert len(at.expander) == 5 and all(e.label == "How this is computed" for e in at.expander)


def test_unplanned_share_chart_carries_the_series_and_the_threshold(sample_store):
    want = expected(sample_store)
    at = app()
    spec = chart_spec(at, 0)
    traces = {t["name"]: t for t in spec["data"]}
    series = want["series"]
    done = series[series["completed"]]
    normal, hot = ys(traces["Unplanned share"]), ys(traces["Firefighting sprint"])
    bars = [a if a is not None else b for a, b in zip(normal, hot)][:len(done)]
    assert bars == pytest.approx(list(done["unplanned_share"]))
    assert [s["y0"] for s in spec["layout"]["shapes"]] == [0.5]


def test_threshold_slider_changes_status_chart_and_firefighting(sample_store):
    at = app()
    at.slider(key=controls.THRESHOLD).set_value(25).run()
    assert not at.exception
    knobs = Knobs(firefight_threshold=0.25)
    want = expected(sample_store, knobs)
    assert want["status"].status == "firefighting"  # the last sprints are all above 25 %
    assert_headlines(at, want)
    assert [s["y0"] for s in chart_spec(at, 0)["layout"]["shapes"]] == [0.25]
    assert "firefighting at 25% or more" in captions(at)
    # The value is kept in a plain session key and survives a rerun.
    assert at.session_state["fb.firefight_threshold"] == 25
    at.run()
    assert at.slider(key=controls.THRESHOLD).value == 25
    assert metrics(at)["Firefighter status"] == "Firefighting"


def test_quantile_slider_and_window_change_the_reserve(sample_store):
    at = app()
    at.slider(key=controls.QUANTILE).set_value(95).run()
    want = expected(sample_store, Knobs(reserve_quantile=0.95))
    assert not at.exception
    assert_headlines(at, want)
    assert want["reserve"].recommended_points != expected(sample_store)["reserve"].recommended_points

    at.radio(key=controls.WINDOW).set_value(12).run()
    want = expected(sample_store, Knobs(reserve_quantile=0.95, window_months=12))
    assert not at.exception
    assert_headlines(at, want)
    assert f"Over {len(want['reserve'].window_sprints)} completed sprints that ended within 12 months" in captions(at)


def test_recurrence_window_and_default_reserve_change_their_numbers(sample_store):
    at = app()
    at.number_input(key=controls.RECURRENCE).set_value(30).run()
    at.number_input(key=controls.RESERVE).set_value(4.0).run()
    assert not at.exception
    want = expected(sample_store, Knobs(recurrence_days=30, default_reserve_points=4.0))
    assert_headlines(at, want)
    assert "created within 30 days before it" in captions(at)


def test_project_filter(sample_store):
    at = app()
    options = at.multiselect(key=controls.PROJECTS).options
    assert options
    at.multiselect(key=controls.PROJECTS).set_value([options[0]]).run()
    assert not at.exception
    assert_headlines(at, expected(sample_store, projects=(options[0],)))
    assert options[0] in captions(at)
    at.run()
    assert at.multiselect(key=controls.PROJECTS).value == [options[0]]
    assert at.session_state["fb.projects"] == [options[0]]


def test_a_rerun_recomputes_only_what_changed(sample_store, monkeypatch):
    calls: dict[str, int] = {}

    def counting(module, name):
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            calls[name] = calls.get(name, 0) + 1
            return original(*args, **kwargs)
        monkeypatch.setattr(module, name, wrapper)

    counting(sprints, "sprint_series")
    counting(incidents, "by_category")
    counting(reserve, "reserve_adequacy")
    counting(investment, "investment_case")
    at = app()
    first = dict(calls)
    assert first == {"sprint_series": 1, "by_category": 1, "reserve_adequacy": 1, "investment_case": 1}
    at.run()
    assert calls == first  # nothing changed: everything from the cache
    at.slider(key=controls.QUANTILE).set_value(90).run()
    assert calls == {**first, "reserve_adequacy": 2}  # only the reserve depends on the percentile
    at.slider(key=controls.QUANTILE).set_value(80).run()
    assert calls == {**first, "reserve_adequacy": 2}  # back to a cached value


def test_a_store_without_work_items_says_what_to_import(empty_store):
    at = app()
    assert not at.metric
    assert "python -m analytics import FILE" in at.info[0].value
    assert "no work items" in at.info[0].value


def test_a_locked_store_shows_the_reason_not_a_traceback(tmp_path, monkeypatch):
    path = tmp_path / "locked.duckdb"
    store.open_store(str(path), load_sample=False).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, duckdb; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
         "sys.stdin.read()", str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        monkeypatch.setenv("FIREBREAK_DB", str(path))
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
        assert not at.exception
        assert "in use by process" in at.error[0].value
        assert not at.metric
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
        holder.stdout.close()


@pytest.mark.parametrize("text, shown", [
    ("SHOP Sprint 1", "SHOP Sprint 1"),
    ("[click](http://x)", r"\[click\]\(http\://x\)"),
    ("![i](x) *b* :material/home:", r"\!\[i\]\(x\) \*b\* \:material/home\:"),
])
def test_names_from_the_data_cannot_inject_markdown(text, shown):
    assert explain.md(text) == shown


def test_number_formats():
    assert (pct(0.4848), pct(None), pct(float("nan"))) == ("48%", "—", "—")
    assert (num(14.8), num(10.0), num(1234.56), num(None)) == ("14.8", "10", "1,234.6", "—")
    assert (signed(1.666), signed(-2.0), signed(0.0)) == ("+1.7", "-2", "0")


def test_a_store_with_little_data_shows_dashes_and_hints_not_errors(tmp_path, monkeypatch):
    """One sprint still in progress, no incidents: nothing can be judged yet, and the page says so."""
    path = tmp_path / "little.duckdb"
    con = store.open_store(str(path), load_sample=False)
    insert(con, "sprints", [sprint("S1", "2026-01-05", "2026-01-18")])
    insert(con, "work_items", [
        item("T-1", created="2026-01-02 10:00", resolved="2026-01-07 10:00", points=3, sprints=["S1"]),
        item("T-2", created="2026-01-02 10:00", points=5, sprints=["S1"]),
    ])
    con.close()
    monkeypatch.setenv("FIREBREAK_DB", str(path))
    at = app()
    shown = metrics(at)
    assert shown["Firefighter status"] == "Not enough data"
    assert shown["Unplanned, last sprint"] == "—"
    assert shown["Reserve vs recommended"] == "0 / — pts"
    assert any("No incidents in the store" in i.value for i in at.info)
    assert any("Needs at least one completed sprint" in i.value for i in at.info)


# --- what to do next -----------------------------------------------------------------------------------------

PAGE_URLS = {"pages/firefighter.py": "firefighter", "pages/reserve.py": "reserve", "pages/unplanned.py": "unplanned",
             "pages/follow_through.py": "follow_through", "pages/oncall.py": "oncall",
             "pages/investment.py": "investment"}


def shown_steps(at: AppTest) -> list[str]:
    return [m.value.removeprefix(":material/arrow_right: ") for m in at.markdown
            if m.value.startswith(":material/arrow_right: ")]


def test_what_to_do_next_lists_the_computed_actions_with_links_to_the_evidence(sample_store):
    want = expected(sample_store)["steps"]
    at = app()
    subheaders = [s.value for s in at.subheader]
    assert subheaders[0] == "What to do next"  # right after the status and the headline numbers
    assert shown_steps(at) == [explain.md(s.text) for s in want]
    links = [(link.label, link.proto.page) for link in at.page_link]
    assert links == [(s.link_label, PAGE_URLS[s.page]) for s in want]
    # The sample's story, in words: under-reserved, open follow-ups, an uneven rotation, a paydown that pays.
    texts = [s.text for s in want]
    assert any(t.startswith("Raise the reserve to 15 points") for t in texts)
    assert any(t.startswith("Schedule the ") and "monitoring follow-ups" in t for t in texts)
    assert any(t.startswith("Protect on-call: ") and "more shift hours than the team median" in t for t in texts)
    assert any(t.startswith("Approve a paydown of ") for t in texts)


def test_what_to_do_next_follows_the_sidebar(sample_store):
    at = app()
    at.slider(key=controls.QUANTILE).set_value(95).run()
    assert not at.exception
    want = expected(sample_store, Knobs(reserve_quantile=0.95))["steps"]
    assert shown_steps(at) == [explain.md(s.text) for s in want]
    reserve_text = next(s.text for s in want if s.page == "pages/reserve.py")
    assert reserve_text != next(s.text for s in expected(sample_store)["steps"] if s.page == "pages/reserve.py")


def test_a_store_without_work_items_links_to_upload(empty_store):
    at = app()
    assert [(link.label, link.proto.page) for link in at.page_link] == [(explain.UPLOAD_LINK, "upload")]
