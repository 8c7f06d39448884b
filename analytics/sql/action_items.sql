-- action_items: post-incident action items in scope with the incidents (in scope) they are linked
-- to; see facts_action_items. With a project filter an item counts when its project is in it and it
-- is labelled as a follow-up or linked to an incident in scope (from the filter's projects, or from
-- an incident export, which has no project). Done = resolved.
SELECT key, type, summary, status, created, resolved, sprints, points, done, incident_ids
FROM (
    SELECT *,
        list_transform(list_filter(incidents, lambda i: $projects IS NULL OR i.project IS NULL
                                                        OR list_contains($projects, i.project)),
                       lambda i: i.id) AS incident_ids
    FROM facts_action_items
    WHERE $projects IS NULL OR list_contains($projects, project)
)
WHERE action_labelled OR len(incident_ids) > 0
ORDER BY created, key
