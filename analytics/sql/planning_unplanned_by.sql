-- planning_unplanned_by: the unplanned items completed in the sprints $sprints per type, component and
-- label: dimension, value, items, (counted) points. An item with several components (labels) counts
-- under each, one with none (or a missing type) under $none_value. Only these items are joined to
-- work_items for their original spelling of type, components and labels.
WITH chosen AS (
    SELECT key, counted_points FROM ({{ planning_completed_items }})
    WHERE (by_type OR by_label OR by_mid_sprint) AND completion_sprint IN (SELECT unnest(CAST($sprints AS VARCHAR[])))
),
described AS (
    SELECT c.counted_points, w.type,
        CASE WHEN len(w.components) > 0 THEN w.components ELSE [CAST(NULL AS VARCHAR)] END AS components,
        CASE WHEN len(w.labels) > 0 THEN w.labels ELSE [CAST(NULL AS VARCHAR)] END AS labels
    FROM chosen c
    JOIN work_items w ON w.key = c.key
),
component_rows AS (
    SELECT counted_points, unnest(components) AS value FROM described
),
label_rows AS (
    SELECT counted_points, unnest(labels) AS value FROM described
)
SELECT 'type' AS dimension, coalesce(type, $none_value) AS value, count(*) AS items,
       fsum(counted_points) AS points
FROM described GROUP BY ALL
UNION ALL
SELECT 'component', coalesce(value, $none_value), count(*), fsum(counted_points) FROM component_rows GROUP BY ALL
UNION ALL
SELECT 'label', coalesce(value, $none_value), count(*), fsum(counted_points) FROM label_rows GROUP BY ALL
