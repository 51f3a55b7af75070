-- 0003: dossiers (hồ sơ) received at the one-stop desk, and their audited status history.

CREATE TABLE dossiers (
    id                   INTEGER PRIMARY KEY,
    -- {unit code}-{yyMMdd}-{4-digit daily sequence}: predictable, hence the secret.
    code                 TEXT NOT NULL UNIQUE,
    -- Printed on the receipt (and in its QR); a lookup needs code and secret together.
    secret               TEXT NOT NULL,
    receiving_center_id  INTEGER NOT NULL REFERENCES centers (id),
    -- Where the dossier is decided: the provincial center for a provincial procedure
    -- received at a commune center (transferred electronically), else the receiving one.
    processing_center_id INTEGER NOT NULL REFERENCES centers (id),
    -- Where the citizen collects the result.
    return_center_id     INTEGER NOT NULL REFERENCES centers (id),
    procedure_id         INTEGER NOT NULL REFERENCES procedures (id),
    ticket_id            INTEGER REFERENCES tickets (id),
    applicant_name       TEXT NOT NULL,
    -- The name folded for search (catalogue::fold).
    applicant_key        TEXT NOT NULL,
    -- CCCD number or tax code; the second factor a citizen may also use.
    applicant_id_number  TEXT NOT NULL,
    applicant_phone      TEXT,
    -- 1 in person, 2 online, 3 by public post.
    channel              INTEGER NOT NULL CHECK (channel IN (1, 2, 3)),
    status               INTEGER NOT NULL CHECK (status BETWEEN 1 AND 10),
    received_ms          INTEGER NOT NULL,
    -- The appointment (ngày hẹn trả) printed on the receipt, before any pause.
    due_ms               INTEGER NOT NULL,
    -- Working minutes of supplement pauses already closed, and the open pause if any.
    paused_minutes       INTEGER NOT NULL DEFAULT 0,
    paused_since_ms      INTEGER,
    finished_ms          INTEGER,
    business_day         TEXT NOT NULL,
    seq                  INTEGER NOT NULL CHECK (seq BETWEEN 1 AND 9999),
    UNIQUE (receiving_center_id, business_day, seq)
);
CREATE INDEX dossiers_processing ON dossiers (processing_center_id, status);
CREATE INDEX dossiers_applicant ON dossiers (applicant_id_number);

-- Append-only status history: who (account, or an external system), when, what, why.
CREATE TABLE dossier_events (
    id          INTEGER PRIMARY KEY,
    dossier_id  INTEGER NOT NULL REFERENCES dossiers (id),
    at_ms       INTEGER NOT NULL,
    account_id  INTEGER REFERENCES accounts (id),
    -- 'staff' or 'import:{system}'.
    source      TEXT NOT NULL,
    -- The external system's id of an imported update: a retried import is a no-op.
    external_id TEXT UNIQUE,
    from_status INTEGER,
    to_status   INTEGER NOT NULL,
    note        TEXT
);
CREATE INDEX dossier_events_dossier ON dossier_events (dossier_id);
CREATE TRIGGER dossier_events_no_update BEFORE UPDATE ON dossier_events
BEGIN SELECT RAISE(ABORT, 'dossier_events is append-only'); END;
CREATE TRIGGER dossier_events_no_delete BEFORE DELETE ON dossier_events
BEGIN SELECT RAISE(ABORT, 'dossier_events is append-only'); END;
