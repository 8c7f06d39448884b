-- incident_links: (incident, work item in scope) pairs linked in either direction.
-- Needs the CTE `cats` (incidents). The incident's related keys name the item, or one of the
-- item's links names the incident. Both directions are equi-joins (the item side through
-- facts_item_links), so they stay hash joins on large stores.
SELECT i.id AS incident_id, w.key AS item_key
FROM (SELECT id, unnest(related_keys) AS item_key FROM cats) i
JOIN facts_incident_items w ON w.key = i.item_key
WHERE $projects IS NULL OR list_contains($projects, w.project)
UNION
SELECT i.id, l.key
FROM facts_item_links l
JOIN cats i ON i.id = l.target
WHERE $projects IS NULL OR list_contains($projects, l.project)
