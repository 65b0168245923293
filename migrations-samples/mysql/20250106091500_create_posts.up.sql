CREATE TABLE posts (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  author_id BIGINT NOT NULL,
  title VARCHAR(200) NOT NULL,
  body TEXT NOT NULL,
  published TINYINT(1) NOT NULL DEFAULT 0,
  legacy_rank INT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO posts (author_id, title, body, published, legacy_rank) VALUES
  (1, 'Notes on the Analytical Engine', 'The engine weaves algebraic patterns; just as the loom weaves flowers.', 1, 3),
  (2, 'The first bug', 'A moth, found in relay 70 of panel F.', 1, 1),
  (3, 'Go To statement considered harmful', 'It\'s too much an invitation to make a mess of one''s program.', 0, 2);
