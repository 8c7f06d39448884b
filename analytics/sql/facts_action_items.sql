-- facts_action_items: every post-incident action item before the project filter, with the incidents
-- it is linked to. Action items: work items other than post-mortem documents that are linked to an
-- incident (either direction) or labelled postmortem / incident-followup. Each linked incident keeps
-- its project (NULL for an incident export) so `action_items` can apply the filter when it reads.
WITH linked AS (
    SELECT item_key, list({'id': incident_id, 'project': incident_project} ORDER BY incident_id) AS incidents
    FROM facts_incident_links
    GROUP BY item_key
),
labelled AS (
    SELECT key FROM facts_followup_items WHERE action_labelled
),
candidates AS (
    SELECT item_key AS key FROM linked
    UNION
    SELECT key FROM labelled
)
SELECT w.key, w.project, w.type, w.summary, w.status, w.created, w.resolved, w.sprints, w.points,
    w.resolved IS NOT NULL AS done,
    coalesce(l.incidents, []) AS incidents,
    w.key IN (SELECT key FROM labelled) AS action_labelled
FROM candidates c
JOIN facts_incident_items w ON w.key = c.key
LEFT JOIN linked l ON l.item_key = w.key
WHERE NOT list_contains($postmortem_types, lower(w.type))
