-- A 异议 upheld sends a rejected policy application back to review on a
-- fresh working-day clock. The clock starts at review_from (NULL: the day
-- of submission); submitted_on stays the day the firm applied, from which
-- the time to payment is counted.
ALTER TABLE policy_applications ADD COLUMN review_from TEXT;
