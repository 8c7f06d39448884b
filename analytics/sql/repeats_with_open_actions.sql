-- repeats_with_open_actions: recurrences whose category had an earlier incident (any time
-- before) with a linked action item still open when the recurrence was created (the item
-- created on or before it and not resolved by then).
-- Each action item of an incident is "open" for its category over the interval
-- [max(item created, incident created + 1 microsecond), item resolved); the intervals are
-- merged per category and each recurrence is looked up with an ASOF join, so the cost stays
-- near linear however many action items there are.
WITH cats AS ({{ incident_categories }}),
links AS ({{ incident_links }}),
open_intervals AS (
    SELECT e.category,
        greatest(w.created, e.created + INTERVAL 1 MICROSECOND) AS open_from,
        coalesce(w.resolved, TIMESTAMP '9999-12-31') AS open_until
    FROM links l
    JOIN facts_incident_items w ON w.key = l.item_key
    JOIN cats e ON e.id = l.incident_id
    WHERE NOT list_contains($postmortem_types, lower(w.type))
),
ordered AS (
    SELECT *, max(open_until) OVER (PARTITION BY category ORDER BY open_from, open_until
                                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
    FROM open_intervals
    WHERE open_from < open_until
),
islands AS (
    SELECT *, sum(CASE WHEN reach IS NULL OR open_from > reach THEN 1 ELSE 0 END)
              OVER (PARTITION BY category ORDER BY open_from, open_until ROWS UNBOUNDED PRECEDING) AS island
    FROM ordered
),
merged AS (
    SELECT category, min(open_from) AS open_from, max(open_until) AS open_until
    FROM islands GROUP BY category, island
)
SELECT r.id, r.title, r.created, r.category
FROM cats r
ASOF JOIN merged m ON r.category = m.category AND r.created >= m.open_from
WHERE r.recurrence AND r.created < m.open_until
ORDER BY r.created, r.id
