-- Aduan schema, version 10: the rakor pack is kept in versions as the monthly report is.

-- report_snapshot gains the kind 'rakor', whose period is a span of months ('2026-07/2026-09'). SQLite cannot change
-- a CHECK in place, so the table is made again with the same rows; its triggers keep every version immutable.
CREATE TABLE report_snapshot_v10 (
    id                  INTEGER PRIMARY KEY,
    kind                TEXT NOT NULL CHECK (kind IN ('monthly_sla', 'rakor')),
    -- A month (YYYY-MM) for 'monthly_sla'; the first and last month, inclusive, for 'rakor'.
    period              TEXT NOT NULL CHECK (
                            (kind = 'monthly_sla' AND period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]')
                            OR (kind = 'rakor' AND period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]/[0-9][0-9][0-9][0-9]-[0-1][0-9]')),
    -- 'province', or the code of the OPD the report is limited to (a rakor pack adds its desk and kabupaten/kota).
    scope               TEXT NOT NULL CHECK (length(scope) BETWEEN 1 AND 120),
    version             INTEGER NOT NULL CHECK (version >= 1),
    generated_at        TEXT NOT NULL,
    generated_by        TEXT NOT NULL CHECK (length(generated_by) BETWEEN 1 AND 120),
    body                TEXT NOT NULL CHECK (json_valid(body)),
    UNIQUE (kind, period, scope, version)
);
INSERT INTO report_snapshot_v10 (id, kind, period, scope, version, generated_at, generated_by, body)
    SELECT id, kind, period, scope, version, generated_at, generated_by, body FROM report_snapshot;
DROP TRIGGER report_snapshot_no_update;
DROP TRIGGER report_snapshot_no_delete;
DROP TABLE report_snapshot;
ALTER TABLE report_snapshot_v10 RENAME TO report_snapshot;
CREATE TRIGGER report_snapshot_no_update BEFORE UPDATE ON report_snapshot
BEGIN SELECT RAISE(ABORT, 'report_snapshot is immutable'); END;
CREATE TRIGGER report_snapshot_no_delete BEFORE DELETE ON report_snapshot
BEGIN SELECT RAISE(ABORT, 'report_snapshot is immutable'); END;
