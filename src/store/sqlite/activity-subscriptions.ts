// Activity API subscriptions on SQLite: reads on the reader connection, writes queued on the
// writer like every other write transaction (group-commit.ts).
import type Database from 'better-sqlite3';
import {
  toActivitySubscription, type ActivitySubscriptionPatch, type ActivitySubscriptionRow, type ActivitySubscriptionStore,
} from '../activity-subscriptions.js';

type Raw = Record<string, unknown>;
type Write = <T>(work: () => T) => Promise<T>;

export function sqliteActivitySubscriptions(reader: Database.Database, writer: Database.Database, write: Write): ActivitySubscriptionStore {
  const r = {
    list: reader.prepare('SELECT * FROM activity_subscriptions WHERE app_id = ? AND id > ? ORDER BY id LIMIT ?'),
    count: reader.prepare('SELECT count(*) AS n FROM activity_subscriptions WHERE app_id = ?'),
    // Only the subscriptions of the app that owns the webhook: another app's never reach it.
    byWebhook: reader.prepare(`SELECT s.* FROM activity_subscriptions s JOIN webhooks w ON w.id = s.webhook_id AND w.app_id = s.app_id
      WHERE s.webhook_id = ? ORDER BY s.id`),
  };
  const w = {
    count: writer.prepare('SELECT count(*) AS n FROM activity_subscriptions WHERE app_id = ?'),
    insert: writer.prepare(`INSERT INTO activity_subscriptions (app_id, id, event_type, user_id, direction, tag, webhook_id, created_at, updated_at)
      VALUES (@appId, @id, @eventType, @userId, @direction, @tag, @webhookId, @createdAt, @updatedAt)`),
    update: writer.prepare(`UPDATE activity_subscriptions SET tag = coalesce(@tag, tag), webhook_id = coalesce(@webhookId, webhook_id),
      updated_at = @now WHERE app_id = @appId AND id = @id RETURNING *`),
    delete: writer.prepare('DELETE FROM activity_subscriptions WHERE app_id = ? AND id = ? RETURNING id'),
  };
  const countOn = (stmt: Database.Statement, appId: bigint) => Number((stmt.get(appId) as Raw).n);
  return {
    insert: (row: ActivitySubscriptionRow, cap: number) => write(() => {
      const n = countOn(w.count, row.appId);
      if (n >= cap) return null;
      w.insert.run(row);
      return n + 1;
    }),
    update: (appId: bigint, id: bigint, patch: ActivitySubscriptionPatch, now: number) => write(() => {
      const row = w.update.get({ appId, id, now, tag: patch.tag ?? null, webhookId: patch.webhookId ?? null }) as Raw | undefined;
      return row && toActivitySubscription(row);
    }),
    delete: (appId: bigint, ids: readonly bigint[]) => write(() =>
      ids.flatMap((id) => (w.delete.get(appId, id) === undefined ? [] : [id]))),
    list: async (appId, afterId, limit) => r.list.all(appId, afterId, limit).map((x) => toActivitySubscription(x as Raw)),
    count: async (appId) => countOn(r.count, appId),
    byWebhook: async (webhookId) => r.byWebhook.all(webhookId).map((x) => toActivitySubscription(x as Raw)),
  };
}
