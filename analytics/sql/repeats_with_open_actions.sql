-- repeats_with_open_actions: recurrences whose category had an earlier incident (any time
-- before) with a linked action item still open when the recurrence was created (the item
-- created on or before it and not resolved by then).
WITH cats AS ({{ incident_categories }}),
scope_items AS (
    SELECT * FROM work_items WHERE $projects IS NULL OR list_contains($projects, project)
),
links AS ({{ incident_links }}),
actions AS (
    SELECT l.incident_id, w.key, w.summary, w.created, w.resolved
    FROM links l JOIN scope_items w ON w.key = l.item_key
    WHERE NOT list_contains($postmortem_types, lower(w.type))
)
SELECT r.id, r.title, r.created, r.category,
    list(DISTINCT e.id ORDER BY e.id) AS earlier_incidents,
    list(DISTINCT a.key ORDER BY a.key) AS open_action_items
FROM cats r
JOIN cats e ON e.category = r.category AND e.created < r.created
JOIN actions a ON a.incident_id = e.id
WHERE r.recurrence
  AND a.created <= r.created
  AND (a.resolved IS NULL OR a.resolved > r.created)
GROUP BY r.id, r.title, r.created, r.category
ORDER BY r.created, r.id
