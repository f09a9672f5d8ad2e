// The webhook port on SQLite: writes go through the store's write queue (one writer, group
// commit), reads through its reader connection.
import type Database from 'better-sqlite3';
import type { UserId } from '../types.js';
import { webhookRowMappers } from '../webhook-rows.js';
import { ATTEMPTS_KEPT, type AttemptRow, type NewWebhook, type ReplayRow, type WebhookStore } from '../webhook-types.js';

type Raw = Record<string, unknown>;
const { toWebhook, toReplay, toAttempt } = webhookRowMappers((v) => Number(v) !== 0);

export class SqliteWebhookStore implements WebhookStore {
  constructor(
    private readonly writer: Database.Database,
    private readonly reader: Database.Database,
    /** runs work in a write transaction of the store's queue */
    private readonly write: <T>(work: () => T) => Promise<T>,
  ) {}

  private run(sql: string, ...args: unknown[]): Promise<number> {
    return this.write(() => this.writer.prepare(sql).run(...args).changes);
  }
  private all(sql: string, ...args: unknown[]): Raw[] {
    return this.reader.prepare(sql).all(...args) as Raw[];
  }

  async insertWebhook(w: NewWebhook) {
    await this.run('INSERT INTO webhooks (id, app_id, url, valid, created_at, cursor) VALUES (?, ?, ?, ?, ?, ?)',
      w.id, w.appId, w.url, w.valid ? 1 : 0, w.createdAt, w.cursor);
  }
  async webhook(id: bigint) {
    const r = this.all('SELECT * FROM webhooks WHERE id = ?', id)[0];
    return r && toWebhook(r);
  }
  async webhooksOf(appId: bigint) {
    return this.all('SELECT * FROM webhooks WHERE app_id = ? ORDER BY id', appId).map(toWebhook);
  }
  async allWebhooks() {
    return this.all('SELECT * FROM webhooks ORDER BY id').map(toWebhook);
  }
  async setValid(id: bigint, valid: boolean) {
    await this.run('UPDATE webhooks SET valid = ? WHERE id = ?', valid ? 1 : 0, id);
  }
  async deleteWebhook(id: bigint) {
    return this.write(() => {
      const changed = this.writer.prepare('DELETE FROM webhooks WHERE id = ?').run(id).changes;
      for (const t of ['webhook_subscriptions', 'webhook_replays', 'webhook_attempts']) this.writer.prepare(`DELETE FROM ${t} WHERE webhook_id = ?`).run(id);
      // Activity subscriptions that named it stay, for the stream, naming no webhook.
      this.writer.prepare('UPDATE activity_subscriptions SET webhook_id = NULL WHERE webhook_id = ?').run(id);
      return changed > 0;
    });
  }
  async lease(id: bigint, owner: string, nowMs: number, untilMs: number) {
    const n = await this.run(`UPDATE webhooks SET lease_owner = ?, lease_until = ?
      WHERE id = ? AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < ?)`, owner, untilMs, id, owner, nowMs);
    return n > 0;
  }
  async releaseLease(id: bigint, owner: string) {
    await this.run('UPDATE webhooks SET lease_owner = NULL, lease_until = 0 WHERE id = ? AND lease_owner = ?', id, owner);
  }
  async subscribe(webhookId: bigint, userId: UserId, at: number) {
    return (await this.run('INSERT OR IGNORE INTO webhook_subscriptions (webhook_id, user_id, created_at) VALUES (?, ?, ?)', webhookId, userId, at)) > 0;
  }
  async unsubscribe(webhookId: bigint, userId: UserId) {
    return (await this.run('DELETE FROM webhook_subscriptions WHERE webhook_id = ? AND user_id = ?', webhookId, userId)) > 0;
  }
  async subscribedAmong(webhookId: bigint, users: readonly UserId[]) {
    if (users.length === 0) return [];
    const marks = users.map(() => '?').join(', ');
    return this.all(`SELECT user_id FROM webhook_subscriptions WHERE webhook_id = ? AND user_id IN (${marks})`, webhookId, ...users)
      .map((r) => BigInt(r.user_id as bigint));
  }
  async subscribers(webhookId: bigint) {
    return this.all('SELECT user_id FROM webhook_subscriptions WHERE webhook_id = ? ORDER BY created_at, user_id', webhookId)
      .map((r) => BigInt(r.user_id as bigint));
  }
  async countSubscriptions(appId: bigint) {
    const r = this.all(`SELECT count(*) AS n FROM webhook_subscriptions s JOIN webhooks w ON w.id = s.webhook_id WHERE w.app_id = ?`, appId)[0]!;
    return Number(r.n as bigint);
  }
  async insertReplay(j: ReplayRow) {
    await this.run('INSERT INTO webhook_replays (id, webhook_id, from_ms, to_ms, cursor, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      j.id, j.webhookId, j.fromMs, j.toMs, j.cursor, j.createdAt);
  }
  async replays() {
    return this.all('SELECT * FROM webhook_replays ORDER BY id').map(toReplay);
  }
  async advanceReplay(id: bigint, seq: bigint) {
    await this.run('UPDATE webhook_replays SET cursor = ? WHERE id = ? AND cursor < ?', seq, id, seq);
  }
  async deleteReplay(id: bigint) {
    await this.run('DELETE FROM webhook_replays WHERE id = ?', id);
  }
  async recordDelivery(webhookId: bigint, made: readonly AttemptRow[], cursor: bigint | null) {
    if (made.length === 0 && cursor === null) return;
    // More than the log keeps (a long batch): only the newest go in.
    const attempts = made.slice(-ATTEMPTS_KEPT);
    await this.write(() => {
      const insert = this.writer.prepare(`INSERT INTO webhook_attempts (webhook_id, event_seq, kind, at, status, ms, error, answer, body)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      for (const a of attempts) insert.run(webhookId, a.eventSeq, a.kind, a.at, a.status, Math.round(a.ms), a.error, a.answer, a.body);
      if (attempts.length > 0) {
        this.writer.prepare(`DELETE FROM webhook_attempts WHERE webhook_id = ? AND id <= (
          SELECT id FROM webhook_attempts WHERE webhook_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`).run(webhookId, webhookId, ATTEMPTS_KEPT);
      }
      if (cursor !== null) this.writer.prepare('UPDATE webhooks SET cursor = ? WHERE id = ? AND cursor < ?').run(cursor, webhookId, cursor);
    });
  }
  async attempts(limit: number, webhookId?: bigint) {
    const rows = webhookId === undefined
      ? this.all('SELECT * FROM webhook_attempts ORDER BY id DESC LIMIT ?', limit)
      : this.all('SELECT * FROM webhook_attempts WHERE webhook_id = ? ORDER BY id DESC LIMIT ?', webhookId, limit);
    return rows.map(toAttempt);
  }
}
