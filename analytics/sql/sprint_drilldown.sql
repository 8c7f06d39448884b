-- sprint_drilldown: the work items that list one sprint ($sprint), classified exactly as
-- classified_items does (why each is unplanned, its completion sprint), with completed_here
-- when $sprint is its completion sprint. The WHERE keeps the result to one sprint's items,
-- however large the store.
SELECT c.*, coalesce(c.completion_sprint = $sprint, false) AS completed_here
FROM ({{ classified_items }}) c
WHERE list_contains(c.sprints, $sprint)
ORDER BY c.key
