-- migrate:up
/* A PL/pgSQL body is full of semicolons: the $$ quotes keep it one statement. */
CREATE FUNCTION post_word_count(body text) RETURNS integer
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  words text[];
BEGIN
  IF body IS NULL OR btrim(body) = '' THEN
    RETURN 0;
  END IF;
  words := regexp_split_to_array(btrim(body), '\s+');
  RETURN array_length(words, 1);
END;
$$;

CREATE FUNCTION posts_touch_slug() RETURNS trigger
LANGUAGE plpgsql AS $body$
BEGIN
  IF NEW.slug IS NULL OR NEW.slug = '' THEN
    NEW.slug := trim(both '-' from lower(regexp_replace(NEW.title, '[^a-zA-Z0-9]+', '-', 'g')));
  END IF;
  RETURN NEW;
END;
$body$;

CREATE TRIGGER posts_touch_slug BEFORE INSERT OR UPDATE ON posts
  FOR EACH ROW EXECUTE FUNCTION posts_touch_slug();

-- migrate:down
DROP TRIGGER posts_touch_slug ON posts;
DROP FUNCTION posts_touch_slug();
DROP FUNCTION post_word_count(text);
