-- facts_incidents: the incidents every incident figure starts from, before any setting.
-- From the incident export; when none was imported, work items of type Incident (their links
-- become related keys, their first component the service, their project kept for the filter).
SELECT id, title, created, acknowledged, resolved, severity, service, category AS own_category,
       responder, postmortem, coalesce(related_keys, []) AS related_keys,
       coalesce(labels, []) AS labels, coalesce(components, []) AS components,
       'incident export' AS origin, CAST(NULL AS VARCHAR) AS project,
       -- what the keyword table is matched against: title, labels and components, lower case
       lower(concat_ws(chr(10), title, array_to_string(coalesce(labels, []), chr(10)),
                       array_to_string(coalesce(components, []), chr(10)))) AS search_text
FROM incidents
UNION ALL
SELECT key, summary, created, CAST(NULL AS TIMESTAMP), resolved, severity, components[1], NULL,
       assignee, CAST(NULL AS BOOLEAN), list_transform(links, lambda l: l.key), labels, components,
       'work items', project,
       lower(concat_ws(chr(10), summary, array_to_string(labels, chr(10)), array_to_string(components, chr(10))))
FROM work_items
WHERE lower(type) = 'incident'
  AND NOT EXISTS (SELECT 1 FROM incidents)
