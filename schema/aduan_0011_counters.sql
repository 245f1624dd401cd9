-- Monthly counters (issue 17): what happened in each month, per office, kabupaten/kota and category, written in the
-- transaction of the change they count (AduanCore/MonthlyCounters*.swift, AduanStore/Store+Counters.swift). The
-- monthly report reads them instead of each complaint's present state, so a later reopen never rewrites a month.
-- Existing histories are replayed into them when this migration runs (Store.migrate).
CREATE TABLE report_counter (
    month TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    opd TEXT NOT NULL,
    area TEXT NOT NULL,
    category TEXT NOT NULL,
    received INTEGER NOT NULL DEFAULT 0,
    response_in_time INTEGER NOT NULL DEFAULT 0,
    response_late INTEGER NOT NULL DEFAULT 0,
    resolution_in_time INTEGER NOT NULL DEFAULT 0,
    resolution_late INTEGER NOT NULL DEFAULT 0,
    resolved INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0,
    merged INTEGER NOT NULL DEFAULT 0,
    reopened INTEGER NOT NULL DEFAULT 0,
    forwarded INTEGER NOT NULL DEFAULT 0,
    ratings INTEGER NOT NULL DEFAULT 0,
    rating_sum INTEGER NOT NULL DEFAULT 0,
    evidence_clean INTEGER NOT NULL DEFAULT 0,
    evidence_flagged INTEGER NOT NULL DEFAULT 0,
    resolutions_rejected INTEGER NOT NULL DEFAULT 0,
    -- Written once, by the month's close: open at its end by age in days, and overdue.
    backlog_0_7 INTEGER NOT NULL DEFAULT 0,
    backlog_8_14 INTEGER NOT NULL DEFAULT 0,
    backlog_15_30 INTEGER NOT NULL DEFAULT 0,
    backlog_over_30 INTEGER NOT NULL DEFAULT 0,
    overdue INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (month, opd, area, category)
) WITHOUT ROWID;

-- A month is closed by the first change after it ends (nothing changed between its end and that change, so the
-- complaints stand as they stood at its end), or by a replay of the history ('replay').
CREATE TABLE report_month_end (
    month TEXT PRIMARY KEY,
    closed_at TEXT NOT NULL,
    closed_by TEXT NOT NULL CHECK (closed_by IN ('change', 'replay'))
) WITHOUT ROWID;

-- The most overdue complaints of each office at a closed month's end (at most 20 each).
CREATE TABLE report_month_overdue (
    month TEXT NOT NULL REFERENCES report_month_end (month),
    opd TEXT NOT NULL,
    complaint_id INTEGER NOT NULL REFERENCES complaint (id),
    clock TEXT NOT NULL CHECK (clock IN ('response', 'resolution')),
    due_at TEXT NOT NULL,
    PRIMARY KEY (month, opd, complaint_id)
) WITHOUT ROWID;

-- The time zone whose months the counters count in: the catalog's (`time_zone` in catalog.json; WIB for Lampung).
-- A server started with a catalog in another zone recounts the history in it (Store.useCounterZone).
CREATE TABLE report_counter_zone (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    time_zone TEXT NOT NULL
);
INSERT INTO report_counter_zone (id, time_zone) VALUES (1, 'Asia/Jakarta');

-- The SLA monitor's next mark of each complaint with a running clock: the earliest at-risk point or deadline not yet
-- marked ('9' sorts after every instant). A pass reads only the entries due, not the whole table
-- (Store.sweep; its query spells the expression and the status list exactly as here).
CREATE INDEX complaint_next_sla_mark ON complaint (min(CASE WHEN responded_at IS NOT NULL THEN '9' WHEN response_sla = 'on_time' THEN COALESCE(response_at_risk_at, response_due_at) WHEN response_sla = 'at_risk' THEN response_due_at ELSE '9' END, CASE WHEN resolved_at IS NOT NULL THEN '9' WHEN resolution_sla = 'on_time' THEN COALESCE(resolution_at_risk_at, resolution_due_at) WHEN resolution_sla = 'at_risk' THEN resolution_due_at ELSE '9' END))
    WHERE status IN ('submitted', 'in_progress', 'reopened');

-- Resolutions whose reporter may still confirm: the monitor closes them when the window ends.
CREATE INDEX complaint_confirmation_start ON complaint (COALESCE(resolution_reviewed_at, resolved_at)) WHERE status = 'resolved';

-- The monthly report's medians read the working times of the first responses and latest resolutions of two months
-- (ReportSource.times): these indexes hold every column those reads need, so that they never visit the table (a
-- visit per complaint was most of the report's time). They replace schema 3's indexes on the same instants.
DROP INDEX complaint_responded_at;
DROP INDEX complaint_settled_at;
CREATE INDEX complaint_response_times ON complaint (responded_at, opd, region, category, created_at, response_working_seconds)
    WHERE responded_at IS NOT NULL;
CREATE INDEX complaint_resolution_times
    ON complaint (settled_at, status, opd, region, category, created_at, resolution_working_seconds, resolved_at)
    WHERE settled_at IS NOT NULL;
