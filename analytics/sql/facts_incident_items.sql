-- facts_incident_items: the work items that can be linked to an incident or be an action item
-- (items with links, post-mortem documents, items with an action-item label, items an incident
-- names), with the columns the follow-through figures show: a small slice of a large store.
SELECT key, project, type, summary, status, created, resolved, labels, components, sprints, points
FROM work_items
WHERE len(links) > 0
   OR list_contains($postmortem_types, lower(type))
   OR list_has_any(list_transform(labels, lambda l: lower(l)), $action_item_labels)
   OR key IN (SELECT unnest(related_keys) FROM facts_incidents)
