-- incident_links: (incident, work item) pairs linked in either direction.
-- Needs the CTEs `cats` (incident_categories) and `scope_items` (work items in scope).
-- The incident's related keys name the item, or one of the item's links names the incident.
SELECT DISTINCT i.id AS incident_id, w.key AS item_key
FROM cats i JOIN scope_items w ON list_contains(i.related_keys, w.key)
UNION
SELECT DISTINCT i.id, w.key
FROM scope_items w JOIN cats i ON list_contains(list_transform(w.links, lambda l: l.key), i.id)
