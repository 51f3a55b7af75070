-- 0001: the whole schema of the first release.
-- Times are INTEGER milliseconds since the Unix epoch (UTC); business days are local
-- (UTC+7) calendar dates as TEXT 'YYYY-MM-DD'. Booleans are INTEGER 0/1.

-- A public administration service center: 1 provincial, the rest commune-level.
CREATE TABLE centers (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('provincial', 'commune')),
    address       TEXT NOT NULL,
    latitude      REAL NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude     REAL NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    -- Weekly hours in the grammar of core::hours, e.g. 'mon-fri 07:30-11:30 13:30-17:00'.
    opening_hours TEXT NOT NULL
);

-- A field (lĩnh vực): groups procedures, decides counters and the ticket series digit.
CREATE TABLE fields (
    id      INTEGER PRIMARY KEY,
    code    TEXT NOT NULL UNIQUE,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL,
    series  INTEGER NOT NULL CHECK (series BETWEEN 1 AND 9)
);

-- The procedure catalogue (thủ tục hành chính).
CREATE TABLE procedures (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    name_vi         TEXT NOT NULL,
    name_en         TEXT NOT NULL,
    -- Lower-case, diacritics removed (catalogue::fold): what search matches against.
    search_key      TEXT NOT NULL,
    field_id        INTEGER NOT NULL REFERENCES fields (id),
    level           TEXT NOT NULL CHECK (level IN ('provincial', 'commune')),
    agency          TEXT NOT NULL,
    non_territorial INTEGER NOT NULL CHECK (non_territorial IN (0, 1)),
    processing_time REAL NOT NULL CHECK (processing_time >= 0),
    processing_unit TEXT NOT NULL CHECK (processing_unit IN ('hours', 'days', 'working_days', 'months')),
    has_fees        INTEGER NOT NULL CHECK (has_fees IN (0, 1)),
    online_level    INTEGER NOT NULL CHECK (online_level BETWEEN 0 AND 4),
    generated       INTEGER NOT NULL DEFAULT 0 CHECK (generated IN (0, 1))
);
CREATE INDEX procedures_field ON procedures (field_id);

-- A counter (quầy) of a center and the fields it serves.
CREATE TABLE counters (
    id        INTEGER PRIMARY KEY,
    center_id INTEGER NOT NULL REFERENCES centers (id),
    number    INTEGER NOT NULL CHECK (number > 0),
    UNIQUE (center_id, number)
);
CREATE TABLE counter_fields (
    counter_id INTEGER NOT NULL REFERENCES counters (id),
    field_id   INTEGER NOT NULL REFERENCES fields (id),
    PRIMARY KEY (counter_id, field_id)
) WITHOUT ROWID;

-- Personal staff accounts. Center-bound roles carry a center; provincial roles do not.
CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    full_name     TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('counter_staff', 'center_manager', 'provincial_manager', 'admin')),
    center_id     INTEGER REFERENCES centers (id),
    -- PHC string from argon2.
    password_hash TEXT NOT NULL,
    CHECK ((role IN ('counter_staff', 'center_manager')) = (center_id IS NOT NULL))
);

-- Sign-in sessions; only a SHA-256 of the bearer token is stored.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL
) WITHOUT ROWID;

-- Self-service kiosks; each is bound to one center by its token.
CREATE TABLE kiosks (
    id             INTEGER PRIMARY KEY,
    center_id      INTEGER NOT NULL REFERENCES centers (id),
    name           TEXT NOT NULL,
    token_hash     TEXT NOT NULL UNIQUE,
    printer_health TEXT NOT NULL DEFAULT 'unknown',
    printer_fault  TEXT,
    last_seen_ms   INTEGER
);

-- Which officer holds which counter now: a row here means the counter is open.
CREATE TABLE counter_sessions (
    counter_id           INTEGER PRIMARY KEY REFERENCES counters (id),
    account_id           INTEGER NOT NULL REFERENCES accounts (id),
    opened_ms            INTEGER NOT NULL,
    -- Priority tickets called in a row, for the interleaving rule (core::policy).
    consecutive_priority INTEGER NOT NULL DEFAULT 0
);

-- Queue tickets. (center, series, day, seq) is unique: numbers never repeat in a day.
CREATE TABLE tickets (
    id                INTEGER PRIMARY KEY,
    center_id         INTEGER NOT NULL REFERENCES centers (id),
    field_id          INTEGER NOT NULL REFERENCES fields (id),
    procedure_id      INTEGER NOT NULL REFERENCES procedures (id),
    business_day      TEXT NOT NULL,
    series            INTEGER NOT NULL,
    seq               INTEGER NOT NULL CHECK (seq BETWEEN 1 AND 999),
    number            INTEGER NOT NULL,
    priority          TEXT CHECK (priority IN ('elderly', 'disability', 'pregnant', 'meritorious_service')),
    state             TEXT NOT NULL CHECK (state IN ('waiting', 'called', 'serving', 'done', 'no_show', 'cancelled', 'remote', 'expired')),
    issued_ms         INTEGER NOT NULL,
    -- The instant that orders the queue: the issue time, kept across transfers.
    queue_ms          INTEGER NOT NULL,
    secret            TEXT NOT NULL,
    kiosk_id          INTEGER REFERENCES kiosks (id),
    -- The counter that called or serves the ticket now.
    counter_id        INTEGER REFERENCES counters (id),
    -- Set when transferred to one specific counter.
    target_counter_id INTEGER REFERENCES counters (id),
    called_ms         INTEGER,
    started_ms        INTEGER,
    finished_ms       INTEGER,
    recall_count      INTEGER NOT NULL DEFAULT 0,
    rating            TEXT CHECK (rating IN ('very_satisfied', 'satisfied', 'dissatisfied')),
    UNIQUE (center_id, series, business_day, seq)
);
CREATE INDEX tickets_queue ON tickets (center_id, business_day, state);
CREATE INDEX tickets_counter ON tickets (counter_id, state);
CREATE INDEX tickets_service ON tickets (center_id, field_id, finished_ms);

-- Append-only log of every ticket change: who, when, what.
CREATE TABLE ticket_events (
    id                INTEGER PRIMARY KEY,
    ticket_id         INTEGER NOT NULL REFERENCES tickets (id),
    at_ms             INTEGER NOT NULL,
    account_id        INTEGER REFERENCES accounts (id),
    kiosk_id          INTEGER REFERENCES kiosks (id),
    action            TEXT NOT NULL,
    from_state        TEXT,
    to_state          TEXT NOT NULL,
    counter_id        INTEGER REFERENCES counters (id),
    detail            TEXT
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id);
CREATE TRIGGER ticket_events_no_update BEFORE UPDATE ON ticket_events
BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only'); END;
CREATE TRIGGER ticket_events_no_delete BEFORE DELETE ON ticket_events
BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only'); END;

-- Small key/value facts about this database (demo flag, seed version).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
