// Helpers for the v1.1 read tests (v1-shapes, v1-cursors, v1-reads, v1-rate-limits): graph
// set-up through the API, and error checks on what twitter-api-v2 throws.
import assert from 'node:assert/strict';
import type { TwitterApi } from 'twitter-api-v2';
import type { Harness, TestUser } from './harness.js';

export { expectV1Error } from './calls.js';

export const idOf = (u: TestUser) => u.user.id.toString();

/** `a` follows `b` through POST friendships/create (a request when `b` is protected). */
export async function follow(a: TestUser, b: TestUser, extra: Record<string, string> = {}): Promise<void> {
  await a.client.v1.post('friendships/create.json', { user_id: idOf(b), ...extra });
}

export async function unfollow(a: TestUser, b: TestUser): Promise<void> {
  await a.client.v1.post('friendships/destroy.json', { user_id: idOf(b) });
}

export async function block(a: TestUser, b: TestUser): Promise<void> {
  await a.client.v1.post('blocks/create.json', { user_id: idOf(b) });
}

export async function mute(a: TestUser, b: TestUser): Promise<void> {
  await a.client.v1.post('mutes/users/create.json', { user_id: idOf(b) });
}

/** `owner` approves `requester`'s pending follow request (roost's friendships/accept). */
export async function accept(owner: TestUser, requester: TestUser): Promise<void> {
  await owner.client.v1.post('friendships/accept.json', { user_id: idOf(requester) });
}

/** Creates users named `${prefix}0` … in order, each created after the previous one. */
export async function users(h: Harness, prefix: string, n: number): Promise<TestUser[]> {
  const out: TestUser[] = [];
  for (let i = 0; i < n; i++) out.push(await h.user(`${prefix}${i}`));
  return out;
}

/** All ids of a cursored ids endpoint in one page, as decimal strings. */
export async function allIds(client: TwitterApi, endpoint: string, params: Record<string, string>): Promise<string[]> {
  const r = await client.v1.get(endpoint, { ...params, count: '5000', stringify_ids: 'true' });
  assert.equal(r.next_cursor_str, '0', 'expected a single page');
  return r.ids as string[];
}
