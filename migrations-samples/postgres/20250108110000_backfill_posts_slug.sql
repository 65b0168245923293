-- migrate:up
ALTER TABLE posts ADD COLUMN slug text;

-- Backfill before the constraint: "Go To statement considered harmful" -> "go-to-statement-considered-harmful".
UPDATE posts SET slug = trim(both '-' from lower(regexp_replace(title, '[^a-zA-Z0-9]+', '-', 'g')));

ALTER TABLE posts ALTER COLUMN slug SET NOT NULL;
CREATE UNIQUE INDEX posts_slug_key ON posts (slug);

-- migrate:down
ALTER TABLE posts DROP COLUMN slug;
