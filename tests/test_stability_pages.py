"""The Incidents, Follow-through and On-call pages (AppTest): they show what the analytics compute and follow the knobs.

Each test opens the app, switches to the page and checks the page's own
content (STREAMLIT_DUCKDB_NOTES.md §1: with a folder named `pages/`, frame
elements are not reliable after the first run in AppTest). Expected values are
computed here with `analytics` on the same store file the app reads.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import dod, incidents, oncall, rotation, sprints, stability, store
from analytics.config import Knobs
from tests.builders import insert, item, sprint
from ui import controls
from ui import stability as ui
from ui.explain import md, num, pct

ROOT = Path(__file__).resolve().parents[1]
INCIDENTS, FOLLOW, ONCALL = "pages/incidents.py", "pages/follow_through.py", "pages/oncall.py"


def page(path: str, **state) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


def metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def frame_with(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first dataframe on the page that has these columns."""
    for df in at.dataframe:
        if set(columns) <= set(df.value.columns):
            return df.value
    raise AssertionError(f"no dataframe with {columns}")


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def values(seq) -> list:
    """A trace's values; plotly 7 may send numbers as a typed array."""
    if isinstance(seq, dict):
        return [float(v) for v in np.frombuffer(base64.b64decode(seq["bdata"]), seq["dtype"])]
    return list(seq)


def with_analytics(path: Path, fn):
    con = store.open_store(str(path))
    try:
        return fn(con)
    finally:
        con.close()


# --- Incidents -----------------------------------------------------------------------------------------------

def incident_results(path: Path, knobs: Knobs = Knobs()) -> dict:
    def compute(con):
        table = incidents.incident_table(con, knobs)
        return {"table": table, "costs": stability.category_costs(table, stability.linked_work(con, knobs)),
                "by_category": stability.resolve_times(table, "category"),
                "by_severity": stability.resolve_times(table, "severity"),
                "services": stability.by_service(table)}
    return with_analytics(path, compute)


def assert_incident_page(at: AppTest, want: dict) -> None:
    table, costs = want["table"], want["costs"]
    shown = metrics(at)
    recurrences = int(table["recurrence"].sum())
    assert shown["Incidents"][0] == str(len(table))
    assert shown["Recurrences"] == (str(recurrences), f"{pct(recurrences / len(table))} of incidents")
    assert shown["Most recurring category"] == (md(costs["category"].iloc[0]),
                                                f"{int(costs['recurrences'].iloc[0])} recurrences")
    assert shown["Unplanned points caused"][0] == f"{num(costs['unplanned_points'].sum())} pts"
    assert shown["Not categorised"][0] == str(len(stability.unmatched(table)))
    ranking = frame_with(at, "category", "unplanned_points")
    assert list(ranking["category"]) == list(costs["category"])
    assert list(ranking["recurrences"]) == list(costs["recurrences"])
    assert list(ranking["unplanned_points"]) == pytest.approx(list(costs["unplanned_points"]))
    assert ranking["recurrence_rate"].tolist() == pytest.approx((costs["recurrence_rate"] * 100).tolist())


def test_incidents_page_shows_the_analytics(sample_store):
    want = incident_results(sample_store)
    at = page(INCIDENTS)
    assert at.title[0].value == "Incidents and recurrence"
    assert_incident_page(at, want)
    # the sample has recurrences in all six categories and incidents no rule matched
    assert set(want["costs"]["category"]) >= {"monitoring", "error-handling", "integration", "configuration",
                                              "capacity", "deployment"}
    times = [df.value for df in at.dataframe if "median_hours" in df.value.columns and "p90_hours" in df.value.columns]
    by_category, by_severity = times[0], times[1]
    assert list(by_category["group"]) == list(want["by_category"]["group"])
    assert by_category["median_hours"].tolist() == pytest.approx(want["by_category"]["median_hours"].tolist())
    assert by_category["p90_hours"].tolist() == pytest.approx(want["by_category"]["p90_hours"].tolist())
    assert list(by_category["resolved"]) == list(want["by_category"]["resolved"])
    assert list(by_severity["group"]) == ["P1", "P2", "P3", "P4", "P5"]
    assert by_severity["p90_hours"].tolist() == pytest.approx(want["by_severity"]["p90_hours"].tolist())
    services = frame_with(at, "service", "incidents")
    assert list(services["service"]) == list(want["services"]["service"])
    other = frame_with(at, "id", "title", "service", "severity")
    assert list(other["id"]) == list(stability.unmatched(want["table"])["id"])
    everything = frame_with(at, "category_rule")
    assert len(everything) == len(want["table"])


def test_incidents_page_charts_carry_the_numbers(sample_store):
    want = incident_results(sample_store)
    at = page(INCIDENTS)
    over_time, cost, resolve = charts(at)
    frame = stability.incidents_over_time(want["table"], "month")
    top = want["costs"]["category"].iloc[0]
    rec = next(t for t in over_time["data"] if t["name"] == "Recurrence" and t["meta"] == top)
    assert values(rec["y"]) == list(frame[frame["category"] == top]["recurrences"])
    assert values(cost["data"][0]["x"]) == list(want["costs"]["recurrences"])
    assert [t["name"] for t in resolve["data"]] == list(want["by_category"]["group"])
    text = captions(at)
    assert f"over {frame['period'].nunique()} months" in text
    assert f"{int(want['costs']['unplanned_items'].sum())} items in all" in text
    assert f"over the {int(want['by_category']['resolved'].sum())} resolved incidents" in text
    assert len(at.expander) >= 2


def test_incidents_per_sprint(sample_store):
    at = page(INCIDENTS)
    at.radio(key="w.incident_period").set_value("sprint").run()
    assert not at.exception
    spec = charts(at)[0]
    periods = values(spec["data"][0]["x"])
    assert periods[0].startswith("SHOP Sprint")
    assert "Incidents created per sprint" in captions(at)


def test_recurrence_window_changes_the_incidents_page(sample_store):
    at = page(INCIDENTS)
    at.number_input(key=controls.RECURRENCE).set_value(30).run()
    assert not at.exception
    want = incident_results(sample_store, Knobs(recurrence_days=30))
    assert_incident_page(at, want)
    assert int(want["table"]["recurrence"].sum()) != int(incident_results(sample_store)["table"]["recurrence"].sum())
    assert "recurrence window 30 days" in captions(at)


def test_an_edited_keyword_table_changes_categories(sample_store):
    edited = (("payments", ("payment", "webhook", "partner")),) + Knobs().category_keywords
    at = page(INCIDENTS, **{controls.OVERRIDES: {"category_keywords": edited}})
    want = incident_results(sample_store, Knobs(category_keywords=edited))
    assert "payments" in set(want["costs"]["category"])
    assert_incident_page(at, want)
    editor = at.data_editor[0].value
    assert list(editor["category"])[:2] == ["payments", "monitoring"]
    assert any("An edited mapping is in use" in c.value for c in at.caption)
    # Reset brings back the defaults (on every page: the override is gone from the session)
    next(b for b in at.button if b.label == "Reset to defaults").click().run()
    assert not at.exception
    assert controls.OVERRIDES not in at.session_state or "category_keywords" not in at.session_state[controls.OVERRIDES]
    assert_incident_page(at, incident_results(sample_store))


def test_apply_with_an_invalid_table_says_why(sample_store, monkeypatch):
    # AppTest cannot type into a data_editor; the page applies whatever the editor returns.
    monkeypatch.setattr("streamlit.data_editor", lambda *a, **k: pd.DataFrame({"category": ["x"], "keywords": [""]}))
    at = page(INCIDENTS)
    next(b for b in at.button if b.label == "Apply mapping").click().run()
    assert not at.exception
    assert "has no keywords" in at.error[0].value


def test_apply_keeps_the_edited_table_for_the_session(sample_store, monkeypatch):
    edited = pd.DataFrame({"category": ["monitoring", "integration"], "keywords": ["alert", "webhook, partner"]})
    monkeypatch.setattr("streamlit.data_editor", lambda *a, **k: edited)
    at = page(INCIDENTS)
    next(b for b in at.button if b.label == "Apply mapping").click().run()
    assert not at.exception
    knobs = Knobs(category_keywords=stability.keywords_from_rows(edited))
    assert at.session_state[controls.OVERRIDES]["category_keywords"] == knobs.category_keywords
    assert_incident_page(at, incident_results(sample_store, knobs))
    at.switch_page(FOLLOW).run()  # the mapping holds on the other pages too
    assert not at.exception
    gaps = frame_with(at, "dod_item", "category")
    assert set(gaps["category"]) <= {"monitoring", "integration"}


# --- Follow-through ------------------------------------------------------------------------------------------

def follow_results(path: Path, knobs: Knobs = Knobs(), mapping=dod.DEFAULT_DOD) -> dict:
    def compute(con):
        table = incidents.incident_table(con, knobs)
        as_of = sprints.data_as_of(con)
        items = incidents.action_items(con, knobs)
        costs = stability.category_costs(table, stability.linked_work(con, knobs))
        return {"table": table, "items": items, "as_of": as_of, "costs": costs,
                "summary": incidents.action_item_summary(items, as_of),
                "ages": stability.action_item_ages(items, as_of),
                "repeats": incidents.repeats_with_open_actions(con, knobs, details=True),
                "debt": stability.tech_debt_by_category(stability.tech_debt(con, knobs, None, as_of), costs),
                "gaps": dod.dod_gaps(costs, table, mapping)}
    return with_analytics(path, compute)


def assert_follow_page(at: AppTest, want: dict) -> None:
    shown = metrics(at)
    top = stability.severe(want["table"])
    summary = want["summary"]
    assert shown["Post-mortem coverage (SEV1/2)"] == (
        pct(incidents.postmortem_coverage(want["table"])), f"{int(top['has_postmortem'].sum())} of {len(top)}")
    assert shown["Action items done"] == (f"{summary.done} / {summary.total}", pct(summary.completion_rate))
    assert shown["Open action items, median age"][0] == ui.days(summary.open_median_age_days)
    assert shown["Repeats with open actions"][0] == str(len(want["repeats"]))
    forgotten = frame_with(at, "earlier", "open_items")
    assert list(forgotten["id"]) == list(want["repeats"]["id"])
    gaps = frame_with(at, "dod_item", "category")
    assert list(gaps["category"]) == list(want["gaps"]["category"])
    assert list(gaps["dod_item"]) == list(want["gaps"]["dod_item"])
    assert list(gaps["recurrences"]) == list(want["gaps"]["recurrences"])


def test_follow_through_page_shows_the_analytics(sample_store):
    want = follow_results(sample_store)
    at = page(FOLLOW)
    assert at.title[0].value == "Follow-through"
    assert_follow_page(at, want)
    missing = frame_with(at, "id", "severity", "category", "service")
    assert list(missing["id"]) == list(stability.severe_without_postmortem(want["table"])["id"])
    open_items = frame_with(at, "age_days", "scheduled")
    expected_open = want["ages"][~want["ages"]["done"]]
    assert list(open_items["key"]) == list(expected_open["key"])  # oldest first
    assert open_items["age_days"].tolist() == pytest.approx(expected_open["age_days"].tolist())
    assert list(open_items["scheduled"]) == list(expected_open["scheduled"])
    debt = frame_with(at, "open_items", "unplanned_points")
    assert list(debt["category"]) == list(want["debt"]["category"])
    assert debt["open_points"].tolist() == pytest.approx(want["debt"]["open_points"].tolist())
    coverage = charts(at)[0]
    q = stability.postmortem_coverage_over_time(want["table"], "quarter")
    assert values(coverage["data"][0]["y"]) == pytest.approx(list(q["coverage"]))
    # the sample's story: 12 of 15 P1/P2 with a review; open follow-ups; forgotten lists
    assert (len(stability.severe(want["table"])), int(stability.severe(want["table"])["has_postmortem"].sum())) \
        == (15, 12)
    assert len(want["repeats"]) > 0


def test_follow_through_downloads_are_the_checklist(sample_store):
    want = follow_results(sample_store)
    at = page(FOLLOW)
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Download every action item (CSV)", "Download every open debt item (CSV)",
                      "Checklist (Markdown)", "Checklist (CSV)"]
    text = dod.checklist_markdown(want["gaps"], 90, want["as_of"].strftime("%Y-%m-%d"))
    assert "- [ ] **Alerting and dashboards exist before release** (category monitoring)" in text
    assert "other" not in set(want["gaps"]["category"])
    assert "left out: improve the keyword table" in captions(at)


@pytest.fixture
def three_rows(monkeypatch):
    """The follow-through page with its long tables cut at 3 rows (and no result cached from before)."""
    import streamlit as st

    st.cache_data.clear()
    monkeypatch.setattr(ui, "BACKLOG_ROWS", 3)
    yield
    st.cache_data.clear()


def downloaded(path: Path, build) -> pd.DataFrame:
    """The CSV a download button builds when clicked (`build` is its cached builder in ui.stability)."""
    import io

    con = store.open_store(str(path))
    try:
        data = build(con, str(path), store.data_version(con), Knobs(), None, sprints.data_as_of(con))
    finally:
        con.close()
    return pd.read_csv(io.BytesIO(data))


def test_the_debt_backlog_shows_the_oldest_and_downloads_all(sample_store, three_rows):
    def debt(con):
        return stability.tech_debt(con, Knobs(), None, sprints.data_as_of(con))
    every = with_analytics(sample_store, debt)
    open_ = every[~every["done"].astype(bool)].sort_values(["age_days", "key"], ascending=[False, True])
    assert len(open_) > 3
    at = page(FOLLOW)
    assert list(frame_with(at, "category_rule", "age_days")["key"]) == list(open_["key"][:3])  # the oldest
    assert f"The 3 oldest of {len(open_)}; the download has all of them." in captions(at)
    assert any(e.label.startswith(f"Debt items in the backlog, oldest first ({len(open_)})") for e in at.expander)
    csv = downloaded(sample_store, ui._backlog_csv)  # every open item, oldest first
    assert list(csv["key"]) == list(open_["key"]) and list(csv.columns) == ui.BACKLOG_COLUMNS


def test_the_action_item_tables_show_the_oldest_and_download_all(sample_store, three_rows):
    def ages(con):
        return stability.action_item_ages(incidents.action_items(con, Knobs()), sprints.data_as_of(con))
    every = with_analytics(sample_store, ages)
    open_ = every[~every["done"].astype(bool)]
    assert len(open_) > 3
    at = page(FOLLOW)
    assert list(frame_with(at, "scheduled", "age_days")["key"]) == list(open_["key"][:3])  # the oldest open
    assert list(frame_with(at, "days_to_done", "sprints")["key"]) == list(every["key"][:3])
    assert f"The 3 oldest of {len(open_)}; the download below has all action items." in captions(at)
    assert f"The first 3 of {len(every)} (open ones first, oldest first)" in captions(at)
    csv = downloaded(sample_store, ui._actions_csv)
    assert list(csv["key"]) == list(every["key"]) and list(csv.columns) == ui.ACTION_COLUMNS


def test_the_repeats_table_shows_the_latest(sample_store, three_rows):
    repeats = with_analytics(sample_store, lambda con: incidents.repeats_with_open_actions(con, Knobs()))
    assert len(repeats) > 3
    at = page(FOLLOW)
    assert list(frame_with(at, "earlier", "open_items")["id"]) == list(repeats["id"][-3:])
    assert f"The latest 3 of {len(repeats)}." in captions(at)


def test_recurrence_window_changes_follow_through(sample_store):
    at = page(FOLLOW)
    at.number_input(key=controls.RECURRENCE).set_value(14).run()
    assert not at.exception
    want = follow_results(sample_store, Knobs(recurrence_days=14))
    assert_follow_page(at, want)
    assert len(want["repeats"]) != len(follow_results(sample_store)["repeats"])


def test_an_edited_dod_mapping_is_used(sample_store):
    mapping = (("monitoring", "Synthetic checks before release"),)
    at = page(FOLLOW, **{ui.DOD_MAPPING: mapping})
    want = follow_results(sample_store, mapping=mapping)
    assert_follow_page(at, want)
    gaps = frame_with(at, "dod_item", "category").set_index("category")
    assert gaps.loc["monitoring", "dod_item"] == "Synthetic checks before release"
    assert gaps.loc["deployment", "dod_item"] == dod.NO_ITEM


# --- On-call -------------------------------------------------------------------------------------------------

def oncall_results(path: Path, min_overlap: float = 0.0) -> dict:
    def compute(con):
        load = rotation.alphabetical(oncall.oncall_load(con, Knobs()))
        return {"load": load, "fair": oncall.fairness(load), "shifts": rotation.shifts(con),
                "protection": rotation.protection(rotation.sprint_points(con), list(load["person"]), min_overlap)}
    return with_analytics(path, compute)


def assert_protection(at: AppTest, prot: rotation.Protection) -> None:
    shown = metrics(at)
    flagged = prot.people[prot.people["full_load"]]
    assert shown["Team per-person median"][0] == f"{num(prot.team_median)} pts / sprint"
    assert shown["On call with a full sprint load"][0] == f"{len(flagged)} of {len(prot.people)}"
    table = frame_with(at, "points_per_on_call_sprint", "full_load")
    assert list(table["person"]) == list(prot.people["person"])
    assert table["points_per_on_call_sprint"].tolist() == pytest.approx(prot.people["points_per_on_call_sprint"].tolist())
    assert list(table["full_load"]) == list(prot.people["full_load"])


def test_oncall_page_shows_load_fairness_and_protection(sample_store):
    want = oncall_results(sample_store)
    at = page(ONCALL)
    assert at.title[0].value == "On-call"
    assert "Blameless" in at.info[0].value and "alphabetically" in at.info[0].value
    shown = metrics(at)
    fair = ui.fairness_text(want["fair"])
    assert shown["People on the rotation"] == (str(len(want["load"])), f"{len(want['shifts'])} shifts")
    assert shown["Shift hours, max ÷ min"][0] == fair["shift_hours_max_min"]
    assert shown["Incidents, max ÷ min"][0] == fair["incidents_max_min"]
    assert shown["Gini of incidents per person"][0] == fair["incidents_gini"]
    load = frame_with(at, "shift_hours", "sleep_hour_incidents")
    assert list(load["person"]) == sorted(load["person"])  # alphabetical, never by incidents
    assert load.reset_index(drop=True).equals(want["load"].reset_index(drop=True))
    assert_protection(at, want["protection"])
    load_chart, rotation_chart, protection_chart = charts(at)
    assert values(load_chart["data"][0]["x"]) == list(want["load"]["shift_hours"])
    assert len(values(rotation_chart["data"][0]["x"])) == len(want["shifts"])
    # the sample's story: Tom Becker carries the most shift hours
    assert want["load"].set_index("person")["shift_hours"].idxmax() == "Tom Becker"
    assert "Not protected while on call" in at.warning[0].value


def test_minimum_overlap_changes_protection(sample_store):
    at = page(ONCALL)
    at.number_input(key="w.min_overlap").set_value(24.0).run()
    assert not at.exception
    want = oncall_results(sample_store, 24.0)
    assert_protection(at, want["protection"])
    assert want["protection"].people["on_call_sprints"].sum() < oncall_results(sample_store)["protection"].people[
        "on_call_sprints"].sum()
    assert "more than 24 hours of overlap" in captions(at)


def test_oncall_without_a_schedule_uses_the_responders(sample_store):
    con = store.open_store(str(sample_store))
    con.execute("DELETE FROM oncall_shifts")
    store._bump_version(con)
    want = rotation.alphabetical(rotation.responder_load(con, Knobs()))
    con.close()
    at = page(ONCALL)
    assert "No on-call schedule" in at.warning[0].value and "shift hours" in at.warning[0].value
    responders = frame_with(at, "person", "out_of_hours_incidents")
    assert responders.reset_index(drop=True).equals(want.reset_index(drop=True))
    assert metrics(at)["Out-of-hours incidents"][0] == str(int(want["out_of_hours_incidents"].sum()))
    assert "Without a schedule there are no shift hours" in captions(at)


# --- empty and thin data -------------------------------------------------------------------------------------

@pytest.mark.parametrize("path, text", [(INCIDENTS, "No incidents in the store"),
                                        (FOLLOW, "No incidents in the store"),
                                        (ONCALL, "No on-call schedule")])
def test_pages_on_an_empty_store_say_what_is_missing(empty_store, path, text):
    at = page(path)
    assert any(text in el.value for el in list(at.info) + list(at.warning))


def test_thin_data_explains_instead_of_failing(tmp_path, monkeypatch):
    """Two incidents, no severity 1-2, no action items, no services, no sprints that cover them."""
    path = tmp_path / "thin.duckdb"
    con = store.open_store(str(path), load_sample=False)
    insert(con, "sprints", [sprint("S1", "2026-01-05", "2026-01-18")])
    insert(con, "work_items", [item("T-1", created="2026-01-02 10:00", resolved="2026-01-07 10:00", points=3,
                                    sprints=["S1"])])
    insert(con, "incidents", [
        {"id": "x", "title": "<b>odd</b> [thing](http://x)", "created": "2026-03-01 10:00", "severity": "P3"},
        {"id": "y", "title": "odd again", "created": "2026-03-02 10:00", "resolved": "2026-03-02 11:00",
         "severity": "P4", "category": "*weird*"},
    ])
    con.close()
    monkeypatch.setenv("FIREBREAK_DB", str(path))
    at = page(INCIDENTS)
    assert any("no per-service view" in i.value for i in at.info)
    at.radio(key="w.incident_period").set_value("sprint").run()
    assert not at.exception
    assert any("No incident was created on a day a sprint covers" in i.value for i in at.info)
    assert metrics(at)["Most recurring category"][0] == md("*weird*")
    at.switch_page(FOLLOW).run()
    assert not at.exception
    info = " ".join(i.value for i in at.info)
    assert "No incident has severity 1–2" in info and "No action items" in info
    assert "No category has recurring incidents" in info
    at.switch_page(ONCALL).run()
    assert not at.exception
    assert "No on-call schedule" in at.warning[0].value
