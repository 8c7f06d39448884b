-- leadership_linked_work: the unplanned work items in scope that are linked to at least one incident
-- in scope (either direction), each once, in the category of the latest incident it is linked to
-- (leadership_item_categories), with its points, hours and completion sprint.
-- Unplanned and the completion sprint are classified_items' (the rules of sprint_metrics); only the
-- linked items are classified here, so the result stays as small as the incident links.
WITH classified AS ({{ classified_items }}),
linked AS ({{ leadership_item_categories }})
SELECT w.key, w.summary, w.type, l.category, w.pts, w.hrs, w.completion_sprint
FROM classified w
JOIN linked l ON l.key = w.key
WHERE w.by_type OR w.by_label OR w.by_mid_sprint
ORDER BY w.created, w.key
