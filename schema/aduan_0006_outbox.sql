-- Aduan schema, version 6: events leave the building. The outbox records every announced event in the same
-- transaction as the change; the dispatcher fans it out into deliveries (webhooks to offices' systems, messages to
-- reporters) and sends them, at least once and in order per complaint and receiver.

-- One announced event, as recorded when its change committed. `offices` is the audience among the offices
-- (',code,code,'): the handling office, the office a breach was escalated to, and a forward's sender.
CREATE TABLE outbox_event (
    id              INTEGER PRIMARY KEY,
    complaint_id    INTEGER NOT NULL REFERENCES complaint (id),
    ticket          TEXT NOT NULL,
    type            TEXT NOT NULL,
    occurred_at     TEXT NOT NULL,
    status          TEXT NOT NULL,
    opd             TEXT NOT NULL,
    offices         TEXT NOT NULL CHECK (offices LIKE ',%,'),
    -- The event's own fields, a JSON object of strings.
    fields          TEXT NOT NULL
);
CREATE TRIGGER outbox_event_no_update BEFORE UPDATE ON outbox_event
BEGIN SELECT RAISE(ABORT, 'outbox_event is append-only'); END;

-- A government system subscribed to events: one office's complaints, or the whole province's (opd IS NULL).
CREATE TABLE webhook_subscription (
    id                      INTEGER PRIMARY KEY,
    url                     TEXT NOT NULL CHECK (url LIKE 'http://%' OR url LIKE 'https://%'),
    opd                     TEXT,
    -- Comma-separated event types; NULL for all.
    events                  TEXT,
    -- The signing key, sealed (AES-256-GCM) with the server's key file: the database alone cannot sign.
    secret_sealed           BLOB NOT NULL,
    -- After a rotation the old key keeps signing beside the new one until `previous_secret_until`.
    previous_secret_sealed  BLOB,
    previous_secret_until   TEXT,
    enabled                 INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    disabled_reason         TEXT,
    disabled_at             TEXT,
    consecutive_failures    INTEGER NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
    failing_since           TEXT,
    last_success_at         TEXT,
    -- The fan-out's place in the outbox: events up to here have their deliveries.
    last_event_id           INTEGER NOT NULL DEFAULT 0,
    created_at              TEXT NOT NULL,
    created_by              TEXT NOT NULL,
    CHECK ((previous_secret_sealed IS NULL) = (previous_secret_until IS NULL))
);

-- Other consumers of the outbox ('messages': the reporters' messages) and their place in it.
CREATE TABLE outbox_cursor (
    consumer        TEXT PRIMARY KEY,
    last_event_id   INTEGER NOT NULL
);

-- One message to one receiver, retried until a 2xx or the end of the schedule (then 'failed': a dead letter that an
-- operator can inspect and retry). `body` is the exact JSON sent, stable across retries; a message to a reporter
-- gets its `to` at sending time.
CREATE TABLE delivery (
    id              INTEGER PRIMARY KEY,
    -- 'webhook:<subscription id>' or 'messages': deliveries to one target are sent in order per complaint.
    target          TEXT NOT NULL,
    subscription_id INTEGER REFERENCES webhook_subscription (id),
    event_id        INTEGER REFERENCES outbox_event (id),
    complaint_id    INTEGER REFERENCES complaint (id),
    type            TEXT NOT NULL,
    -- The Standard Webhooks `webhook-id`.
    message_id      TEXT NOT NULL UNIQUE,
    body            TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TEXT NOT NULL,
    last_attempt_at TEXT,
    last_status     INTEGER,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    delivered_at    TEXT,
    CHECK ((target = 'messages') = (subscription_id IS NULL))
);
CREATE INDEX delivery_due ON delivery (next_attempt_at, id) WHERE state = 'pending';
-- The head of each (target, complaint) line: only the oldest pending delivery is sent.
CREATE INDEX delivery_line ON delivery (target, complaint_id, id) WHERE state = 'pending';
CREATE INDEX delivery_subscription ON delivery (subscription_id, id);
CREATE INDEX delivery_failed ON delivery (id) WHERE state = 'failed';

-- Whether the reporter wants messages about their complaint (they can turn them off later).
ALTER TABLE complaint ADD COLUMN notify_reporter INTEGER NOT NULL DEFAULT 1 CHECK (notify_reporter IN (0, 1));

-- What operators and the dispatcher did to subscriptions (added, disabled, enabled, secret rotated, test sent,
-- deliveries retried, switched off after a 410 or after failing for days): the webhooks' audit log. Append-only.
CREATE TABLE webhook_log (
    id              INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES webhook_subscription (id),
    action          TEXT NOT NULL,
    detail          TEXT,
    by              TEXT NOT NULL,
    at              TEXT NOT NULL
);
CREATE TRIGGER webhook_log_no_update BEFORE UPDATE ON webhook_log
BEGIN SELECT RAISE(ABORT, 'webhook_log is append-only'); END;
CREATE TRIGGER webhook_log_no_delete BEFORE DELETE ON webhook_log
BEGIN SELECT RAISE(ABORT, 'webhook_log is append-only'); END;
