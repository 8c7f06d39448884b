"""Jira sprints as the Agile REST API returns them: `GET /rest/agile/1.0/board/{boardId}/sprint`.

The response is `{"maxResults": 50, "startAt": 0, "isLast": true, "values": [{"id": 7, "state":
"closed", "name": "SHOP Sprint 7", "startDate": "2026-03-02T09:00:00.000Z", "endDate": ...,
"completeDate": ..., "goal": ""}, ...]}`; a bare list of such objects is read too. Times carry an
offset and become UTC dates. The sprint calendar's end is the planned `endDate` (a sprint closed
early still spans its planned days); `completeDate` is used only when `endDate` is missing. Future
sprints have no dates yet: they are reported, not loaded. A response with `"isLast": false` is one
page of several: the reject report says so (fetch with a larger `maxResults` or upload every page).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import datetime as dt
import json
from pathlib import Path


from analytics.errors import ImportRejected

if TYPE_CHECKING:  # pandas is imported where a frame is built: a CSV import never loads it
    import pandas as pd

FORMAT_NAME = "jira_sprints_json"
FORMAT_LABEL = "Jira sprints (board sprint API response, .json)"
_HINT = ("Save the response of /rest/agile/1.0/board/<board id>/sprint as a .json file "
         "(or upload the sprint calendar as CSV: sprint, start, end).")


def looks_like_json(file_name: str, data: bytes | None, path: str | Path | None) -> bool:
    if file_name.lower().endswith(".json"):
        return True
    if data is not None:
        head = data[:64]
    else:
        with open(path, "rb") as fh:
            head = fh.read(64)
    return head.lstrip(b"\xef\xbb\xbf").lstrip()[:1] in (b"{", b"[")


def _utc_date(value: object) -> dt.date | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    if len(text) > 5 and text[-5] in "+-" and text[-4:].isdigit():  # +1000 -> +10:00
        text = text[:-2] + ":" + text[-2:]
    stamp = dt.datetime.fromisoformat(text)
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.timezone.utc)
    return stamp.date()


def read_sprints(file_name: str, raw: bytes) -> tuple[pd.DataFrame, list[str]]:
    """Canonical sprint rows (`_errors_json` per row) and notes about the whole file."""
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportRejected(file_name, f"this is not readable JSON ({str(exc)[:120]}).", hint=_HINT) from exc
    values = doc.get("values") if isinstance(doc, dict) else doc
    if not isinstance(values, list) or not all(isinstance(v, dict) for v in values) or \
            (values and not any("name" in v and ("startDate" in v or "state" in v) for v in values)):
        raise ImportRejected(file_name, "this JSON is not a Jira board-sprint response (no \"values\" list of "
                                        "sprints with name, state, startDate, endDate).", hint=_HINT)
    if not values:
        raise ImportRejected(file_name, "the response lists no sprints.",
                             hint="Check the board id; a board without sprints has nothing to import.")
    notes = []
    if isinstance(doc, dict) and doc.get("isLast") is False:
        notes.append(f"this is one page of the board's sprints (startAt {doc.get('startAt', 0)}, "
                     f"{len(values)} sprints, more follow): upload the other pages too, or request a larger "
                     f"maxResults")
    rows = []
    for number, sprint in enumerate(values, start=1):
        errors = []
        name = str(sprint.get("name") or "").strip() or None
        dates = {}
        for key in ("startDate", "endDate", "completeDate"):
            try:
                dates[key] = _utc_date(sprint.get(key))
            except ValueError:
                dates[key] = None
                errors.append({"column": key, "value": str(sprint.get(key))[:80],
                               "reason": "not an ISO date and time (expected like 2026-03-02T09:00:00.000Z)"})
        start, end = dates["startDate"], dates["endDate"] or dates["completeDate"]
        if name is None:
            errors.append({"column": "name", "value": None, "reason": "empty; the sprint has no name"})
        if not errors and (start is None or end is None):
            state = str(sprint.get("state") or "").lower()
            reason = (f"sprint '{name}' is a future sprint without dates yet; it is imported once it has "
                      f"started (upload the response again then)" if state == "future"
                      else f"sprint '{name}' has no start or end date; give its dates in a sprints CSV instead")
            errors.append({"column": "startDate" if start is None else "endDate", "value": None, "reason": reason})
        if start is not None and end is not None and end < start:
            errors.append({"column": "endDate", "value": str(end), "reason": "the sprint ends before it starts"})
        rows.append({"_row": number, "name": name, "start_date": start, "end_date": end,
                     "capacity_points": None, "reserve_points": None, "_errors_json": json.dumps(errors)})
    import pandas as pd

    frame = pd.DataFrame(rows, columns=["_row", "name", "start_date", "end_date", "capacity_points",
                                        "reserve_points", "_errors_json"])
    frame["capacity_points"] = frame["capacity_points"].astype("float64")
    frame["reserve_points"] = frame["reserve_points"].astype("float64")
    return frame, notes
