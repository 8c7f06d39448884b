-- incident_source: the incidents in scope (the project filter applies to incidents taken from
-- work items; an incident export has no project).
SELECT * EXCLUDE (project, search_text) FROM facts_incidents
WHERE $projects IS NULL OR project IS NULL OR list_contains($projects, project)
