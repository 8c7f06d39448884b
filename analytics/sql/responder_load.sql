-- responder_load: without an on-call schedule, per responder named in the incident data: the
-- incidents they responded to, of those the out-of-hours ones (anything but Monday-Friday
-- 08:00-18:00) and the sleep-hour ones (22:00-08:00 any day).
WITH inc AS ({{ incident_source }})
SELECT coalesce(nullif(trim(responder), ''), '(no responder)') AS person,
    count(*) AS incidents,
    count(*) FILTER (WHERE NOT (isodow(created) BETWEEN 1 AND 5 AND hour(created) >= 8 AND hour(created) < 18))
        AS out_of_hours_incidents,
    count(*) FILTER (WHERE hour(created) >= 22 OR hour(created) < 8) AS sleep_hour_incidents
FROM inc
GROUP BY 1
ORDER BY 1
