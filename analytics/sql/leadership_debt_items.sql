-- leadership_debt_items: the open items of tech_debt_items (not resolved), for the investment plan.
-- There an item that no category rule matched is uncategorised (NULL, rule 'no rule matched')
-- rather than `other`, so it does not count toward the suggested reduction.
SELECT * EXCLUDE (status_category, resolved, done)
         REPLACE (CASE WHEN category_rule = 'no rule matched' THEN NULL ELSE category END AS category)
FROM ({{ tech_debt_items }})
WHERE resolved IS NULL
ORDER BY created, key
