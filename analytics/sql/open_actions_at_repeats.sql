-- open_actions_at_repeats: for the recurrences in $incident_ids, the earlier incidents of the same
-- category and their action items that were open when the recurrence was created: the action-item
-- intervals of the category (open_action_intervals) that contain the recurrence's creation moment.
WITH cats AS ({{ incident_categories }}),
links AS ({{ incident_links }}),
open_intervals AS ({{ open_action_intervals }}),
repeats AS (
    SELECT id, category, created FROM cats WHERE id IN (SELECT unnest($incident_ids))
)
SELECT r.id, list(DISTINCT a.incident_id ORDER BY a.incident_id) AS earlier_incidents,
    list(DISTINCT a.item_key ORDER BY a.item_key) AS open_action_items
FROM repeats r
JOIN open_intervals a ON a.category = r.category AND a.open_from <= r.created AND r.created < a.open_until
GROUP BY r.id
