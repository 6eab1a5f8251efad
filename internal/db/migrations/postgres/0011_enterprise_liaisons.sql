-- Each enterprise is served by at most one liaison officer (亲清特使), who
-- follows up the policies it is told of. The officer is an account with
-- the liaison role; the service checks the role and that it is active.
CREATE TABLE enterprise_liaisons (
    enterprise_id BIGINT PRIMARY KEY REFERENCES enterprises (id) ON DELETE CASCADE,
    account_id    BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    assigned_by   BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    assigned_at   TIMESTAMPTZ NOT NULL
);
-- An officer's firms: the pushes list and the inbox look them up.
CREATE INDEX enterprise_liaisons_account ON enterprise_liaisons (account_id);
