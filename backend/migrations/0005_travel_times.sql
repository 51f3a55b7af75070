-- 0005: travel minutes between centers where the coordinate model (core::suggest::TravelModel)
-- is wrong: a ferry, a pass, a bridge. One row per direction; NULL minutes means no
-- practical route within the day, so the pair is never suggested. Filled from the demo
-- province's exceptions when the database is seeded, and replaced as a whole by
-- `backend --travel-times FILE` (format: core::suggest::parse_travel_times).
CREATE TABLE travel_times (
    from_center_id INTEGER NOT NULL REFERENCES centers(id),
    to_center_id   INTEGER NOT NULL REFERENCES centers(id),
    minutes        INTEGER CHECK (minutes IS NULL OR minutes BETWEEN 1 AND 600),
    PRIMARY KEY (from_center_id, to_center_id),
    CHECK (from_center_id <> to_center_id)
) WITHOUT ROWID;
