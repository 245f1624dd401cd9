-- Aduan schema, version 4: the operators' changes to the working calendar (aduan-admin calendar add|remove).
-- The calendar in force is the catalog's holidays.csv with every change applied in id order.
-- Forward-only: never edit this file once shipped.

CREATE TABLE calendar_change (
    id                  INTEGER PRIMARY KEY,
    action              TEXT NOT NULL CHECK (action IN ('add', 'remove')),
    date                TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    -- NULL: the whole province; else the region (kabupaten/kota or below) whose calendar alone changes.
    region              TEXT CHECK (region IS NULL OR region GLOB '[0-9][0-9].*'),
    -- The kind and name of the day added, or of the day removed.
    kind                TEXT NOT NULL CHECK (kind IN ('libur', 'cuti_bersama')),
    name                TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    -- The decree or the reason, as the operator gave it.
    note                TEXT CHECK (note IS NULL OR length(note) BETWEEN 1 AND 500),
    -- The operating-system account that ran aduan-admin.
    actor               TEXT NOT NULL CHECK (length(actor) BETWEEN 1 AND 100),
    created_at          TEXT NOT NULL
);
CREATE TRIGGER calendar_change_no_update BEFORE UPDATE ON calendar_change
BEGIN SELECT RAISE(ABORT, 'calendar_change is append-only'); END;
CREATE TRIGGER calendar_change_no_delete BEFORE DELETE ON calendar_change
BEGIN SELECT RAISE(ABORT, 'calendar_change is append-only'); END;
