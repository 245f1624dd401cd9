-- Aduan schema, version 1: complaints, their append-only history, ticket counters and idempotency keys.
-- Forward-only: never edit this file once shipped; add aduan_0002_*.sql instead.

CREATE TABLE complaint (
    id                  INTEGER PRIMARY KEY,
    ticket              TEXT NOT NULL UNIQUE CHECK (ticket GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9]*'),
    category            TEXT NOT NULL CHECK (length(category) BETWEEN 1 AND 64),
    description         TEXT NOT NULL CHECK (length(description) BETWEEN 10 AND 4000),
    region              TEXT NOT NULL CHECK (region GLOB '[0-9][0-9]*'),
    lat                 REAL CHECK (lat BETWEEN -90 AND 90),
    lng                 REAL CHECK (lng BETWEEN -180 AND 180),
    address             TEXT CHECK (length(address) <= 500),
    reporter_name       TEXT CHECK (length(reporter_name) <= 100),
    reporter_phone      TEXT CHECK (length(reporter_phone) <= 32),
    visibility          TEXT NOT NULL CHECK (visibility IN ('public', 'private')),
    anonymous           INTEGER NOT NULL CHECK (anonymous IN (0, 1)),
    status              TEXT NOT NULL CHECK (status IN
                            ('submitted', 'in_progress', 'waiting_info', 'resolved', 'closed', 'rejected', 'duplicate', 'reopened')),
    opd                 TEXT NOT NULL,
    routing_rule        TEXT NOT NULL,
    response_due_at     TEXT NOT NULL,
    resolution_due_at   TEXT NOT NULL,
    tracking_token_hash TEXT NOT NULL UNIQUE CHECK (length(tracking_token_hash) = 64),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    CHECK ((lat IS NULL) = (lng IS NULL))
);
CREATE INDEX complaint_opd_status ON complaint (opd, status, response_due_at);
CREATE INDEX complaint_created_at ON complaint (created_at);

CREATE TABLE complaint_event (
    id                  INTEGER PRIMARY KEY,
    complaint_id        INTEGER NOT NULL REFERENCES complaint (id),
    kind                TEXT NOT NULL CHECK (kind IN ('submitted', 'routed', 'forwarded', 'status_changed', 'comment',
                            'evidence', 'rating', 'merged', 'sla_at_risk', 'sla_breached', 'escalated')),
    actor_kind          TEXT NOT NULL CHECK (actor_kind IN ('citizen', 'staff', 'system')),
    actor_id            TEXT,
    at                  TEXT NOT NULL,
    visible_to_reporter INTEGER NOT NULL CHECK (visible_to_reporter IN (0, 1)),
    details             TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details))
);
CREATE INDEX complaint_event_complaint ON complaint_event (complaint_id, id);

-- The history is the audit log: it is only ever appended to.
CREATE TRIGGER complaint_event_no_update BEFORE UPDATE ON complaint_event
BEGIN SELECT RAISE(ABORT, 'complaint_event is append-only'); END;
CREATE TRIGGER complaint_event_no_delete BEFORE DELETE ON complaint_event
BEGIN SELECT RAISE(ABORT, 'complaint_event is append-only'); END;

-- The last ticket sequence handed out in each period (YYMM of the filing date, WIB).
CREATE TABLE ticket_counter (
    period              TEXT PRIMARY KEY CHECK (period GLOB '[0-9][0-9][0-9][0-9]'),
    last_sequence       INTEGER NOT NULL CHECK (last_sequence >= 0)
);

-- A retried submission with the same Idempotency-Key returns the complaint it made. Only hashes are kept: the
-- key's hash finds the row, and the tracking token is kept masked with a pad derived from the key, so that only
-- the client holding the key can get the token back.
CREATE TABLE idempotency_key (
    key_hash            TEXT PRIMARY KEY CHECK (length(key_hash) = 64),
    request_hash        TEXT NOT NULL CHECK (length(request_hash) = 64),
    complaint_id        INTEGER NOT NULL REFERENCES complaint (id),
    masked_token        BLOB NOT NULL CHECK (length(masked_token) = 32),
    created_at          TEXT NOT NULL
);
