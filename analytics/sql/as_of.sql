-- as_of: the moment of the export (see facts_summary).
SELECT as_of FROM facts_summary
