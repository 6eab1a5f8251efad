-- Working-day calendar: holiday schedules loaded by administrators. One row
-- per year holds the State Council's schedule in the holiday-cn JSON format
-- (as validated and applied); it overrides the schedule built into the
-- binary for that year.

CREATE TABLE holiday_years (
    year      INTEGER PRIMARY KEY,
    data      TEXT NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    loaded_by TEXT NOT NULL
);
