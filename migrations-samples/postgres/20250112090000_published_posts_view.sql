-- migrate:up
CREATE VIEW published_posts AS
SELECT p.id, p.slug, p.title, u.display_name AS author, p.created_at
  FROM posts p
  JOIN users u ON u.id = p.author_id
 WHERE p.published;

-- migrate:down
DROP VIEW published_posts;
