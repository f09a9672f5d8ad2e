// Graph setup and id helpers for v1.1 end-to-end tests, through the real client.
// (Reconstructed from its callers after being accidentally overwritten; see v1-writes helpers in calls.ts.)
import assert from 'node:assert/strict';
import type { TwitterApi } from 'twitter-api-v2';
import type { Harness, TestUser } from './harness.js';

/** A user's id as the decimal string the API uses in id_str (ids exceed 2^53). */
export const idOf = (u: TestUser): string => u.user.id.toString();

/** `n` users named `<prefix>0` … `<prefix>{n-1}`, created in order. */
export async function users(h: Harness, prefix: string, n: number): Promise<TestUser[]> {
  const out: TestUser[] = [];
  for (let i = 0; i < n; i++) out.push(await h.user(`${prefix}${i}`));
  return out;
}

export const follow = (a: TestUser, b: TestUser): Promise<unknown> => a.client.v1.post('friendships/create.json', { user_id: idOf(b) });
export const unfollow = (a: TestUser, b: TestUser): Promise<unknown> => a.client.v1.post('friendships/destroy.json', { user_id: idOf(b) });
export const block = (a: TestUser, b: TestUser): Promise<unknown> => a.client.v1.post('blocks/create.json', { user_id: idOf(b) });
export const mute = (a: TestUser, b: TestUser): Promise<unknown> => a.client.v1.post('mutes/users/create.json', { user_id: idOf(b) });

/** Every id of a cursored ids endpoint, following next_cursor_str to 0, as strings. */
export async function allIds(client: TwitterApi, endpoint: string, params: Record<string, string>): Promise<string[]> {
  const out: string[] = [];
  let cursor = '-1';
  for (let pages = 0; cursor !== '0'; pages++) {
    assert.ok(pages < 1000, 'cursor walk does not end');
    const page = await client.v1.get(endpoint, { ...params, cursor, stringify_ids: 'true' });
    out.push(...(page.ids as string[]));
    cursor = page.next_cursor_str;
  }
  return out;
}
