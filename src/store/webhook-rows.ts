// Row mapping for the webhook tables, shared by both adapters (SQLite hands integers back as
// bigint, PostgreSQL int8 too; booleans differ and are mapped by the caller's `bool`).
import type { AttemptRow, ReplayRow, WebhookRow } from './webhook-types.js';

type Raw = Record<string, unknown>;
const big = (v: unknown): bigint => BigInt(v as bigint | number);
const num = (v: unknown): number => Number(v as bigint | number);
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function webhookRowMappers(bool: (v: unknown) => boolean) {
  return {
    toWebhook: (r: Raw): WebhookRow => ({
      id: big(r.id), appId: big(r.app_id), url: String(r.url), valid: bool(r.valid), createdAt: num(r.created_at), cursor: big(r.cursor),
    }),
    toReplay: (r: Raw): ReplayRow => ({
      id: big(r.id), webhookId: big(r.webhook_id), fromMs: num(r.from_ms), toMs: num(r.to_ms), cursor: big(r.cursor), createdAt: num(r.created_at),
    }),
    toAttempt: (r: Raw): AttemptRow => ({
      webhookId: big(r.webhook_id), eventSeq: big(r.event_seq), kind: String(r.kind), at: num(r.at),
      status: r.status === null ? null : num(r.status), ms: num(r.ms), error: text(r.error), answer: text(r.answer), body: String(r.body),
    }),
  };
}
