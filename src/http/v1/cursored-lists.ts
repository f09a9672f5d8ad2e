// Every cursored list (followers, friends, requests, blocks, mutes) is the same steps: the graph
// reads a page of ids (skeleton), the users they name (hydrate) and drops what may not be shown
// (filter); this file renders the page as v1.1 objects.
import type { IdJsonPage } from '../../graph/pages.js';
import type { ListRef } from '../../graph/reads.js';
import type { Direction, GraphKind, UserRow } from '../../graph/types.js';
import { JsonBytes, type Json } from '../../wire/json.js';
import { V1, V1Error, V1LegacyError } from '../../wire/v1/errors.js';
import type { CachedVariant } from '../../wire/v1/user-cache.js';
import { renderUserArray, type V1Context, type V1Handler } from './context.js';
import { namedUser } from './targets.js';

/** 'named': user_id/screen_name, defaulting to the caller; 'caller': always the caller's own list. */
export type ListSubject = 'named' | 'caller';

function cursorFields(page: { next: number; previous: number }): Record<string, Json> {
  return {
    next_cursor: page.next,
    next_cursor_str: String(page.next),
    previous_cursor: page.previous,
    previous_cursor_str: String(page.previous),
    total_count: null,
  };
}

async function subjectOf(ctx: V1Context, subject: ListSubject): Promise<UserRow> {
  const named = subject === 'named' ? await namedUser(ctx.services.graph.reads, ctx.params) : { named: false as const };
  if (!named.named) {
    if (ctx.viewer) return ctx.viewer;
    throw new V1Error(V1.userNotFound);
  }
  if (named.found.visibility === 'not-found') throw new V1Error(V1.userNotFound);
  switch (await ctx.services.graph.reads.listAccess(ctx.viewer?.id ?? null, named.found.user)) {
    case 'readable': return named.found.user;
    case 'suspended': throw new V1Error(V1.userSuspended);
    case 'not-found': throw new V1Error(V1.userNotFound);
    case 'not-authorized': throw new V1LegacyError('Not authorized.');
  }
}

async function listOf(ctx: V1Context, kind: GraphKind, dir: Direction, subject: ListSubject): Promise<ListRef> {
  return { kind, dir, owner: (await subjectOf(ctx, subject)).id };
}

/** A page's ids as bytes, encoded once per cached page (a 5,000-id page is ~100 KB to copy). */
const idBytes = new WeakMap<object, JsonBytes>();
function bytesOf(page: IdJsonPage): JsonBytes {
  let b = idBytes.get(page.source);
  if (!b) idBytes.set(page.source, (b = new JsonBytes(Buffer.from(page.json, 'latin1'))));
  return b;
}

export function idsList(kind: GraphKind, dir: Direction, subject: ListSubject): V1Handler {
  return async (ctx) => {
    const list = await listOf(ctx, kind, dir, subject);
    const cursor = ctx.params.cursor();
    const count = ctx.params.int('count');
    if (ctx.params.flag('stringify_ids')) {
      const page = await ctx.services.graph.reads.ids(list, cursor, count);
      return { ids: page.ids.map(String), ...cursorFields(page) };
    }
    const page = await ctx.services.graph.reads.idsJson(list, cursor, count);
    return { ids: bytesOf(page), ...cursorFields(page) };
  };
}

export function usersList(kind: GraphKind, dir: Direction, subject: ListSubject, variant: CachedVariant): V1Handler {
  return async (ctx) => {
    const list = await listOf(ctx, kind, dir, subject);
    const page = await ctx.services.graph.reads.users(list, ctx.params.cursor(), ctx.params.int('count'));
    const includeEntities = ctx.params.flag(variant === 'list' ? 'include_user_entities' : 'include_entities');
    return { users: await renderUserArray(ctx, page.users, { variant, includeEntities }), ...cursorFields(page) };
  };
}
