"""The Upload page's import flow: review each uploaded export, import the ones confirmed, undo an import.

How a file goes in (the store does the work; this module only asks and shows):

1. **Review.** Each file's format is detected (a saved mapping made for exactly
   its headers first, then the built-in formats) and can be overridden. The
   file is staged on this run's cursor (`stage_file`, a TEMP table), summarised
   from the staged canonical rows, and the TEMP table is dropped again.
2. **Confirm.** `store.import_file` stages the bytes again and commits them in
   one transaction with the import log. Re-staging at confirm time is the
   simple, robust choice: the app's cursors (and their TEMP tables) live for
   one script run, while the file bytes stay in the `UploadedFile`; a staged
   preview costs a few tens of milliseconds for a typical export.
3. **After.** The outcome per file is kept in the session, the uploader is
   emptied, and the script reruns so every cached figure (keyed on the store's
   data version) follows.

The summaries are pure functions of the staged rows (`staged_share`,
`summarise`) so they can be tested without Streamlit. Text from the data goes
through `explain.md`; tables of data are shown with `st.dataframe` (never as
Markdown or HTML); downloads go through `formula_safe_csv`.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

import duckdb
import numpy as np
import pandas as pd
import streamlit as st

from analytics import mappings, store
from analytics.config import Knobs
from analytics.errors import AlreadyImported, ImportRejected
from analytics.exports import formula_safe_csv
from analytics.importers import FORMAT_LABELS, Reject, Staged, detect_format, drop_stage, format_label, stage_file
from analytics.importers import ical, jira_sprints_json
from analytics.importers.formats import CANONICAL_COLUMNS, CSV_FORMATS
from ui import cache, explain
from ui.explain import md, num, pct, plural
from ui.state import Db

GENERIC = "__mapping__"  # the format choice "map the columns myself"
PREVIEW_ROWS = 10
REJECTS_SHOWN = 200
UPLOAD_TYPES = ["csv", "tsv", "ics", "json"]
# Detection and the mapping screen read only the header and the first records: a file's first MiB
# (more than the importer sniffs, so the encoding check sees a cut-off head as such).
HEAD_BYTES = 1 << 20

TABLE_LABELS = {
    "work_items": "Work items (a tracker's issue export)",
    "incidents": "Incidents",
    "oncall_shifts": "On-call shifts",
    "sprints": "Sprint calendar",
}
FORMAT_TABLES: dict[str, str] = ({f.name: f.table for f in CSV_FORMATS}
                                 | {ical.FORMAT_NAME: "oncall_shifts", jira_sprints_json.FORMAT_NAME: "sprints"})

# What each kind of file is for (the expander at the top of the page).
KIND_PURPOSE = {
    "work_items": "the planned and unplanned work per sprint, the reserve, firefighting and the paydown case. "
                  "Export all issues of the period with their type, labels, created and resolved dates, "
                  "story points and sprints.",
    "incidents": "which kinds of incident keep coming back, how long they take to resolve and whether "
                 "their follow-up actions get done.",
    "oncall_shifts": "who carried how many on-call hours.",
    "sprints": "each sprint's dates, capacity and reserve. Without it the sprint dates are inferred from "
               "when items were resolved, and there is no reserve.",
}

SPRINTS_TEMPLATE = (
    "Sprint,Start,End,Capacity,Reserve\r\n"
    "TEAM Sprint 1,2026-01-05,2026-01-18,40,8\r\n"
    "TEAM Sprint 2,2026-01-19,2026-02-01,40,8\r\n"
).encode("utf-8")

# Session keys (plain keys: they survive page switches, unlike widget keys).
GENERATION = "fb.upload.generation"   # bumped after an import: a new uploader key empties the uploader
OUTCOME = "fb.upload.outcome"         # what the last import or undo did, shown after the rerun
PREVIEWS = "fb.upload.previews"       # staged summaries of the current files, by (file, choice, version, knobs)
PENDING_UNDO = "fb.upload.pending_undo"

# Widget keys.
UPLOADER = "w.upload.files"
CONFIRM = "w.upload.confirm"
UNDO_CHOICE = "w.upload.undo_choice"
UNDO = "w.upload.undo"
UNDO_YES = "w.upload.undo_yes"
UNDO_NO = "w.upload.undo_no"
CALENDAR = "w.upload.calendar"
SAVE_CALENDAR = "w.upload.save_calendar"
TEMPLATE = "w.upload.template"


# --- pure summaries of staged rows ---------------------------------------------------------------------------

@dataclass(frozen=True)
class StagedShare:
    """Planned and unplanned points of the completed items of a file, as the current rules classify them."""

    items: int              # completed items counted (resolved, in a sprint)
    unplanned_items: int
    planned_points: float
    unplanned_points: float

    @property
    def share(self) -> float | None:
        total = self.planned_points + self.unplanned_points
        return self.unplanned_points / total if total else None


def _values(cell: Any) -> list:
    """A list cell (list, numpy array or missing) as a Python list."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return []
    return list(cell)


def _day(value: Any) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def staged_share(items: pd.DataFrame, knobs: Knobs,
                 calendar: Mapping[str, tuple[dt.date, dt.date]]) -> StagedShare:
    """Unplanned share of the points a file's completed items carry, by METRICS.md's rules and the knobs.

    `items` has the canonical columns type, labels, created, resolved, points and sprints;
    `calendar` maps sprint names to (start, end) days. An item counts when it was resolved and
    lists a sprint, and its resolution day falls in one of its listed sprints, or one of them is not
    in the calendar yet (the store will infer that sprint's dates from the resolutions). It is
    unplanned when its type or one of its labels is listed (case-insensitive) or it was created on
    a later day than the start of the first sprint it lists (when that start is known); each rule
    only when switched on. Items without points count 0 points.
    """
    types = {t.lower() for t in knobs.unplanned_types}
    labels = {t.lower() for t in knobs.unplanned_labels}
    counted = unplanned_items = 0
    planned = unplanned = 0.0
    for row in items.itertuples(index=False):
        sprints = [str(s) for s in _values(row.sprints)]
        resolved = _day(row.resolved)
        if resolved is None or not sprints:
            continue
        spans = [calendar.get(s) for s in sprints]
        in_listed = any(span is not None and span[0] <= resolved <= span[1] for span in spans)
        if not in_listed and all(span is not None for span in spans):
            continue  # resolved outside every sprint it lists: not completed in a sprint
        created, first = _day(row.created), calendar.get(sprints[0])
        is_unplanned = (
            (knobs.rule_type and row.type is not None and not pd.isna(row.type) and str(row.type).lower() in types)
            or (knobs.rule_label and any(str(label).lower() in labels for label in _values(row.labels)))
            or (knobs.rule_added_mid_sprint and first is not None and created is not None and created > first[0])
        )
        points = 0.0 if row.points is None or pd.isna(row.points) else float(row.points)
        counted += 1
        if is_unplanned:
            unplanned_items += 1
            unplanned += points
        else:
            planned += points
    return StagedShare(counted, unplanned_items, planned, unplanned)


# The columns that date a row of each table: (earliest, latest).
DATE_SPAN = {"work_items": ("created", "created"), "incidents": ("created", "created"),
             "sprints": ("start_date", "end_date"), "oncall_shifts": ("start", "end")}


@dataclass
class FilePreview:
    """What a file would bring into the store, from its staged rows."""

    file_name: str
    format: str
    table: str
    encoding: str
    rows_read: int
    rows_ok: int
    to_load: int                        # distinct keys among the readable rows (a repeated key loads once)
    first: dt.date | None
    last: dt.date | None
    sprints: list[str]
    share: StagedShare | None
    head: pd.DataFrame
    rejects: list[Reject] = field(default_factory=list)

    @property
    def rows_rejected(self) -> int:
        return self.rows_read - self.to_load

    @property
    def repeated(self) -> int:
        return self.rows_ok - self.to_load


def summarise(staged: Staged, rows: pd.DataFrame, head: pd.DataFrame, knobs: Knobs,
              calendar: Mapping[str, tuple[dt.date, dt.date]]) -> FilePreview:
    """A file's preview from its readable staged rows (`rows`: the columns the summary needs)."""
    keys = list(store.TABLE_KEYS[staged.table])
    to_load = len(rows[keys].drop_duplicates()) if len(rows) else 0
    low, high = DATE_SPAN[staged.table]
    first = _day(rows[low].min()) if len(rows) else None
    last = _day(rows[high].max()) if len(rows) else None
    share = None
    if staged.table == "work_items":
        names = list(dict.fromkeys(str(s) for cell in rows["sprints"] for s in _values(cell)))
        far = dt.date.max
        sprints = sorted(names, key=lambda n: (calendar.get(n, (far,))[0], n))
        share = staged_share(rows, knobs, calendar)
    elif staged.table == "sprints":
        sprints = list(rows.sort_values("start_date")["name"].astype(str).drop_duplicates())
    else:
        sprints = []
    return FilePreview(staged.file_name, staged.format, staged.table, staged.encoding, staged.rows_read,
                       staged.rows_ok, to_load, first, last, sprints, share, head, list(staged.rejects))


def rejects_frame(rejects: Iterable[Reject]) -> pd.DataFrame:
    """Rejected rows as a table: file, row, column, value, reason."""
    return pd.DataFrame([{"file": r.file, "row": r.row, "column": r.column, "value": r.value, "reason": r.reason}
                         for r in rejects], columns=["file", "row", "column", "value", "reason"])


def calendar_csv(frame: pd.DataFrame) -> bytes:
    """An edited sprint calendar (name, start, end, capacity, reserve) as a sprints file for the importer.

    Values are written as they are (RFC 4180 quoting): the file goes into the store, not a spreadsheet,
    and a sprint's name must stay exactly the name the work items list.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Sprint", "Start", "End", "Capacity", "Reserve"])
    for row in frame.itertuples(index=False):
        name, start, end, capacity, reserve = row[:5]
        if name is None or pd.isna(name) or not str(name).strip():
            continue
        writer.writerow([str(name).strip(), "" if _day(start) is None else _day(start).isoformat(),
                         "" if _day(end) is None else _day(end).isoformat(),
                         _number(capacity), _number(reserve)])
    return out.getvalue().encode("utf-8")


def _number(value: Any) -> str:
    if value is None or pd.isna(value):
        return ""
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def mapping_from_editor(frame: pd.DataFrame) -> dict[str, str | None]:
    """The mapping the editor shows: canonical column -> the file's header (None when left empty)."""
    result: dict[str, str | None] = {}
    for column, header in zip(frame["column"], frame["file column"]):
        result[str(column)] = None if header is None or pd.isna(header) or not str(header) else str(header)
    return result


def guess_table(header: list[str]) -> str:
    """The first table (work items first) whose required columns the suggested mapping fills."""
    for table in ("work_items", "incidents", "sprints", "oncall_shifts"):
        suggested = mappings.suggest_mapping(header, table)
        if all(suggested.get(c) for c in mappings.REQUIRED[table]):
            return table
    return "work_items"


def unique_headers(header: list[str]) -> list[str]:
    """Headers made unique for a table display (`Sprint`, `Sprint (2)`)."""
    seen: dict[str, int] = {}
    out = []
    for h in header:
        seen[h] = seen.get(h, 0) + 1
        out.append(h if seen[h] == 1 else f"{h} ({seen[h]})")
    return out


def mapping_name(file_name: str) -> str:
    """A default name for a new mapping: the file's stem without dates and numbers."""
    stem = re.sub(r"[\d_\-\s.]+$", "", Path(file_name).stem).strip(" _-.") or "my export"
    return stem if stem not in FORMAT_LABELS else stem + " mapping"


# --- staging (DuckDB relations over this run's TEMP tables) --------------------------------------------------

def _columns(rel: duckdb.DuckDBPyRelation, names: Iterable[str]) -> duckdb.DuckDBPyRelation:
    return rel.select(*[duckdb.ColumnExpression(n) for n in names])


def _display(frame: pd.DataFrame) -> pd.DataFrame:
    """List and struct cells as text, so any staged column shows in a table."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object and any(isinstance(c, (list, tuple, np.ndarray)) for c in out[col]):
            out[col] = [", ".join(_text(v) for v in c) if isinstance(c, (list, tuple, np.ndarray)) else c
                        for c in out[col]]
    return out


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return " ".join(str(v) for v in value.values() if v is not None)
    return str(value)


def store_calendar(db: Db, knobs: Knobs) -> dict[str, tuple[dt.date, dt.date]]:
    """The sprint calendar the store has now (given or inferred)."""
    series = cache.sprint_series(db, knobs, None)
    return {str(r.sprint): (_day(r.start), _day(r.end)) for r in series.itertuples(index=False)
            if _day(r.start) is not None and _day(r.end) is not None}


def preview_file(cur: duckdb.DuckDBPyConnection, file_name: str, data: bytes, format: str, knobs: Knobs,
                 calendar: Mapping[str, tuple[dt.date, dt.date]]) -> FilePreview:
    """Stage a file with the chosen format, summarise it, drop the staging tables. Raises ImportRejected."""
    staged = stage_file(cur, file_name, data=data, format=format, tmp_dir=store.UPLOAD_DIR)
    try:
        ok = cur.table(staged.stage).filter("len(_errors) = 0")
        table = staged.table
        calendar = dict(calendar)
        for derived_table, derived_stage in staged.derived:
            if derived_table == "sprints":  # a calendar the file carries (Jira sprint strings, Linear cycles)
                for name, start, end in _columns(cur.table(derived_stage), ("name", "start_date", "end_date")
                                                 ).fetchall():
                    calendar[str(name)] = (start, end)
        needed = list(dict.fromkeys(list(store.TABLE_KEYS[table]) + list(DATE_SPAN[table]) + (
            ["type", "labels", "created", "resolved", "points", "sprints"] if table == "work_items" else [])))
        rows = _columns(ok, needed).df()
        shown = [c for c in CANONICAL_COLUMNS[table] if c in ok.columns]
        head = _display(_columns(ok.order("_row").limit(PREVIEW_ROWS), ["_row"] + shown).df()
                        ).rename(columns={"_row": "row"})
        for column in ("start_date", "end_date"):  # DATE columns: no midnight time
            if column in head:
                head[column] = [_day(v) for v in head[column]]
        return summarise(staged, rows, head, knobs, calendar)
    finally:
        drop_stage(cur, staged)


def detect(cur: duckdb.DuckDBPyConnection, file_name: str, data: bytes) -> str | None:
    """The format a file would be read with: a saved mapping for its headers, else a built-in format;
    None when no format knows its columns (then the user maps them). Raises ImportRejected for a file
    that is not a readable export at all (an image, an empty file, ...)."""
    if ical.looks_like_ics(file_name, data, None):
        return ical.FORMAT_NAME
    if jira_sprints_json.looks_like_json(file_name, data, None):
        return jira_sprints_json.FORMAT_NAME
    header, _ = mappings.preview(file_name, data=data[:HEAD_BYTES], rows=0)
    saved = mappings.mapping_for_header(cur, header)
    if saved is not None:
        return saved.name
    try:
        return detect_format(file_name, header).name
    except ImportRejected:
        return None


# --- drawing ---------------------------------------------------------------------------------------------------

def explain_kinds() -> None:
    """What each kind of file is for, with the formats that carry it."""
    with st.expander("What to upload, and what each kind of file is for", icon=":material/help:"):
        lines = []
        for table, purpose in KIND_PURPOSE.items():
            formats = [FORMAT_LABELS[name] for name, t in FORMAT_TABLES.items() if t == table]
            lines.append(f"- **{TABLE_LABELS[table]}**: {purpose} Read from: {'; '.join(formats)}.")
        st.markdown("\n".join(lines))
        st.markdown(
            "Any other CSV can be read by mapping its columns once (the mapping is saved and used again for "
            "files with the same columns). Importing the same file twice changes nothing; a newer export "
            "replaces the rows it shares with an older one (same item key, incident id, sprint name or shift), "
            "and every import can be undone below."
        )


def _uploader_key() -> str:
    return f"{UPLOADER}.{st.session_state.get(GENERATION, 0)}"


def uploaded_files() -> list:
    """The file uploader; a new upload clears the previous outcome."""
    def new_files() -> None:
        st.session_state.pop(OUTCOME, None)

    return st.file_uploader(
        "Exports to import", type=UPLOAD_TYPES, accept_multiple_files=True, key=_uploader_key(),
        on_change=new_files,
        help="CSV or TSV exports of your tracker or incident tool, an on-call schedule (.ics) or a sprint "
             "calendar (CSV, or Jira's board sprints .json). Several files at once are fine.",
    ) or []


def _format_choices(cur: duckdb.DuckDBPyConnection) -> list[str]:
    return list(FORMAT_LABELS) + [m.name for m in mappings.saved_mappings(cur)] + [GENERIC]


def _choice_label(cur: duckdb.DuckDBPyConnection, name: str, detected: str | None) -> str:
    if name == GENERIC:
        return "None of these: map the columns myself"
    label = format_label(cur, name)
    return label + (" (detected)" if name == detected else "")


def _share_knobs(knobs: Knobs) -> tuple:
    return (knobs.unplanned_types, knobs.unplanned_labels, knobs.rule_type, knobs.rule_label,
            knobs.rule_added_mid_sprint)


def review(db: Db, knobs: Knobs, files: list) -> tuple[list[tuple[Any, str]], int]:
    """One section per uploaded file; returns the files ready to import with their chosen format, and
    how many files wait for a column mapping."""
    cur = db.cursor
    calendar: dict | None = None
    kept: dict = {}
    previous = st.session_state.get(PREVIEWS, {})
    ready = []
    waiting = 0
    for upload in files:
        data = upload.getvalue()
        with st.container(border=True):
            st.markdown(f"**{md(upload.name)}** · {num(len(data) / 1024)} KB")
            done = store.find_import_by_hash(cur, hashlib.sha256(data).hexdigest())
            if done:
                st.info(md(str(AlreadyImported(upload.name, *done))), icon=":material/content_copy:")
                continue
            try:
                detected = detect(cur, upload.name, data)
            except ImportRejected as exc:
                st.error(md(str(exc)), icon=":material/error:")
                continue
            choices = _format_choices(cur)
            choice = st.selectbox(
                "Read as", choices, index=choices.index(detected) if detected in choices else len(choices) - 1,
                format_func=lambda n, found=detected: _choice_label(cur, n, found),
                key=f"w.upload.format.{upload.file_id}.{detected}",
                help="The detected format; choose another if the file was exported from a different tool.",
            )
            if choice == GENERIC:
                mapping_editor(cur, upload.name, data, upload.file_id)
                waiting += 1
                continue
            key = (upload.file_id, choice, db.version, _share_knobs(knobs))
            preview = previous.get(key)
            if preview is None:
                if calendar is None:
                    calendar = store_calendar(db, knobs)
                try:
                    preview = preview_file(cur, upload.name, data, choice, knobs, calendar)
                except ImportRejected as exc:
                    st.error(md(str(exc)), icon=":material/error:")
                    continue
            kept[key] = preview
            show_preview(preview, upload.file_id)
            if preview.to_load == 0:
                first = preview.rejects[0] if preview.rejects else None
                detail = (f" First problem: row {first.row}, column '{first.column}': {first.reason}."
                          if first else "")
                st.error(md(str(ImportRejected(
                    upload.name, f"no row can be loaded ({preview.rows_read} read).{detail}",
                    hint="Check that this is the export you meant, or choose another format above."))),
                    icon=":material/error:")
                continue
            ready.append((upload, choice))
    st.session_state[PREVIEWS] = kept
    return ready, waiting


def show_preview(preview: FilePreview, widget_id: str) -> None:
    """The summary, the first canonical rows and the rejected rows of one file."""
    st.caption(f"{TABLE_LABELS[preview.table]} · encoding {md(preview.encoding)}")
    numbers = st.container(horizontal=True, gap="small")
    numbers.metric("Rows read", f"{preview.rows_read:,}", border=True, width="content")
    numbers.metric("To be loaded", f"{preview.to_load:,}", border=True, width="content")
    numbers.metric("Rejected", f"{preview.rows_rejected:,}", border=True, width="content")
    if preview.share is not None:
        numbers.metric("Unplanned share", pct(preview.share.share), border=True, width="content",
                       help="Of the points of the file's items completed in a sprint, the share that is unplanned "
                            "under the current rules (type, label, added mid-sprint). The added-mid-sprint rule "
                            "needs the sprint's start: for a sprint neither the store nor the file dates yet, "
                            "items are judged by type and label only.")
    facts = []
    if preview.first is not None:
        what = {"work_items": "Created", "incidents": "Created"}.get(preview.table, "From")
        facts.append(f"{what} {explain.day(preview.first)} to {explain.day(preview.last)}")
    if preview.table in ("work_items", "sprints"):
        facts.append(f"{plural(len(preview.sprints), 'sprint')} ({explain.span(preview.sprints)})"
                     if preview.sprints else "no sprints")
    if preview.share is not None:
        s = preview.share
        facts.append(f"{plural(s.items, 'completed item')} in sprints: {num(s.unplanned_points)} unplanned and "
                     f"{num(s.planned_points)} planned points ({plural(s.unplanned_items, 'unplanned item')})")
    if preview.repeated:
        facts.append(f"{plural(preview.repeated, 'row')} repeat a key of a later row (the later row is loaded)")
    st.markdown(" · ".join(facts))
    st.caption(f"The first {plural(len(preview.head), 'row')} to be loaded, as the store will hold them "
               "(the file's row number, then Firebreak's columns).")
    st.dataframe(preview.head, hide_index=True, width="stretch")
    if preview.rejects:
        show_rejects(preview.rejects, f"{preview.file_name}-rejects.csv", f"w.upload.rejects.{widget_id}")


def show_rejects(rejects: list[Reject], file_name: str, key: str) -> None:
    frame = rejects_frame(rejects)
    shown = f", the first {REJECTS_SHOWN} shown" if len(frame) > REJECTS_SHOWN else ""
    st.markdown(f"**Rejected rows** ({len(frame):,}{shown})")
    st.dataframe(frame.head(REJECTS_SHOWN), hide_index=True, width="stretch")
    st.download_button("Download the reject report (CSV)", data=formula_safe_csv(frame), file_name=file_name,
                       mime="text/csv", on_click="ignore", key=key, icon=":material/download:")


def mapping_editor(cur: duckdb.DuckDBPyConnection, file_name: str, data: bytes, widget_id: str) -> None:
    """The generic path: map the file's columns to canonical columns, check, save the mapping."""
    try:
        header, records = mappings.preview(file_name, data=data[:HEAD_BYTES], rows=5)
    except ImportRejected as exc:
        st.error(md(str(exc)), icon=":material/error:")
        return
    st.markdown("No built-in format knows these columns. Say which column holds what, then save the mapping: "
                "this file is then read with it, and so is every later file with the same columns.")
    tables = list(TABLE_LABELS)
    table = st.selectbox("The file holds", tables, index=tables.index(guess_table(header)),
                         format_func=TABLE_LABELS.get, key=f"w.upload.table.{widget_id}")
    suggested = mappings.suggest_mapping(header, table)
    columns = list(suggested)
    frame = pd.DataFrame({
        "column": columns,
        "meaning": [mappings.DESCRIPTIONS.get(c, "") for c in columns],
        "required": [c in mappings.REQUIRED[table] for c in columns],
        "file column": [suggested[c] for c in columns],
    })
    edited = st.data_editor(
        frame, key=f"w.upload.mapping.{widget_id}.{table}", hide_index=True, width="stretch",
        disabled=["column", "meaning", "required"],
        column_config={
            "column": st.column_config.TextColumn("Column"),
            "meaning": st.column_config.TextColumn("Meaning"),
            "required": st.column_config.CheckboxColumn("Required"),
            "file column": st.column_config.SelectboxColumn("Column in the file", options=list(dict.fromkeys(header))),
        },
    )
    mapping = mapping_from_editor(edited)
    layouts = list(mappings.TIMESTAMP_CHOICES)
    date_column = next((mapping[c] for c in mappings.REQUIRED[table] if c in ("created", "start_date", "start")
                        and mapping.get(c)), None)
    samples = [r[header.index(date_column)] for r in records
               if date_column in header and header.index(date_column) < len(r)] if date_column else []
    fits = mappings.guess_timestamp_formats(samples)
    layout = st.selectbox("Dates look like", layouts, index=layouts.index(fits[0]) if fits else 0,
                          format_func=mappings.TIMESTAMP_CHOICES.get, key=f"w.upload.layout.{widget_id}")
    names = unique_headers(header)
    st.dataframe(pd.DataFrame([(r + [""] * len(names))[:len(names)] for r in records], columns=names),
                 hide_index=True, width="stretch")
    st.caption(f"The first {plural(len(records), 'row')} of the file as exported.")
    problems = mappings.validate_mapping(table, mapping, header, [layout])
    for problem in problems:
        st.warning(md(problem), icon=":material/warning:")
    name = st.text_input("Save mapping as", value=mapping_name(file_name), key=f"w.upload.mapping_name.{widget_id}",
                         help="A name for this tool's exports, e.g. 'Acme tracker'.")
    if st.button("Save mapping", key=f"w.upload.save_mapping.{widget_id}", disabled=bool(problems),
                 icon=":material/save:"):
        try:
            mappings.save_mapping(cur, name, table, header, mapping, [layout])
        except mappings.MappingError as exc:
            st.error(md(str(exc)), icon=":material/error:")
            return
        st.session_state[OUTCOME] = {"flash": f"Mapping '{name}' saved: {file_name} is now read with it."}
        st.rerun()


def confirm_button(ready: list, waiting: int) -> bool:
    n = len(ready)
    if waiting:
        st.caption(f"{plural(waiting, 'file')} {'waits' if waiting == 1 else 'wait'} for a column mapping and "
                   f"{'is' if waiting == 1 else 'are'} not part of this import; save the mapping to include "
                   f"{'it' if waiting == 1 else 'them'}.")
    return st.button(f"Import {plural(n, 'file')}", type="primary", key=CONFIRM, disabled=n == 0,
                     icon=":material/upload:")


def import_files(db: Db, ready: list[tuple[Any, str]], keep_files: bool = False) -> None:
    """Import each confirmed file in its own transaction (a bad file leaves the others alone), then rerun.

    The uploader is emptied afterwards, unless files still wait for a mapping (`keep_files`): the
    imported ones then show as already imported.
    """
    outcomes = []
    bar = st.progress(0.0, text="Importing…")
    for i, (upload, choice) in enumerate(ready):
        bar.progress(i / len(ready), text=f"Importing {i + 1} of {len(ready)}: {md(upload.name)}")
        try:
            result = store.import_file(db.cursor, upload.name, data=upload.getvalue(), format=choice)
            outcomes.append({"file": upload.name, "result": result})
        except AlreadyImported as exc:
            outcomes.append({"file": upload.name, "info": str(exc)})
        except ImportRejected as exc:
            outcomes.append({"file": upload.name, "error": str(exc)})
        except (duckdb.Error, mappings.MappingError) as exc:
            first = " ".join(str(exc).split())[:300]
            outcomes.append({"file": upload.name, "error": f"{upload.name}: could not be imported ({first}); "
                                                           "the store is unchanged."})
    bar.progress(1.0, text=f"Imported {plural(len(ready), 'file')}")
    st.session_state[OUTCOME] = {"imports": outcomes}
    if not keep_files:
        st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1  # a new, empty uploader
    st.session_state.pop(PREVIEWS, None)
    after_change()


def after_change() -> None:
    """After an import or undo: forget a pending undo, and rerun so every page follows."""
    st.session_state.pop(PENDING_UNDO, None)
    st.rerun()


def show_outcome() -> None:
    """What the last import, undo or saved mapping did (kept until the next upload, import or undo)."""
    outcome = st.session_state.get(OUTCOME)
    if not outcome:
        return
    if "flash" in outcome:
        st.success(md(outcome["flash"]), icon=":material/check_circle:")
    if "warning" in outcome:
        st.warning(md(outcome["warning"]), icon=":material/warning:")
    imports = outcome.get("imports", [])
    loaded = [o["result"] for o in imports if "result" in o]
    if loaded:
        st.success(f"Imported {plural(len(loaded), 'file')}: every page now includes "
                   f"{'its' if len(loaded) == 1 else 'their'} data.", icon=":material/check_circle:")
        st.dataframe(pd.DataFrame([{
            "file": r.file_name, "import": r.import_id, "format": FORMAT_LABELS.get(r.format, r.format),
            "rows read": r.rows_read, "rows loaded": r.rows_loaded, "replaced": r.rows_replaced,
            "rejected": r.rows_rejected} for r in loaded]), hide_index=True, width="stretch",
            column_config={"import": st.column_config.NumberColumn("import #", format="#%d")})
        st.page_link("pages/overview.py", label="See the Overview", icon=":material/dashboard:")
    for o in imports:
        if "info" in o:
            st.info(md(o["info"]), icon=":material/content_copy:")
        if "error" in o:
            st.error(md(o["error"]), icon=":material/error:")
    rejects = [r for result in loaded for r in result.rejects]
    if rejects:
        show_rejects(rejects, "import-rejects.csv", "w.upload.rejects.outcome")


# --- the sprint calendar ---------------------------------------------------------------------------------------

def calendar_section(db: Db, knobs: Knobs) -> None:
    """An editable inferred calendar (when no sprints file was given) and the sprints-file template."""
    series = cache.sprint_series(db, knobs, None)
    if len(series) and bool(series["inferred"].all()):
        st.markdown("No sprint calendar was imported, so these dates are **inferred** from when the items were "
                    "resolved, and no sprint has a reserve. Correct them and add capacity and reserve, then "
                    "save: the calendar is imported like a sprints file (and can be undone).")
        frame = pd.DataFrame({
            "name": series["sprint"].astype(str),
            "start": [_day(v) for v in series["start"]],
            "end": [_day(v) for v in series["end"]],
            "capacity": series["capacity_points"].astype("float64"),
            "reserve": series["reserve_points"].where(~series["inferred"], None).astype("float64"),
        })
        edited = st.data_editor(
            frame, key=CALENDAR, hide_index=True, width="stretch", disabled=["name"],
            column_config={
                "name": st.column_config.TextColumn("Sprint"),
                "start": st.column_config.DateColumn("Start", format="YYYY-MM-DD", required=True),
                "end": st.column_config.DateColumn("End (included)", format="YYYY-MM-DD", required=True),
                "capacity": st.column_config.NumberColumn("Capacity (points)", min_value=0.0),
                "reserve": st.column_config.NumberColumn("Reserve (points)", min_value=0.0),
            },
        )
        if st.button("Save calendar", key=SAVE_CALENDAR, icon=":material/event_available:"):
            name = f"sprint calendar {dt.datetime.now():%Y-%m-%d %H%M}.csv"
            try:
                result = store.import_file(db.cursor, name, data=calendar_csv(edited), format="sprints_csv")
            except AlreadyImported as exc:
                st.info(md(str(exc)), icon=":material/content_copy:")
            except ImportRejected as exc:
                st.error(md(str(exc)), icon=":material/error:")
            else:
                st.session_state[OUTCOME] = {"imports": [{"file": name, "result": result}]}
                after_change()
    elif len(series):
        st.markdown(f"The store has a sprint calendar ({plural(len(series), 'sprint')}, "
                    f"{explain.span(list(series['sprint'].astype(str)))}). A newer sprints file replaces the "
                    "sprints it names.")
    st.download_button("Download a sprints-file template", data=SPRINTS_TEMPLATE, file_name="sprints-template.csv",
                       mime="text/csv", on_click="ignore", key=TEMPLATE, icon=":material/download:",
                       help="Sprint,Start,End,Capacity,Reserve: one row per sprint, ISO dates, the end day "
                            "included, capacity and reserve in points (may be empty).")


# --- the import history ----------------------------------------------------------------------------------------

def history_section(db: Db) -> None:
    """The imports so far and the undo control (with a confirm step)."""
    history = cache.imports(db)
    if history.empty:
        st.info("Nothing has been imported yet.", icon=":material/info:")
        return
    st.dataframe(
        history[["id", "file_name", "format", "kind", "rows_read", "rows_loaded", "rows_rejected", "encoding",
                 "imported_at"]].assign(format=history["format"].map(lambda f: FORMAT_LABELS.get(f, f))),
        hide_index=True, width="stretch",
        column_config={
            "id": st.column_config.NumberColumn("Import", format="#%d", width="small"),
            "file_name": st.column_config.TextColumn("File"),
            "format": st.column_config.TextColumn("Format"),
            "kind": st.column_config.TextColumn("Kind"),
            "rows_read": st.column_config.NumberColumn("Read", width="small"),
            "rows_loaded": st.column_config.NumberColumn("Loaded", width="small"),
            "rows_rejected": st.column_config.NumberColumn("Rejected", width="small"),
            "encoding": st.column_config.TextColumn("Encoding", width="small"),
            "imported_at": st.column_config.DatetimeColumn("When", format="YYYY-MM-DD HH:mm"),
        },
    )
    files = dict(zip(history["id"].astype(int), history["file_name"].astype(str)))
    # Keyed by the data version: after an import or undo the newest import is offered again (a kept
    # widget would show its old choice in the browser while the server had reset it).
    chosen = st.selectbox("Import to undo", list(files), format_func=lambda i: f"#{i} · {files[i]}",
                          key=f"{UNDO_CHOICE}.{db.version}",
                          help="Undoing removes the import's rows and restores the rows it replaced. A later "
                               "import that replaced some of them must be undone first.")
    if st.button(f"Undo import #{chosen}", key=UNDO, icon=":material/undo:"):
        st.session_state[PENDING_UNDO] = int(chosen)
    pending = st.session_state.get(PENDING_UNDO)
    if pending is None:
        return
    if pending not in files:
        st.session_state.pop(PENDING_UNDO, None)
        return
    st.warning(f"Undo import #{pending} ({md(files[pending])})? Its rows leave the store and the rows it "
               "replaced come back.", icon=":material/warning:")
    yes, no = st.columns(2)
    if yes.button(f"Yes, undo import #{pending}", key=UNDO_YES, type="primary"):
        st.session_state.pop(PENDING_UNDO, None)
        try:
            store.undo_import(db.cursor, pending)
        except ValueError as exc:
            st.session_state[OUTCOME] = {"warning": f"Cannot undo: {exc}."}
        else:
            st.session_state[OUTCOME] = {"flash": f"Import #{pending} ({files[pending]}) undone: its rows were "
                                                  "removed and the rows it had replaced restored."}
        after_change()
    if no.button("Cancel", key=UNDO_NO):
        st.session_state.pop(PENDING_UNDO, None)
        st.rerun()
