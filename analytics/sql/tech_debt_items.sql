-- tech_debt_items: work items (other than post-mortem documents) that are linked to an incident or
-- labelled as debt (see facts_followup_items; case-insensitive), with the category they belong to:
--   the category of the latest incident they are linked to; else a label or component naming a
--   category exactly; else the first keyword-table row with a keyword in the summary, labels or
--   components (case-insensitive); else 'other'.
WITH cats AS ({{ incident_categories }}),
links AS ({{ incident_links }}),
keywords AS (
    SELECT unnest($kw_rank) AS rank, unnest($kw_category) AS category, unnest($kw_word) AS word
),
category_names AS (
    SELECT category, min(rank) AS rank FROM keywords GROUP BY category
),
linked AS (
    SELECT l.item_key,
        arg_max(c.category, (c.created, c.id)) AS category,
        arg_max(c.id, (c.created, c.id)) AS incident_id,
        list(DISTINCT c.id ORDER BY c.id) AS incident_ids
    FROM links l JOIN cats c ON c.id = l.incident_id
    GROUP BY l.item_key
),
debt AS (
    -- every candidate is in facts_incident_items: linked items and debt-labelled ones
    SELECT w.*, lk.category AS linked_category, lk.incident_id AS latest_incident,
        coalesce(lk.incident_ids, []) AS incident_ids,
        coalesce(f.debt_labelled, false) AS debt_label
    FROM facts_incident_items w
    LEFT JOIN linked lk ON lk.item_key = w.key
    LEFT JOIN facts_followup_items f ON f.key = w.key
    WHERE ($projects IS NULL OR list_contains($projects, w.project))
      AND NOT list_contains($postmortem_types, lower(w.type))
      AND (lk.item_key IS NOT NULL OR f.debt_labelled)
),
named AS (
    SELECT d.key, arg_min(n.category, n.rank) AS category
    FROM (SELECT key, unnest(tokens) AS token FROM debt WHERE linked_category IS NULL) d
    JOIN category_names n ON lower(n.category) = d.token
    GROUP BY d.key
),
keyword_hits AS (
    SELECT d.key, arg_min(k.category, k.rank) AS category, arg_min(k.word, k.rank) AS word
    FROM debt d
    JOIN keywords k ON contains(d.search_text, lower(k.word))
    WHERE d.linked_category IS NULL
    GROUP BY d.key
)
SELECT d.key, d.type, d.summary, d.status, d.status_category, d.priority, d.created, d.resolved,
    d.resolved IS NOT NULL AS done, d.points, d.labels, d.components, d.sprints,
    d.incident_ids, d.debt_label,
    coalesce(d.linked_category, nm.category, kh.category, 'other') AS category,
    CASE
        WHEN d.linked_category IS NOT NULL THEN 'linked incident ' || d.latest_incident
        WHEN nm.category IS NOT NULL THEN 'label or component'
        WHEN kh.category IS NOT NULL THEN 'keyword "' || kh.word || '"'
        ELSE 'no rule matched'
    END AS category_rule
FROM debt d
LEFT JOIN named nm ON nm.key = d.key
LEFT JOIN keyword_hits kh ON kh.key = d.key
ORDER BY d.created, d.key
