-- Government-service matter catalogue (政务服务事项目录) and 一件事 bundles.
--
-- A matter (事项) is identified by its 实施编码; every edit adds a row to
-- matter_versions and moves matters.current_version, so a case keeps the
-- version it was filed under. Versions and their materials are never changed
-- or deleted (triggers below). The columns of matters other than the keys
-- copy the current version — name, type and the derived flags — so that the
-- catalogue can be filtered without reading every version; the service
-- rewrites them on every write.

CREATE TABLE matters (
    code            TEXT PRIMARY KEY,                 -- 实施编码
    basic_code      TEXT NOT NULL,                    -- 基本编码 (12 characters)
    department_code TEXT NOT NULL REFERENCES departments (code),
    current_version INTEGER NOT NULL,
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    name            TEXT NOT NULL,
    name_en         TEXT NOT NULL DEFAULT '',
    matter_type     TEXT NOT NULL,
    zero_visit      BOOLEAN NOT NULL,                 -- 零跑腿: visits = 0
    max_one_visit   BOOLEAN NOT NULL,                 -- 最多跑一次: visits <= 1
    full_online     BOOLEAN NOT NULL,                 -- 全程网办: online depth 4
    zero_materials  BOOLEAN NOT NULL,                 -- 零材料: no required material from the applicant
    instant         BOOLEAN NOT NULL,                 -- 即办件
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX matters_department ON matters (department_code);
CREATE INDEX matters_basic_code ON matters (basic_code);
CREATE INDEX matters_type ON matters (matter_type);

CREATE TABLE matter_versions (
    matter_code          TEXT NOT NULL REFERENCES matters (code),
    version              INTEGER NOT NULL,
    name                 TEXT NOT NULL,
    name_en              TEXT NOT NULL DEFAULT '',
    matter_type          TEXT NOT NULL,
    department_code      TEXT NOT NULL REFERENCES departments (code),
    exercise_level       TEXT NOT NULL,
    legal_basis          TEXT NOT NULL,
    legal_limit_days     INTEGER NOT NULL CHECK (legal_limit_days >= 0),
    committed_limit_days INTEGER NOT NULL CHECK (committed_limit_days >= 0),
    limit_note           TEXT NOT NULL DEFAULT '',
    case_type            TEXT NOT NULL CHECK (case_type IN ('instant', 'promise')),
    visits               INTEGER NOT NULL CHECK (visits BETWEEN 0 AND 2),
    online_depth         INTEGER NOT NULL CHECK (online_depth BETWEEN 1 AND 4),
    mail_delivery        BOOLEAN NOT NULL,
    fee_basis            TEXT NOT NULL DEFAULT '',
    fee_fen              BIGINT CHECK (fee_fen IS NULL OR fee_fen > 0),  -- NULL: free of charge
    accept_conditions    TEXT NOT NULL DEFAULT '',
    process              TEXT NOT NULL DEFAULT '',
    location             TEXT NOT NULL DEFAULT '',
    hours                TEXT NOT NULL DEFAULT '',
    consult_phone        TEXT NOT NULL DEFAULT '',
    complaint_phone      TEXT NOT NULL DEFAULT '',
    result_name          TEXT NOT NULL DEFAULT '',
    events               TEXT NOT NULL DEFAULT '[]',   -- JSON array of event codes
    form_fields          TEXT NOT NULL DEFAULT '[]',   -- JSON array of form fields
    change_note          TEXT NOT NULL DEFAULT '',
    created_at           TIMESTAMPTZ NOT NULL,
    created_by           TEXT NOT NULL,
    PRIMARY KEY (matter_code, version)
);

CREATE TABLE matter_materials (
    matter_code TEXT NOT NULL,
    version     INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    name        TEXT NOT NULL,
    required    BOOLEAN NOT NULL,
    form        TEXT NOT NULL CHECK (form IN ('original', 'copy', 'electronic')),
    copies      INTEGER NOT NULL CHECK (copies >= 0),
    source      TEXT NOT NULL CHECK (source IN ('applicant', 'license', 'department', 'platform')),
    source_ref  TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (matter_code, version, seq),
    FOREIGN KEY (matter_code, version) REFERENCES matter_versions (matter_code, version)
);

-- The 主题 (business/life event) tags of each matter's current version.
CREATE TABLE matter_events (
    matter_code TEXT NOT NULL REFERENCES matters (code),
    event       TEXT NOT NULL,
    PRIMARY KEY (matter_code, event)
);
CREATE INDEX matter_events_event ON matter_events (event);

CREATE TABLE bundles (
    code                 TEXT PRIMARY KEY,
    name                 TEXT NOT NULL,
    name_en              TEXT NOT NULL DEFAULT '',
    description          TEXT NOT NULL DEFAULT '',
    events               TEXT NOT NULL DEFAULT '[]',
    committed_limit_days INTEGER NOT NULL CHECK (committed_limit_days >= 0),
    lead_department_code TEXT NOT NULL REFERENCES departments (code),
    active               BOOLEAN NOT NULL DEFAULT TRUE,
    form_fields          TEXT NOT NULL DEFAULT '[]',
    version              INTEGER NOT NULL DEFAULT 1,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);

CREATE TABLE bundle_members (
    bundle_code TEXT NOT NULL REFERENCES bundles (code),
    matter_code TEXT NOT NULL REFERENCES matters (code),
    seq         INTEGER NOT NULL,
    PRIMARY KEY (bundle_code, matter_code)
);
CREATE INDEX bundle_members_matter ON bundle_members (matter_code);

-- Versions are the record a case was filed under: never changed or removed.
CREATE FUNCTION matter_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are immutable', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER matter_versions_no_change BEFORE UPDATE OR DELETE ON matter_versions
    FOR EACH ROW EXECUTE FUNCTION matter_versions_immutable();
CREATE TRIGGER matter_materials_no_change BEFORE UPDATE OR DELETE ON matter_materials
    FOR EACH ROW EXECUTE FUNCTION matter_versions_immutable();
