// The Activity API's subscriptions: create, list, update, delete one, delete by ids. Stored per
// app; bodies checked as X checks them (JSON-schema messages in one invalid-request problem).
import {
  isActorOnly, isDirectional, isEventType, type ActivityDirection, type ActivitySubscriptionPatch,
} from '../../events/activity.js';
import { WebhookError } from '../../webhooks/webhooks.js';
import type { Json } from '../../wire/json.js';
import { renderSubscription } from '../../wire/v2/activity.js';
import { encodeToken } from '../../wire/v2/pagination-token.js';
import { invalidRequest, V2Problem, type ParameterError } from '../../wire/v2/problems.js';
import { parseUserId } from '../params.js';
import type { V2Context, V2Handler } from './context.js';

/** Every event type X's document names; roost raises a subset (events/types.ts). */
const X_EVENT_TYPES = [
  'profile.update.bio', 'profile.update.profile_picture', 'profile.update.banner_picture', 'profile.update.screenname',
  'profile.update.geo', 'profile.update.url', 'profile.update.verified_badge', 'profile.update.affiliate_badge',
  'profile.update.handle', 'news.new', 'follow.follow', 'follow.unfollow', 'spaces.start', 'spaces.end', 'chat.received',
  'chat.sent', 'chat.conversation_join', 'dm.sent', 'dm.received', 'dm.indicate_typing', 'dm.read', 'post.create',
  'post.delete', 'post.mention.create', 'like.create', 'mute.mute', 'mute.unmute', 'block.block', 'block.unblock',
];
const ID = /^[0-9]{1,19}$/;

/** One body member's failure, worded as X's JSON-schema validator words it. */
const bodyError = (path: string, value: unknown, message: string): ParameterError =>
  ({ parameters: { [path.replace(/^\$\./, '')]: value === undefined ? [] : [typeof value === 'string' ? value : JSON.stringify(value)] }, message: `${path}: ${message}` });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function unknownMembers(where: string, o: Record<string, unknown>, allowed: readonly string[], errors: ParameterError[]): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) errors.push(bodyError(where, k, `property '${k}' is not defined in the schema and the schema does not allow additional properties`));
  }
}

function tagOf(o: Record<string, unknown>, errors: ParameterError[]): string | undefined {
  const tag = o.tag;
  if (tag === undefined) return undefined;
  if (typeof tag !== 'string') errors.push(bodyError('$.tag', tag, `${typeof tag} found, string expected`));
  else if (tag.length < 1 || tag.length > 200) errors.push(bodyError('$.tag', tag, tag.length < 1 ? 'must be at least 1 characters long' : 'may only be 200 characters long'));
  else return tag;
  return undefined;
}

function webhookOf(o: Record<string, unknown>, errors: ParameterError[]): bigint | undefined {
  const w = o.webhook_id;
  if (w === undefined) return undefined;
  if (typeof w !== 'string' || !ID.test(w) || parseUserId(w) === null) errors.push(bodyError('$.webhook_id', w, 'does not match the regex pattern ^[0-9]{1,19}$'));
  else return BigInt(w);
  return undefined;
}

/** A webhook_id names one of the caller's app's webhooks, or the body is refused. */
async function ownWebhook(ctx: V2Context, id: bigint | undefined): Promise<void> {
  if (id === undefined) return;
  try {
    await ctx.services.webhooks.owned(ctx.caller.app, id);
  } catch (err) {
    if (!(err instanceof WebhookError)) throw err;
    throw invalidRequest([{ parameters: { webhook_id: [id.toString()] }, message: `Could not find webhook with webhook_id: [${id}] for this app.` }]);
  }
}

const bodyOf = (ctx: V2Context): Record<string, unknown> => {
  if (!isObject(ctx.body)) throw invalidRequest([{ parameters: {}, message: '$: object expected' }]);
  return ctx.body;
};

export const create: V2Handler = async (ctx) => {
  const body = bodyOf(ctx);
  const errors: ParameterError[] = [];
  unknownMembers('$', body, ['event_type', 'filter', 'tag', 'webhook_id'], errors);
  const type = body.event_type;
  if (type === undefined) errors.push(bodyError('$.event_type', undefined, 'is missing but it is required'));
  else if (typeof type !== 'string' || !X_EVENT_TYPES.includes(type)) {
    errors.push(bodyError('$.event_type', type, `does not have a value in the enumeration [${X_EVENT_TYPES.join(', ')}]`));
  } else if (!isEventType(type)) {
    errors.push({ parameters: { event_type: [type] }, message: `The event_type [${type}] is not supported: roost raises follow, block, mute and profile.update events` });
  }
  const filter = body.filter;
  let userId: bigint | undefined;
  let direction: ActivityDirection | null = null;
  if (filter === undefined) errors.push(bodyError('$.filter', undefined, 'is missing but it is required'));
  else if (!isObject(filter)) errors.push(bodyError('$.filter', filter, `${typeof filter} found, object expected`));
  else {
    unknownMembers('$.filter', filter, ['user_id', 'direction', 'keyword'], errors);
    if (filter.keyword !== undefined) errors.push(bodyError('$.filter.keyword', filter.keyword, 'is not supported for this event_type'));
    const u = filter.user_id;
    if (u === undefined) errors.push(bodyError('$.filter.user_id', undefined, 'is missing but it is required'));
    else if (typeof u !== 'string' || !ID.test(u) || parseUserId(u) === null) errors.push(bodyError('$.filter.user_id', u, 'does not match the regex pattern ^[0-9]{1,19}$'));
    else userId = BigInt(u);
    const d = filter.direction;
    if (d !== undefined) {
      if (d !== 'inbound' && d !== 'outbound') errors.push(bodyError('$.filter.direction', d, 'does not have a value in the enumeration [inbound, outbound]'));
      else if (typeof type === 'string' && isEventType(type) && !isDirectional(type)) errors.push(bodyError('$.filter.direction', d, `is not supported for ${type}`));
      else direction = d;
    }
  }
  const tag = tagOf(body, errors);
  const webhookId = webhookOf(body, errors);
  if (errors.length > 0) throw invalidRequest(errors);
  const eventType = type as string;
  const uid = userId!;
  // Blocks and mutes are private: only their actor may subscribe to them, in a user context.
  if (isEventType(eventType) && isActorOnly(eventType) && (ctx.viewer === null || ctx.viewer.id !== uid)) {
    throw invalidRequest([{ parameters: { user_id: [uid.toString()] }, message: `filter.user_id must identify the authenticated user for ${eventType} events` }]);
  }
  await ownWebhook(ctx, webhookId);
  const user = await ctx.services.graph.reads.userById(uid);
  if (user.visibility === 'not-found') {
    throw invalidRequest([{ parameters: { user_id: [uid.toString()] }, message: `Could not find user with user_id: [${uid}].` }]);
  }
  const s = ctx.services;
  const now = s.clock.now();
  const row = { id: s.ids.next(), appId: ctx.caller.app.id, eventType, userId: uid, direction, tag: tag ?? null, webhookId: webhookId ?? null, createdAt: now, updatedAt: now };
  const cap = s.config.activity.subscriptionsPerApp;
  if (await s.activity.insert(row, cap) === null) {
    throw invalidRequest([{ parameters: {}, message: `This app already has ${cap} subscriptions, the most it may hold` }]);
  }
  return { data: { subscription: renderSubscription(row) } };
};

export const list: V2Handler = async (ctx) => {
  const appId = ctx.caller.app.id;
  const max = ctx.args.int('max_results');
  const cursor = ctx.args.cursor('pagination_token');
  const subs = ctx.services.activity;
  const rows = await subs.list(appId, cursor < 0n ? 0n : cursor, max + 1);
  const page = rows.slice(0, max);
  const meta: Record<string, Json> = { result_count: page.length, total_subscriptions: await subs.count(appId) };
  if (rows.length > max) meta.next_token = encodeToken(page[page.length - 1]!.id, 'snowflake');
  return { data: page.map(renderSubscription), meta };
};

const notFound = (id: string) => new V2Problem(404, {
  title: 'Not Found Error', type: 'about:blank', status: 404, detail: `Could not find subscription with subscription_id: [${id}].`,
});

export const update: V2Handler = async (ctx) => {
  const body = bodyOf(ctx);
  const errors: ParameterError[] = [];
  unknownMembers('$', body, ['tag', 'webhook_id'], errors);
  const patch: ActivitySubscriptionPatch = { tag: tagOf(body, errors), webhookId: webhookOf(body, errors) };
  if (errors.length > 0) throw invalidRequest(errors);
  await ownWebhook(ctx, patch.webhookId);
  const id = ctx.args.id('subscription_id');
  const subs = ctx.services.activity;
  const row = await subs.update(ctx.caller.app.id, id, patch, ctx.services.clock.now());
  if (!row) throw notFound(id.toString());
  return { data: { subscription: renderSubscription(row), total_subscriptions: await subs.count(ctx.caller.app.id) } };
};

export const deleteOne: V2Handler = async (ctx) => {
  const id = ctx.args.id('subscription_id');
  const subs = ctx.services.activity;
  const deleted = await subs.delete(ctx.caller.app.id, [id]);
  if (deleted.length === 0) throw notFound(id.toString());
  return { data: { deleted: true }, meta: { total_subscriptions: await subs.count(ctx.caller.app.id) } };
};

export const deleteByIds: V2Handler = async (ctx) => {
  const ids = ctx.args.list('ids');
  const subs = ctx.services.activity;
  if (ids.length === 0) throw invalidRequest([{ parameters: { ids: [] }, message: 'The `ids` query parameter can not be empty' }]);
  // Ids past 2^63 - 1 name nothing any store can hold.
  const deleted = new Set(await subs.delete(ctx.caller.app.id, ids.filter((i) => parseUserId(i) !== null).map((i) => BigInt(i))));
  const data: Json[] = [];
  const errors: Json[] = [];
  for (const id of ids) {
    if (deleted.has(BigInt(id))) data.push({ deleted: true, subscription_id: id });
    else errors.push({ message: `Could not find subscription with subscription_id: [${id}].`, reason: 'not_found', subscription_id: id });
  }
  const out: Record<string, Json> = { data, meta: { total_subscriptions: await subs.count(ctx.caller.app.id) } };
  if (errors.length > 0) out.errors = errors;
  return out;
};
