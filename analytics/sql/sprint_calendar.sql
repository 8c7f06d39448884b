-- sprint_calendar: one row per sprint.
-- Sprints from a sprints file as given; for sprint names that work items list but no
-- file defines, an inferred calendar: the first and last resolution dates of the items
-- the sprint completes (resolved items whose latest listed sprint it is), snapped to the
-- dominant cadence (whole weeks) counted from the earliest such sprint.
WITH explicit AS (
    SELECT name, start_date, end_date, capacity_points, reserve_points, false AS inferred
    FROM sprints
),
named AS (
    SELECT DISTINCT unnest(sprints) AS name FROM work_items
),
missing AS (
    SELECT name FROM named WHERE name NOT IN (SELECT name FROM explicit)
),
completions AS (
    SELECT sprints[-1] AS name, CAST(resolved AS DATE) AS d
    FROM work_items
    WHERE resolved IS NOT NULL AND len(sprints) > 0 AND sprints[-1] IN (SELECT name FROM missing)
),
spans AS (
    SELECT name, min(d) AS first_d, max(d) AS last_d, quantile_disc(d, 0.5) AS mid_d, count(*) AS n
    FROM completions GROUP BY name
),
cadence AS (
    SELECT 7 * greatest(1, coalesce(
        mode(ceil((last_d - first_d + 1) / 7.0)) FILTER (WHERE n >= 3),
        mode(ceil((last_d - first_d + 1) / 7.0)))) AS days,
        min(first_d) AS anchor
    FROM spans
),
inferred AS (
    SELECT s.name,
           CAST(c.anchor + CAST(c.days * floor((s.mid_d - c.anchor) / c.days) AS INTEGER) AS DATE) AS start_date
    FROM spans s, cadence c
)
SELECT * FROM explicit
UNION ALL
SELECT i.name, i.start_date, CAST(i.start_date + CAST(c.days - 1 AS INTEGER) AS DATE) AS end_date,
       CAST(NULL AS DOUBLE) AS capacity_points, CAST(NULL AS DOUBLE) AS reserve_points, true AS inferred
FROM inferred i, cadence c
