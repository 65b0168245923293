CREATE TYPE post_state AS ENUM ('draft', 'published', 'archived');
ALTER TABLE posts ADD COLUMN state post_state NOT NULL DEFAULT 'draft';
UPDATE posts SET state = 'published' WHERE published;
