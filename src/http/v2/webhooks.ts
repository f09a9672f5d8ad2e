// /2/webhooks and /2/account_activity: thin handlers over services.webhooks. A refusal X names
// (CrcValidationFailed, WebhookIdInvalid, ...) is a 400 invalid-request whose error message
// starts with that name, as X's documentation shows.
import { WebhookError } from '../../webhooks/webhooks.js';
import { isoDate } from '../../wire/dates.js';
import type { Json } from '../../wire/json.js';
import { invalidRequest, webhookRefusal } from '../../wire/v2/problems.js';
import type { V2Context, V2Handler } from './context.js';

async function refusals<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof WebhookError) throw webhookRefusal(err.message);
    throw err;
  }
}

/** A string member of the JSON body, checked against its pattern. */
function bodyField(ctx: V2Context, name: string, pattern: RegExp): string {
  const body = ctx.body as Record<string, unknown> | undefined;
  const value = body !== null && typeof body === 'object' ? body[name] : undefined;
  if (typeof value !== 'string') throw invalidRequest([{ parameters: { [name]: [] }, message: `The \`${name}\` field is required` }]);
  if (!pattern.test(value)) throw invalidRequest([{ parameters: { [name]: [value] }, message: `The \`${name}\` field value [${value}] does not match ${pattern.source}` }]);
  return value;
}

const services = (ctx: V2Context) => ctx.services.webhooks;

export const createWebhook: V2Handler = async (ctx) => {
  const w = await refusals(services(ctx).create(ctx.caller.app, bodyField(ctx, 'url', /^[\s\S]{1,200}$/)));
  return { data: { id: w.id.toString(), url: w.url, valid: w.valid, created_at: isoDate(w.createdAt) } };
};

export const listWebhooks: V2Handler = async (ctx) => {
  const asked = ctx.args.list('webhook_config.fields');
  const fields = new Set(asked.length === 0 ? ['created_at', 'url', 'valid'] : asked);
  const data = (await services(ctx).list(ctx.caller.app)).map((w) => {
    const out: Record<string, Json> = {};
    if (fields.has('created_at')) out.created_at = isoDate(w.createdAt);
    out.id = w.id.toString();
    if (fields.has('url')) out.url = w.url;
    if (fields.has('valid')) out.valid = w.valid;
    return out;
  });
  return { data, meta: { result_count: data.length } };
};

export const validateWebhook: V2Handler = async (ctx) => {
  await refusals(services(ctx).validate(ctx.caller.app, ctx.args.id('webhook_id')));
  return { data: { valid: true } };
};

export const deleteWebhook: V2Handler = async (ctx) => {
  await refusals(services(ctx).remove(ctx.caller.app, ctx.args.id('webhook_id')));
  return { data: { deleted: true } };
};

export const replay: V2Handler = async (ctx) => {
  const id = BigInt(bodyField(ctx, 'webhook_id', /^[0-9]{1,19}$/));
  const from = bodyField(ctx, 'from_date', /^[0-9]{12}$/);
  const to = bodyField(ctx, 'to_date', /^[0-9]{12}$/);
  const job = await refusals(services(ctx).replay(ctx.caller.app, id, from, to));
  return { data: { job_id: job.id.toString(), created_at: isoDate(job.createdAt) } };
};

/** The user the request acts for (the pipeline admits only user contexts to these). */
const actingUser = (ctx: V2Context) => ctx.viewer!.id;

export const subscribe: V2Handler = async (ctx) => {
  await refusals(services(ctx).subscribe(ctx.caller.app, ctx.args.id('webhook_id'), actingUser(ctx)));
  return { data: { subscribed: true } };
};

export const isSubscribed: V2Handler = async (ctx) => {
  const subscribed = await refusals(services(ctx).isSubscribed(ctx.caller.app, ctx.args.id('webhook_id'), actingUser(ctx)));
  return { data: { subscribed } };
};

export const unsubscribe: V2Handler = async (ctx) => {
  await refusals(services(ctx).unsubscribe(ctx.caller.app, ctx.args.id('webhook_id'), ctx.args.id('user_id')));
  return { data: { subscribed: false } };
};

export const subscriptions: V2Handler = async (ctx) => {
  const { webhook, users } = await refusals(services(ctx).subscribers(ctx.caller.app, ctx.args.id('webhook_id')));
  return {
    data: {
      application_id: ctx.caller.app.id.toString(), webhook_id: webhook.id.toString(), webhook_url: webhook.url,
      subscriptions: users.map((u) => ({ user_id: u.toString() })),
    },
  };
};

export const subscriptionCount: V2Handler = async (ctx) => {
  const n = await services(ctx).countSubscriptions(ctx.caller.app);
  return {
    data: {
      account_name: ctx.caller.app.name, provisioned_count: String(ctx.services.config.webhooks.maxSubscriptions),
      subscriptions_count_all: String(n), subscriptions_count_direct_messages: '0',
    },
  };
};
