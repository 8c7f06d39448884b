-- leadership_backlog_flow: per sprint of the calendar, the work items in scope created during its
-- dates and those resolved during them (by calendar day, start and end date included), with
-- their points: is the backlog growing (more created than resolved) or shrinking?
-- Every work item in scope counts, whether or not it lists a sprint; missing points count as 0.
WITH scope_items AS (
    SELECT CAST(created AS DATE) AS created_day, CAST(resolved AS DATE) AS resolved_day,
        coalesce(points, 0) AS pts
    FROM work_items
    WHERE $projects IS NULL OR list_contains($projects, project)
),
created AS (
    SELECT c.name, count(*) AS items, sum(i.pts) AS points
    FROM calendar c JOIN scope_items i ON i.created_day >= c.start_date AND i.created_day <= c.end_date
    GROUP BY c.name
),
resolved AS (
    SELECT c.name, count(*) AS items, sum(i.pts) AS points
    FROM calendar c JOIN scope_items i ON i.resolved_day >= c.start_date AND i.resolved_day <= c.end_date
    GROUP BY c.name
)
SELECT c.name AS sprint, c.start_date AS "start", c.end_date AS "end",
    c.end_date <= CAST(s.as_of AS DATE) AS completed,
    coalesce(cr.items, 0) AS created_items,
    coalesce(rs.items, 0) AS resolved_items,
    coalesce(cr.items, 0) - coalesce(rs.items, 0) AS net_items,
    coalesce(cr.points, 0) AS created_points,
    coalesce(rs.points, 0) AS resolved_points
FROM calendar c
CROSS JOIN facts_summary s
LEFT JOIN created cr ON cr.name = c.name
LEFT JOIN resolved rs ON rs.name = c.name
ORDER BY c.start_date, c.name
