-- Aduan schema, version 7: the citizen's side. Accounts by phone with sign-in codes and sessions, complaints owned by
-- an account, support (+1) by citizens and devices, and spatial indexes (R*Tree) for the map feed and for similar
-- complaints nearby.
-- Forward-only: never edit this file once shipped.

-- A citizen who signed in with a code sent to their phone. The phone is normalised (62 then the number).
CREATE TABLE citizen (
    id              INTEGER PRIMARY KEY,
    phone           TEXT NOT NULL UNIQUE CHECK (phone GLOB '628[0-9]*' AND length(phone) BETWEEN 10 AND 15),
    created_at      TEXT NOT NULL
);

-- A sign-in code sent to a phone. Only an HMAC of the code is kept (under the server's key, so the file alone cannot
-- test the million possible codes), and of the client's address, which rate limits sending.
CREATE TABLE sign_in_code (
    id              INTEGER PRIMARY KEY,
    phone           TEXT NOT NULL,
    code_hash       TEXT NOT NULL CHECK (length(code_hash) = 64),
    client_hash     TEXT NOT NULL CHECK (length(client_hash) = 64),
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    used_at         TEXT
);
CREATE INDEX sign_in_code_phone ON sign_in_code (phone, id);
CREATE INDEX sign_in_code_client ON sign_in_code (client_hash, created_at);
CREATE INDEX sign_in_code_created ON sign_in_code (created_at);

-- A citizen's signed-in session: the token's hash, and when it lapses unless used (each use moves it on).
CREATE TABLE citizen_session (
    id              INTEGER PRIMARY KEY,
    citizen_id      INTEGER NOT NULL REFERENCES citizen (id),
    token_hash      TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    revoked_at      TEXT
);
CREATE INDEX citizen_session_citizen ON citizen_session (citizen_id);

-- The account a complaint belongs to: set when filed signed in, or when claimed with its tracking token.
ALTER TABLE complaint ADD COLUMN citizen_id INTEGER REFERENCES citizen (id);
CREATE INDEX complaint_citizen ON complaint (citizen_id, id) WHERE citizen_id IS NOT NULL;

-- Support (+1): once per supporter, who is 'c:<citizen id>', 'd:<SHA-256 of a device id>', or 'r:<complaint id>' for
-- the reporter of a duplicate merged into this one.
CREATE TABLE support (
    complaint_id    INTEGER NOT NULL REFERENCES complaint (id),
    supporter       TEXT NOT NULL CHECK (length(supporter) BETWEEN 3 AND 80),
    created_at      TEXT NOT NULL,
    PRIMARY KEY (complaint_id, supporter)
) WITHOUT ROWID;

-- The count every view shows, kept by the table itself.
ALTER TABLE complaint ADD COLUMN support_count INTEGER NOT NULL DEFAULT 0 CHECK (support_count >= 0);
CREATE TRIGGER support_counted AFTER INSERT ON support
BEGIN UPDATE complaint SET support_count = support_count + 1 WHERE id = NEW.complaint_id; END;
CREATE TRIGGER support_withdrawn AFTER DELETE ON support
BEGIN UPDATE complaint SET support_count = support_count - 1 WHERE id = OLD.complaint_id; END;
-- The queue sorted by support: open complaints, most supported first.
CREATE INDEX complaint_open_support ON complaint (support_count DESC, id DESC, opd, escalated_to)
    WHERE status IN ('submitted', 'in_progress', 'waiting_info', 'reopened');

-- Where complaints are, for the map feed, similar complaints and a complaint's neighbours: two-dimensional R*Trees
-- (the dimensions a search narrows, so that nodes cluster by place). Coordinates are whole 1e-7 degrees (1 cm;
-- `rtree_i32` keeps them exact). What else the searches filter on rides in the entry's key, read with the node and
-- not from a row per candidate: key = complaint id * 2048 + flag * 1024 + category number, where the flag is
-- "public" in place_open and "open" in place_public, and the category's number is its row in category_number.
CREATE TABLE category_number (
    number          INTEGER PRIMARY KEY CHECK (number BETWEEN 1 AND 1023),
    code            TEXT NOT NULL UNIQUE
);
-- Open complaints of any visibility: similar complaints, neighbours, and the open map. `minute` is the time of
-- filing in whole minutes since 1970 (UTC), read only by the searches that ask for recent complaints.
CREATE VIRTUAL TABLE place_open USING rtree_i32 (key, min_lat, max_lat, min_lng, max_lng, +minute);
-- Public complaints of any status: the map of everything reported in public.
CREATE VIRTUAL TABLE place_public USING rtree_i32 (key, min_lat, max_lat, min_lng, max_lng);

INSERT OR IGNORE INTO category_number (code) SELECT DISTINCT category FROM complaint ORDER BY category;
INSERT INTO place_open
    SELECT c.id * 2048 + (visibility = 'public') * 1024 + n.number, round(lat * 10000000), round(lat * 10000000),
        round(lng * 10000000), round(lng * 10000000), CAST(strftime('%s', created_at) AS INTEGER) / 60
    FROM complaint c JOIN category_number n ON n.code = c.category
    WHERE lat IS NOT NULL AND status IN ('submitted', 'in_progress', 'waiting_info', 'reopened');
INSERT INTO place_public
    SELECT c.id * 2048 + (status IN ('submitted', 'in_progress', 'waiting_info', 'reopened')) * 1024 + n.number,
        round(lat * 10000000), round(lat * 10000000), round(lng * 10000000), round(lng * 10000000)
    FROM complaint c JOIN category_number n ON n.code = c.category
    WHERE lat IS NOT NULL AND visibility = 'public';

-- The places follow the complaints: a location, category and visibility never change; the status does.
CREATE TRIGGER place_filed AFTER INSERT ON complaint WHEN NEW.lat IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO category_number (code) VALUES (NEW.category);
    INSERT INTO place_open
        SELECT NEW.id * 2048 + (NEW.visibility = 'public') * 1024 + number, round(NEW.lat * 10000000), round(NEW.lat * 10000000),
            round(NEW.lng * 10000000), round(NEW.lng * 10000000), CAST(strftime('%s', NEW.created_at) AS INTEGER) / 60
        FROM category_number WHERE code = NEW.category AND NEW.status IN ('submitted', 'in_progress', 'waiting_info', 'reopened');
    INSERT INTO place_public
        SELECT NEW.id * 2048 + (NEW.status IN ('submitted', 'in_progress', 'waiting_info', 'reopened')) * 1024 + number,
            round(NEW.lat * 10000000), round(NEW.lat * 10000000), round(NEW.lng * 10000000), round(NEW.lng * 10000000)
        FROM category_number WHERE code = NEW.category AND NEW.visibility = 'public';
END;
CREATE TRIGGER place_settled AFTER UPDATE OF status ON complaint
WHEN NEW.lat IS NOT NULL AND OLD.status IN ('submitted', 'in_progress', 'waiting_info', 'reopened')
    AND NEW.status NOT IN ('submitted', 'in_progress', 'waiting_info', 'reopened')
BEGIN
    DELETE FROM place_open
    WHERE key = NEW.id * 2048 + (NEW.visibility = 'public') * 1024 + (SELECT number FROM category_number WHERE code = NEW.category);
    INSERT INTO place_public
        SELECT NEW.id * 2048 + number, round(NEW.lat * 10000000), round(NEW.lat * 10000000), round(NEW.lng * 10000000), round(NEW.lng * 10000000)
        FROM category_number WHERE code = NEW.category AND NEW.visibility = 'public';
    DELETE FROM place_public WHERE key = NEW.id * 2048 + 1024 + (SELECT number FROM category_number WHERE code = NEW.category);
END;
CREATE TRIGGER place_reopened AFTER UPDATE OF status ON complaint
WHEN NEW.lat IS NOT NULL AND OLD.status NOT IN ('submitted', 'in_progress', 'waiting_info', 'reopened')
    AND NEW.status IN ('submitted', 'in_progress', 'waiting_info', 'reopened')
BEGIN
    INSERT OR REPLACE INTO place_open
        SELECT NEW.id * 2048 + (NEW.visibility = 'public') * 1024 + number, round(NEW.lat * 10000000), round(NEW.lat * 10000000),
            round(NEW.lng * 10000000), round(NEW.lng * 10000000), CAST(strftime('%s', NEW.created_at) AS INTEGER) / 60
        FROM category_number WHERE code = NEW.category;
    INSERT OR REPLACE INTO place_public
        SELECT NEW.id * 2048 + 1024 + number, round(NEW.lat * 10000000), round(NEW.lat * 10000000), round(NEW.lng * 10000000), round(NEW.lng * 10000000)
        FROM category_number WHERE code = NEW.category AND NEW.visibility = 'public';
    DELETE FROM place_public WHERE key = NEW.id * 2048 + (SELECT number FROM category_number WHERE code = NEW.category);
END;
