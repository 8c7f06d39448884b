"""The notebook a user would otherwise write: the sprint and incident figures in plain pandas.

read_csv + to_datetime + explode + merge + groupby, written the straightforward
way (as in a notebook), so the benchmark can compare Firebreak's report with it.
It computes the same per-sprint series (committed, planned done, unplanned,
share, carry-over, say/do) and incident counts and recurrences per category.

    python bench/pandas_report.py ITEMS.csv SPRINTS.csv INCIDENTS.csv
"""

from __future__ import annotations

import json
import sys

import pandas as pd

UNPLANNED_TYPES = {"incident", "bug", "hotfix", "support", "problem"}
UNPLANNED_LABELS = {"unplanned", "interrupt", "incident", "hotfix", "support", "firefight"}
KEYWORDS = {"monitoring": ["alert", "monitoring", "dashboard", "metric", "observability", "paging"],
            "error-handling": ["exception", "error handling", "unhandled", "crash", "null", "retry"],
            "integration": ["integration", "third-party", "partner", "vendor", "webhook", "upstream"],
            "configuration": ["config", "configuration", "flag", "setting", "drift", "secret", "certificate"],
            "capacity": ["capacity", "disk", "memory", "pool", "exhausted", "quota", "throttl", "saturat"],
            "deployment": ["deploy", "rollout", "release", "migration", "rollback"]}


def report(items_path: str, sprints_path: str, incidents_path: str) -> dict:
    df = pd.read_csv(items_path, dtype=str, keep_default_na=False)
    sprint_cols = [c for c in df.columns if c == "Sprint" or c.startswith("Sprint.")]
    label_cols = [c for c in df.columns if c == "Labels" or c.startswith("Labels.")]
    fmt = "%d/%b/%y %I:%M %p"
    df["created"] = pd.to_datetime(df["Created"], format=fmt)
    df["resolved"] = pd.to_datetime(df["Resolved"].replace("", None), format=fmt)
    df["points"] = pd.to_numeric(df["Custom field (Story point estimate)"], errors="coerce").fillna(0)
    df["sprints"] = df[sprint_cols].apply(lambda r: [s for s in r if s], axis=1)
    df["labels"] = df[label_cols].apply(lambda r: [s.lower() for s in r if s], axis=1)

    cal = pd.read_csv(sprints_path, parse_dates=["Start", "End"])
    first = df["sprints"].str[0]
    df = df.merge(cal[["Sprint", "Start"]].rename(columns={"Sprint": "first", "Start": "first_start"}),
                  left_on=first, right_on="first", how="left")
    df["unplanned"] = (df["Issue Type"].str.lower().isin(UNPLANNED_TYPES)
                       | df["labels"].apply(lambda ls: any(l in UNPLANNED_LABELS for l in ls))
                       | (df["created"].dt.normalize() > df["first_start"]))

    m = df[["Issue key", "sprints", "created", "resolved", "points", "unplanned"]].explode("sprints")
    m["pos"] = m.groupby(level=0).cumcount() + 1
    m = m.merge(cal, left_on="sprints", right_on="Sprint")
    m["here"] = (m["resolved"].dt.normalize() >= m["Start"]) & (m["resolved"].dt.normalize() <= m["End"])
    last_here = m[m["here"]].groupby("Issue key")["pos"].max().rename("done_pos")
    m = m.merge(last_here, left_on="Issue key", right_index=True, how="left")
    m["completed_here"] = m["here"] & (m["pos"] == m["done_pos"])
    m["committed"] = ~m["unplanned"] & (m["created"].dt.normalize() <= m["Start"])

    g = m.groupby("Sprint")
    per = pd.DataFrame({
        "committed_points": g.apply(lambda x: x.loc[x["committed"], "points"].sum()),
        "planned_done_points": g.apply(lambda x: x.loc[x["completed_here"] & ~x["unplanned"], "points"].sum()),
        "unplanned_points": g.apply(lambda x: x.loc[x["completed_here"] & x["unplanned"], "points"].sum()),
        "carryover_points": g.apply(lambda x: x.loc[~x["unplanned"] & (x["pos"] > 1), "points"].sum()),
        "committed_done": g.apply(lambda x: x.loc[x["committed"] & x["completed_here"], "points"].sum()),
    })
    per["unplanned_share"] = per["unplanned_points"] / (per["unplanned_points"] + per["planned_done_points"])
    per["say_do"] = per["committed_done"] / per["committed_points"]

    inc = pd.read_csv(incidents_path, dtype=str, keep_default_na=False)
    inc["created"] = pd.to_datetime(inc["created_at"], utc=True).dt.tz_localize(None)

    def category(title: str) -> str:
        for cat, words in KEYWORDS.items():
            if any(w in title.lower() for w in words):
                return cat
        return "other"

    inc["category"] = inc["description"].map(category)
    inc = inc.sort_values("created")
    inc["previous"] = inc.groupby("category")["created"].shift()
    inc["recurrence"] = (inc["created"] - inc["previous"]) <= pd.Timedelta(days=90)
    by_cat = inc.groupby("category").agg(incidents=("id", "count"), recurrences=("recurrence", "sum"))
    return {"sprints": len(per), "unplanned_points": float(per["unplanned_points"].sum()),
            "categories": by_cat.reset_index().to_dict("records")}


if __name__ == "__main__":
    json.dump(report(*sys.argv[1:4]), sys.stdout, default=str)
