"""The Unplanned work and Reserve pages (AppTest): they show what analytics computes on the same store, follow
the sidebar and the page's own controls, and explain thin or missing data instead of drawing it.

Every expected value is computed here with `analytics` on the store file the app reads, then formatted with
the pages' own helpers. The pages are reached with `switch_page` (the `pages/` folder: STREAMLIT_DUCKDB_NOTES §1).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import reserve, sprints, store, trends
from analytics.config import Knobs
from tests import reference_trends as ref
from tests.builders import insert, item, sprint
from ui import controls, planning
from ui.explain import DASH, VERDICT_LABELS, num, pct, signed

ROOT = Path(__file__).resolve().parents[1]
UNPLANNED, RESERVE = "pages/unplanned.py", "pages/reserve.py"


def page(name: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.switch_page(name).run()
    assert not at.exception, at.exception
    return at


def expected(path: Path, knobs: Knobs = Knobs(), projects: tuple[str, ...] | None = None) -> dict:
    con = store.open_store(str(path))
    try:
        series = sprints.sprint_series(con, knobs, projects)
        items = sprints.classified_items(con, knobs, projects)
        done = series[series["completed"]]
        drill = trends.sprint_items(con, knobs, projects, done["sprint"].iloc[-1]) if len(done) else None
    finally:
        con.close()
    window = reserve.window(series, knobs.window_months)
    return {"series": series, "items": items, "window": window, "drill": drill, "done": done,
            "trend": trends.unplanned_trend(window), "quarters": trends.quarter_comparison(series),
            "reserve": reserve.reserve_adequacy(series, knobs)}


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def deltas(at: AppTest) -> dict[str, str]:
    return {m.label: m.delta for m in at.metric}


def text(at: AppTest) -> str:
    return "\n".join([c.value for c in at.caption] + [m.value for m in at.markdown])


def decode(values) -> list:
    """Plotly 7 may send numbers as a typed array."""
    if isinstance(values, dict):
        return [float(v) for v in np.frombuffer(base64.b64decode(values["bdata"]), values["dtype"])]
    return [None if v is None else (float(v) if isinstance(v, (int, float)) else v) for v in values]


def figures(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def figure(at: AppTest, trace_name: str) -> dict:
    """The (first) chart with a trace whose name starts with `trace_name`."""
    return next(f for f in figures(at) if any(t.get("name", "").startswith(trace_name) for t in f["data"]))


def trace(fig: dict, name: str) -> dict:
    return next(t for t in fig["data"] if t.get("name", "").startswith(name))


def floats(values) -> list[float]:
    return [float(v) for v in values]


# --- Unplanned work ------------------------------------------------------------------------------------------

def assert_unplanned_headline(at: AppTest, want: dict) -> None:
    shown, window, trend, q = metrics(at), want["window"], want["trend"], want["quarters"]
    assert shown["Unplanned per sprint (window mean)"] == f"{num(window['unplanned_points'].mean())} pts"
    assert shown["Trend over the window"] == f"{signed(trend.slope)} pts / sprint"
    assert deltas(at)["Trend over the window"] == planning.trend_delta(trend)
    assert shown[f"This quarter ({q.this.quarter})"] == f"{num(q.this.mean_unplanned_points)} pts"
    assert deltas(at)[f"This quarter ({q.this.quarter})"] == (
        "" if q.change_points is None else f"{signed(q.change_points)} pts vs {q.last.quarter}")
    assert shown["Completed items without points"] == str(int(want["done"]["completed_items_without_points"].sum()))


def assert_unplanned_charts(at: AppTest, want: dict, series: pd.DataFrame | None = None) -> None:
    series = want["series"] if series is None else series
    done = series[series["completed"]]
    bars = figure(at, "Planned done")
    assert decode(trace(bars, "Planned done")["y"]) == floats(done["planned_done_points"])
    assert decode(trace(bars, "Unplanned")["y"]) == floats(done["unplanned_points"])
    trend_fig = figure(at, "Least-squares trend")
    assert decode(trace(trend_fig, "Unplanned per sprint")["y"]) == floats(want["window"]["unplanned_points"])
    assert decode(trace(trend_fig, "Least-squares trend")["y"]) == pytest.approx(want["trend"].fitted())


def test_unplanned_page_shows_the_analytics_results(sample_store):
    want = expected(sample_store)
    at = page(UNPLANNED)
    assert at.title[0].value == "Unplanned work"
    assert_unplanned_headline(at, want)
    assert_unplanned_charts(at, want)
    window, trend = want["window"], want["trend"]
    words = text(at)
    # the trend in words, with its interval, window and n
    assert f"Unplanned work is **{trends.trend_words(trend)}**" in words
    assert f"{trend.confidence:.0%} confidence interval {trend.low:+.2f} to {trend.high:+.2f}" in words
    assert f"{len(window)} completed sprints that ended within 6 months" in words
    # the sample's story: the window falls from the firefighting peak and rises again at the end
    assert trend.slope < 0 and trend.could_be_flat
    # why: both rule counts, the first-rule counts adding up to the total
    breakdown = ref.rule_breakdown(want["items"], list(window["sprint"]))
    rules = figure(at, planning_charts_rule_trace())
    assert decode(trace(rules, "Items the rule matches")["x"]) == floats(breakdown.table["items"])
    firsts = decode(trace(rules, "Items it is the first")["x"])
    assert firsts == floats(breakdown.table["first_items"]) and sum(firsts) == breakdown.items
    assert f"{breakdown.items} unplanned items ({num(breakdown.points)} points)" in words
    by_type = ref.unplanned_by(want["items"], list(window["sprint"]), "type")
    type_fig = next(f for f in figures(at) if f["data"][0].get("hovertemplate", "").startswith("type"))
    assert decode(type_fig["data"][0]["x"]) == floats(by_type["points"].head(12))
    # this quarter vs last, n each
    q = want["quarters"]
    quarters = next(d.value for d in at.dataframe if "quarter" in d.value.columns)
    assert quarters["quarter"].tolist() == [q.this.quarter, q.last.quarter]
    assert quarters["sprints"].tolist() == [q.this.n, q.last.n]
    assert quarters["mean_unplanned_points"].tolist() == pytest.approx(
        [q.this.mean_unplanned_points, q.last.mean_unplanned_points])
    # drill-down of the latest completed sprint
    table = at.dataframe[-1].value
    assert table["key"].tolist() == want["drill"]["key"].tolist()
    assert table["why_unplanned"].tolist() == want["drill"]["why_unplanned"].tolist()
    assert at.download_button[0].label == "Download these items (CSV)"
    # one explanation per section
    assert sum(e.label == "How this is computed" for e in at.expander) == 5


def planning_charts_rule_trace() -> str:
    from analytics.planning_charts import RULE_TRACES
    return RULE_TRACES[0]


@pytest.mark.parametrize("unit, planned, unplanned", [("hours", "planned_done_hours", "unplanned_hours"),
                                                      ("items", "planned_done_items", "unplanned_items")])
def test_unit_switch(sample_store, unit, planned, unplanned):
    want = expected(sample_store)
    at = page(UNPLANNED)
    at.radio(key="w.plan.unit").set_value(unit).run()
    assert not at.exception
    done = want["done"]
    bars = figure(at, "Planned done")
    assert decode(trace(bars, "Planned done")["y"]) == floats(done[planned])
    assert decode(trace(bars, "Unplanned")["y"]) == floats(done[unplanned])


def test_a_rule_toggle_changes_every_chart_here_and_on_the_reserve_page(sample_store):
    at = page(UNPLANNED)
    at.toggle(key=planning.RULE_TOGGLES["rule_added_mid_sprint"]).set_value(False).run()
    assert not at.exception
    knobs = Knobs(rule_added_mid_sprint=False)
    want = expected(sample_store, knobs)
    assert want["trend"].slope != expected(sample_store)["trend"].slope
    assert at.session_state[controls.OVERRIDES] == {"rule_added_mid_sprint": False}
    assert_unplanned_headline(at, want)
    assert_unplanned_charts(at, want)
    assert "rules on: type, label" in at.caption[0].value
    breakdown = figure(at, planning_charts_rule_trace())
    assert decode(trace(breakdown, "Items the rule matches")["x"])[2] == 0.0    # the switched-off rule
    # every page follows the edited rules
    at.switch_page(RESERVE).run()
    assert not at.exception
    assert metrics(at)["Recommended reserve (p80)"] == f"{num(want['reserve'].recommended_points)} pts"
    assert want["reserve"].recommended_points != expected(sample_store)["reserve"].recommended_points
    # back on the page, the toggle shows the kept setting; reset restores METRICS.md's rules
    at.switch_page(UNPLANNED).run()
    assert at.toggle(key=planning.RULE_TOGGLES["rule_added_mid_sprint"]).value is False
    at.button(key=planning.RESET).click().run()
    assert not at.exception
    assert at.session_state[controls.OVERRIDES] == {}
    assert at.toggle(key=planning.RULE_TOGGLES["rule_added_mid_sprint"]).value is True
    assert_unplanned_headline(at, expected(sample_store))


def test_editing_the_types_list(sample_store):
    at = page(UNPLANNED)
    at.multiselect(key=planning.TYPES).set_value(["Bug", "Incident"]).run()
    assert not at.exception
    knobs = Knobs(unplanned_types=("Bug", "Incident"))
    assert at.session_state[controls.OVERRIDES] == {"unplanned_types": ("Bug", "Incident")}
    want = expected(sample_store, knobs)
    assert_unplanned_headline(at, want)
    assert_unplanned_charts(at, want)


@pytest.mark.parametrize("mode, size", [("default", 5.0), ("hours", 0.0)])
def test_counting_items_without_points(sample_store, mode, size):
    want = expected(sample_store)
    at = page(UNPLANNED)
    at.radio(key="w.plan.no_points").set_value(mode).run()
    if mode == "default":
        at.number_input(key="w.plan.default_points").set_value(size).run()
    assert not at.exception
    counted = ref.counted_points(want["items"], mode, size)
    series = trends.with_counted_points(want["series"], ref.completed_sums(counted), 0.5)
    assert series["unplanned_points"].sum() > want["series"]["unplanned_points"].sum()
    window = reserve.window(series, 6)
    want_counted = {**want, "series": series, "window": window, "trend": trends.unplanned_trend(window)}
    assert_unplanned_charts(at, want_counted, series)
    shown = metrics(at)
    assert shown["Unplanned per sprint (window mean)"] == f"{num(window['unplanned_points'].mean())} pts"
    assert "this page only" in text(at)
    # the option is kept when the page reruns
    at.run()
    assert at.radio(key="w.plan.no_points").value == mode


def test_drilldown_of_another_sprint(sample_store):
    at = page(UNPLANNED)
    at.selectbox(key="w.plan.drill_sprint").set_value("SHOP Sprint 11").run()
    assert not at.exception
    con = store.open_store(str(sample_store))
    try:
        want = trends.sprint_items(con, Knobs(), None, "SHOP Sprint 11")
        series = sprints.sprint_series(con, Knobs()).set_index("sprint")
    finally:
        con.close()
    table = at.dataframe[-1].value
    assert table["key"].tolist() == want["key"].tolist()
    unplanned = want[want["unplanned"] & want["completed_here"]]
    assert unplanned["points"].fillna(0).sum() == series.loc["SHOP Sprint 11", "unplanned_points"]
    assert f"{len(unplanned)} unplanned items completed in it" in text(at)


def test_the_window_radio_moves_the_trend(sample_store):
    at = page(UNPLANNED)
    at.radio(key=controls.WINDOW).set_value(12).run()
    assert not at.exception
    want = expected(sample_store, Knobs(window_months=12))
    assert_unplanned_headline(at, want)
    assert f"{len(want['window'])} completed sprints that ended within 12 months" in text(at)


# --- Reserve -----------------------------------------------------------------------------------------------

def assert_reserve_page(at: AppTest, want: dict, what_if: float | None = None) -> None:
    shown, adequacy, window = metrics(at), want["reserve"], want["window"]
    q = f"p{adequacy.quantile * 100:.0f}"
    assert shown["Current reserve"] == f"{num(adequacy.current_reserve_points)} pts"
    assert shown[f"Recommended reserve ({q})"] == f"{num(adequacy.recommended_points)} pts"
    assert shown["Coverage, current reserve"] == pct(adequacy.coverage_current)
    assert shown["Coverage, recommended"] == pct(adequacy.coverage_recommended)
    assert shown["Verdict"] == VERDICT_LABELS[adequacy.verdict]
    histogram = figure(at, "Window sprints")
    assert decode(histogram["data"][0]["x"]) == adequacy.window_unplanned_points
    chosen = adequacy.current_reserve_points if what_if is None else what_if
    assert [s["x0"] for s in histogram["layout"]["shapes"]] == [adequacy.current_reserve_points,
                                                               adequacy.recommended_points]
    overrun = figure(at, "Overrun")
    assert decode(trace(overrun, "Overrun")["y"]) == floats(window["overrun_points"])
    assert decode(trace(overrun, "Reserve")["y"]) == floats(window["reserve_points"])
    cost = trends.overrun_cost(window)
    assert shown["Say/do when the reserve overran"] == pct(cost.say_do_overrun)
    assert shown["Say/do otherwise"] == pct(cost.say_do_other)
    w = trends.what_if(window, chosen)
    p = trends.reserve_hold_probability(adequacy.window_unplanned_points, chosen)
    assert shown["Coverage at this reserve"] == pct(w.coverage)
    assert shown["Planned capacity left"] == f"{num(w.planned_capacity)} pts"
    assert shown["Holds next sprint"] == pct(p.next_sprint)
    assert shown["Holds 3 sprints in a row"] == pct(p.all_of_horizon)
    assert f"seed {p.seed}" in text(at) and "10,000 simulated runs" in text(at)
    hours = ref.unplanned_hours_summary(window, want["items"])
    assert shown["Median per sprint"] == f"{num(hours.median)} h"
    assert shown["p80 per sprint"] == f"{num(hours.p80)} h"


def test_reserve_page_shows_the_analytics_results(sample_store):
    want = expected(sample_store)
    at = page(RESERVE)
    assert at.title[0].value == "Reserve"
    assert_reserve_page(at, want)
    assert want["reserve"].verdict == "under-reserved"
    assert at.slider(key="w.plan.what_if").value == want["reserve"].current_reserve_points
    assert f"Over {len(want['window'])} completed sprints that ended within 6 months" in text(at)
    assert "mean capacity" in text(at)   # the sample's sprints file gives capacities


def test_the_percentile_slider_and_the_window_move_the_recommendation(sample_store):
    at = page(RESERVE)
    at.slider(key=controls.QUANTILE).set_value(95).run()
    assert not at.exception
    want = expected(sample_store, Knobs(reserve_quantile=0.95))
    assert want["reserve"].recommended_points > expected(sample_store)["reserve"].recommended_points
    assert_reserve_page(at, want)
    at.radio(key=controls.WINDOW).set_value(12).run()
    assert not at.exception
    assert_reserve_page(at, expected(sample_store, Knobs(reserve_quantile=0.95, window_months=12)))


def test_the_what_if_slider_and_a_reproducible_monte_carlo(sample_store):
    want = expected(sample_store)
    at = page(RESERVE)
    at.slider(key="w.plan.what_if").set_value(16.5).run()
    assert not at.exception
    assert_reserve_page(at, want, what_if=16.5)
    first = metrics(at)
    at.run()
    assert metrics(at) == first   # same seed, same data: same probabilities
    tradeoff = figure(at, "Coverage")
    assert [s["x0"] for s in tradeoff["layout"]["shapes"]] == [16.5]
    histogram = figure(at, "Window sprints")
    assert len(histogram["layout"]["shapes"]) == 2


# --- empty, thin and filtered stores ------------------------------------------------------------------------

def team_store(path: Path, completed: int, *, hours: bool = True, projects: tuple[str, ...] = ("A",)) -> None:
    """`completed` two-week sprints that have ended and one in progress; per sprint and project a committed
    5-point story and a bug of 1 + i points added mid-sprint; capacity 20 and reserve 3."""
    con = store.open_store(str(path), load_sample=False)
    start = pd.Timestamp("2026-01-05")
    rows, items = [], []
    for i in range(completed + 1):
        s, e = start + pd.Timedelta(days=14 * i), start + pd.Timedelta(days=14 * i + 13)
        rows.append(sprint(f"S{i + 1}", s.date().isoformat(), e.date().isoformat(), reserve=3, capacity=20))
        if i == completed:
            continue
        for p in projects:
            items.append(item(f"{p}-{2 * i}", created=(s - pd.Timedelta(days=2)).isoformat(), project=p,
                              resolved=(s + pd.Timedelta(days=5)).isoformat(), points=5, sprints=[f"S{i + 1}"],
                              hours=6.0 if hours else None))
            items.append(item(f"{p}-{2 * i + 1}", "Bug", created=(s + pd.Timedelta(days=1)).isoformat(), project=p,
                              resolved=(s + pd.Timedelta(days=3)).isoformat(), points=1 + i if p == "A" else 2,
                              sprints=[f"S{i + 1}"], hours=2.0 if hours else None))
    last = start + pd.Timedelta(days=14 * completed + 2)   # the as-of moment: inside the sprint in progress
    items.append(item("A-open", created=last.isoformat(), project=projects[0], points=3, sprints=[f"S{completed + 1}"]))
    insert(con, "sprints", rows)
    insert(con, "work_items", items)
    con.close()


@pytest.fixture
def small_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    def make(completed: int, **kwargs) -> Path:
        path = tmp_path / f"team{completed}.duckdb"
        team_store(path, completed, **kwargs)
        monkeypatch.setenv("FIREBREAK_DB", str(path))
        return path
    return make


def test_thin_data_is_explained_not_charted(small_store):
    path = small_store(2)
    at = page(UNPLANNED)
    assert metrics(at)["Trend over the window"] == DASH
    assert any("Not enough data for a trend" in i.value and "and there are 2" in i.value for i in at.info)
    assert not any(t.get("name", "").startswith("Least-squares") for f in figures(at) for t in f["data"])
    assert_unplanned_charts_without_trend(at, expected(path))
    at = page(RESERVE)
    infos = " ".join(i.value for i in at.info)
    assert "Not enough data for the distribution of unplanned points: this needs at least 4" in infos
    assert "Not enough data for the what-if and the Monte Carlo simulation" in infos
    assert "rest on too little data" in at.warning[0].value
    assert not any(f["data"][0].get("name") == "Window sprints" for f in figures(at))
    assert metrics(at)["Recommended reserve (p80)"] == f"{num(expected(path)['reserve'].recommended_points)} pts"


def assert_unplanned_charts_without_trend(at: AppTest, want: dict) -> None:
    done = want["done"]
    bars = figure(at, "Planned done")
    assert decode(trace(bars, "Unplanned")["y"]) == floats(done["unplanned_points"])


def test_missing_time_spent_is_said(small_store):
    path = small_store(5, hours=False)
    at = page(RESERVE)
    assert any("no time spent recorded" in i.value for i in at.info)
    assert "Median per sprint" not in metrics(at)
    assert_reserve_page_without_hours(at, expected(path))


def assert_reserve_page_without_hours(at: AppTest, want: dict) -> None:
    adequacy = want["reserve"]
    assert metrics(at)["Recommended reserve (p80)"] == f"{num(adequacy.recommended_points)} pts"
    assert decode(figure(at, "Window sprints")["data"][0]["x"]) == adequacy.window_unplanned_points


def test_the_project_filter_applies_to_both_pages(small_store):
    path = small_store(6, projects=("A", "B"))
    for name in (UNPLANNED, RESERVE):
        at = page(name)
        at.multiselect(key=controls.PROJECTS).set_value(["B"]).run()
        assert not at.exception
        want = expected(path, projects=("B",))
        everyone = expected(path)
        assert want["reserve"].recommended_points != everyone["reserve"].recommended_points
        if name == UNPLANNED:
            assert_unplanned_headline(at, want)
            assert_unplanned_charts(at, want)
            assert want["trend"].slope == pytest.approx(0.0)      # B's bugs are always 2 points
        else:
            assert_reserve_page(at, want)


def test_an_empty_store_says_what_to_import(empty_store):
    for name in (UNPLANNED, RESERVE):
        at = page(name)
        assert not at.metric
        assert "no work items" in at.info[0].value and "python -m analytics import FILE" in at.info[0].value


def test_names_from_the_data_are_escaped_in_captions(tmp_path, monkeypatch):
    path = tmp_path / "names.duckdb"
    con = store.open_store(str(path), load_sample=False)
    insert(con, "sprints", [sprint("[x](http://evil)", "2026-01-05", "2026-01-18"),
                            sprint("S2", "2026-01-19", "2026-02-01")])
    insert(con, "work_items", [
        item("T-1", "Bug", created="2026-01-06 10:00", resolved="2026-01-07 10:00", points=3,
             sprints=["[x](http://evil)"]),
        item("T-2", created="2026-01-18 10:00", points=3, sprints=["S2"]),
    ])
    con.close()
    monkeypatch.setenv("FIREBREAK_DB", str(path))
    at = page(UNPLANNED)
    words = text(at)
    assert r"\[x\]\(http\://evil\)" in words     # shown literally, never as a link
    assert "](http" not in words


def test_no_completed_sprint_yet(tmp_path, monkeypatch):
    """One sprint in progress: no per-sprint chart, no statistics, a reason for each, no errors."""
    path = tmp_path / "little.duckdb"
    con = store.open_store(str(path), load_sample=False)
    insert(con, "sprints", [sprint("S1", "2026-01-05", "2026-01-18")])
    insert(con, "work_items", [
        item("T-1", created="2026-01-02 10:00", resolved="2026-01-07 10:00", points=3, sprints=["S1"]),
        item("T-2", created="2026-01-02 10:00", points=5, sprints=["S1"]),
    ])
    con.close()
    monkeypatch.setenv("FIREBREAK_DB", str(path))
    at = page(UNPLANNED)
    assert not at.get("plotly_chart")
    assert "No sprint has been completed yet" in at.info[0].value
    assert metrics(at)["Unplanned per sprint (window mean)"] == DASH
    assert at.dataframe[-1].value["key"].tolist() == ["T-1", "T-2"]      # the drill-down still lists the sprint
    at = page(RESERVE)
    assert not at.get("plotly_chart")
    assert metrics(at)["Recommended reserve (p80)"] == DASH and metrics(at)["Verdict"] == "Not enough data"
    assert len(at.info) == 4
