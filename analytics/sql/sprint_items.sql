-- sprint_items: every work item in scope with its classification and completion sprint
-- (the drill-down behind the per-sprint figures).
SELECT * FROM ({{ classified_items }})
ORDER BY created, key
