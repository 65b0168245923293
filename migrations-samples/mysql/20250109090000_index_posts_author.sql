-- migrate:up
-- InnoDB builds it online: reads and writes go on while it runs.
CREATE INDEX posts_author_id_idx ON posts (author_id) ALGORITHM=INPLACE LOCK=NONE;

-- migrate:down
DROP INDEX posts_author_id_idx ON posts;
