// Activity API subscriptions on PostgreSQL: each write one statement (its own transaction).
import type { Pool } from 'pg';
import {
  toActivitySubscription, type ActivitySubscriptionPatch, type ActivitySubscriptionRow, type ActivitySubscriptionStore,
} from '../activity-subscriptions.js';

const s = (v: bigint | null) => (v === null ? null : v.toString());

export function postgresActivitySubscriptions(pool: Pool): ActivitySubscriptionStore {
  return {
    async insert(row: ActivitySubscriptionRow, cap: number) {
      // The cap is counted in the same statement; two processes racing may pass it by one each.
      const res = await pool.query(`WITH n AS (SELECT count(*) AS n FROM activity_subscriptions WHERE app_id = $1)
        INSERT INTO activity_subscriptions (app_id, id, event_type, user_id, direction, tag, webhook_id, created_at, updated_at)
        SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9 FROM n WHERE n.n < $10 RETURNING (SELECT n FROM n) AS before`,
      [s(row.appId), s(row.id), row.eventType, s(row.userId), row.direction, row.tag, s(row.webhookId), row.createdAt, row.updatedAt, cap]);
      return res.rows.length === 0 ? null : Number(res.rows[0].before) + 1;
    },
    async update(appId: bigint, id: bigint, patch: ActivitySubscriptionPatch, now: number) {
      const res = await pool.query(`UPDATE activity_subscriptions SET tag = coalesce($3, tag), webhook_id = coalesce($4, webhook_id),
        updated_at = $5 WHERE app_id = $1 AND id = $2 RETURNING *`, [s(appId), s(id), patch.tag ?? null, s(patch.webhookId ?? null), now]);
      return res.rows[0] && toActivitySubscription(res.rows[0]);
    },
    async delete(appId: bigint, ids: readonly bigint[]) {
      const res = await pool.query('DELETE FROM activity_subscriptions WHERE app_id = $1 AND id = ANY($2::bigint[]) RETURNING id',
        [s(appId), ids.map((i) => i.toString())]);
      const gone = new Set(res.rows.map((r) => BigInt(r.id)));
      return ids.filter((i) => gone.has(i));
    },
    async list(appId, afterId, limit) {
      const res = await pool.query('SELECT * FROM activity_subscriptions WHERE app_id = $1 AND id > $2 ORDER BY id LIMIT $3', [s(appId), s(afterId), limit]);
      return res.rows.map(toActivitySubscription);
    },
    async count(appId) {
      const res = await pool.query('SELECT count(*) AS n FROM activity_subscriptions WHERE app_id = $1', [s(appId)]);
      return Number(res.rows[0].n);
    },
    async byWebhook(webhookId) {
      // Only the subscriptions of the app that owns the webhook: another app's never reach it.
      const res = await pool.query(`SELECT s.* FROM activity_subscriptions s JOIN webhooks w ON w.id = s.webhook_id AND w.app_id = s.app_id
        WHERE s.webhook_id = $1 ORDER BY s.id`, [s(webhookId)]);
      return res.rows.map(toActivitySubscription);
    },
  };
}
