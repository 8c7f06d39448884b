"""The Firefighter and Investment pages (AppTest): the numbers are analytics.leadership's, the inputs change them.

Every expected value is computed here with `analytics.leadership.collect` on the store file the app reads
and formatted with the pages' helpers.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics import brief, leadership, store
from analytics.config import Knobs
from tests.builders import insert, item, sprint
from ui import controls
from ui import leadership as lead
from ui.explain import STATUS_LABELS, md, num, pct, signed

ROOT = Path(__file__).resolve().parents[1]
FIREFIGHTER = "pages/firefighter.py"
INVESTMENT = "pages/investment.py"


def page(name: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.switch_page(name).run()
    assert not at.exception, at.exception
    return at


def expected(path: Path, knobs: Knobs = Knobs(), settings: leadership.Settings = leadership.Settings(),
             projects: tuple[str, ...] | None = None) -> leadership.Leadership:
    con = store.open_store(str(path))
    try:
        return leadership.collect(con, knobs, projects, settings)
    finally:
        con.close()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def firefighter_headlines(view: leadership.Leadership) -> dict[str, str]:
    d, f, c = view.delivery, view.flow, view.cost
    return {
        "Firefighter status": STATUS_LABELS[view.status.status],
        "Unplanned share (period)": pct(d.unplanned_share),
        "Planned delivery lost": f"{num(d.planned_lost_points)} pts",
        "Backlog net flow": f"{signed(f.net_items)} items",
        "Firefighting episodes": str(len(view.status.episodes)),
        "Incidents on shift": str(view.oncall_summary.incidents),
        "Out of hours": str(view.oncall_summary.out_of_hours_incidents),
        "Sleep hours": str(view.oncall_summary.sleep_hour_incidents),
        "Unplanned points a sprint": num(c.mean_points),
        "Unplanned hours a sprint": num(c.mean_hours),
    }


def investment_headlines(view: leadership.Leadership) -> dict[str, str]:
    case = view.case
    return {
        "Paydown break-even": f"Sprint {case.break_even_sprint}" if case.break_even_sprint
        else f"Not within {case.horizon_sprints}",
        f"Net after {case.horizon_sprints} sprints": f"{signed(case.net_points)} pts",
        "Return (ROI)": pct(case.roi),
        "Baseline unplanned a sprint": f"{num(case.baseline_unplanned_points)} pts",
    }


def assert_shown(at: AppTest, want: dict[str, str]) -> None:
    shown = metrics(at)
    assert {k: shown.get(k) for k in want} == want


# --- Firefighter mode --------------------------------------------------------------------------------------

def test_firefighter_page_shows_the_leadership_numbers(sample_store):
    view = expected(sample_store)
    at = page(FIREFIGHTER)
    assert at.title[0].value == "Firefighter mode"
    assert_shown(at, firefighter_headlines(view))
    assert view.status.status == "at_risk" and view.status.episodes   # the sample's story
    text = captions(at)
    assert lead.delivery_caption(view) in text and lead.flow_caption(view) in text
    assert lead.categories_caption(view) in text and lead.oncall_caption(view) in text
    assert lead.cost_caption(view) in text
    assert len(at.get("plotly_chart")) == 4
    assert len(at.expander) == 6 and all(e.label == "How this is computed" for e in at.expander)
    # the recurring categories with their DoD gaps, as analytics ranks them
    table = at.dataframe[0].value
    assert list(table["category"]) == list(view.categories["category"])
    assert table["dod_gap"].iloc[0] == view.categories["dod_gap"].iloc[0]


def test_firefighter_threshold_and_period_change_the_evidence(sample_store):
    at = page(FIREFIGHTER)
    at.number_input(key=lead.PERIOD_SPRINTS).set_value(3).run()
    assert not at.exception
    view = expected(sample_store, settings=leadership.Settings(period_sprints=3))
    assert_shown(at, firefighter_headlines(view))
    assert "the last 3 completed sprints" in captions(at)
    at.slider(key=controls.THRESHOLD).set_value(25).run()
    assert not at.exception
    hot = expected(sample_store, Knobs(firefight_threshold=0.25), leadership.Settings(period_sprints=3))
    assert hot.status.status == "firefighting"
    assert_shown(at, firefighter_headlines(hot))


def test_firefighter_episode_period(sample_store):
    at = page(FIREFIGHTER)
    options = at.selectbox(key=lead.PERIOD).options
    assert options[0] == "last N completed sprints" and len(options) >= 2
    at.selectbox(key=lead.PERIOD).set_value(options[1]).run()
    assert not at.exception
    view = expected(sample_store, settings=leadership.Settings(episode=0))
    assert view.period.label.startswith("episode")
    assert_shown(at, firefighter_headlines(view))
    assert at.number_input(key=lead.PERIOD_SPRINTS).disabled
    assert at.session_state[lead.SETTINGS].episode == 0


def test_cost_of_staying_in_money_from_the_hour_and_point_values(sample_store):
    at = page(FIREFIGHTER)
    assert metrics(at)["In money, a sprint"] == "—"
    at.number_input(key=lead.HOUR_VALUE).set_value(80.0).run()
    at.text_input(key=lead.CURRENCY).set_value("€").run()
    assert not at.exception
    view = expected(sample_store, settings=leadership.Settings(hour_value=80.0, currency="€"))
    assert metrics(at)["In money, a sprint"] == md(leadership.money(view.cost.mean_hours_money, "€"))
    at.number_input(key=lead.POINT_VALUE_FF).set_value(300.0).run()
    assert not at.exception
    view = expected(sample_store, Knobs(point_value=300.0), leadership.Settings(hour_value=80.0, currency="€"))
    assert metrics(at)["In money, a sprint"] == md(leadership.money(view.cost.mean_points_money, "€"))
    assert at.session_state[controls.OVERRIDES]["point_value"] == 300.0   # a knob: every page sees it
    assert lead.cost_caption(view) in captions(at)


def test_firefighter_page_without_data_says_what_to_import(empty_store):
    at = page(FIREFIGHTER)
    assert not at.metric
    assert "python -m analytics import FILE" in at.info[0].value


# --- Investment case ---------------------------------------------------------------------------------------

def test_investment_page_shows_the_case_and_the_plan(sample_store):
    view = expected(sample_store)
    at = page(INVESTMENT)
    assert at.title[0].value == "Investment case"
    assert_shown(at, investment_headlines(view))
    assert at.success[0].value == md(view.summary)
    assert md(leadership.plan_sentence(view.plan)) in markdown(at)
    for line in view.ask:
        assert md(line) in markdown(at)
    # the scenarios, side by side in order cautious / expected / optimistic
    scenario_metrics = [m for m in at.metric if m.label == "Break-even"]
    assert [m.value for m in scenario_metrics] == [lead.scenario_words(c)[0] for c in view.scenarios.values()]
    plan = [d.value for d in at.dataframe if "running_points" in d.value.columns][0]
    assert list(plan["key"]) == list(view.plan.items["key"])
    assert list(plan["running_points"]) == pytest.approx(list(view.plan.items["running_points"]))
    assert at.number_input(key=lead.INVEST).value == pytest.approx(round(view.case.invest_points_per_sprint, 1))
    assert at.slider(key=lead.REDUCTION).value == 40
    assert len(at.get("plotly_chart")) == 4
    assert f"Suggested r from the data: {pct(view.suggested.value)}" in [e.label for e in at.expander]


def test_investment_inputs_change_the_results_and_the_overview_follows(sample_store):
    at = page(INVESTMENT)
    at.slider(key=lead.REDUCTION).set_value(60).run()
    at.number_input(key=lead.INVEST).set_value(5.0).run()
    assert not at.exception
    knobs = Knobs(expected_reduction=0.6, invest_points_per_sprint=5.0)
    view = expected(sample_store, knobs)
    assert view.case.break_even_sprint != expected(sample_store).case.break_even_sprint
    assert_shown(at, investment_headlines(view))
    assert at.success[0].value == md(view.summary)
    assert at.session_state[controls.OVERRIDES] == {"expected_reduction": 0.6, "invest_points_per_sprint": 5.0}
    # the Overview reads the same knobs
    at.switch_page("pages/overview.py").run()
    assert not at.exception
    assert metrics(at)["Paydown break-even"] == investment_headlines(view)["Paydown break-even"]
    # and they are still there when we come back
    at.switch_page(INVESTMENT).run()
    assert at.slider(key=lead.REDUCTION).value == 60
    assert at.number_input(key=lead.INVEST).value == 5.0


def test_horizon_and_sprints_change_the_case(sample_store):
    at = page(INVESTMENT)
    at.number_input(key=lead.HORIZON).set_value(20).run()
    at.number_input(key=lead.INVEST_SPRINTS).set_value(4).run()
    assert not at.exception
    view = expected(sample_store, Knobs(horizon_sprints=20, invest_sprints=4))
    assert_shown(at, investment_headlines(view))
    assert "Net after 20 sprints" in metrics(at)


def test_use_the_suggested_reduction_and_reset(sample_store):
    view = expected(sample_store)
    at = page(INVESTMENT)
    button = at.button(key=lead.USE_SUGGESTED)
    assert button.label == f"Use the suggested r ({pct(round(view.suggested.value, 2))})"
    button.click().run()
    assert not at.exception
    r = round(view.suggested.value, 2)
    assert at.slider(key=lead.REDUCTION).value == round(r * 100)
    assert_shown(at, investment_headlines(expected(sample_store, Knobs(expected_reduction=r))))
    at.button(key=lead.RESET_INPUTS).click().run()
    assert not at.exception
    assert at.slider(key=lead.REDUCTION).value == 40
    assert_shown(at, investment_headlines(view))


def test_prepare_the_brief_then_download(sample_store, monkeypatch):
    monkeypatch.setattr(brief, "find_chromium", lambda: None)   # SVG charts: no browser in this test
    at = page(INVESTMENT)
    assert not at.get("download_button")
    at.button(key=f"{lead.PREPARE}.investment").click().run()
    assert not at.exception
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Download the brief (PDF)", "Download the brief (HTML)"]
    assert "no Chromium found" in captions(at)
    # the brief is kept for these settings: a rerun shows the downloads without preparing again
    at.run()
    assert [b.label for b in at.get("download_button")] == labels
    # the firefighter page offers the same brief, already prepared
    at.switch_page(FIREFIGHTER).run()
    assert [b.label for b in at.get("download_button")] == labels


def test_a_store_with_little_data_shows_hints_not_errors(tmp_path, monkeypatch):
    path = tmp_path / "little.duckdb"
    con = store.open_store(str(path), load_sample=False)
    insert(con, "sprints", [sprint("S1", "2026-01-05", "2026-01-18")])
    insert(con, "work_items", [item("T-1", created="2026-01-02 10:00", resolved="2026-01-07 10:00", points=3,
                                    sprints=["S1"])])
    con.close()
    monkeypatch.setenv("FIREBREAK_DB", str(path))
    at = page(INVESTMENT)
    assert at.warning[0].value.startswith("No investment case yet")
    assert any("needs at least one completed sprint" in i.value for i in at.info)
    at = page(FIREFIGHTER)
    assert metrics(at)["Firefighter status"] == "Not enough data"
