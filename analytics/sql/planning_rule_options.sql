-- planning_rule_options: the values the rules editor offers from the data: every type of the items in
-- scope, in the order they first appear (items by created, then key, as sprint_items lists them), and
-- every label (kind 'label', unordered). A few rows however many items there are.
WITH scoped AS (
    SELECT key, type, labels, created FROM work_items
    WHERE $projects IS NULL OR list_contains($projects, project)
),
first_created AS (
    SELECT type, min(created) AS created FROM scoped WHERE type IS NOT NULL GROUP BY type
),
types AS (
    SELECT f.type, f.created, min(s.key) AS key
    FROM first_created f
    JOIN scoped s ON s.type = f.type AND s.created IS NOT DISTINCT FROM f.created
    GROUP BY f.type, f.created
),
labels AS (
    SELECT DISTINCT unnest(labels) AS label FROM scoped
)
SELECT 'type' AS kind, type AS value, row_number() OVER (ORDER BY created NULLS LAST, key) AS rank FROM types
UNION ALL
SELECT 'label', label, NULL FROM labels
ORDER BY kind DESC, rank
