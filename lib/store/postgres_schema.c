/* postgres_schema.c: the PostgreSQL schema as numbered migrations, with the
 * same versions and meaning as sqlite_schema.c's.
 *
 * A migration, once released, is never edited: a change to the schema is a
 * new row at the end, and sqlite_schema.c gets the same version. Times are
 * seconds since the epoch (BIGINT), as the store's clock gives them.
 * Revisions and attachments are append-only: triggers make the database
 * itself refuse to change, delete or truncate them. Search keeps one tsvector per post
 * mortem (its title and newest revision) under a GIN index, in the text
 * search configuration debrief_search, and a small one to rank by (its
 * lead: PostgreSQL's own migration 1, at the end). */
#include "store_impl.h"

const struct dbf__migration dbf__postgres_migrations[] = {
    {1, "people",
     "CREATE TABLE users ("
     "  id BIGSERIAL PRIMARY KEY,"
     "  name TEXT NOT NULL UNIQUE,"
     "  password_hash TEXT NOT NULL,"
     "  role TEXT NOT NULL CHECK (role IN ('viewer','author','reviewer','admin')),"
     "  created BIGINT NOT NULL);"
     "CREATE TABLE teams ("
     "  id BIGSERIAL PRIMARY KEY,"
     "  name TEXT NOT NULL UNIQUE,"
     "  created BIGINT NOT NULL);"
     "CREATE TABLE memberships ("
     "  team_id BIGINT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,"
     "  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
     "  PRIMARY KEY (team_id, user_id));"
     "CREATE INDEX memberships_user ON memberships(user_id);"
     "CREATE TABLE api_tokens ("
     "  id BIGSERIAL PRIMARY KEY,"
     "  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
     "  label TEXT NOT NULL,"
     "  token_hash BYTEA NOT NULL UNIQUE,"
     "  created BIGINT NOT NULL,"
     "  revoked BIGINT);"
     "CREATE INDEX api_tokens_user ON api_tokens(user_id);"
     "CREATE TABLE sessions ("
     "  id_hash BYTEA PRIMARY KEY,"
     "  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
     "  created BIGINT NOT NULL,"
     "  expires BIGINT NOT NULL);"
     "CREATE INDEX sessions_expires ON sessions(expires);"
     "CREATE TABLE audit_log ("
     "  id BIGSERIAL PRIMARY KEY,"
     "  actor_id BIGINT REFERENCES users(id),"
     "  action TEXT NOT NULL,"
     "  target TEXT NOT NULL,"
     "  detail TEXT NOT NULL,"
     "  created BIGINT NOT NULL);"},
    {2, "postmortems",
     "CREATE TABLE postmortems ("
     "  id BIGSERIAL PRIMARY KEY,"
     "  slug TEXT NOT NULL UNIQUE,"
     "  title TEXT NOT NULL,"
     "  severity TEXT NOT NULL DEFAULT '',"
     "  owner_team_id BIGINT NOT NULL REFERENCES teams(id),"
     "  visibility TEXT NOT NULL CHECK (visibility IN ('public','restricted')),"
     "  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','review','published')),"
     "  revision INTEGER NOT NULL,"
     "  created BIGINT NOT NULL,"
     "  updated BIGINT NOT NULL);"
     "CREATE TABLE postmortem_access ("
     "  postmortem_id BIGINT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,"
     "  user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,"
     "  team_id BIGINT REFERENCES teams(id) ON DELETE CASCADE,"
     "  CHECK ((user_id IS NULL) <> (team_id IS NULL)));"
     "CREATE UNIQUE INDEX postmortem_access_user ON postmortem_access (postmortem_id, user_id)"
     "  WHERE user_id IS NOT NULL;"
     "CREATE UNIQUE INDEX postmortem_access_team ON postmortem_access (postmortem_id, team_id)"
     "  WHERE team_id IS NOT NULL;"
     "CREATE TABLE ownership_changes ("
     "  id BIGSERIAL PRIMARY KEY,"
     "  postmortem_id BIGINT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,"
     "  from_team_id BIGINT REFERENCES teams(id),"
     "  to_team_id BIGINT NOT NULL REFERENCES teams(id),"
     "  actor_id BIGINT REFERENCES users(id),"
     "  reason TEXT NOT NULL,"
     "  created BIGINT NOT NULL);"
     "CREATE TABLE revisions ("
     "  postmortem_id BIGINT NOT NULL REFERENCES postmortems(id),"
     "  number INTEGER NOT NULL CHECK (number >= 1),"
     "  markdown TEXT NOT NULL,"
     "  author_id BIGINT REFERENCES users(id),"
     "  created BIGINT NOT NULL,"
     "  PRIMARY KEY (postmortem_id, number));"
     "CREATE FUNCTION revisions_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$"
     " BEGIN"
     "  RAISE EXCEPTION 'revisions are never changed or deleted'"
     "    USING ERRCODE = 'integrity_constraint_violation';"
     " END $$;"
     "CREATE TRIGGER revisions_never_change BEFORE UPDATE OR DELETE ON revisions"
     "  FOR EACH ROW EXECUTE FUNCTION revisions_are_append_only();"
     "CREATE TRIGGER revisions_never_go BEFORE TRUNCATE ON revisions"
     "  FOR EACH STATEMENT EXECUTE FUNCTION revisions_are_append_only();"
     "CREATE TABLE state_changes ("
     "  id BIGSERIAL PRIMARY KEY,"
     "  postmortem_id BIGINT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,"
     "  from_status TEXT NOT NULL,"
     "  to_status TEXT NOT NULL,"
     "  actor_id BIGINT REFERENCES users(id),"
     "  reason TEXT NOT NULL,"
     "  created BIGINT NOT NULL);"
     "CREATE TABLE comments ("
     "  id BIGSERIAL PRIMARY KEY,"
     "  postmortem_id BIGINT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,"
     "  author_id BIGINT REFERENCES users(id),"
     "  body TEXT NOT NULL,"
     "  created BIGINT NOT NULL);"
     "CREATE INDEX comments_postmortem ON comments(postmortem_id);"
     "CREATE INDEX postmortems_updated ON postmortems(updated);"},
    {3, "search",
     /* English (Snowball) stemming without stop words, as SQLite's porter
      * tokenizer: every word typed counts. Accents are ignored too where
      * the server has the unaccent extension (a trusted one, which the
      * database's owner may add), as SQLite's remove_diacritics does.
      * Title words weigh more (A) than body words (B) in the rank. */
     "CREATE TEXT SEARCH DICTIONARY debrief_stem (TEMPLATE = snowball, LANGUAGE = english);"
     "CREATE TEXT SEARCH CONFIGURATION debrief_search (COPY = english);"
     "ALTER TEXT SEARCH CONFIGURATION debrief_search ALTER MAPPING FOR"
     "  asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH debrief_stem;"
     "DO $$ BEGIN"
     "  BEGIN"
     "    CREATE EXTENSION IF NOT EXISTS unaccent;"
     "  EXCEPTION WHEN OTHERS THEN NULL;"
     "  END;"
     "  IF EXISTS (SELECT 1 FROM pg_ts_dict WHERE dictname = 'unaccent') THEN"
     "    ALTER TEXT SEARCH CONFIGURATION debrief_search"
     "      ALTER MAPPING FOR word, hword, hword_part WITH unaccent, debrief_stem;"
     "  END IF;"
     " END $$;"
     "CREATE TABLE postmortem_search ("
     "  postmortem_id BIGINT PRIMARY KEY REFERENCES postmortems(id) ON DELETE CASCADE,"
     "  document tsvector NOT NULL);"
     "CREATE INDEX postmortem_search_document ON postmortem_search USING GIN (document);"},
    {4, "postmortem fields",
     "ALTER TABLE postmortems ADD COLUMN service TEXT NOT NULL DEFAULT '';"
     "ALTER TABLE postmortems ADD COLUMN tags TEXT NOT NULL DEFAULT '';"
     "ALTER TABLE postmortems ADD COLUMN started TEXT NOT NULL DEFAULT '';"
     "ALTER TABLE postmortems ADD COLUMN status_changed BIGINT NOT NULL DEFAULT 0;"
     "UPDATE postmortems SET status_changed = coalesce("
     "  (SELECT max(c.created) FROM state_changes c WHERE c.postmortem_id = postmortems.id),"
     "  created);"
     /* Tags are kept lower-cased, so they compare without case, once per
      * post mortem (the store writes them so). Text of any length (titles,
      * tags, owners) gets a hash index, for equality, or none: a B-tree
      * refuses entries over about 2.7 kB. */
     "CREATE TABLE postmortem_tags ("
     "  postmortem_id BIGINT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,"
     "  tag TEXT NOT NULL);"
     "CREATE INDEX postmortem_tags_postmortem ON postmortem_tags(postmortem_id);"
     "CREATE INDEX postmortem_tags_tag ON postmortem_tags USING hash (tag);"
     "CREATE INDEX postmortems_created ON postmortems(created);"
     "CREATE INDEX postmortems_started ON postmortems(started);"
     "CREATE INDEX postmortems_severity ON postmortems(lower(severity));"
     "CREATE INDEX postmortems_service ON postmortems(lower(service));"
     "CREATE INDEX postmortems_owner ON postmortems(owner_team_id);"
     "CREATE INDEX postmortems_status ON postmortems(status);"
     "CREATE INDEX postmortem_access_team_id ON postmortem_access(team_id);"
     "CREATE INDEX state_changes_postmortem ON state_changes(postmortem_id);"
     "CREATE INDEX ownership_changes_postmortem ON ownership_changes(postmortem_id);"
     /* The first owner of each post mortem, as later ones record it. */
     "INSERT INTO ownership_changes (postmortem_id, from_team_id, to_team_id, actor_id, reason,"
     "  created)"
     "  SELECT p.id, NULL, coalesce((SELECT o.from_team_id FROM ownership_changes o"
     "    WHERE o.postmortem_id = p.id ORDER BY o.id LIMIT 1), p.owner_team_id),"
     "    (SELECT r.author_id FROM revisions r WHERE r.postmortem_id = p.id AND r.number = 1),"
     "    '', p.created FROM postmortems p;"},
    {5, "approvals",
     /* review_round counts the moves into review; an approval belongs to
      * the round it was given in. */
     "ALTER TABLE postmortems ADD COLUMN review_round INTEGER NOT NULL DEFAULT 0;"
     "UPDATE postmortems SET review_round = (SELECT count(*) FROM state_changes c"
     "  WHERE c.postmortem_id = postmortems.id AND c.to_status = 'review');"
     "CREATE TABLE approvals ("
     "  id BIGSERIAL PRIMARY KEY,"
     "  postmortem_id BIGINT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,"
     "  review_round INTEGER NOT NULL,"
     "  reviewer_id BIGINT NOT NULL REFERENCES users(id),"
     "  revision INTEGER NOT NULL,"
     "  note TEXT NOT NULL,"
     "  created BIGINT NOT NULL,"
     "  UNIQUE (postmortem_id, review_round, reviewer_id));"},
    {6, "action items",
     "CREATE TABLE postmortem_actions ("
     "  postmortem_id BIGINT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,"
     "  number INTEGER NOT NULL CHECK (number >= 1),"
     "  description TEXT NOT NULL,"
     "  owner TEXT NOT NULL,"
     "  due TEXT NOT NULL,"
     "  priority TEXT NOT NULL,"
     "  status TEXT NOT NULL,"
     "  link TEXT NOT NULL,"
     "  PRIMARY KEY (postmortem_id, number));"
     "CREATE INDEX postmortem_actions_due ON postmortem_actions(due);"
     "CREATE INDEX postmortem_actions_owner ON postmortem_actions USING hash (lower(owner));"
     "CREATE TABLE action_marks ("
     "  postmortem_id BIGINT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,"
     "  number INTEGER NOT NULL,"
     "  status TEXT NOT NULL CHECK (status IN ('open','done','in-progress','wont-do')),"
     "  link TEXT NOT NULL,"
     "  actor_id BIGINT REFERENCES users(id),"
     "  created BIGINT NOT NULL,"
     "  PRIMARY KEY (postmortem_id, number));"
     "CREATE TABLE action_mark_history ("
     "  id BIGSERIAL PRIMARY KEY,"
     "  postmortem_id BIGINT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,"
     "  number INTEGER NOT NULL,"
     "  old_status TEXT NOT NULL,"
     "  new_status TEXT NOT NULL,"
     "  link TEXT NOT NULL,"
     "  actor_id BIGINT REFERENCES users(id),"
     "  created BIGINT NOT NULL);"
     "CREATE INDEX action_mark_history_item ON action_mark_history(postmortem_id, number);"},
    {7, "login failures",
     "CREATE TABLE login_failures ("
     "  key TEXT NOT NULL,"
     "  created BIGINT NOT NULL);"
     "CREATE INDEX login_failures_key ON login_failures(key, created);"},
    {8, "sessions end with the password",
     "CREATE FUNCTION sessions_end_with_password() RETURNS trigger LANGUAGE plpgsql AS $$"
     "  BEGIN DELETE FROM sessions WHERE user_id = NEW.id; RETURN NEW; END $$;"
     "CREATE TRIGGER users_password_ends_sessions AFTER UPDATE OF password_hash ON users"
     "  FOR EACH ROW WHEN (OLD.password_hash IS DISTINCT FROM NEW.password_hash)"
     "  EXECUTE FUNCTION sessions_end_with_password();"},
    {9, "attachments",
     /* As in SQLite: every version of every file, append-only, found by the
      * key's index (postmortem_id, name, version). */
     "CREATE TABLE attachments ("
     "  postmortem_id BIGINT NOT NULL REFERENCES postmortems(id),"
     "  name TEXT NOT NULL CHECK (octet_length(name) BETWEEN 1 AND 255),"
     "  version INTEGER NOT NULL CHECK (version >= 1),"
     "  revision INTEGER NOT NULL,"
     "  size BIGINT NOT NULL CHECK (size >= 0),"
     "  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),"
     "  author_id BIGINT REFERENCES users(id),"
     "  created BIGINT NOT NULL,"
     "  content BYTEA NOT NULL,"
     "  UNIQUE (postmortem_id, name, version));"
     "CREATE FUNCTION attachments_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$"
     " BEGIN"
     "  RAISE EXCEPTION 'attachments are never changed or deleted'"
     "    USING ERRCODE = 'integrity_constraint_violation';"
     " END $$;"
     "CREATE TRIGGER attachments_never_change BEFORE UPDATE OR DELETE ON attachments"
     "  FOR EACH ROW EXECUTE FUNCTION attachments_are_append_only();"
     "CREATE TRIGGER attachments_never_go BEFORE TRUNCATE ON attachments"
     "  FOR EACH STATEMENT EXECUTE FUNCTION attachments_are_append_only();"},
};

const size_t dbf__postgres_migration_count =
    sizeof dbf__postgres_migrations / sizeof *dbf__postgres_migrations;

/* What PostgreSQL alone needs, where SQLite has no counterpart: applied
 * after the numbered migrations, recorded apart (schema_migrations_postgres)
 * so the schema version stays the one both backends share. The same rule
 * holds: a released row is never edited. */
const struct dbf__migration dbf__postgres_only_migrations[] = {
    {1, "search ranked by the lead, matched through the index",
     /* Ranking every match by its whole document reads each from TOAST
      * (tens of MB for a common word). The rank reads the lead instead, a
      * vector small enough to stay in the row: the title (A) and the
      * opening of the text after the front matter (B: its heading and, in
      * the template, the summary). */
     "CREATE FUNCTION search_lead(title text, markdown text) RETURNS tsvector"
     "  LANGUAGE sql STABLE AS $$"
     "  SELECT setweight(to_tsvector('debrief_search', left(title, 4096)), 'A')"
     "    || setweight(to_tsvector('debrief_search', left(CASE"
     "         WHEN markdown LIKE E'---\\n%' OR markdown LIKE E'---\\r\\n%'"
     "         THEN coalesce(substr(markdown,"
     "                              nullif(strpos(substr(markdown, 4), E'\\n---'), 0) + 7),"
     "                       markdown)"
     "         ELSE markdown END, 400)), 'B') $$;"
     "ALTER TABLE postmortem_search ADD COLUMN lead tsvector NOT NULL DEFAULT '';"
     "UPDATE postmortem_search s SET lead = search_lead(p.title, r.markdown)"
     "  FROM postmortems p JOIN revisions r ON r.postmortem_id = p.id AND r.number = p.revision"
     "  WHERE p.id = s.postmortem_id;"
     /* The post mortems matching QUERY, with their rank. The planner prices
      * testing a document at one operator, but the document lives out of
      * line (TOAST): a sequential scan, its choice when a word is common,
      * reads every document, where the GIN index answers a plain word
      * query without reading one (no recheck). Inside this function, and
      * only here, the index is the way; a SQL function with a SET clause
      * is never inlined, so the setting holds. */
     "CREATE FUNCTION search_matches(query tsquery)"
     "  RETURNS TABLE (postmortem_id bigint, rank real)"
     "  LANGUAGE sql STABLE ROWS 1000 SET enable_seqscan = off AS $$"
     "  SELECT s.postmortem_id, ts_rank(s.lead, query) FROM postmortem_search s"
     "  WHERE s.document @@ query $$;"},
};

const size_t dbf__postgres_only_migration_count =
    sizeof dbf__postgres_only_migrations / sizeof *dbf__postgres_only_migrations;
