-- classified_items: work items in scope with why each is unplanned and where it was completed.
-- Needs the CTE `calendar` (the built calendar table works) and facts_item_sprints.
-- An item is unplanned when its type is listed, one of its labels is listed (both
-- case-insensitive), or it was created on a later calendar day than the start of the first
-- sprint it lists. Its completion sprint is the listed sprint containing the day it was resolved.
SELECT
    w.key, w.project, w.type, w.summary, w.status_category, w.labels, w.components,
    w.created, w.resolved, w.sprints, w.points, w.time_spent_hours,
    coalesce(w.points, 0) AS pts,
    coalesce(w.time_spent_hours, 0) AS hrs,
    coalesce($rule_type AND list_contains($unplanned_types, lower(w.type)), false) AS by_type,
    coalesce($rule_label AND list_has_any(list_transform(w.labels, lambda l: lower(l)), $unplanned_labels),
             false) AS by_label,
    coalesce($rule_mid_sprint AND CAST(w.created AS DATE) > fs.start_date, false) AS by_mid_sprint,
    comp.sprint AS completion_sprint
FROM work_items w
LEFT JOIN calendar fs ON fs.name = w.sprints[1]
LEFT JOIN (SELECT key, sprint FROM facts_item_sprints WHERE completed_here) comp ON comp.key = w.key
WHERE $projects IS NULL OR list_contains($projects, w.project)
