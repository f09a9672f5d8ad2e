// The emulator's view of follow events' delivery, across every app: webhooks, the subscriptions
// that feed them, each delivery attempt with the receiver's answer, and two levers: fail the
// next deliveries on purpose, or send one event's bodies to a webhook again.
import type { Services } from '../services.js';
import type { ActivitySubscriptionRow } from '../store/activity-subscriptions.js';
import type { UserId } from '../store/types.js';
import type { AttemptRow } from '../store/webhook-types.js';
import { ResendError } from '../webhooks/deliverer.js';
import { adminError } from './admin-auth.js';
import { BadRequestError, jsonBody, send, type Guarded } from './admin-json.js';

const ID = /^\d{1,19}$/;

function idOf(value: unknown, key: string): bigint {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || !ID.test(text)) throw new BadRequestError(`${key} must be an id (a decimal string)`);
  return BigInt(text);
}

export function attemptJson(a: AttemptRow) {
  return {
    webhook_id: a.webhookId.toString(), event_seq: a.eventSeq.toString(), kind: a.kind, at: new Date(a.at).toISOString(),
    ok: a.status !== null && a.status >= 200 && a.status < 300, status: a.status, ms: a.ms, error: a.error, answer: a.answer,
    body: a.body,
  };
}

export function registerWebhookAdminRoutes(services: Services, guarded: Guarded): void {
  // Read at each call: a reset rebuilds the services in place.
  const store = () => services.store;
  const names = async (ids: UserId[]) => {
    const users = await store().usersByIds([...new Set(ids)]);
    return (id: UserId) => users.get(id)?.screenName ?? null;
  };
  const activityOf = async (): Promise<ActivitySubscriptionRow[]> => {
    const out: ActivitySubscriptionRow[] = [];
    for (const app of await store().listApps()) {
      for (let after = 0n; ;) {
        const page = await store().activity.list(app.id, after, 500);
        out.push(...page);
        if (page.length < 500) break;
        after = page[page.length - 1]!.id;
      }
    }
    return out;
  };

  // Every app's webhooks, oldest first, each with the users subscribed to it through Account Activity.
  guarded('GET', 'webhooks', async (_req, reply) => {
    const apps = new Map((await store().listApps()).map((a) => [a.id, a.name]));
    const hooks = await store().webhooks.allWebhooks();
    const subscribers = await Promise.all(hooks.map((w) => store().webhooks.subscribers(w.id)));
    const name = await names(subscribers.flat());
    return send(reply, 200, {
      webhooks: hooks.map((w, i) => ({
        id: w.id.toString(), app_id: w.appId.toString(), app: apps.get(w.appId) ?? null, url: w.url, valid: w.valid,
        created_at: new Date(w.createdAt).toISOString(), cursor: w.cursor.toString(),
        account_activity: subscribers[i]!.map((u) => ({ user_id: u.toString(), screen_name: name(u) })),
      })),
    });
  });

  // Account Activity subscriptions by webhook, and the Activity API's by app (webhook_id when they deliver to one).
  guarded('GET', 'subscriptions', async (_req, reply) => {
    const apps = new Map((await store().listApps()).map((a) => [a.id, a.name]));
    const hooks = await store().webhooks.allWebhooks();
    const aaa = (await Promise.all(hooks.map(async (w) => (await store().webhooks.subscribers(w.id)).map((u) => ({ w, u }))))).flat();
    const activity = await activityOf();
    const name = await names([...aaa.map((x) => x.u), ...activity.map((x) => x.userId)]);
    return send(reply, 200, {
      account_activity: aaa.map(({ w, u }) => ({ webhook_id: w.id.toString(), app: apps.get(w.appId) ?? null, user_id: u.toString(), screen_name: name(u) })),
      activity: activity.map((x) => ({
        id: x.id.toString(), app_id: x.appId.toString(), app: apps.get(x.appId) ?? null, event_type: x.eventType,
        user_id: x.userId.toString(), screen_name: name(x.userId), direction: x.direction, tag: x.tag,
        webhook_id: x.webhookId?.toString() ?? null, created_at: new Date(x.createdAt).toISOString(),
      })),
    });
  });

  // Webhook deliveries, newest first: each attempt with its status, time, error and the start of the answer.
  guarded('GET', 'deliveries', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const webhook = q.webhook_id !== undefined && ID.test(q.webhook_id) ? BigInt(q.webhook_id) : undefined;
    const attempts = await store().webhooks.attempts(Math.min(Number(q.limit) || 100, 1000), webhook);
    return send(reply, 200, { deliveries: attempts.map(attemptJson) });
  });

  // {count, status?}: the next `count` deliveries fail (default 503) without reaching the receiver, and are retried.
  guarded('POST', 'deliveries/fail-next', async (req, reply) => {
    const { count, status = 503 } = jsonBody(req);
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) throw new BadRequestError('count must be a whole number');
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599 || (status >= 200 && status < 300)) {
      throw new BadRequestError('status must be an HTTP status outside 2xx');
    }
    services.webhooks.deliverer.failNext(count, status);
    return send(reply, 200, { count, status });
  });

  // {webhook_id, event_seq}: that event's bodies go to that webhook again, signed; the attempts made.
  guarded('POST', 'deliveries/resend', async (req, reply) => {
    const body = jsonBody(req);
    const webhook = idOf(body.webhook_id, 'webhook_id');
    const seq = idOf(body.event_seq, 'event_seq');
    try {
      return send(reply, 200, { deliveries: (await services.webhooks.deliverer.resend(webhook, seq)).map(attemptJson) });
    } catch (err) {
      if (err instanceof ResendError) return adminError(reply, 404, err.message);
      throw err;
    }
  });
}
