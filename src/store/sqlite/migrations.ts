// Versioned schema. A migration never changes once released; add a new one instead.
// Each graph is stored twice (FlockDB's shape): forward by (kind, src, hidden, seq) and backward
// by (kind, dst, hidden, seq), so every list is one range scan of one key, newest first.

export const SQLITE_MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  screen_name TEXT NOT NULL,
  screen_name_key TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  location TEXT NOT NULL DEFAULT '',
  url TEXT,
  email TEXT,
  protected INTEGER NOT NULL DEFAULT 0,
  verified INTEGER NOT NULL DEFAULT 0,
  state INTEGER NOT NULL DEFAULT 0,
  locked INTEGER NOT NULL DEFAULT 0,
  followers_count INTEGER NOT NULL DEFAULT 0,
  friends_count INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE TABLE edges_fwd (
  kind INTEGER NOT NULL, src INTEGER NOT NULL, seq INTEGER NOT NULL, dst INTEGER NOT NULL,
  notify INTEGER NOT NULL DEFAULT 0, retweets INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (kind, src, seq)
) WITHOUT ROWID;
CREATE UNIQUE INDEX edges_fwd_pair ON edges_fwd (kind, src, dst);
CREATE TABLE edges_bwd (
  kind INTEGER NOT NULL, dst INTEGER NOT NULL, seq INTEGER NOT NULL, src INTEGER NOT NULL,
  PRIMARY KEY (kind, dst, seq)
) WITHOUT ROWID;
CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO counters (name, value) VALUES ('edge_seq', 0);
CREATE TABLE apps (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  consumer_key TEXT NOT NULL UNIQUE,
  consumer_secret TEXT NOT NULL,
  bearer_token TEXT UNIQUE,
  client_id TEXT NOT NULL UNIQUE,
  client_secret TEXT NOT NULL,
  access_level TEXT NOT NULL,
  callback_urls TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL
);
CREATE TABLE tokens (
  token TEXT PRIMARY KEY,
  secret TEXT NOT NULL,
  app_id INTEGER NOT NULL REFERENCES apps (id),
  user_id INTEGER NOT NULL REFERENCES users (id),
  access_level TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0
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
  app_id INTEGER NOT NULL REFERENCES apps (id),
  user_id INTEGER NOT NULL REFERENCES users (id),
  scopes TEXT NOT NULL,
  expires_at INTEGER,
  created_at INTEGER NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0
);
`,
  },
  {
    // Visibility lives in the edge: each row carries whether the user it names (dst forward, src
    // backward) is suspended or deactivated, ahead of seq in the key, so a list of active users is
    // one range with no join. A user without a row counts as hidden, as the join it replaces did.
    version: 3,
    sql: `
CREATE TABLE edges_fwd_v3 (
  kind INTEGER NOT NULL, src INTEGER NOT NULL, hidden INTEGER NOT NULL DEFAULT 0, seq INTEGER NOT NULL, dst INTEGER NOT NULL,
  notify INTEGER NOT NULL DEFAULT 0, retweets INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (kind, src, hidden, seq)
) WITHOUT ROWID;
INSERT INTO edges_fwd_v3 (kind, src, hidden, seq, dst, notify, retweets)
  SELECT e.kind, e.src, e.dst NOT IN (SELECT id FROM users WHERE state = 0), e.seq, e.dst, e.notify, e.retweets
  FROM edges_fwd e ORDER BY e.kind, e.src, e.seq;
DROP TABLE edges_fwd;
ALTER TABLE edges_fwd_v3 RENAME TO edges_fwd;
CREATE UNIQUE INDEX edges_fwd_pair ON edges_fwd (kind, src, dst);
CREATE TABLE edges_bwd_v3 (
  kind INTEGER NOT NULL, dst INTEGER NOT NULL, hidden INTEGER NOT NULL DEFAULT 0, seq INTEGER NOT NULL, src INTEGER NOT NULL,
  PRIMARY KEY (kind, dst, hidden, seq)
) WITHOUT ROWID;
INSERT INTO edges_bwd_v3 (kind, dst, hidden, seq, src)
  SELECT e.kind, e.dst, e.src NOT IN (SELECT id FROM users WHERE state = 0), e.seq, e.src
  FROM edges_bwd e ORDER BY e.kind, e.dst, e.seq;
DROP TABLE edges_bwd;
ALTER TABLE edges_bwd_v3 RENAME TO edges_bwd;
`,
  },
  {
    // Accounts get Twitter's post-2016 profile design; those already stored keep theme1, the one
    // they were shown with. The default names the new design, so no insert has to.
    version: 4,
    sql: `
ALTER TABLE users ADD COLUMN theme INTEGER NOT NULL DEFAULT 1;
UPDATE users SET theme = 0;
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
    // The event outbox, written in the same transaction as the graph change it describes.
    // AUTOINCREMENT: a seq is never handed out twice, even after retention empties the table.
    version: 6,
    sql: `
CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id INTEGER NOT NULL,
  type TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  source_id INTEGER NOT NULL,
  target_id INTEGER,
  before TEXT,
  after TEXT
);
CREATE INDEX events_created_at ON events (created_at);
`,
  },
  {
    // Activity API subscriptions, per app, listed in id order; the webhook deliverer reads them by webhook.
    version: 7,
    sql: `
CREATE TABLE activity_subscriptions (
  app_id INTEGER NOT NULL, id INTEGER NOT NULL, event_type TEXT NOT NULL, user_id INTEGER NOT NULL,
  direction TEXT, tag TEXT, webhook_id INTEGER, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  PRIMARY KEY (app_id, id)
) WITHOUT ROWID;
CREATE INDEX activity_subscriptions_webhook ON activity_subscriptions (webhook_id) WHERE webhook_id IS NOT NULL;
`,
  },
  {
    // Webhooks (per app), their Account Activity subscriptions, delivery cursors and leases,
    // replay jobs, and a bounded log of delivery attempts.
    version: 8,
    sql: `
CREATE TABLE webhooks (
  id INTEGER PRIMARY KEY,
  app_id INTEGER NOT NULL,
  url TEXT NOT NULL,
  valid INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  cursor INTEGER NOT NULL,
  lease_owner TEXT,
  lease_until INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX webhooks_app ON webhooks (app_id, id);
CREATE TABLE webhook_subscriptions (
  webhook_id INTEGER NOT NULL, user_id INTEGER NOT NULL, created_at INTEGER NOT NULL,
  PRIMARY KEY (webhook_id, user_id)
) WITHOUT ROWID;
CREATE TABLE webhook_replays (
  id INTEGER PRIMARY KEY, webhook_id INTEGER NOT NULL, from_ms INTEGER NOT NULL, to_ms INTEGER NOT NULL,
  cursor INTEGER NOT NULL, created_at INTEGER NOT NULL
);
CREATE TABLE webhook_attempts (
  id INTEGER PRIMARY KEY AUTOINCREMENT, webhook_id INTEGER NOT NULL, event_seq INTEGER NOT NULL, kind TEXT NOT NULL,
  at INTEGER NOT NULL, status INTEGER, ms INTEGER NOT NULL, error TEXT, answer TEXT, body TEXT NOT NULL
);
CREATE INDEX webhook_attempts_webhook ON webhook_attempts (webhook_id, id);
`,
  },
];
