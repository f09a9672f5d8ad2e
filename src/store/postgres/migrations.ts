// Versioned PostgreSQL schema, the same tables as SQLite's. A migration never changes once
// released; add a new one instead. Every graph is stored twice (FlockDB's shape): forward by
// (kind, src, hidden, seq) and backward by (kind, dst, hidden, seq), so every list is one range
// scan of one key.
//
// Kept within what Citus distributes (docs/scaling.md): edges_fwd by src, edges_bwd by dst,
// users, user_counts and tokens by user id, screen_names by key; every unique key contains its
// table's distribution column (since 7), and no foreign key joins edges or tokens to users.
import type { PoolClient } from 'pg';

export const PG_MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
CREATE TABLE users (
  id BIGINT PRIMARY KEY,
  screen_name TEXT NOT NULL,
  screen_name_key TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  location TEXT NOT NULL DEFAULT '',
  url TEXT,
  email TEXT,
  protected BOOLEAN NOT NULL DEFAULT false,
  verified BOOLEAN NOT NULL DEFAULT false,
  state SMALLINT NOT NULL DEFAULT 0,
  locked BOOLEAN NOT NULL DEFAULT false,
  followers_count INTEGER NOT NULL DEFAULT 0,
  friends_count INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE TABLE edges_fwd (
  kind SMALLINT NOT NULL, src BIGINT NOT NULL, seq BIGINT NOT NULL, dst BIGINT NOT NULL,
  notify BOOLEAN NOT NULL DEFAULT false, retweets BOOLEAN NOT NULL DEFAULT true,
  CONSTRAINT edges_fwd_pkey PRIMARY KEY (kind, src, seq),
  CONSTRAINT edges_fwd_pair UNIQUE (kind, src, dst)
);
CREATE TABLE edges_bwd (
  kind SMALLINT NOT NULL, dst BIGINT NOT NULL, seq BIGINT NOT NULL, src BIGINT NOT NULL,
  CONSTRAINT edges_bwd_pkey PRIMARY KEY (kind, dst, seq)
);
-- Positions: a sequence rather than SQLite's counter row, which would serialize every edge write.
-- Values skip on rollback and retry; only their order matters.
CREATE SEQUENCE edge_seq AS BIGINT;
CREATE TABLE apps (
  id BIGINT PRIMARY KEY,
  name TEXT NOT NULL,
  consumer_key TEXT NOT NULL UNIQUE,
  consumer_secret TEXT NOT NULL,
  bearer_token TEXT UNIQUE,
  client_id TEXT NOT NULL UNIQUE,
  client_secret TEXT NOT NULL,
  access_level TEXT NOT NULL,
  callback_urls JSONB NOT NULL DEFAULT '[]',
  created_at BIGINT NOT NULL
);
CREATE TABLE tokens (
  token TEXT PRIMARY KEY,
  secret TEXT NOT NULL,
  app_id BIGINT NOT NULL REFERENCES apps (id),
  user_id BIGINT NOT NULL,
  access_level TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX tokens_by_grant ON tokens (app_id, user_id, access_level);
`,
  },
  {
    version: 2,
    sql: `
ALTER TABLE users ADD COLUMN password_hash TEXT;
ALTER TABLE apps ADD COLUMN client_type TEXT NOT NULL DEFAULT 'confidential';
CREATE TABLE oauth2_tokens (
  token_hash TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  app_id BIGINT NOT NULL REFERENCES apps (id),
  user_id BIGINT NOT NULL,
  scopes TEXT NOT NULL,
  expires_at BIGINT,
  created_at BIGINT NOT NULL,
  revoked BOOLEAN NOT NULL DEFAULT false
);
`,
  },
  {
    // Visibility lives in the edge: each row carries whether the user it names (dst forward, src
    // backward) is suspended or deactivated, ahead of seq in the key, so a list of active users is
    // one range with no join. A user without a row counts as hidden, as the join it replaces did.
    version: 3,
    sql: `
ALTER TABLE edges_fwd ADD COLUMN hidden BOOLEAN NOT NULL DEFAULT false;
UPDATE edges_fwd e SET hidden = true WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = e.dst AND u.state = 0);
ALTER TABLE edges_fwd DROP CONSTRAINT edges_fwd_pkey, ADD CONSTRAINT edges_fwd_pkey PRIMARY KEY (kind, src, hidden, seq);
ALTER TABLE edges_bwd ADD COLUMN hidden BOOLEAN NOT NULL DEFAULT false;
UPDATE edges_bwd e SET hidden = true WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = e.src AND u.state = 0);
ALTER TABLE edges_bwd DROP CONSTRAINT edges_bwd_pkey, ADD CONSTRAINT edges_bwd_pkey PRIMARY KEY (kind, dst, hidden, seq);
`,
  },
  {
    // As SQLite's version 4; here stored rows take 0 without a rewrite, then new rows default to 1.
    version: 4,
    sql: `
ALTER TABLE users ADD COLUMN theme SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE users ALTER COLUMN theme SET DEFAULT 1;
`,
  },
  {
    // OAuth 2.0 token families (RFC 9700 §4.14.2): a reused refresh token revokes its family.
    version: 5,
    sql: `
ALTER TABLE oauth2_tokens ADD COLUMN family TEXT;
UPDATE oauth2_tokens SET family = token_hash WHERE family IS NULL;
CREATE INDEX oauth2_tokens_family ON oauth2_tokens (family);
`,
  },
  {
    // Counts in stripes: a graph write adds its count changes to one of 16 rows per user (chosen
    // per transaction) rather than to the user's row, so commits that follow one account hold
    // different rows and share their WAL flushes instead of queueing for one row's lock. A user's
    // counts are its row's plus its stripes' (queries.ts USERS); the row holds the rest.
    version: 6,
    sql: `
CREATE TABLE user_counts (
  id BIGINT NOT NULL,
  stripe SMALLINT NOT NULL,
  followers INTEGER NOT NULL DEFAULT 0,
  friends INTEGER NOT NULL DEFAULT 0,
  CONSTRAINT user_counts_pkey PRIMARY KEY (id, stripe)
);
`,
  },
  {
    // Ready for Citus (docs/scaling.md): every unique key of a table contains the column it is
    // distributed on. Screen names stay unique through a lookup table keyed (and distributed) by
    // the name; users keep a plain index on it. Tokens are unique per user, found by their value
    // through a plain index. Incoming relations read the backward table by (kind, dst, src), on
    // the viewer's shard, instead of the forward table on one shard per other user.
    version: 7,
    sql: `
CREATE TABLE screen_names (key TEXT NOT NULL, user_id BIGINT NOT NULL, CONSTRAINT screen_names_pkey PRIMARY KEY (key));
INSERT INTO screen_names (key, user_id) SELECT screen_name_key, id FROM users;
ALTER TABLE users DROP CONSTRAINT users_screen_name_key_key;
CREATE INDEX users_screen_name_key ON users (screen_name_key);
ALTER TABLE tokens DROP CONSTRAINT tokens_pkey, ADD CONSTRAINT tokens_pkey PRIMARY KEY (user_id, token);
CREATE INDEX tokens_by_value ON tokens (token);
CREATE INDEX edges_bwd_pair ON edges_bwd (kind, dst, src);
`,
  },
  {
    // Pages as index-only scans: the key of each edge table carries the other end's id, so a
    // 5,000-id page reads the index (about 40 pages of it) and not the rows it points to.
    version: 8,
    sql: `
ALTER TABLE edges_fwd DROP CONSTRAINT edges_fwd_pkey, ADD CONSTRAINT edges_fwd_pkey PRIMARY KEY (kind, src, hidden, seq) INCLUDE (dst);
ALTER TABLE edges_bwd DROP CONSTRAINT edges_bwd_pkey, ADD CONSTRAINT edges_bwd_pkey PRIMARY KEY (kind, dst, hidden, seq) INCLUDE (src);
`,
  },
  {
    // The event outbox, written in the same transaction as the graph change it describes. A row
    // is written with its transaction's id (xid) and no seq; readers number committed rows in
    // order (src/store/postgres/pg-events.ts), so a seq is never below one already handed out.
    // event_head holds the highest seq given, which retention never lowers.
    version: 9,
    sql: `
CREATE TABLE events (
  seq BIGINT,
  xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  id BIGINT NOT NULL,
  type TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  source_id BIGINT NOT NULL,
  target_id BIGINT,
  before TEXT,
  after TEXT
);
CREATE UNIQUE INDEX events_seq ON events (seq);
CREATE INDEX events_unsettled ON events (xid, id) WHERE seq IS NULL;
CREATE INDEX events_created_at ON events (created_at);
CREATE TABLE event_head (one BOOLEAN PRIMARY KEY DEFAULT true CHECK (one), seq BIGINT NOT NULL);
INSERT INTO event_head (seq) VALUES (0);
`,
  },
  {
    // Activity API subscriptions (SQLite's version 7).
    version: 10,
    sql: `
CREATE TABLE activity_subscriptions (
  app_id BIGINT NOT NULL, id BIGINT NOT NULL, event_type TEXT NOT NULL, user_id BIGINT NOT NULL,
  direction TEXT, tag TEXT, webhook_id BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
  PRIMARY KEY (app_id, id)
);
CREATE INDEX activity_subscriptions_webhook ON activity_subscriptions (webhook_id) WHERE webhook_id IS NOT NULL;
`,
  },
  {
    // Webhooks (per app), their Account Activity subscriptions, delivery cursors and leases,
    // replay jobs, and a bounded log of delivery attempts.
    version: 11,
    sql: `
CREATE TABLE webhooks (
  id BIGINT PRIMARY KEY,
  app_id BIGINT NOT NULL,
  url TEXT NOT NULL,
  valid BOOLEAN NOT NULL,
  created_at BIGINT NOT NULL,
  cursor BIGINT NOT NULL,
  lease_owner TEXT,
  lease_until BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX webhooks_app ON webhooks (app_id, id);
CREATE TABLE webhook_subscriptions (
  webhook_id BIGINT NOT NULL, user_id BIGINT NOT NULL, created_at BIGINT NOT NULL,
  PRIMARY KEY (webhook_id, user_id)
);
CREATE TABLE webhook_replays (
  id BIGINT PRIMARY KEY, webhook_id BIGINT NOT NULL, from_ms BIGINT NOT NULL, to_ms BIGINT NOT NULL,
  cursor BIGINT NOT NULL, created_at BIGINT NOT NULL
);
CREATE TABLE webhook_attempts (
  id BIGSERIAL PRIMARY KEY, webhook_id BIGINT NOT NULL, event_seq BIGINT NOT NULL, kind TEXT NOT NULL,
  at BIGINT NOT NULL, status INTEGER, ms INTEGER NOT NULL, error TEXT, answer TEXT, body TEXT NOT NULL
);
CREATE INDEX webhook_attempts_webhook ON webhook_attempts (webhook_id, id);
`,
  },
];

/** Hashed with the schema name into the advisory lock key: each schema migrates on its own. */
const LOCK_NAMESPACE = 'roost.migrate:';

/**
 * Creates the schema if needed and applies missing migrations, in one transaction. The advisory
 * lock makes a second process starting at the same moment wait, then find nothing left to do.
 * The client's search_path must already name `schema` (null: the default search path).
 */
export async function migratePostgres(client: PoolClient, schema: string | null): Promise<number[]> {
  await client.query('BEGIN');
  try {
    // A migration rewrites whole tables (3 computes every edge row's state): no per-statement limit.
    await client.query('SET LOCAL statement_timeout = 0');
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [LOCK_NAMESPACE + (schema ?? '')]);
    if (schema !== null) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
    const done = new Set((await client.query('SELECT version FROM schema_migrations')).rows.map((r) => r.version as number));
    const applied: number[] = [];
    for (const m of PG_MIGRATIONS) {
      if (done.has(m.version)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [m.version, Date.now()]);
      applied.push(m.version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/**
 * Schema names come from configuration; only plain lower-case identifiers are accepted, as the
 * search_path startup option would fold any other case and so name a different schema.
 */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
