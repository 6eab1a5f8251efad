-- Indicators (internal/stats) count each kind of case event in the month it
-- happened, within a period and often for one department. Acceptances and
-- decisions get an index that leads with their date and carries the
-- columns the indicators read, so a month or a year is answered from the
-- index without visiting the wide case rows. Both are partial: a case
-- enters them only when it is accepted or decided, so filing a case writes
-- neither. Applications use cases_submitted_on (0006); ratings are written
-- once each and read by the day they were given.
--
-- Department-leading variants, a covering index on submissions, one on
-- case ids and one on rectifications were measured too (docs/benchmarks.md,
-- "Government services") and left out: those on cases would each add work
-- to case writes for little gain once the department is checked on these
-- indexes' entries, and rectifications are too few to need one.
CREATE INDEX cases_accepted_facts ON cases (accepted_on, kind, department_code, accepted_by) WHERE accepted_on IS NOT NULL;
CREATE INDEX cases_decided_facts ON cases (decided_on, kind, decision, department_code, accepted_on, due_on, id) WHERE decided_on IS NOT NULL;
CREATE INDEX ratings_rated_on ON ratings (rated_on, excluded, level, case_id);
