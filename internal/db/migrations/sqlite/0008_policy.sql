-- The policy supermarket (政策超市): policies and their versions, applications
-- for the money (政策兑现) with their steps and clock stops, 公示 batches and
-- objections, payments, 免申即享 runs, and the pushes telling firms of
-- policies they now qualify for.
--
-- A policy is identified by its code; every version keeps the whole
-- definition (the agreed JSON) in `definition`, with copies of the fields
-- lists filter on. A published version never changes (triggers below).

CREATE TABLE policies (
    id                INTEGER PRIMARY KEY,
    code              TEXT NOT NULL UNIQUE,
    status            TEXT NOT NULL CHECK (status IN ('draft', 'published', 'unpublished')),
    latest_version    INTEGER NOT NULL,
    published_version INTEGER NOT NULL DEFAULT 0,
    pushed_version    INTEGER NOT NULL DEFAULT 0,   -- the newest version whose eligible firms were told
    rev               INTEGER NOT NULL DEFAULT 1,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);

CREATE TABLE policy_versions (
    policy_id       BIGINT NOT NULL REFERENCES policies (id),
    number          INTEGER NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('draft', 'published')),
    effective_from  TEXT,
    title           TEXT NOT NULL,
    level           TEXT NOT NULL,
    shelf           TEXT NOT NULL,
    mode            TEXT NOT NULL,
    department_code TEXT NOT NULL REFERENCES departments (code),
    valid_from      TEXT NOT NULL,
    valid_to        TEXT NOT NULL DEFAULT '',
    definition      TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    created_by      TEXT NOT NULL,
    published_at    TIMESTAMP,
    published_by    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (policy_id, number)
);
CREATE INDEX policy_versions_published ON policy_versions (state, effective_from);

CREATE TABLE policy_applications (
    id               INTEGER PRIMARY KEY,
    app_no           TEXT NOT NULL UNIQUE,
    policy_id        BIGINT NOT NULL REFERENCES policies (id),
    policy_version   INTEGER NOT NULL,
    enterprise_id    BIGINT NOT NULL REFERENCES enterprises (id),
    period           TEXT NOT NULL,
    state            TEXT NOT NULL,
    resume_state     TEXT NOT NULL DEFAULT '',
    requested_fen    BIGINT NOT NULL CHECK (requested_fen >= 0),
    entitled_fen     BIGINT,
    approved_fen     BIGINT,
    first_approved_by BIGINT,
    first_approver   TEXT NOT NULL DEFAULT '',
    form             TEXT NOT NULL DEFAULT '{}',
    eligibility      TEXT NOT NULL DEFAULT '{}',
    time_limit_days  INTEGER NOT NULL,
    submitted_at     TIMESTAMP NOT NULL,
    submitted_on     TEXT NOT NULL,
    due_on           TEXT NOT NULL,
    decided_on       TEXT,
    decision_note    TEXT NOT NULL DEFAULT '',
    objection_until  TEXT,
    filed_by         BIGINT,
    rev              INTEGER NOT NULL DEFAULT 1,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX policy_applications_enterprise ON policy_applications (enterprise_id, submitted_at);
CREATE INDEX policy_applications_policy ON policy_applications (policy_id, state);
CREATE INDEX policy_applications_state ON policy_applications (state, due_on);
-- One live application per enterprise, policy and period.
CREATE UNIQUE INDEX policy_applications_live ON policy_applications (enterprise_id, policy_id, period)
    WHERE state NOT IN ('rejected', 'withdrawn');

CREATE TABLE policy_application_steps (
    id             INTEGER PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES policy_applications (id),
    action         TEXT NOT NULL,
    from_state     TEXT NOT NULL,
    to_state       TEXT NOT NULL,
    actor_id       BIGINT,
    actor          TEXT NOT NULL,
    role           TEXT NOT NULL,
    opinion        TEXT NOT NULL DEFAULT '',
    amount_fen     BIGINT,
    detail         TEXT NOT NULL DEFAULT '{}',
    at             TIMESTAMP NOT NULL
);
CREATE INDEX policy_application_steps_app ON policy_application_steps (application_id, id);

CREATE TABLE policy_application_pauses (
    id             INTEGER PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES policy_applications (id),
    reason         TEXT NOT NULL,
    from_on        TEXT NOT NULL,
    to_on          TEXT
);
CREATE INDEX policy_application_pauses_app ON policy_application_pauses (application_id);

CREATE TABLE policy_application_materials (
    application_id BIGINT NOT NULL REFERENCES policy_applications (id),
    seq            INTEGER NOT NULL,
    name           TEXT NOT NULL,
    required       BOOLEAN NOT NULL,
    source         TEXT NOT NULL,
    file_id        TEXT REFERENCES files (id),
    PRIMARY KEY (application_id, seq)
);

CREATE TABLE policy_publicity_batches (
    id          INTEGER PRIMARY KEY,
    policy_id   BIGINT NOT NULL REFERENCES policies (id),
    starts_on   TEXT NOT NULL,
    ends_on     TEXT NOT NULL,
    days        INTEGER NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('open', 'closed')),
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    closed_at   TIMESTAMP
);
CREATE INDEX policy_publicity_batches_state ON policy_publicity_batches (state, ends_on);

CREATE TABLE policy_publicity_items (
    batch_id       BIGINT NOT NULL REFERENCES policy_publicity_batches (id),
    application_id BIGINT NOT NULL UNIQUE REFERENCES policy_applications (id),
    amount_fen     BIGINT NOT NULL,
    PRIMARY KEY (batch_id, application_id)
);

CREATE TABLE policy_publicity_objections (
    id             INTEGER PRIMARY KEY,
    batch_id       BIGINT NOT NULL REFERENCES policy_publicity_batches (id),
    application_id BIGINT NOT NULL REFERENCES policy_applications (id),
    name           TEXT NOT NULL,
    contact        TEXT NOT NULL,
    reason         TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('open', 'upheld', 'dismissed')),
    decision_note  TEXT NOT NULL DEFAULT '',
    decided_by     TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL,
    decided_at     TIMESTAMP
);
CREATE INDEX policy_publicity_objections_app ON policy_publicity_objections (application_id, state);

CREATE TABLE policy_runs (
    id             INTEGER PRIMARY KEY,
    policy_id      BIGINT NOT NULL REFERENCES policies (id),
    policy_version INTEGER NOT NULL,
    period         TEXT NOT NULL,
    as_of          TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('listed', 'confirmed')),
    eligible       INTEGER NOT NULL,
    total_fen      BIGINT NOT NULL,
    created_by     TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    confirmed_by   TEXT NOT NULL DEFAULT '',
    confirmed_at   TIMESTAMP,
    rev            INTEGER NOT NULL DEFAULT 1,
    UNIQUE (policy_id, period)
);

CREATE TABLE policy_run_items (
    id            INTEGER PRIMARY KEY,
    run_id        BIGINT NOT NULL REFERENCES policy_runs (id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
    amount_fen    BIGINT NOT NULL CHECK (amount_fen >= 0),
    state         TEXT NOT NULL CHECK (state IN ('listed', 'account_confirmed', 'paid')),
    bank_name     TEXT NOT NULL DEFAULT '',
    account_name  TEXT NOT NULL DEFAULT '',
    account_no    TEXT NOT NULL DEFAULT '',
    account_tail  TEXT NOT NULL DEFAULT '',
    confirmed_by  BIGINT,
    confirmed_at  TIMESTAMP,
    UNIQUE (run_id, enterprise_id)
);
CREATE INDEX policy_run_items_enterprise ON policy_run_items (enterprise_id);

-- Never two payments for the same enterprise, policy and period, whatever
-- the path (application or 免申即享 run): the database refuses the second.
CREATE TABLE policy_payments (
    id             INTEGER PRIMARY KEY,
    enterprise_id  BIGINT NOT NULL REFERENCES enterprises (id),
    policy_id      BIGINT NOT NULL REFERENCES policies (id),
    period         TEXT NOT NULL,
    policy_version INTEGER NOT NULL,
    application_id BIGINT REFERENCES policy_applications (id),
    run_item_id    BIGINT REFERENCES policy_run_items (id),
    amount_fen     BIGINT NOT NULL CHECK (amount_fen > 0),
    paid_on        TEXT NOT NULL,
    reference      TEXT NOT NULL,
    started_on     TEXT NOT NULL,
    recorded_by    TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    UNIQUE (enterprise_id, policy_id, period),
    CHECK ((application_id IS NULL) <> (run_item_id IS NULL))
);
CREATE INDEX policy_payments_paid_on ON policy_payments (paid_on);

-- One push per enterprise and policy: a firm is told once that it qualifies.
CREATE TABLE policy_pushes (
    id             INTEGER PRIMARY KEY,
    policy_id      BIGINT NOT NULL REFERENCES policies (id),
    policy_version INTEGER NOT NULL,
    enterprise_id  BIGINT NOT NULL REFERENCES enterprises (id),
    reason         TEXT NOT NULL CHECK (reason IN ('published', 'profile_changed')),
    created_at     TIMESTAMP NOT NULL,
    UNIQUE (policy_id, enterprise_id)
);
CREATE INDEX policy_pushes_enterprise ON policy_pushes (enterprise_id, created_at);
CREATE INDEX policy_pushes_created ON policy_pushes (created_at);

-- A published version is the record decisions were made under.
CREATE TRIGGER policy_versions_published_no_update BEFORE UPDATE ON policy_versions
WHEN OLD.state = 'published'
BEGIN SELECT RAISE(ABORT, 'published policy versions are immutable'); END;
CREATE TRIGGER policy_versions_published_no_delete BEFORE DELETE ON policy_versions
WHEN OLD.state = 'published'
BEGIN SELECT RAISE(ABORT, 'published policy versions are immutable'); END;
