// Mastodon's following list export: one account a user follows per row.
//   Account address,Show boosts,Notify on new posts,Languages
//   alice@example.social,true,false,
// roost has one namespace of screen names, so an address maps to the user whose screen name is
// its local part (the host is dropped); "Show boosts" is want_retweets, "Notify on new posts"
// is device notifications; Languages is not kept.
import { stringify } from 'csv-stringify/sync';
import type { BulkTarget } from '../../store/bulk/bulk-target.js';
import type { UserId } from '../../store/types.js';
import { csvBool, readCsv } from './csv.js';
import type { BadLines, Output } from './files.js';

export const MASTODON_COLUMNS = ['Account address', 'Show boosts', 'Notify on new posts', 'Languages'] as const;

const ADDRESS = /^@?([A-Za-z0-9_]{1,15})(?:@[A-Za-z0-9.-]+)?$/;

export interface MastodonFollow {
  line: number;
  screenName: string;
  retweets: boolean;
  notify: boolean;
}

export async function* readMastodonCsv(path: string, bad: BadLines): AsyncGenerator<MastodonFollow> {
  for await (const { line, fields } of readCsv(path, bad, ['Account address'])) {
    const address = (fields['Account address'] ?? '').trim();
    const m = ADDRESS.exec(address);
    const boosts = fields['Show boosts'] === undefined ? true : csvBool(fields['Show boosts']);
    const notify = csvBool(fields['Notify on new posts']);
    if (!m) bad.add(line, `"${address}" is not an account address whose name is a screen name (1-15 letters, digits or underscores)`);
    else if (boosts === null || notify === null) bad.add(line, 'Show boosts and Notify on new posts must be true or false');
    else yield { line, screenName: m[1]!, retweets: boosts, notify };
  }
}

/** The accounts `user` follows, oldest first, as addresses on `host`. */
export async function writeMastodonCsv(target: BulkTarget, user: UserId, host: string, out: Output): Promise<number> {
  await out.write(stringify([[...MASTODON_COLUMNS]]));
  let n = 0;
  for await (const f of target.following(user)) {
    await out.write(stringify([[`${f.screenName}@${host}`, String(f.retweets), String(f.notify), '']]));
    n++;
  }
  return n;
}
