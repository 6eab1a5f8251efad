-- Foundation: organisations, accounts and sessions, the audit chain, the
-- enterprise registry (一企一档), background jobs and idempotency keys.

CREATE TABLE departments (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    credit_code TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    address     TEXT NOT NULL DEFAULT '',
    sort        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE institutions (
    code    TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    kind    TEXT NOT NULL DEFAULT 'bank',
    phone   TEXT NOT NULL DEFAULT '',
    sort    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE enterprises (
    id                     INTEGER PRIMARY KEY,
    credit_code            TEXT NOT NULL UNIQUE,
    name                   TEXT NOT NULL,
    legal_rep              TEXT NOT NULL DEFAULT '',
    registered_on          TEXT,
    region_code            TEXT NOT NULL,
    address                TEXT NOT NULL DEFAULT '',
    industry_code          TEXT NOT NULL,
    industry_section       TEXT NOT NULL,
    ownership              TEXT NOT NULL DEFAULT '',
    registered_capital_fen BIGINT,
    contact_name           TEXT NOT NULL DEFAULT '',
    contact_phone          TEXT NOT NULL DEFAULT '',
    business_scope         TEXT NOT NULL DEFAULT '',
    tax_credit_grade       TEXT NOT NULL DEFAULT '',
    dishonest              BOOLEAN NOT NULL DEFAULT FALSE,
    dishonest_note         TEXT NOT NULL DEFAULT '',
    facts_year             INTEGER,
    size_class             TEXT NOT NULL DEFAULT 'unknown',
    above_scale            BOOLEAN,
    created_at             TIMESTAMP NOT NULL,
    updated_at             TIMESTAMP NOT NULL,
    version                INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX enterprises_region ON enterprises (region_code);
CREATE INDEX enterprises_industry ON enterprises (industry_section, industry_code);
CREATE INDEX enterprises_size ON enterprises (size_class);
CREATE INDEX enterprises_name ON enterprises (name);

CREATE TABLE enterprise_facts (
    enterprise_id      BIGINT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    fiscal_year        INTEGER NOT NULL,
    employees          BIGINT,
    revenue_fen        BIGINT,
    assets_fen         BIGINT,
    taxable_income_fen BIGINT,
    rd_expense_fen     BIGINT,
    tech_staff         BIGINT,
    exports_fen        BIGINT,
    source             TEXT NOT NULL DEFAULT 'staff',
    verified           BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at         TIMESTAMP NOT NULL,
    PRIMARY KEY (enterprise_id, fiscal_year)
);

CREATE TABLE tags (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    category    TEXT NOT NULL DEFAULT 'qualification',
    description TEXT NOT NULL DEFAULT '',
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    sort        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE enterprise_tags (
    enterprise_id  BIGINT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
    tag_code       TEXT NOT NULL REFERENCES tags (code),
    valid_from     TEXT,
    valid_to       TEXT,
    certificate_no TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (enterprise_id, tag_code)
);
CREATE INDEX enterprise_tags_tag ON enterprise_tags (tag_code);

CREATE TABLE accounts (
    id                   INTEGER PRIMARY KEY,
    username             TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL DEFAULT '',
    role                 TEXT NOT NULL,
    enterprise_id        BIGINT REFERENCES enterprises (id),
    department_code      TEXT REFERENCES departments (code),
    institution_code     TEXT REFERENCES institutions (code),
    password_hash        TEXT NOT NULL,
    password_changed_at  TIMESTAMP NOT NULL,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    totp_secret          TEXT NOT NULL DEFAULT '',
    totp_enabled         BOOLEAN NOT NULL DEFAULT FALSE,
    totp_last_step       BIGINT NOT NULL DEFAULT 0,
    failed_logins        INTEGER NOT NULL DEFAULT 0,
    locked_until         TIMESTAMP,
    disabled             BOOLEAN NOT NULL DEFAULT FALSE,
    demo                 BOOLEAN NOT NULL DEFAULT FALSE,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL
);

CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    account_id   BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    mfa_pending  BOOLEAN NOT NULL DEFAULT FALSE,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    revoked_at   TIMESTAMP
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE password_history (
    account_id    BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX password_history_account ON password_history (account_id, created_at);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TIMESTAMP NOT NULL,
    actor_id    BIGINT,
    actor       TEXT NOT NULL,
    role        TEXT NOT NULL,
    ip          TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    result      TEXT NOT NULL,
    request_id  TEXT NOT NULL,
    detail      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);
CREATE INDEX audit_log_actor ON audit_log (actor);

-- The chain head lets verification notice rows removed from the end.
CREATE TABLE audit_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    last_id   BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 0, '');

-- The audit log is append-only: the application never updates or deletes it.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE jobs (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    status     TEXT NOT NULL,
    file_name  TEXT NOT NULL DEFAULT '',
    total      INTEGER NOT NULL DEFAULT 0,
    done       INTEGER NOT NULL DEFAULT 0,
    ok         INTEGER NOT NULL DEFAULT 0,
    failed     INTEGER NOT NULL DEFAULT 0,
    report     TEXT NOT NULL DEFAULT '[]',
    error      TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES accounts (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE idempotency_keys (
    account_id   BIGINT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    body         TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (account_id, key)
);
