-- 0004: the wait each field aims for, which the call policy divides waits by
-- (core::policy::choose_next_across) and the manager hint compares expected waits with.
-- NULL keeps the default by field code (core::policy::default_target_min: 15 minutes for
-- quick counter work, 45 for land, construction and business dossiers, 30 for the rest);
-- `backend --field-target CODE=MINUTES` stores a province's own choice here.
ALTER TABLE fields ADD COLUMN target_wait_min INTEGER CHECK (target_wait_min BETWEEN 1 AND 480);
