"""Derived tables rebuilt once per data version, so every metric query is a single cheap pass.

`calendar` (the sprint calendar, given or inferred), `facts_item_sprints` (one
row per item and listed sprint, with its completion flag), `facts_item_links`
(the keys items link to), `facts_label_sets` (distinct label lists),
`facts_followup_items`, `facts_incidents`, `facts_incident_items` (the incident
sources and the small slice of work items they can touch), `facts_incident_links`
(every incident <-> item pair, either direction), `facts_action_items` (every
possible post-incident action item, before the project filter) and `facts_summary` (the as-of
moment) depend only on
the stored data, never on a setting. They are rebuilt in one transaction the
first time a query runs after an import or undo (the store's data version
changed), under a process-wide lock so concurrent sessions build them once.
"""

from __future__ import annotations

import hashlib
import threading

import duckdb

from analytics import queries
from analytics.config import Knobs

# Built in this order: later ones read earlier ones.
FACT_TABLES = ("calendar", "facts_item_sprints", "facts_label_sets", "facts_item_links", "facts_followup_items",
               "facts_incidents", "facts_incident_items", "facts_incident_links",
               "facts_action_items", "facts_summary")
_SQL_FOR = {"calendar": "sprint_calendar"}
_lock = threading.Lock()
# Fixed lists (not settings) the fact tables use: post-mortem types and action-item labels.
_CONSTANTS = queries.params_for(Knobs())


def _definition() -> str:
    """A fingerprint of the fact tables' SQL: a new release that changes them rebuilds them too."""
    text = "\n".join(queries.sql(_SQL_FOR.get(t, t)) for t in FACT_TABLES)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _versions(con: duckdb.DuckDBPyConnection) -> tuple[str, str | None]:
    """(the version the facts must have: data version + definition, the version they have)."""
    rows = dict(con.execute(
        "SELECT key, value FROM meta WHERE key IN ('data_version', 'facts_version')").fetchall())
    return f"{rows['data_version']}:{_definition()}", rows.get("facts_version")


def ensure(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the derived tables if the data changed since they were built."""
    data, facts = _versions(con)
    if data == facts:
        return
    with _lock:
        data, facts = _versions(con)
        if data == facts:
            return
        con.execute("BEGIN TRANSACTION")
        try:
            for table in FACT_TABLES:
                text = queries.sql(_SQL_FOR.get(table, table))
                used = set(queries.PARAM.findall(text))
                con.execute(f"CREATE OR REPLACE TABLE {table} AS {text}",
                            {k: v for k, v in _CONSTANTS.items() if k in used})
            con.execute("INSERT INTO meta VALUES ('facts_version', $v) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value", {"v": data})
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
