-- facts_summary: one row: the moment of the export (latest created or resolved time of the
-- work items), the as-of used to decide which sprints are completed and how old items are.
SELECT max(greatest(created, coalesce(resolved, created))) AS as_of FROM work_items
