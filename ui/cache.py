"""Cached calls into `analytics`, so a rerun recomputes only what its inputs changed.

Every entry is keyed by (store path, data_version, the knobs the function
reads, projects). The knobs are narrowed to the fields each computation uses
(`only`), so moving the reserve-percentile slider, say, reuses the cached
sprint series and incident tables and recomputes only the reserve. The
connection argument (`_con`, the shared store connection) is not hashed; a
computation that runs takes its own cursor from it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import duckdb
import pandas as pd
import streamlit as st

from analytics import charts, incidents, investment, reserve, sprints, store
from analytics.config import Knobs
from analytics.firefighter import FirefighterStatus, firefighter_status
from ui.state import Db

# Which knobs each computation reads (see analytics/queries.params_for and the modules).
SERIES_KNOBS = ("unplanned_types", "unplanned_labels", "rule_type", "rule_label", "rule_added_mid_sprint",
                "default_reserve_points", "firefight_threshold")
RESERVE_KNOBS = ("window_months", "reserve_quantile")
INVESTMENT_KNOBS = ("baseline_sprints", "invest_points_per_sprint", "invest_sprints", "expected_reduction",
                    "horizon_sprints", "point_value")
INCIDENT_KNOBS = ("recurrence_days", "category_keywords")

Projects = tuple[str, ...] | None


def only(knobs: Knobs, *groups: tuple[str, ...]) -> Knobs:
    """The knobs with every field outside `groups` at its default: the part a computation depends on."""
    keep = {name for group in groups for name in group}
    return Knobs().replace(**{name: getattr(knobs, name) for name in keep})


@st.cache_data(show_spinner=False, max_entries=64)
def _series(_con: duckdb.DuckDBPyConnection, path: str, version: int, knobs: Knobs,
            projects: Projects) -> pd.DataFrame:
    with _con.cursor() as cur:
        return sprints.sprint_series(cur, knobs, projects)


@st.cache_data(show_spinner=False, max_entries=64)
def _reserve(_con, path: str, version: int, knobs: Knobs, projects: Projects) -> reserve.ReserveAdequacy:
    series = _series(_con, path, version, only(knobs, SERIES_KNOBS), projects)
    return reserve.reserve_adequacy(series, knobs)


@st.cache_data(show_spinner=False, max_entries=64)
def _firefighter(_con, path: str, version: int, knobs: Knobs, projects: Projects) -> FirefighterStatus:
    return firefighter_status(_series(_con, path, version, knobs, projects))


@st.cache_data(show_spinner=False, max_entries=64)
def _investment(_con, path: str, version: int, knobs: Knobs, projects: Projects) -> investment.InvestmentCase:
    series = _series(_con, path, version, only(knobs, SERIES_KNOBS), projects)
    return investment.investment_case(series, knobs)


@st.cache_data(show_spinner=False, max_entries=64)
def _by_category(_con, path: str, version: int, knobs: Knobs, projects: Projects) -> pd.DataFrame:
    with _con.cursor() as cur:
        return incidents.by_category(cur, knobs, projects)


@st.cache_data(show_spinner=False, max_entries=16)
def _projects(_con, path: str, version: int) -> list[str]:
    with _con.cursor() as cur:
        return sprints.projects(cur)


@st.cache_data(show_spinner=False, max_entries=16)
def _data_as_of(_con, path: str, version: int) -> dt.datetime | None:
    with _con.cursor() as cur:
        return sprints.data_as_of(cur)


@st.cache_data(show_spinner=False, max_entries=16)
def _imports(_con, path: str, version: int) -> pd.DataFrame:
    with _con.cursor() as cur:
        return store.import_history(cur)


def sprint_series(db: Db, knobs: Knobs, projects: Projects) -> pd.DataFrame:
    return _series(db.shared, db.path, db.version, only(knobs, SERIES_KNOBS), projects)


def reserve_adequacy(db: Db, knobs: Knobs, projects: Projects) -> reserve.ReserveAdequacy:
    return _reserve(db.shared, db.path, db.version, only(knobs, SERIES_KNOBS, RESERVE_KNOBS), projects)


def firefighter(db: Db, knobs: Knobs, projects: Projects) -> FirefighterStatus:
    return _firefighter(db.shared, db.path, db.version, only(knobs, SERIES_KNOBS), projects)


def investment_case(db: Db, knobs: Knobs, projects: Projects) -> investment.InvestmentCase:
    return _investment(db.shared, db.path, db.version, only(knobs, SERIES_KNOBS, INVESTMENT_KNOBS), projects)


def incidents_by_category(db: Db, knobs: Knobs, projects: Projects) -> pd.DataFrame:
    return _by_category(db.shared, db.path, db.version, only(knobs, INCIDENT_KNOBS), projects)


def projects(db: Db) -> list[str]:
    return _projects(db.shared, db.path, db.version)


def data_as_of(db: Db) -> dt.datetime | None:
    return _data_as_of(db.shared, db.path, db.version)


def imports(db: Db) -> pd.DataFrame:
    return _imports(db.shared, db.path, db.version)


# --- figures ---------------------------------------------------------------------------------------------------
# A page's plotly figures are built once per input: with many teams a per-sprint chart has thousands of bars, and
# building a figure costs more than the rest of a rerun. They are kept with st.cache_resource: a figure read back
# from st.cache_data is validated all over again, which costs as much as building it. A cached figure is shared
# between sessions and never modified (st.plotly_chart serialises a copy of it).

@st.cache_resource(show_spinner=False, max_entries=64)
def _figure(name: str, key: tuple, _build: Callable[[], Any]) -> Any:
    return _build()


def figure(name: str, key: tuple, build: Callable[[], Any]) -> Any:
    """The figure `build()` (no arguments), built once per (`name`, `key`): `key` holds everything the figure
    depends on (the store path and data version with the settings it reads, or the small results it draws)."""
    return _figure(name, key, build)


def share_chart(db: Db, knobs: Knobs, projects: Projects):
    """charts.unplanned_share_chart of the sprint series."""
    key = (db.path, db.version, only(knobs, SERIES_KNOBS), projects)
    return figure("share", key, lambda: charts.unplanned_share_chart(sprint_series(db, knobs, projects),
                                                                    knobs.firefight_threshold))


def reserve_chart(db: Db, knobs: Knobs, projects: Projects):
    """charts.reserve_chart of the reserve adequacy."""
    key = (db.path, db.version, only(knobs, SERIES_KNOBS, RESERVE_KNOBS), projects)
    return figure("reserve", key, lambda: charts.reserve_chart(reserve_adequacy(db, knobs, projects)))


def investment_chart(db: Db, knobs: Knobs, projects: Projects):
    """charts.investment_chart of the investment case."""
    key = (db.path, db.version, only(knobs, SERIES_KNOBS, INVESTMENT_KNOBS), projects)
    return figure("investment", key, lambda: charts.investment_chart(investment_case(db, knobs, projects)))
