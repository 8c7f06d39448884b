-- leadership_oncall_period: on-call load within [$period_start, $period_end): per person, the
-- shift hours inside the period (shifts clipped to it) and the incidents created during their
-- shifts inside it (start <= created < end), with those out of hours (anything but
-- Monday-Friday 08:00-18:00) and in sleep hours (22:00-08:00 any day).
WITH inc AS ({{ incident_source }}),
shifts AS (
    SELECT person, greatest("start", $period_start) AS "start", least("end", $period_end) AS "end"
    FROM oncall_shifts
    WHERE "start" < $period_end AND "end" > $period_start
),
hours AS (
    SELECT person, sum(epoch("end" - "start")) / 3600.0 AS shift_hours, count(*) AS shifts
    FROM shifts GROUP BY person
),
during AS (
    SELECT DISTINCT s.person, i.id, i.created
    FROM shifts s JOIN inc i ON i.created >= s."start" AND i.created < s."end"
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
