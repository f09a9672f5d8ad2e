// The webhook port on PostgreSQL: single statements on the pool (each its own transaction);
// the lease is a conditional UPDATE, which PostgreSQL re-checks after taking the row lock.
import type { Pool } from 'pg';
import type { UserId } from '../types.js';
import { webhookRowMappers } from '../webhook-rows.js';
import { ATTEMPTS_KEPT, type AttemptRow, type NewWebhook, type ReplayRow, type WebhookStore } from '../webhook-types.js';

type Raw = Record<string, unknown>;
const { toWebhook, toReplay, toAttempt } = webhookRowMappers((v) => v === true);

export class PostgresWebhookStore implements WebhookStore {
  constructor(private readonly pool: Pool) {}

  private async rows(sql: string, values: unknown[]): Promise<Raw[]> {
    return (await this.pool.query(sql, values)).rows as Raw[];
  }
  private async count(sql: string, values: unknown[]): Promise<number> {
    return (await this.pool.query(sql, values)).rowCount ?? 0;
  }

  async insertWebhook(w: NewWebhook) {
    await this.count('INSERT INTO webhooks (id, app_id, url, valid, created_at, cursor) VALUES ($1, $2, $3, $4, $5, $6)',
      [w.id, w.appId, w.url, w.valid, w.createdAt, w.cursor]);
  }
  async webhook(id: bigint) {
    const r = (await this.rows('SELECT * FROM webhooks WHERE id = $1', [id]))[0];
    return r && toWebhook(r);
  }
  async webhooksOf(appId: bigint) {
    return (await this.rows('SELECT * FROM webhooks WHERE app_id = $1 ORDER BY id', [appId])).map(toWebhook);
  }
  async allWebhooks() {
    return (await this.rows('SELECT * FROM webhooks ORDER BY id', [])).map(toWebhook);
  }
  async setValid(id: bigint, valid: boolean) {
    await this.count('UPDATE webhooks SET valid = $1 WHERE id = $2', [valid, id]);
  }
  async deleteWebhook(id: bigint) {
    // One statement, so the webhook and what hangs off it go together.
    const r = await this.rows(`WITH s AS (DELETE FROM webhook_subscriptions WHERE webhook_id = $1),
      j AS (DELETE FROM webhook_replays WHERE webhook_id = $1), a AS (DELETE FROM webhook_attempts WHERE webhook_id = $1),
      -- Activity subscriptions that named it stay, for the stream, naming no webhook.
      u AS (UPDATE activity_subscriptions SET webhook_id = NULL WHERE webhook_id = $1)
      DELETE FROM webhooks WHERE id = $1 RETURNING id`, [id]);
    return r.length > 0;
  }
  async lease(id: bigint, owner: string, nowMs: number, untilMs: number) {
    return (await this.count(`UPDATE webhooks SET lease_owner = $2, lease_until = $3
      WHERE id = $1 AND (lease_owner IS NULL OR lease_owner = $2 OR lease_until < $4)`, [id, owner, untilMs, nowMs])) > 0;
  }
  async releaseLease(id: bigint, owner: string) {
    await this.count('UPDATE webhooks SET lease_owner = NULL, lease_until = 0 WHERE id = $1 AND lease_owner = $2', [id, owner]);
  }
  async subscribe(webhookId: bigint, userId: UserId, at: number) {
    return (await this.count(`INSERT INTO webhook_subscriptions (webhook_id, user_id, created_at) VALUES ($1, $2, $3)
      ON CONFLICT DO NOTHING`, [webhookId, userId, at])) > 0;
  }
  async unsubscribe(webhookId: bigint, userId: UserId) {
    return (await this.count('DELETE FROM webhook_subscriptions WHERE webhook_id = $1 AND user_id = $2', [webhookId, userId])) > 0;
  }
  async subscribedAmong(webhookId: bigint, users: readonly UserId[]) {
    if (users.length === 0) return [];
    const r = await this.rows('SELECT user_id FROM webhook_subscriptions WHERE webhook_id = $1 AND user_id = ANY($2::bigint[])',
      [webhookId, users.map(String)]);
    return r.map((x) => x.user_id as bigint);
  }
  async subscribers(webhookId: bigint) {
    const r = await this.rows('SELECT user_id FROM webhook_subscriptions WHERE webhook_id = $1 ORDER BY created_at, user_id', [webhookId]);
    return r.map((x) => x.user_id as bigint);
  }
  async countSubscriptions(appId: bigint) {
    const r = await this.rows(`SELECT count(*) AS n FROM webhook_subscriptions s JOIN webhooks w ON w.id = s.webhook_id
      WHERE w.app_id = $1`, [appId]);
    return Number(r[0]!.n as bigint);
  }
  async insertReplay(j: ReplayRow) {
    await this.count('INSERT INTO webhook_replays (id, webhook_id, from_ms, to_ms, cursor, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [j.id, j.webhookId, j.fromMs, j.toMs, j.cursor, j.createdAt]);
  }
  async replays() {
    return (await this.rows('SELECT * FROM webhook_replays ORDER BY id', [])).map(toReplay);
  }
  async advanceReplay(id: bigint, seq: bigint) {
    await this.count('UPDATE webhook_replays SET cursor = $1 WHERE id = $2 AND cursor < $1', [seq, id]);
  }
  async deleteReplay(id: bigint) {
    await this.count('DELETE FROM webhook_replays WHERE id = $1', [id]);
  }
  async recordDelivery(webhookId: bigint, made: readonly AttemptRow[], cursor: bigint | null) {
    if (made.length === 0 && cursor === null) return;
    // More than the log keeps (a long batch): only the newest go in.
    const attempts = made.slice(-ATTEMPTS_KEPT);
    const col = <T>(f: (a: AttemptRow) => T) => attempts.map(f);
    // One statement, so one transaction: the attempts, the log trimmed to what it keeps (the
    // DELETE sees the rows from before the INSERT), and the cursor.
    await this.rows(`WITH i AS (INSERT INTO webhook_attempts (webhook_id, event_seq, kind, at, status, ms, error, answer, body)
        SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::int[], $6::int[], $7::text[], $8::text[], $9::text[])),
      c AS (UPDATE webhooks SET cursor = $10 WHERE id = $1 AND $10::bigint IS NOT NULL AND cursor < $10)
      DELETE FROM webhook_attempts WHERE webhook_id = $1 AND $12 AND id <= (
        SELECT id FROM webhook_attempts WHERE webhook_id = $1 ORDER BY id DESC LIMIT 1 OFFSET $11)`,
    [webhookId, col((a) => a.eventSeq), col((a) => a.kind), col((a) => a.at), col((a) => a.status), col((a) => Math.round(a.ms)),
      col((a) => a.error), col((a) => a.answer), col((a) => a.body), cursor, Math.max(0, ATTEMPTS_KEPT - attempts.length), attempts.length > 0]);
  }
  async attempts(limit: number, webhookId?: bigint) {
    const rows = webhookId === undefined
      ? await this.rows('SELECT * FROM webhook_attempts ORDER BY id DESC LIMIT $1', [limit])
      : await this.rows('SELECT * FROM webhook_attempts WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2', [webhookId, limit]);
    return rows.map(toAttempt);
  }
}
