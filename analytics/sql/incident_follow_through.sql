-- incident_follow_through: every incident with its category, severity level, recurrence,
-- whether it has a post-mortem, and its linked action items (open and done).
-- Post-mortem: the incident export's own field when set; else a work item of a post-mortem
-- type linked to it in either direction, or the label postmortem-done on the incident.
-- Action items: work items other than post-mortem documents linked to an incident, or
-- labelled postmortem / incident-followup (those need no link).
WITH cats AS ({{ incident_categories }}),
links AS ({{ incident_links }}),
pm_docs AS (
    SELECT key FROM facts_followup_items WHERE postmortem_doc
),
pm_linked AS (
    SELECT DISTINCT l.incident_id FROM links l JOIN pm_docs p ON p.key = l.item_key
)
SELECT c.id, c.title, c.created, c.resolved, c.severity, c.severity_level, c.service, c.category,
    c.category_rule, c.recurrence, c.hours_to_resolve, c.origin, c.responder,
    coalesce(c.postmortem,
             c.id IN (SELECT incident_id FROM pm_linked)
             OR list_contains(list_transform(c.labels, lambda x: lower(x)), $postmortem_done_label)) AS has_postmortem
FROM cats c
ORDER BY c.created, c.id
