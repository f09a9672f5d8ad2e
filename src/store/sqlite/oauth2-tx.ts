// OAuth 2.0 token writes on the SQLite writer, inside the transaction the store opened.
import type Database from 'better-sqlite3';
import type { OAuth2TokenRow, OAuth2Tx } from '../types.js';
import { toOAuth2Token, type Raw } from './rows.js';

function prepare(db: Database.Database) {
  return {
    token: db.prepare('SELECT * FROM oauth2_tokens WHERE token_hash = ?'),
    insert: db.prepare(`INSERT INTO oauth2_tokens (token_hash, kind, app_id, user_id, scopes, expires_at, created_at, family)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    revoke: db.prepare('UPDATE oauth2_tokens SET revoked = 1 WHERE token_hash = ? AND revoked = 0'),
    // The revoked hashes come back so the read cache drops each after the COMMIT.
    revokeFamily: db.prepare('UPDATE oauth2_tokens SET revoked = 1 WHERE family = ? AND revoked = 0 RETURNING token_hash'),
  };
}

// Prepared once per connection, not per transaction.
const prepared = new WeakMap<Database.Database, ReturnType<typeof prepare>>();

/** `revoked` hears of every token this transaction revokes (the read cache drops them after COMMIT). */
export function sqliteOAuth2Tx(db: Database.Database, revoked: (tokenHash: string) => void = () => undefined): OAuth2Tx {
  let s = prepared.get(db);
  if (!s) prepared.set(db, (s = prepare(db)));
  const stmts = s;
  return {
    async token(tokenHash) {
      const r = stmts.token.get(tokenHash) as Raw | undefined;
      return r && { ...toOAuth2Token(r), family: (r.family as string | null) ?? tokenHash, revoked: Number(r.revoked) === 1 };
    },
    async insert(t: OAuth2TokenRow) {
      stmts.insert.run(t.tokenHash, t.kind, t.appId, t.userId, t.scopes.join(' '), t.expiresAt, t.createdAt, t.family ?? t.tokenHash);
    },
    async revoke(tokenHash) {
      revoked(tokenHash);
      return stmts.revoke.run(tokenHash).changes > 0;
    },
    async revokeFamily(family) {
      const rows = stmts.revokeFamily.all(family) as Raw[];
      for (const r of rows) revoked(r.token_hash as string);
      return rows.length;
    },
  };
}
