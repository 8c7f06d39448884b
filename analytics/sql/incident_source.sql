-- incident_source: incidents from an incident export; when none was imported, work items
-- of type Incident (their links become the incident's related keys, their first component its service).
SELECT id, title, created, acknowledged, resolved, severity, service, category AS own_category,
       responder, postmortem, coalesce(related_keys, []) AS related_keys,
       coalesce(labels, []) AS labels, coalesce(components, []) AS components, 'incident export' AS origin
FROM incidents
UNION ALL
SELECT key, summary, created, CAST(NULL AS TIMESTAMP), resolved, severity, components[1], NULL,
       assignee, CAST(NULL AS BOOLEAN), list_transform(links, lambda l: l.key), labels, components, 'work items'
FROM work_items
WHERE lower(type) = 'incident'
  AND NOT EXISTS (SELECT 1 FROM incidents)
  AND ($projects IS NULL OR list_contains($projects, project))
