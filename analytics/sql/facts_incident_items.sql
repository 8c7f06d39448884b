-- facts_incident_items: the work items that can be linked to an incident, be an action item or be
-- tech debt (items with links, post-mortem documents, items with an action-item or debt label, items
-- an incident names), with the columns the follow-through figures show: a small slice of a large store.
-- `search_text` (summary, labels and components, lower case) and `tokens` (labels and components,
-- trimmed, lower case) are what the category rules for tech debt match against.
SELECT key, project, type, summary, status, status_category, priority, created, resolved, labels, components,
    sprints, points,
    lower(concat_ws(chr(10), summary, array_to_string(labels, chr(10)), array_to_string(components, chr(10))))
        AS search_text,
    list_transform(list_concat(labels, components), lambda x: lower(trim(x))) AS tokens
FROM work_items
WHERE len(links) > 0
   OR key IN (SELECT key FROM facts_followup_items)
   OR key IN (SELECT unnest(related_keys) FROM facts_incidents)
