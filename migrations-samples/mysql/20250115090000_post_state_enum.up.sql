ALTER TABLE posts ADD COLUMN state ENUM('draft', 'published', 'archived') NOT NULL DEFAULT 'draft';
UPDATE posts SET state = 'published' WHERE published = 1;
