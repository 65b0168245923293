-- migrate:up
-- A routine body is full of semicolons: DELIMITER changes the terminator while it is read.
DELIMITER $$
CREATE PROCEDURE publish_post(IN p_id BIGINT)
BEGIN
  DECLARE found_rows INT DEFAULT 0;
  UPDATE posts SET published = 1 WHERE id = p_id;
  SET found_rows = ROW_COUNT();
  IF found_rows = 0 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'No such post; nothing published.';
  END IF;
END$$

CREATE FUNCTION post_word_count(body TEXT) RETURNS INT DETERMINISTIC
BEGIN
  IF body IS NULL OR TRIM(body) = '' THEN
    RETURN 0;
  END IF;
  RETURN LENGTH(TRIM(body)) - LENGTH(REPLACE(TRIM(body), ' ', '')) + 1;
END$$
DELIMITER ;

-- migrate:down
DROP FUNCTION post_word_count;
DROP PROCEDURE publish_post;
