-- leadership_backlog_flow: per sprint of the calendar, the work items in scope created during its
-- dates and those resolved during them (by calendar day, start and end date included), with
-- their points: is the backlog growing (more created than resolved) or shrinking?
-- Every work item in scope counts, whether or not it lists a sprint; missing points count as 0.
-- The items are first counted per calendar day (a few hundred days, however many items), and each
-- sprint adds up its days: joining every sprint with every item would pair millions of rows.
WITH scope_items AS (
    SELECT CAST(created AS DATE) AS created_day, CAST(resolved AS DATE) AS resolved_day,
        coalesce(points, 0) AS pts
    FROM work_items
    WHERE $projects IS NULL OR list_contains($projects, project)
),
created_days AS (
    SELECT created_day AS day, count(*) AS items, sum(pts) AS points
    FROM scope_items WHERE created_day IS NOT NULL GROUP BY created_day
),
resolved_days AS (
    SELECT resolved_day AS day, count(*) AS items, sum(pts) AS points
    FROM scope_items WHERE resolved_day IS NOT NULL GROUP BY resolved_day
),
created AS (
    SELECT c.name, CAST(sum(d.items) AS BIGINT) AS items, sum(d.points) AS points
    FROM calendar c JOIN created_days d ON d.day >= c.start_date AND d.day <= c.end_date
    GROUP BY c.name
),
resolved AS (
    SELECT c.name, CAST(sum(d.items) AS BIGINT) AS items, sum(d.points) AS points
    FROM calendar c JOIN resolved_days d ON d.day >= c.start_date AND d.day <= c.end_date
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
