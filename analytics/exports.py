"""Files the app hands back to the user, safe to open in a spreadsheet (RELIABILITY.md §5, OWASP "CSV Injection").

Text from an export (a summary, a rejected value) can start with `=`, `+`, `-`,
`@`, a tab or a line break, which Excel, LibreOffice and Google Sheets may run as a
formula. `formula_safe_csv` prefixes such text cells with `'` (shown as text, not
run), quotes every field and doubles inner quotes (RFC 4180). Only text is
prefixed: a number stays a number (`-2` is written as `"-2"` and opens as -2).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd

# Cell starts that a spreadsheet may treat as a formula (OWASP: = + - @ TAB CR LF).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
BOM = "\ufeff"  # so that Excel reads the file as UTF-8
LINE_END = "\r\n"


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _text(value: Any) -> str:
    """A text cell, neutralised when it could start a formula."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell(value: Any) -> str:
    """One field, quoted: numbers as they are, everything else as neutralised text."""
    if isinstance(value, np.generic):
        value = value.item()  # numpy scalars as Python values
    elif isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        value = ", ".join("" if _is_missing(v) else str(v) for v in value)
    if _is_missing(value):
        text = ""
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (int, float)):
        text = repr(value)
    elif isinstance(value, (pd.Timestamp, dt.datetime)):
        text = pd.Timestamp(value).isoformat(sep=" ")
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = _text(value)
    return '"' + text.replace('"', '""') + '"'


def formula_safe_csv(frame: pd.DataFrame) -> bytes:
    """The frame as UTF-8 CSV (with a BOM, CRLF line ends) that no spreadsheet runs as formulas."""
    lines = [",".join(cell(str(c)) for c in frame.columns)]
    for row in frame.itertuples(index=False, name=None):
        lines.append(",".join(cell(v) for v in row))
    return (BOM + LINE_END.join(lines) + LINE_END).encode("utf-8")
