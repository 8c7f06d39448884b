-- planning_hours_recorded: whether any work item in scope that was completed in one of the sprints
-- $sprints has time spent recorded (the Reserve page's hours view needs some).
SELECT count(*) > 0 AS recorded
FROM work_items w
WHERE w.time_spent_hours IS NOT NULL
  AND ($projects IS NULL OR list_contains($projects, w.project))
  AND w.key IN (SELECT key FROM facts_item_sprints
                WHERE completed_here AND sprint IN (SELECT unnest(CAST($sprints AS VARCHAR[]))))
