// The users CSV: a header, then one user per row.
//   id,screen_name,name,description,location,url,protected,verified,created_at,followers_count,friends_count
// id and screen_name are required; the rest may be left out or empty. created_at is ISO 8601
// (when empty: the time in a snowflake id, else 2006-03-21). The counts are written for
// readers and ignored on import: they are recomputed from the edges.
import { stringify } from 'csv-stringify/sync';
import { AccountError, checkUserInput } from '../../admin/accounts.js';
import { snowflakeTime } from '../../graph/snowflake.js';
import type { NewUser } from '../../store/types.js';
import type { BulkTarget } from '../../store/bulk/bulk-target.js';
import type { Progress } from '../../store/bulk/progress.js';
import { csvBool, readCsv } from './csv.js';
import type { BadLines, Output } from './files.js';
import { parseUserId } from './user-ids.js';

export const USER_COLUMNS = ['id', 'screen_name', 'name', 'description', 'location', 'url', 'protected', 'verified', 'created_at', 'followers_count', 'friends_count'] as const;

/** Accounts from before snowflake ids carry no time; they are dated to Twitter's first day. */
export const FIRST_DAY = Date.UTC(2006, 2, 21);

export function createdAtFor(id: bigint): number {
  return snowflakeTime(id) ?? FIRST_DAY;
}

function toUser(f: Record<string, string>): NewUser | string {
  const id = parseUserId((f.id ?? '').trim());
  if (id === null) return `"${f.id}" is not a user id (1 to 2^63 - 1)`;
  const screenName = (f.screen_name ?? '').trim();
  const flags = { protected: csvBool(f.protected), verified: csvBool(f.verified) };
  for (const [k, v] of Object.entries(flags)) if (v === null) return `${k} must be true or false`;
  const created = f.created_at?.trim() ? Date.parse(f.created_at) : createdAtFor(id);
  if (Number.isNaN(created)) return `created_at "${f.created_at}" is not an ISO 8601 time`;
  const user: NewUser = {
    id, screenName, name: f.name?.trim() || screenName, description: f.description ?? '', location: f.location ?? '',
    url: f.url?.trim() || null, protected: flags.protected!, verified: flags.verified!, createdAt: created,
  };
  try {
    checkUserInput(user);
  } catch (err) {
    if (err instanceof AccountError) return err.message;
    throw err;
  }
  return user;
}

export async function* readUsersCsv(path: string, bad: BadLines): AsyncGenerator<NewUser & { line: number }> {
  for await (const { line, fields } of readCsv(path, bad, ['id', 'screen_name'])) {
    const user = toUser(fields);
    if (typeof user === 'string') bad.add(line, user);
    else yield { ...user, line };
  }
}

export async function writeUsersCsv(target: BulkTarget, out: Output, progress: Progress): Promise<number> {
  await out.write(stringify([[...USER_COLUMNS]]));
  progress.start('users', await target.countUsers());
  let n = 0;
  let rows: unknown[][] = [];
  const flush = async () => {
    await out.write(stringify(rows));
    progress.tick(rows.length);
    rows = [];
  };
  for await (const u of target.users()) {
    rows.push([u.id.toString(), u.screenName, u.name, u.description, u.location, u.url ?? '', String(u.protected), String(u.verified),
      new Date(u.createdAt).toISOString(), u.followersCount, u.friendsCount]);
    n++;
    if (rows.length === 1024) await flush();
  }
  await flush();
  progress.stop();
  return n;
}
