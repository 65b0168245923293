-- migrate:up transaction:false
-- CONCURRENTLY cannot run inside a transaction block: this migration opts out, and runs statement by statement.
CREATE INDEX CONCURRENTLY IF NOT EXISTS posts_author_id_idx ON posts (author_id);

-- migrate:down transaction:false
DROP INDEX CONCURRENTLY IF EXISTS posts_author_id_idx;
