"""On-call load: shift hours and incidents in shifts, with PagerDuty's out-of-hours and sleep buckets."""

import pytest

from analytics.config import Knobs
from analytics.oncall import fairness, gini, oncall_load
from tests.builders import insert, new_store


@pytest.fixture
def con():
    con = new_store()
    insert(con, "oncall_shifts", [
        {"person": "Alice", "start": "2026-01-05 09:00", "end": "2026-01-12 09:00"},   # 168 h
        {"person": "Bob", "start": "2026-01-12 09:00", "end": "2026-01-19 09:00"},     # 168 h
        {"person": "Bob", "start": "2026-01-19 09:00", "end": "2026-01-20 09:00"},     # 24 h
    ])
    insert(con, "incidents", [
        {"id": "a", "title": "x", "created": "2026-01-06 10:00"},  # Tue 10:00: Alice, business hours
        {"id": "b", "title": "x", "created": "2026-01-10 03:00"},  # Sat 03:00: Alice, out of hours and sleep
        {"id": "c", "title": "x", "created": "2026-01-12 09:00"},  # shift change: Bob's (start <= t < end)
        {"id": "d", "title": "x", "created": "2026-01-14 19:30"},  # Wed 19:30: Bob, out of hours, not sleep
        {"id": "e", "title": "x", "created": "2026-01-19 23:00"},  # Mon 23:00: Bob, out of hours and sleep
        {"id": "f", "title": "x", "created": "2026-01-16 18:00"},  # Fri 18:00 sharp: Bob, out of hours
        {"id": "g", "title": "x", "created": "2026-02-01 12:00"},  # nobody on call
    ])
    return con


def test_load_per_person(con):
    load = oncall_load(con, Knobs()).set_index("person")
    assert load.loc["Alice"].to_dict() == {"shift_hours": 168.0, "shifts": 1, "incidents": 2,
                                           "out_of_hours_incidents": 1, "sleep_hour_incidents": 1}
    assert load.loc["Bob"].to_dict() == {"shift_hours": 192.0, "shifts": 2, "incidents": 4,
                                         "out_of_hours_incidents": 3, "sleep_hour_incidents": 1}


def test_fairness(con):
    f = fairness(oncall_load(con, Knobs()))
    assert f["shift_hours_max_min"] == pytest.approx(192 / 168)
    assert f["incidents_max_min"] == pytest.approx(4 / 2)
    # Gini of [2, 4]: 2 * (1*2 + 2*4) / (2 * 6) - 3/2 = 20/12 - 1.5 = 1/6
    assert f["incidents_gini"] == pytest.approx(1 / 6)


def test_gini_edges():
    assert gini([5, 5, 5]) == pytest.approx(0.0)
    assert gini([0, 0, 9]) == pytest.approx(2 / 3)
    assert gini([]) is None and gini([0, 0]) is None


def test_no_schedule_gives_no_rows():
    assert oncall_load(new_store(), Knobs()).empty
