// Every fixed statement of the adapter, run as named (prepared once per connection) statements.
// Id lists travel as one bigint[] parameter (`= ANY($n::bigint[])`): one plan for any length.
import type { Pool, PoolClient } from 'pg';
import type { Raw } from './rows.js';

export type Db = Pool | PoolClient;

// A list is the rows of one (kind, owner) that are not hidden: the user each names is active.
// The key is (kind, owner, hidden, seq), so a page is one range of it, with no lookup per row.
const OUT = 'FROM edges_fwd WHERE kind = $1 AND src = $2 AND hidden = false';
const IN = 'FROM edges_bwd WHERE kind = $1 AND dst = $2 AND hidden = false';

/**
 * User rows with whole counts: the row's own plus the striped changes graph writes add (migration
 * 6, pg-tx.ts), which toUser (rows.ts) adds up. `u.*` keeps every column a later migration adds.
 */
export const USERS = `SELECT u.*, c.followers AS striped_followers, c.friends AS striped_friends FROM users u
  LEFT JOIN LATERAL (SELECT sum(s.followers)::int AS followers, sum(s.friends)::int AS friends
    FROM user_counts s WHERE s.id = u.id) c ON true`;

export const SQL = {
  userById: `${USERS} WHERE u.id = $1`,
  // Through the lookup table that keeps names unique (migration 7): one shard, then another.
  userByKey: `${USERS} WHERE u.id = (SELECT user_id FROM screen_names WHERE key = $1)`,
  usersByIds: `${USERS} WHERE u.id = ANY($1::bigint[])`,
  usersByKeys: `${USERS} WHERE u.id = ANY(ARRAY(SELECT user_id FROM screen_names WHERE key = ANY($1::text[])))`,
  countUsers: 'SELECT count(*) AS n FROM users',
  allUserIds: 'SELECT id FROM users ORDER BY id',

  outBefore: `SELECT seq, dst AS id ${OUT} AND seq < $3 ORDER BY seq DESC LIMIT $4`,
  outAfter: `SELECT seq, dst AS id ${OUT} AND seq > $3 ORDER BY seq ASC LIMIT $4`,
  outAtOrAbove: `SELECT 1 ${OUT} AND seq >= $3 LIMIT 1`,
  outAtOrBelow: `SELECT 1 ${OUT} AND seq <= $3 LIMIT 1`,
  inBefore: `SELECT seq, src AS id ${IN} AND seq < $3 ORDER BY seq DESC LIMIT $4`,
  inAfter: `SELECT seq, src AS id ${IN} AND seq > $3 ORDER BY seq ASC LIMIT $4`,
  inAtOrAbove: `SELECT 1 ${IN} AND seq >= $3 LIMIT 1`,
  inAtOrBelow: `SELECT 1 ${IN} AND seq <= $3 LIMIT 1`,
  relOut: `SELECT kind, dst AS id, notify, retweets FROM edges_fwd
    WHERE kind IN (0, 1, 2, 3) AND src = $1 AND dst = ANY($2::bigint[])`,
  relIn: `SELECT kind, src AS id FROM edges_bwd
    WHERE kind IN (0, 1, 2) AND dst = $2 AND src = ANY($1::bigint[])`,
  noRetweets: `SELECT dst AS id ${OUT} AND NOT retweets ORDER BY seq DESC`,
  countEdges: `SELECT (SELECT count(*) ${IN}) AS followers, (SELECT count(*) ${OUT}) AS friends`,

  appByKey: 'SELECT * FROM apps WHERE consumer_key = $1',
  // A signed request's app, token and user in one round trip; each table's columns follow a
  // marker column (postgres-store.ts oauthCaller splits the row there).
  oauthCaller: `SELECT 1 AS "@app", a.*, 1 AS "@token", t.*, 1 AS "@user", uu.* FROM (SELECT 1) one
    LEFT JOIN apps a ON a.consumer_key = $1
    LEFT JOIN tokens t ON t.token = $2 AND NOT t.revoked
    LEFT JOIN LATERAL (${USERS} WHERE u.id = t.user_id) uu ON true`,
  appByBearer: 'SELECT * FROM apps WHERE bearer_token = $1',
  appByClientId: 'SELECT * FROM apps WHERE client_id = $1',
  appById: 'SELECT * FROM apps WHERE id = $1',
  apps: 'SELECT * FROM apps ORDER BY id',
  token: 'SELECT * FROM tokens WHERE token = $1 AND NOT revoked',
  tokenFor: `SELECT * FROM tokens WHERE app_id = $1 AND user_id = $2 AND access_level = $3 AND NOT revoked
    ORDER BY created_at LIMIT 1`,
  insertApp: `INSERT INTO apps (id, name, consumer_key, consumer_secret, bearer_token, client_id, client_secret,
    access_level, callback_urls, client_type, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
  updateCallbacks: 'UPDATE apps SET callback_urls = $1 WHERE id = $2',
  updateClientType: 'UPDATE apps SET client_type = $1 WHERE id = $2',
  insertOAuth2: `INSERT INTO oauth2_tokens (token_hash, kind, app_id, user_id, scopes, expires_at, created_at, family)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
  oauth2Token: 'SELECT * FROM oauth2_tokens WHERE token_hash = $1 AND NOT revoked',
  revokeOAuth2: 'UPDATE oauth2_tokens SET revoked = true WHERE token_hash = $1 AND NOT revoked',
  setPassword: 'UPDATE users SET password_hash = $1 WHERE id = $2',
  passwordHash: 'SELECT password_hash FROM users WHERE id = $1',
  setBearer: 'UPDATE apps SET bearer_token = $1 WHERE id = $2',
  insertToken: `INSERT INTO tokens (token, secret, app_id, user_id, access_level, created_at)
    VALUES ($1, $2, $3, $4, $5, $6)`,
  revokeToken: 'UPDATE tokens SET revoked = true WHERE token = $1 AND NOT revoked',

  // inside transactions (the pair and count statements are built in pg-tx.ts, several to a round trip)
  setAttrs: 'UPDATE edges_fwd SET notify = $1, retweets = $2 WHERE kind = 0 AND src = $3 AND dst = $4',
  // The same orders SQLite's plans give (its pair index, its primary key), so bulk rules replay alike.
  edgesOut: 'SELECT dst AS id FROM edges_fwd WHERE kind = $1 AND src = $2 ORDER BY dst',
  edgesIn: 'SELECT src AS id FROM edges_bwd WHERE kind = $1 AND dst = $2 ORDER BY seq',
  // The row holds what the stripes do not, so that the two add up to the counts given.
  setCounts: `UPDATE users u SET followers_count = $1 - coalesce(c.followers, 0), friends_count = $2 - coalesce(c.friends, 0)
    FROM (SELECT sum(followers)::int AS followers, sum(friends)::int AS friends FROM user_counts WHERE id = $3) c WHERE u.id = $3`,
  // Neighbour updates take the id list first, then update users by id: on Citus each statement
  // stays on one table's shards instead of joining tables distributed on different columns.
  lockUsers: 'SELECT id FROM users WHERE id = ANY($1::bigint[]) ORDER BY id FOR NO KEY UPDATE',
  adjustFollowers: 'UPDATE users SET followers_count = followers_count + $1 WHERE id = ANY($2::bigint[])',
  adjustFriends: 'UPDATE users SET friends_count = friends_count + $1 WHERE id = ANY($2::bigint[])',
  // A user's state moves its rows in other users' lists. As above, the keys are read first and
  // the rows updated by them, so each statement stays on one edge table.
  namedIn: 'SELECT kind, src FROM edges_bwd WHERE kind = ANY(\'{0,1,2,3}\'::smallint[]) AND dst = $1',
  namedOut: 'SELECT kind, dst, seq FROM edges_fwd WHERE kind = ANY(\'{0,1,2,3}\'::smallint[]) AND src = $1',
  moveNamedFwd: `UPDATE edges_fwd e SET hidden = $1 FROM unnest($2::smallint[], $3::bigint[]) AS t (kind, src)
    WHERE e.kind = t.kind AND e.src = t.src AND e.dst = $4 AND e.hidden <> $1`,
  moveNamedBwd: `UPDATE edges_bwd e SET hidden = $1 FROM unnest($2::smallint[], $3::bigint[], $4::bigint[]) AS t (kind, dst, seq)
    WHERE e.kind = t.kind AND e.dst = t.dst AND e.hidden = NOT $1 AND e.seq = t.seq`,
  // The lookup row first: a taken name fails here, on its unique key.
  insertScreenName: 'INSERT INTO screen_names (key, user_id) VALUES ($1, $2)',
  // A new user has no stripes yet: its row is whole.
  insertUser: `INSERT INTO users (id, screen_name, screen_name_key, name, description, location, url, email,
    protected, verified, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
} as const;

export type QueryName = keyof typeof SQL;

/** Runs a fixed statement by name; pg prepares it on each connection the first time it is used there. */
export async function q(db: Db, name: QueryName, values: unknown[]): Promise<Raw[]> {
  const res = await db.query({ name: `roost_${name}`, text: SQL[name], values });
  return res.rows as Raw[];
}

/** Runs a fixed statement by name with its rows as arrays, beside the columns' names (which may repeat). */
export async function qArrays(db: Db, name: QueryName, values: unknown[]): Promise<{ names: string[]; rows: unknown[][] }> {
  const res = await db.query({ name: `roost_${name}`, text: SQL[name], values, rowMode: 'array' });
  return { names: res.fields.map((f) => f.name), rows: res.rows as unknown[][] };
}

/** Runs a fixed write by name and returns how many rows it changed. */
export async function qCount(db: Db, name: QueryName, values: unknown[]): Promise<number> {
  const res = await db.query({ name: `roost_${name}`, text: SQL[name], values });
  return res.rowCount ?? 0;
}
