-- data_as_of: the latest created or resolved timestamp of the work items (the export's "now").
SELECT max(greatest(created, coalesce(resolved, created))) AS as_of FROM work_items
