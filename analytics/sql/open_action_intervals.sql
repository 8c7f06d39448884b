-- open_action_intervals: each action item of each incident (a linked work item other than a
-- post-mortem document) with the interval over which it is "open" for the incident's category:
-- [max(item created, incident created + 1 microsecond), item resolved or never). A recurrence
-- created inside the interval happened while the earlier incident's action item was open: the item
-- existed (created on or before it), was not resolved by then, and the incident came strictly before.
-- Needs the CTEs `cats` (incident_categories) and `links` (incident_links).
SELECT e.category, e.id AS incident_id, l.item_key,
    greatest(l.item_created, e.created + INTERVAL 1 MICROSECOND) AS open_from,
    coalesce(l.item_resolved, TIMESTAMP '9999-12-31') AS open_until
FROM links l
JOIN cats e ON e.id = l.incident_id
WHERE NOT l.item_postmortem_doc
