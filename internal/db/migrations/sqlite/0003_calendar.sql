-- Working-day calendar: holiday schedules loaded by administrators.
SELECT 1;
