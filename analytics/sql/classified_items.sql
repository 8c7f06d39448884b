-- classified_items: work items in scope with why each is unplanned and where it was completed.
-- Needs the CTE `calendar` (sprint_calendar). An item is unplanned when its type is listed,
-- one of its labels is listed (both case-insensitive), or it was created on a later calendar
-- day than the start of the first sprint it lists. Its completion sprint is the listed sprint
-- whose [start_date, end_date] contains the date it was resolved (the latest listed one if several).
WITH scope AS (
    SELECT * FROM work_items
    WHERE $projects IS NULL OR list_contains($projects, project)
),
listed AS (
    SELECT key, resolved, unnest(sprints) AS sprint, generate_subscripts(sprints, 1) AS pos
    FROM scope
    WHERE resolved IS NOT NULL
),
completion AS (
    SELECT l.key, arg_max(l.sprint, l.pos) AS sprint
    FROM listed l
    JOIN calendar c ON c.name = l.sprint
        AND CAST(l.resolved AS DATE) BETWEEN c.start_date AND c.end_date
    GROUP BY l.key
)
SELECT
    w.key, w.project, w.type, w.summary, w.status_category, w.labels, w.components,
    w.created, w.resolved, w.sprints, w.points, w.time_spent_hours,
    coalesce(w.points, 0) AS pts,
    coalesce(w.time_spent_hours, 0) AS hrs,
    coalesce($rule_type AND list_contains($unplanned_types, lower(w.type)), false) AS by_type,
    coalesce($rule_label AND len(list_intersect(list_transform(w.labels, lambda l: lower(l)), $unplanned_labels)) > 0,
             false) AS by_label,
    coalesce($rule_mid_sprint AND CAST(w.created AS DATE) > fs.start_date, false) AS by_mid_sprint,
    comp.sprint AS completion_sprint
FROM scope w
LEFT JOIN calendar fs ON fs.name = w.sprints[1]
LEFT JOIN completion comp ON comp.key = w.key
