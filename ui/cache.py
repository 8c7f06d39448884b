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


# --- the Overview's charts -----------------------------------------------------------------------------------
# Built once per data version and settings: with many teams the sprint chart has thousands of bars. Kept with
# st.cache_resource (a figure read back from st.cache_data is validated all over again, which costs as much as
# building it); a cached figure is never modified (st.plotly_chart serialises a copy).

@st.cache_resource(show_spinner=False, max_entries=32)
def _share_chart(_con, path: str, version: int, knobs: Knobs, projects: Projects, threshold: float):
    return charts.unplanned_share_chart(_series(_con, path, version, knobs, projects), threshold)


@st.cache_resource(show_spinner=False, max_entries=32)
def _reserve_chart(_con, path: str, version: int, knobs: Knobs, projects: Projects):
    return charts.reserve_chart(_reserve(_con, path, version, knobs, projects))


@st.cache_resource(show_spinner=False, max_entries=32)
def _investment_chart(_con, path: str, version: int, knobs: Knobs, projects: Projects):
    return charts.investment_chart(_investment(_con, path, version, knobs, projects))


def share_chart(db: Db, knobs: Knobs, projects: Projects):
    """charts.unplanned_share_chart of the sprint series, cached."""
    return _share_chart(db.shared, db.path, db.version, only(knobs, SERIES_KNOBS), projects, knobs.firefight_threshold)


def reserve_chart(db: Db, knobs: Knobs, projects: Projects):
    """charts.reserve_chart of the reserve adequacy, cached."""
    return _reserve_chart(db.shared, db.path, db.version, only(knobs, SERIES_KNOBS, RESERVE_KNOBS), projects)


def investment_chart(db: Db, knobs: Knobs, projects: Projects):
    """charts.investment_chart of the investment case, cached."""
    return _investment_chart(db.shared, db.path, db.version, only(knobs, SERIES_KNOBS, INVESTMENT_KNOBS), projects)
