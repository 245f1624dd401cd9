-- Aduan schema, version 3: what the monthly SLA report reads, and the report snapshots shown at the rakor.
-- Forward-only: never edit this file once shipped.

-- When the complaint last left the open statuses (resolved, rejected or merged); cleared by a reopen. With
-- created_at it tells whether a complaint was open at a month's end without reading its history.
ALTER TABLE complaint ADD COLUMN settled_at TEXT;
-- The latest reopen. A complaint reopened after a month's end may have been settled at that end; only those
-- few have their history read.
ALTER TABLE complaint ADD COLUMN reopened_at TEXT;
-- Working time (seconds on working days, WIB) spent waiting for the reporter, summed over every pause so far.
ALTER TABLE complaint ADD COLUMN paused_working_seconds REAL NOT NULL DEFAULT 0 CHECK (paused_working_seconds >= 0);
-- Working time from filing to the first response and to the latest resolution, pauses excluded; fixed when the
-- clock stops, as deadlines are, so that a later edit of the holiday calendar does not rewrite past reports.
ALTER TABLE complaint ADD COLUMN response_working_seconds REAL CHECK (response_working_seconds >= 0);
ALTER TABLE complaint ADD COLUMN resolution_working_seconds REAL CHECK (resolution_working_seconds >= 0);

-- Complaints from version 2: settled and reopened times come from their history. Their working times stay NULL
-- and the report computes them from the timestamps.
UPDATE complaint SET settled_at = CASE
        WHEN status IN ('resolved', 'closed') THEN resolved_at
        ELSE (SELECT max(e.at) FROM complaint_event e WHERE e.complaint_id = complaint.id AND e.kind = 'status_changed'
                AND e.details ->> '$.to' = status)
    END
WHERE status IN ('resolved', 'closed', 'rejected', 'duplicate');
UPDATE complaint SET reopened_at = (SELECT max(e.at) FROM complaint_event e WHERE e.complaint_id = complaint.id
        AND e.kind = 'status_changed' AND e.details ->> '$.to' = 'reopened')
WHERE reopen_count > 0;

-- The report reads complaints by when their clocks fell due, were stopped and settled.
CREATE INDEX complaint_response_due ON complaint (response_due_at);
CREATE INDEX complaint_responded_at ON complaint (responded_at) WHERE responded_at IS NOT NULL;
CREATE INDEX complaint_settled_at ON complaint (settled_at) WHERE settled_at IS NOT NULL;
-- The few events the report counts by month: forwards, ratings and reopens (a small part of the history). It
-- holds what the report reads of them, so that it never reads the history table itself.
CREATE INDEX complaint_event_report_milestone ON complaint_event (at, complaint_id, kind, details)
    WHERE kind IN ('forwarded', 'rating') OR (kind = 'status_changed' AND details ->> '$.to' = 'reopened');

-- A generated report, kept as it was generated: the figures shown at a rakor never change afterwards. Generating
-- the same month again adds a version.
CREATE TABLE report_snapshot (
    id                  INTEGER PRIMARY KEY,
    kind                TEXT NOT NULL CHECK (kind IN ('monthly_sla')),
    period              TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    -- 'province', or the code of the OPD the report is limited to.
    scope               TEXT NOT NULL CHECK (length(scope) BETWEEN 1 AND 64),
    version             INTEGER NOT NULL CHECK (version >= 1),
    generated_at        TEXT NOT NULL,
    -- Who asked for it: a staff member (name and id) or the operating-system account that ran aduan-admin.
    generated_by        TEXT NOT NULL CHECK (length(generated_by) BETWEEN 1 AND 120),
    -- The computed figures as JSON; every format is rendered from them.
    body                TEXT NOT NULL CHECK (json_valid(body)),
    UNIQUE (kind, period, scope, version)
);
CREATE TRIGGER report_snapshot_no_update BEFORE UPDATE ON report_snapshot
BEGIN SELECT RAISE(ABORT, 'report_snapshot is immutable'); END;
CREATE TRIGGER report_snapshot_no_delete BEFORE DELETE ON report_snapshot
BEGIN SELECT RAISE(ABORT, 'report_snapshot is immutable'); END;
