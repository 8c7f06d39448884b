"""Definition-of-Done gaps: for each recurring incident category, the DoD item that would have prevented it.

The mapping (category -> DoD item) is editable; the defaults follow the
categories of the keyword table. The checklist exports as Markdown and as a
formula-safe CSV (`analytics.exports.formula_safe_csv`).
"""

from __future__ import annotations

import pandas as pd

from analytics.exports import formula_safe_csv
from analytics.stability import OTHER, MappingError, _cell

DEFAULT_DOD: tuple[tuple[str, str], ...] = (
    ("monitoring", "Alerting and dashboards exist before release"),
    ("error-handling", "Error handling for every external call"),
    ("integration", "Contract tests for each integration"),
    ("configuration", "Config validated and versioned"),
    ("capacity", "Load test at expected peak"),
    ("deployment", "Rollback tested"),
)

NO_ITEM = "(no DoD item mapped: add one in the mapping below)"
EXAMPLES = 3
CSV_COLUMNS = ("dod_item", "category", "incidents", "recurrences", "recurrence_rate", "unplanned_points",
               "example_incidents")


def mapping_rows(mapping: tuple[tuple[str, str], ...], categories: list[str] | None = None) -> pd.DataFrame:
    """The mapping as editor rows (category, dod_item); categories not mapped yet get an empty row."""
    rows = [{"category": c, "dod_item": item} for c, item in mapping]
    known = {c.lower() for c, _ in mapping}
    for c in categories or []:
        if c.lower() not in known and c != OTHER:
            rows.append({"category": c, "dod_item": ""})
            known.add(c.lower())
    return pd.DataFrame(rows, columns=["category", "dod_item"])


def mapping_from_rows(rows: pd.DataFrame) -> tuple[tuple[str, str], ...]:
    """Edited rows back as a mapping: blank rows and rows without an item are dropped; a category twice
    or an item without a category raise MappingError."""
    out: dict[str, str] = {}
    for n, (_, row) in enumerate(rows.iterrows(), start=1):
        category, item = _cell(row.get("category")), _cell(row.get("dod_item"))
        if not category and not item:
            continue
        if not category:
            raise MappingError(f"row {n}: the DoD item {item!r} has no category")
        if category.lower() in {c.lower() for c in out}:
            raise MappingError(f"row {n}: category {category!r} is mapped twice")
        if item:
            out[category] = item
    return tuple(out.items())


def dod_gaps(costs: pd.DataFrame, table: pd.DataFrame, mapping: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    """One row per category with at least one recurrence: its DoD item and the evidence.

    `other` is left out: its incidents share no cause, so no DoD item fits them (improve
    the keyword table instead; see `other_recurrences`).

    `costs` is `stability.category_costs` (incidents, recurrences, unplanned points per category),
    `table` the incident table (for example titles: the most frequent recurring titles, up to 3).
    Ordered as `costs` (most recurrences first).
    """
    cols = ["category", "dod_item", "mapped", "incidents", "recurrences", "recurrence_rate", "unplanned_points",
            "example_incidents", "last_recurrence"]
    if costs.empty:
        return pd.DataFrame(columns=cols)
    items = {c.lower(): item for c, item in mapping}
    rows = []
    for _, c in costs[(costs["recurrences"] > 0) & (costs["category"] != OTHER)].iterrows():
        rec = table[(table["category"] == c["category"]) & table["recurrence"].astype(bool)]
        titles = rec["title"].fillna("").value_counts(sort=True)
        examples = [t for t in titles.index if t][:EXAMPLES]
        item = items.get(str(c["category"]).lower())
        rows.append({"category": c["category"], "dod_item": item or NO_ITEM, "mapped": item is not None,
                     "incidents": int(c["incidents"]), "recurrences": int(c["recurrences"]),
                     "recurrence_rate": float(c["recurrence_rate"]),
                     "unplanned_points": float(c["unplanned_points"]),
                     "example_incidents": examples,
                     "last_recurrence": pd.Timestamp(rec["created"].max()) if len(rec) else None})
    return pd.DataFrame(rows, columns=cols)


def other_recurrences(costs: pd.DataFrame) -> int:
    """Recurrences in `other`, which the DoD gaps leave out."""
    if costs.empty:
        return 0
    return int(costs.loc[costs["category"] == OTHER, "recurrences"].sum())


def _fmt(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def checklist_markdown(gaps: pd.DataFrame, recurrence_days: int, as_of: str | None = None) -> str:
    """The checklist: one unchecked box per DoD item with the evidence behind it."""
    lines = ["# Definition of Done: additions from recurring incidents", ""]
    when = f" Data as of {as_of}." if as_of else ""
    lines.append(f"A recurrence is an incident with an earlier one of the same category within {recurrence_days} "
                 f"days before it.{when}")
    lines.append("")
    if gaps.empty:
        lines.append("No category has recurring incidents: nothing to add.")
        return "\n".join(lines) + "\n"
    for _, g in gaps.iterrows():
        examples = "; ".join(_md_text(t) for t in g["example_incidents"]) or "-"
        lines.append(f"- [ ] **{_md_text(g['dod_item'])}** (category {_md_text(g['category'])}): "
                     f"{_n(g['recurrences'], 'recurrence')} of {_n(g['incidents'], 'incident')} "
                     f"({g['recurrence_rate']:.0%}), {_fmt(g['unplanned_points'])} unplanned points. "
                     f"Examples: {examples}")
    return "\n".join(lines) + "\n"


def _n(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _md_text(text: object) -> str:
    """Text from the data, made inert in Markdown (no links, images, HTML or emphasis)."""
    out = " ".join(str(text).split())
    for ch in "\\`*_{}[]()<>#!|":
        out = out.replace(ch, "\\" + ch)
    return out


def checklist_csv(gaps: pd.DataFrame) -> bytes:
    """The checklist as CSV (analytics.exports.formula_safe_csv: a text cell starting with = + - @ TAB CR LF
    gets a leading ', so no spreadsheet runs it)."""
    frame = pd.DataFrame({
        "dod_item": gaps["dod_item"], "category": gaps["category"],
        "incidents": [int(v) for v in gaps["incidents"]], "recurrences": [int(v) for v in gaps["recurrences"]],
        "recurrence_rate": [round(float(v), 4) for v in gaps["recurrence_rate"]],
        "unplanned_points": [round(float(v), 4) for v in gaps["unplanned_points"]],
        "example_incidents": ["; ".join(e) for e in gaps["example_incidents"]],
    }, columns=list(CSV_COLUMNS))
    return formula_safe_csv(frame)
