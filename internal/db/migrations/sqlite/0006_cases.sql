-- Cases (办件) and what goes with them: uploaded files, certificates the
-- platform has issued, ratings (好差评) and their rectification, the in-app
-- inbox and the SMS/e-mail outbox. Agents are bound to a service point.

ALTER TABLE accounts ADD COLUMN service_point_code TEXT;

CREATE TABLE files (
    id          TEXT PRIMARY KEY,
    size        BIGINT NOT NULL,
    mime        TEXT NOT NULL,
    ext         TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);

CREATE TABLE file_owners (
    file_id       TEXT NOT NULL REFERENCES files (id),
    account_id    BIGINT NOT NULL REFERENCES accounts (id),
    original_name TEXT NOT NULL,
    uploaded_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (file_id, account_id)
);

CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    last BIGINT NOT NULL
);

CREATE TABLE cases (
    id                 INTEGER PRIMARY KEY,
    case_no            TEXT NOT NULL UNIQUE,
    query_code         TEXT NOT NULL,
    kind               TEXT NOT NULL,
    parent_id          BIGINT REFERENCES cases (id),
    matter_code        TEXT,
    matter_version     INTEGER,
    bundle_code        TEXT,
    title              TEXT NOT NULL,
    enterprise_id      BIGINT NOT NULL REFERENCES enterprises (id),
    applicant_name     TEXT NOT NULL,
    contact_name       TEXT NOT NULL DEFAULT '',
    contact_phone      TEXT NOT NULL DEFAULT '',
    channel            TEXT NOT NULL,
    filed_by           BIGINT REFERENCES accounts (id),
    filed_by_role      TEXT NOT NULL,
    service_point_code TEXT,
    authorization_note TEXT NOT NULL DEFAULT '',
    department_code    TEXT NOT NULL,
    state              TEXT NOT NULL,
    resume_state       TEXT,
    form               TEXT NOT NULL DEFAULT '{}',
    case_type          TEXT NOT NULL,
    committed_days     INTEGER NOT NULL,
    legal_days         INTEGER NOT NULL,
    submitted_at       TIMESTAMP NOT NULL,
    submitted_on       TEXT NOT NULL,
    accepted_at        TIMESTAMP,
    accepted_on        TEXT,
    accepted_by        BIGINT,
    accept_doc_no      TEXT NOT NULL DEFAULT '',
    reject_doc_no      TEXT NOT NULL DEFAULT '',
    supplement_doc_no  TEXT NOT NULL DEFAULT '',
    due_on             TEXT,
    decided_at         TIMESTAMP,
    decided_on         TEXT,
    decision           TEXT NOT NULL DEFAULT '',
    decision_note      TEXT NOT NULL DEFAULT '',
    legal_basis        TEXT NOT NULL DEFAULT '',
    certificate_name   TEXT NOT NULL DEFAULT '',
    certificate_no     TEXT NOT NULL DEFAULT '',
    delivery_method    TEXT NOT NULL DEFAULT '',
    delivery_address   TEXT NOT NULL DEFAULT '',
    tracking_no        TEXT NOT NULL DEFAULT '',
    delivered_at       TIMESTAMP,
    deadline_status    TEXT NOT NULL DEFAULT 'none',
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL
);
CREATE INDEX cases_enterprise ON cases (enterprise_id, submitted_at);
CREATE INDEX cases_department_state ON cases (department_code, state);
CREATE INDEX cases_state ON cases (state, due_on);
CREATE INDEX cases_parent ON cases (parent_id);
CREATE INDEX cases_submitted_on ON cases (submitted_on);

CREATE TABLE case_steps (
    id              INTEGER PRIMARY KEY,
    case_id         BIGINT NOT NULL REFERENCES cases (id),
    action          TEXT NOT NULL,
    from_state      TEXT NOT NULL,
    to_state        TEXT NOT NULL,
    actor_id        BIGINT,
    actor           TEXT NOT NULL,
    role            TEXT NOT NULL,
    department_code TEXT NOT NULL DEFAULT '',
    opinion         TEXT NOT NULL DEFAULT '',
    detail          TEXT NOT NULL DEFAULT '{}',
    at              TIMESTAMP NOT NULL
);
CREATE INDEX case_steps_case ON case_steps (case_id, id);

CREATE TABLE case_pauses (
    id           INTEGER PRIMARY KEY,
    case_id      BIGINT NOT NULL REFERENCES cases (id),
    kind         TEXT NOT NULL,
    special_type TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL,
    from_on      TEXT NOT NULL,
    to_on        TEXT,
    started_at   TIMESTAMP NOT NULL,
    ended_at     TIMESTAMP
);
CREATE INDEX case_pauses_case ON case_pauses (case_id);

CREATE TABLE case_materials (
    case_id     BIGINT NOT NULL REFERENCES cases (id),
    seq         INTEGER NOT NULL,
    name        TEXT NOT NULL,
    required    BOOLEAN NOT NULL,
    source      TEXT NOT NULL,
    status      TEXT NOT NULL,
    file_id     TEXT REFERENCES files (id),
    reused_from TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (case_id, seq)
);

CREATE TABLE case_missing (
    case_id     BIGINT NOT NULL REFERENCES cases (id),
    round       INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    name        TEXT NOT NULL,
    requirement TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (case_id, round, seq)
);

CREATE TABLE certificates (
    id              INTEGER PRIMARY KEY,
    enterprise_id   BIGINT NOT NULL REFERENCES enterprises (id),
    name            TEXT NOT NULL,
    number          TEXT NOT NULL,
    issued_on       TEXT NOT NULL,
    department_code TEXT NOT NULL,
    case_id         BIGINT REFERENCES cases (id),
    created_at      TIMESTAMP NOT NULL,
    UNIQUE (name, number)
);
CREATE INDEX certificates_enterprise ON certificates (enterprise_id, name);

CREATE TABLE ratings (
    id        INTEGER PRIMARY KEY,
    case_id   BIGINT NOT NULL UNIQUE REFERENCES cases (id),
    level     INTEGER NOT NULL,
    comment   TEXT NOT NULL DEFAULT '',
    rated_by  BIGINT REFERENCES accounts (id),
    real_name BOOLEAN NOT NULL,
    excluded  BOOLEAN NOT NULL DEFAULT FALSE,
    rated_at  TIMESTAMP NOT NULL,
    rated_on  TEXT NOT NULL
);

CREATE TABLE rectifications (
    id                INTEGER PRIMARY KEY,
    rating_id         BIGINT NOT NULL UNIQUE REFERENCES ratings (id),
    case_id           BIGINT NOT NULL REFERENCES cases (id),
    department_code   TEXT NOT NULL,
    state             TEXT NOT NULL,
    due_on            TEXT NOT NULL,
    contact_note      TEXT NOT NULL DEFAULT '',
    rectify_note      TEXT NOT NULL DEFAULT '',
    return_visit_note TEXT NOT NULL DEFAULT '',
    appeal_reason     TEXT NOT NULL DEFAULT '',
    appeal_note       TEXT NOT NULL DEFAULT '',
    closed_on         TEXT,
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);
CREATE INDEX rectifications_department ON rectifications (department_code, state);

CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY,
    target_kind TEXT NOT NULL,
    target      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    title_en    TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL DEFAULT '',
    body_en     TEXT NOT NULL DEFAULT '',
    link        TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX notifications_target ON notifications (target_kind, target, id);

CREATE TABLE notification_reads (
    notification_id BIGINT NOT NULL REFERENCES notifications (id),
    account_id      BIGINT NOT NULL REFERENCES accounts (id),
    read_at         TIMESTAMP NOT NULL,
    PRIMARY KEY (notification_id, account_id)
);

CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    channel    TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    subject    TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL,
    status     TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    not_before TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    sent_at    TIMESTAMP
);
CREATE INDEX outbox_pending ON outbox (status, not_before);
