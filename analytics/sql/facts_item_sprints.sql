-- facts_item_sprints: one row per (work item, sprint it lists) for sprints in the calendar,
-- with everything the per-sprint metrics need that does not depend on a setting.
-- Built once per data version (analytics/facts.py) so the metrics are one GROUP BY.
-- completed_here: this is the item's completion sprint: the listed sprint whose
-- [start_date, end_date] contains the day it was resolved (the latest listed one if several).
WITH listed AS (
    SELECT key, project, lower(type) AS type_lc, list_transform(labels, lambda l: lower(l)) AS labels_lc,
        -- items share few distinct label lists: the label rule is decided once per list (facts_label_sets)
        hash(list_transform(labels, lambda l: lower(l))) AS label_set,
        CAST(created AS DATE) AS created_date, CAST(resolved AS DATE) AS resolved_date,
        coalesce(points, 0) AS pts, coalesce(time_spent_hours, 0) AS hrs, points IS NULL AS no_points,
        sprints[1] AS first_sprint,
        unnest(sprints) AS sprint, generate_subscripts(sprints, 1) AS pos
    FROM work_items
    WHERE len(sprints) > 0
),
placed AS (
    SELECT l.*, c.start_date, c.end_date, f.start_date AS first_start,
        coalesce(l.resolved_date BETWEEN c.start_date AND c.end_date, false) AS resolved_here
    FROM listed l
    JOIN calendar c ON c.name = l.sprint
    LEFT JOIN calendar f ON f.name = l.first_sprint
)
SELECT * EXCLUDE (resolved_here),
    resolved_here AND pos = max(CASE WHEN resolved_here THEN pos END) OVER (PARTITION BY key) AS completed_here
FROM placed
