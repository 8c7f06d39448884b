-- open_actions_at_repeats: for the recurrences in $incident_ids, the earlier incidents of the
-- same category and their action items that were open when the recurrence was created.
WITH cats AS ({{ incident_categories }}),
links AS ({{ incident_links }})
SELECT r.id, list(DISTINCT e.id ORDER BY e.id) AS earlier_incidents,
    list(DISTINCT w.key ORDER BY w.key) AS open_action_items
FROM cats r
JOIN cats e ON e.category = r.category AND e.created < r.created
JOIN links l ON l.incident_id = e.id
JOIN facts_incident_items w ON w.key = l.item_key
WHERE list_contains($incident_ids, r.id)
  AND NOT list_contains($postmortem_types, lower(w.type))
  AND w.created <= r.created AND (w.resolved IS NULL OR w.resolved > r.created)
GROUP BY r.id
