-- incidents_by_category: incidents, recurrences and time to resolve per category.
WITH cats AS ({{ incident_categories }})
SELECT category,
    count(*) AS incidents,
    count(*) FILTER (WHERE recurrence) AS recurrences,
    count(*) FILTER (WHERE recurrence) / count(*) AS recurrence_rate,
    median(hours_to_resolve) AS median_hours_to_resolve,
    quantile_cont(hours_to_resolve, 0.9) AS p90_hours_to_resolve,
    count(hours_to_resolve) AS resolved_incidents
FROM cats
GROUP BY category
ORDER BY recurrences DESC, incidents DESC, category
