-- 三级四务 service network: service points at three tiers plus consult/agency
-- points, the four services each offers (党务/政务/商务/生活) and the matters
-- each takes in on an enterprise's behalf (代办).
--
-- Coordinates are WGS-84 decimal degrees (see internal/servicepoint).
-- matter_code deliberately has no foreign key to the matter catalogue: the
-- catalogue is validated by the service, and a retired matter's code stays
-- readable in old rows.

CREATE TABLE service_points (
    id             INTEGER PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    name_en        TEXT NOT NULL DEFAULT '',
    tier           TEXT NOT NULL CHECK (tier IN ('street', 'community', 'park', 'agency')),
    agency_kind    TEXT NOT NULL DEFAULT '' CHECK (agency_kind IN ('', 'bank', 'post', 'incubator', 'association', 'other')),
    street_code    TEXT NOT NULL,
    address        TEXT NOT NULL DEFAULT '',
    latitude       REAL,
    longitude      REAL,
    hours          TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    contact_person TEXT NOT NULL DEFAULT '',
    svc_party      BOOLEAN NOT NULL DEFAULT FALSE,
    svc_government BOOLEAN NOT NULL DEFAULT FALSE,
    svc_business   BOOLEAN NOT NULL DEFAULT FALSE,
    svc_life       BOOLEAN NOT NULL DEFAULT FALSE,
    description    TEXT NOT NULL DEFAULT '',
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    CHECK ((tier = 'agency') = (agency_kind <> '')),
    CHECK ((latitude IS NULL) = (longitude IS NULL))
);
CREATE INDEX service_points_street ON service_points (street_code);
CREATE INDEX service_points_tier ON service_points (tier, street_code);

CREATE TABLE service_point_matters (
    point_id    BIGINT NOT NULL REFERENCES service_points (id) ON DELETE CASCADE,
    matter_code TEXT NOT NULL,
    PRIMARY KEY (point_id, matter_code)
);
CREATE INDEX service_point_matters_matter ON service_point_matters (matter_code);
