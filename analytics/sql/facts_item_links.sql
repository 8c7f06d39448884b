-- facts_item_links: one row per link a work item carries (the key it names), for the
-- incident <-> item joins; most items have none, so this table is small.
SELECT key, project, unnest(links).key AS target
FROM work_items
WHERE len(links) > 0
