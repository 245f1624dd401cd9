-- Aduan schema, version 9: an anonymous reporter's identity sealed at rest, and the audit of staff reading who filed.

-- An anonymous reporter's name and phone, sealed with AES-256-GCM under the server's key file (nonce, ciphertext,
-- tag). The clear columns stay empty for anonymous complaints: the database refuses anything else. Rows filed
-- before this schema are sealed by the server at its next start (Store.sealAnonymousReporters).
ALTER TABLE complaint ADD COLUMN reporter_name_sealed BLOB CHECK (length(reporter_name_sealed) >= 28);
ALTER TABLE complaint ADD COLUMN reporter_phone_sealed BLOB CHECK (length(reporter_phone_sealed) >= 28);
CREATE TRIGGER complaint_anonymous_sealed_insert BEFORE INSERT ON complaint
WHEN NEW.anonymous = 1 AND (NEW.reporter_name IS NOT NULL OR NEW.reporter_phone IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'an anonymous reporter''s name and phone are kept only sealed'); END;
CREATE TRIGGER complaint_anonymous_sealed_update BEFORE UPDATE OF reporter_name, reporter_phone, anonymous ON complaint
WHEN NEW.anonymous = 1 AND (NEW.reporter_name IS NOT NULL OR NEW.reporter_phone IS NOT NULL)
    AND (NEW.reporter_name_sealed IS NOT NULL OR NEW.reporter_phone_sealed IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'an anonymous reporter''s name and phone are kept only sealed'); END;

-- Each time a staff member was shown a reporter's name or phone: who, which complaint, when. Append-only.
CREATE TABLE identity_read (
    id                  INTEGER PRIMARY KEY,
    complaint_id        INTEGER NOT NULL REFERENCES complaint (id),
    staff_id            INTEGER NOT NULL REFERENCES staff (id),
    at                  TEXT NOT NULL
);
CREATE INDEX identity_read_complaint ON identity_read (complaint_id, id);
CREATE INDEX identity_read_staff ON identity_read (staff_id, id);
CREATE TRIGGER identity_read_no_update BEFORE UPDATE ON identity_read
BEGIN SELECT RAISE(ABORT, 'identity_read is append-only'); END;
CREATE TRIGGER identity_read_no_delete BEFORE DELETE ON identity_read
BEGIN SELECT RAISE(ABORT, 'identity_read is append-only'); END;
