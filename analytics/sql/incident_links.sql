-- incident_links: (incident, work item) pairs linked in either direction, both in scope: the item
-- in the project filter, the incident in it too or from an incident export (which has no project).
-- With the item's created and resolved moments and whether it is a post-mortem document.
SELECT incident_id, item_key, item_created, item_resolved, item_postmortem_doc
FROM facts_incident_links
WHERE $projects IS NULL
   OR (list_contains($projects, item_project)
       AND (incident_project IS NULL OR list_contains($projects, incident_project)))
