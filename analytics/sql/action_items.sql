-- action_items: post-incident action items with the incidents they are linked to.
-- Work items other than post-mortem documents that are linked to an incident (either
-- direction) or labelled postmortem / incident-followup. Done = resolved.
WITH cats AS ({{ incident_categories }}),
links AS ({{ incident_links }}),
linked AS (
    SELECT item_key, list(incident_id ORDER BY incident_id) AS incident_ids FROM links GROUP BY item_key
),
candidates AS (
    SELECT item_key AS key FROM linked
    UNION
    SELECT key FROM facts_followup_items
    WHERE action_labelled AND ($projects IS NULL OR list_contains($projects, project))
)
SELECT w.key, w.type, w.summary, w.status, w.created, w.resolved, w.labels, w.components, w.sprints,
    w.points, w.resolved IS NOT NULL AS done,
    coalesce(l.incident_ids, []) AS incident_ids
FROM candidates c
JOIN facts_incident_items w ON w.key = c.key
LEFT JOIN linked l ON l.item_key = w.key
WHERE NOT list_contains($postmortem_types, lower(w.type))
ORDER BY w.created, w.key
