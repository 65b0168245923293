-- migrate:up
# MySQL commits each DDL statement on its own: the runner records how far it got.
ALTER TABLE users ADD COLUMN role VARCHAR(20) NOT NULL DEFAULT 'member';
UPDATE users SET role = 'admin' WHERE email = 'ada@example.com';

-- migrate:down
ALTER TABLE users DROP COLUMN role;
