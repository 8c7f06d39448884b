-- leadership_item_categories: every work item in scope linked to at least one incident (either
-- direction), with the category of the latest incident it is linked to (ties: the highest id),
-- so each item belongs to exactly one category and sums over categories add up.
WITH cats AS ({{ incident_categories }}),
links AS ({{ incident_links }})
SELECT l.item_key AS key,
    arg_max(c.category, (c.created, c.id)) AS category,
    arg_max(c.id, (c.created, c.id)) AS latest_incident,
    list(DISTINCT c.id ORDER BY c.id) AS incident_ids
FROM links l
JOIN cats c ON c.id = l.incident_id
GROUP BY l.item_key
ORDER BY l.item_key
