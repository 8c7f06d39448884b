-- facts_label_sets: the distinct (lower-cased) label lists of the items in sprints, so the
-- label rule is evaluated once per list instead of once per item.
SELECT DISTINCT label_set, labels_lc FROM facts_item_sprints
