-- Aduan schema, version 2: staff accounts, the state the triage workflow and the SLA monitor keep on each
-- complaint, and the rule that a staff event names its staff member.
-- Forward-only: never edit this file once shipped.

CREATE TABLE staff (
    id                  INTEGER PRIMARY KEY,
    name                TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    role                TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'triage', 'officer')),
    opd                 TEXT,
    -- SHA-256 of the token: the token itself is shown once, when the member is added, and never stored.
    token_hash          TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    created_at          TEXT NOT NULL,
    revoked_at          TEXT,
    -- Province-wide roles have no office; OPD roles must have one.
    CHECK ((role IN ('triage', 'officer')) = (opd IS NOT NULL))
);

-- Who added and revoked staff accounts, and when: the operators' side of the audit log. Append-only.
CREATE TABLE staff_event (
    id                  INTEGER PRIMARY KEY,
    staff_id            INTEGER NOT NULL REFERENCES staff (id),
    kind                TEXT NOT NULL CHECK (kind IN ('added', 'revoked')),
    at                  TEXT NOT NULL,
    -- The operating-system account that ran aduan-admin.
    operator            TEXT NOT NULL CHECK (length(operator) BETWEEN 1 AND 100),
    details             TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details))
);
CREATE INDEX staff_event_staff ON staff_event (staff_id, id);
CREATE TRIGGER staff_event_no_update BEFORE UPDATE ON staff_event
BEGIN SELECT RAISE(ABORT, 'staff_event is append-only'); END;
CREATE TRIGGER staff_event_no_delete BEFORE DELETE ON staff_event
BEGIN SELECT RAISE(ABORT, 'staff_event is append-only'); END;

ALTER TABLE complaint ADD COLUMN response_at_risk_at TEXT;
ALTER TABLE complaint ADD COLUMN resolution_at_risk_at TEXT;
-- The office's first action (stops the response clock) and the latest resolution (stops the resolution clock).
ALTER TABLE complaint ADD COLUMN responded_at TEXT;
ALTER TABLE complaint ADD COLUMN resolved_at TEXT;
-- Set while the complaint waits for the reporter: both clocks are stopped.
ALTER TABLE complaint ADD COLUMN paused_at TEXT;
ALTER TABLE complaint ADD COLUMN response_sla TEXT NOT NULL DEFAULT 'on_time'
    CHECK (response_sla IN ('on_time', 'at_risk', 'breached'));
ALTER TABLE complaint ADD COLUMN resolution_sla TEXT NOT NULL DEFAULT 'on_time'
    CHECK (resolution_sla IN ('on_time', 'at_risk', 'breached'));
ALTER TABLE complaint ADD COLUMN merged_into TEXT;
ALTER TABLE complaint ADD COLUMN escalated_to TEXT;
ALTER TABLE complaint ADD COLUMN reopen_count INTEGER NOT NULL DEFAULT 0 CHECK (reopen_count >= 0);

-- Complaints filed before this version get at-risk points at 80% of the elapsed time to their deadlines; new ones
-- get them from the working-day calendar when filed.
UPDATE complaint SET
    response_at_risk_at = strftime('%Y-%m-%d %H:%M:%f',
        julianday(created_at) + 0.8 * (julianday(response_due_at) - julianday(created_at))),
    resolution_at_risk_at = strftime('%Y-%m-%d %H:%M:%f',
        julianday(created_at) + 0.8 * (julianday(resolution_due_at) - julianday(created_at)));

-- The SLA monitor's sweep reads the complaints whose clocks run, by status.
CREATE INDEX complaint_status_due ON complaint (status, resolution_due_at);
-- The queue: open complaints in the order of their next deadline (the response deadline while unanswered, else
-- the resolution deadline), so that a page is read off the index without sorting every open complaint. The OPD
-- columns come last so that an office's queue is filtered in the index, fetching only its own rows.
CREATE INDEX complaint_open_next_due
    ON complaint ((CASE WHEN responded_at IS NULL THEN response_due_at ELSE resolution_due_at END), id, opd, escalated_to)
    WHERE status IN ('submitted', 'in_progress', 'waiting_info', 'reopened');

CREATE TRIGGER complaint_event_staff_actor BEFORE INSERT ON complaint_event
WHEN NEW.actor_kind = 'staff' AND (NEW.actor_id IS NULL OR NEW.actor_id = '')
BEGIN SELECT RAISE(ABORT, 'a staff event must name its staff member'); END;

-- A complaint is paused exactly while it waits for the reporter, and merged exactly when it is a duplicate.
CREATE TRIGGER complaint_state_consistent BEFORE UPDATE ON complaint
WHEN (NEW.paused_at IS NOT NULL) <> (NEW.status = 'waiting_info')
    OR (NEW.merged_into IS NOT NULL) <> (NEW.status = 'duplicate')
BEGIN SELECT RAISE(ABORT, 'complaint state is inconsistent (paused_at/waiting_info or merged_into/duplicate)'); END;
