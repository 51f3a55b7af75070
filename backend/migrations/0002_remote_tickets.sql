-- 0002: remote tickets (issued at one center's kiosk for another center), and the
-- model estimate kept with each ticket for the estimator's calibration.
-- A remote ticket belongs to the center that will serve it (tickets.center_id) and draws
-- its number there; these columns say where it was issued and when it must be checked in.

-- The center whose kiosk issued a remote ticket; NULL for a ticket taken on the spot.
ALTER TABLE tickets ADD COLUMN origin_center_id INTEGER REFERENCES centers (id);
-- Estimated travel minutes from the origin; queue_ms = issued_ms + travel_min minutes.
ALTER TABLE tickets ADD COLUMN travel_min INTEGER CHECK (travel_min >= 0);
-- After this instant an unchecked remote ticket expires.
ALTER TABLE tickets ADD COLUMN check_in_deadline_ms INTEGER;
-- When the citizen scanned the ticket at the serving center's kiosk.
ALTER TABLE tickets ADD COLUMN checked_in_ms INTEGER;
-- The estimator's model wait when the ticket was issued, before calibration: comparing
-- it with the wait that followed teaches the estimator (core::estimate::calibration_factor).
ALTER TABLE tickets ADD COLUMN model_wait_min REAL;
CREATE INDEX tickets_remote ON tickets (state, check_in_deadline_ms) WHERE state = 'remote';
-- The estimator reads the latest finished tickets of a field province-wide (the prior for
-- cold starts) and the latest calls of a (center, field) (the calibration) for every
-- center a suggestion considers; without these it would scan every ticket ever issued.
CREATE INDEX tickets_field_done ON tickets (field_id, finished_ms) WHERE state = 'done';
CREATE INDEX tickets_calls ON tickets (center_id, field_id, called_ms) WHERE called_ms IS NOT NULL;
