// SNAP edge lists: one follow per line, "source target" (ids separated by whitespace), lines
// starting with # are comments, blank lines are ignored. Files may be gzipped.
import { createInterface } from 'node:readline';
import type { BulkTarget } from '../../store/bulk/bulk-target.js';
import type { Progress } from '../../store/bulk/progress.js';
import { openInput, type BadLines, type Output } from './files.js';
import { userIdKey } from './user-ids.js';

/** A follow as two user ids in canonical decimal (see userIdKey): cheap to compare and to key maps by. */
export interface SnapEdge {
  src: string;
  dst: string;
}

const PAIR = /^(\S+)\s+(\S+)$/;

export async function* readSnap(path: string, bad: BadLines, progress: Progress): AsyncGenerator<SnapEdge> {
  const lines = createInterface({ input: await openInput(path), crlfDelay: Infinity });
  let n = 0;
  for await (const text of lines) {
    n++;
    progress.tick(1);
    const line = text.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = PAIR.exec(line);
    if (!m) {
      const fields = line.split(/\s+/).length;
      bad.add(n, `expected "source target", got ${fields} field${fields === 1 ? '' : 's'}`);
      continue;
    }
    const src = userIdKey(m[1]!);
    const dst = userIdKey(m[2]!);
    if (src === null || dst === null) bad.add(n, `"${src === null ? m[1] : m[2]}" is not a user id (1 to 2^63 - 1)`);
    else if (src === dst) bad.add(n, `${src} follows itself`);
    else yield { src, dst };
  }
}

export async function writeSnap(target: BulkTarget, out: Output, progress: Progress): Promise<number> {
  const total = await target.countFollows();
  await out.write(`# roost follow graph: ${await target.countUsers()} users, ${total} follows, oldest first\n# FollowerId\tFolloweeId\n`);
  progress.start('follows', total);
  let n = 0;
  for await (const batch of target.follows()) {
    let chunk = '';
    for (const e of batch) chunk += `${e.src}\t${e.dst}\n`;
    await out.write(chunk);
    n += batch.length;
    progress.tick(batch.length);
  }
  progress.stop();
  return n;
}
