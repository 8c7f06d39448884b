"""The stability figure builders draw exactly the analytics values, in Okabe-Ito colours."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analytics import incidents, oncall, rotation, stability
from analytics import stability_charts as charts
from analytics.config import Knobs
from tests.builders import insert, new_store
from tests.test_stability import AS_OF, build
from tests.test_stability_oncall import SHIFTS

OKABE_ITO = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#BBBBBB"}


@pytest.fixture(scope="module")
def con():
    con = new_store()
    build(con)
    insert(con, "oncall_shifts", SHIFTS)
    return con


@pytest.fixture(scope="module")
def table(con):
    return incidents.incident_table(con, Knobs())


def colours(fig) -> set[str]:
    out = set()
    for t in fig.data:
        marker = getattr(t, "marker", None)
        if marker is not None and isinstance(marker.color, str):
            out.add(marker.color.upper())
    return out


def by_name(fig, name: str, meta: str | None = None):
    return [t for t in fig.data if t.name == name and (meta is None or t.meta == meta)]


def test_incidents_over_time_chart(table):
    frame = stability.incidents_over_time(table, "month")
    fig = charts.incidents_over_time_chart(frame, "month")
    for cat in ("monitoring", "integration", "other"):
        part = frame[frame["category"] == cat]
        [first] = by_name(fig, "First occurrence", cat)
        [rec] = by_name(fig, "Recurrence", cat)
        assert list(first.x) == list(part["period"])
        assert list(first.y) == list(part["first_occurrences"])
        assert list(rec.y) == list(part["recurrences"])
    assert list(by_name(fig, "Recurrence", "monitoring")[0].y) == [1, 0, 0, 0]
    assert [a.text for a in fig.layout.annotations] == ["monitoring", "integration", "other"]
    assert by_name(fig, "Recurrence", "monitoring")[0].marker.pattern.shape == "/"  # not colour alone
    assert colours(fig) <= OKABE_ITO


def test_category_cost_chart(con, table):
    costs = stability.category_costs(table, stability.linked_work(con, Knobs()))
    fig = charts.category_cost_chart(costs)
    rec, pts = fig.data
    assert list(rec.y) == list(pts.y) == ["monitoring", "integration", "other"]
    assert list(rec.x) == [1, 0, 0]
    assert list(pts.x) == [6.0, 0.0, 0.0]
    assert colours(fig) <= OKABE_ITO


@pytest.mark.parametrize("by", ["category", "severity"])
def test_resolve_time_chart(table, by):
    times = stability.resolve_times(table, by)
    fig = charts.resolve_time_chart(table, list(times["group"]), by)
    assert [t.name for t in fig.data] == list(times["group"])
    hours = {t.name: sorted(t.y) for t in fig.data}
    if by == "category":
        assert hours == {"monitoring": [2.0, 4.0, 10.0], "integration": [1.0], "other": []}
    else:
        assert hours == {"P1": [4.0], "P2": [2.0], "Sev-2": [10.0], "P3": [1.0], "(none)": []}
    assert colours(fig) <= OKABE_ITO


def test_coverage_chart(table):
    coverage = stability.postmortem_coverage_over_time(table, "month")
    fig = charts.coverage_chart(coverage)
    bar = fig.data[0]
    assert list(bar.x) == ["Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026"]
    assert list(bar.y) == [0.5, None, None, 1.0]
    assert list(bar.text) == ["1 / 2", "none", "none", "1 / 1"]


def test_action_age_chart(con):
    ages = stability.action_item_ages(incidents.action_items(con, Knobs()), AS_OF)
    fig = charts.action_age_chart(ages)
    scheduled, unscheduled = fig.data
    assert list(scheduled.x) == []
    assert list(unscheduled.x) == [pytest.approx(117.125)]
    assert colours(fig) <= OKABE_ITO


def test_tech_debt_chart(con, table):
    costs = stability.category_costs(table, stability.linked_work(con, Knobs()))
    by = stability.tech_debt_by_category(stability.tech_debt(con, Knobs(), None, AS_OF), costs)
    fig = charts.tech_debt_chart(by)
    debt, caused = fig.data
    assert list(debt.y) == list(by["category"])
    assert list(debt.x) == [5.0, 8.0, 2.0, 0.0, 0.0]
    assert list(caused.x) == [6.0, 0.0, 0.0, 0.0, 0.0]
    assert colours(fig) <= OKABE_ITO


def test_oncall_load_chart(con):
    load = rotation.alphabetical(oncall.oncall_load(con, Knobs()))
    fig = charts.oncall_load_chart(load)
    hours, business, awake, sleep = fig.data
    assert list(hours.y) == ["Alice", "Bob"] and list(hours.x) == [336.0, 168.0]
    assert (list(business.x), list(awake.x), list(sleep.x)) == ([1, 0], [0, 0], [1, 0])
    assert [t.name for t in fig.data[1:]] == list(charts.BUCKET_TRACES)
    assert colours(fig) <= OKABE_ITO


def test_responder_chart(con):
    load = rotation.alphabetical(rotation.responder_load(con, Knobs()))
    fig = charts.responder_chart(load)
    business, awake, sleep = fig.data
    assert list(business.y) == ["(no responder)", "Alice", "Bob"]
    # (no responder): d Mon 20:00; Alice: a business, b sleep; Bob: c business, e Sat 09:00 out of hours
    assert (list(business.x), list(awake.x), list(sleep.x)) == ([0, 1, 1], [1, 0, 1], [0, 1, 0])


def test_rotation_chart(con, table):
    shifts = rotation.shifts(con)
    on = rotation.incidents_on_shift(shifts, table)
    fig = charts.rotation_chart(shifts, on)
    bars = fig.data[0]
    assert list(bars.y) == ["Alice", "Bob", "Alice"]
    assert list(bars.base) == ["2026-01-05T09:00:00", "2026-01-12T09:00:00", "2026-01-19T09:00:00"]
    assert list(bars.x) == [168 * 3600 * 1000.0] * 3  # milliseconds on a date axis
    business, ooh, sleep = fig.data[1:]
    assert (list(business.y), list(business.x)) == (["Alice"], ["2026-01-05T10:00:00"])
    assert (list(sleep.y), list(sleep.x)) == (["Alice"], ["2026-01-20T03:00:00"])
    assert list(ooh.x) == []
    assert list(fig.layout.yaxis.categoryarray) == ["Alice", "Bob"]
    assert colours(fig) <= OKABE_ITO


def test_protection_chart(con):
    prot = rotation.protection(rotation.sprint_points(con), ["Alice", "Bob"])
    fig = charts.protection_chart(prot.people, prot.team_median)
    full, below, everything, median = fig.data
    assert list(full.x) == ["Alice", "Bob"]
    assert list(full.y) == [4.5, None] and list(below.y) == [None, 1.0]
    assert list(everything.y) == [2.25, 1.5]
    assert fig.layout.shapes[0].y0 == 1.5 and "1.5" in median.name
    assert full.marker.pattern.shape == "/"
    assert colours(fig) <= OKABE_ITO


def test_names_from_the_data_are_escaped_in_figures():
    costs = pd.DataFrame({"category": ["<a href='javascript:x'>y</a>"], "incidents": [1], "recurrences": [1],
                          "unplanned_points": [0.0], "unplanned_items": [0]})
    fig = charts.category_cost_chart(costs)
    assert fig.data[0].y[0] == "&lt;a href='javascript:x'&gt;y&lt;/a&gt;"
    assert charts.label("a\n  b & c") == "a b &amp; c"


def test_rotation_chart_without_incidents():
    shifts = pd.DataFrame({"person": ["Zoe"], "start": [dt.datetime(2026, 1, 1)], "end": [dt.datetime(2026, 1, 2)]})
    fig = charts.rotation_chart(shifts, rotation.incidents_on_shift(shifts, pd.DataFrame()))
    assert list(fig.data[0].x) == [24 * 3600 * 1000.0]
    assert all(len(t.x) == 0 for t in fig.data[1:])
