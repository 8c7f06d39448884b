-- facts_incident_links: every (incident, work item) pair linked in either direction, before any
-- setting: the incident names the item among its related keys, or one of the item's links names
-- the incident. Both sides' projects are kept so the project filter applies when it is read, and
-- the item's dates and whether it is a post-mortem document, which the follow-through figures need.
-- Both directions are equi-joins (the item side through facts_item_links), so they stay hash joins.
WITH pairs AS (
    SELECT i.id AS incident_id, i.project AS incident_project, i.item_key
    FROM (SELECT id, project, unnest(related_keys) AS item_key FROM facts_incidents) i
    UNION
    SELECT i.id, i.project, l.key
    FROM facts_item_links l
    JOIN facts_incidents i ON i.id = l.target
)
SELECT p.incident_id, p.incident_project, w.key AS item_key, w.project AS item_project,
    w.created AS item_created, w.resolved AS item_resolved,
    list_contains($postmortem_types, lower(w.type)) AS item_postmortem_doc
FROM pairs p
JOIN facts_incident_items w ON w.key = p.item_key
