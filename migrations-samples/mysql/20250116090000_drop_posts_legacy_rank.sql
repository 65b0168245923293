-- migrate:up
ALTER TABLE posts DROP COLUMN legacy_rank;

-- migrate:down
-- The values are gone with the column; the down brings the column back empty.
ALTER TABLE posts ADD COLUMN legacy_rank INT NULL;
