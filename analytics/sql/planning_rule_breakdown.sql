-- planning_rule_breakdown: why the unplanned items completed in the sprints $sprints were unplanned,
-- as one row: the items and (counted) points in all, the items matching more than one rule, and per
-- rule the items and points it matches and those whose first matching rule it is (in METRICS.md's
-- order: type, label, added mid-sprint). trends.why_unplanned_in shapes it into a RuleBreakdown.
WITH chosen AS (
    SELECT * FROM ({{ planning_completed_items }})
    WHERE (by_type OR by_label OR by_mid_sprint) AND completion_sprint IN (SELECT unnest(CAST($sprints AS VARCHAR[])))
)
SELECT
    count(*) AS items,
    coalesce(fsum(counted_points), 0.0) AS points,
    count(*) FILTER (WHERE CAST(by_type AS INTEGER) + CAST(by_label AS INTEGER) + CAST(by_mid_sprint AS INTEGER) > 1)
        AS several_rules,
    count(*) FILTER (WHERE by_type) AS by_type_items,
    coalesce(fsum(counted_points) FILTER (WHERE by_type), 0.0) AS by_type_points,
    count(*) FILTER (WHERE by_type) AS by_type_first_items,
    coalesce(fsum(counted_points) FILTER (WHERE by_type), 0.0) AS by_type_first_points,
    count(*) FILTER (WHERE by_label) AS by_label_items,
    coalesce(fsum(counted_points) FILTER (WHERE by_label), 0.0) AS by_label_points,
    count(*) FILTER (WHERE by_label AND NOT by_type) AS by_label_first_items,
    coalesce(fsum(counted_points) FILTER (WHERE by_label AND NOT by_type), 0.0) AS by_label_first_points,
    count(*) FILTER (WHERE by_mid_sprint) AS by_mid_sprint_items,
    coalesce(fsum(counted_points) FILTER (WHERE by_mid_sprint), 0.0) AS by_mid_sprint_points,
    count(*) FILTER (WHERE by_mid_sprint AND NOT by_type AND NOT by_label) AS by_mid_sprint_first_items,
    coalesce(fsum(counted_points) FILTER (WHERE by_mid_sprint AND NOT by_type AND NOT by_label), 0.0)
        AS by_mid_sprint_first_points
FROM chosen
