-- migrate:up
-- A column with a default: existing rows get 'member' without a table rewrite on PostgreSQL 11+.
ALTER TABLE users ADD COLUMN role text NOT NULL DEFAULT 'member';
UPDATE users SET role = 'admin' WHERE email = 'ada@example.com';

-- migrate:down
ALTER TABLE users DROP COLUMN role;
