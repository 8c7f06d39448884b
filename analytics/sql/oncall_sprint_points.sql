-- oncall_sprint_points: for every person (an assignee who completed an item in a completed sprint,
-- or someone on the on-call schedule) and every completed sprint: the points of the items they
-- were assignee of that completed in that sprint (0 when none), and the hours of their on-call
-- shifts that overlap the sprint (its days from start_date 00:00 to the end of end_date).
-- A sprint is completed when its end date is on or before the data's as-of date.
WITH done_sprints AS (
    SELECT c.name AS sprint, c.start_date, c.end_date,
        CAST(c.start_date AS TIMESTAMP) AS sprint_from,
        CAST(c.end_date AS TIMESTAMP) + INTERVAL 1 DAY AS sprint_until
    FROM calendar c CROSS JOIN facts_summary s
    WHERE c.end_date <= CAST(s.as_of AS DATE)
),
completed AS (
    SELECT w.assignee AS person, f.sprint, sum(f.pts) AS points, count(*) AS items
    FROM facts_item_sprints f
    JOIN work_items w ON w.key = f.key
    WHERE f.completed_here AND w.assignee IS NOT NULL
      AND ($projects IS NULL OR list_contains($projects, f.project))
    GROUP BY ALL
),
people AS (
    SELECT person FROM completed WHERE sprint IN (SELECT sprint FROM done_sprints)
    UNION
    SELECT person FROM oncall_shifts
),
overlap AS (
    SELECT o.person, d.sprint,
        sum(epoch(least(o."end", d.sprint_until) - greatest(o."start", d.sprint_from))) / 3600.0 AS oncall_hours
    FROM oncall_shifts o
    JOIN done_sprints d ON o."start" < d.sprint_until AND o."end" > d.sprint_from
    GROUP BY ALL
)
SELECT p.person, d.sprint, d.start_date, d.end_date,
    coalesce(c.points, 0) AS points, coalesce(c.items, 0) AS items,
    coalesce(o.oncall_hours, 0) AS oncall_hours,
    o.person IS NOT NULL AS on_call
FROM people p
CROSS JOIN done_sprints d
LEFT JOIN completed c ON c.person = p.person AND c.sprint = d.sprint
LEFT JOIN overlap o ON o.person = p.person AND o.sprint = d.sprint
ORDER BY p.person, d.start_date, d.sprint
