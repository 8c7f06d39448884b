"""`python -m analytics report` on the embedded sample, checked against figures computed here
independently: plain csv/pandas over the raw export files, not the analytics functions."""

import csv
import datetime as dt
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
JIRA_DATE = "%d/%b/%y %I:%M %p"
UNPLANNED_TYPES = {"incident", "bug", "hotfix", "support", "problem"}
UNPLANNED_LABELS = {"unplanned", "interrupt", "incident", "hotfix", "support", "firefight"}
KEYWORDS = [
    ("monitoring", ["alert", "monitoring", "dashboard", "metric", "observability", "paging"]),
    ("error-handling", ["exception", "error handling", "unhandled", "crash", "null", "retry", "timeout handling"]),
    ("integration", ["integration", "third-party", "partner", "vendor", "webhook", "upstream", "api contract"]),
    ("configuration", ["config", "configuration", "flag", "setting", "drift", "secret", "certificate"]),
    ("capacity", ["capacity", "disk", "memory", "pool", "exhausted", "quota", "throttl", "saturat"]),
    ("deployment", ["deploy", "rollout", "release", "migration", "rollback"]),
]


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "analytics", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture(scope="module")
def report():
    proc = run_cli("report", "--items", str(SAMPLE / "jira_shop_export.csv"), "--sprints", str(SAMPLE / "sprints.csv"),
                   "--incidents", str(SAMPLE / "pagerduty_incidents.csv"),
                   "--oncall", str(SAMPLE / "oncall_schedule.ics"))
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def jira():
    """The Jira export read by hand: repeated headers collected by position."""
    with open(SAMPLE / "jira_shop_export.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]

    def cols(name):
        return [i for i, h in enumerate(header) if h == name]

    def one(row, name):
        return row[cols(name)[0]]

    def many(row, name):
        return [row[i] for i in cols(name) if row[i]]

    items = []
    for r in body:
        resolved = one(r, "Resolved")
        items.append({
            "key": one(r, "Issue key"), "type": one(r, "Issue Type"),
            "created": dt.datetime.strptime(one(r, "Created"), JIRA_DATE),
            "resolved": dt.datetime.strptime(resolved, JIRA_DATE) if resolved else None,
            "points": float(one(r, "Custom field (Story point estimate)") or 0),
            "labels": many(r, "Labels"), "sprints": many(r, "Sprint"),
            "incident": one(r, "Custom field (PagerDuty Incident)"),
        })
    return items


@pytest.fixture(scope="module")
def calendar():
    frame = pd.read_csv(SAMPLE / "sprints.csv", parse_dates=["Start", "End"])
    return {r.Sprint: (r.Start.date(), r.End.date(), float(r.Reserve)) for r in frame.itertuples()}


def test_per_sprint_planned_and_unplanned_points(report, jira, calendar):
    planned, unplanned = defaultdict(float), defaultdict(float)
    for it in jira:
        first = calendar.get(it["sprints"][0]) if it["sprints"] else None
        is_unplanned = (it["type"].lower() in UNPLANNED_TYPES
                        or any(l.lower() in UNPLANNED_LABELS for l in it["labels"])
                        or (first is not None and it["created"].date() > first[0]))
        if it["resolved"] is None:
            continue
        done_in = [s for s in it["sprints"] if s in calendar
                   and calendar[s][0] <= it["resolved"].date() <= calendar[s][1]]
        if done_in:
            (unplanned if is_unplanned else planned)[done_in[-1]] += it["points"]
    got = {s["sprint"]: s for s in report["sprints"]}
    assert list(got) == list(calendar)  # every sprint of the file, in start order
    for name in calendar:
        assert got[name]["planned_done_points"] == pytest.approx(planned[name]), name
        assert got[name]["unplanned_points"] == pytest.approx(unplanned[name]), name
        total = planned[name] + unplanned[name]
        share = unplanned[name] / total if total else None
        assert got[name]["unplanned_share"] == pytest.approx(share, abs=1e-4), name


def test_reserve_recommendation(report, jira, calendar):
    as_of = max(max(i["created"], i["resolved"] or i["created"]) for i in jira).date()
    by_name = {s["sprint"]: s["unplanned_points"] for s in report["sprints"]}
    completed = [(n, end) for n, (start, end, _) in calendar.items() if end <= as_of]
    latest_end = max(end for _, end in completed)
    cutoff = (pd.Timestamp(latest_end) - pd.DateOffset(months=6)).date()
    window = [n for n, end in completed if end > cutoff]
    assert report["reserve"]["window_sprints"] == window
    values = [by_name[n] for n in window]
    assert report["reserve"]["recommended_points"] == pytest.approx(np.quantile(values, 0.8), abs=1e-4)
    current = list(calendar.values())[-1][2]
    assert report["reserve"]["current_reserve_points"] == current
    assert report["reserve"]["coverage_current"] == pytest.approx(np.mean([v <= current for v in values]), abs=1e-4)


def test_incident_categories_and_postmortem_coverage(report, jira):
    incidents = pd.read_csv(SAMPLE / "pagerduty_incidents.csv", dtype=str, keep_default_na=False)

    def category(title):
        for cat, words in KEYWORDS:
            if any(w in title.lower() for w in words):
                return cat
        return "other"

    counts = incidents["description"].map(category).value_counts().to_dict()
    got = {c["category"]: c["incidents"] for c in report["incidents"]["by_category"]}
    assert got == counts
    reviewed = {i["incident"] for i in jira if i["type"] == "Post-incident review" and i["incident"]}
    severe = incidents[incidents["priority_name"].isin(["P1", "P2"])]
    expected = severe["id"].isin(reviewed).mean()
    assert report["incidents"]["postmortem_coverage"] == pytest.approx(expected, abs=1e-4)


def test_oncall_shift_hours(report):
    text = (SAMPLE / "oncall_schedule.ics").read_text(encoding="utf-8")
    hours = defaultdict(float)
    for event in re.findall(r"BEGIN:VEVENT(.*?)END:VEVENT", text, re.S):
        who = re.search(r"SUMMARY:On Call - (.+?) - ", event).group(1)
        start = dt.datetime.strptime(re.search(r"DTSTART:(\S+)", event).group(1), "%Y%m%dT%H%M%SZ")
        end = dt.datetime.strptime(re.search(r"DTEND:(\S+)", event).group(1), "%Y%m%dT%H%M%SZ")
        hours[who] += (end - start).total_seconds() / 3600
    assert {p["person"]: p["shift_hours"] for p in report["oncall"]} == pytest.approx(dict(hours))


def test_contract_keys_and_story(report):
    assert set(report) == {"sprints", "reserve", "incidents", "firefighter", "investment", "oncall"}
    assert set(report["sprints"][0]) == {"sprint", "start", "end", "committed_points", "planned_done_points",
                                         "unplanned_points", "unplanned_hours", "unplanned_share",
                                         "carryover_points", "say_do", "reserve_points", "overrun_points",
                                         "firefighting"}
    assert set(report["investment"]) == {"baseline_unplanned_points", "invest_points_per_sprint", "invest_sprints",
                                         "expected_reduction", "horizon_sprints", "break_even_sprint", "net_points",
                                         "roi"}
    # the sample's story: one firefighting episode of at least 3 sprints, all six categories
    assert any(e["sprints"] >= 3 for e in report["firefighter"]["episodes"])
    assert {c["category"] for c in report["incidents"]["by_category"]} >= {k for k, _ in KEYWORDS}


def test_unreadable_input_exits_2_with_one_line(tmp_path):
    png = tmp_path / "items.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    proc = run_cli("report", "--items", str(png))
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "items.csv" in proc.stderr and "PNG" in proc.stderr
    proc = run_cli("report", "--items", str(SAMPLE / "sprints.csv"))
    assert proc.returncode == 2 and "not a work-item export" in proc.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text("reserve_quantlie = 0.9\n")
    proc = run_cli("report", "--items", str(SAMPLE / "jira_shop_export.csv"), "--config", str(bad))
    assert proc.returncode == 2 and "reserve_quantlie" in proc.stderr


def test_config_changes_the_report(tmp_path):
    cfg = tmp_path / "k.toml"
    cfg.write_text("reserve_quantile = 0.5\nwindow_months = 12\n")
    proc = run_cli("report", "--items", str(SAMPLE / "jira_shop_export.csv"), "--sprints", str(SAMPLE / "sprints.csv"),
                   "--config", str(cfg))
    rep = json.loads(proc.stdout)
    values = [s["unplanned_points"] for s in rep["sprints"] if s["sprint"] in rep["reserve"]["window_sprints"]]
    assert len(values) > 20 and rep["reserve"]["quantile"] == 0.5
    assert rep["reserve"]["recommended_points"] == pytest.approx(np.median(values), abs=1e-4)
    csv_out = run_cli("report", "--items", str(SAMPLE / "jira_shop_export.csv"), "--format", "csv")
    assert csv_out.returncode == 0 and csv_out.stdout.splitlines()[0].startswith("sprint,start,end,committed_points")
