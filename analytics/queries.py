"""Run the named SQL files of `analytics/sql/`.

Each file is one SELECT named for what it returns. A file may embed another
with `{{ name }}` (dbt's `ref`, without the framework): the named file's text
becomes a CTE body. Parameters are `$name` placeholders bound by DuckDB; only
the ones a composed query uses are passed.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from analytics.config import ACTION_ITEM_LABELS, DEBT_LABELS, POSTMORTEM_DONE_LABEL, POSTMORTEM_TYPES, Knobs

SQL_DIR = Path(__file__).parent / "sql"
_INCLUDE = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
PARAM = re.compile(r"\$([a-z_]+)")


@lru_cache(maxsize=None)
def sql(name: str) -> str:
    """The text of `sql/<name>.sql` with its includes expanded."""
    text = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
    return _INCLUDE.sub(lambda m: "\n" + sql(m.group(1)) + "\n", text)


def params_for(knobs: Knobs, projects: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Every parameter the SQL files use, from the knobs and the project filter."""
    rank, category, word = [], [], []
    for i, (cat, words) in enumerate(knobs.category_keywords):
        for w in words:
            rank.append(i)
            category.append(cat)
            word.append(w)
    return {
        "projects": list(projects) if projects else None,
        "unplanned_types": [t.lower() for t in knobs.unplanned_types],
        "unplanned_labels": [t.lower() for t in knobs.unplanned_labels],
        "rule_type": knobs.rule_type,
        "rule_label": knobs.rule_label,
        "rule_mid_sprint": knobs.rule_added_mid_sprint,
        "default_reserve_points": float(knobs.default_reserve_points),
        "recurrence_days": int(knobs.recurrence_days),
        "kw_rank": rank,
        "kw_category": category,
        "kw_word": word,
        "postmortem_types": [t.lower() for t in POSTMORTEM_TYPES],
        "postmortem_done_label": POSTMORTEM_DONE_LABEL,
        "action_item_labels": list(ACTION_ITEM_LABELS),
        "debt_labels": list(DEBT_LABELS),
        "period_start": None,  # on-call load over a period (None: all of it)
        "period_end": None,
    }


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any]) -> pd.DataFrame:
    """Run a named query (after making sure the derived fact tables are current)."""
    from analytics import facts  # facts builds its tables with this module's `sql`

    facts.ensure(con)
    text = sql(name)
    used = set(PARAM.findall(text))
    return con.execute(text, {k: v for k, v in params.items() if k in used}).df()


