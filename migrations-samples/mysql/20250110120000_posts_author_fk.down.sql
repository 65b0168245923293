ALTER TABLE posts DROP FOREIGN KEY posts_author_fk;
