// OAuth 2.0 token writes on the transaction's client (READ COMMITTED, opened by PostgresStore).
import type { QueryConfig, QueryResult } from 'pg';
import type { OAuth2TokenRow, OAuth2Tx } from '../types.js';
import { toOAuth2Token, type Raw } from './rows.js';

const SQL = {
  // Locked: of two refreshes racing with one token, the second reads it revoked (a reuse).
  token: 'SELECT * FROM oauth2_tokens WHERE token_hash = $1 FOR UPDATE',
  insert: `INSERT INTO oauth2_tokens (token_hash, kind, app_id, user_id, scopes, expires_at, created_at, family)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
  revoke: 'UPDATE oauth2_tokens SET revoked = true WHERE token_hash = $1 AND NOT revoked',
  revokeFamily: 'UPDATE oauth2_tokens SET revoked = true WHERE family = $1 AND NOT revoked',
} as const;

const hasNul = (s: string) => s.includes('\0');

export class PgOAuth2Tx implements OAuth2Tx {
  /** `run` sends a statement inside the transaction (opening it first if need be). */
  constructor(private readonly exec: (query: QueryConfig) => Promise<QueryResult>) {}

  private run(name: keyof typeof SQL, values: unknown[]) {
    return this.exec({ name: `roost_oauth2_tx_${name}`, text: SQL[name], values });
  }

  async token(tokenHash: string) {
    if (hasNul(tokenHash)) return undefined;
    const r = (await this.run('token', [tokenHash])).rows[0] as Raw | undefined;
    return r && { ...toOAuth2Token(r), family: (r.family as string | null) ?? tokenHash, revoked: r.revoked === true };
  }
  async insert(t: OAuth2TokenRow) {
    await this.run('insert', [t.tokenHash, t.kind, t.appId, t.userId, t.scopes.join(' '), t.expiresAt, t.createdAt, t.family ?? t.tokenHash]);
  }
  async revoke(tokenHash: string) {
    if (hasNul(tokenHash)) return false;
    return ((await this.run('revoke', [tokenHash])).rowCount ?? 0) > 0;
  }
  async revokeFamily(family: string) {
    if (hasNul(family)) return 0;
    return (await this.run('revokeFamily', [family])).rowCount ?? 0;
  }
}
