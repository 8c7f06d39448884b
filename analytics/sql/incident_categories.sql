-- incident_categories: every incident with its category, the rule that gave it, its
-- severity level (1 = most severe) and whether it is a recurrence.
-- Category: the incident's own category field; else a label or component naming a
-- category exactly; else the first keyword-table row with a keyword occurring in the
-- title, labels or components (case-insensitive); else 'other'.
-- Recurrence: an earlier incident of the same category created within $recurrence_days before it.
WITH inc AS ({{ incident_source }}),
keywords AS (
    SELECT unnest($kw_rank) AS rank, unnest($kw_category) AS category, unnest($kw_word) AS word
),
category_names AS (
    SELECT category, min(rank) AS rank FROM keywords GROUP BY category
),
named AS (
    SELECT i.id, arg_min(n.category, n.rank) AS category
    FROM inc i
    JOIN category_names n ON list_contains(list_transform(list_concat(i.labels, i.components), lambda x: lower(trim(x))),
                                           lower(n.category))
    GROUP BY i.id
),
keyword_hits AS (
    SELECT i.id, arg_min(k.category, k.rank) AS category, arg_min(k.word, k.rank) AS word
    FROM inc i
    JOIN facts_incidents f ON f.id = i.id
    JOIN keywords k ON contains(f.search_text, lower(k.word))
    GROUP BY i.id
),
categorised AS (
    SELECT i.*,
        CASE
            WHEN nullif(trim(i.own_category), '') IS NOT NULL THEN
                coalesce((SELECT n.category FROM category_names n WHERE lower(n.category) = lower(trim(i.own_category))),
                         trim(i.own_category))
            WHEN nm.category IS NOT NULL THEN nm.category
            WHEN kh.category IS NOT NULL THEN kh.category
            ELSE 'other'
        END AS category,
        CASE
            WHEN nullif(trim(i.own_category), '') IS NOT NULL THEN 'category field'
            WHEN nm.category IS NOT NULL THEN 'label or component'
            WHEN kh.category IS NOT NULL THEN 'keyword "' || kh.word || '"'
            ELSE 'no rule matched'
        END AS category_rule,
        CASE
            WHEN regexp_matches(lower(i.severity), '^\s*(sev|s|p|priority)\s*[-_ ]?\s*[0-9]') THEN
                CAST(regexp_extract(i.severity, '([0-9])', 1) AS INTEGER)
            WHEN regexp_matches(i.severity, '^\s*[0-9]\s*(-|$)') THEN CAST(regexp_extract(i.severity, '([0-9])', 1) AS INTEGER)
            WHEN lower(trim(i.severity)) IN ('critical', 'blocker', 'highest', 'urgent') THEN 1
            WHEN lower(trim(i.severity)) IN ('high') THEN 2
            WHEN lower(trim(i.severity)) IN ('medium', 'moderate', 'normal', 'major') THEN 3
            WHEN lower(trim(i.severity)) IN ('low', 'minor') THEN 4
            WHEN lower(trim(i.severity)) IN ('lowest', 'trivial', 'planning') THEN 5
        END AS severity_level,
        epoch(i.resolved - i.created) / 3600.0 AS hours_to_resolve
    FROM inc i
    LEFT JOIN named nm ON nm.id = i.id
    LEFT JOIN keyword_hits kh ON kh.id = i.id
)
SELECT a.* EXCLUDE (previous),
    coalesce(a.created - a.previous <= to_days(CAST($recurrence_days AS INTEGER)), false) AS recurrence
FROM (
    -- the latest incident of the same category created strictly before this one
    SELECT *, max(created) OVER (PARTITION BY category ORDER BY created
                                 RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE GROUP) AS previous
    FROM categorised
) AS a
