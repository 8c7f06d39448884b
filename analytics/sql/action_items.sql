-- action_items: post-incident action items with the incidents they are linked to.
-- Work items other than post-mortem documents that are linked to an incident (either
-- direction) or labelled postmortem / incident-followup. Done = resolved.
WITH cats AS ({{ incident_categories }}),
scope_items AS (
    SELECT * FROM work_items WHERE $projects IS NULL OR list_contains($projects, project)
),
links AS ({{ incident_links }}),
linked AS (
    SELECT item_key, list(incident_id ORDER BY incident_id) AS incident_ids FROM links GROUP BY item_key
)
SELECT w.key, w.type, w.summary, w.status, w.created, w.resolved, w.labels, w.components, w.sprints,
    w.points, w.resolved IS NOT NULL AS done,
    coalesce(l.incident_ids, []) AS incident_ids
FROM scope_items w
LEFT JOIN linked l ON l.item_key = w.key
WHERE NOT list_contains($postmortem_types, lower(w.type))
  AND (l.item_key IS NOT NULL
       OR len(list_intersect(list_transform(w.labels, lambda x: lower(x)), $action_item_labels)) > 0)
ORDER BY w.created, w.key
