-- incident_follow_through: every incident with its category, severity level, recurrence,
-- whether it has a post-mortem, and whether it is a repeat with open actions.
-- Post-mortem: the incident export's own field when set; else a work item of a post-mortem
-- type linked to it in either direction, or the label postmortem-done on the incident.
-- Repeat with open actions: a recurrence whose category had an earlier incident (any time
-- before) with a linked action item (a linked work item other than a post-mortem document)
-- still open when the recurrence was created: the item created on or before it and not
-- resolved by then.
-- Each action item of an incident is "open" for its category over an interval (see
-- open_action_intervals). A recurrence is covered
-- when the intervals of its category starting at or before it reach past it: a running maximum
-- per category looked up with an ASOF join, so the cost stays near linear however many action
-- items there are. The categories are derived once here and serve both figures.
WITH cats AS ({{ incident_categories }}),
links AS ({{ incident_links }}),
pm_linked AS (
    SELECT DISTINCT incident_id FROM links WHERE item_postmortem_doc
),
open_intervals AS ({{ open_action_intervals }}),
starts AS (
    SELECT category, open_from, max(open_until) AS open_until
    FROM open_intervals
    WHERE open_from < open_until
    GROUP BY category, open_from
),
reach AS (
    -- the furthest any interval starting at or before open_from reaches
    SELECT category, open_from,
        max(open_until) OVER (PARTITION BY category ORDER BY open_from ROWS UNBOUNDED PRECEDING) AS reach
    FROM starts
),
open_repeats AS (
    SELECT r.id
    FROM cats r
    ASOF JOIN reach m ON r.category = m.category AND r.created >= m.open_from
    WHERE r.recurrence AND r.created < m.reach
)
SELECT c.id, c.title, c.created, c.resolved, c.severity, c.severity_level, c.service, c.category,
    c.category_rule, c.recurrence, c.hours_to_resolve, c.origin, c.responder,
    coalesce(c.postmortem,
             c.id IN (SELECT incident_id FROM pm_linked)
             OR list_contains(list_transform(c.labels, lambda x: lower(x)), $postmortem_done_label)) AS has_postmortem,
    c.id IN (SELECT id FROM open_repeats) AS repeat_with_open_actions
FROM cats c
ORDER BY c.created, c.id
