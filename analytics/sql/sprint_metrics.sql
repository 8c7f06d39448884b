-- sprint_metrics: the per-sprint series (planned, unplanned, commitment, carry-over, reserve).
-- One pass over facts_item_sprints (one row per item and sprint it lists); the settings
-- decide which rows are unplanned:
--   type listed, or a label listed (both case-insensitive), or created on a later day than
--   the start of the first sprint the item lists (added mid-sprint).
WITH unplanned_label_sets AS (
    SELECT label_set FROM facts_label_sets WHERE list_has_any(labels_lc, $unplanned_labels)
),
m AS (
    SELECT *,
        coalesce($rule_type AND list_contains($unplanned_types, type_lc), false)
        OR coalesce($rule_label AND label_set IN (SELECT label_set FROM unplanned_label_sets), false)
        OR coalesce($rule_mid_sprint AND created_date > first_start, false) AS unplanned
    FROM facts_item_sprints
    WHERE $projects IS NULL OR list_contains($projects, project)
),
per_sprint AS (
    SELECT sprint,
        -- committed: planned items in the sprint created on or before its start day
        sum(pts) FILTER (WHERE NOT unplanned AND created_date <= start_date) AS committed_points,
        sum(pts) FILTER (WHERE NOT unplanned AND created_date <= start_date AND completed_here)
            AS committed_done_points,
        -- carry-over: planned items that were also in an earlier sprint of their list
        sum(pts) FILTER (WHERE NOT unplanned AND pos > 1) AS carryover_points,
        sum(pts) FILTER (WHERE created_date > start_date) AS added_mid_sprint_points,
        sum(pts) FILTER (WHERE completed_here AND NOT unplanned) AS planned_done_points,
        sum(pts) FILTER (WHERE completed_here AND unplanned) AS unplanned_points,
        sum(hrs) FILTER (WHERE completed_here AND unplanned) AS unplanned_hours,
        sum(hrs) FILTER (WHERE completed_here AND NOT unplanned) AS planned_done_hours,
        count(*) FILTER (WHERE completed_here AND NOT unplanned) AS planned_done_items,
        count(*) FILTER (WHERE completed_here AND unplanned) AS unplanned_items,
        count(*) FILTER (WHERE completed_here AND no_points) AS completed_items_without_points
    FROM m
    GROUP BY sprint
)
SELECT
    c.name AS sprint,
    c.start_date AS "start",
    c.end_date AS "end",
    c.inferred,
    c.end_date <= CAST(s.as_of AS DATE) AS completed,
    c.capacity_points,
    coalesce(p.committed_points, 0) AS committed_points,
    coalesce(p.planned_done_points, 0) AS planned_done_points,
    coalesce(p.unplanned_points, 0) AS unplanned_points,
    coalesce(p.unplanned_hours, 0) AS unplanned_hours,
    coalesce(p.planned_done_hours, 0) AS planned_done_hours,
    coalesce(p.unplanned_points, 0) / nullif(coalesce(p.unplanned_points, 0) + coalesce(p.planned_done_points, 0), 0)
        AS unplanned_share,
    coalesce(p.carryover_points, 0) AS carryover_points,
    coalesce(p.committed_done_points, 0) / nullif(coalesce(p.committed_points, 0), 0) AS say_do,
    coalesce(p.committed_done_points, 0) AS committed_done_points,
    coalesce(p.added_mid_sprint_points, 0) AS added_mid_sprint_points,
    coalesce(c.reserve_points, $default_reserve_points) AS reserve_points,
    greatest(0, coalesce(p.unplanned_points, 0) - coalesce(c.reserve_points, $default_reserve_points))
        AS overrun_points,
    coalesce(p.planned_done_items, 0) AS planned_done_items,
    coalesce(p.unplanned_items, 0) AS unplanned_items,
    coalesce(p.completed_items_without_points, 0) AS completed_items_without_points
FROM calendar c
CROSS JOIN facts_summary s
LEFT JOIN per_sprint p ON p.sprint = c.name
WHERE $projects IS NULL OR p.sprint IS NOT NULL
ORDER BY c.start_date, c.name
