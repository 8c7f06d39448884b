"""Generate large Jira Cloud-style exports for the benchmark (10k, 100k, 1M items).

The files look like real "CSV (all fields)" exports: repeated `Sprint`,
`Labels` and link columns, multi-line quoted descriptions on some rows,
`dd/MMM/yy h:mm AM` dates, `Time Spent` in seconds, story points in a
`Custom field (...)` column; about 200 bytes a row. Alongside: a sprints file
for the same teams and a PagerDuty-style incident file. DuckDB writes the
rows (fast and deterministic: `setseed` plus hashed row numbers), Python writes
the header, since a SELECT cannot carry repeated column names.

    python bench/generate.py --items 100000 --out bench/out/100k
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
from pathlib import Path

import duckdb

HEADER = ["Summary", "Issue key", "Issue id", "Issue Type", "Status", "Status Category", "Project key", "Priority",
          "Assignee", "Created", "Updated", "Resolved", "Labels", "Labels", "Labels", "Description", "Time Spent",
          "Sprint", "Sprint", "Sprint", "Custom field (Story point estimate)", "Outward issue link (Blocks)",
          "Outward issue link (Relates)", "Custom field (PagerDuty Incident)"]

START = dt.date(2024, 1, 1)   # two years of two-week sprints per team
SPRINTS_PER_TEAM = 52
TEAMS_PER_100K = 10           # 10 teams per 100k items: ~10k items a team, like a large org


def teams_for(items: int) -> int:
    return max(2, items * TEAMS_PER_100K // 100_000)


def _rows_sql(items: int, teams: int) -> str:
    # h(n, i): a deterministic pseudo-random integer per row and stream.
    return f"""
    WITH base AS (
        SELECT i,
            CAST(hash(i * 7 + 1) % 1000003 AS BIGINT) AS h1, CAST(hash(i * 7 + 2) % 1000003 AS BIGINT) AS h2, CAST(hash(i * 7 + 3) % 1000003 AS BIGINT) AS h3, CAST(hash(i * 7 + 4) % 1000003 AS BIGINT) AS h4,
            CAST(hash(i * 7 + 5) % 1000003 AS BIGINT) AS h5, CAST(hash(i * 7 + 6) % 1000003 AS BIGINT) AS h6
        FROM range(1, {items} + 1) t(i)
    ),
    shaped AS (
        SELECT i, h1, h2, h3, h4, h5, h6,
            'T' || lpad(CAST(i % {teams} AS VARCHAR), 2, '0') AS team,
            CAST(h1 % {SPRINTS_PER_TEAM} AS INTEGER) AS sprint_no,
            ['Story', 'Story', 'Story', 'Task', 'Task', 'Bug', 'Support', 'Hotfix', 'Incident', 'Story'][h2 % 10 + 1]
                AS type,
            h3 % 100 AS roll
        FROM base
    ),
    dated AS (
        SELECT *,
            DATE '{START}' + CAST(sprint_no * 14 AS INTEGER) AS sprint_start,
            TIMESTAMP '{START} 09:00' + to_days(CAST(sprint_no * 14 AS INTEGER))
                + to_minutes(CAST(h4 % 20160 AS BIGINT)) - to_days(CASE WHEN roll < 70 THEN 3 ELSE 0 END) AS created
        FROM shaped
    )
    SELECT
        'Improve ' || ['checkout', 'search', 'payments', 'profile', 'cart', 'api'][h5 % 6 + 1] || ' flow ' || i,
        team || '-' || i,
        CAST(100000 + i AS VARCHAR),
        type,
        CASE WHEN roll < 85 THEN 'Done' WHEN roll < 93 THEN 'In Progress' ELSE 'To Do' END,
        CASE WHEN roll < 85 THEN 'Done' WHEN roll < 93 THEN 'In Progress' ELSE 'To Do' END,
        team,
        ['Highest', 'High', 'Medium', 'Medium', 'Low'][h6 % 5 + 1],
        'Engineer ' || (h5 % 40),
        strftime(created, '%d/%b/%y %-I:%M %p'),
        strftime(created + to_days(2), '%d/%b/%y %-I:%M %p'),
        CASE WHEN roll < 85 THEN strftime(least(created + to_hours(CAST(4 + h6 % 200 AS BIGINT)),
                                                sprint_start + INTERVAL 13 DAY + INTERVAL 17 HOUR),
                                          '%d/%b/%y %-I:%M %p') END,
        ['frontend', 'backend', 'api', 'interrupt', 'tech-debt', 'customer'][h6 % 6 + 1],
        CASE WHEN h4 % 3 = 0 THEN ['payments', 'mobile', 'web'][h5 % 3 + 1] END,
        NULL,
        CASE WHEN h3 % 10 = 0 THEN 'Steps:' || chr(10) || '1. open the page' || chr(10) || '2. "pay now"'
             WHEN h3 % 10 < 4 THEN 'See the linked ticket' END,
        CASE WHEN roll < 85 THEN CAST(3600 * (1 + h2 % 16) AS VARCHAR) END,
        CASE WHEN roll BETWEEN 80 AND 89 AND sprint_no > 0
             THEN team || ' Sprint ' || sprint_no ELSE team || ' Sprint ' || (sprint_no + 1) END,
        CASE WHEN roll BETWEEN 80 AND 89 AND sprint_no > 0 THEN team || ' Sprint ' || (sprint_no + 1) END,
        NULL,
        CASE WHEN h5 % 12 <> 0 THEN ['1.0', '2.0', '3.0', '5.0', '8.0'][h4 % 5 + 1] END,
        CASE WHEN h1 % 20 = 0 THEN team || '-' || (i + {teams}) END,
        CASE WHEN h2 % 15 = 0 THEN team || '-' || greatest(1, i - {teams}) END,
        -- about 2 % of items are incident follow-ups (like the sample: a few per incident)
        CASE WHEN (type = 'Incident' OR type = 'Hotfix') AND h3 % 10 = 0 THEN 'PD' || (1 + h1 % {max(50, items // 200)}) END
    FROM dated
    """


def generate(items: int, out: Path) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    teams = teams_for(items)
    con = duckdb.connect()
    con.execute("SET threads = 2")
    jira = out / "jira.csv"
    body = out / "jira.body.csv"
    con.execute(f"COPY ({_rows_sql(items, teams)}) TO '{body}' (HEADER false, QUOTE '\"', ESCAPE '\"')")
    with open(jira, "wb") as fh:
        fh.write((",".join(HEADER) + "\n").encode())
        with open(body, "rb") as src:
            shutil.copyfileobj(src, fh, 1 << 22)
    body.unlink()

    sprints = out / "sprints.csv"
    con.execute(f"""COPY (
        SELECT 'T' || lpad(CAST(t AS VARCHAR), 2, '0') || ' Sprint ' || s AS "Sprint",
               DATE '{START}' + CAST(s * 14 AS INTEGER) AS "Start",
               DATE '{START}' + CAST(s * 14 + 13 AS INTEGER) AS "End",
               40 AS "Capacity", 8 AS "Reserve"
        FROM range({teams}) a(t), range({SPRINTS_PER_TEAM + 1}) b(s)) TO '{sprints}' (HEADER true)""")

    incidents = out / "pagerduty_incidents.csv"
    n_inc = max(50, items // 200)
    con.execute(f"""COPY (
        SELECT 'PD' || i AS id, 1000 + i AS incident_number,
            ['Checkout alert storm', 'DB connection pool exhausted', 'Webhook timeouts from partner',
             'Bad config flag rollout', 'Null pointer crash in cart', 'Deploy rollback failed', 'Slow search'][
                CAST(hash(i) % 7 AS BIGINT) + 1] AS description,
            strftime(TIMESTAMP '{START} 00:00' + to_minutes(CAST(hash(i * 3) % (728 * 1440) AS BIGINT)),
                     '%Y-%m-%dT%H:%M:%SZ') AS created_at,
            strftime(TIMESTAMP '{START} 00:00' + to_minutes(CAST(hash(i * 3) % (728 * 1440) AS BIGINT))
                     + to_minutes(CAST(20 + hash(i * 5) % 900 AS BIGINT)), '%Y-%m-%dT%H:%M:%SZ') AS resolved_at,
            'resolved' AS status, 'high' AS urgency, 'P' || (1 + hash(i * 7) % 5) AS priority_name,
            'svc-' || (hash(i) % 9) AS service_name, 'Engineer ' || (hash(i * 11) % 40) AS resolved_by_user_name,
            60 + hash(i * 13) % 900 AS seconds_to_first_ack
        FROM range(1, {n_inc} + 1) t(i)) TO '{incidents}' (HEADER true)""")
    con.close()
    return {"items": jira, "sprints": sprints, "incidents": incidents}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    files = generate(args.items, args.out)
    for kind, path in files.items():
        print(f"{kind}: {path} ({path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
