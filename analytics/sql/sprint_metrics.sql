-- sprint_metrics: the per-sprint series (planned, unplanned, commitment, carry-over, reserve).
WITH calendar AS ({{ sprint_calendar }}),
items AS ({{ classified_items }}),
flagged AS (
    SELECT *, (by_type OR by_label OR by_mid_sprint) AS unplanned FROM items
),
membership AS (
    SELECT key, pts, unplanned, created, completion_sprint,
           unnest(sprints) AS sprint, generate_subscripts(sprints, 1) AS pos
    FROM flagged
),
by_membership AS (
    SELECT m.sprint,
        sum(m.pts) FILTER (WHERE NOT m.unplanned AND CAST(m.created AS DATE) <= c.start_date) AS committed_points,
        sum(m.pts) FILTER (WHERE NOT m.unplanned AND CAST(m.created AS DATE) <= c.start_date
                           AND m.completion_sprint = m.sprint) AS committed_done_points,
        sum(m.pts) FILTER (WHERE NOT m.unplanned AND m.pos > 1) AS carryover_points,
        sum(m.pts) FILTER (WHERE CAST(m.created AS DATE) > c.start_date) AS added_mid_sprint_points,
        count(*) AS items_in_sprint
    FROM membership m
    JOIN calendar c ON c.name = m.sprint
    GROUP BY m.sprint
),
by_completion AS (
    SELECT completion_sprint AS sprint,
        sum(pts) FILTER (WHERE NOT unplanned) AS planned_done_points,
        sum(pts) FILTER (WHERE unplanned) AS unplanned_points,
        sum(hrs) FILTER (WHERE unplanned) AS unplanned_hours,
        sum(hrs) FILTER (WHERE NOT unplanned) AS planned_done_hours,
        count(*) FILTER (WHERE NOT unplanned) AS planned_done_items,
        count(*) FILTER (WHERE unplanned) AS unplanned_items,
        count(*) FILTER (WHERE points IS NULL) AS completed_items_without_points
    FROM flagged
    WHERE completion_sprint IS NOT NULL
    GROUP BY completion_sprint
),
as_of AS (
    SELECT max(greatest(created, coalesce(resolved, created))) AS ts FROM work_items
)
SELECT
    c.name AS sprint,
    c.start_date AS "start",
    c.end_date AS "end",
    c.inferred,
    c.end_date <= CAST(a.ts AS DATE) AS completed,
    c.capacity_points,
    coalesce(bm.committed_points, 0) AS committed_points,
    coalesce(bc.planned_done_points, 0) AS planned_done_points,
    coalesce(bc.unplanned_points, 0) AS unplanned_points,
    coalesce(bc.unplanned_hours, 0) AS unplanned_hours,
    coalesce(bc.planned_done_hours, 0) AS planned_done_hours,
    coalesce(bc.unplanned_points, 0) / nullif(coalesce(bc.unplanned_points, 0) + coalesce(bc.planned_done_points, 0), 0)
        AS unplanned_share,
    coalesce(bm.carryover_points, 0) AS carryover_points,
    coalesce(bm.committed_done_points, 0) / nullif(coalesce(bm.committed_points, 0), 0) AS say_do,
    coalesce(bm.committed_done_points, 0) AS committed_done_points,
    coalesce(bm.added_mid_sprint_points, 0) AS added_mid_sprint_points,
    coalesce(c.reserve_points, $default_reserve_points) AS reserve_points,
    greatest(0, coalesce(bc.unplanned_points, 0) - coalesce(c.reserve_points, $default_reserve_points)) AS overrun_points,
    coalesce(bc.planned_done_items, 0) AS planned_done_items,
    coalesce(bc.unplanned_items, 0) AS unplanned_items,
    coalesce(bc.completed_items_without_points, 0) AS completed_items_without_points
FROM calendar c
CROSS JOIN as_of a
LEFT JOIN by_membership bm ON bm.sprint = c.name
LEFT JOIN by_completion bc ON bc.sprint = c.name
WHERE $projects IS NULL OR bm.sprint IS NOT NULL OR bc.sprint IS NOT NULL
ORDER BY c.start_date, c.name
