-- oncall_rotation: every on-call shift in start order, with its length in hours.
SELECT person, "start", "end", epoch("end" - "start") / 3600.0 AS hours
FROM oncall_shifts
ORDER BY "start", person
