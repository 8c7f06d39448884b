-- planning_completed_sums: per completion sprint, planned done and unplanned points as the page counts
-- them (see planning_completed_items), items, and items without points, as one GROUP BY. Sprints where
-- nothing completed are absent.
WITH done AS (
    SELECT *, by_type OR by_label OR by_mid_sprint AS unplanned FROM ({{ planning_completed_items }})
)
SELECT
    completion_sprint AS sprint,
    coalesce(fsum(counted_points) FILTER (WHERE NOT unplanned), 0.0) AS planned_done_points,
    coalesce(fsum(counted_points) FILTER (WHERE unplanned), 0.0) AS unplanned_points,
    count(*) FILTER (WHERE NOT unplanned) AS planned_done_items,
    count(*) FILTER (WHERE unplanned) AS unplanned_items,
    count(*) FILTER (WHERE NOT unplanned AND no_points) AS planned_without_points,
    count(*) FILTER (WHERE unplanned AND no_points) AS unplanned_without_points
FROM done
GROUP BY completion_sprint
ORDER BY completion_sprint
