-- migrate:up
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('member', 'editor', 'admin'));

-- migrate:down
ALTER TABLE users DROP CONSTRAINT users_role_check;
