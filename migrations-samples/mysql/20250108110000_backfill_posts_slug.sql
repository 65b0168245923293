-- migrate:up
ALTER TABLE posts ADD COLUMN slug VARCHAR(200) NULL;

-- Backfill before the constraint: "Go To statement considered harmful" -> "go-to-statement-considered-harmful".
UPDATE posts SET slug = LOWER(REPLACE(title, ' ', '-'));

ALTER TABLE posts MODIFY slug VARCHAR(200) NOT NULL, ADD UNIQUE KEY posts_slug_key (slug);

-- migrate:down
ALTER TABLE posts DROP COLUMN slug;
