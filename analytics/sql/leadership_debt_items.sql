-- leadership_debt_items: the open items of tech_debt_items (not resolved), for the investment plan.
-- There an item that no category rule matched is uncategorised (NULL, rule 'no rule matched')
-- rather than `other`, so it does not count toward the suggested reduction.
-- Only what the plan reads: the number of incidents an item is linked to rather than their ids, and
-- none of the item's lists (labels, components, sprints), which cost more to hand to pandas and to
-- cache than the rest of the result.
SELECT * EXCLUDE (status_category, resolved, done, labels, components, sprints, incident_ids)
         REPLACE (CASE WHEN category_rule = 'no rule matched' THEN NULL ELSE category END AS category),
       len(incident_ids) AS incidents
FROM ({{ tech_debt_items }})
WHERE resolved IS NULL
ORDER BY created, key
