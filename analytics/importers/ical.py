"""On-call schedules as iCalendar feeds (PagerDuty "WebCal feed", Opsgenie exportSchedule).

PagerDuty writes one VEVENT per shift with `SUMMARY:On Call - <Name> - <Schedule>`;
Opsgenie's summary is the person's name or `<Name> (on-call)`. Times carry a
zone (usually UTC `Z`); they are stored as naive UTC like every other offset.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import datetime as dt
import json
import re
from pathlib import Path

from icalendar import Calendar

from analytics.errors import ImportRejected

if TYPE_CHECKING:  # pandas is imported where a frame is built: a CSV import never loads it
    import pandas as pd

FORMAT_NAME = "oncall_ics"
FORMAT_LABEL = "On-call schedule (iCalendar .ics from PagerDuty or Opsgenie)"

_PAGERDUTY_SUMMARY = re.compile(r"^\s*On[ -]Call\s*-\s*(?P<name>.+?)\s*-\s*(?P<schedule>.+?)\s*$", re.I)
_OPSGENIE_SUMMARY = re.compile(r"^\s*(?P<name>.+?)\s*\((?:on[- ]call)\)\s*$", re.I)


def looks_like_ics(file_name: str, data: bytes | None, path: str | Path | None) -> bool:
    if file_name.lower().endswith((".ics", ".ical", ".ifb")):
        return True
    head = data[:64] if data is not None else Path(path).open("rb").read(64)
    return head.lstrip(b"\xef\xbb\xbf").lstrip().upper().startswith(b"BEGIN:VCALENDAR")


def person_from_summary(summary: str) -> str:
    summary = summary.strip()
    for pattern in (_PAGERDUTY_SUMMARY, _OPSGENIE_SUMMARY):
        m = pattern.match(summary)
        if m:
            return m.group("name")
    return summary


def _naive_utc(value: dt.datetime | dt.date) -> dt.datetime:
    if not isinstance(value, dt.date):  # icalendar hands back the raw text of a value it cannot read
        raise ValueError(f"not a date or date-time: {str(value)[:40]}")
    if not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    if value.tzinfo is not None:
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value


def read_shifts(file_name: str, data: bytes) -> pd.DataFrame:
    """Canonical on-call shifts, one row per event, with its problems as JSON in `_errors_json`."""
    try:
        cal = Calendar.from_ical(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImportRejected(file_name, f"this is not a readable iCalendar file ({str(exc)[:120]}).",
                             hint="Download the schedule's .ics feed again from PagerDuty or Opsgenie.") from exc
    rows = []
    for number, event in enumerate(cal.walk("VEVENT"), start=1):
        errors = []
        summary = str(event.get("SUMMARY") or "")
        person = person_from_summary(summary) if summary else None
        start = end = None
        try:
            start = _naive_utc(event.decoded("DTSTART"))
            end = _naive_utc(event.decoded("DTEND")) if event.get("DTEND") else None
        except (KeyError, ValueError) as exc:
            errors.append({"column": "DTSTART/DTEND", "value": None, "reason": f"unreadable time ({exc})"})
        if person is None:
            errors.append({"column": "SUMMARY", "value": None, "reason": "empty; the shift names no person"})
        if start is not None and end is None:
            errors.append({"column": "DTEND", "value": None, "reason": "empty; the shift has no end"})
        if start is not None and end is not None and end <= start:
            errors.append({"column": "DTEND", "value": str(end), "reason": "the shift ends before it starts"})
        rows.append({"_row": number, "person": person, "start": start, "end": end,
                     "_errors_json": json.dumps(errors)})
    if not rows:
        raise ImportRejected(file_name, "the calendar has no events (no on-call shifts).",
                             hint="Check that the feed covers the period you want to analyse.")
    import pandas as pd

    frame = pd.DataFrame(rows, columns=["_row", "person", "start", "end", "_errors_json"])
    frame["start"] = pd.to_datetime(frame["start"])
    frame["end"] = pd.to_datetime(frame["end"])
    return frame
