CREATE TABLE posts (
  id bigserial PRIMARY KEY,
  author_id bigint NOT NULL,
  title text NOT NULL,
  body text NOT NULL DEFAULT '',
  published boolean NOT NULL DEFAULT false,
  legacy_rank integer,
  created_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO posts (author_id, title, body, published, legacy_rank) VALUES
  (1, 'Notes on the Analytical Engine', 'The engine weaves algebraic patterns; just as the loom weaves flowers.', true, 3),
  (2, 'The first bug', 'A moth, found in relay 70 of panel F.', true, 1),
  (3, 'Go To statement considered harmful', 'It''s too much an invitation to make a mess of one''s program.', false, 2);
