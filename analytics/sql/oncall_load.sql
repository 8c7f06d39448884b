-- oncall_load: per person, shift hours and the incidents created during their shifts
-- (start <= created < end), with those out of hours (anything but Monday-Friday 08:00-18:00)
-- and in sleep hours (22:00-08:00 any day). With $period_start / $period_end set, only
-- [period_start, period_end) counts: shifts are clipped to it (NULL: no bound).
WITH cats AS ({{ incident_source }}),
shifts AS (
    SELECT person,
        greatest("start", coalesce(CAST($period_start AS TIMESTAMP), "start")) AS "start",
        least("end", coalesce(CAST($period_end AS TIMESTAMP), "end")) AS "end"
    FROM oncall_shifts
    WHERE ($period_end IS NULL OR "start" < CAST($period_end AS TIMESTAMP))
      AND ($period_start IS NULL OR "end" > CAST($period_start AS TIMESTAMP))
),
hours AS (
    SELECT person, sum(epoch("end" - "start")) / 3600.0 AS shift_hours, count(*) AS shifts
    FROM shifts GROUP BY person
),
during AS (
    SELECT DISTINCT s.person, i.id, i.created
    FROM shifts s JOIN cats i ON i.created >= s."start" AND i.created < s."end"
)
SELECT h.person, h.shift_hours, h.shifts,
    count(d.id) AS incidents,
    count(d.id) FILTER (WHERE NOT (isodow(d.created) BETWEEN 1 AND 5 AND hour(d.created) >= 8 AND hour(d.created) < 18))
        AS out_of_hours_incidents,
    count(d.id) FILTER (WHERE hour(d.created) >= 22 OR hour(d.created) < 8) AS sleep_hour_incidents
FROM hours h
LEFT JOIN during d ON d.person = h.person
GROUP BY h.person, h.shift_hours, h.shifts
ORDER BY h.person
