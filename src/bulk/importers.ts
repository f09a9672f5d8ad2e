// Imports: read a file (bad lines skipped or fatal), then load it in one transaction.
// Parsing happens before the transaction; anything refused inside it rolls the whole load back.
import type { Clock } from '../clock.js';
import { Snowflake } from '../graph/snowflake.js';
import type { NewUser, UserId } from '../store/types.js';
import type { BulkTarget, BulkWriter } from '../store/bulk/bulk-target.js';
import { EdgeBuilder } from './edge-builder.js';
import { NO_RETWEETS, NOTIFY } from '../store/bulk/edge-list.js';
import type { BadLines } from './formats/files.js';
import { readMastodonCsv, type MastodonFollow } from './formats/mastodon-csv.js';
import { readSnap } from './formats/snap.js';
import { createdAtFor, readUsersCsv } from './formats/users-csv.js';
import type { Progress } from '../store/bulk/progress.js';

export class ImportError extends Error {}

export interface ImportResult {
  users_added: number;
  follows_added: number;
  /** users or follows the database already held, left as they were */
  existing: number;
  /** follows repeated within the file; the first is kept */
  repeats: number;
  bad_lines: number;
}

/** Users a follow list names but the database lacks: screen name u + the id in base 36, v... if taken. */
async function placeholders(w: BulkWriter, ids: bigint[]): Promise<NewUser[]> {
  const made: NewUser[] = [];
  let left = ids;
  for (const prefix of 'uvwxyz') {
    if (left.length === 0) break;
    const names = left.map((id) => `${prefix}${id.toString(36)}`);
    const taken = await w.usersByScreenNames(names.map((n) => n.toLowerCase()));
    const next: bigint[] = [];
    left.forEach((id, i) => {
      const screenName = names[i]!;
      if (taken.has(screenName.toLowerCase())) next.push(id);
      else made.push({ id, screenName, name: screenName, createdAt: createdAtFor(id) });
    });
    left = next;
  }
  if (left.length > 0) throw new ImportError(`no free screen name for user ${left[0]}`);
  return made;
}

export async function importSnap(target: BulkTarget, path: string, bad: BadLines, progress: Progress): Promise<ImportResult> {
  const builder = new EdgeBuilder();
  progress.start('reading', 0);
  for await (const e of readSnap(path, bad, progress)) builder.add(e.src, e.dst);
  progress.stop();
  const { edges, repeats } = builder.build();
  return target.load(async (w) => {
    const stored = await w.existingIds(edges.ids);
    const users = await placeholders(w, Array.from(edges.ids).filter((id) => !stored.has(id)));
    const usersAdded = await w.insertUsers(users, users.length, progress);
    const r = await w.insertFollows(edges, progress);
    return { users_added: usersAdded, follows_added: r.added, existing: r.existing, repeats, bad_lines: bad.skipped.length };
  }, progress);
}

export async function importUsers(target: BulkTarget, path: string, bad: BadLines, progress: Progress): Promise<ImportResult> {
  const users: (NewUser & { line: number })[] = [];
  const ids = new Set<bigint>();
  const names = new Set<string>();
  for await (const u of readUsersCsv(path, bad)) {
    const key = u.screenName.toLowerCase();
    if (ids.has(u.id)) bad.add(u.line, `user ${u.id} appears twice`);
    else if (names.has(key)) bad.add(u.line, `screen name "${u.screenName}" appears twice`);
    else {
      ids.add(u.id);
      names.add(key);
      users.push(u);
    }
  }
  users.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return target.load(async (w) => {
    const stored = await w.existingIds(BigInt64Array.from(users, (u) => u.id));
    const fresh = users.filter((u) => !stored.has(u.id));
    const owners = await w.usersByScreenNames(fresh.map((u) => u.screenName.toLowerCase()));
    const insert = fresh.filter((u) => {
      if (!owners.has(u.screenName.toLowerCase())) return true;
      bad.add(u.line, `screen name "${u.screenName}" belongs to user ${owners.get(u.screenName.toLowerCase())}`);
      return false;
    });
    const added = await w.insertUsers(insert, insert.length, progress);
    return { users_added: added, follows_added: 0, existing: stored.size, repeats: 0, bad_lines: bad.skipped.length };
  }, progress);
}

/** One user's following list; accounts it names that roost lacks are created with that screen name. */
export async function importMastodon(target: BulkTarget, path: string, follower: string, bad: BadLines, clock: Clock, progress: Progress): Promise<ImportResult> {
  const rows: MastodonFollow[] = [];
  for await (const row of readMastodonCsv(path, bad)) rows.push(row);
  const minter = new Snowflake(clock);
  return target.load(async (w) => {
    const keys = [follower, ...rows.map((r) => r.screenName)].map((n) => n.toLowerCase());
    const known = await w.usersByScreenNames(keys);
    const src = known.get(follower.toLowerCase());
    if (src === undefined) throw new ImportError(`no user @${follower}`);
    const builder = new EdgeBuilder();
    const created = new Map<string, NewUser>();
    for (const r of rows) {
      const key = r.screenName.toLowerCase();
      let dst: UserId | undefined = known.get(key) ?? created.get(key)?.id;
      if (dst === undefined) {
        const user = { id: minter.next(), screenName: r.screenName, name: r.screenName, createdAt: clock.now() };
        created.set(key, user);
        dst = user.id;
      }
      if (dst === src) bad.add(r.line, `@${follower} cannot follow itself`);
      else builder.add(src.toString(), dst.toString(), (r.notify ? NOTIFY : 0) | (r.retweets ? 0 : NO_RETWEETS));
    }
    const added = await w.insertUsers(created.values(), created.size, progress);
    const { edges, repeats } = builder.build();
    const r = await w.insertFollows(edges, progress);
    return { users_added: added, follows_added: r.added, existing: r.existing, repeats, bad_lines: bad.skipped.length };
  }, progress);
}
