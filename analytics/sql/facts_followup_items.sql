-- facts_followup_items: work items that are post-mortem documents, carry an action-item label or
-- a tech-debt label, found once per data version instead of scanning every item's labels on each query.
SELECT key, project, postmortem_doc, action_labelled, debt_labelled
FROM (
    SELECT key, project,
        list_contains($postmortem_types, lower(type)) AS postmortem_doc,
        list_has_any(list_transform(labels, lambda l: lower(l)), $action_item_labels) AS action_labelled,
        list_has_any(list_transform(labels, lambda l: lower(trim(l))), $debt_labels) AS debt_labelled
    FROM work_items
)
WHERE postmortem_doc OR action_labelled OR debt_labelled
