"""The store connection: one DuckDB connection per store file and process, a cursor per script run.

DuckDB 2 refuses concurrent calls on one connection, so the shared connection
(`st.cache_resource`, keyed by the store path) is never queried directly: each
script run takes its own `cursor()`, and each cached computation in
`ui.cache` takes its own cursor when it actually runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import streamlit as st

from analytics import store
from analytics.errors import ImportRejected
from ui.auth import require_login


@st.cache_resource(show_spinner="Opening the store (the first time loads the embedded sample)…")
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    return store.open_store(path, hardened=True)


@dataclass(frozen=True)
class Db:
    """The store as one script run sees it."""

    path: str
    version: int                          # store.data_version: changes on every import and undo
    shared: duckdb.DuckDBPyConnection     # the process-wide connection: only ever call .cursor() on it
    cursor: duckdb.DuckDBPyConnection     # this run's own connection


def open_db() -> Db:
    """Open (or reuse) the store named by FIREBREAK_DB; on failure show why and stop the page.

    First of all, when sign-in is configured, a visitor who is not signed in gets the sign-in
    button and the page stops here (`ui.auth`): every page calls this before it reads anything.
    Messages quote paths and file contents as text (escaped), never as Markdown or HTML.
    """
    require_login()
    path = store.store_path()
    try:
        shared = _connection(path)
    except store.StoreLocked as exc:
        st.error(_text(exc), icon=":material/lock:")
        st.stop()
    except ImportRejected as exc:
        st.error(_text(f"The embedded sample could not be loaded into the new store {path}: {exc}"),
                 icon=":material/error:")
        st.stop()
    except duckdb.Error as exc:
        st.error(_text(f"The store {path} cannot be opened: {exc}"), icon=":material/error:")
        st.stop()
    cursor = shared.cursor()
    return Db(path=path, version=store.data_version(cursor), shared=shared, cursor=cursor)


def _text(message: object) -> str:
    """A message for st.error/st.info (which render Markdown), shown literally: one line, Markdown escaped."""
    from ui.explain import md  # late: ui.explain imports analytics modules this one does not need

    return md(message)
