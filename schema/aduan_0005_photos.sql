-- Aduan schema, version 5: photos (the reporter's and the office's after-photos), where a complaint's location came
-- from, and the review of a resolution's evidence.

-- One photo of a complaint. Its files are content-addressed (SHA-256) under the photo directory: the original as
-- uploaded (with its EXIF: evidence), the public copy and the thumbnail (upright JPEGs without metadata). A row is
-- written in the same transaction as the complaint or step it belongs to, after its files are on disk.
CREATE TABLE photo (
    id                  INTEGER PRIMARY KEY,
    complaint_id        INTEGER NOT NULL REFERENCES complaint (id),
    purpose             TEXT NOT NULL CHECK (purpose IN ('report', 'evidence')),
    actor_kind          TEXT NOT NULL CHECK (actor_kind IN ('citizen', 'staff')),
    actor_id            TEXT,
    format              TEXT NOT NULL CHECK (format IN ('jpeg', 'png', 'webp', 'heif')),
    original_sha256     TEXT NOT NULL CHECK (length(original_sha256) = 64),
    original_bytes      INTEGER NOT NULL CHECK (original_bytes > 0),
    public_sha256       TEXT NOT NULL CHECK (length(public_sha256) = 64),
    thumbnail_sha256    TEXT NOT NULL CHECK (length(thumbnail_sha256) = 64),
    -- The public copy's size (upright, at most 2048 px).
    width               INTEGER NOT NULL CHECK (width > 0),
    height              INTEGER NOT NULL CHECK (height > 0),
    taken_at            TEXT,
    lat                 REAL CHECK (lat BETWEEN -90 AND 90),
    lng                 REAL CHECK (lng BETWEEN -180 AND 180),
    -- The 64-bit difference hash, as a signed integer.
    perceptual_hash     INTEGER NOT NULL,
    -- The evidence checks of an after-photo, comma-separated flag names ('' when clean); NULL for a report photo.
    flags               TEXT CHECK ((purpose = 'evidence') = (flags IS NOT NULL)),
    created_at          TEXT NOT NULL,
    CHECK ((lat IS NULL) = (lng IS NULL)),
    CHECK ((actor_kind = 'staff') = (actor_id IS NOT NULL))
);
CREATE INDEX photo_complaint ON photo (complaint_id, id);
-- Evidence is compared with the last 12 months of other complaints' evidence.
CREATE INDEX photo_evidence_created ON photo (created_at) WHERE purpose = 'evidence';

-- Photos are evidence: never changed or removed once stored.
CREATE TRIGGER photo_no_update BEFORE UPDATE ON photo
BEGIN SELECT RAISE(ABORT, 'photo is append-only'); END;
CREATE TRIGGER photo_no_delete BEFORE DELETE ON photo
BEGIN SELECT RAISE(ABORT, 'photo is append-only'); END;

-- 'reporter' when the complaint came with a location; 'photo' when it was read from a photo's EXIF GPS.
ALTER TABLE complaint ADD COLUMN location_source TEXT CHECK (location_source IN ('reporter', 'photo'));
UPDATE complaint SET location_source = 'reporter' WHERE lat IS NOT NULL;

-- How the latest resolution's after-photos were judged: clean, pending (flagged, "Menunggu Validasi") or validated.
ALTER TABLE complaint ADD COLUMN resolution_review TEXT CHECK (resolution_review IN ('clean', 'pending', 'validated'));
ALTER TABLE complaint ADD COLUMN resolution_reviewed_at TEXT;
-- Resolutions a supervisor rejected for their evidence ("TL Ditolak").
ALTER TABLE complaint ADD COLUMN rejected_resolutions INTEGER NOT NULL DEFAULT 0 CHECK (rejected_resolutions >= 0);
-- The monthly report counts resolutions' evidence by month.
CREATE INDEX complaint_event_evidence ON complaint_event (at) WHERE kind = 'evidence';
CREATE INDEX complaint_awaiting_validation ON complaint (resolved_at) WHERE resolution_review = 'pending';
