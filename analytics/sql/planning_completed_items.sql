-- planning_completed_items: one row per work item in scope that was completed in a sprint, with its
-- completion sprint, why it is unplanned (each rule, as classified_items and sprint_metrics decide it)
-- and its points as the Unplanned work page counts them ($points_mode: 'zero' counts an item without
-- points as 0 as METRICS.md does, 'default' as $default_points, 'hours' as its hours spent, none = 0).
-- Read from facts_item_sprints (one row per item and listed sprint; completed_here marks the
-- completion sprint, at most one per item), so no per-item list is touched; the label rule is decided
-- once per distinct label list (facts_label_sets).
SELECT
    key,
    sprint AS completion_sprint,
    no_points,
    coalesce($rule_type AND list_contains($unplanned_types, type_lc), false) AS by_type,
    coalesce($rule_label AND label_set IN (
        SELECT label_set FROM facts_label_sets WHERE list_has_any(labels_lc, $unplanned_labels)), false) AS by_label,
    coalesce($rule_mid_sprint AND created_date > first_start, false) AS by_mid_sprint,
    CASE
        WHEN NOT no_points THEN pts
        WHEN $points_mode = 'default' THEN CAST($default_points AS DOUBLE)
        WHEN $points_mode = 'hours' THEN hrs
        ELSE 0.0
    END AS counted_points
FROM facts_item_sprints
WHERE completed_here AND ($projects IS NULL OR list_contains($projects, project))
