"""The shared sidebar: project filter and the main knobs. Every page calls `sidebar()` first.

Each control keeps its value in a plain session-state key (`fb.<name>`),
copied there by the widget's `on_change` and read back as the widget's initial
value. Widget keys are dropped by Streamlit after a run that does not render
the widget; the plain keys survive page switches (STREAMLIT_DUCKDB_NOTES.md §1).
"""

from __future__ import annotations

from typing import Any, Callable

import streamlit as st

from analytics.config import Knobs
from ui import cache
from ui.routing import ensure_routed
from ui.state import Db

DEFAULTS = Knobs()
WINDOW_MONTHS = (6, 12)

# Widget keys, so tests and pages can address the controls.
PROJECTS = "w.projects"
THRESHOLD = "w.firefight_threshold"
QUANTILE = "w.reserve_quantile"
WINDOW = "w.window_months"
RECURRENCE = "w.recurrence_days"
RESERVE = "w.default_reserve_points"


# Settings edited on a page (classification rules, keyword table, investment inputs) are kept
# here and apply on every page: {Knobs field: value}.
OVERRIDES = "fb.knob_overrides"


def set_knobs(**changes: Any) -> None:
    """Keep page-edited settings for the whole session (validated: a bad value raises ConfigError)."""
    Knobs().replace(**{**st.session_state.get(OVERRIDES, {}), **changes})
    st.session_state[OVERRIDES] = {**st.session_state.get(OVERRIDES, {}), **changes}


def reset_knobs(*names: str) -> None:
    """Forget page-edited settings (all of them when no name is given)."""
    kept = st.session_state.get(OVERRIDES, {})
    st.session_state[OVERRIDES] = {k: v for k, v in kept.items() if names and k not in names}


def _value_key(widget_key: str) -> str:
    return "fb." + widget_key.removeprefix("w.")


def _persisted(widget: Callable[..., Any], widget_key: str, default: Any, *, arg: str = "value",
               to_arg: Callable[[Any], Any] = lambda v: v, **kwargs: Any) -> Any:
    """Render `widget` with its value kept in the plain key `fb.<name>`.

    `arg` names the widget's initial-value parameter and `to_arg` maps the kept
    value to it (a radio takes the index of its option).
    """
    value_key = _value_key(widget_key)
    if value_key not in st.session_state:
        st.session_state[value_key] = default

    def remember() -> None:
        st.session_state[value_key] = st.session_state[widget_key]

    kwargs[arg] = to_arg(st.session_state[value_key])
    return widget(key=widget_key, on_change=remember, **kwargs)


def _percent(fraction: float) -> int:
    return int(round(fraction * 100))


def sidebar(db: Db) -> tuple[Knobs, tuple[str, ...] | None]:
    """Draw the filter and knob controls; return the knobs and the project filter (None = all)."""
    ensure_routed()
    with st.sidebar:
        st.header("Filters and settings")
        options = cache.projects(db)
        kept = [p for p in st.session_state.get(_value_key(PROJECTS), []) if p in options]
        st.session_state[_value_key(PROJECTS)] = kept
        chosen = _persisted(
            st.multiselect, PROJECTS, kept, arg="default", label="Team / project", options=options,
            placeholder="All projects", help="Work items of these tracker projects only. Empty: all projects.",
        )
        threshold = _persisted(
            st.slider, THRESHOLD, _percent(DEFAULTS.firefight_threshold), label="Firefighting threshold",
            min_value=5, max_value=95, step=5, format="%d%%",
            help="A completed sprint is firefighting when its unplanned share is at least this.",
        )
        quantile = _persisted(
            st.slider, QUANTILE, _percent(DEFAULTS.reserve_quantile), label="Reserve percentile",
            min_value=50, max_value=95, step=5, format="p%d",
            help="The recommended reserve covers this percentile of unplanned points per sprint "
                 "in the window.",
        )
        window = _persisted(
            st.radio, WINDOW, DEFAULTS.window_months, arg="index", to_arg=_window_index,
            label="Reserve window", options=WINDOW_MONTHS, format_func=lambda m: f"{m} months",
            horizontal=True,
            help="Completed sprints that ended within this many months of the latest completed sprint.",
        )
        recurrence = _persisted(
            st.number_input, RECURRENCE, DEFAULTS.recurrence_days, label="Recurrence window (days)",
            min_value=1, max_value=3650, step=15,
            help="An incident recurs when one of the same category was created this many days before it.",
        )
        reserve = _persisted(
            st.number_input, RESERVE, float(DEFAULTS.default_reserve_points), label="Default reserve (points)",
            min_value=0.0, max_value=1000.0, step=1.0, format="%.1f",
            help="Reserve of a sprint the sprints file gives none for.",
        )
    knobs = DEFAULTS.replace(
        **st.session_state.get(OVERRIDES, {}),
        firefight_threshold=threshold / 100,
        reserve_quantile=quantile / 100,
        window_months=int(window),
        recurrence_days=int(recurrence),
        default_reserve_points=float(reserve),
    )
    return knobs, (tuple(chosen) if chosen else None)


def _window_index(months: int) -> int:
    return WINDOW_MONTHS.index(months) if months in WINDOW_MONTHS else 0
