-- sprint_items: every work item in scope with its classification and completion sprint
-- (the drill-down behind the per-sprint figures).
WITH calendar AS ({{ sprint_calendar }})
SELECT * FROM ({{ classified_items }})
ORDER BY created, key
