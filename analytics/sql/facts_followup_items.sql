-- facts_followup_items: work items that are post-mortem documents or carry an action-item label,
-- found once per data version instead of scanning every item's labels on each query.
SELECT key, project,
    list_contains($postmortem_types, lower(type)) AS postmortem_doc,
    list_has_any(list_transform(labels, lambda l: lower(l)), $action_item_labels) AS action_labelled
FROM work_items
WHERE list_contains($postmortem_types, lower(type))
   OR list_has_any(list_transform(labels, lambda l: lower(l)), $action_item_labels)
