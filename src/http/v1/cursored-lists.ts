// Every cursored list (followers, friends, requests, blocks, mutes) is the same four steps:
// a page of ids from the store, the users they name, the viewer's relations, the v1.1 objects.
import { readIdsJson, readPage } from '../../graph/pages.js';
import type { Direction, GraphKind, UserRow } from '../../store/types.js';
import { JsonBytes, type Json } from '../../wire/json.js';
import { V1, V1Error, V1LegacyError } from '../../wire/v1/errors.js';
import type { CachedVariant } from '../../wire/v1/user-cache.js';
import { pageSize, renderUserArray, type V1Context, type V1Handler } from './context.js';
import { existing, namedUser } from './targets.js';

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
  const named = subject === 'named' ? await namedUser(ctx.services.store, ctx.params) : { named: false as const };
  if (!named.named) {
    if (ctx.viewer) return ctx.viewer;
    throw new V1Error(V1.userNotFound);
  }
  const user = existing(named.user);
  if (!user) throw new V1Error(V1.userNotFound);
  if (user.state === 'suspended') throw new V1Error(V1.userSuspended);
  if (!(await ctx.services.graph.canReadLists(ctx.viewer?.id ?? null, user))) throw new V1LegacyError('Not authorized.');
  return user;
}

export function idsList(kind: GraphKind, dir: Direction, subject: ListSubject): V1Handler {
  return async (ctx) => {
    const cursor = ctx.params.cursor();
    const count = pageSize(ctx);
    const user = await subjectOf(ctx, subject);
    if (ctx.params.flag('stringify_ids')) {
      const page = await readPage(ctx.services.store, kind, dir, user.id, cursor, count);
      return { ids: page.ids.map(String), ...cursorFields(page) };
    }
    const page = await readIdsJson(ctx.services.store, kind, dir, user.id, cursor, count);
    return { ids: new JsonBytes(Buffer.from(page.json, 'latin1')), ...cursorFields(page) };
  };
}

export function usersList(kind: GraphKind, dir: Direction, subject: ListSubject, variant: CachedVariant): V1Handler {
  return async (ctx) => {
    const cursor = ctx.params.cursor();
    const count = pageSize(ctx);
    const user = await subjectOf(ctx, subject);
    const page = await readPage(ctx.services.store, kind, dir, user.id, cursor, count);
    const byId = await ctx.services.store.usersByIds(page.ids);
    const users = page.ids.map((id) => byId.get(id)).filter((u): u is UserRow => u !== undefined);
    const includeEntities = variant === 'list' ? ctx.params.flagOn('include_user_entities') : ctx.params.flagOn('include_entities');
    return { users: await renderUserArray(ctx, users, { variant, includeEntities }), ...cursorFields(page) };
  };
}
