"""Build small stores by hand: canonical rows inserted directly, so metric tests state their data plainly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from analytics import store
from analytics.importers.formats import CANONICAL_COLUMNS, COLUMN_TYPES


FIXTURES = Path(__file__).parent / "fixtures"
SHARED_SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
needs_shared = pytest.mark.skipif(not SHARED_SAMPLES.is_dir(),
                                  reason="../shared/samples is not beside the repo (real exports are not copied here)")


def load(con, name, **kw):
    """Import one of our own fixture files."""
    return store.import_file(con, name, path=FIXTURES / name, **kw)


def rows(con, sql, *params) -> list[dict]:
    cur = con.execute(sql, list(params))
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def ts(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text)


def new_store():
    return store.open_store(":memory:", load_sample=False)


def insert(con, table: str, rows: list[dict]) -> None:
    """Insert canonical rows; columns left out are NULL (lists: empty)."""
    cols = CANONICAL_COLUMNS[table]
    full = []
    for row in rows:
        unknown = set(row) - set(cols)
        assert not unknown, f"not a column of {table}: {unknown}"
        rec = {}
        for c in cols:
            value = row.get(c)
            if value is None and COLUMN_TYPES[c].endswith("[]"):
                value = []
            if COLUMN_TYPES[c] in ("TIMESTAMP", "DATE") and isinstance(value, str):
                value = ts(value) if COLUMN_TYPES[c] == "TIMESTAMP" else dt.date.fromisoformat(value)
            rec[c] = value
        full.append(rec)
    frame = pd.DataFrame(full, columns=list(cols))
    con.register("rows_df", frame)
    select = ", ".join(f'CAST("{c}" AS {COLUMN_TYPES[c]}) AS "{c}"' for c in cols)
    con.execute(f'INSERT INTO "{table}" BY NAME SELECT {select}, \'test\' AS source, 0 AS import_id FROM rows_df')
    con.unregister("rows_df")
    store._bump_version(con)  # as an import would: derived tables are rebuilt on the next query


def item(key: str, type: str = "Story", *, created: str, resolved: str | None = None, points: float | None = None,
         sprints: list[str] | None = None, labels: list[str] | None = None, hours: float | None = None,
         links: list[tuple[str, str]] | None = None, project: str = "T", **extra) -> dict:
    row = {"key": key, "type": type, "summary": extra.pop("summary", f"{type} {key}"), "created": created,
           "resolved": resolved, "points": points, "sprints": sprints or [], "labels": labels or [],
           "time_spent_hours": hours, "project": project,
           "links": [{"type": t, "key": k} for t, k in (links or [])],
           "status_category": "done" if resolved else "todo"}
    row.update(extra)
    return row


def sprint(name: str, start: str, end: str, reserve: float | None = None, capacity: float | None = None) -> dict:
    return {"name": name, "start_date": start, "end_date": end, "reserve_points": reserve,
            "capacity_points": capacity}


def series(rows: list[tuple[str, str, float | None, float, bool]], reserve: float = 0.0) -> pd.DataFrame:
    """A sprint series as `sprint_series` returns it, from (name, end, share, unplanned, completed)."""
    out = []
    for name, end, share, unplanned, completed in rows:
        out.append({"sprint": name, "end": dt.date.fromisoformat(end), "unplanned_share": share,
                    "unplanned_points": unplanned, "planned_done_points": 10.0, "completed": completed,
                    "firefighting": share is not None and share >= 0.5, "reserve_points": reserve})
    return pd.DataFrame(out)
