-- Aduan schema, version 8: Open311 GeoReport v2. The answers to a category's extra questions (attributes), the API
-- keys of the civic apps that file through Open311, and what such a filing brought besides the complaint.
-- Forward-only: never edit this file once shipped.

-- One answer to a category's question; a multi-value answer is one row per value, in the order given.
CREATE TABLE complaint_attribute (
    complaint_id    INTEGER NOT NULL REFERENCES complaint (id),
    code            TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 64),
    position        INTEGER NOT NULL CHECK (position >= 0),
    value           TEXT NOT NULL CHECK (length(value) <= 1000),
    PRIMARY KEY (complaint_id, code, position)
) WITHOUT ROWID;
CREATE TRIGGER complaint_attribute_no_update BEFORE UPDATE ON complaint_attribute
BEGIN SELECT RAISE(ABORT, 'complaint_attribute is append-only'); END;
CREATE TRIGGER complaint_attribute_no_delete BEFORE DELETE ON complaint_attribute
BEGIN SELECT RAISE(ABORT, 'complaint_attribute is append-only'); END;

-- A civic app allowed to file through Open311. Only the key's SHA-256 is kept: the key is shown once, when added.
CREATE TABLE api_key (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    key_hash        TEXT NOT NULL UNIQUE CHECK (length(key_hash) = 64),
    created_at      TEXT NOT NULL,
    revoked_at      TEXT
);

-- What was done to an API key, by which operating-system account (append-only).
CREATE TABLE api_key_event (
    id              INTEGER PRIMARY KEY,
    api_key_id      INTEGER NOT NULL REFERENCES api_key (id),
    kind            TEXT NOT NULL CHECK (kind IN ('added', 'revoked')),
    at              TEXT NOT NULL,
    operator        TEXT NOT NULL CHECK (length(operator) BETWEEN 1 AND 100)
);
CREATE INDEX api_key_event_key ON api_key_event (api_key_id, id);
CREATE TRIGGER api_key_event_no_update BEFORE UPDATE ON api_key_event
BEGIN SELECT RAISE(ABORT, 'api_key_event is append-only'); END;
CREATE TRIGGER api_key_event_no_delete BEFORE DELETE ON api_key_event
BEGIN SELECT RAISE(ABORT, 'api_key_event is append-only'); END;

-- A complaint filed through Open311: the key that filed it (which may see it while it is private), the token that
-- tokens/{id} answers for, and what the client sent that the complaint itself has no column for. The email is the
-- reporter's, as personal as their phone.
CREATE TABLE open311_request (
    complaint_id    INTEGER PRIMARY KEY REFERENCES complaint (id),
    api_key_id      INTEGER NOT NULL REFERENCES api_key (id),
    token           TEXT NOT NULL UNIQUE,
    email           TEXT CHECK (length(email) <= 254),
    device_id       TEXT CHECK (length(device_id) <= 200),
    account_id      TEXT CHECK (length(account_id) <= 200),
    media_url       TEXT CHECK (length(media_url) <= 2000)
);
CREATE INDEX open311_request_key ON open311_request (api_key_id, complaint_id);
CREATE TRIGGER open311_request_no_update BEFORE UPDATE ON open311_request
BEGIN SELECT RAISE(ABORT, 'open311_request is append-only'); END;

-- Open311's public list reads public complaints by filing time, of every category or of some.
CREATE INDEX complaint_public_created ON complaint (created_at) WHERE visibility = 'public';
CREATE INDEX complaint_public_category_created ON complaint (category, created_at) WHERE visibility = 'public';

-- Open311's status updates: the events that move a complaint, by time.
CREATE INDEX complaint_event_update ON complaint_event (at)
    WHERE kind IN ('status_changed', 'forwarded', 'merged') AND visible_to_reporter = 1;
