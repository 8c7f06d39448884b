-- incident_linked_work: every (incident, linked work item) pair with the incident's category and
-- how the item counts in the sprint figures: unplanned or not (the same rules as sprint_metrics)
-- and its completion sprint (the listed sprint whose dates contain the day it was resolved).
-- Linked = the incident's related keys name the item, or one of the item's links names the incident.
WITH cats AS ({{ incident_categories }}),
links AS ({{ incident_links }}),
classified AS ({{ classified_items }})
SELECT l.incident_id, c.category, c.created AS incident_created,
    w.key, w.type, w.summary, w.status_category, w.created, w.resolved,
    w.pts AS points, w.hrs AS hours, w.points IS NULL AS no_points,
    (w.by_type OR w.by_label OR w.by_mid_sprint) AS unplanned,
    w.completion_sprint
FROM links l
JOIN cats c ON c.id = l.incident_id
JOIN classified w ON w.key = l.item_key
ORDER BY c.category, w.key, l.incident_id
